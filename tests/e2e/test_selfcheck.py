"""The session 4 self-check in a real Chromium: write in my own words first (or skip), then
answer with the keyboard, see the profile, add a strategy of my own, and find it all in the
downloaded workbook.

Assumes the session 4 page, ``04_chronic-strategies-of-disconnection.ipynb``, displays
``selfcheck_ui.chronic_disconnection()`` and ``reflection.workbook()``. Each test gets a
fresh browser context, so a fresh localStorage.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rdlearn.selfcheck import instruments as selfcheck
from tests.support.harness import draw_charts

from .conftest import wait_ready

pytestmark = pytest.mark.e2e

PAGE = "04_chronic-strategies-of-disconnection.ipynb"
KEY = "rdlearn:v1:selfcheck:chronic-disconnection"
PREFIX = "rd-sc-chronic-disconnection"
WIDGET_TIMEOUT = 60_000
OWN = "Checking my phone <b>when</b> someone wants to talk"


def instrument():
    return selfcheck.load_instrument("chronic-disconnection")


def option_label(inst, value) -> str:
    if value is None:
        return "Prefer not to say"
    return f"{value} {inst['scale']['anchors'][value]}"


def choose_with_keyboard(page, item: str, context: str, label: str) -> None:
    """Tab into the item's rating buttons and press the one with this label with the keyboard."""
    group = page.locator(f".{PREFIX}-{item}-{context}")
    group.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    target = group.get_by_role("button", name=label, exact=True)
    target.focus()
    expect(target).to_be_focused()
    page.keyboard.press("Space")
    expect(target).to_have_class(re.compile(r"mod-active"), timeout=10_000)


def stored(page):
    raw = page.evaluate("k => window.localStorage.getItem(k)", KEY)
    return None if raw is None else json.loads(raw)


def wait_stored(page, keys: list[str], timeout_ms: int = 10_000):
    """Wait until every answer key is saved in localStorage; return the saved item."""
    page.wait_for_function(
        """([k, keys]) => {
            const raw = window.localStorage.getItem(k);
            const answers = raw === null ? null : JSON.parse(raw).answers;
            return answers ? keys.every((key) => key in answers) : false;
        }""",
        arg=[KEY, keys],
        timeout=timeout_ms,
    )
    return stored(page)


FREE = "Changing the subject\nMaking a joke <i>of it</i> 😅"


def skip_to_the_list(page) -> None:
    """Choose "Skip to the list" in the free-listing step, and wait for the list."""
    skip = page.locator(f".{PREFIX}-free-skip")
    skip.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    skip.focus()
    page.keyboard.press("Enter")
    page.locator(f".{PREFIX}-checklist").wait_for(state="visible", timeout=WIDGET_TIMEOUT)


def download(page, testid) -> str:
    page.get_by_test_id(testid).wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_answer_with_the_keyboard_and_see_the_everyday_and_therapy_profile(open_page):
    inst = instrument()
    page = open_page(PAGE)
    skip_to_the_list(page)
    answers = {("joke", "everyday"): 2, ("joke", "therapy"): 4, ("busy", "everyday"): 3,
               ("busy", "therapy"): 1, ("explain", "therapy"): None}
    for (item, context), value in answers.items():
        choose_with_keyboard(page, item, context, option_label(inst, value))
    saved = wait_stored(page, [f"{i}@{c}" for i, c in answers])
    assert saved["type"] == "selfcheck"
    assert saved["answers"] == {f"{i}@{c}": v for (i, c), v in answers.items()}

    show = page.locator(f".{PREFIX}-show")
    show.focus()
    page.keyboard.press("Enter")
    page.locator(f".{PREFIX}-chart figure.rd-chart").wait_for(timeout=WIDGET_TIMEOUT)
    assert draw_charts(page.locator(f".{PREFIX}-chart")) == 1
    labels = {it["id"]: it["label"] for it in inst["items"]}
    summary = page.locator(f".{PREFIX}-summary")
    expect(summary).to_contain_text("Most present in your therapy work", timeout=10_000)
    expect(summary).to_contain_text(labels["joke"])
    legend = page.locator(f".{PREFIX}-chart .legend")
    for ctx in inst["contexts"]:
        expect(legend).to_contain_text(ctx["label"])
    details = page.locator(f".{PREFIX}-chart details")
    details.locator("summary").click()
    expect(details.locator("table")).to_contain_text(labels["busy"])
    assert not page.rd_console_errors


def test_add_an_own_strategy_and_find_everything_in_the_workbook(open_page):
    inst = instrument()
    page = open_page(PAGE)
    free = page.locator(f".{PREFIX}-free-text textarea")
    free.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    expect(page.locator(f".{PREFIX}-checklist")).to_be_hidden()
    expect(page.locator(f".{PREFIX}-free-listing")).to_contain_text(
        inst["free_listing"]["prompt"][:40])
    free.fill(FREE)
    page.locator(f".{PREFIX}-free-continue").click()
    page.locator(f".{PREFIX}-checklist").wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    page.wait_for_function(
        "k => (JSON.parse(window.localStorage.getItem(k) || '{}').free_listing || '')"
        ".startsWith('Changing the subject')", arg=KEY, timeout=10_000)
    assert stored(page)["free_listing"] == FREE
    box = page.locator(f".{PREFIX}-own-text input")
    box.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    box.fill(OWN)
    box.press("Enter")  # the text is sent when the box is left or Enter is pressed
    page.locator(f".{PREFIX}-own-add").focus()
    page.keyboard.press("Enter")
    choose_with_keyboard(page, "own-1", "therapy", option_label(inst, 3))
    choose_with_keyboard(page, "cool", "everyday", option_label(inst, 2))
    saved = wait_stored(page, ["own-1@therapy", "cool@everyday"])
    assert saved["own_items"] == [OWN]

    markdown = download(page, "workbook-download-md")
    assert "## Self-checks" in markdown
    assert f"### {inst['title']}" in markdown
    own_line = ("Checking my phone \\<b>when\\</b> someone wants to talk: everyday not "
                f"answered; therapy 3 ({inst['scale']['anchors'][3]})")
    assert own_line in markdown
    cool = next(it["label"] for it in inst["items"] if it["id"] == "cool")
    assert f"{cool}: everyday 2 ({inst['scale']['anchors'][2]})" in markdown

    assert "In my own words, before the list:" in markdown
    assert "Making a joke \\<i>of it\\</i> 😅" in markdown

    printable = download(page, "workbook-download-html")
    assert "&lt;b&gt;when&lt;/b&gt;" in printable and "<b>when</b>" not in printable


def test_answers_come_back_after_a_reload(open_page):
    inst = instrument()
    page = open_page(PAGE)
    skip_to_the_list(page)
    choose_with_keyboard(page, "withdraw", "therapy", option_label(inst, 3))
    wait_stored(page, ["withdraw@therapy"])
    page.reload()
    wait_ready(page)
    # the list was shown before, so it is shown again at once
    page.locator(f".{PREFIX}-checklist").wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    restored = page.locator(f".{PREFIX}-withdraw-therapy").get_by_role(
        "button", name=option_label(inst, 3), exact=True)
    expect(restored).to_have_class(re.compile(r"mod-active"),
                                   timeout=WIDGET_TIMEOUT)
