"""The keynote page in a real Chromium: slides, keys, full-screen button, notes kept hidden.

Uses the fixtures of ``tests/e2e/conftest.py``: ``open_page(name)`` (a ready Playwright
page recording ``page.rd_requests`` and ``page.rd_console_errors``) and ``context`` (which
records and blocks any request that leaves the machine in ``context.rd_external_requests``).
"""

from __future__ import annotations

import re

import pytest

from rdlearn import figures
from rdlearn.keynote import deck as keynote
from rdlearn.web.html import esc

from .conftest import is_loopback

pytestmark = pytest.mark.e2e

PAGE = "05_keynote_research-findings.ipynb"
COUNTER = ".rd-slides-counter"


@pytest.fixture(scope="module")
def deck():
    return keynote.load_keynote()


def open_keynote(open_page):
    page = open_page(PAGE)
    page.wait_for_selector(COUNTER, state="visible", timeout=60_000)
    page.wait_for_function(
        "() => /^Slide 1 of \\d+$/.test(document.querySelector('.rd-slides-counter')"
        ".textContent)", timeout=30_000)
    return page


def wait_for_slide(page, number: int, total: int) -> None:
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent === text",
        arg=[COUNTER, f"Slide {number} of {total}"], timeout=15_000,
    )


def visible_slides(page) -> list[int]:
    return page.eval_on_selector_all(
        ".rd-deck .rd-slide",
        "els => els.map((e, i) => [i, getComputedStyle(e).display])"
        ".filter(p => p[1] !== 'none').map(p => p[0])",
    )


def test_keynote_renders_one_slide_with_controls_and_nothing_external(open_page, context, deck):
    page = open_keynote(open_page)
    total = len(deck["slides"])
    assert page.inner_text(COUNTER) == f"Slide 1 of {total}"
    assert visible_slides(page) == [0]
    assert deck["slides"][0]["title"] in page.inner_text(".rd-deck")
    for name in ("Previous slide", "Next slide"):
        assert page.get_by_role("button", name=name).is_visible()
    assert page.get_by_role("button", name=re.compile("Full screen")).is_visible()
    assert page.locator(".rd-slides-previous").is_disabled()
    external = [u for u in page.rd_requests if not is_loopback(u)]
    assert external == [] and context.rd_external_requests == [], external
    assert page.rd_console_errors == [], page.rd_console_errors


def test_keys_move_through_the_slides_and_home_returns(open_page, deck):
    page = open_keynote(open_page)
    total = len(deck["slides"])
    page.keyboard.press("ArrowRight")
    wait_for_slide(page, 2, total)
    assert visible_slides(page) == [1]
    page.keyboard.press("PageDown")
    wait_for_slide(page, 3, total)
    page.keyboard.press("Space")
    wait_for_slide(page, 4, total)
    page.keyboard.press("ArrowLeft")
    wait_for_slide(page, 3, total)
    page.keyboard.press("PageUp")
    wait_for_slide(page, 2, total)
    page.keyboard.press("End")
    wait_for_slide(page, total, total)
    assert page.locator(".rd-slides-next").is_disabled()
    page.keyboard.press("Home")
    wait_for_slide(page, 1, total)
    assert visible_slides(page) == [0]


def test_buttons_work_by_mouse_and_keyboard_and_announce_the_title(open_page, deck):
    page = open_keynote(open_page)
    total = len(deck["slides"])
    page.click(".rd-slides-next")
    wait_for_slide(page, 2, total)
    live = page.locator("[aria-live='polite'].rd-slides-live")
    assert live.text_content() == f"Slide 2 of {total}: {deck['slides'][1]['title']}"
    page.focus(".rd-slides-next")
    page.keyboard.press("Enter")
    wait_for_slide(page, 3, total)
    page.focus(".rd-slides-previous")
    page.keyboard.press("Space")  # presses the focused button once, not "next" as well
    wait_for_slide(page, 2, total)
    page.wait_for_timeout(300)
    assert page.inner_text(COUNTER) == f"Slide 2 of {total}"


def test_chart_is_drawn_inside_its_slide(open_page, deck):
    page = open_keynote(open_page)
    total = len(deck["slides"])
    # the first chart plotly draws (a chart of words only is an HTML table on a slide)
    first_chart = next(i for i, s in enumerate(deck["slides"]) if s.get("figure")
                       and any(t.type != "table" for t in getattr(figures, s["figure"])().data))
    for _ in range(first_chart):
        page.keyboard.press("ArrowRight")
    wait_for_slide(page, first_chart + 1, total)
    # drawn as its slide shows, without scrolling
    chart = page.locator(f".rd-slide-{first_chart} .js-plotly-plot")
    chart.wait_for(state="visible", timeout=30_000)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    assert page.locator(f".rd-slide-{first_chart} details.rd-figure-text").count() == 1


def test_speaker_notes_are_never_in_the_projected_page(open_page, deck):
    page = open_keynote(open_page)
    html = page.content()
    for slide in deck["slides"]:
        assert esc(slide["notes"]) not in html
        assert slide["notes"][:60] not in page.inner_text("body")
    assert page.locator(".rd-notes, .rd-presenter__notes").count() == 0
    assert page.get_by_role("button", name="Presenter view").is_visible()


def test_full_screen_button_shows_only_the_deck(open_page, deck):
    page = open_keynote(open_page)
    page.click(".rd-slides-fullscreen")
    page.wait_for_function(
        "() => document.fullscreenElement && document.fullscreenElement.matches('.rd-deck')",
        timeout=10_000,
    )
    page.wait_for_function(  # the button follows the browser's fullscreenchange event
        "() => document.querySelector('.rd-slides-fullscreen').getAttribute('aria-pressed')"
        " === 'true'", timeout=10_000)
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.fullscreenElement === null", timeout=10_000)
