"""Follow the facilitator: the session the room is in now, for the participants' day pages.

The facilitator's console says "we are now in session 3" (:func:`set_room_session`); it is
kept with the workshop in the room store, so every server process answers the same. Each day
page asks ``rdlearn/now`` now and then (:class:`NowHandler`, no kernel involved) and offers a
button to go there: it never moves anyone by itself.
"""

from __future__ import annotations

from typing import Any

import tornado.ioloop
import tornado.web

from rdlearn.content import loader as content
from rdlearn.room import questions as room_questions

__all__ = ["NowHandler", "pick_workshop", "room_session", "set_room_session"]

#: How long one process keeps an answer of ``rdlearn/now`` (a room of pages asking
#: every 20 s then costs the database one read per workshop every few seconds).
CACHE_SECONDS = 3.0


def pick_workshop(store, *asked: Any) -> str | None:
    """The workshop a page asks about, or ``None`` when there is none.

    The first of ``asked`` (such as the page's ``?workshop=``) that is a workshop code,
    else the one opened last on this server.
    """
    for candidate in asked:
        if isinstance(candidate, str) and candidate:
            try:
                return room_questions.normalise_workshop_code(candidate)
            except room_questions.WorkshopCodeError:
                continue
    open_now = store.workshops()
    return open_now[-1] if open_now else None


def _numbers() -> list[int]:
    return [s["number"] for s in content.workshop()["sessions"]]


def set_room_session(store, workshop: str, number: Any) -> int:
    """Say the room is in session ``number`` now (a session's number; anything else refused)."""
    if isinstance(number, bool) or number not in _numbers():
        raise ValueError(f"There is no session {str(number)[:12]}: choose one of "
                         f"{', '.join(str(n) for n in _numbers())}.")
    code = room_questions.normalise_workshop_code(workshop)
    with store.transaction() as conn:
        found = conn.execute("UPDATE workshops SET room_session = ? WHERE code = ?",
                             (number, code)).rowcount
    if not found:
        from rdlearn.room.store import UnknownWorkshopError

        raise UnknownWorkshopError(f"Workshop {code} is not open on this server.")
    return number


def room_session(store, workshop: str) -> int | None:
    """The session the facilitator last said the room is in, or ``None``."""
    code = room_questions.normalise_workshop_code(workshop)
    with store.reading() as conn:
        row = conn.execute("SELECT room_session FROM workshops WHERE code = ? AND expires > ?",
                           (code, store.now())).fetchone()
    return int(row[0]) if row and row[0] is not None else None


class NowHandler(tornado.web.RequestHandler):
    """``GET rdlearn/now[?workshop=CODE]``: ``{"session": N}`` (or ``null``), kernel-free.

    It shares the hall's audience service: its store, its thread pool and its clock;
    ``kept`` is the answers this process keeps, by the workshop asked for.
    """

    def initialize(self, audience, kept: dict) -> None:
        """Tornado's set-up, from :func:`rdlearn.room.audience_routes.routes`."""
        self.audience = audience
        self.kept = kept

    def _answer(self, asked: str) -> int | None:
        store = self.audience.store
        code = pick_workshop(store, asked)
        return room_session(store, code) if code else None

    async def get(self) -> None:
        """Answer with the session the room is in now (kept a few seconds per process)."""
        from rdlearn.room.store import StoreError

        asked = self.get_query_argument("workshop", "")[:32]
        kept = self.kept.get(asked)
        now = self.audience.clock()
        if kept is None or now - kept[0] > CACHE_SECONDS:
            try:
                session = await tornado.ioloop.IOLoop.current().run_in_executor(
                    self.audience.executor, self._answer, asked)
            except (StoreError, room_questions.WorkshopCodeError):
                session = None
            if len(self.kept) > 256:
                self.kept.clear()
            kept = self.kept[asked] = (now, session)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish({"session": kept[1]})
