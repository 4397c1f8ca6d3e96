"""The countdown's arithmetic, without a widget: remaining time read from a clock.

The projected timer (:mod:`rdlearn.timer.widget`) counts in the browser; :class:`Countdown`
is the same countdown for Python, and tests inject a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Countdown", "format_remaining"]


class Countdown:
    """A countdown read from a clock, so it cannot drift.

    The remaining time is always ``duration - time spent running``, measured by the clock
    at the moment you ask; nothing is counted tick by tick. Pass a fake ``clock`` in tests.

    Parameters
    ----------
    duration_s
        Length in seconds (above 0).
    clock
        A function returning seconds, such as ``time.monotonic`` (the default).

    Examples
    --------
    >>> now = [0.0]
    >>> c = Countdown(60, clock=lambda: now[0])
    >>> c.start(); now[0] = 15.0; c.pause(); now[0] = 100.0
    >>> c.remaining()
    45.0
    """

    def __init__(self, duration_s: float, *, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self.reset(duration_s)

    def reset(self, duration_s: float | None = None) -> None:
        """Back to the full duration, not running (optionally with a new duration)."""
        if duration_s is not None:
            if isinstance(duration_s, bool) or not isinstance(duration_s, int | float) or not (
                0 < duration_s <= 24 * 3600
            ):
                raise ValueError("A countdown needs a length above 0 seconds and at most a day.")
            self.duration_s = float(duration_s)
        self._spent_before = 0.0
        self._started_at: float | None = None

    def start(self) -> None:
        """Start (or resume) counting down; does nothing if already running or finished."""
        if self._started_at is None and not self.finished:
            self._started_at = self._clock()

    def pause(self) -> None:
        """Stop counting, keeping the remaining time exactly."""
        if self._started_at is not None:
            self._spent_before += self._clock() - self._started_at
            self._started_at = None

    resume = start

    def elapsed(self) -> float:
        """Seconds spent running so far (pauses excluded)."""
        spent = self._spent_before
        if self._started_at is not None:
            spent += self._clock() - self._started_at
        return min(spent, self.duration_s)

    def remaining(self) -> float:
        """Seconds left, never below 0."""
        return max(0.0, self.duration_s - self.elapsed())

    @property
    def running(self) -> bool:
        """Whether it is counting down now (not paused, not finished)."""
        return self._started_at is not None and not self.finished

    @property
    def finished(self) -> bool:
        """Whether the whole duration has been spent."""
        spent = self._spent_before
        if self._started_at is not None:
            spent += self._clock() - self._started_at
        return spent >= self.duration_s

    @property
    def state(self) -> str:
        """``"ready"``, ``"running"``, ``"paused"`` or ``"finished"``."""
        if self.finished:
            return "finished"
        if self._started_at is not None:
            return "running"
        return "paused" if self._spent_before > 0 else "ready"

    def text(self) -> str:
        """The remaining time as the big digits show it (``MM:SS``)."""
        return format_remaining(self.remaining())


def format_remaining(seconds: float) -> str:
    """Seconds left as ``MM:SS``, rounding up so ``00:00`` appears only at the end.

    >>> format_remaining(59.2), format_remaining(0)
    ('01:00', '00:00')
    """
    whole = max(0, -int(-seconds // 1))
    return f"{whole // 60:02d}:{whole % 60:02d}"
