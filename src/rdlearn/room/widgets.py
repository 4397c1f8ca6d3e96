"""The participant's widgets for the room's shared questions: joining and answering.

* :func:`join` lets a participant join the room with the workshop code (read from the
  page address ``?workshop=CODE`` under Voilà, or typed).
* :func:`ask` shows the open question, takes an answer and, once the facilitator has
  revealed them, the room's results. It checks the store about once a second, driven by a
  timer in the browser (``room_link.js``), so a new vote shows within two seconds.
* :func:`room_vs_research` sets the room's answer beside the published figure
  (:func:`rdlearn.room.figures.room_vs_research_figure`).

The facilitator's console is in :mod:`rdlearn.room.console`; it shares this page's room
(:func:`participant_room`) and browser link (:class:`RoomLink`). Every value a browser
sends is checked here in Python; every text is escaped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.room import questions as room_questions
from rdlearn.room.figures import room_vs_research_figure
from rdlearn.room.questions import AnswerError, Question, WorkshopCodeError
from rdlearn.room.store import Store, StoreError
from rdlearn.web import assets
from rdlearn.web.codes import normalise_token
from rdlearn.web.html import tag

__all__ = [
    "Room",
    "RoomLink",
    "AddressCode",
    "JoinWidget",
    "AskWidget",
    "participant_room",
    "message_box",
    "say",
    "default_store",
    "join",
    "ask",
    "room_vs_research",
    "TOKEN_KEY",
    "REFRESH_EVERY",
]

#: Where the browser keeps its anonymous token (a JSON object, like the journal's items).
TOKEN_KEY = "rdlearn:v1:token"

#: Seconds: ticks arriving faster than this are ignored.
REFRESH_EVERY = 0.5


class RoomLink(anywidget.AnyWidget):
    """An invisible link to the browser: its anonymous token and a timer tick.

    The browser keeps a random token in ``localStorage`` (:data:`TOKEN_KEY`), used only
    to stop double votes, and increases ``tick`` about once a second while the page is
    visible. Only these two values are accepted from the browser, and only valid ones.
    """

    _esm = assets.esm("room_link.js")
    token = traitlets.Unicode("").tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    wants_token = traitlets.Bool(True).tag(sync=True)
    interval_ms = traitlets.Int(1000).tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        """Accept from the browser only a valid token and a whole-number tick."""
        accepted = {}
        if "token" in sync_data and normalise_token(sync_data["token"]):
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
    """The room of this page (shared by :func:`join`, :func:`ask` and :func:`room_vs_research`)."""
    global _ROOM
    if _ROOM is None:
        _ROOM = Room()
    return _ROOM


def message_box(text: str = "", *, kind: str = "note", family: str = "group") -> w.HTML:
    """An HTML box for notes and messages, classed ``rd-<family>-<kind>``."""
    box = w.HTML(tag("p", text) if text else "")
    box.add_class(f"rd-{family}-{kind}")
    return box


def say(box: w.HTML, text: str = "", *, role: str = "status") -> None:
    """Put ``text`` (escaped) in ``box`` as a live ``status`` (or ``alert``) paragraph."""
    box.value = tag("p", text, role=role) if text else ""


def default_store(store: Store | None) -> Store:
    """``store``, or the server's room store when it is ``None``."""
    return store if store is not None else Store()


# --------------------------------------------------------------------------- joining


class AddressCode(anywidget.AnyWidget):
    """Reads ``?workshop=CODE`` from the page address in the browser and sends it here.

    Reading it in the browser (rather than with ``voila.utils.get_query_string()``) keeps a
    preheated kernel from waiting for its visitor, so the pool is ready before anyone comes.
    """

    _esm = assets.esm("workshop_address.js")
    code = traitlets.Unicode("").tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        """Accept from the browser only a short text."""
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
        self.message = message_box(kind="message")
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
            say(self.message, f"You are in the room {room.code}.")
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
            say(self.message, str(exc), role="alert")
            return False
        try:
            exists = self.store.workshop_exists(code)
        except StoreError as exc:
            say(self.message, f"Cannot reach the room's answers just now: {exc}.", role="alert")
            return False
        if not exists:
            say(self.message, f"There is no workshop with the code {code} on this server. "
                               "Check the code on the screen and type it again.", role="alert")
            return False
        self.room.code = code
        say(self.message, f"You are in the room {code}. Your answers are anonymous.")
        return True


def join(*, query_string: str | None = None, store: Store | None = None) -> JoinWidget:
    """The participant's box for joining the room with the workshop code.

    The code comes from the page address (``?workshop=CODE``, read in the browser, see
    :class:`AddressCode`), or from ``query_string`` when given; otherwise, or if the
    address holds none, the participant types it.
    """
    return JoinWidget(room=participant_room(), store=default_store(store),
                      query_string=query_string)


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
    limit = (room_questions.WORD_MAX_CHARS if q.kind == room_questions.ONE_WORD
             else room_questions.LINE_MAX_CHARS)
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
        self.question_html = message_box(kind="question")
        self.input_box = w.VBox()
        self.send_button = w.Button(description="Send my answer", button_style="primary")
        self.message = message_box(kind="message")
        self.results = message_box(kind="results")
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
        if not force and now - self._last_refresh < REFRESH_EVERY:
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
            say(self.message, f"Cannot reach the room's answers just now: {exc}.", role="alert")
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
            say(self.message, "This question is not open for answers yet.")
        if state["revealed"]:
            summary = room_questions.aggregate(q, answers)
            self.results.value = room_questions.results_html(q, summary)
        else:
            self.results.value = tag("p", "The room's answers appear here when the "
                                          "facilitator reveals them.", class_="rd-small")

    def _prefill(self, code: str, q: Question) -> None:
        """Show the answer this browser gave before (after a reload, say)."""
        token = normalise_token(self.link.token)
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
        say(self.message, "You have answered this question; you can change your answer "
                           "while it is open.")

    def _idle(self, text: str) -> None:
        self.current = None
        self.question_html.value = ""
        self.input_box.children = ()
        self._show_form(False)
        self.results.value = ""
        say(self.message, text)

    # -- answering

    def send(self) -> bool:
        """Check and record this browser's answer; say what happened."""
        q = self.current
        if q is None or self.answer_input is None or not self.room.code:
            say(self.message, "There is no open question to answer.", role="alert")
            return False
        try:
            value = room_questions.validate_answer(q, _answer_value(self.answer_input))
        except AnswerError as exc:
            say(self.message, str(exc), role="alert")
            return False
        token = normalise_token(self.link.token)
        if token is None:
            say(self.message, "This page is still connecting; please try again in a moment.",
                 role="alert")
            return False
        try:
            self.store.record_answer(self.room.code, q.id, token=token, value=value,
                                     moderation=room_questions.initial_moderation(q))
        except StoreError as exc:
            say(self.message, f"Your answer was not saved: {exc}.", role="alert")
            return False
        self._prefilled = (self.room.code, q.id)
        note = " The facilitator reads words and lines before the room sees them." if (
            q.moderated) else ""
        say(self.message, "Thank you, your answer is in. You can change it while the "
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
    return AskWidget(question_id=question_id, room=participant_room(), store=default_store(store),
                     questions=questions, clock=clock)


# --------------------------------------------------------------------------- the research


def room_vs_research(question_id: str, *, store: Store | None = None) -> w.VBox:
    """A button that sets the room's (revealed) answer beside the published figure."""
    q = room_questions.question(question_id)
    if not q.research:
        raise ValueError(f"the question {question_id!r} is not tied to a published figure")
    room = participant_room()
    shared = default_store(store)
    button = w.Button(description="Show this room beside the research", button_style="primary")
    out = w.Output()
    message = message_box(kind="message")

    def show(_=None) -> None:
        from IPython.display import display

        from rdlearn import figures

        if not room.code:
            say(message, "Join the room first: type the workshop code shown on the screen.")
            return
        try:
            state = shared.question_state(room.code, q.id)
            answers = shared.answers(room.code, q.id) if state["revealed"] else []
        except StoreError as exc:
            say(message, f"Cannot reach the room's answers just now: {exc}.", role="alert")
            return
        if not state["revealed"]:
            say(message, "The facilitator has not revealed this question's answers yet.")
            return
        summary = room_questions.aggregate(q, answers)
        fig = room_vs_research_figure(q, summary)
        if fig is None:
            say(message, summary.message if not summary.ready else
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
