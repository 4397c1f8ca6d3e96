"""Fixtures for the end-to-end tests: a real ``rdlearn serve`` and a real Chromium.

A missing browser is a failure, never a skip: run ``make test``, which installs it.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.support.harness import CHROMIUM, CHROMIUM_ARGS, RunningServer

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-extension", "chrome"):
        return True
    return (parsed.hostname or "") in LOOPBACK


@pytest.fixture(scope="session")
def server():
    # Idle kernels of closed pages are culled after 20 s (checked every 10 s); the tests
    # that check the unload beacon wait less than that, so they can tell the two apart.
    srv = RunningServer(room_size=1, cull_idle_timeout=20)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def keep_offline(ctx):
    """Abort every request that would leave loopback, and remember it in the context."""
    ctx.rd_external_requests = []

    def guard(route):
        if is_loopback(route.request.url):
            route.continue_()
        else:
            ctx.rd_external_requests.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    return ctx


@pytest.fixture
def context(browser):
    ctx = keep_offline(
        browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    )
    yield ctx
    ctx.close()


def wait_ready(page, timeout_ms: int = 60_000) -> None:
    """A Voilà page is ready when its cells are shown and the widget manager exists.

    The day page is ready when the session in its address is drawn (a session's old
    address leads there).
    """
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout_ms)
    page.wait_for_function(
        "() => window.jupyterapp !== undefined"
        " && document.querySelector('#rendered_cells').innerText.trim().length > 0"
        " && (!location.pathname.endsWith('/10_day.ipynb')"
        "     || !!(document.querySelector('.rd-day') || {dataset: {}}).dataset.ready)",
        timeout=timeout_ms,
    )


def leave(page) -> None:
    """Leave a page as a person does: its unload handler asks the server to free the kernel."""
    from playwright.sync_api import Error as PlaywrightError

    if page.is_closed():
        return
    try:
        page.goto("about:blank")  # runs the page's unload handlers, and waits for them
        page.close()
    except PlaywrightError:  # the test closed it already, or its context is gone
        pass


@pytest.fixture
def open_page(server, context):
    """Open an app page (a notebook name, or a path below the server) and wait until ready.

    The page records every request in ``page.rd_requests`` and every console error or
    uncaught exception in ``page.rd_console_errors``.
    """
    opened = []

    def _open(path: str, ctx=None, *, ready: bool = True):
        target = ctx or context
        page = target.new_page()
        page.rd_requests = []
        page.rd_console_errors = []
        page.on("request", lambda r: page.rd_requests.append(r.url))
        page.on(
            "console",
            lambda m: page.rd_console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: page.rd_console_errors.append(str(e)))
        url = path if path.startswith("http") else (
            server.url + ("voila/render/" + path if path.endswith(".ipynb") else path.lstrip("/"))
        )
        page.goto(url)
        if ready:
            wait_ready(page)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        if not page.is_closed():
            leave(page)


def app_pages() -> list[str]:
    from rdlearn.serve.app import PAGE_PATTERN
    from rdlearn.serve.cli import notebooks_dir

    names = (p.name for p in Path(notebooks_dir()).glob("*.ipynb"))
    return sorted(name for name in names if PAGE_PATTERN.match(name))
