"""The facilitator's agenda widgets: the running clock of the day and the notes panel.

The arithmetic is plain functions (:mod:`rdlearn.agenda.timetable`,
:mod:`rdlearn.agenda.replan`, :mod:`rdlearn.agenda.notes`); these widgets only gather
values, check them (a browser can send any value) and show results. Every text that comes
from a person or a data file is escaped before it is shown. The countdown is
:mod:`rdlearn.timer.widget`, the pairing panel :mod:`rdlearn.grouping.widget`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Mapping

import ipywidgets as w

from rdlearn.agenda.notes import notes
from rdlearn.agenda.panel import status, stylesheet
from rdlearn.agenda.replan import replan
from rdlearn.agenda.timetable import Block, agenda, block_at, clock_text, parse_time
from rdlearn.web.facilitator import KEY_VARIABLE, expected_key, key_matches
from rdlearn.web.html import bullets, esc, tag

__all__ = [
    "notes_panel",
    "running_clock",
    "NotesPanel",
    "RunningClock",
    "FACILITATOR_KEY_VARIABLE",
]

#: The environment variable holding the key that ``rdlearn serve`` prints (the one
#: :mod:`rdlearn.web.facilitator` reads).
FACILITATOR_KEY_VARIABLE = KEY_VARIABLE


# --------------------------------------------------------------------------- notes


_PRIVATE_NOTE = "Only you can see these notes. Hide them before sharing your screen."


def notes_html(session: int | str) -> str:
    """The facilitator's notes for a session as HTML (every point escaped)."""
    entry = notes(session)
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
        notes(session)  # refuse an unknown session at once
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
        return key_matches(self.key.value, self._environ)

    def _show(self) -> None:
        if not expected_key(self._environ):
            self.message.value = status(
                "Facilitator notes are locked: start the app with 'rdlearn serve', which "
                "prints the facilitator key."
            )
            return
        matched = key_matches(self.key.value, self._environ)
        self.key.value = ""
        if not matched:
            self.message.value = status("That key does not match; check what rdlearn printed.")
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
    blocks: list[Block], *, day: int, now_index: int | None, caption: str
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
        f'{stylesheet("agenda.css")}<table class="rd-fac-agenda"><caption>{esc(caption)}</caption>'
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
        self.blocks = agenda(format_id, start=start)
        days = sorted({b.day for b in self.blocks})
        self.start = w.Text(value=clock_text(parse_time(start)),
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
        return block_at(self.blocks, self._now(), day=self.day.value)

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
        now_text = clock_text(parse_time(self._now()))
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
            blocks = agenda(self.format_id, start=self.start.value)
        except ValueError as exc:
            self.message.value = status(str(exc))
            return
        self.blocks = blocks
        self.start.value = blocks[0].start
        self.message.value = status("The agenda is back to its plan.", problem=False)
        self.refresh()

    def _replan(self) -> None:
        index = self.block.value
        minutes = self.ran_over.value
        if index is None or not isinstance(index, int) or not 0 <= index < len(self.blocks):
            self.message.value = status("Choose the block that ran over.")
            return
        now = self._now() if index == self.now_index() else None
        try:
            result = replan(
                self.blocks, now=now, current_index=index, ran_over=minutes,
                recover=bool(self.recover.value),
            )
        except ValueError as exc:
            self.message.value = status(str(exc))
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
