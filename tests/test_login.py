"""A room behind a login (rdlearn.serve.login), with a stand-in for the hub's login.

The real JupyterHub is in tests/test_hub.py; here the identity provider is a small fake
that knows users by a header, so each rule can be checked in milliseconds.
"""

from __future__ import annotations

import json

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase

from rdlearn.room import audience_routes
from rdlearn.room.audience import Audience
from rdlearn.serve import login
from rdlearn.web import facilitator

KEY = "a-room-key-for-tests"


class _Page(tornado.web.RequestHandler):
    def get(self):
        self.finish("the landing page")


class _Callback(tornado.web.RequestHandler):
    def get(self):
        self.finish("login callback")


class FakeLogin:
    """Knows the user named in ``X-Test-User``; ``heron`` is in the facilitators group."""

    login_every_route = True

    def get_user(self, handler):
        name = handler.request.headers.get("X-Test-User")
        if name:
            return {"name": name, "groups": ["facilitators"] if name == "heron" else []}
        handler.get_login_url = lambda: "/hub/login"
        return None

    def is_facilitator(self, user) -> bool:
        return "facilitators" in user["groups"]

    def get_handlers(self):
        return [("/room/oauth_callback", _Callback)]


class NoLogin:
    """Like the laptop: Voilà's identity provider without a token."""

    def get_user(self, handler):
        return {"name": "anonymous"}

    def get_handlers(self):
        return []


def _handlers(tmp_path):
    from rdlearn.room.store import Store

    shared = Audience(store=Store(str(tmp_path / "store.sqlite")))
    return [*audience_routes.routes("/room/", audience=shared), ("/room/", _Page),
            *FakeLogin().get_handlers()]


class _Room(AsyncHTTPTestCase):
    identity = FakeLogin

    def get_app(self):
        idp = self.identity()
        return tornado.web.Application(login.routes(idp, "/room/", _handlers(self.tmp_path)),
                                       identity_provider=idp)


@pytest.fixture(autouse=True)
def _key(monkeypatch, tmp_path, request):
    monkeypatch.setenv(facilitator.KEY_VARIABLE, KEY)
    if request.instance is not None:
        request.instance.tmp_path = tmp_path


class TestBehindLogin(_Room):
    def test_a_stranger_is_sent_to_the_login_from_every_page(self):
        for path in ("/room/", "/room/audience", "/room/audience/static/audience.js"):
            r = self.fetch(path, follow_redirects=False)
            assert r.code == 302 and r.headers["Location"] == "/hub/login", path

    def test_a_strangers_api_calls_and_answers_are_refused(self):
        r = self.fetch("/room/audience/api/state?workshop=ROOM01")
        assert r.code == 403 and "log in" in json.loads(r.body)["error"]
        r = self.fetch("/room/audience/api/answer", method="POST", body="{}",
                       headers={"Content-Type": "application/json"})
        assert r.code == 403

    def test_a_logged_in_participant_reaches_the_pages_but_not_the_key(self):
        wren = {"X-Test-User": "wren"}
        assert self.fetch("/room/", headers=wren).body == b"the landing page"
        assert self.fetch("/room/audience/api/state?workshop=ROOM01", headers=wren).code == 404
        r = self.fetch("/room/" + login.FACILITATOR_ROUTE, headers=wren)
        assert r.code == 403 and KEY not in r.body.decode()

    def test_the_facilitators_group_gets_the_key_never_cached(self):
        r = self.fetch("/room/" + login.FACILITATOR_ROUTE, headers={"X-Test-User": "heron"})
        assert r.code == 200 and json.loads(r.body) == {"key": KEY}
        assert r.headers["Cache-Control"] == "no-store"

    def test_a_stranger_asking_for_the_key_is_refused_not_redirected(self):
        r = self.fetch("/room/" + login.FACILITATOR_ROUTE, follow_redirects=False)
        assert r.code == 403 and KEY not in r.body.decode()

    def test_the_logins_own_callback_stays_open(self):
        assert self.fetch("/room/oauth_callback").body == b"login callback"


class TestOnTheLaptop(_Room):
    identity = NoLogin

    def test_no_login_is_asked_and_there_is_no_key_route(self):
        assert self.fetch("/room/").body == b"the landing page"
        assert self.fetch("/room/audience", follow_redirects=False).code == 200
        assert self.fetch("/room/" + login.FACILITATOR_ROUTE).code == 404


def test_the_laptop_routes_are_served_as_they_are():
    handlers = [("/", _Page), ("/audience", _Callback)]
    assert login.routes(NoLogin(), "/", handlers) is handlers
    assert login.routes(None, "/", handlers) is handlers
