"""The relationship map in a real Chromium: entries stay in the browser, shown as text.

Assumes the session 2 page shows ``relationship_map.relationship_map()`` and
``reflection.workbook()``. Each test gets a fresh browser context, so a fresh localStorage.
"""

from __future__ import annotations

import json
import math
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rdlearn.journal import relationship as relationship_map

from .conftest import wait_ready
from .test_journal import files_containing, record_traffic

pytestmark = pytest.mark.e2e

PAGE = "02_relatedness-and-wellbeing.ipynb"
KEY = relationship_map.STORAGE_KEY
XSS = "<img src=x onerror=alert(1)>"
WIDGET_TIMEOUT = 60_000
EDGES = relationship_map.RING_EDGES


def map_ready(page):
    page.get_by_test_id("map-name").wait_for(state="visible", timeout=WIDGET_TIMEOUT)


def stored(page):
    raw = page.evaluate("k => window.localStorage.getItem(k)", KEY)
    return None if raw is None else json.loads(raw)


def put_map(page, people):
    """Save a map straight into this browser's storage, as an earlier visit would have."""
    item = {"type": "relationship-map", "title": "My relationship map", "lines": [],
            "people": people, "updated": "2025-01-01T00:00:00Z"}
    page.evaluate("([k, v]) => window.localStorage.setItem(k, v)", [KEY, json.dumps(item)])
    page.reload()
    wait_ready(page)
    map_ready(page)


def active_testid(page):
    return page.evaluate("() => document.activeElement?.dataset?.testid ?? null")


def download(page, testid) -> str:
    page.get_by_test_id(testid).wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def dot(page, index) -> dict:
    return page.get_by_test_id(f"map-dot-{index}").evaluate(
        "g => ({ring: Number(g.dataset.ring), x: Number(g.dataset.x), y: Number(g.dataset.y)})"
    )


def add_with_keyboard(page, name, *, kind_key=None, ring_key=None, note=None):
    """Fill the form with the keyboard only: type, Tab, and pick options by their first letter."""
    page.get_by_test_id("map-name").focus()
    page.keyboard.type(name)
    if kind_key is None and ring_key is None and note is None:
        page.keyboard.press("Enter")
        return
    for testid, key in (("map-kind", kind_key), ("map-ring", ring_key)):
        page.keyboard.press("Tab")
        assert active_testid(page) == testid
        if key:
            page.keyboard.press(key)
    page.keyboard.press("Tab")
    assert active_testid(page) == "map-note"
    page.keyboard.type(note or "")
    page.keyboard.press("Tab")
    assert active_testid(page) == "map-add"
    page.keyboard.press("Enter")


def test_entries_added_with_the_keyboard_survive_a_reload_move_closer_and_stay_private(
    open_page, context, server
):
    sent = record_traffic(context)
    marker = f"private-marker-{uuid.uuid4().hex}"
    page = open_page(PAGE)
    map_ready(page)

    add_with_keyboard(page, "Sam")
    expect(page.get_by_test_id("map-message")).to_have_text("Added Sam to the very close ring.")
    assert active_testid(page) == "map-name"
    add_with_keyboard(page, "My team", kind_key="g", ring_key="s", note=f"Lunch {marker}")
    add_with_keyboard(page, "Rex", kind_key="p", ring_key="m")
    expect(page.get_by_test_id("map-message")).to_have_text("Added Rex to the more distant ring.")

    saved = stored(page)
    assert [(p["name"], p["kind"], p["ring"]) for p in saved["people"]] == [
        ("Sam", "person", 0), ("My team", "group", 2), ("Rex", "pet", 3),
    ]
    assert saved["type"] == "relationship-map" and saved["title"] == "My relationship map"
    assert "Very close: Sam (person)" in saved["lines"]

    page.reload()
    wait_ready(page)
    map_ready(page)
    for index, name in enumerate(["Sam", "My team", "Rex"]):
        expect(page.get_by_test_id(f"map-entry-{index}")).to_contain_text(name)
    expect(page.get_by_test_id("map-entry-1")).to_contain_text(marker)
    assert dot(page, 1)["ring"] == 2

    page.get_by_test_id("map-closer-1").focus()
    page.keyboard.press("Enter")
    assert active_testid(page) == "map-closer-1"
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("map-message")).to_have_text(
        "Moved My team closer, to the very close ring."
    )
    aria = page.get_by_test_id("map-closer-1").get_attribute("aria-label")
    assert "My team" in aria

    moved = dot(page, 1)
    assert moved["ring"] == 0
    assert EDGES[0] < math.hypot(moved["x"], moved["y"]) < EDGES[1]
    # the browser lays the ring out exactly as Python does: Sam first, then My team
    expected = relationship_map.ring_positions(2, 0)
    assert (moved["x"], moved["y"]) == pytest.approx(expected[1], abs=0.011)
    assert (dot(page, 0)["x"], dot(page, 0)["y"]) == pytest.approx(expected[0], abs=0.011)
    expect(page.get_by_test_id("map-summary")).to_contain_text(
        "2 in your closest ring (very close): Sam and My team."
    )
    assert stored(page)["people"][1]["ring"] == 0

    page.close(run_before_unload=True)
    assert context.rd_external_requests == []
    assert [s for s in sent if marker in s] == []
    assert files_containing(marker, [*server.data_dirs, server.log_path]) == []


def test_markup_rtl_and_emoji_names_are_shown_as_text_and_run_nothing(open_page):
    dialogs = []
    page = open_page(PAGE)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    map_ready(page)
    for name in (XSS, "مريم", "Nana 🌻"):
        add_with_keyboard(page, name)
    page.reload()
    wait_ready(page)
    map_ready(page)

    cells = page.locator('[data-testid^="map-entry-"] .rdm-name')
    expect(cells).to_have_text([XSS, "مريم", "Nana 🌻"])
    assert cells.nth(1).get_attribute("dir") == "auto"
    widget = page.get_by_test_id("relationship-map")
    assert widget.locator("img").count() == 0
    label = page.get_by_test_id("map-label-0").text_content()
    assert label.startswith("<img s") and label.endswith("…")
    assert page.get_by_test_id("map-dot-0").locator("title").text_content().startswith(XSS)
    expect(page.get_by_test_id("map-summary")).to_contain_text(f"{XSS}, مريم and Nana 🌻.")
    page.wait_for_timeout(500)
    assert dialogs == []


def test_the_workbook_download_contains_the_map(open_page):
    page = open_page(PAGE)
    map_ready(page)
    add_with_keyboard(page, "Sam")
    add_with_keyboard(page, "Book club", kind_key="g", ring_key="m", note="Monthly, since 2019")
    answer = page.get_by_test_id("map-answer-closer")
    answer.fill("My brother: I could ring him on Sundays.")
    expect(page.get_by_test_id("map-status")).to_have_text("Saved in this browser")

    lines = stored(page)["lines"]
    assert lines == [
        "Very close: Sam (person)",
        "More distant: Book club (group)",
        "Note on Book club: Monthly, since 2019",
        "Someone I would like closer: My brother: I could ring him on Sundays.",
    ]
    markdown = download(page, "workbook-download-md")
    assert "My relationship map" in markdown
    for line in lines:
        assert line in markdown, line


def test_a_full_map_refuses_more_and_labels_stay_apart(open_page):
    page = open_page(PAGE)
    map_ready(page)
    names = ["Sam", "Ana María", "my team", "Grandad Joe", "Priya", "the choir", "Luca",
             "Whiskers", "Aunt Bea", "Tom", "online friends", "Kim", "neighbours", "Dev",
             "Mo", "Christopher", "church", "Zoe", "Ola", "book club", "Jo", "Rex",
             "Dr Okafor", "my sister"]
    people = [{"name": n, "kind": "person", "ring": i % 4, "note": ""} for i, n in enumerate(names)]
    people[:12] = [dict(p, ring=0 if i < 8 else 1) for i, p in enumerate(people[:12])]
    put_map(page, people)
    boxes = page.locator(".rdm-label").evaluate_all(
        "els => els.map(e => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; })"
    )
    assert len(boxes) == 24
    for (ax, ay, aw, ah), (bx, by, bw, bh) in ((a, b) for i, a in enumerate(boxes)
                                                for b in boxes[i + 1:]):
        shared = max(0, min(ax + aw, bx + bw) - max(ax, bx)) * max(
            0, min(ay + ah, by + bh) - max(ay, by)
        )
        assert shared <= 0.15 * min(aw * ah, bw * bh)

    full = [{"name": f"Friend {i}", "kind": "person", "ring": i % 4, "note": ""}
            for i in range(relationship_map.MAX_ENTRIES)]
    put_map(page, full)
    expect(page.locator('[data-testid^="map-entry-"]')).to_have_count(40)
    add_with_keyboard(page, "One more")
    expect(page.get_by_test_id("map-message")).to_have_text(
        "Your map holds up to 40 entries. Remove one to add another."
    )
    assert len(stored(page)["people"]) == 40
    page.get_by_test_id("map-remove-39").focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid^="map-entry-"]')).to_have_count(39)
    assert active_testid(page) == "map-remove-38"


def test_clearing_asks_first_and_the_workbook_erase_empties_the_map(open_page):
    page = open_page(PAGE)
    map_ready(page)
    add_with_keyboard(page, "Sam")
    page.get_by_test_id("map-clear").click()
    expect(page.get_by_test_id("map-clear-box")).to_be_visible()
    page.get_by_test_id("map-clear-cancel").click()
    expect(page.get_by_test_id("map-entry-0")).to_contain_text("Sam")
    page.get_by_test_id("map-clear").click()
    page.get_by_test_id("map-clear-confirm").click()
    expect(page.locator('[data-testid^="map-entry-"]')).to_have_count(0)
    expect(page.get_by_test_id("map-summary")).to_contain_text("Your map is empty")
    assert stored(page) is None

    add_with_keyboard(page, "Jo")
    page.get_by_test_id("workbook-erase").click()
    page.get_by_test_id("workbook-erase-confirm").click()
    expect(page.locator('[data-testid^="map-entry-"]')).to_have_count(0)
    assert stored(page) is None


def test_a_damaged_saved_map_is_shown_as_unreadable_and_kept_until_cleared(open_page):
    page = open_page(PAGE)
    map_ready(page)
    damaged = '{"type": "relationship-map", "people": [{"name": "Sam"'  # cut off mid-write
    page.evaluate("([k, v]) => window.localStorage.setItem(k, v)", [KEY, damaged])
    page.reload()
    wait_ready(page)
    map_ready(page)
    expect(page.get_by_test_id("map-status")).to_contain_text("could not be read")

    add_with_keyboard(page, "Jo")
    expect(page.get_by_test_id("map-entry-0")).to_contain_text("Jo")
    expect(page.get_by_test_id("map-status")).to_contain_text("could not be read")
    raw = page.evaluate("k => window.localStorage.getItem(k)", KEY)
    assert raw == damaged, "the damaged item was overwritten without the participant choosing"

    page.get_by_test_id("map-clear").click()
    page.get_by_test_id("map-clear-confirm").click()
    assert stored(page) is None
    add_with_keyboard(page, "Ana")
    expect(page.get_by_test_id("map-status")).to_have_text("Saved in this browser")
    assert [p["name"] for p in stored(page)["people"]] == ["Ana"]
