"""The projected countdown: big digits that count in the browser (``timer.js``, ``timer.css``).

Its Python twin, for arithmetic and tests, is :class:`rdlearn.timer.countdown.Countdown`.
A value from a browser is checked like one from Python: whole minutes from 1 to 120.
"""

from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.agenda.panel import status
from rdlearn.web import assets

__all__ = ["MAX_MINUTES", "MIN_MINUTES", "TimerPanel", "TimerWidget", "timer"]

#: The range of the countdown, in minutes.
MIN_MINUTES, MAX_MINUTES = 1, 120


def _check_minutes(minutes: object) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError(
            f"The timer takes a whole number of minutes from {MIN_MINUTES} to {MAX_MINUTES}."
        )
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(
            f"{minutes} minutes is outside the timer's range: choose from {MIN_MINUTES} to "
            f"{MAX_MINUTES} minutes."
        )
    return minutes


class TimerWidget(anywidget.AnyWidget):
    """The countdown itself: it counts in the browser, with big digits, buttons and a tone.

    ``duration_s`` may only hold whole minutes from 1 to 120 (in seconds); any other value,
    from Python or from a browser, is refused: the old value stays and ``message`` says why.
    """

    _esm = assets.esm("timer.js", css=("timer.css",))
    _css = assets.css("timer.css")
    duration_s = traitlets.Int(5 * 60).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    sound = traitlets.Bool(True).tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    reset_token = traitlets.Int(0).tag(sync=True)

    _accepted_s = 5 * 60  # the last valid duration (a refused value falls back to it)

    @traitlets.validate("duration_s")
    def _valid_duration(self, proposal):
        # During a browser update the trait already holds the new value when this runs,
        # so a refused value falls back to the last accepted one, not to the trait.
        value = proposal["value"]
        try:
            if value % 60:
                raise ValueError("The timer runs in whole minutes.")
            _check_minutes(value // 60)
        except ValueError as exc:
            self.message = str(exc)
            return self._accepted_s
        self.message = ""
        self._accepted_s = value
        return value

    def reset(self) -> None:
        """Put the countdown back to its full length in the browser."""
        self.reset_token += 1


class TimerPanel(w.VBox):
    """A timer with a box to set its length (1-120 minutes)."""

    def __init__(self, *, minutes: int = 5, label: str = "", sound: bool = True):
        minutes = _check_minutes(minutes)
        self.clock = TimerWidget(duration_s=minutes * 60, label=str(label)[:120], sound=sound)
        self.minutes = w.IntText(
            value=minutes, description="Minutes", continuous_update=False,
            style={"description_width": "initial"},
            layout=w.Layout(width="12rem"),
        )
        self.set_button = w.Button(description="Set the timer", button_style="primary")
        self.message = w.HTML()
        self.set_button.on_click(lambda _: self._apply())
        self.minutes.observe(lambda _: self._apply(), names="value")
        super().__init__(
            [self.clock, w.HBox([self.minutes, self.set_button]), self.message],
        )

    def _apply(self) -> None:
        try:
            minutes = _check_minutes(self.minutes.value)
        except ValueError as exc:
            shown = self.clock.duration_s // 60
            self.message.value = status(f"{exc} The timer still shows {shown} minutes.")
            return
        self.message.value = ""
        if self.clock.duration_s != minutes * 60:
            self.clock.duration_s = minutes * 60
        else:
            self.clock.reset()


def timer(*, minutes: int = 5, label: str = "", sound: bool = True) -> TimerPanel:
    """A countdown for pairs and group work, readable on a projector.

    It counts in the browser (no load on the kernel, no drift), announces each minute and
    the end to screen readers, turns colour and says "Time is up" at the end, and plays a
    gentle tone unless ``sound=False``.

    Parameters
    ----------
    minutes
        From 1 to 120; anything else raises ``ValueError`` with a message.
    label
        Optional words above the digits, such as "Pairs: first speaker".
    """
    return TimerPanel(minutes=minutes, label=label, sound=sound)
