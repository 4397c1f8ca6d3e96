"""Nothing cut off, anywhere, and a page a phone can use with one thumb.

Every page of the app is opened in Chromium at a laptop's size (1366x768) and a phone's
(390x844). On each, every visible control is measured (``layout_probe.js``): a button, a
label or a drop-down whose content is wider than its box (``scrollWidth > clientWidth``;
ipywidgets cuts labels with an ellipsis), the label parts inside each button, and every
text field whose value (or hint, when empty) is wider than the field's inner width. On a
phone, every button, field and choice must also be at least 44 px (a fingertip).

The keynote page is a test of its own (``test_keynote_controls_show_whole``): its slides
belong to another branch, and its failure names that page.

The phone test runs a self-check and a journal entry by touch on ``DAY_PAGE``, the page a
participant works in (today session 1's page; point it at the day page when it lands).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.harness import draw_charts

from .conftest import keep_offline, leave, wait_ready

pytestmark = pytest.mark.e2e

#: The participant's page for the phone test: where a self-check and the journal live.
DAY_PAGE = "voila/render/10_day.ipynb#session-1"
CONSOLE_PAGE = "voila/render/06_facilitator-console.ipynb"
KEYNOTE_PAGE = "voila/render/05_keynote_research-findings.ipynb"

#: Every page but the keynote's, with the fewest controls a correct page shows (so a page
#: that failed to draw its widgets cannot pass by having nothing to measure).
PAGES = {
    "welcome": ("", 1),
    "session 1": ("voila/render/10_day.ipynb#session-1", 50),
    "session 2": ("voila/render/10_day.ipynb#session-2", 30),
    "session 3": ("voila/render/10_day.ipynb#session-3", 40),
    "session 4": ("voila/render/10_day.ipynb#session-4", 40),
    "facilitator console": (CONSOLE_PAGE, 30),
    "hall": ("voila/render/07_keynote-hall.ipynb", 1),
    "audience": ("audience", 1),
}
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
TOUCH = 44  # px: the smallest comfortable touch target (WCAG 2.5.5, Apple's guideline)
PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
WIDGET_TIMEOUT = 60_000


def _open(browser, server, path: str, size: str, *, fewest: int = 1):
    """Open a page at a size and wait until at least ``fewest`` controls are drawn."""
    width, height = SIZES[size]
    phone = size == "phone"
    ctx = keep_offline(browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
        device_scale_factor=2 if phone else 1,
    ))
    page = ctx.new_page()
    page.goto(server.url + path)
    if path.startswith("voila/"):
        wait_ready(page)
    else:
        page.wait_for_load_state("networkidle")
    # Widgets are drawn after the cells, as the kernel sends them.
    page.wait_for_function(
        "n => document.querySelectorAll("
        "'button, select, input, label, [role=button], .rd-nav a').length >= n",
        arg=fewest, timeout=WIDGET_TIMEOUT)
    return ctx, page


def _unlock_console(page, server) -> None:
    """Unlock the console and open a workshop, so that all its controls show."""
    root = page.locator(".rd-group-console")
    root.locator(".rd-group-console-key input").fill(server.facilitator_key)
    root.get_by_role("button", name="Unlock the console").click()
    code = root.locator(".rd-group-console-code input")
    code.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    code.fill("LAYOUT")
    root.get_by_role("button", name="Open this workshop").click()
    expect(root).to_contain_text("Workshop LAYOUT is open", timeout=10_000)


def _measure(page) -> dict:
    return page.evaluate(PROBE, TOUCH)


def _problems(name: str, size: str, found: dict, *, touch: bool) -> list[str]:
    width, _ = SIZES[size]
    lines = [f"{name} at {size} size: {c['tag']} {c['text']!r} needs {c['content']} px, "
             f"has {c['box']} px ({c['within']})" for c in found["cut"]]
    if found["page"]["scrollWidth"] > width:
        lines.append(f"{name} at {size} size scrolls sideways: "
                     f"{found['page']['scrollWidth']} px wide for a {width} px screen")
    if touch:
        lines += [f"{name} at {size} size: {c['tag']} {c['text']!r} is {c['width']}x"
                  f"{c['height']} px, under {TOUCH} px to touch" for c in found["small"]]
    return lines


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_every_label_and_value_shows_whole(browser, server, name, size):
    path, fewest = PAGES[name]
    ctx, page = _open(browser, server, path, size, fewest=fewest)
    try:
        if path == CONSOLE_PAGE:
            _unlock_console(page, server)
        draw_charts(page)  # charts are drawn when seen, with controls of their own
        found = _measure(page)
        assert found["checked"] >= fewest, (
            f"{name}: only {found['checked']} controls drawn, expected at least {fewest}")
        problems = _problems(name, size, found, touch=size == "phone")
        assert problems == [], "\n".join(problems)
    finally:
        leave(page)
        ctx.close()


@pytest.mark.parametrize("size", SIZES)
def test_keynote_controls_show_whole(browser, server, size):
    """The keynote page, apart: its slides' controls (slides.css) are the keynote branch's."""
    ctx, page = _open(browser, server, KEYNOTE_PAGE, size)
    try:
        draw_charts(page)
        found = _measure(page)
        assert found["checked"] >= 1, "keynote: no control drawn"
        problems = _problems("keynote", size, found, touch=size == "phone")
        assert problems == [], ("the keynote page (slides.css, the keynote branch) cuts "
                                "controls:\n" + "\n".join(problems))
    finally:
        leave(page)
        ctx.close()


def _touch_size(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "the control is not on screen"
    return box["width"], box["height"]


def _tap(locator) -> None:
    """Bring a control into reach and tap it, after checking it is fingertip-sized."""
    locator.scroll_into_view_if_needed(timeout=WIDGET_TIMEOUT)
    width, height = _touch_size(locator)
    assert width >= TOUCH and height >= TOUCH, (
        f"{locator} is {width:.0f}x{height:.0f} px, under {TOUCH} px to touch")
    locator.tap()


def test_a_self_check_and_a_journal_entry_by_thumb_on_a_phone(browser, server):
    ctx, page = _open(browser, server, DAY_PAGE, "phone", fewest=PAGES["session 1"][1])
    try:
        # The text uses the phone's width, with a margin on each side.
        column = page.evaluate(
            "() => { const p = document.querySelector('.jp-RenderedHTMLCommon p');"
            " const r = p.getBoundingClientRect(); return [r.left, r.right]; }")
        assert 12 <= column[0] <= 24 and 390 - 24 <= column[1] <= 390 - 12, (
            f"the text runs from {column[0]:.0f} px to {column[1]:.0f} px of 390")

        # A quick-check question: tap an answer, tap "Check my answer", read the feedback.
        item = page.locator(".rd-sc-item").filter(has=page.locator(".widget-radio-box")).first
        item.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
        _tap(item.locator(".widget-radio-box label").first)
        expect(item.locator("input[type='radio']").first).to_be_checked()
        _tap(item.get_by_role("button", name="Check my answer"))
        expect(item.locator(".rd-sc-feedback")).to_be_visible(timeout=10_000)

        # My confidence: choose a rating, then "Show my profile".
        confidence = page.locator(".rd-sc-outcome-confidence")
        rating = confidence.locator("select").first
        rating.scroll_into_view_if_needed()
        assert _touch_size(rating)[1] >= TOUCH
        rating.select_option(index=8)
        _tap(confidence.get_by_role("button", name="Show my profile"))
        expect(confidence.locator(".rd-sc-outcome-confidence-summary")).not_to_be_empty(timeout=10_000)

        # A journal entry: tap the box, write, and see it kept in this browser.
        box = page.locator(".rdj textarea").first
        box.scroll_into_view_if_needed()
        width, height = _touch_size(box)
        assert width >= 390 * 0.8 and height >= 4 * TOUCH, (
            f"the journal box is {width:.0f}x{height:.0f} px on a 390 px phone")
        box.tap()
        page.keyboard.type("We sat quietly, and something shifted.")
        expect(page.locator(".rdj").first).to_contain_text("Saved in this browser",
                                                           timeout=10_000)
        stored = page.evaluate(
            "() => Object.keys(localStorage).filter((k) => k.includes('reflection'))"
            ".map((k) => localStorage.getItem(k))")
        assert any("something shifted" in json.loads(v).get("text", "") for v in stored)

        # Every control on the page, after all that, is still whole and fingertip-sized.
        draw_charts(page)
        problems = _problems("day page", "phone", _measure(page), touch=True)
        assert problems == [], "\n".join(problems)
    finally:
        leave(page)
        ctx.close()
