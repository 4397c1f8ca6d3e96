"""The participant's day page: one kernel, four sessions, each drawn once when first opened."""

from __future__ import annotations

import json

import pytest

from rdlearn.sessions import day_page, notebooks, plan
from rdlearn.sessions.day_page import DayPage


def _html(outputs) -> str:
    return "".join(o["data"].get("text/html", "") for o in outputs)


def test_a_session_is_drawn_when_first_opened_and_holds_what_its_own_page_shows():
    page = DayPage()
    assert page.opened == [1] and all(not place.outputs for place in page._places.values())
    page.session = 2
    assert page.shown == 2 and page.opened == [1, 2] and page.message == ""
    drawn = page._places[2].outputs
    shown_calls = [c for c in plan.session_calls(2) if c.run() is not None]
    assert len(drawn) == len(shown_calls)
    assert "Session 2: The importance of relatedness" in _html(drawn)
    widgets = [o for o in drawn if "application/vnd.jupyter.widget-view+json" in o["data"]]
    assert widgets, "session 2's quiz and map are widgets on the page"
    assert not page._places[3].outputs and not page._places[4].outputs


def test_going_back_to_an_opened_session_draws_nothing_again():
    page = DayPage()
    page.session = 3
    first = page._places[3].outputs
    page.session = 1
    page.session = 3
    assert page._places[3].outputs is first and page.opened == [1, 3]


@pytest.mark.parametrize("sent", [99, 0, -1, "abc", "2; drop", True, None, 2.5, {"n": 2},
                                  [2], "9" * 5000, "٣", "<script>x</script>"])
def test_a_tampered_session_value_is_refused_with_a_message_and_nothing_changes(sent):
    page = DayPage()
    page.session = 2
    before = {n: place.outputs for n, place in page._places.items()}
    page.set_state({"session": sent})  # what a tampered browser could send
    assert page.shown == 2 and page.session == 2 and page.opened == [1, 2]
    assert "You are still in session 2" in page.message
    assert len(page.message) < 200 and "<script>" not in page.message.replace(
        "no session <script>", "")
    assert {n: place.outputs for n, place in page._places.items()} == before


def test_a_session_number_sent_as_text_is_accepted():
    page = DayPage()
    page.set_state({"session": "4"})
    assert page.shown == 4 and 4 in page.opened


def test_a_part_that_fails_to_draw_says_so_and_the_rest_of_the_session_is_drawn(monkeypatch):
    real = plan.session_calls

    def with_a_broken_part(number):
        return [plan.Call("sessions", "section", (number, "no-such-section")), *real(number)]

    monkeypatch.setattr(plan, "session_calls", with_a_broken_part)
    page = DayPage()
    page.session = 4
    html = _html(page._places[4].outputs)
    assert "could not be drawn" in html and "Session 4: Chronic strategies" in html


def test_the_day_notebook_is_session_1_between_the_switcher_and_the_later_sessions():
    cells = [c["source"] for c in notebooks.expected()[notebooks.DAY_PAGE]["cells"]]
    session_1 = [src for kind, src in notebooks.session_cells(1)]
    assert cells[1] == "day = sessions.day()\nday" and cells[-1] == "day.later()"
    assert cells[2:-1] == session_1[1:]
    assert "sessions" in cells[0] and json.dumps(cells)


def test_a_room_of_40_preheats_one_day_page_each_and_one_of_each_one_person_page():
    from rdlearn.serve.app import DAY_PAGE, ServeOptions
    from rdlearn.serve.cli import notebooks_dir

    sizes = ServeOptions(notebooks=notebooks_dir(), room_size=40).pool_sizes()
    assert sizes.pop(DAY_PAGE) == 40
    assert sorted(sizes) == ["05_keynote_research-findings.ipynb",
                             "06_facilitator-console.ipynb", "07_keynote-hall.ipynb"]
    assert set(sizes.values()) == {1}


def test_participants_headers_show_no_speaker_or_facilitator_links(monkeypatch):
    from rdlearn.serve import app
    from rdlearn.serve.cli import notebooks_dir

    monkeypatch.setenv("RDLEARN_NOTEBOOKS", str(notebooks_dir()))
    landing = app.navigation({"metadata": {"name": "00_welcome"}})
    day = app.navigation({"metadata": {"name": "10_day"}})
    console = app.navigation({"metadata": {"name": "06_facilitator-console"}})
    assert {i["audience"] for i in landing} == {"everyone"}
    assert [i["href"] for i in landing][1:] == [
        f"voila/render/10_day.ipynb#session-{n}" for n in range(1, 5)]
    assert [i["label"] for i in day] == ["Welcome"]
    assert {"speaker", "facilitator"} <= {i["audience"] for i in console}
    assert "voila/render/10_day.ipynb#session-3" in [i["href"] for i in console]


def test_the_sessions_of_the_switcher_come_from_the_workshop_file():
    page = DayPage()
    assert [s["number"] for s in page.sessions] == [1, 2, 3, 4]
    assert page.sessions[2]["label"] == "3 · Deepening"
    assert day_page.session_number(" 3 ", [1, 2, 3, 4]) == 3


# ------------------------------------------------------------ follow the facilitator


class _Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


from tornado.testing import AsyncHTTPTestCase  # noqa: E402


class FollowTest(AsyncHTTPTestCase):
    """Two servers' routes on one store: the room's session is the same from either."""

    def get_app(self):
        import tempfile
        from pathlib import Path

        import tornado.web

        from rdlearn.room import audience_routes
        from rdlearn.room.audience import Audience
        from rdlearn.room.store import Store

        path = Path(tempfile.mkdtemp(prefix="rdlearn-follow-")) / "room.sqlite3"
        self.store = Store(path)
        self.store.create_workshop("RDFOLO")
        self.clock = _Clock()
        self.halls = [Audience(store=Store(path), clock=self.clock) for _ in range(2)]
        return tornado.web.Application([
            *audience_routes.routes("/a/", audience=self.halls[0]),
            *audience_routes.routes("/b/", audience=self.halls[1])])

    def tearDown(self):
        super().tearDown()
        for hall in self.halls:
            hall.close()

    def now(self, server, query=""):
        self.clock.t += 10  # past the cache
        response = self.fetch(f"/{server}/rdlearn/now{query}")
        assert response.code == 200 and response.headers["Cache-Control"] == "no-store"
        return json.loads(response.body)

    def test_the_session_the_facilitator_names_reaches_every_server(self):
        from rdlearn.room import follow

        assert self.now("a") == {"session": None}
        follow.set_room_session(self.store, "RDFOLO", 3)
        assert self.now("a") == self.now("b") == {"session": 3}
        assert self.now("b", "?workshop=rdfolo") == {"session": 3}
        assert self.now("a", "?workshop=<b>%00") == {"session": 3}  # not a code: the room's
        assert self.now("a", "?workshop=ZZZZZZ") == {"session": None}
        with pytest.raises(ValueError, match="There is no session 7"):
            follow.set_room_session(self.store, "RDFOLO", 7)
        assert self.now("b") == {"session": 3}


def test_the_console_tells_the_room_only_with_the_key(tmp_path, monkeypatch):
    from rdlearn.room import follow
    from rdlearn.room.facilitator_console import console
    from rdlearn.room.store import Store

    monkeypatch.setenv("RDLEARN_FACILITATOR_KEY", "the-key")
    store = Store(tmp_path / "room.sqlite3")
    panel = console(store=store)
    assert not panel.tell_room(2)
    assert panel.unlock("the-key") and panel.open_workshop("RDFOLW")
    assert panel.tell_room(2) and follow.room_session(store, "RDFOLW") == 2
    assert "now offer session 2" in panel.session_message.value
    assert not panel.tell_room("2; DROP TABLE") and follow.room_session(store, "RDFOLW") == 2


def test_a_session_made_ahead_is_shown_as_made_and_a_bad_prefetch_does_nothing():
    page = DayPage()
    page.set_state({"prefetch": 3})  # what the page asks while idle
    made = page._made[3]
    assert made and not page._places[3].outputs and page.opened == [1] and page.shown == 1
    page.session = 3
    assert page._places[3].outputs == made and page.opened == [1, 3] and not page._made
    for sent in (99, "x", None, True, 3, 1):
        page.set_state({"prefetch": sent})
    assert not page._made and page.message == ""
