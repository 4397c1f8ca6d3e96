"""The countdown's arithmetic, read from a clock."""

from __future__ import annotations

import random

import pytest

from rdlearn.timer import countdown
from rdlearn.timer.countdown import Countdown

# --------------------------------------------------------------------------- countdown


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


def test_a_countdown_counts_down_by_the_clock():
    clock = FakeClock()
    countdown = Countdown(300, clock=clock)
    assert countdown.state == "ready" and countdown.remaining() == 300
    countdown.start()
    clock.advance(61.5)
    assert countdown.remaining() == pytest.approx(238.5)
    assert countdown.text() == "03:59"
    assert countdown.running and not countdown.finished


def test_pause_and_resume_keep_the_remaining_time_exactly():
    clock = FakeClock()
    countdown = Countdown(120, clock=clock)
    countdown.start()
    clock.advance(30.25)
    countdown.pause()
    left = countdown.remaining()
    clock.advance(500)  # a long pause
    assert countdown.remaining() == left and countdown.state == "paused"
    countdown.resume()
    clock.advance(10)
    assert countdown.remaining() == pytest.approx(left - 10)


def test_twenty_minutes_of_irregular_ticks_end_on_time():
    clock = FakeClock()
    rng = random.Random(4)
    countdown = Countdown(20 * 60, clock=clock)
    countdown.start()
    began = clock.now
    paused_for = 0.0
    while not countdown.finished:
        clock.advance(rng.choice([0.01, 0.25, 0.9, 1.0, 2.7, 13.0]))
        if rng.random() < 0.02:
            countdown.pause()
            gap = rng.uniform(1, 90)
            clock.advance(gap)
            paused_for += gap
            countdown.resume()
        running_time = clock.now - began - paused_for
        expected = max(0.0, 20 * 60 - running_time)
        assert abs(countdown.remaining() - expected) < 1e-6
    overshoot = clock.now - began - paused_for - 20 * 60
    assert 0 <= overshoot < 13.0  # at most one (long) tick late, never early
    assert countdown.remaining() == 0 and countdown.text() == "00:00"


def test_reset_goes_back_to_the_full_length_and_start_after_the_end_does_nothing():
    clock = FakeClock()
    countdown = Countdown(60, clock=clock)
    countdown.start()
    clock.advance(75)
    assert countdown.finished and countdown.state == "finished"
    countdown.start()
    assert countdown.remaining() == 0
    countdown.reset()
    assert countdown.state == "ready" and countdown.remaining() == 60
    countdown.reset(90)
    assert countdown.remaining() == 90


@pytest.mark.parametrize("bad", [0, -5, "5", True, 10**9])
def test_a_countdown_refuses_a_nonsense_length(bad):
    with pytest.raises(ValueError):
        Countdown(bad, clock=FakeClock())


def test_the_display_rounds_up_so_zero_shows_only_at_the_end():
    assert countdown.format_remaining(0.2) == "00:01"
    assert countdown.format_remaining(0) == "00:00"
    assert countdown.format_remaining(3600) == "60:00"
    assert countdown.format_remaining(125) == "02:05"
