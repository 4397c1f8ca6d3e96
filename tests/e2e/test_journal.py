"""The private journal in a real Chromium: what a participant writes stays in their browser.

Assumes the session 1 page shows ``reflection.session_journal(1)`` and
``reflection.workbook()``. Each test gets a fresh browser context, so a fresh localStorage.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import wait_ready

pytestmark = pytest.mark.e2e

PAGE = "01_experiencing-relational-depth.ipynb"
FIRST = "s1-moment-in-therapy"
SECOND = "s1-domain-self"
KEY = "rdlearn:v1:reflection:"
XSS = "<img src=x onerror=alert(1)>"
WIDGET_TIMEOUT = 60_000


def text_box(page, prompt_id=FIRST):
    box = page.get_by_test_id(f"journal-text-{prompt_id}")
    box.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    return box


def wait_saved(page, prompt_id=FIRST):
    expect(page.get_by_test_id(f"journal-status-{prompt_id}")).to_have_text(
        "Saved in this browser", timeout=5_000
    )


def download(page, testid) -> str:
    page.get_by_test_id(testid).wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def stored(page, key):
    raw = page.evaluate("k => window.localStorage.getItem(k)", key)
    return None if raw is None else json.loads(raw)


def record_traffic(context) -> list[str]:
    """Everything pages in this context send to the server: request bodies, websocket frames."""
    sent: list[str] = []

    def watch(page):
        page.on("request", lambda r: sent.append(f"{r.url} {r.post_data or ''}"))
        page.on(
            "websocket",
            lambda ws: ws.on("framesent", lambda frame: sent.append(str(frame))),
        )

    context.on("page", watch)
    return sent


def files_containing(marker: str, places) -> list[str]:
    needle = marker.encode("utf-8")
    found = []
    for place in places:
        place = Path(place)
        candidates = [place] if place.is_file() else (p for p in place.rglob("*") if p.is_file())
        for path in candidates:
            try:
                if needle in path.read_bytes():
                    found.append(str(path))
            except OSError:
                continue
    return found


def test_a_reflection_survives_reload_and_reopening_and_never_reaches_the_server(
    open_page, context, server
):
    sent = record_traffic(context)
    marker = f"private-marker-{uuid.uuid4().hex}"
    words = f"We sat in silence and {marker} then she looked up 🌿 مرحبا"

    page = open_page(PAGE)
    box = text_box(page)
    box.fill(words)
    wait_saved(page)
    expect(page.get_by_test_id(f"journal-count-{FIRST}")).to_contain_text(
        f"{len(words):,} / 20,000"
    )
    assert box.get_attribute("dir") == "auto"
    assert stored(page, KEY + FIRST)["text"] == words

    page.reload()
    wait_ready(page)
    expect(text_box(page)).to_have_value(words)

    page.close(run_before_unload=True)
    page = open_page(PAGE)
    expect(text_box(page)).to_have_value(words)

    markdown = download(page, "workbook-download-md")
    assert markdown.startswith("# My relational depth workbook")
    assert marker in markdown and "Session 1: Experiencing relational depth" in markdown
    printable = download(page, "workbook-download-html")
    assert marker in printable and "@media print" in printable
    page.close(run_before_unload=True)

    assert [s for s in sent if marker in s] == []
    assert files_containing(marker, [*server.data_dirs, server.log_path]) == []


def test_html_typed_by_a_participant_is_shown_as_text_everywhere(open_page, context):
    dialogs = []
    page = open_page(PAGE)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    box = text_box(page, SECOND)
    box.fill(f"Before {XSS} after")
    wait_saved(page, SECOND)
    page.reload()
    wait_ready(page)
    expect(text_box(page, SECOND)).to_have_value(f"Before {XSS} after")
    assert page.locator(".rdj img").count() == 0

    printable = download(page, "workbook-download-html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in printable
    assert "<img" not in printable
    markdown = download(page, "workbook-download-md")
    assert "img src=x onerror=alert(1)" in markdown

    viewer = context.new_page()
    viewer.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    viewer.set_content(printable)
    assert XSS in viewer.inner_text("body")
    assert viewer.locator("img").count() == 0
    viewer.close()
    page.wait_for_timeout(500)
    assert dialogs == []


def test_a_paste_over_the_limit_keeps_what_was_already_written(open_page):
    page = open_page(PAGE)
    box = text_box(page, SECOND)
    box.fill("What I wrote first. ")
    box.press("End")
    page.keyboard.insert_text("x" * 25_000)
    value = box.input_value()
    assert value.startswith("What I wrote first. ")
    assert len(value) == 20_000
    expect(page.get_by_test_id(f"journal-count-{SECOND}")).to_contain_text("20,000 / 20,000")
    expect(page.get_by_test_id(f"journal-limit-{SECOND}")).to_contain_text("20,000 characters")
    wait_saved(page, SECOND)
    assert stored(page, KEY + SECOND)["text"] == value


def _focus_by_tab(page, testid, *, most=200):
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.dataset?.testid") == testid:
            return
    raise AssertionError(f"Tab never reached {testid}")


def test_the_journal_and_workbook_work_with_the_keyboard_alone(open_page):
    page = open_page(PAGE)
    text_box(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    _focus_by_tab(page, f"journal-text-{FIRST}")
    page.keyboard.type("Typed without a mouse")
    wait_saved(page)
    _focus_by_tab(page, "workbook-download-md")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert "Typed without a mouse" in Path(info.value.path()).read_text(encoding="utf-8")


def test_a_second_tab_gets_the_newest_text_and_a_conflict_asks_before_replacing(
    open_page, context
):
    first = open_page(PAGE)
    second = open_page(PAGE)
    text_box(first).fill("Written in the first tab")
    wait_saved(first)
    expect(text_box(second)).to_have_value("Written in the first tab")

    # The second tab is mid-sentence (not yet saved) when the other tab saves new text.
    second.evaluate(
        """([key, prompt]) => {
            const box = document.querySelector(`[data-testid="journal-text-${prompt}"]`);
            box.value = "Draft in the second tab";
            box.dispatchEvent(new Event("input", { bubbles: true }));
            const other = JSON.stringify({ type: "reflection", session: 1, prompt_id: prompt,
              prompt: "", text: "Newer text from elsewhere", updated: new Date().toISOString() });
            const old = localStorage.getItem(key);
            localStorage.setItem(key, other);
            window.dispatchEvent(new StorageEvent("storage", { key, oldValue: old,
              newValue: other, storageArea: localStorage }));
        }""",
        [KEY + FIRST, FIRST],
    )
    expect(second.get_by_test_id(f"journal-conflict-{FIRST}")).to_be_visible()
    expect(text_box(second)).to_have_value("Draft in the second tab")
    second.get_by_test_id(f"journal-keep-mine-{FIRST}").click()
    expect(second.get_by_test_id(f"journal-conflict-{FIRST}")).to_be_hidden()
    assert stored(second, KEY + FIRST)["text"] == "Draft in the second tab"
    assert stored(second, KEY + FIRST + ":conflict")["text"] == "Newer text from elsewhere"
    expect(text_box(first)).to_have_value("Draft in the second tab")

    markdown = download(second, "workbook-download-md")
    assert "Draft in the second tab" in markdown and "Newer text from elsewhere" in markdown


def test_erasing_asks_in_the_page_then_clears_every_answer(open_page):
    dialogs = []
    page = open_page(PAGE)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    text_box(page).fill("To be erased")
    wait_saved(page)

    page.get_by_test_id("workbook-erase").click()
    expect(page.get_by_test_id("workbook-erase-box")).to_be_visible()
    page.get_by_test_id("workbook-erase-cancel").click()
    assert stored(page, KEY + FIRST)["text"] == "To be erased"

    page.get_by_test_id("workbook-erase").click()
    page.get_by_test_id("workbook-erase-confirm").click()
    expect(text_box(page)).to_have_value("")
    keys = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('rdlearn:v1:'))")
    assert keys == []
    assert dialogs == []
