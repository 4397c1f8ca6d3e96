"""Hostile or broken clients cannot freeze the room's server."""

from __future__ import annotations

import asyncio
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.support.harness import kernel_ws_message

pytestmark = pytest.mark.e2e


def _kernel_id(page) -> str:
    config = json.loads(page.inner_text("#jupyter-config-data") or "{}") if page.locator(
        "#jupyter-config-data").count() else {}
    kernel_id = config.get("kernelId") or re.search(
        r'"kernelId":\s*"([0-9a-f-]{36})"', page.content()).group(1)
    return kernel_id


def _flood_of(page, server, session: str) -> tuple[str, bytes]:
    """The address of a page's kernel channels, and one small message to send it many times."""
    kernel = _kernel_id(page)
    ws_url = (server.url.replace("http", "ws")
              + f"api/kernels/{kernel}/channels?session_id={session}")
    return ws_url, kernel_ws_message("shell", "comm_info_request", {}, session=session,
                                     msg_id=session)


def _connect(url: str, subprotocols=None):
    async def attempt():
        request = HTTPRequest(url, connect_timeout=5, request_timeout=5)
        conn = await websocket_connect(request, subprotocols=subprotocols)
        conn.close()
        return "connected"

    def run():
        try:
            return asyncio.run(attempt())
        except HTTPClientError as exc:
            return exc.code

    # Playwright's sync API owns this thread's event loop: talk to the server from another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=30)


def test_websocket_without_the_kernel_protocol_is_refused_and_the_room_goes_on(open_page, server):
    page = open_page("04_chronic-strategies-of-disconnection.ipynb")
    kernel = _kernel_id(page)
    ws_url = server.url.replace("http", "ws") + f"api/kernels/{kernel}/channels"
    before = server.rss_bytes()
    started = time.monotonic()
    results = [_connect(ws_url) for _ in range(20)]
    assert results == [400] * 20
    assert time.monotonic() - started < 30
    # the server still answers, and did not balloon
    other = open_page("04_chronic-strategies-of-disconnection.ipynb")
    assert "Chronic strategies of disconnection" in other.inner_text("#rendered_cells")
    assert server.rss_bytes() < before + 200e6


def test_a_page_flooding_its_kernel_is_throttled_and_others_keep_working(open_page, server):
    page = open_page("04_chronic-strategies-of-disconnection.ipynb")
    ws_url, message = _flood_of(page, server, "flood")

    async def flood():
        request = HTTPRequest(ws_url, connect_timeout=5, request_timeout=5)
        conn = await websocket_connect(request, subprotocols=["v1.kernel.websocket.jupyter.org"])
        for _ in range(5000):
            if conn.protocol is None:
                break
            await conn.write_message(message, binary=True)
        closed_by_server = False
        while True:  # read until the server closes the flooding connection
            received = await asyncio.wait_for(conn.read_message(), timeout=30)
            if received is None:
                closed_by_server = True
                break
        return closed_by_server, conn.close_code

    with ThreadPoolExecutor(max_workers=1) as pool:
        closed, code = pool.submit(lambda: asyncio.run(flood())).result(timeout=120)
    assert closed and code == 1008
    assert "too many messages" in server.log_text()
    other = open_page("04_chronic-strategies-of-disconnection.ipynb")
    assert "Chronic strategies of disconnection" in other.inner_text("#rendered_cells")


def test_a_page_cut_off_for_flooding_is_told_why(open_page, server):
    page = open_page("04_chronic-strategies-of-disconnection.ipynb")
    ws_url, message = _flood_of(page, server, "f2")
    # a script in the page (a browser extension, a stuck loop) floods the kernel
    code = page.evaluate("""([url, bytes]) => new Promise(resolve => {
        const socket = new WebSocket(url, ['v1.kernel.websocket.jupyter.org']);
        const data = new Uint8Array(bytes);
        socket.onopen = () => { for (let i = 0; i < 5000; i++) { socket.send(data); } };
        socket.onclose = event => resolve(event.code);
    })""", [ws_url, list(message)])
    assert code == 1008
    notice = page.locator(".rd-connection")
    expect(notice).to_be_visible(timeout=10_000)
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("more messages than the server accepts")
    expect(notice).to_contain_text("Nothing you wrote is lost")
    # the page itself is still there, and the notice can be put away from the keyboard
    assert "Chronic strategies of disconnection" in page.inner_text("#rendered_cells")
    notice.get_by_role("button", name="Dismiss").focus()
    page.keyboard.press("Enter")
    expect(notice).to_be_hidden()


def test_a_page_that_loses_the_server_says_so_and_keeps_what_was_typed(browser):
    from tests.support.harness import RunningServer

    from .conftest import keep_offline, wait_ready

    context = keep_offline(browser.new_context())
    own = RunningServer(room_size=1, cull_idle_timeout=60)
    own.start()
    try:
        page = context.new_page()
        page.goto(own.url + "voila/render/04_chronic-strategies-of-disconnection.ipynb")
        wait_ready(page)
        notice = page.locator(".rd-connection")
        assert notice.count() == 0
        own.stop()  # the facilitator's laptop goes to sleep, or the server is stopped
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice).to_contain_text("The connection to the workshop server was lost")
        expect(notice).to_contain_text("kept in this browser")
        assert "Chronic strategies of disconnection" in page.inner_text("#rendered_cells")
    finally:
        own.stop()
        context.close()
