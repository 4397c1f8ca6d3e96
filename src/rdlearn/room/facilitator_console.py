"""The facilitator's console for the room: workshop code, questions, reveal, moderation.

:func:`console` refuses every action until the facilitator key (printed by
``rdlearn serve``) has been entered, and checks it again before each action
(:func:`rdlearn.web.facilitator.key_matches`). From it the facilitator opens a workshop,
opens, closes and reveals questions, approves words and lines, reveals the connection
exercise's shared r values (the room's answers under
:data:`rdlearn.room.questions.CONNECTION_QUESTION_ID`), and exports counts:
:func:`export_csv` and :func:`summary_html` give counts, never tokens.

In a room served behind a hub login, a member of the room's facilitators group does not type
the key: :class:`KeyFromLogin` asks the room's server for it from the browser (the server
answers that group only) and the console checks it like a typed key.
"""

from __future__ import annotations

import base64
import csv
import io
import time
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.content import loader as content
from rdlearn.room import follow
from rdlearn.room import questions as room_questions
from rdlearn.room.questions import CONNECTION_QUESTION_ID, Question, WorkshopCodeError
from rdlearn.room.store import Store, StoreError
from rdlearn.room.widgets import (
    REFRESH_EVERY,
    Room,
    RoomLink,
    default_store,
    message_box,
    participant_room,
    say,
)
from rdlearn.web import assets, facilitator
from rdlearn.web.html import tag

__all__ = ["Console", "KeyFromLogin", "console", "export_csv", "summary_html"]

_NO_KEY = "Enter the facilitator key first (rdlearn serve printed it when it started)."


class KeyFromLogin(anywidget.AnyWidget):
    """Invisible: the facilitator key as the room's server gives it to its login's facilitators.

    Added only behind a login (:func:`rdlearn.web.facilitator.behind_login`). The browser
    asks ``rdlearn/facilitator`` (``facilitator_key.js``); only a string of at most 200
    characters is accepted, and the console checks it like a typed key.
    """

    _esm = assets.esm("facilitator_key.js")
    key = traitlets.Unicode("").tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        """Accept from the browser only a key that is a short string."""
        key = sync_data.get("key")
        if isinstance(key, str) and len(key) <= 200:
            super().set_state({"key": key})


class Console(w.VBox):
    """The facilitator's console. Every action checks the facilitator key first."""

    def __init__(self, *, room: Room, store: Store, questions: dict[str, Question],
                 clock: Callable[[], float]):
        self.room = room
        self.store = store
        self.questions = questions
        self.clock = clock
        self._key = ""
        self._last_refresh = float("-inf")
        self._queue_ids: tuple = ()
        self.link = RoomLink(wants_token=False)
        self.key_from_login = KeyFromLogin() if facilitator.behind_login() else None

        self.key_input = w.Password(description="Facilitator key")
        self.unlock_button = w.Button(description="Unlock the console", button_style="primary")
        self.key_input.add_class("rd-group-console-key")
        self.key_row = w.HBox([self.key_input, self.unlock_button])
        self.key_message = message_box(kind="message")
        self.unlock_button.on_click(lambda _: self.unlock(self.key_input.value))

        self.code_input = w.Text(description="Workshop code", placeholder="e.g. RD7K3Q")
        self.code_input.add_class("rd-group-console-code")
        self.open_workshop_button = w.Button(description="Open this workshop")
        self.new_code_button = w.Button(description="Make a new code")
        self.workshop_message = message_box(kind="message")
        self.open_workshop_button.on_click(lambda _: self.open_workshop(self.code_input.value))
        self.new_code_button.on_click(
            lambda _: self.open_workshop(room_questions.new_workshop_code()))

        # "We are now in session 3": the day pages offer a button to go there.
        self.session_picker = w.ToggleButtons(
            description="Session",
            options=[(f"Session {s['number']}", s["number"])
                     for s in content.workshop()["sessions"]],
            style={"button_width": "auto"},
        )
        self.tell_button = w.Button(description="Tell the room", button_style="primary")
        self.session_message = message_box(kind="message")
        self.tell_button.on_click(lambda _: self.tell_room(self.session_picker.value))

        # A list of choices, not a drop-down: a question's whole text shows, on a phone too.
        self.question_picker = w.RadioButtons(
            description="Question",
            options=[(q.text, q.id) for q in questions.values()],
            layout=w.Layout(width="100%"),
        )
        self.question_picker.add_class("rd-group-console-question")
        self.open_button = w.Button(description="Open for answers")
        self.close_button = w.Button(description="Close answers")
        self.reveal_button = w.Button(description="Reveal to the room", button_style="primary")
        self.hide_button = w.Button(description="Hide from the room")
        self.status = message_box(kind="status")
        self.preview = message_box(kind="results")
        self.queue_box = w.VBox()
        self.queue_box.add_class("rd-group-queue")
        self.open_button.on_click(lambda _: self.set_question(open_=True))
        self.close_button.on_click(lambda _: self.set_question(open_=False))
        self.reveal_button.on_click(lambda _: self.reveal(True))
        self.hide_button.on_click(lambda _: self.reveal(False))
        self.question_picker.observe(lambda _: self.refresh(force=True), names="value")

        self.pairs_status = message_box(kind="pairs-status")
        self.pairs_message = message_box(kind="message")
        self.pairs_reveal_button = w.Button(description="Reveal the pairs' results to the room",
                                            button_style="primary")
        self.pairs_reveal_button.on_click(lambda _: self.reveal_pairs())

        self.export_button = w.Button(description="Export the counts (CSV)")
        self.purge_confirm = w.Checkbox(description="Yes, delete this workshop's answers",
                                        indent=False)
        self.purge_button = w.Button(description="Delete now", button_style="danger")
        self.export_box = message_box(kind="export")
        self.export_button.on_click(lambda _: self.export())
        self.purge_button.on_click(lambda _: self.purge())

        self.panel = w.VBox([
            w.HTML(tag("h2", "Workshop")),
            w.HBox([self.code_input, self.open_workshop_button, self.new_code_button]),
            self.workshop_message,
            w.HTML(tag("h2", "Where the room is")),
            w.HTML(tag("p", "The participants' day pages show a note with a button to go to "
                            "the session you choose; nobody is moved while writing.",
                       class_="rd-small")),
            self.session_picker,
            w.HBox([self.tell_button]),
            self.session_message,
            w.HTML(tag("h2", "Questions")),
            self.question_picker,
            w.HBox([self.open_button, self.close_button, self.reveal_button, self.hide_button]),
            self.status,
            self.preview,
            w.HTML(tag("h2", "Waiting for your approval")),
            self.queue_box,
            w.HTML(tag("h2", "Connection-rating pairs")),
            self.pairs_status,
            w.HBox([self.pairs_reveal_button]),
            self.pairs_message,
            w.HTML(tag("h2", "After the workshop")),
            w.HBox([self.export_button]),
            self.export_box,
            w.HBox([self.purge_confirm, self.purge_button]),
        ])
        self.panel.layout.display = "none"
        self.message = message_box(kind="message")
        self.link.observe(lambda _: self.refresh(), names="tick")
        if self.key_from_login is not None:
            self.key_from_login.observe(self._key_arrived, names="key")
        super().__init__([
            self.link,
            *([self.key_from_login] if self.key_from_login is not None else []),
            self.key_row,
            self.key_message,
            self.message,
            self.panel,
        ])
        self.add_class("rd-group-console")

    # -- the key

    def authorised(self) -> bool:
        """Whether the key entered matches ``RDLEARN_FACILITATOR_KEY`` (checked every time)."""
        return facilitator.key_matches(self._key)

    def _refuse(self) -> bool:
        if self.authorised():
            return False
        say(self.message, _NO_KEY, role="alert")
        return True

    def _key_arrived(self, change) -> None:
        if change["new"] and not self.authorised():
            self.unlock(change["new"], from_login=True)
        self.key_from_login.key = ""  # the kernel keeps the key it checked, nothing else

    def unlock(self, key: Any, *, from_login: bool = False) -> bool:
        """Check the facilitator key; show the controls only if it is right.

        ``from_login``: the key came from the room's login (:class:`KeyFromLogin`), not typed.
        """
        if from_login and not facilitator.key_matches(key):
            return False  # the prompt stays as it is: the facilitator can still type the key
        self.key_input.value = ""
        if not facilitator.expected_key():
            say(self.key_message, "No facilitator key is set on this server: start the app "
                                   "with `rdlearn serve`, which prints one.", role="alert")
            return False
        self._key = key if isinstance(key, str) else ""
        if not self.authorised():
            self._key = ""
            self.panel.layout.display = "none"
            say(self.key_message, "That is not the facilitator key. Check the key that "
                                   "rdlearn serve printed and try again.", role="alert")
            return False
        self.panel.layout.display = None
        try:
            open_now = self.store.workshops()
        except StoreError:
            open_now = []
        listed = f" Workshops open on this server: {', '.join(open_now)}." if open_now else ""
        how = " (you are a facilitator of this room on the hub)" if from_login else ""
        if from_login:
            self.key_row.layout.display = "none"  # nothing to type
        say(self.key_message, f"Console unlocked{how}." + listed)
        self.message.value = ""
        self.refresh(force=True)
        return True

    # -- actions

    def _workshop_to_act_on(self) -> str | None:
        """The open workshop's code, if the key allows acting and a workshop is open."""
        if self._refuse():
            return None
        return self._code()

    def _code(self) -> str | None:
        if not self.room.code:
            say(self.message, "Open a workshop first (type a code or make a new one).",
                 role="alert")
            return None
        return self.room.code

    def _question(self) -> Question | None:
        q = self.questions.get(self.question_picker.value)
        if q is None:
            say(self.message, "Choose one of the questions in the list.", role="alert")
        return q

    def open_workshop(self, text: Any) -> bool:
        """Create (or reopen) the workshop with this code and make it this page's room."""
        if self._refuse():
            return False
        try:
            code = self.store.create_workshop(text)
        except (WorkshopCodeError, StoreError) as exc:
            say(self.workshop_message, str(exc), role="alert")
            return False
        self.code_input.value = code
        self.room.code = code
        say(self.workshop_message, f"Workshop {code} is open. Participants type {code} on "
                                    f"their page, or add ?workshop={code} to its address.")
        self.message.value = ""
        self.refresh(force=True)
        return True

    def set_question(self, *, open_: bool) -> bool:
        """Open or close the chosen question for answers."""
        code = self._workshop_to_act_on()
        q = self._question() if code is not None else None
        if code is None or q is None:
            return False
        change = self.store.open_question if open_ else self.store.close_question
        return self._store_action(lambda: change(code, q.id))

    def reveal(self, revealed: bool = True) -> bool:
        """Reveal the chosen question's results to the room (or hide them again)."""
        code = self._workshop_to_act_on()
        q = self._question() if code is not None else None
        if code is None or q is None:
            return False
        return self._store_action(lambda: self.store.reveal(code, q.id, revealed=revealed))

    def _store_action(self, act, *, errors: tuple = (StoreError,), clear: bool = True) -> bool:
        """Run one change to the store; say what went wrong, or refresh the console."""
        try:
            act()
        except errors as exc:
            say(self.message, str(exc), role="alert")
            return False
        if clear:
            self.message.value = ""
        self.refresh(force=True)
        return True

    def tell_room(self, number: Any) -> bool:
        """Tell the day pages that the room is in session ``number`` now."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        done = self._store_action(lambda: follow.set_room_session(self.store, code, number),
                                  errors=(StoreError, ValueError))
        if done:
            say(self.session_message, f"The day pages now offer session {number}.")
        return done

    def reveal_pairs(self) -> bool:
        """Show the room the pairs' shared r values, once at least five pairs have shared."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        try:
            shared = self.store.count(code, CONNECTION_QUESTION_ID)
            if shared < room_questions.MIN_ANSWERS:
                least = room_questions.MIN_ANSWERS
                say(self.pairs_message, f"Waiting for at least {least} pairs to "
                                         f"share their r ({shared} so far); nothing has been "
                                         "shown to the room.", role="alert")
                return False
            self.store.reveal(code, CONNECTION_QUESTION_ID)
        except StoreError as exc:
            say(self.pairs_message, str(exc), role="alert")
            return False
        say(self.pairs_message, f"The room now sees the spread of r from {shared} pairs.")
        self.refresh(force=True)
        return True

    def _show_pairs(self, code: str) -> None:
        try:
            shared = self.store.count(code, CONNECTION_QUESTION_ID)
            revealed = self.store.question_state(code, CONNECTION_QUESTION_ID)["revealed"]
        except StoreError as exc:
            say(self.pairs_message, str(exc), role="alert")
            return
        pairs_word = "pair has" if shared == 1 else "pairs have"
        where = "shown to the room" if revealed else "hidden from the room"
        self.pairs_status.value = tag("p", f"{shared} {pairs_word} shared their r · {where}",
                                      role="status")

    def moderate(self, answer_id: int, *, approve: bool) -> bool:
        """Approve or reject one word or line waiting in the queue."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        return self._store_action(
            lambda: self.store.moderate(code, answer_id, approve=approve),
            errors=(StoreError, ValueError), clear=False)

    def export(self) -> bool:
        """Offer the counts as a CSV download and show the summary (no tokens, no names)."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        try:
            text = export_csv(code, store=self.store, questions=self.questions)
            summary = summary_html(code, store=self.store, questions=self.questions)
        except StoreError as exc:
            say(self.message, str(exc), role="alert")
            return False
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        link = tag("a", f"Download rdlearn-{code}.csv", href=f"data:text/csv;base64,{data}",
                   download=f"rdlearn-{code}.csv")
        self.export_box.value = tag("p", raw=link) + summary
        return True

    def purge(self) -> bool:
        """Delete this workshop's answers now (asks for the confirmation box first)."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        if not self.purge_confirm.value:
            say(self.message, "Tick the confirmation box first: deleting cannot be undone.",
                 role="alert")
            return False
        try:
            self.store.purge(code)
        except StoreError as exc:
            say(self.message, str(exc), role="alert")
            return False
        self.purge_confirm.value = False
        self.room.code = ""
        self.export_box.value = ""
        say(self.message, f"Every answer of workshop {code} has been deleted.")
        self.refresh(force=True)
        return True

    # -- showing

    def refresh(self, *, force: bool = False) -> None:
        """Update the status line, the preview and the moderation queue from the store."""
        now = self.clock()
        if not force and now - self._last_refresh < REFRESH_EVERY:
            return
        self._last_refresh = now
        if not self.authorised() or not self.room.code:
            self.status.value = ""
            self.preview.value = ""
            self.pairs_status.value = ""
            self.queue_box.children = ()
            self._queue_ids = ()
            return
        self._show_pairs(self.room.code)
        q = self.questions.get(self.question_picker.value)
        if q is None:
            return
        code = self.room.code
        try:
            state = self.store.question_state(code, q.id)
            answers = self.store.answers(code, q.id)
            queue = self.store.moderation_queue(code)
        except StoreError as exc:
            say(self.message, str(exc), role="alert")
            return
        summary = room_questions.aggregate(q, answers)
        parts = [
            "open for answers" if state["open"] else "closed",
            f"{len(answers)} answer{'s' if len(answers) != 1 else ''}",
            "shown to the room" if state["revealed"] else "hidden from the room",
        ]
        if q.moderated:
            parts.append(f"{summary.pending} waiting for approval")
        self.status.value = tag("p", "Workshop " + code + " · " + " · ".join(parts),
                                role="status")
        self.preview.value = room_questions.results_html(q, summary)
        ids = tuple((item["id"], item["value"]) for item in queue)
        if ids != self._queue_ids:
            self._queue_ids = ids
            self.queue_box.children = tuple(self._queue_row(item) for item in queue) or (
                w.HTML(tag("p", "Nothing is waiting.", class_="rd-small")),)

    def _queue_row(self, item: dict) -> w.HBox:
        q = self.questions.get(item["question_id"])
        label = w.HTML(tag("p", raw=tag("strong", item["value"]) + " "
                           + tag("span", f"({q.text if q else item['question_id']})",
                                 class_="rd-small")))
        approve = w.Button(description="Approve", button_style="success")
        reject = w.Button(description="Reject")
        answer_id = int(item["id"])
        approve.on_click(lambda _: self.moderate(answer_id, approve=True))
        reject.on_click(lambda _: self.moderate(answer_id, approve=False))
        row = w.HBox([label, approve, reject])
        row.answer_id = answer_id  # type: ignore[attr-defined]
        return row


def console(*, store: Store | None = None,
            clock: Callable[[], float] = time.monotonic) -> Console:
    """The facilitator's console: workshop code, questions, reveal, moderation, pairs, export.

    Nothing works until the facilitator key (``RDLEARN_FACILITATOR_KEY``, printed by
    ``rdlearn serve``) has been entered.
    """
    return Console(room=participant_room(), store=default_store(store),
                   questions=room_questions.load_questions(), clock=clock)


# --------------------------------------------------------------------------- export


def _cell(text: str) -> str:
    # A spreadsheet would run text starting with = + - @ as a formula: keep it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _summaries(workshop: str, store: Store | None, questions: dict[str, Question] | None):
    shared = default_store(store)
    code = room_questions.normalise_workshop_code(workshop)
    questions = questions if questions is not None else room_questions.load_questions()
    answered = set(shared.answered_questions(code))
    for q in questions.values():
        if q.id in answered:
            yield code, q, room_questions.aggregate(q, shared.answers(code, q.id))


def export_csv(workshop: str, *, store: Store | None = None,
               questions: dict[str, Question] | None = None) -> str:
    """The workshop's results as CSV: one row per answer and count (no tokens, no times).

    Questions with fewer than five answers show only how many answers there were; words
    and lines appear only when approved.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["workshop", "question_id", "question", "answers_in_total", "answer",
                     "count"])
    for code, q, summary in _summaries(workshop, store, questions):
        base = [code, q.id, q.text, summary.n]
        if not summary.ready:
            hidden = f"(fewer than {room_questions.MIN_ANSWERS} answers: not shown)"
            writer.writerow([*base, hidden, ""])
        elif q.kind == room_questions.SHARE_LINE:
            for line in summary.lines:
                writer.writerow([*base, _cell(line), 1])
        else:
            for label, count in summary.counts:
                writer.writerow([*base, _cell(label), count])
    return buffer.getvalue()


def summary_html(workshop: str, *, store: Store | None = None,
                 questions: dict[str, Question] | None = None) -> str:
    """The workshop's results as escaped HTML for the facilitator (counts only)."""
    parts = []
    code = room_questions.normalise_workshop_code(workshop)
    for _, q, summary in _summaries(code, store, questions):
        parts.append(tag("section", raw=room_questions.results_html(q, summary),
                         class_="rd-card rd-card--results"))
    if not parts:
        parts.append(tag("p", "No answers have been given in this workshop."))
    return tag("div", raw=tag("h2", f"Workshop {code}: the room's answers") + "".join(parts),
               class_="rd-group-summary")
