"""What the presenter window needs from the kernel: notes, timings, the room's count, a reveal.

The presenter window (drawn by ``keynote/slides.js``) is opened by the speaker from the
deck; it asks the kernel once for :func:`presenter_data` (the speaker notes travel only
then, and only into that window), every few seconds for :func:`room_count` while its slide
carries a room question, and for :func:`reveal_question` when the speaker reveals the
room's answers. The reveal goes through the facilitator key
(:func:`rdlearn.web.facilitator.key_matches`) and the room's store, as the facilitator
console's does.

>>> data = presenter_data()
>>> data["planned"], data["planned_long"]
(60, 120)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdlearn.keynote.deck import load_keynote, running_time
from rdlearn.room.follow import pick_workshop
from rdlearn.web import facilitator

__all__ = ["presenter_data", "pick_workshop", "room_count", "reveal_question"]

_NO_WORKSHOP = "No workshop is open yet: open one in the facilitator console."


def presenter_data(deck: Mapping | None = None) -> dict:
    """Every slide's title, notes, timing and room question, and the talk's planned length."""
    from rdlearn.room import questions as room_questions

    deck = deck if deck is not None else load_keynote()
    slides = []
    for slide in deck["slides"]:
        qid = slide.get("room_question")
        slides.append({
            "title": slide["title"],
            "notes": slide["notes"],
            "minutes": slide["minutes"],
            "extra_minutes": slide.get("extra_minutes", 0),
            "question": qid or "",
            "question_text": room_questions.question(qid).text if qid else "",
        })
    return {"slides": slides, "planned": round(running_time(deck)),
            "planned_long": round(running_time(deck, long_version=True))}


def room_count(store, question_id: Any, *, workshop: Any = None) -> dict:
    """The hall's answer count for one question.

    A dict ``{"question", "count", "open", "revealed", "message"}`` (``count`` is ``None``
    when it cannot be read, and ``message`` says why).
    """
    from rdlearn.room.store import StoreError

    reply: dict[str, Any] = {"question": question_id if isinstance(question_id, str) else "",
                             "count": None, "open": False, "revealed": False, "message": ""}
    try:
        code = pick_workshop(store, workshop)
        if code is None or not store.workshop_exists(code):
            reply["message"] = _NO_WORKSHOP
            return reply
        state = store.question_state(code, reply["question"])
        reply.update(count=store.count(code, reply["question"]), open=bool(state["open"]),
                     revealed=bool(state["revealed"]))
    except StoreError as exc:
        reply["message"] = f"The room's answers cannot be read just now ({exc})."
    return reply


def reveal_question(store, question_id: Any, key: Any, *, workshop: Any = None,
                    environ: Mapping[str, str] | None = None) -> dict:
    """Reveal the room's answers to ``question_id`` behind the facilitator key.

    Returns ``{"ok": bool, "message": str}``; nothing changes unless the key matches.
    """
    from rdlearn.room import questions as room_questions
    from rdlearn.room.store import StoreError

    if not facilitator.key_matches(key, environ):
        return {"ok": False, "message": "That is not the facilitator key (rdlearn serve "
                                        "printed it when it started); nothing was revealed."}
    known = room_questions.load_questions()
    if not isinstance(question_id, str) or question_id not in known:
        return {"ok": False, "message": "This slide has no room question to reveal."}
    try:
        code = pick_workshop(store, workshop)
        if code is None or not store.workshop_exists(code):
            return {"ok": False, "message": _NO_WORKSHOP}
        store.reveal(code, question_id)
        count = store.count(code, question_id)
    except StoreError as exc:
        return {"ok": False, "message": f"The answers could not be revealed just now ({exc})."}
    least = room_questions.MIN_ANSWERS
    if count < least:
        return {"ok": True, "message": f"Revealed. The hall shows the answers once {least} "
                                       f"people have answered ({count} so far)."}
    return {"ok": True, "message": f"Revealed: the Hall page shows the {count} answers."}
