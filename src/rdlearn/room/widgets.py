"""Widgets for the room's shared questions: joining, answering, the facilitator's console.

* :func:`join` lets a participant join the room with the workshop code (read from the
  page address ``?workshop=CODE`` under Voilà, or typed).
* :func:`ask` shows the open question, takes an answer and, once the facilitator has
  revealed them, the room's results. It checks the store about once a second, driven by a
  timer in the browser, so a new vote shows within two seconds.
* :func:`console` is the facilitator's console: it refuses every action until the
  facilitator key (printed by ``rdlearn serve``) has been entered.
* :func:`room_vs_research` sets the room's answer beside the published figure.
* :func:`export_csv` and :func:`summary_html` give the facilitator counts, never tokens.

Every value a browser sends is checked here in Python; every text is escaped.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.room import questions as room_questions
from rdlearn.room.questions import AnswerError, Question, WorkshopCodeError
from rdlearn.room.store import Store, StoreError
from rdlearn.web.html import tag

__all__ = [
    "Room",
    "RoomLink",
    "JoinWidget",
    "AskWidget",
    "Console",
    "participant_room",
    "join",
    "ask",
    "console",
    "room_vs_research",
    "room_vs_research_figure",
    "export_csv",
    "summary_html",
    "TOKEN_KEY",
]

#: Where the browser keeps its anonymous token (a JSON object, like the journal's items).
TOKEN_KEY = "rdlearn:v1:token"

_REFRESH_EVERY = 0.5  # seconds: ticks arriving faster than this are ignored

_LINK_ESM = """
const KEY = "rdlearn:v1:token";
const PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

function newToken() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function browserToken() {
  try {
    const item = JSON.parse(window.localStorage.getItem(KEY) || "null");
    if (item && typeof item.token === "string" && PATTERN.test(item.token)) return item.token;
  } catch (err) {
    // unreadable or unavailable storage: a fresh token below
  }
  const token = newToken();
  try {
    const item = { type: "group-token", token: token, updated: new Date().toISOString() };
    window.localStorage.setItem(KEY, JSON.stringify(item));
  } catch (err) {
    // private browsing: the token lasts as long as the page
  }
  return token;
}

export default {
  render({ model, el }) {
    el.style.display = "none";
    let tick = model.get("tick");
    if (model.get("wants_token")) model.set("token", browserToken());
    model.set("tick", ++tick);
    model.save_changes();
    const every = Math.max(500, model.get("interval_ms") || 1000);
    const timer = setInterval(() => {
      if (document.hidden) return;
      model.set("tick", ++tick);
      model.save_changes();
    }, every);
    return () => clearInterval(timer);
  },
};
"""


class RoomLink(anywidget.AnyWidget):
    """An invisible link to the browser: its anonymous token and a timer tick.

    The browser keeps a random token in ``localStorage`` (:data:`TOKEN_KEY`), used only
    to stop double votes, and increases ``tick`` about once a second while the page is
    visible. Only these two values are accepted from the browser, and only valid ones.
    """

    _esm = _LINK_ESM
    token = traitlets.Unicode("").tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    wants_token = traitlets.Bool(True).tag(sync=True)
    interval_ms = traitlets.Int(1000).tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        accepted = {}
        if "token" in sync_data and room_questions.normalise_token(sync_data["token"]):
            accepted["token"] = sync_data["token"]
        tick = sync_data.get("tick")
        if isinstance(tick, int) and not isinstance(tick, bool) and 0 <= tick < 2**31:
            accepted["tick"] = tick
        if accepted:
            super().set_state(accepted)


class Room(traitlets.HasTraits):
    """The workshop this page has joined (one per kernel, i.e. per open page)."""

    code = traitlets.Unicode("")


_ROOM: Room | None = None


def participant_room() -> Room:
    """This page's room (shared by :func:`join`, :func:`ask` and :func:`room_vs_research`)."""
    global _ROOM
    if _ROOM is None:
        _ROOM = Room()
    return _ROOM


def _html(text: str = "", *, kind: str = "note") -> w.HTML:
    box = w.HTML(tag("p", text) if text else "")
    box.add_class(f"rd-group-{kind}")
    return box


def _say(box: w.HTML, text: str, *, role: str = "status") -> None:
    box.value = tag("p", text, role=role) if text else ""


def _store(store: Store | None) -> Store:
    return store if store is not None else Store()


# --------------------------------------------------------------------------- joining


_ADDRESS_ESM = """
export default {
  render({ model, el }) {
    el.style.display = "none";
    const code = new URLSearchParams(window.location.search).get("workshop") || "";
    model.set("code", code.slice(0, 32));
    model.save_changes();
  },
};
"""


class AddressCode(anywidget.AnyWidget):
    """Reads ``?workshop=CODE`` from the page address in the browser and sends it here.

    Reading it in the browser (rather than with ``voila.utils.get_query_string()``) keeps a
    preheated kernel from waiting for its visitor, so the pool is ready before anyone comes.
    """

    _esm = _ADDRESS_ESM
    code = traitlets.Unicode("").tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        value = sync_data.get("code")
        if isinstance(value, str) and len(value) <= 32:
            super().set_state({"code": value})


def _code_from_query(query: str) -> str:
    values = parse_qs(query or "").get("workshop", [])
    return values[0] if values else ""


class JoinWidget(w.VBox):
    """The participant's "join the room" box."""

    def __init__(self, *, room: Room, store: Store, query_string: str | None):
        self.room = room
        self.store = store
        self.code_input = w.Text(description="Workshop code", placeholder="e.g. RD7K3Q")
        self.code_input.add_class("rd-group-join-code")
        self.join_button = w.Button(description="Join the room", button_style="primary")
        self.message = _html(kind="message")
        self.join_button.on_click(lambda _: self.join(self.code_input.value))
        children = [w.HBox([self.code_input, self.join_button]), self.message]
        if query_string is None:
            self.address = AddressCode()
            self.address.observe(lambda change: self._join_from_address(change["new"]), "code")
            children.append(self.address)
        super().__init__(children)
        self.add_class("rd-group-join")
        if room.code:
            self.code_input.value = room.code
            _say(self.message, f"You are in the room {room.code}.")
        elif query_string is not None:
            self._join_from_address(_code_from_query(query_string))

    def _join_from_address(self, code: str) -> None:
        if code and not self.room.code:
            self.code_input.value = code
            self.join(code)

    def join(self, text: Any) -> bool:
        """Join the workshop whose code is ``text``; say clearly if there is none."""
        try:
            code = room_questions.normalise_workshop_code(text)
        except WorkshopCodeError as exc:
            _say(self.message, str(exc), role="alert")
            return False
        try:
            exists = self.store.workshop_exists(code)
        except StoreError as exc:
            _say(self.message, f"Cannot reach the room's answers just now: {exc}.", role="alert")
            return False
        if not exists:
            _say(self.message, f"There is no workshop with the code {code} on this server. "
                               "Check the code on the screen and type it again.", role="alert")
            return False
        self.room.code = code
        _say(self.message, f"You are in the room {code}. Your answers are anonymous.")
        return True


def join(*, query_string: str | None = None, store: Store | None = None) -> JoinWidget:
    """The participant's box for joining the room with the workshop code.

    The code comes from the page address (``?workshop=CODE``, read in the browser, see
    :class:`AddressCode`), or from ``query_string`` when given; otherwise, or if the
    address holds none, the participant types it.
    """
    return JoinWidget(room=participant_room(), store=_store(store), query_string=query_string)


# --------------------------------------------------------------------------- answering


def _answer_input(q: Question) -> w.Widget:
    if q.kind == room_questions.SINGLE_CHOICE:
        return w.RadioButtons(options=[(o.label, o.id) for o in q.options], value=None,
                              layout=w.Layout(width="auto"))
    if q.kind == room_questions.SCALE:
        points = [str(p) for p in q.scale_points()]
        # Each button shows a bare number; its tooltip (read by screen readers as the
        # button's description) says where it sits on the scale.
        span = f"from {q.scale_min} ({q.low_label}) to {q.scale_max} ({q.high_label})"
        buttons = w.ToggleButtons(options=points, value=None,
                                  tooltips=[f"{p} on a scale {span}" for p in points],
                                  style={"button_width": "3rem"})
        anchors = w.HTML(tag("p", f"{q.scale_min} = {q.low_label} · "
                                  f"{q.scale_max} = {q.high_label}", class_="rd-small"))
        box = w.VBox([buttons, anchors])
        box.answer = buttons  # type: ignore[attr-defined]
        return box
    limit = room_questions.WORD_MAX_CHARS if q.kind == room_questions.ONE_WORD else room_questions.LINE_MAX_CHARS
    return w.Text(placeholder=f"up to {limit} characters", layout=w.Layout(width="100%"))


def _answer_value(widget: w.Widget) -> Any:
    return getattr(widget, "answer", widget).value


class AskWidget(w.VBox):
    """One question for the room: the answer form, then the results once revealed."""

    def __init__(self, *, question_id: str | None, room: Room, store: Store,
                 questions: dict[str, Question], clock: Callable[[], float]):
        self.question_id = question_id
        self.room = room
        self.store = store
        self.questions = questions
        self.clock = clock
        self._last_refresh = float("-inf")
        self.link = RoomLink()
        self.question_html = _html(kind="question")
        self.input_box = w.VBox()
        self.send_button = w.Button(description="Send my answer", button_style="primary")
        self.message = _html(kind="message")
        self.results = _html(kind="results")
        self.current: Question | None = None
        self.answer_input: w.Widget | None = None
        self._prefilled: tuple[str, str] | None = None
        self.send_button.on_click(lambda _: self.send())
        self.link.observe(lambda _: self.refresh(), names="tick")
        room.observe(lambda _: self.refresh(force=True), names="code")
        super().__init__([self.link, self.question_html, self.input_box, self.send_button,
                          self.message, self.results])
        self.add_class("rd-group-ask")
        self.refresh(force=True)

    # -- showing

    def _show_form(self, show: bool) -> None:
        display = None if show else "none"
        self.input_box.layout.display = display
        self.send_button.layout.display = display

    def refresh(self, *, force: bool = False) -> None:
        """Read the store and update the question, the form and the results."""
        now = self.clock()
        if not force and now - self._last_refresh < _REFRESH_EVERY:
            return
        self._last_refresh = now
        code = self.room.code
        if not code:
            self._idle("Join the room first: type the workshop code shown on the screen.")
            return
        try:
            qid = self.question_id or self.store.current_question(code)
            if qid is None:
                self._idle("No question is open at the moment. It will appear here when "
                           "the facilitator opens one.")
                return
            state = self.store.question_state(code, qid)
            answers = self.store.answers(code, qid) if state["revealed"] else []
        except StoreError as exc:
            _say(self.message, f"Cannot reach the room's answers just now: {exc}.", role="alert")
            return
        q = self.questions.get(qid)
        if q is None:
            self._idle("This question is not in this version of the workshop.")
            return
        if self.current is None or self.current.id != q.id:
            self.current = q
            self.answer_input = _answer_input(q)
            self.answer_input.add_class("rd-group-answer")
            self.input_box.children = (self.answer_input,)
            hint = tag("p", q.hint, class_="rd-small") if q.hint else ""
            self.question_html.value = tag("h3", q.text) + hint
            self.message.value = ""
        self._show_form(state["open"])
        if state["open"] and self._prefilled != (code, q.id):
            self._prefill(code, q)
        if not state["open"] and not state["revealed"]:
            _say(self.message, "This question is not open for answers yet.")
        if state["revealed"]:
            self.results.value = room_questions.results_html(q, room_questions.aggregate(q, answers))
        else:
            self.results.value = tag("p", "The room's answers appear here when the "
                                          "facilitator reveals them.", class_="rd-small")

    def _prefill(self, code: str, q: Question) -> None:
        """Show the answer this browser gave before (after a reload, say)."""
        token = room_questions.normalise_token(self.link.token)
        if token is None or self.answer_input is None:
            return
        self._prefilled = (code, q.id)
        try:
            previous = self.store.my_answer(code, q.id, token=token)
        except StoreError:
            return
        if previous is None:
            return
        control = getattr(self.answer_input, "answer", self.answer_input)
        try:
            control.value = previous
        except traitlets.TraitError:
            return
        _say(self.message, "You have answered this question; you can change your answer "
                           "while it is open.")

    def _idle(self, text: str) -> None:
        self.current = None
        self.question_html.value = ""
        self.input_box.children = ()
        self._show_form(False)
        self.results.value = ""
        _say(self.message, text)

    # -- answering

    def send(self) -> bool:
        """Check and record this browser's answer; say what happened."""
        q = self.current
        if q is None or self.answer_input is None or not self.room.code:
            _say(self.message, "There is no open question to answer.", role="alert")
            return False
        try:
            value = room_questions.validate_answer(q, _answer_value(self.answer_input))
        except AnswerError as exc:
            _say(self.message, str(exc), role="alert")
            return False
        token = room_questions.normalise_token(self.link.token)
        if token is None:
            _say(self.message, "This page is still connecting; please try again in a moment.",
                 role="alert")
            return False
        try:
            self.store.record_answer(self.room.code, q.id, token=token, value=value,
                                     moderation=room_questions.initial_moderation(q))
        except StoreError as exc:
            _say(self.message, f"Your answer was not saved: {exc}.", role="alert")
            return False
        self._prefilled = (self.room.code, q.id)
        note = " The facilitator reads words and lines before the room sees them." if (
            q.moderated) else ""
        _say(self.message, "Thank you, your answer is in. You can change it while the "
                           f"question is open.{note}")
        self.refresh(force=True)
        return True


def ask(question_id: str | None = None, *, store: Store | None = None,
        clock: Callable[[], float] = time.monotonic) -> AskWidget:
    """A question for the room: answer it, and see the results once they are revealed.

    Parameters
    ----------
    question_id
        A question from ``data/questions.yaml``; ``None`` follows whichever question the
        facilitator opened last.
    store, clock
        The shared store and a clock (tests pass their own).
    """
    questions = room_questions.load_questions()
    if question_id is not None and question_id not in questions:
        raise KeyError(f"there is no room question with the id {question_id!r}")
    return AskWidget(question_id=question_id, room=participant_room(), store=_store(store),
                     questions=questions, clock=clock)


# --------------------------------------------------------------------------- the console

_NO_KEY = "Enter the facilitator key first (rdlearn serve printed it when it started)."


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

        self.key_input = w.Password(description="Facilitator key")
        self.unlock_button = w.Button(description="Unlock the console", button_style="primary")
        self.key_input.add_class("rd-group-console-key")
        self.key_message = _html(kind="message")
        self.unlock_button.on_click(lambda _: self.unlock(self.key_input.value))

        self.code_input = w.Text(description="Workshop code", placeholder="e.g. RD7K3Q")
        self.code_input.add_class("rd-group-console-code")
        self.open_workshop_button = w.Button(description="Open this workshop")
        self.new_code_button = w.Button(description="Make a new code")
        self.workshop_message = _html(kind="message")
        self.open_workshop_button.on_click(lambda _: self.open_workshop(self.code_input.value))
        self.new_code_button.on_click(lambda _: self.open_workshop(room_questions.new_workshop_code()))

        self.question_picker = w.Dropdown(
            description="Question",
            options=[(q.text, q.id) for q in questions.values()],
            layout=w.Layout(width="100%"),
        )
        self.question_picker.add_class("rd-group-console-question")
        self.open_button = w.Button(description="Open for answers")
        self.close_button = w.Button(description="Close answers")
        self.reveal_button = w.Button(description="Reveal to the room", button_style="primary")
        self.hide_button = w.Button(description="Hide from the room")
        self.status = _html(kind="status")
        self.preview = _html(kind="results")
        self.queue_box = w.VBox()
        self.queue_box.add_class("rd-group-queue")
        self.open_button.on_click(lambda _: self.set_question(open_=True))
        self.close_button.on_click(lambda _: self.set_question(open_=False))
        self.reveal_button.on_click(lambda _: self.reveal(True))
        self.hide_button.on_click(lambda _: self.reveal(False))
        self.question_picker.observe(lambda _: self.refresh(force=True), names="value")

        self.pairs_status = _html(kind="pairs-status")
        self.pairs_message = _html(kind="message")
        self.pairs_reveal_button = w.Button(description="Reveal the pairs' results to the room",
                                            button_style="primary")
        self.pairs_reveal_button.on_click(lambda _: self.reveal_pairs())

        self.export_button = w.Button(description="Export the counts (CSV)")
        self.purge_confirm = w.Checkbox(description="Yes, delete this workshop's answers")
        self.purge_button = w.Button(description="Delete now", button_style="danger")
        self.export_box = _html(kind="export")
        self.export_button.on_click(lambda _: self.export())
        self.purge_button.on_click(lambda _: self.purge())

        self.panel = w.VBox([
            w.HTML(tag("h2", "Workshop")),
            w.HBox([self.code_input, self.open_workshop_button, self.new_code_button]),
            self.workshop_message,
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
        self.message = _html(kind="message")
        self.link.observe(lambda _: self.refresh(), names="tick")
        super().__init__([
            self.link,
            w.HBox([self.key_input, self.unlock_button]),
            self.key_message,
            self.message,
            self.panel,
        ])
        self.add_class("rd-group-console")

    # -- the key

    def authorised(self) -> bool:
        """Whether the key entered matches ``RDLEARN_FACILITATOR_KEY`` (checked every time)."""
        expected = os.environ.get("RDLEARN_FACILITATOR_KEY", "")
        if not expected or not self._key:
            return False
        return secrets.compare_digest(self._key.encode(), expected.encode())

    def _refuse(self) -> bool:
        if self.authorised():
            return False
        _say(self.message, _NO_KEY, role="alert")
        return True

    def unlock(self, key: Any) -> bool:
        """Check the facilitator key; show the controls only if it is right."""
        self.key_input.value = ""
        if not os.environ.get("RDLEARN_FACILITATOR_KEY"):
            _say(self.key_message, "No facilitator key is set on this server: start the app "
                                   "with `rdlearn serve`, which prints one.", role="alert")
            return False
        self._key = key if isinstance(key, str) else ""
        if not self.authorised():
            self._key = ""
            self.panel.layout.display = "none"
            _say(self.key_message, "That is not the facilitator key. Check the key that "
                                   "rdlearn serve printed and try again.", role="alert")
            return False
        self.panel.layout.display = None
        try:
            open_now = self.store.workshops()
        except StoreError:
            open_now = []
        listed = f" Workshops open on this server: {', '.join(open_now)}." if open_now else ""
        _say(self.key_message, "Console unlocked." + listed)
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
            _say(self.message, "Open a workshop first (type a code or make a new one).",
                 role="alert")
            return None
        return self.room.code

    def _question(self) -> Question | None:
        q = self.questions.get(self.question_picker.value)
        if q is None:
            _say(self.message, "Choose one of the questions in the list.", role="alert")
        return q

    def open_workshop(self, text: Any) -> bool:
        """Create (or reopen) the workshop with this code and make it this page's room."""
        if self._refuse():
            return False
        try:
            code = self.store.create_workshop(text)
        except (WorkshopCodeError, StoreError) as exc:
            _say(self.workshop_message, str(exc), role="alert")
            return False
        self.code_input.value = code
        self.room.code = code
        _say(self.workshop_message, f"Workshop {code} is open. Participants type {code} on "
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
        try:
            if open_:
                self.store.open_question(code, q.id)
            else:
                self.store.close_question(code, q.id)
        except StoreError as exc:
            _say(self.message, str(exc), role="alert")
            return False
        self.message.value = ""
        self.refresh(force=True)
        return True

    def reveal(self, revealed: bool = True) -> bool:
        """Reveal the chosen question's results to the room (or hide them again)."""
        code = self._workshop_to_act_on()
        q = self._question() if code is not None else None
        if code is None or q is None:
            return False
        try:
            self.store.reveal(code, q.id, revealed=revealed)
        except StoreError as exc:
            _say(self.message, str(exc), role="alert")
            return False
        self.message.value = ""
        self.refresh(force=True)
        return True

    def reveal_pairs(self) -> bool:
        """Show the room the pairs' shared r values, once at least five pairs have shared."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        from rdlearn.connection.exercise import PairStore

        pair_store = PairStore(self.store)
        try:
            shared = pair_store.shared_count(code)
            if shared < room_questions.MIN_ANSWERS:
                _say(self.pairs_message, f"Waiting for at least {room_questions.MIN_ANSWERS} pairs to "
                                         f"share their r ({shared} so far); nothing has been "
                                         "shown to the room.", role="alert")
                return False
            pair_store.reveal_room(code)
        except StoreError as exc:
            _say(self.pairs_message, str(exc), role="alert")
            return False
        _say(self.pairs_message, f"The room now sees the spread of r from {shared} pairs.")
        self.refresh(force=True)
        return True

    def _show_pairs(self, code: str) -> None:
        from rdlearn.connection.exercise import ROOM_QUESTION_ID, PairStore

        try:
            shared = PairStore(self.store).shared_count(code)
            revealed = self.store.question_state(code, ROOM_QUESTION_ID)["revealed"]
        except StoreError as exc:
            _say(self.pairs_message, str(exc), role="alert")
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
        try:
            self.store.moderate(code, answer_id, approve=approve)
        except (StoreError, ValueError) as exc:
            _say(self.message, str(exc), role="alert")
            return False
        self.refresh(force=True)
        return True

    def export(self) -> bool:
        """Offer the counts as a CSV download and show the summary (no tokens, no names)."""
        code = self._workshop_to_act_on()
        if code is None:
            return False
        try:
            text = export_csv(code, store=self.store, questions=self.questions)
            summary = summary_html(code, store=self.store, questions=self.questions)
        except StoreError as exc:
            _say(self.message, str(exc), role="alert")
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
            _say(self.message, "Tick the confirmation box first: deleting cannot be undone.",
                 role="alert")
            return False
        try:
            self.store.purge(code)
        except StoreError as exc:
            _say(self.message, str(exc), role="alert")
            return False
        self.purge_confirm.value = False
        self.room.code = ""
        self.export_box.value = ""
        _say(self.message, f"Every answer of workshop {code} has been deleted.")
        self.refresh(force=True)
        return True

    # -- showing

    def refresh(self, *, force: bool = False) -> None:
        """Update the status line, the preview and the moderation queue from the store."""
        now = self.clock()
        if not force and now - self._last_refresh < _REFRESH_EVERY:
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
            _say(self.message, str(exc), role="alert")
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
    return Console(room=participant_room(), store=_store(store),
                   questions=room_questions.load_questions(), clock=clock)


# --------------------------------------------------------------------------- the research


def _published(finding_id: str) -> dict:
    from rdlearn.content import findings

    row = findings.finding(finding_id)
    who = str(row.get("group") or "published").strip()
    approximate = "approx" in str(row.get("statistic", ""))
    return {"id": finding_id, "value": float(row["value"]), "n": row.get("n"),
            "group": who[:1].upper() + who[1:], "approximate": approximate,
            "citation": findings.cite(finding_id)}


def room_vs_research_figure(q: Question, summary: room_questions.Summary):
    """A bar chart of this room beside the published figures the question is tied to.

    Returns ``None`` when the question has no published figure or the room's value
    cannot be shown yet (fewer than five answers).
    """
    if not q.research or not summary.ready:
        return None
    compare = q.research["compare"]
    room_value = summary.share if compare == "share" else summary.mean
    if room_value is None:
        return None
    import plotly.graph_objects as go

    from rdlearn.figures import charts as figures

    published = [_published(fid) for fid in q.research["findings"]]
    room_n = summary.share_n if compare == "share" else summary.n
    names = [f"This room (n = {room_n})"]
    values = [round(room_value, 2)]
    for item in published:
        n = f", n = {item['n']}" if item["n"] not in (None, "") else ""
        names.append(f"{item['group']} in {item['citation'].split(',')[0]}{n}")
        values.append(item["value"])
    citations = list(dict.fromkeys(item["citation"] for item in published))
    colours = [figures.OKABE_ITO["orange"]] + [figures.OKABE_ITO["blue"]] * len(published)
    if compare == "share":
        unit, axis = "%", "Per cent who could name at least one moment"
        text = [f"{v:.0f}%" if i == 0 or not published[i - 1]["approximate"]
                else f"about {v:.0f}%" for i, v in enumerate(values)]
        y_range = [0, 100]
        title = (f"In this room, {room_value:.0f}% could name a moment of relational depth "
                 "with a client; the published figures are beside it")
    else:
        unit, axis = "rating", f"Average rating ({q.scale_min} to {q.scale_max})"
        text = [f"{v:.2f}" for v in values]
        y_range = [q.scale_min, q.scale_max]
        title = (f"This room's average is {room_value:.2f} on the {q.scale_min} to "
                 f"{q.scale_max} scale; the published averages are beside it")
    fig = go.Figure(go.Bar(x=names, y=values, text=text, textposition="outside",
                           marker_color=colours, name=q.text))
    fig.update_yaxes(range=y_range)
    table = [{"group": name, "value": value, "unit": unit} for name, value in zip(
        names, values, strict=True)]
    summary_text = (
        f"Question asked here: {q.text} The published figures come from an online survey "
        "of therapists and clients known only through a review, so the comparison is an "
        "illustration, not a like-for-like test."
    )
    return figures.finish(
        fig, title=title, citation="; ".join(citations), summary=summary_text,
        finding_ids=[p["id"] for p in published], table=table, x_title="", y_title=axis,
    )


def room_vs_research(question_id: str, *, store: Store | None = None) -> w.VBox:
    """A button that sets the room's (revealed) answer beside the published figure."""
    q = room_questions.question(question_id)
    if not q.research:
        raise ValueError(f"the question {question_id!r} is not tied to a published figure")
    room = participant_room()
    shared = _store(store)
    button = w.Button(description="Show this room beside the research", button_style="primary")
    out = w.Output()
    message = _html(kind="message")

    def show(_=None) -> None:
        from IPython.display import display

        from rdlearn.figures import charts as figures

        if not room.code:
            _say(message, "Join the room first: type the workshop code shown on the screen.")
            return
        try:
            state = shared.question_state(room.code, q.id)
            answers = shared.answers(room.code, q.id) if state["revealed"] else []
        except StoreError as exc:
            _say(message, f"Cannot reach the room's answers just now: {exc}.", role="alert")
            return
        if not state["revealed"]:
            _say(message, "The facilitator has not revealed this question's answers yet.")
            return
        summary = room_questions.aggregate(q, answers)
        fig = room_vs_research_figure(q, summary)
        if fig is None:
            _say(message, summary.message if not summary.ready else
                 f"Waiting for at least {room_questions.MIN_ANSWERS} answers that can be compared.")
            return
        message.value = ""
        out.clear_output(wait=True)
        with out:
            display(figures.present(fig))

    button.on_click(show)
    box = w.VBox([button, message, out])
    box.show = show  # type: ignore[attr-defined]
    box.add_class("rd-group-research")
    return box


# --------------------------------------------------------------------------- export


def _cell(text: str) -> str:
    # A spreadsheet would run text starting with = + - @ as a formula: keep it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _summaries(workshop: str, store: Store | None, questions: dict[str, Question] | None):
    shared = _store(store)
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
            writer.writerow([*base, f"(fewer than {room_questions.MIN_ANSWERS} answers: not shown)", ""])
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
