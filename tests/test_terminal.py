"""The facilitator's terminal while ``rdlearn serve`` warms up: progress with a bar and an
estimate (on an injected clock, so nothing waits), errors as one line, the rest in a log."""

from __future__ import annotations

import io
import logging
from datetime import datetime

import pytest

from rdlearn.serve import terminal


class Clock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("seconds", "words"), [
    (0.2, "1 s"), (9.6, "10 s"), (41, "45 s"), (60, "1 min"), (118, "2 min"),
    (131, "2 min 15 s"), (3600, "60 min"),
])
def test_durations_read_as_a_person_says_them(seconds, words):
    assert terminal.duration(seconds) == words


def test_the_line_shows_pages_ready_a_bar_and_the_time_left():
    assert terminal.progress_line(0, 41, 2.0, width=10) == (
        "Warming up: [----------]  0/41 pages ready, estimating the time left...")
    # 10 of 41 ready after 30 s: 3 s a page, 31 still to go, about 95 s.
    assert terminal.progress_line(10, 41, 30.0, width=10) == (
        "Warming up: [##--------] 10/41 pages ready, about 1 min 35 s left")
    assert terminal.progress_line(41, 41, 118.0, width=10) == (
        "Warming up: [##########] 41/41 pages ready in 2 min")


def test_odd_counts_never_break_the_line():
    assert "0/1 pages" in terminal.progress_line(-3, 0, 5.0)
    assert terminal.progress_line(9, 4, 5.0, width=4).startswith("Warming up: [####] 4/4")


def test_on_a_terminal_the_line_is_redrawn_at_most_once_a_second_unless_a_page_warms():
    clock = Clock()
    progress = terminal.Progress(clock=clock, interactive=True)
    assert progress.update(0, 8) is not None
    clock.now += 0.2
    assert progress.update(0, 8) is None  # nothing changed, too soon
    clock.now += 0.1
    assert progress.update(1, 8) is not None  # a page warmed: shown at once
    clock.now += 1.5
    assert "about" in progress.update(1, 8)  # the estimate is refreshed


def test_in_a_log_a_line_is_written_only_every_tenth_of_the_way():
    clock = Clock()
    progress = terminal.Progress(clock=clock, interactive=False)
    shown = []
    for ready in range(41):
        clock.now += 3
        line = progress.update(ready, 40)
        if line:
            shown.append(line)
    assert len(shown) == 11
    assert shown[-1].endswith("40/40 pages ready in 2 min 5 s")


def test_the_estimate_comes_from_the_injected_clock():
    clock = Clock(1000.0)
    progress = terminal.Progress(clock=clock, interactive=True)
    clock.now += 20
    assert progress.update(4, 8).endswith("about 20 s left")


def test_an_error_reaches_the_terminal_as_one_line_naming_the_log(tmp_path):
    out = io.StringIO()
    with terminal.calm(tmp_path / "logs" / "serve.log", stream=out) as term:
        logger = logging.getLogger("rdlearn-test-terminal")
        logger.addHandler(term.error_handler())
        try:
            logger.warning("Kernel is running over TCP without encryption.")
            for _ in range(3):  # the pool is checked again and again
                logger.error("A kernel for %s failed to start:\nTraceback...\n  line 2",
                             "01.ipynb")
        finally:
            logger.handlers.clear()
    lines = out.getvalue().splitlines()
    assert lines == [f"rdlearn: error: A kernel for 01.ipynb failed to start: "
                     f"(details in {tmp_path / 'logs' / 'serve.log'})"]


def test_a_progress_line_drawn_in_place_is_ended_before_the_next_message(tmp_path):
    out = io.StringIO()
    term = terminal.Terminal(out=out, log_path=tmp_path / "x.log", interactive=True)
    term.draw("Warming up: [#---] 1/4 pages ready")
    term.draw(None)
    term.say("rdlearn is ready: http://127.0.0.1:8866/")
    assert out.getvalue() == ("\rWarming up: [#---] 1/4 pages ready\033[K\n"
                              "rdlearn is ready: http://127.0.0.1:8866/\n")


def test_the_log_goes_to_the_state_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = terminal.default_log_path(datetime(2026, 5, 14, 9, 30, 5))
    assert path == tmp_path / "rdlearn" / "logs" / "serve_2026-05-14_093005.log"
