"""What ``rdlearn serve`` shows in the facilitator's terminal, and where the rest goes.

A room's kernels take a minute or two to warm up. Meanwhile the terminal shows one line of
progress (pages ready out of pages, a bar, an estimate of the time left); then the join
address, the QR code and the facilitator key. Messages meant for developers (Jupyter's,
Tornado's, the kernels' own) go to a log file whose path is printed once; an error still
reaches the terminal, as one line.

The progress line is pure arithmetic (:func:`progress_line`, :class:`Progress` with an
injected clock), tested without waiting.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

__all__ = ["Progress", "Terminal", "calm", "default_log_path", "duration", "progress_line"]

BAR_WIDTH = 24


def duration(seconds: float) -> str:
    """A short, rounded duration for a person: ``"40 s"``, ``"2 min 10 s"``.

    >>> duration(4.2), duration(59.6), duration(130), duration(600)
    ('4 s', '1 min', '2 min 10 s', '10 min')
    """
    seconds = max(0, int(-(-seconds // 5) * 5)) if seconds > 10 else max(1, round(seconds))
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def progress_line(ready: int, total: int, elapsed: float, *, width: int = BAR_WIDTH) -> str:
    """One line of warm-up progress: pages ready, a bar, and the time left.

    The estimate assumes the pages still warming take as long each as those already warm
    (kernels start a few at a time on a laptop, so the rate is steady).

    >>> progress_line(0, 8, 3.0, width=8)
    'Warming up: [--------] 0/8 pages ready, estimating the time left...'
    >>> progress_line(2, 8, 20.0, width=8)
    'Warming up: [##------] 2/8 pages ready, about 1 min left'
    >>> progress_line(8, 8, 61.0, width=8)
    'Warming up: [########] 8/8 pages ready in 1 min 5 s'
    """
    total = max(total, 1)
    ready = min(max(ready, 0), total)
    filled = round(width * ready / total)
    bar = "#" * filled + "-" * (width - filled)
    count = f"{ready:>{len(str(total))}}/{total} pages ready"
    if ready >= total:
        return f"Warming up: [{bar}] {count} in {duration(elapsed)}"
    if ready == 0:
        return f"Warming up: [{bar}] {count}, estimating the time left..."
    left = elapsed / ready * (total - ready)
    return f"Warming up: [{bar}] {count}, about {duration(left)} left"


@dataclass
class Progress:
    """Warm-up progress measured from ``start`` on an injected clock.

    ``update`` returns the line to show, or ``None`` when nothing a person would notice
    changed: on a terminal the line is redrawn in place at most once a second; in a log
    (no terminal) a new line is written only at every tenth of the way and at the end.
    """

    clock: Callable[[], float] = time.monotonic
    interactive: bool = True
    start: float = field(default=None)  # type: ignore[assignment]
    _shown: tuple = field(default=(), repr=False)
    _shown_at: float = field(default=float("-inf"), repr=False)

    def __post_init__(self) -> None:  # noqa: D105
        if self.start is None:
            self.start = self.clock()

    def update(self, ready: int, total: int) -> str | None:
        """The line to show for ``ready`` of ``total`` pages, or ``None``."""
        now = self.clock()
        if self.interactive:
            key = (ready, total)
            if key == self._shown and now - self._shown_at < 1.0:
                return None
        else:
            step = ready * 10 // max(total, 1)
            key = (step, total)
            if key == self._shown:
                return None
        self._shown, self._shown_at = key, now
        return progress_line(ready, total, now - self.start)


def default_log_path(now: datetime | None = None) -> Path:
    """Where this run's library messages go: the user's state folder, one file per start.

    ``$XDG_STATE_HOME/rdlearn/logs/`` (``~/.local/state/rdlearn/logs/`` by default).
    """
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "rdlearn" / "logs" / f"serve_{stamp}.log"


class _OneLine(logging.Handler):
    """Errors reach the terminal as one line; their details stay in the log file.

    The same error repeated (a pool checked five times a second) is shown once.
    """

    def __init__(self, terminal: Terminal) -> None:
        super().__init__(level=logging.ERROR)
        self.terminal = terminal
        self._last = ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            first = (record.getMessage().strip().splitlines() or ["(no message)"])[0]
        except Exception:  # a malformed log call must not break serving
            first = str(record.msg)
        if first == self._last:
            return
        self._last = first
        self.terminal.say(f"rdlearn: error: {first[:300]} (details in {self.terminal.log_path})")


@dataclass
class Terminal:
    """The facilitator's terminal: progress redrawn in place, then plain lines."""

    out: TextIO
    log_path: Path
    interactive: bool = False
    _drawing: bool = field(default=False, repr=False)

    def say(self, text: str = "") -> None:
        """Print a line (ending any progress line drawn in place)."""
        if self._drawing:
            self.out.write("\n")
            self._drawing = False
        self.out.write(text + "\n")
        self.out.flush()

    def draw(self, line: str | None) -> None:
        """Show a progress line: in place on a terminal, as a new line in a log."""
        if line is None:
            return
        if self.interactive:
            self.out.write("\r" + line + "\033[K")
            self._drawing = True
            self.out.flush()
        else:
            self.say(line)

    def error_handler(self) -> logging.Handler:
        """A logging handler that prints errors here as one line."""
        return _OneLine(self)


@contextlib.contextmanager
def calm(log_path: Path, *, stream: TextIO | None = None) -> Iterator[Terminal]:
    """Send this process's stdout and stderr to ``log_path``; yield the real terminal.

    Everything written there (libraries' messages, warnings, the kernels' own output, which
    they inherit) goes to the log; the :class:`Terminal` yielded writes to the terminal.
    Both are restored on exit.

    ``stream`` replaces the terminal (tests); then nothing is redirected.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    if stream is not None:
        yield Terminal(out=stream, log_path=log_path, interactive=False)
        return
    for std in (sys.stdout, sys.stderr):
        std.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    out = os.fdopen(os.dup(saved_out), "w", buffering=1, encoding=sys.stdout.encoding,
                    errors="replace")
    interactive = out.isatty()
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (closed below)
    root = logging.getLogger()
    try:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        logging.captureWarnings(True)
        terminal = Terminal(out=out, log_path=log_path, interactive=interactive)
        handler = terminal.error_handler()
        # The root logger needs its own handler into the log: with only the terminal's error
        # handler there, Python's last-resort handler no longer prints tornado's warnings
        # (such as a page cut off for flooding its kernel), and they would be lost.
        to_log = logging.StreamHandler(log)
        to_log.setLevel(logging.WARNING)
        to_log.setFormatter(logging.Formatter("[%(levelname).1s %(asctime)s %(name)s] %(message)s"))
        root.addHandler(to_log)
        root.addHandler(handler)
        try:
            yield terminal
        finally:
            root.removeHandler(handler)
            root.removeHandler(to_log)
            logging.captureWarnings(False)
            if terminal._drawing:
                terminal.say()
    finally:
        for std in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                std.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        os.close(saved_out)
        os.close(saved_err)
        out.close()
        log.close()
