"""The facilitator's widgets: a projected countdown, pairing, the running agenda, notes.

The arithmetic lives in :mod:`rdlearn.agenda.plan`; these widgets only gather values,
check them (a browser can send any value) and show results. Every text that comes from
a person or a data file is escaped before it is shown.
"""

from __future__ import annotations

import datetime as _dt
import hmac
import os
import random
from collections.abc import Callable, Mapping

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.agenda import plan as facilitation
from rdlearn.web import assets
from rdlearn.web.html import bullets, esc, tag

__all__ = [
    "timer",
    "pairing",
    "notes_panel",
    "running_clock",
    "TimerWidget",
    "TimerPanel",
    "PairingPanel",
    "NotesPanel",
    "RunningClock",
    "MIN_MINUTES",
    "MAX_MINUTES",
    "FACILITATOR_KEY_VARIABLE",
]


#: The range of the countdown, in minutes.
MIN_MINUTES, MAX_MINUTES = 1, 120

#: The environment variable holding the key that ``rdlearn serve`` prints.
FACILITATOR_KEY_VARIABLE = "RDLEARN_FACILITATOR_KEY"

_CSS = """<style>
.rd-fac-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
  gap: 1rem; margin: 1rem 0; }
.rd-fac-card { background: var(--rd-surface, #fff); border: 2px solid var(--rd-border, #ddd5c8);
  border-radius: var(--rd-radius, 12px); padding: .9rem 1.2rem; }
.rd-fac-card h3 { margin: 0 0 .5rem; font-size: 1.2rem; color: var(--rd-muted, #505a64); }
.rd-fac-card ul { list-style: none; margin: 0; padding: 0; }
.rd-fac-card li { font-size: 1.6rem; font-weight: 600; line-height: 1.35; }
.rd-fac-card .rd-fac-role { font-size: 1.05rem; font-weight: 400; color: var(--rd-muted, #505a64);
  margin-left: .4rem; }
.rd-fac-agenda { border-collapse: collapse; width: 100%; font-size: 1.05rem; }
.rd-fac-agenda caption { text-align: left; font-weight: 700; font-size: 1.2rem; padding: .4rem 0; }
.rd-fac-agenda th, .rd-fac-agenda td { text-align: left; padding: .35rem .6rem;
  border-bottom: 1px solid var(--rd-border, #ddd5c8); vertical-align: top; }
.rd-fac-agenda tr.rd-fac-now { background: var(--rd-accent-soft, #e3eff7); font-weight: 700; }
.rd-fac-agenda tr.rd-fac-now td:first-child { border-left: 6px solid var(--rd-accent, #005a8f); }
.rd-fac-agenda tr.rd-fac-break td { color: var(--rd-muted, #505a64); }
.rd-fac-badge { display: inline-block; margin-left: .5rem; padding: 0 .5rem; border-radius: 6px;
  background: var(--rd-accent, #005a8f); color: var(--rd-accent-text, #fff); font-size: .9rem; }
.rd-fac-changed { color: var(--rd-warn, #8a4b00); font-size: .9rem; }
.rd-fac-message { color: var(--rd-warn, #8a4b00); font-weight: 600; }
.rd-fac-notes h3 { margin-bottom: .25rem; }
</style>"""


def _message(text: str, *, problem: bool = True) -> str:
    if not text:
        return ""
    cls = "rd-fac-message" if problem else "rd-small"
    return tag("p", text, class_=cls, role="status")


# --------------------------------------------------------------------------- timer


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

    _esm = assets.esm("timer.js")
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
            self.message.value = _message(f"{exc} The timer still shows {shown} minutes.")
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


# --------------------------------------------------------------------------- pairing


def groups_html(groups: list[facilitation.Group], *, round_number: int) -> str:
    """Large cards, one per group, with each name (escaped) and its role."""
    word = {2: "Pair", 3: "Triad"}
    cards = []
    for number, group in enumerate(groups, start=1):
        title = f"{word.get(len(group.members), 'Group')} {number}"
        items = "".join(
            f"<li>{esc(name)}<span class=\"rd-fac-role\">{esc(role)}</span></li>"
            for name, role in zip(group.members, group.roles, strict=True)
        )
        cards.append(
            f'<section class="rd-fac-card" aria-label="{esc(title)}">'
            f"<h3>{esc(title)}</h3><ul>{items}</ul></section>"
        )
    heading = tag("h3", f"Round {round_number}")
    return _CSS + heading + '<div class="rd-fac-cards">' + "".join(cards) + "</div>"


class PairingPanel(w.VBox):
    """Names or a head count in, groups out; each round avoids earlier partners."""

    def __init__(self, *, size: int = 2, rng: random.Random | None = None):
        self.rng = rng if rng is not None else random.Random()
        self.names = w.Textarea(
            placeholder="First names, one per line (or leave empty and give a head count)",
            description="Names", layout=w.Layout(width="28rem", height="9rem"),
        )
        self.head_count = w.IntText(
            value=0, description="Or a head count", style={"description_width": "initial"},
            layout=w.Layout(width="14rem"),
        )
        self.size = w.Dropdown(
            options=[("Pairs", 2), ("Triads", 3), ("Groups of four", 4)],
            value=size if size in (2, 3, 4) else 2, description="Group size",
            style={"description_width": "initial"},
        )
        self.make_button = w.Button(description="Make groups", button_style="primary")
        self.next_button = w.Button(description="Next round", disabled=True)
        self.message = w.HTML()
        self.result = w.HTML()
        self.history: list[list[facilitation.Group]] = []
        self.make_button.on_click(lambda _: self._round(new=True))
        self.next_button.on_click(lambda _: self._round(new=False))
        super().__init__(
            [
                self.names,
                w.HBox([self.head_count, self.size]),
                w.HBox([self.make_button, self.next_button]),
                self.message,
                self.result,
            ],
        )

    def _people(self) -> tuple[int | list[str], list[str]]:
        typed = facilitation.parse_names(self.names.value)
        if typed:
            names, notes = facilitation.clean_names(typed)
            return names, notes
        return self.head_count.value, []

    def _round(self, *, new: bool) -> None:
        try:
            people, notes = self._people()
            size = self.size.value
            if size not in (2, 3, 4):
                raise ValueError("Choose pairs, triads or groups of four.")
            groups = facilitation.make_groups(
                people, size=size, rng=self.rng, history=[] if new else self.history
            )
        except ValueError as exc:
            self.message.value = _message(str(exc))
            return
        except Exception:  # noqa: BLE001 - a facilitator sees a message, never a traceback
            self.message.value = _message("Something went wrong making the groups; try again.")
            return
        if new:
            self.history = []
        self.history.append(groups)
        self.message.value = _message(" ".join(notes), problem=False)
        self.result.value = groups_html(groups, round_number=len(self.history))
        self.next_button.disabled = False


def pairing(*, size: int = 2, rng: random.Random | None = None) -> PairingPanel:
    """Random pairs or small groups for an exercise, with new partners each round.

    Type first names (one per line) or give a head count, choose the group size, then
    "Make groups"; "Next round" keeps earlier partners apart where possible and rotates
    the roles of speaker, listener and observer.
    """
    return PairingPanel(size=size, rng=rng)


# --------------------------------------------------------------------------- notes


_PRIVATE_NOTE = "Only you can see these notes. Hide them before sharing your screen."


def notes_html(session: int | str) -> str:
    """The facilitator's notes for a session as HTML (every point escaped)."""
    entry = facilitation.notes(session)
    sections = [
        ("Aims", entry["aims"]),
        ("What to watch for", entry["watch_for"]),
        ("If someone is distressed", entry["distress"]),
        ("Timing", entry["timing"]),
    ]
    body = "".join(tag("h3", title) + bullets(points) for title, points in sections)
    return (
        f'<section class="rd-card rd-card--warning rd-fac-notes" aria-label="Facilitator notes">'
        f"{tag('h2', 'Facilitator notes: ' + entry['title'])}"
        f"{tag('p', _PRIVATE_NOTE, class_='rd-small')}"
        f"{body}</section>"
    )


class NotesPanel(w.VBox):
    """Notes that appear only after the facilitator types the key ``rdlearn serve`` printed."""

    def __init__(self, session: int | str, *, environ: Mapping[str, str] | None = None):
        facilitation.notes(session)  # refuse an unknown session at once
        self.session = session
        self._environ = os.environ if environ is None else environ
        self.key = w.Password(
            description="Facilitator key", placeholder="the key rdlearn serve printed",
            style={"description_width": "initial"},
        )
        self.show_button = w.Button(description="Show facilitator notes")
        self.hide_button = w.Button(description="Hide notes", disabled=True)
        self.message = w.HTML()
        self.notes = w.HTML()
        self.show_button.on_click(lambda _: self._show())
        self.hide_button.on_click(lambda _: self._hide())
        super().__init__(
            [w.HBox([self.key, self.show_button, self.hide_button]), self.message, self.notes]
        )

    @property
    def is_facilitator(self) -> bool:
        """True when the typed key matches the one in ``RDLEARN_FACILITATOR_KEY``."""
        return self._key_matches(self.key.value)

    def _key_matches(self, typed: object) -> bool:
        expected = (self._environ.get(FACILITATOR_KEY_VARIABLE) or "").strip()
        if not expected or not isinstance(typed, str):
            return False
        return hmac.compare_digest(typed.strip().encode(), expected.encode())

    def _show(self) -> None:
        expected = (self._environ.get(FACILITATOR_KEY_VARIABLE) or "").strip()
        if not expected:
            self.message.value = _message(
                "Facilitator notes are locked: start the app with 'rdlearn serve', which "
                "prints the facilitator key."
            )
            return
        matched = self._key_matches(self.key.value)
        self.key.value = ""
        if not matched:
            self.message.value = _message("That key does not match; check what rdlearn printed.")
            self._hide()
            return
        self.message.value = ""
        self.notes.value = notes_html(self.session)
        self.hide_button.disabled = False

    def _hide(self) -> None:
        self.notes.value = ""
        self.hide_button.disabled = True


def notes_panel(
    session: int | str, *, environ: Mapping[str, str] | None = None
) -> NotesPanel:
    """Facilitator notes for a session (1-4) or ``"keynote"``, behind the facilitator key.

    Nothing of the notes reaches the page until the key typed in the box matches the
    environment variable ``RDLEARN_FACILITATOR_KEY`` (set by ``rdlearn serve``).
    """
    return NotesPanel(session, environ=environ)


# --------------------------------------------------------------------------- running clock


def _default_clock() -> _dt.time:
    return _dt.datetime.now().time()


def agenda_html(
    blocks: list[facilitation.Block], *, day: int, now_index: int | None, caption: str
) -> str:
    """The agenda of one day as an accessible table, the running block highlighted."""
    rows = []
    for index, block in enumerate(blocks):
        if block.day != day:
            continue
        attrs = []
        classes = []
        if index == now_index:
            classes.append("rd-fac-now")
            attrs.append(' aria-current="time"')
        if block.kind in {"break", "lunch"}:
            classes.append("rd-fac-break")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        title = esc(block.title)
        if index == now_index:
            title += '<span class="rd-fac-badge">Now</span>'
        minutes = esc(block.minutes)
        if block.minutes != block.planned_minutes:
            planned = esc(block.planned_minutes)
            minutes += f' <span class="rd-fac-changed">(planned {planned})</span>'
        session = esc(block.session) if block.session else ""
        rows.append(
            f"<tr{cls}{''.join(attrs)}><td>{esc(block.start)}–{esc(block.end)}</td>"
            f"<td>{title}</td><td>{esc(block.kind_label)}</td><td>{session}</td>"
            f"<td>{minutes}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{esc(h)}</th>' for h in ("Time", "Block", "Kind", "Session", "Minutes")
    )
    return (
        f'{_CSS}<table class="rd-fac-agenda"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


class RunningClock(w.VBox):
    """The day's agenda with what is happening now, and re-planning after an overrun."""

    def __init__(
        self,
        format_id: str,
        *,
        start: str = "09:30",
        clock: Callable[[], _dt.time | str] | None = None,
    ):
        self.format_id = format_id
        self._clock = clock or _default_clock
        self.blocks = facilitation.agenda(format_id, start=start)
        days = sorted({b.day for b in self.blocks})
        self.start = w.Text(value=facilitation.clock_text(facilitation.parse_time(start)),
                            description="Day starts at", style={"description_width": "initial"},
                            layout=w.Layout(width="14rem"))
        self.start_button = w.Button(description="Set start time")
        self.day = w.Dropdown(options=[(f"Day {d}", d) for d in days], value=days[0],
                              description="Day", layout=w.Layout(display="" if len(days) > 1
                                                                 else "none"))
        self.refresh_button = w.Button(description="Refresh: what is now?")
        self.block = w.Dropdown(description="Block", style={"description_width": "initial"},
                                layout=w.Layout(width="34rem"))
        self.ran_over = w.IntText(value=5, description="ran over by (minutes)",
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="16rem"))
        self.recover = w.Checkbox(value=False, description="Shorten flexible blocks to catch up",
                                  indent=False)
        self.replan_button = w.Button(description="Re-plan the rest of the day",
                                      button_style="primary")
        self.original_button = w.Button(description="Back to the original plan")
        self.summary = w.HTML()
        self.table = w.HTML()
        self.message = w.HTML()
        self.start_button.on_click(lambda _: self._set_start())
        self.refresh_button.on_click(lambda _: self.refresh())
        self.day.observe(lambda _: self.refresh(), names="value")
        self.replan_button.on_click(lambda _: self._replan())
        self.original_button.on_click(lambda _: self._set_start())
        super().__init__(
            [
                w.HBox([self.start, self.start_button, self.day, self.refresh_button]),
                self.summary,
                self.table,
                w.HBox([self.block, self.ran_over]),
                w.HBox([self.recover, self.replan_button, self.original_button]),
                self.message,
            ],
        )
        self.refresh()

    def _now(self):
        return self._clock()

    def now_index(self) -> int | None:
        """The position of the block running now on the chosen day (``None`` outside it)."""
        return facilitation.block_at(self.blocks, self._now(), day=self.day.value)

    def refresh(self, *, keep_selection: bool = False) -> None:
        """Redraw the table and the summary for the current time."""
        day = self.day.value
        now_index = self.now_index()
        day_blocks = [(i, b) for i, b in enumerate(self.blocks) if b.day == day]
        previous = self.block.value
        self.block.options = [(f"{b.start} {b.title}", i) for i, b in day_blocks]
        if keep_selection and previous in dict(self.block.options).values():
            self.block.value = previous
        elif now_index is not None:
            self.block.value = now_index
        finish = day_blocks[-1][1].end
        now_text = facilitation.clock_text(facilitation.parse_time(self._now()))
        if now_index is not None:
            running = self.blocks[now_index]
            text = (f"It is {now_text}. Now: {running.title} (until {running.end}). "
                    f"The day ends at {finish}.")
        else:
            text = f"It is {now_text}, outside the day's agenda. The day ends at {finish}."
        self.summary.value = tag("p", text, class_="rd-lede", role="status")
        caption = f"Agenda, day {day}" if len(self.day.options) > 1 else "Agenda"
        self.table.value = agenda_html(self.blocks, day=day, now_index=now_index, caption=caption)

    def _set_start(self) -> None:
        try:
            blocks = facilitation.agenda(self.format_id, start=self.start.value)
        except ValueError as exc:
            self.message.value = _message(str(exc))
            return
        self.blocks = blocks
        self.start.value = blocks[0].start
        self.message.value = _message("The agenda is back to its plan.", problem=False)
        self.refresh()

    def _replan(self) -> None:
        index = self.block.value
        minutes = self.ran_over.value
        if index is None or not isinstance(index, int) or not 0 <= index < len(self.blocks):
            self.message.value = _message("Choose the block that ran over.")
            return
        now = self._now() if index == self.now_index() else None
        try:
            result = facilitation.replan(
                self.blocks, now=now, current_index=index, ran_over=minutes,
                recover=bool(self.recover.value),
            )
        except ValueError as exc:
            self.message.value = _message(str(exc))
            return
        self.blocks = result.blocks
        self.refresh(keep_selection=True)
        changes = bullets(result.changes) if result.changes else ""
        self.message.value = tag("p", result.summary, role="status") + changes


def running_clock(
    format_id: str,
    *,
    start: str = "09:30",
    clock: Callable[[], _dt.time | str] | None = None,
) -> RunningClock:
    """The agenda of the day with the running block highlighted, and re-planning.

    Mark "this block ran over by N minutes" to see the rest of the day moved and the new
    finishing time; optionally shorten the blocks marked flexible to catch up.
    ``clock`` (returning a time of day) is for tests.
    """
    return RunningClock(format_id, start=start, clock=clock)
