"""The connection-rating pairs exercise in a real Chromium: two partners, two devices.

Serves a copy of the app's notebooks in which the day page draws session 3 with
``connection.connection_rating(seconds_per_minute=1)``, the widget's own parameter, so a
10-minute session lasts about ten seconds.
Each partner has their own browser context (their own localStorage, so their own token).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from rdlearn.serve.cli import notebooks_dir
from tests.support.harness import RunningServer, draw_charts

pytestmark = pytest.mark.e2e

PAGE = "03_deepening-relating-with-clients.ipynb"
WIDGET_TIMEOUT = 60_000
CLIENT = [2, 3, 5, 4, 6, 7, 6, 8, 8, 9]
THERAPIST = [3, 3, 4, 6, 6, 8, 7, 7, 9, 8]


#: Put before the day page's switcher: the day page then draws session 3 (when opened)
#: with one-second exercise minutes.
FAST_MINUTES = """
from rdlearn.sessions import plan as _plan

_real_calls = _plan.session_calls


def _fast_minutes(number):
    return [_plan.Call(c.module, c.name, c.args, {**c.kwargs, "seconds_per_minute": 1})
            if c.name == "connection_rating" else c for c in _real_calls(number)]


_plan.session_calls = _fast_minutes
"""


def fast_minute_notebooks() -> Path:
    """A copy of the app's notebooks whose day page has one-second exercise minutes."""
    folder = Path(tempfile.mkdtemp(prefix="rdlearn-e2e-notebooks-"))
    for notebook in notebooks_dir().glob("*.ipynb"):
        shutil.copy(notebook, folder / notebook.name)
    page = folder / "10_day.ipynb"
    data = json.loads(page.read_text(encoding="utf-8"))
    switcher = [i for i, cell in enumerate(data["cells"])
                if "".join(cell["source"]).startswith("day = sessions.day()")]
    assert len(switcher) == 1, "the day page no longer makes its switcher with sessions.day()"
    data["cells"].insert(switcher[0], {"cell_type": "code", "execution_count": None,
                                       "id": "fast-minutes", "metadata": {}, "outputs": [],
                                       "source": FAST_MINUTES})
    page.write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server():
    folder = fast_minute_notebooks()
    srv = RunningServer(room_size=1, cull_idle_timeout=60,
                        extra_args=["--notebooks", str(folder)])
    srv.start()
    yield srv
    srv.stop()
    shutil.rmtree(folder, ignore_errors=True)


def exercise(page):
    box = page.locator(".rd-pairs")
    box.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    return box


def choose(box, group_class: str, label: str) -> None:
    box.locator(f".{group_class} button", has_text=re.compile(f"^{label}$")).click()


def rate(box, minute: int, value: int) -> None:
    expect(box.locator(".rd-pairs-prompt")).to_contain_text(
        f"during minute {minute}?", timeout=20_000)
    box.locator(".rd-pairs-rating button").nth(value).click()
    box.locator(".rd-pairs-save").click()
    expect(box.locator(".rd-pairs-rating-message")).to_contain_text(
        f"Minute {minute}: Saved", timeout=10_000)


def plotted_series(box) -> list[list]:
    box.locator(".rd-pairs-result figure.rd-chart").first.wait_for(timeout=WIDGET_TIMEOUT)
    draw_charts(box.locator(".rd-pairs-result"))
    plot = box.locator(".rd-pairs-result .js-plotly-plot").first
    return plot.evaluate("el => el.data.filter(t => t.mode === 'lines+markers').map(t => t.y)")


def test_two_partners_see_the_same_chart_and_r_and_the_ratings_are_then_deleted(
    server, browser, open_page
):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        client_page = open_page(PAGE, contexts[0])
        therapist_page = open_page(PAGE, contexts[1])
        client, therapist = exercise(client_page), exercise(therapist_page)

        choose(client, "rd-pairs-role", "Client")
        choose(client, "rd-pairs-length", "10 minutes")
        client.locator(".rd-pairs-create").click()
        code_box = client.locator("p.rd-pairs-code")
        code_box.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
        code = code_box.inner_text().strip()
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)

        choose(therapist, "rd-pairs-role", "Therapist")
        therapist.locator(".rd-pairs-code-input input").fill(code.lower())
        therapist.locator(".rd-pairs-join").click()
        expect(therapist.locator("p.rd-pairs-code")).to_have_text(code, timeout=WIDGET_TIMEOUT)

        begin = client.locator(".rd-pairs-begin")
        expect(begin).to_be_enabled(timeout=WIDGET_TIMEOUT)
        begin.click()

        for minute in range(1, len(CLIENT) + 1):
            rate(client, minute, CLIENT[minute - 1])
            rate(therapist, minute, THERAPIST[minute - 1])
        # Before both have finished, neither page shows the other's ratings.
        assert client.locator(".rd-pairs-result figure.rd-chart").count() == 0
        for box in (client, therapist):
            finish = box.locator(".rd-pairs-finish")
            expect(finish).to_have_text("I have finished", timeout=10_000)
            finish.click()

        expected = float(np.corrcoef(CLIENT, THERAPIST)[0, 1])
        shown = []
        for box in (client, therapist):
            r_text = box.locator(".rd-pairs-r")
            expect(r_text).to_contain_text(f"r = {expected:.2f}", timeout=WIDGET_TIMEOUT)
            shown.append(r_text.inner_text())
            assert plotted_series(box) == [CLIENT, THERAPIST]
        assert shown[0] == shown[1]

        with sqlite3.connect(server.store_path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM pair_ratings WHERE pair = ?",
                                (code,)).fetchone()[0] == 0
            assert conn.execute("SELECT COUNT(*) FROM pairs WHERE code = ?",
                                (code,)).fetchone()[0] == 0
        raw = b"".join(p.read_bytes() for p in server.store_path.parent.glob(
            server.store_path.name + "*"))
        assert code.encode() not in raw
    finally:
        for ctx in contexts:
            ctx.close()
