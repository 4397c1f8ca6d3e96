"""The hall's audience page in a real browser against a real ``rdlearn serve``.

A phone-sized window, an axe-core audit, keyboard only, refusals shown in the page, a
burst from one phone, revealed results, no kernel started and nothing leaving loopback.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from rdlearn.room import questions as room_questions
from rdlearn.room.store import Store
from tests.e2e.conftest import is_loopback, keep_offline

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EVER = "ever-met-at-depth"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def axe_path() -> Path:
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-axe.sh")], check=True, cwd=ROOT)
    return AXE


@pytest.fixture
def hall(server, request):
    """A fresh workshop with the first keynote question open."""
    store = Store(server.store_path)
    code = room_questions.new_workshop_code()
    store.create_workshop(code)
    store.open_question(code, EVER)
    return store, code


def phone_context(browser, **options):
    """A phone-sized browser context whose requests may not leave loopback."""
    return keep_offline(browser.new_context(viewport=PHONE, **options))


def phone_page(open_page, context, code):
    page = open_page(f"/audience?workshop={code}", context, ready=False)
    page.set_viewport_size(PHONE)
    page.wait_for_selector("#question-text:has-text('relational depth')")
    return page


def token_of(page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('rdlearn:v1:token')).token")


def post(page, payload: str) -> dict:
    """Send a raw answer body from the page; return the status and the JSON reply."""
    return page.evaluate(
        """async (body) => {
            const r = await fetch('audience/api/answer', {method: 'POST', body,
                headers: {'Content-Type': 'application/json'}});
            return {status: r.status, body: await r.json()};
        }""", payload)


def test_phone_page_is_accessible_works_by_keyboard_and_starts_no_kernel(
        server, browser, open_page, hall, axe_path):
    store, code = hall
    # The page's Content-Security-Policy forbids injected scripts: bypassed for axe only.
    context = phone_context(browser, bypass_csp=True)
    page = phone_page(open_page, context, code)

    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(
        "async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact}))")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []

    for _ in range(10):  # Tab to the first option
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    assert page.evaluate("document.activeElement.value") == "yes"
    page.keyboard.press("Space")
    assert page.is_checked("#answer-0")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "send-button"
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer-message:has-text('Your answer is saved')")
    assert store.my_answer(code, EVER, token=token_of(page)) == "yes"

    # The button is big enough to tap, and the column fits the phone.
    box = page.locator("#send-button").bounding_box()
    assert box["height"] >= 44 and box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # No kernel for the phone: it never asks for a notebook page or a kernel. (The server's
    # kernel processes are not compared: pools refill in the background during the test.)
    assert not [u for u in page.rd_requests if "/api/kernels" in u or "voila/render" in u]
    assert context.rd_external_requests == []
    assert all(is_loopback(url) for url in page.rd_requests)
    assert page.rd_console_errors == []
    context.close()


def test_refusals_are_shown_and_a_burst_does_not_touch_another_phone(
        server, browser, context, open_page, hall):
    store, code = hall
    page = phone_page(open_page, context, code)
    tok = token_of(page)

    # A tampered option is refused, and the page says why.
    page.evaluate("document.getElementById('answer-1').value = 'maybe'")
    page.check("#answer-1")
    page.click("#send-button")
    page.wait_for_selector("#answer-message.is-error:has-text('Please choose one of the options')")
    assert store.count(code, EVER) == 0

    big = json.dumps({"workshop": code, "question": EVER, "token": tok, "value": "yes",
                      "x": "x" * 3000})
    reply = post(page, big)
    assert reply["status"] == 413 and "too large" in reply["body"]["error"]

    # Another phone votes first, then this one floods the server.
    other_ctx = phone_context(browser)
    other = phone_page(open_page, other_ctx, code)
    other.check("#answer-2")
    other.click("#send-button")
    other.wait_for_selector("#answer-message:has-text('Your answer is saved')")

    statuses = page.evaluate(
        """async ([code, question, token]) => {
            const body = JSON.stringify({workshop: code, question, token, value: 'no'});
            const sent = Array.from({length: 200}, () => fetch('audience/api/answer', {
                method: 'POST', body, headers: {'Content-Type': 'application/json'}}));
            return Promise.all(sent.map(p => p.then(r => r.status)));
        }""", [code, EVER, tok])
    assert statuses.count(429) >= 195 and set(statuses) <= {200, 429}

    # The other phone can still change its answer; its vote was never touched.
    assert store.my_answer(code, EVER, token=token_of(other)) == "unsure"
    other.check("#answer-0")
    with other.expect_response(lambda r: "audience/api/answer" in r.url) as sent:
        other.click("#send-button")
    assert sent.value.status == 200
    other.wait_for_selector("#answer-message.is-ok:has-text('Your answer is saved')")
    assert store.count(code, EVER) == 2
    assert store.my_answer(code, EVER, token=token_of(other)) == "yes"
    assert context.rd_external_requests == other_ctx.rd_external_requests == []
    other_ctx.close()


def test_revealed_results_appear_as_a_table_within_seconds(
        server, context, open_page, hall):
    store, code = hall
    for n, value in enumerate(["yes", "yes", "no", "unsure", "yes"]):
        store.record_answer(code, EVER, token=f"seeded-phone-{n:04d}-xyz", value=value)
    page = phone_page(open_page, context, code)
    assert page.locator("#results").is_hidden()
    store.reveal(code, EVER)
    page.wait_for_selector("#results table", timeout=5_000)
    row = page.locator("#results tbody tr").first
    assert row.locator("th").inner_text() == "Yes, at least once"
    assert row.locator("td.rd-count").inner_text() == "3"
    assert page.locator("#results caption").inner_text().startswith("Have you ever")
