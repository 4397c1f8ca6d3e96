"""The keynote's hall view: the join address and QR code, the live count, the room's results.

A hidden anywidget (``keynote/hall.js``) tells the kernel the page's address and ticks once
a second; each tick refreshes the view from the room's store.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from rdlearn.keynote.presenter import pick_workshop
from rdlearn.web import assets
from rdlearn.web.html import esc, tag

__all__ = ["hall_panel"]


@functools.cache
def _hall_link_class():
    import anywidget
    import traitlets

    class HallLink(anywidget.AnyWidget):
        """The keynote page's address (origin and ``?workshop=``) and a one-second tick."""

        _esm = assets.esm("hall.js")
        origin = traitlets.Unicode("").tag(sync=True)
        code = traitlets.Unicode("").tag(sync=True)
        tick = traitlets.Int(0).tag(sync=True)

        def set_state(self, sync_data: dict) -> None:
            accepted = {}
            for name in ("origin", "code"):
                value = sync_data.get(name)
                if isinstance(value, str) and len(value) <= 200:
                    accepted[name] = value
            tick = sync_data.get("tick")
            if isinstance(tick, int) and not isinstance(tick, bool) and 0 <= tick < 2**31:
                accepted["tick"] = tick
            if accepted:
                super().set_state(accepted)

    return HallLink


def hall_panel(*, workshop: str | None = None, address: str | None = None, store=None):
    """The hall's view for the keynote page: join address and QR code, live count, results.

    The workshop is ``workshop``, else ``?workshop=`` in the keynote page's address, else
    the workshop opened last on this server. The join address is ``address`` (e.g.
    ``http://192.168.1.20:8866``, what phones in the hall can reach), else the address that
    ``rdlearn serve --lan`` found (environment variable ``RDLEARN_PUBLIC_URL``), else the
    address the keynote page was opened at. The question is the one opened in the
    facilitator console; the count updates every second, and once the question is
    revealed with five or more answers the room is shown beside the research (or as a
    table). Returns a ``VBox``
    with a ``refresh()`` method.
    """
    import ipywidgets as w

    from rdlearn.room import audience
    from rdlearn.room import questions as room_questions
    from rdlearn.room import widgets as room_widgets
    from rdlearn.room.store import Store, StoreError

    shared = store if store is not None else Store()
    link = _hall_link_class()()
    join = w.HTML("")
    join.add_class("rd-hall-join")
    count = w.HTML("")
    count.add_class("rd-hall-count")
    results = w.VBox()
    results.add_class("rd-hall-results")
    questions = room_questions.load_questions()
    state: dict[str, Any] = {"join": "", "shown": None, "research": None, "last": None}

    def refresh(_=None) -> None:
        try:
            code = pick_workshop(shared, workshop, link.code)
        except StoreError as exc:
            count.value = tag("p", f"The room's answers cannot be read just now ({exc}).",
                              role="status")
            return
        if code is None:
            join.value = tag("p", "Open a workshop in the facilitator console first; its "
                                  "join address and QR code then appear here.")
            return
        origin = address or os.environ.get("RDLEARN_PUBLIC_URL") or link.origin
        try:
            url = audience.join_url(origin, code) if origin else None
        except ValueError:
            url = None
        if url != state["join"]:
            state["join"] = url
            if url is None:
                join.value = tag("p", f"Workshop {code}: pass address= (the address phones "
                                      "in the hall can reach) to show the QR code.")
            else:
                join.value = (tag("p", "Answer on your phone: scan the code or open",
                                  class_="rd-hall-join__lead")
                              + tag("p", url, class_="rd-hall-join__url")
                              + f'<div class="rd-hall-join__qr" role="img" '
                                f'aria-label="{esc("QR code for " + url)}">'
                              + audience.qr_svg(url) + "</div>")
        try:
            hall = audience.state_for(shared, code, questions, question_id=state["last"])
        except (StoreError, audience.AudienceError) as exc:
            count.value = tag("p", getattr(exc, "message", str(exc)), role="status")
            return
        q = hall.get("question")
        if not q:
            count.value = tag("p", hall.get("message", ""), role="status")
            results.children = ()
            return
        state["last"] = q["id"]
        n = hall["count"]
        count.value = tag("p", f"{q['text']} · {n} answer{'s' if n != 1 else ''} · "
                               + ("open" if hall["open"] else "closed"), role="status")
        shown = (q["id"], n, hall["results"] is not None)
        if shown == state["shown"]:
            return
        state["shown"] = shown
        if hall["results"] is None:
            results.children = ()
            return
        question = questions[q["id"]]
        if question.research:
            room_widgets.participant_room().code = code
            if state["research"] is None or state["research"][0] != q["id"]:
                state["research"] = (q["id"], room_widgets.room_vs_research(q["id"], store=shared))
            box = state["research"][1]
            box.show()
            results.children = (box,)
        else:
            summary = room_questions.aggregate(question, shared.answers(code, q["id"]))
            results.children = (w.HTML(room_questions.results_html(question, summary)),)

    link.observe(refresh, names="tick")
    panel = w.VBox([link, join, count, results])
    panel.add_class("rd-hall")
    panel.refresh = refresh  # type: ignore[attr-defined]
    panel.link = link  # type: ignore[attr-defined]
    refresh()
    return panel
