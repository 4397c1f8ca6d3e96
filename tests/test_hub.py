"""A real JupyterHub on loopback serving two rdlearn rooms (deploy/jupyterhub/).

The hub (pip ``jupyterhub``) runs with npm's ``configurable-http-proxy``, a local process
spawner and a dummy (test-only) authenticator, and starts the recipe's rooms: ``room-a``
behind hub login, ``room-b`` open to anonymous participants, each ``rdlearn serve`` with its
own database on the tests' PostgreSQL. ``room-a`` serves the facilitator console too; the
hub's ``facilitators`` group holds one user. Every process is stopped by its pid and every
port is free again at the end. Timings are printed (run with ``-s``), never asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests  # comes with jupyterhub, in the test extra
import sqlalchemy as sa

from rdlearn.room.store import Store
from tests.support.harness import CHROMIUM, CHROMIUM_ARGS
from tests.support.postgres import shared_cluster

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
SESSION = "01_experiencing-relational-depth.ipynb"
CONSOLE = "06_facilitator-console.ipynb"
USER, PASSWORD = "zebrafinch-participant", "a-test-only-password"
FACILITATOR = "heron-facilitator"  # in the hub group "facilitators"
V1 = "v1.kernel.websocket.jupyter.org"


def _free_ports(n: int) -> list[int]:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not in use
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {p for p, parent in parents.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(condition, what: str, timeout: float = 300.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)  # polling a condition, with a deadline
    raise AssertionError(f"timed out waiting for {what}")


def _get(url: str, **kwargs):
    try:
        return requests.get(url, timeout=10, **kwargs)
    except requests.RequestException:
        return None


def _room_answers(url: str) -> bool:
    r = _get(url, allow_redirects=False)
    return r is not None and (
        (r.status_code == 200 and "rdlearn" in r.text.lower())
        or (r.status_code == 302 and "/hub/api/oauth2/authorize" in r.headers.get("Location", "")))


@pytest.fixture(scope="module")
def hub():
    if not CHP.exists():
        pytest.fail("configurable-http-proxy is missing: run `npm install` (make test does)")
    cluster = shared_cluster()
    tmp = Path(tempfile.mkdtemp(prefix="rdlearn-hub-"))
    pages = {"room-a": ("00_welcome.ipynb", SESSION, CONSOLE),  # few pages: small pools
             "room-b": ("00_welcome.ipynb", SESSION)}
    for room, names in pages.items():
        (tmp / room).mkdir()
        for name in names:
            shutil.copy(ROOT / "notebooks" / name, tmp / room / name)
    public, hub_api, proxy_api, port_a, port_b = _free_ports(5)
    stores = {"room-a": cluster.new_database(), "room-b": cluster.new_database()}
    rooms = [
        {"name": "room-a", "port": port_a, "store": stores["room-a"], "login": True,
         "room_size": 1, "notebooks": str(tmp / "room-a"), "facilitator_key": "key-a"},
        {"name": "room-b", "port": port_b, "store": stores["room-b"], "login": False,
         "room_size": 1, "notebooks": str(tmp / "room-b"), "facilitator_key": "key-b"},
    ]
    (tmp / "rooms.json").write_text(json.dumps(rooms))
    (tmp / "test_config.py").write_text(f"""
load_subconfig({str(RECIPE)!r})
c.JupyterHub.load_groups = {{"facilitators": {{"users": [{FACILITATOR!r}]}}}}
c.JupyterHub.bind_url = "http://127.0.0.1:{public}/"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_api}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.JupyterHub.db_url = "sqlite:///{tmp}/hub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/cookie_secret"
""")
    env = {**os.environ, "RDLEARN_ROOMS": str(tmp / "rooms.json"),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("RDLEARN_STORE", None)
    log = open(tmp / "hub.log", "wb")
    began = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(tmp / "test_config.py")],
                            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{public}"
    info = {"proc": proc, "base": base, "stores": stores, "tmp": tmp, "timings": {},
            "ports": [public, hub_api, proxy_api, port_a, port_b]}
    try:
        _wait_for(lambda: proc.poll() is None and (r := _get(base + "/hub/api/")) is not None
                  and r.status_code == 200, "the hub")
        info["timings"]["hub start"] = time.monotonic() - began
        for room in ("room-a", "room-b"):  # the room answers (room-a: with the hub login)
            _wait_for(lambda room=room: _room_answers(f"{base}/services/{room}/"), room)
            info["timings"][f"{room} answering"] = time.monotonic() - began
        info["pids"] = _descendants(proc.pid) | {proc.pid}
        yield info
    finally:
        info.setdefault("pids", _descendants(proc.pid) | {proc.pid})
        info["pids"] |= _descendants(proc.pid)
        stopping = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        left = [p for p in info["pids"] if _alive(p)]
        deadline = time.monotonic() + 30
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = [p for p in left if _alive(p)]
        for pid in left:  # fail the test below, but leave nothing running
            os.kill(pid, signal.SIGKILL)
        info["timings"]["all stopped"] = time.monotonic() - stopping
        log.close()
        print("\nJupyterHub timings (s):", {k: round(v, 2) for k, v in info["timings"].items()})
        busy = [p for p in info["ports"] if not _port_free(p)]
        shutil.copy(tmp / "hub.log", Path(tempfile.gettempdir()) / "rdlearn-hub-test.log")
        shutil.rmtree(tmp, ignore_errors=True)
        assert not left, f"processes left running after the hub stopped: {left}"
        assert not busy, f"ports still in use: {busy}"


def _login(base: str, next_url: str, user: str = USER) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/hub/login", timeout=30)
    xsrf = s.cookies.get("_xsrf", "")
    r = s.post(f"{base}/hub/login?next={requests.utils.quote(next_url)}", timeout=60,
               data={"username": user, "password": PASSWORD, "_xsrf": xsrf})
    assert r.status_code == 200, r.status_code
    return s


def test_a_stranger_is_sent_to_the_hub_login_for_a_room_that_asks_for_one(hub):
    r = requests.get(f"{hub['base']}/services/room-a/voila/render/{SESSION}", timeout=60)
    assert r.status_code == 200 and "/hub/login" in r.url
    assert 'name="password"' in r.text
    # the open room lets the same stranger in
    r = requests.get(f"{hub['base']}/services/room-b/voila/render/{SESSION}", timeout=240)
    assert r.status_code == 200 and "/services/room-b/" in r.url


def _kernel_id(html: str) -> str:
    match = re.search(r'kernel[_-]?[iI]d["\']?\s*[:=]\s*["\']([0-9a-f-]{36})', html)
    assert match, "the session page names its kernel"
    return match.group(1)


async def _kernel_info(url: str, cookies: str, origin: str) -> dict:
    from jupyter_client.session import Session
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1,
        serialize_msg_to_ws_v1,
    )
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    request = HTTPRequest(url, headers={"Origin": origin, "Cookie": cookies})
    ws = await asyncio.wait_for(websocket_connect(request, subprotocols=[V1]), 60)
    try:
        assert ws.selected_subprotocol == V1
        session = Session()
        msg = session.msg("kernel_info_request")
        await ws.write_message(serialize_msg_to_ws_v1(msg, "shell", pack=session.pack),
                               binary=True)
        while True:
            raw = await asyncio.wait_for(ws.read_message(), 60)
            assert raw is not None, "the kernel websocket closed"
            channel, parts = deserialize_msg_from_ws_v1(raw)
            header = json.loads(parts[0])
            if header["msg_type"] == "kernel_info_reply":
                return json.loads(parts[3])
    finally:
        ws.close()


def test_a_logged_in_participant_reaches_the_landing_a_session_and_its_kernel(hub):
    base = hub["base"]
    began = time.monotonic()
    page_url = f"{base}/services/room-a/voila/render/{SESSION}"
    s = _login(base, "/services/room-a/")
    landing = s.get(f"{base}/services/room-a/", timeout=60)
    assert landing.status_code == 200 and SESSION in landing.text
    page = s.get(page_url, timeout=240)
    assert page.status_code == 200 and page.url == page_url
    hub["timings"]["login to session page"] = time.monotonic() - began
    kernel = _kernel_id(page.text)
    cookies = "; ".join(f"{c.name}={c.value}" for c in s.cookies)
    ws_url = (f"ws://127.0.0.1:{base.rsplit(':', 1)[1]}"
              f"/services/room-a/api/kernels/{kernel}/channels")
    reply = asyncio.run(_kernel_info(ws_url, cookies, origin=base))
    assert reply["status"] == "ok" and reply["language_info"]["name"] == "python"
    hub["timings"]["kernel websocket answered"] = time.monotonic() - began


def test_the_kernel_and_contents_apis_are_refused_in_both_rooms(hub):
    s = _login(hub["base"], "/services/room-a/")
    for room in ("room-a", "room-b"):
        for path in ("api/contents", "api/contents/00_welcome.ipynb", "api/kernels",
                     "api/sessions", "api/terminals", "tree"):
            for client in (s, requests):
                r = client.get(f"{hub['base']}/services/{room}/{path}", timeout=30,
                               allow_redirects=False)
                assert r.status_code in (403, 404, 405), (room, path, r.status_code)
        r = s.post(f"{hub['base']}/services/{room}/api/kernels", timeout=30,
                   allow_redirects=False)
        assert r.status_code in (403, 404, 405), (room, r.status_code)


def test_two_rooms_on_one_postgresql_never_see_each_other(hub):
    a, b = (Store(hub["stores"][r]) for r in ("room-a", "room-b"))
    a.create_workshop("ROOMAA")
    b.create_workshop("ROOMBB")
    b.open_question("ROOMBB", "ever-met-at-depth")
    state = f"{hub['base']}/services/{{}}/audience/api/state?workshop={{}}"
    s = _login(hub["base"], "/services/room-a/")  # room-a asks for the hub login
    assert s.get(state.format("room-a", "ROOMAA"), timeout=30).status_code == 200
    assert requests.get(state.format("room-b", "ROOMAA"), timeout=30).status_code == 404
    assert s.get(state.format("room-a", "ROOMBB"), timeout=30).status_code == 404
    vote = requests.post(f"{hub['base']}/services/room-b/audience/api/answer", timeout=30,
                         json={"workshop": "ROOMBB", "question": "ever-met-at-depth",
                               "token": "phone-token-000001-abcdef", "value": "yes"})
    assert vote.status_code == 200, vote.text
    assert b.count("ROOMBB", "ever-met-at-depth") == 1
    assert a.answered_questions("ROOMAA") == [] and a.workshops() == ["ROOMAA"]


def test_hub_user_names_never_reach_the_room_stores(hub):
    s = _login(hub["base"], "/services/room-a/")
    assert s.get(f"{hub['base']}/services/room-a/voila/render/{SESSION}",
                 timeout=240).status_code == 200
    for url in hub["stores"].values():
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            tables = [t for t in sa.inspect(conn).get_table_names()]
            dump = " ".join(str(row) for t in tables
                            for row in conn.exec_driver_sql(f'SELECT * FROM "{t}"'))
        engine.dispose()
        assert "zebrafinch" not in dump.lower()
        assert tables  # the room's store was made (by the room server itself)


def _sent_to_login(response) -> bool:
    return (response.status_code == 302
            and "/hub/api/oauth2/authorize" in response.headers.get("Location", ""))


def test_a_login_room_sends_a_stranger_to_the_login_from_every_page(hub):
    room = f"{hub['base']}/services/room-a/"
    for path in ("", "audience", "audience?workshop=ROOMAA", "audience/static/audience.js",
                 "rdlearn/assets/widgetkit.js", "rdlearn/plotly.min.js",
                 f"voila/render/{SESSION}", f"voila/render/{CONSOLE}"):
        r = requests.get(room + path, timeout=30, allow_redirects=False)
        assert _sent_to_login(r), (path, r.status_code, r.headers.get("Location"))
    r = requests.get(room + "audience?workshop=ROOMAA", timeout=60)  # followed to the end
    assert "/hub/login" in r.url and 'name="password"' in r.text
    for path in ("audience/api/state?workshop=ROOMAA", "rdlearn/facilitator",
                 "api/kernels/00000000-0000-0000-0000-000000000000/channels"):
        r = requests.get(room + path, timeout=30, allow_redirects=False)
        assert r.status_code == 403, (path, r.status_code)
    r = requests.post(room + "audience/api/answer", timeout=30, allow_redirects=False,
                      json={"workshop": "ROOMAA", "question": "ever-met-at-depth",
                            "token": "phone-token-000002-abcdef", "value": "yes"})
    assert r.status_code == 403 and "log in" in r.json()["error"]


def test_a_logged_in_participant_reaches_every_page_of_the_login_room(hub):
    s = _login(hub["base"], "/services/room-a/")
    room = f"{hub['base']}/services/room-a/"
    for path in ("audience", "rdlearn/assets/widgetkit.js", "audience/static/audience.js"):
        r = s.get(room + path, timeout=30, allow_redirects=False)
        assert r.status_code == 200, (path, r.status_code)
    assert s.get(room + "audience/api/state?workshop=NOSUCH", timeout=30).status_code == 404


def test_the_anonymous_room_stays_open_on_every_route(hub):
    room = f"{hub['base']}/services/room-b/"
    for path in ("", "audience?workshop=ROOMBB", "rdlearn/assets/widgetkit.js",
                 "audience/static/audience.js"):
        r = requests.get(room + path, timeout=30, allow_redirects=False)
        assert r.status_code == 200, (path, r.status_code)
    r = requests.get(room + "audience/api/state?workshop=NOSUCH", timeout=30)
    assert r.status_code == 404  # answered by the room, not refused
    # no key route in a room without the hub login, even for a hub facilitator
    f = _login(hub["base"], "/hub/home", user=FACILITATOR)
    assert f.get(room + "rdlearn/facilitator", timeout=30).status_code == 404


def test_only_the_rooms_facilitators_group_gets_its_key(hub):
    route = f"{hub['base']}/services/room-a/rdlearn/facilitator"
    f = _login(hub["base"], "/services/room-a/", user=FACILITATOR)
    r = f.get(route, timeout=30, allow_redirects=False)
    assert r.status_code == 200 and r.json() == {"key": "key-a"}
    assert r.headers["Cache-Control"] == "no-store"
    participant = _login(hub["base"], "/services/room-a/")
    for client in (participant, requests):
        r = client.get(route, timeout=30, allow_redirects=False)
        assert r.status_code == 403 and "key-a" not in r.text


def _console_in_a_browser(browser, base: str, user: str):
    """Log in on the hub's form as ``user``, land on room-a's console; the key route's answer."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.route("**/*", lambda route: route.continue_()
              if route.request.url.startswith(base) else route.abort())  # loopback only
    page = ctx.new_page()
    page.goto(f"{base}/services/room-a/voila/render/{CONSOLE}", timeout=60_000)
    page.locator('input[name="username"]').fill(user)  # a stranger is on the hub's login
    page.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_response(lambda r: r.url.endswith("/services/room-a/rdlearn/facilitator"),
                              timeout=180_000) as answer:
        page.locator("#login_submit").click()
    return ctx, page, answer.value


def test_a_hub_facilitator_gets_the_console_unlocked_and_a_participant_does_not(hub):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`")
    from playwright.sync_api import expect, sync_playwright

    began = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            ctx, page, answer = _console_in_a_browser(browser, hub["base"], FACILITATOR)
            assert answer.status == 200
            console = page.locator(".rd-group-console")
            expect(console).to_contain_text(
                "Console unlocked (you are a facilitator of this room on the hub)",
                timeout=60_000)
            expect(console.get_by_role("button", name="Open this workshop")).to_be_visible()
            expect(console.get_by_label("Facilitator key")).to_be_hidden()
            hub["timings"]["facilitator login to unlocked console"] = time.monotonic() - began
            ctx.close()

            ctx, page, answer = _console_in_a_browser(browser, hub["base"], USER)
            assert answer.status == 403
            console = page.locator(".rd-group-console")
            expect(console.get_by_label("Facilitator key")).to_be_visible(timeout=60_000)
            expect(console.get_by_role("button", name="Open this workshop")).to_be_hidden()
            assert "Console unlocked" not in console.inner_text()
            ctx.close()
        finally:
            browser.close()
