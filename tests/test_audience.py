"""The hall's audience routes: limits, checks, one answer per phone, reveal, no kernels."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase, gen_test

from rdlearn.room import audience, audience_routes
from rdlearn.room import questions as room_questions
from rdlearn.room.audience import Audience, AudienceError, AudienceSettings, RateLimiter
from rdlearn.room.store import Store
from rdlearn.serve.app import _AssetHandler
from rdlearn.web import assets

EVER = "ever-met-at-depth"
OFTEN = "how-often-at-depth"
WORD = "arriving-word"
CODE = "HALL01"


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def token(n: int) -> str:
    return f"phone-token-{n:06d}-abcdef"


def body(value, *, question=EVER, tok=None, workshop=CODE) -> bytes:
    return json.dumps({"workshop": workshop, "question": question,
                       "token": tok or token(1), "value": value}).encode()


# --------------------------------------------------------------------------- pure parts


def test_limiter_allows_the_capacity_then_refuses_until_refilled():
    clock = Clock()
    limiter = RateLimiter(capacity=5, per_seconds=10, clock=clock)
    assert [limiter.take("a") for _ in range(5)] == [0.0] * 5
    wait = limiter.take("a")
    assert wait == pytest.approx(2.0)  # one answer comes back every 2 s
    assert limiter.take("b") == 0.0  # another phone is not affected
    clock.t += 1.9
    assert limiter.take("a") > 0
    clock.t += 10
    assert [limiter.take("a") for _ in range(5)] == [0.0] * 5
    assert limiter.take("a") > 0


def test_limiter_forgets_the_least_recent_keys_beyond_its_bound():
    clock = Clock()
    limiter = RateLimiter(capacity=1, per_seconds=60, clock=clock, max_keys=3)
    for key in "abcd":
        assert limiter.take(key) == 0.0
    assert limiter.take("d") > 0  # still remembered
    assert limiter.take("a") == 0.0  # forgotten, so it starts full again
    with pytest.raises(ValueError):
        RateLimiter(capacity=0, per_seconds=10)


def test_loopback_addresses():
    assert audience.is_loopback("127.0.0.1")
    assert audience.is_loopback("::1")
    assert audience.is_loopback("::ffff:127.0.0.1")
    assert not audience.is_loopback("192.168.1.20")
    assert not audience.is_loopback("unknown")


@pytest.fixture(scope="module")
def questions():
    return room_questions.load_questions()


@pytest.mark.parametrize(("value", "question", "message"), [
    ("maybe", EVER, "Please choose one of the options shown."),
    ("9", OFTEN, "Please choose a whole number from 1 to 7."),
    (0, OFTEN, "Please choose a whole number from 1 to 7."),
    ("x" * 31, WORD, "Please keep your word to 30 characters or fewer (this one has 31)."),
    ("two words", WORD, "Please give just one word"),
])
def test_refused_answers_carry_the_participants_message(questions, value, question, message):
    with pytest.raises(AudienceError) as caught:
        audience.parse_answer(body(value, question=question), questions)
    assert caught.value.status == 400
    assert caught.value.message.startswith(message)


def test_malformed_requests_are_refused_with_a_message(questions):
    cases = [
        (b"not json", "could not be read"),
        (b"[1, 2]", "could not be read"),
        (body("yes", tok="short"), "no valid anonymous token"),
        (body("yes", question="no-such-question"), "not one the room is asked"),
        (body("yes", workshop="!"), "4 to 12 letters"),
    ]
    for raw, message in cases:
        with pytest.raises(AudienceError) as caught:
            audience.parse_answer(raw, questions)
        assert caught.value.status == 400 and message in caught.value.message
    with pytest.raises(AudienceError) as caught:
        audience.parse_answer(b" " * (audience.MAX_BODY_BYTES + 1), questions)
    assert caught.value.status == 413


def test_words_wait_for_moderation_and_choices_do_not(questions):
    assert audience.parse_answer(body(" Curious! ", question=WORD), questions) == {
        "workshop": CODE, "question": WORD, "token": token(1), "value": "curious",
        "moderation": room_questions.PENDING}
    moderation = audience.parse_answer(body("yes"), questions)["moderation"]
    assert moderation == room_questions.NOT_MODERATED


def _store(tmp_path) -> Store:
    store = Store(tmp_path / "room.sqlite3")
    store.create_workshop(CODE)
    return store


def test_state_shows_results_only_when_revealed_and_five_answered(tmp_path, questions):
    store = _store(tmp_path)
    state = audience.state_for(store, CODE, questions)
    assert state["status"] == "waiting" and state["question"] is None
    store.open_question(CODE, OFTEN)
    for n, value in enumerate(["5", "6", "7", "5"]):
        store.record_answer(CODE, OFTEN, token=token(n), value=value)
    state = audience.state_for(store, CODE, questions)
    assert state["question"]["scale"] == {"min": 1, "max": 7, "low": "Not at all",
                                          "high": "All the time"}
    assert (state["status"], state["count"], state["results"]) == ("open", 4, None)
    store.reveal(CODE, OFTEN)
    state = audience.state_for(store, CODE, questions)
    assert state["results"] is None and "at least 5 answers (4 so far)" in state["message"]
    store.record_answer(CODE, OFTEN, token=token(9), value="2")
    state = audience.state_for(store, CODE, questions)
    assert state["status"] == "revealed"
    assert state["results"]["mean"] == pytest.approx((5 + 6 + 7 + 5 + 2) / 5)
    counts = {row["label"]: row["count"] for row in state["results"]["counts"]}
    assert counts == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 2, "6": 1, "7": 1}
    store.reveal(CODE, OFTEN, revealed=False)
    assert audience.state_for(store, CODE, questions)["results"] is None


def test_state_shows_only_approved_words(tmp_path, questions):
    store = _store(tmp_path)
    store.open_question(CODE, WORD)
    store.reveal(CODE, WORD)
    for n, word in enumerate(["calm", "calm", "tired", "<script>", "hopeful"]):
        store.record_answer(CODE, WORD, token=token(n), value=word,
                            moderation=room_questions.PENDING)
    queue = {item["value"]: item["id"] for item in store.moderation_queue(CODE)}
    for word in ("calm", "tired"):
        for item in store.moderation_queue(CODE):
            if item["value"] == word:
                store.moderate(CODE, item["id"], approve=True)
    store.moderate(CODE, queue["<script>"], approve=False)
    results = audience.state_for(store, CODE, questions)["results"]
    assert results["words"] == [{"word": "calm", "count": 2}, {"word": "tired", "count": 1}]


def test_state_of_an_unknown_workshop_is_404(tmp_path, questions):
    with pytest.raises(AudienceError) as caught:
        audience.state_for(_store(tmp_path), "NOPE99", questions)
    assert caught.value.status == 404 and "NOPE99" in caught.value.message


def test_join_address_and_qr_code():
    url = audience.join_url("http://192.168.1.20:8866/", " hall01 ")
    assert url == "http://192.168.1.20:8866/audience?workshop=HALL01"
    for bad in ("javascript:alert(1)", "http://x\"><script>", "ftp://host"):
        with pytest.raises(ValueError):
            audience.join_url(bad, CODE)
    svg = audience.qr_svg(url)
    assert svg.startswith("<svg") and "<title>" + url + "</title>" in svg


def test_page_files_are_small_local_and_insert_text_safely():
    files = {p.name: p.read_text() for p in audience.STATIC.iterdir()}
    assert set(files) == {"index.html", "audience.css", "audience.js"}
    assert sum(len(t.encode()) for t in files.values()) < 50_000
    for text in files.values():
        assert not re.search(r"(src|href)=\"(https?:)?//", text), "nothing from a CDN"
    assert "innerHTML" not in files["audience.js"] and "insertAdjacentHTML" not in files[
        "audience.js"]
    assert '<html lang="en">' in files["index.html"] and "<title>" in files["index.html"]
    # one anonymous token per browser, shared with the workshop pages: both take it from the kit
    from rdlearn.room import widgets as room_widgets
    from rdlearn.web import assets

    kit = assets.path("widgetkit.js").read_text(encoding="utf-8")
    assert f'export const ROOM_TOKEN_KEY = "{room_widgets.TOKEN_KEY}";' in kit
    assert "roomToken()" in files["audience.js"]
    assert "roomToken()" in assets.path("room_link.js").read_text(encoding="utf-8")
    assert 'type="module"' in files["index.html"] and "<script>" not in files["index.html"]


# --------------------------------------------------------------------------- handlers


class NoKernels:
    """A kernel manager that fails the test if anything touches it."""

    touched: list[str] = []

    def __getattr__(self, name):
        NoKernels.touched.append(name)
        raise AssertionError(f"the audience routes touched the kernel manager ({name})")


class _Routes(AsyncHTTPTestCase):
    """A Tornado app with only the audience routes, a scratch store and a fake clock."""

    settings = AudienceSettings()

    def get_app(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="rdlearn-audience-"))
        self.store = Store(self.tmp / "room.sqlite3")
        self.store.create_workshop(CODE)
        self.clock = Clock()
        self.audience = Audience(store=self.store, settings=self.settings, clock=self.clock)
        NoKernels.touched = []
        # the widgets' code as ``rdlearn serve`` hands it out: the page imports the kit from it
        kit = ("/rdlearn/assets/" + assets.ASSET_PATTERN, _AssetHandler,
               {"path": str(assets.PACKAGE)})
        return tornado.web.Application([*audience_routes.routes("/", audience=self.audience), kit],
                                       kernel_manager=NoKernels())

    def tearDown(self):
        super().tearDown()
        self.audience.close()
        assert NoKernels.touched == []
        shutil.rmtree(self.tmp, ignore_errors=True)

    def post(self, raw: bytes, **headers):
        headers.setdefault("Content-Type", "application/json")
        response = self.fetch("/audience/api/answer", method="POST", body=raw, headers=headers)
        return response.code, json.loads(response.body or b"{}")

    def state(self, code=CODE):
        response = self.fetch(f"/audience/api/state?workshop={code}")
        return response.code, json.loads(response.body)


class AudienceRoutesTest(_Routes):
    def test_the_page_is_served_without_a_kernel(self):
        response = self.fetch("/audience?workshop=HALL01")
        assert response.code == 200
        assert b'<html lang="en">' in response.body
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        js = self.fetch("/audience/static/audience.js")
        assert js.code == 200 and b"textContent" in js.body
        assert self.fetch("/audience/static/../store.py").code in (403, 404)

    def test_the_page_script_is_a_module_importing_the_versioned_kit(self):
        page = self.fetch("/audience").body.decode()
        assert '<script type="module" src="audience/static/audience.js"></script>' in page
        js = self.fetch("/audience/static/audience.js")
        assert js.headers["Content-Type"] in ("application/javascript", "text/javascript")
        assert js.headers["Cache-Control"] == "no-cache"
        assert len(js.body) == int(js.headers["Content-Length"])
        imports = re.findall(r'^import .* from "([^"]+)";$', js.body.decode(), re.M)
        assert imports == [f"../../rdlearn/assets/widgetkit.js?v={assets.version('widgetkit.js')}"]
        # resolved from /audience/static/audience.js, as the browser does
        kit = self.fetch("/rdlearn/assets/widgetkit.js?v=" + assets.version("widgetkit.js"))
        assert kit.code == 200 and b"export function newToken" in kit.body
        assert "max-age" in kit.headers["Cache-Control"]  # kept until its version changes
        assert self.fetch("/audience/static/audience.js",
                          headers={"If-None-Match": js.headers["Etag"]}).code == 304
        # one token generator: the page has no copy of its own
        source = (audience.STATIC / "audience.js").read_text(encoding="utf-8")
        assert "getRandomValues" not in source and "function newToken" not in source

    def test_an_answer_is_saved_and_can_be_changed_while_open(self):
        self.store.open_question(CODE, EVER)
        assert self.post(body("yes")) == (200, {
            "ok": True, "message": audience.SAVED_MESSAGE, "question": EVER, "value": "yes"})
        assert self.post(body("unsure"))[0] == 200
        assert self.post(body("no", tok=token(2)))[0] == 200
        assert self.store.count(CODE, EVER) == 2
        assert self.store.my_answer(CODE, EVER, token=token(1)) == "unsure"
        self.store.close_question(CODE, EVER)
        code, reply = self.post(body("yes", tok=token(3)))
        assert code == 409 and "closed" in reply["error"]
        assert self.store.count(CODE, EVER) == 2

    def test_refusals_are_json_messages_and_store_nothing(self):
        self.store.open_question(CODE, EVER)
        code, reply = self.post(body("maybe"))
        assert (code, reply["error"]) == (400, "Please choose one of the options shown.")
        code, reply = self.post(body("yes", workshop="NOPE99"))
        assert code == 404 and "no open workshop with the code NOPE99" in reply["error"]
        big = json.dumps({"workshop": CODE, "question": EVER, "token": token(4),
                          "value": "yes", "padding": "x" * 3000}).encode()
        code, reply = self.post(big)
        assert code == 413 and "too large" in reply["error"]
        code, reply = self.post(body("yes"), **{"Content-Type": "text/plain"})
        assert code == 415
        assert self.store.count(CODE, EVER) == 0

    @gen_test
    async def test_a_large_body_without_a_length_is_refused_too(self):
        self.store.open_question(CODE, EVER)
        raw = body("yes")[:-1] + b', "padding": "' + b"x" * 5000 + b'"}'

        async def producer(write):
            for start in range(0, len(raw), 512):
                await write(raw[start:start + 512])

        response = await self.http_client.fetch(
            self.get_url("/audience/api/answer"), method="POST", body_producer=producer,
            headers={"Content-Type": "application/json"}, raise_error=False)
        assert response.code == 413
        assert self.store.count(CODE, EVER) == 0

    def test_a_burst_from_one_phone_is_limited_without_affecting_another(self):
        self.store.open_question(CODE, EVER)
        codes = [self.post(body("yes"))[0] for _ in range(20)]
        assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
        code, reply = self.post(body("no"))
        assert code == 429 and "Please wait" in reply["error"]
        assert self.post(body("no", tok=token(2)))[0] == 200
        self.clock.t += 10
        assert self.post(body("no"))[0] == 200
        assert self.store.my_answer(CODE, EVER, token=token(1)) == "no"

    def test_the_state_is_cached_for_half_a_second(self):
        self.store.open_question(CODE, EVER)
        assert self.state() == (200, self.state()[1])
        code, first = self.state()
        assert (code, first["count"], first["question"]["id"]) == (200, 0, EVER)
        assert [o["id"] for o in first["question"]["options"]] == [
            "yes", "no", "unsure", "no-clients"]
        self.post(body("yes"))
        assert self.state()[1]["count"] == 0  # the cached copy
        self.clock.t += audience.STATE_CACHE_SECONDS
        assert self.state()[1]["count"] == 1

    def test_revealed_results_reach_the_hall_after_five_answers(self):
        self.store.open_question(CODE, EVER)
        self.store.reveal(CODE, EVER)
        for n, value in enumerate(["yes", "yes", "no", "unsure"]):
            assert self.post(body(value, tok=token(n)))[0] == 200
        self.clock.t += 1
        state = self.state()[1]
        assert state["results"] is None and state["count"] == 4
        self.post(body("yes", tok=token(8)))
        self.clock.t += 1
        state = self.state()[1]
        assert state["status"] == "revealed"
        assert state["results"]["counts"][0] == {"label": "Yes, at least once", "count": 3}

    def test_results_stay_up_after_the_question_closes(self):
        self.store.open_question(CODE, EVER)
        self.store.reveal(CODE, EVER)
        for n in range(5):
            self.post(body("yes", tok=token(n)))
        self.clock.t += 1
        assert self.state()[1]["status"] == "revealed"
        self.store.close_question(CODE, EVER)
        self.clock.t += 1
        state = self.state()[1]
        assert state["open"] is False and state["results"]["n"] == 5

    def test_unknown_and_malformed_workshops(self):
        code, reply = self.state("NOPE99")
        assert code == 404 and "NOPE99" in reply["error"]
        code, reply = self.state("")
        assert code == 400 and "workshop code" in reply["error"]
        assert self.state()[1]["status"] == "waiting"


class PerAddressLimitTest(_Routes):
    """With ``limit_loopback`` the address's bucket applies even to this machine."""

    settings = AudienceSettings(answers_per_address=3, limit_loopback=True)

    def test_many_tokens_from_one_address_are_limited(self):
        self.store.open_question(CODE, EVER)
        codes = [self.post(body("yes", tok=token(n)))[0] for n in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        assert self.store.count(CODE, EVER) == 3


def test_loopback_is_exempt_from_the_address_limit_by_default():
    clock = Clock()
    hall = Audience(store=None, questions={}, clock=clock,
                    settings=AudienceSettings(answers_per_address=2))
    for _ in range(10):
        hall.check_address("127.0.0.1")
    hall.check_address("10.0.0.7")
    hall.check_address("10.0.0.7")
    with pytest.raises(AudienceError) as caught:
        hall.check_address("10.0.0.7")
    assert caught.value.status == 429
    hall.close()



# --------------------------------------------------------------------------- behind a proxy


def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    proxies = audience.parse_trusted_proxies("10.0.0.5, 192.168.7.0/24, ::1")
    ca = audience.client_address
    assert ca("10.0.0.5", "203.0.113.7", proxies) == "203.0.113.7"
    assert ca("10.0.0.5", "6.6.6.6, 203.0.113.7, 192.168.7.20", proxies) == "203.0.113.7"
    assert ca("::ffff:10.0.0.5", "203.0.113.7", proxies) == "203.0.113.7"
    assert ca("::1", "2001:db8::9", proxies) == "2001:db8::9"
    assert ca("10.0.0.6", "203.0.113.7", proxies) == "10.0.0.6"  # not the proxy
    assert ca("10.0.0.5", "not-an-address", proxies) == "10.0.0.5"
    assert ca("10.0.0.5", None, proxies) == "10.0.0.5"
    assert ca("10.0.0.5", "203.0.113.7", ()) == "10.0.0.5"  # no proxy named: never believed
    with pytest.raises(ValueError, match="not an IP address"):
        audience.parse_trusted_proxies("proxy.local")


class TrustedProxyTest(_Routes):
    """This machine (the test client) is the trusted proxy: each forwarded client has a bucket."""

    settings = AudienceSettings(answers_per_address=3, limit_loopback=True,
                                trusted_proxies=audience.parse_trusted_proxies("127.0.0.1, ::1"))

    def test_the_limit_is_per_forwarded_client(self):
        self.store.open_question(CODE, EVER)
        first = [self.post(body("yes", tok=token(n)), **{"X-Forwarded-For": "203.0.113.1"})[0]
                 for n in range(4)]
        assert first == [200, 200, 200, 429]
        assert self.post(body("no", tok=token(9)), **{"X-Forwarded-For": "203.0.113.2"})[0] == 200
        assert self.store.count(CODE, EVER) == 4


class ForgedForwardedForTest(_Routes):
    """A forged X-Forwarded-For from a client that is not the trusted proxy changes nothing."""

    settings = AudienceSettings(answers_per_address=3, limit_loopback=True,
                                trusted_proxies=audience.parse_trusted_proxies("10.9.9.9"))

    def test_a_new_forged_address_each_time_is_still_one_client(self):
        self.store.open_question(CODE, EVER)
        codes = [self.post(body("yes", tok=token(n)), **{"X-Forwarded-For": f"198.51.100.{n}"})[0]
                 for n in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        assert self.store.count(CODE, EVER) == 3


# --------------------------------------------------------------------------- several servers


class TwoServersOnOnePostgresTest(AsyncHTTPTestCase):
    """Two audience services (two ``rdlearn serve`` processes' worth) on one database."""

    def get_app(self):
        from tests.support.postgres import shared_cluster

        url = shared_cluster().new_database()
        self.clock = Clock()
        self.halls = {name: Audience(store=Store(url), clock=self.clock) for name in "ab"}
        self.store = Store(url)
        self.store.create_workshop(CODE)
        return tornado.web.Application([
            *audience_routes.routes("/a/", audience=self.halls["a"]),
            *audience_routes.routes("/b/", audience=self.halls["b"])])

    def tearDown(self):
        super().tearDown()
        for hall in self.halls.values():
            hall.close()

    def post(self, hall, value, n):
        response = self.fetch(f"/{hall}/audience/api/answer", method="POST",
                              body=body(value, tok=token(n)),
                              headers={"Content-Type": "application/json"})
        return response.code

    def state(self, hall):
        self.clock.t += 1  # past either cache
        return json.loads(self.fetch(f"/{hall}/audience/api/state?workshop={CODE}").body)

    def test_both_count_the_same_votes_and_show_the_same_revealed_results(self):
        self.store.open_question(CODE, EVER)
        votes = ["yes", "no", "yes", "unsure", "yes", "no", "yes"]
        assert [self.post("ab"[n % 2], v, n) for n, v in enumerate(votes)] == [200] * 7
        assert self.post("b", "no", 0) == 200  # the phone changes its vote on the other server
        assert self.state("a")["count"] == self.state("b")["count"] == 7
        self.store.reveal(CODE, EVER)
        a, b = self.state("a"), self.state("b")
        assert a["status"] == b["status"] == "revealed"
        assert a["results"] == b["results"]
        assert a["results"]["counts"][0] == {"label": "Yes, at least once", "count": 3}

    def test_the_question_shown_on_one_server_stays_up_on_the_other(self):
        self.store.open_question(CODE, EVER)
        self.store.reveal(CODE, EVER)
        for n in range(5):
            self.post("a", "yes", n)
        assert self.state("a")["status"] == "revealed"  # only server a has shown it
        self.clock.t += 5
        self.store.open_question(CODE, OFTEN)
        self.store.close_question(CODE, OFTEN)  # opened by mistake, closed before anyone saw
        self.store.close_question(CODE, EVER)
        a, b = self.state("a"), self.state("b")
        assert a["question"]["id"] == b["question"]["id"] == EVER
        assert a["results"] == b["results"] and b["results"]["n"] == 5


def test_the_database_going_away_says_the_room_is_unavailable_and_comes_back():
    import asyncio

    from tests.support.postgres import PostgresCluster

    cluster = PostgresCluster().start()
    clock = Clock()
    store = Store(cluster.new_database())
    hall = Audience(store=store, clock=clock)
    try:
        store.create_workshop(CODE)
        store.open_question(CODE, EVER)
        assert asyncio.run(hall.answer(body("yes"), address="10.0.0.7"))["ok"]
        cluster.pause()
        status, reply = hall.state_now(CODE)
        assert status == 503 and "room is unavailable" in json.loads(reply)["error"]
        with pytest.raises(AudienceError) as caught:
            asyncio.run(hall.answer(body("no", tok=token(2)), address="10.0.0.8"))
        assert caught.value.status == 503 and "already given are kept" in caught.value.message
        cluster.restart()
        status, reply = hall.state_now(CODE)
        assert status == 200 and json.loads(reply)["count"] == 1
        assert asyncio.run(hall.answer(body("no", tok=token(2)), address="10.0.0.8"))["ok"]
    finally:
        hall.close()
        cluster.remove()


# --------------------------------------------------------------------------- the keynote page


def test_hall_panel_shows_the_join_code_the_live_count_and_the_research(tmp_path):
    from rdlearn import keynote
    from rdlearn.room import widgets as room_widgets

    room_widgets._ROOM = None
    store = _store(tmp_path)
    panel = keynote.hall_panel(address="http://192.168.1.20:8866", store=store)
    join = panel.children[1].value
    assert "http://192.168.1.20:8866/audience?workshop=HALL01" in join and "<svg" in join
    assert "Waiting for the speaker" in panel.children[2].value
    store.open_question(CODE, EVER)
    for n in range(4):
        store.record_answer(CODE, EVER, token=token(n), value="yes")
    panel.refresh()
    assert "4 answers · open" in panel.children[2].value
    assert panel.children[3].children == ()
    store.reveal(CODE, EVER)
    panel.refresh()
    assert panel.children[3].children == ()  # revealed, but fewer than five
    store.record_answer(CODE, EVER, token=token(7), value="no")
    panel.refresh()
    assert "5 answers" in panel.children[2].value
    research = panel.children[3].children[0]
    assert "rd-group-research" in research._dom_classes
    assert not research.children[1].value  # no "waiting" message: the chart is shown
    room_widgets._ROOM = None


def test_hall_panel_without_an_address_asks_for_one(tmp_path):
    from rdlearn import keynote

    store = _store(tmp_path)
    panel = keynote.hall_panel(workshop="hall01", store=store)
    assert "pass address=" in panel.children[1].value
    panel.link.origin = "http://10.0.0.5:8866"
    panel.refresh()
    assert "http://10.0.0.5:8866/audience?workshop=HALL01" in panel.children[1].value
