"""The room in a real Chromium: five participants, one facilitator console, one reveal.

Assumes the rig in ``tests/e2e/conftest.py``: ``server`` (a running ``rdlearn serve`` with
``.url``, ``.facilitator_key`` and ``RDLEARN_STORE`` on a temporary file), ``browser`` (a
Playwright Chromium) and ``open_page(path, context)``, which opens an app page and waits
until it is ready. The session pages call ``group_ui.join()`` and ``group_ui.ask(<id>)``;
the console page calls ``group_ui.console()``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SCALE_PAGE = "01_experiencing-relational-depth.ipynb"  # ask("how-often-at-depth")
LINE_PAGE = "03_deepening-relating-with-clients.ipynb"  # ask("what-helps-depth")
CONSOLE_PAGE = "06_facilitator-console.ipynb"
SCALE_QUESTION = "How often do such moments happen in your work?"
LINE_QUESTION = "Share one line: what helps you meet a client at depth?"
PAYLOAD = "<img src=x onerror=alert(1)>"
UPDATE_MS = 3_000  # pages poll about once a second; a revealed result shows within 2 s


@pytest.fixture
def contexts(browser):
    made = []

    def new():
        ctx = browser.new_context(viewport={"width": 1100, "height": 900})
        made.append(ctx)
        return ctx

    yield new
    for ctx in made:
        ctx.close()


def watch_dialogs(page) -> list[str]:
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def unlock_console(open_page, server, code: str):
    console = open_page(CONSOLE_PAGE)
    root = console.locator(".rd-group-console")
    root.locator(".rd-group-console-key input").fill(server.facilitator_key)
    root.get_by_role("button", name="Unlock the console").click()
    expect(root).to_contain_text("Console unlocked", timeout=10_000)
    root.locator(".rd-group-console-code input").fill(code)
    root.get_by_role("button", name="Open this workshop").click()
    expect(root).to_contain_text(f"Workshop {code} is open", timeout=10_000)
    return console


def open_question(console, text: str) -> None:
    root = console.locator(".rd-group-console")
    root.locator(".rd-group-console-question").get_by_role("radio", name=text, exact=True).check()
    root.get_by_role("button", name="Open for answers").click()
    expect(root.locator(".rd-group-status")).to_contain_text("open for answers", timeout=10_000)


def click_console(console, name: str) -> None:
    console.locator(".rd-group-console").get_by_role("button", name=name, exact=True).click()


def ask_box(page, question: str):
    return page.locator(".rd-group-ask").filter(has_text=question)


def vote_on_scale(page, value: int) -> None:
    ask = ask_box(page, SCALE_QUESTION)
    ask.locator(".rd-group-answer").get_by_role("button", name=str(value), exact=True).click()
    ask.get_by_role("button", name="Send my answer").click()
    expect(ask).to_contain_text("your answer is in", timeout=10_000)


def counts_shown(page) -> dict[str, int]:
    rows = ask_box(page, SCALE_QUESTION).locator(".rd-results-table tbody tr")
    shown = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        shown[row.locator("th").inner_text().strip()] = int(row.locator("td").last.inner_text())
    return shown


def test_five_participants_vote_and_see_the_same_counts_only_after_the_reveal(
    server, open_page, contexts
):
    code = "E2EVOTE"
    console = unlock_console(open_page, server, code)
    open_question(console, SCALE_QUESTION)

    pages = []
    dialogs = []
    for _ in range(5):
        page = open_page(f"voila/render/{SCALE_PAGE}?workshop={code}", contexts())
        dialogs.append(watch_dialogs(page))
        expect(page.locator(".rd-group-join")).to_contain_text(f"You are in the room {code}",
                                                               timeout=45_000)
        expect(ask_box(page, SCALE_QUESTION).get_by_role("button", name="Send my answer")
               ).to_be_visible(timeout=45_000)
        pages.append(page)

    votes = [7, 5, 5, 3, 6]
    for page, vote in zip(pages[:4], votes[:4], strict=True):
        vote_on_scale(page, vote)
    status = console.locator(".rd-group-console .rd-group-status")
    expect(status).to_contain_text("4 answers", timeout=UPDATE_MS)

    # Revealed with four answers: the room sees only that it is waiting.
    click_console(console, "Reveal to the room")
    for page in pages:
        expect(ask_box(page, SCALE_QUESTION)).to_contain_text(
            "Waiting for at least 5 answers (4 so far)", timeout=UPDATE_MS)
        assert ask_box(page, SCALE_QUESTION).locator(".rd-results-table").count() == 0
    click_console(console, "Hide from the room")

    # Five answers, not yet revealed: still nothing.
    vote_on_scale(pages[4], votes[4])
    expect(status).to_contain_text("5 answers", timeout=UPDATE_MS)
    for page in pages:
        expect(ask_box(page, SCALE_QUESTION)).to_contain_text("reveals them",
                                                              timeout=UPDATE_MS)
    pages[0].wait_for_timeout(2_500)  # longer than two polls: a leak would show by now
    for page in pages:
        assert page.locator(".rd-group-ask .rd-results-table").count() == 0

    # Revealed: every page shows the same counts within a couple of seconds.
    click_console(console, "Reveal to the room")
    expected = {str(point): votes.count(point) for point in range(1, 8)}
    for page in pages:
        expect(ask_box(page, SCALE_QUESTION).locator(".rd-results-table")).to_be_visible(
            timeout=UPDATE_MS)
        assert counts_shown(page) == expected
    assert all(seen == [] for seen in dialogs)


def test_shared_html_shows_as_text_and_runs_nothing(server, open_page, contexts):
    code = "E2ETEXT"
    console = unlock_console(open_page, server, code)
    open_question(console, LINE_QUESTION)

    pages, dialogs = [], []
    for n in range(5):
        page = open_page(f"voila/render/{LINE_PAGE}?workshop={code}", contexts())
        dialogs.append(watch_dialogs(page))
        ask = ask_box(page, LINE_QUESTION)
        expect(ask.locator(".rd-group-answer input")).to_be_visible(timeout=45_000)
        ask.locator(".rd-group-answer input").fill(PAYLOAD if n == 0 else f"slowing down {n}")
        ask.get_by_role("button", name="Send my answer").click()
        expect(ask).to_contain_text("your answer is in", timeout=10_000)
        pages.append(page)

    queue = console.locator(".rd-group-console .rd-group-queue")
    expect(queue).to_contain_text(PAYLOAD, timeout=UPDATE_MS)
    assert queue.locator("img").count() == 0
    approve = queue.get_by_role("button", name="Approve")
    for remaining in range(5, 0, -1):
        expect(approve).to_have_count(remaining, timeout=UPDATE_MS)
        approve.first.click()
    expect(queue).to_contain_text("Nothing is waiting", timeout=UPDATE_MS)
    click_console(console, "Reveal to the room")

    for page in pages:
        results = ask_box(page, LINE_QUESTION).locator(".rd-shared-lines")
        expect(results).to_contain_text(PAYLOAD, timeout=UPDATE_MS)
        expect(results).to_contain_text(re.compile(r"slowing down \d"))
        assert page.locator(".rd-group-ask img").count() == 0
    pages[0].wait_for_timeout(1_000)
    assert all(seen == [] for seen in dialogs)
    assert console.locator("img[src='x']").count() == 0
