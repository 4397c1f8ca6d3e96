"""The projected countdown: big digits that count in the browser (``timer.js``, ``timer.css``).

Its Python twin, for arithmetic and tests, is :class:`rdlearn.timer.countdown.Countdown`.
A value from a browser is checked like one from Python: whole minutes from 1 to 120.

A session page serves both workshop formats, so a timer for an exercise whose length
differs by format offers each format's length (the first, one-day, chosen to start with),
and an exercise run in rounds gets one timer that steps through them, each step labelled
("Round 2 of 3: feedback"). The minutes box still sets any length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.agenda.panel import status
from rdlearn.web import assets

__all__ = ["MAX_MINUTES", "MIN_MINUTES", "StepsPanel", "TimerPanel", "TimerWidget", "round_steps",
           "rounds", "timer"]

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


def _format_name(fmt: str) -> str:
    """``"one-day"`` becomes ``"One-day format"``."""
    return f"{fmt[:1].upper()}{fmt[1:]} format"


class StepsPanel(w.VBox):
    """One timer for an exercise in steps, with the steps of each workshop format.

    Parameters
    ----------
    plans
        ``{format id: [(step label, minutes), ...]}``, in the order to offer them; the
        first format is chosen to start with.
    label
        Words shown above every step's label, such as "Practice in threes".
    """

    def __init__(self, plans: Mapping[str, Sequence[tuple[str, int]]], *, label: str = "",
                 sound: bool = True):
        if not plans or not all(plans.values()):
            raise ValueError("A timer in steps needs at least one step for each format.")
        self.plans = {str(fmt): [(str(name)[:80], _check_minutes(m)) for name, m in steps]
                      for fmt, steps in plans.items()}
        self.label = str(label)[:60]
        self.format_id = next(iter(self.plans))
        self.index = 0
        self.timer = TimerPanel(minutes=self.plans[self.format_id][0][1], sound=sound)
        self.format = w.ToggleButtons(
            options=[(f"{_format_name(fmt)}: {sum(m for _, m in steps)} min", fmt)
                     for fmt, steps in self.plans.items()],
            value=self.format_id, description="Format", style={"button_width": "auto"},
        )
        self.step = w.Dropdown(description="Step", layout=w.Layout(width="auto"))
        self.next_button = w.Button(description="Next step", button_style="primary")
        self.next_button.on_click(lambda _: self.next_step())
        self.format.observe(lambda change: self.choose_format(change["new"]), names="value")
        self.step.observe(lambda change: self.choose_step(change["new"]), names="value")
        self.steps_row = w.HBox([self.step, self.next_button])
        if len(self.plans) == 1:
            self.format.layout.display = "none"
        super().__init__([self.format, self.steps_row, self.timer])
        self.choose_format(self.format_id)

    @property
    def steps(self) -> list[tuple[str, int]]:
        """The steps of the chosen format."""
        return self.plans[self.format_id]

    def choose_format(self, fmt: str) -> None:
        """Show the steps of another format, from its first step."""
        if fmt not in self.plans:
            return
        self.format_id = fmt
        if self.format.value != fmt:
            self.format.value = fmt
        self.steps_row.layout.display = "none" if len(self.steps) == 1 else None
        self.step.options = [(f"{name} ({m} min)", i) for i, (name, m) in enumerate(self.steps)]
        self.index = -1
        self.choose_step(0)

    def choose_step(self, index: int | None) -> None:
        """Set the timer to one step (0 = the first): its minutes and its label."""
        if not isinstance(index, int) or not 0 <= index < len(self.steps) or index == self.index:
            return
        self.index = index
        name, minutes = self.steps[index]
        self.step.value = index
        self.timer.clock.label = ": ".join(p for p in (self.label, name) if p)
        if self.timer.minutes.value == minutes:
            self.timer._apply()  # the same length again: back to the full time
        else:
            self.timer.minutes.value = minutes  # the box's observer sets the clock
        last = index == len(self.steps) - 1
        self.next_button.disabled = last
        self.next_button.description = ("Last step" if last else
                                        f"Next: {self.steps[index + 1][0]}")

    def next_step(self) -> None:
        """Move the timer on to the next step (it waits for Start)."""
        self.choose_step(self.index + 1)


def round_steps(*, setup: int, rounds: int, practice: int,
                feedback: int) -> list[tuple[str, int]]:
    """The steps of a skills practice in rounds: set up, then practice and feedback each round.

    >>> round_steps(setup=3, rounds=2, practice=6, feedback=3)[:3]
    [('Set up', 3), ('Round 1 of 2: practice', 6), ('Round 1 of 2: feedback', 3)]
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 6:
        raise ValueError("Give 1 to 6 rounds.")
    steps = [("Set up", setup)]
    for number in range(1, rounds + 1):
        steps += [(f"Round {number} of {rounds}: practice", practice),
                  (f"Round {number} of {rounds}: feedback", feedback)]
    return steps


def _by_format(value: int | Mapping[str, int], formats: list[str]) -> dict[str, int]:
    return dict(value) if isinstance(value, Mapping) else dict.fromkeys(formats, value)


def rounds(*, setup: int | Mapping[str, int], rounds: int,
           practice: int | Mapping[str, int], feedback: int | Mapping[str, int],
           label: str = "", sound: bool = True) -> StepsPanel:
    """A timer for a skills practice in rounds, stepping from set-up through each round.

    Each of ``setup``, ``practice`` and ``feedback`` is minutes, or minutes by format
    (``{"one-day": 6, "two-day": 10}``); the facilitator chooses the format, the one-day
    format first.
    """
    formats: list[str] = []
    for value in (setup, practice, feedback):
        if isinstance(value, Mapping):
            formats += [fmt for fmt in value if fmt not in formats]
    formats = formats or ["one-day"]
    parts = [_by_format(v, formats) for v in (setup, practice, feedback)]
    for fmt in formats:
        if not all(fmt in part for part in parts):
            raise ValueError(f"Give the {fmt} format's minutes for each part of the round.")
    plans = {fmt: round_steps(setup=parts[0][fmt], rounds=rounds, practice=parts[1][fmt],
                              feedback=parts[2][fmt]) for fmt in formats}
    return StepsPanel(plans, label=label, sound=sound)


def timer(*, minutes: int | Mapping[str, int] = 5, label: str = "",
          sound: bool = True) -> TimerPanel | StepsPanel:
    """A countdown for pairs and group work, readable on a projector.

    It counts in the browser (no load on the kernel, no drift), announces each minute and
    the end to screen readers, turns colour and says "Time is up" at the end, and plays a
    gentle tone unless ``sound=False``.

    Parameters
    ----------
    minutes
        From 1 to 120; anything else raises ``ValueError`` with a message. Minutes by
        format (``{"one-day": 25, "two-day": 45}``) give a choice of format, the first
        chosen to start with.
    label
        Optional words above the digits, such as "Pairs: first speaker".
    """
    if isinstance(minutes, Mapping):
        if len(set(minutes.values())) > 1:
            return StepsPanel({fmt: [("", m)] for fmt, m in minutes.items()}, label=label,
                              sound=sound)
        minutes = next(iter(minutes.values()), 0)
    return TimerPanel(minutes=minutes, label=label, sound=sound)
