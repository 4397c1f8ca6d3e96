"""The keynote's presenter window in a real Chromium: S opens it beside the projected deck.

It shows the current slide, the next slide's title, the speaker notes, a clock and the time
elapsed and left (the test injects the clock with Playwright's ``page.clock``: nothing
sleeps); a move in either window moves both; the projected page never holds the notes; the
presenter opened twice is one window, and closing it leaves the deck where it was; keys do
nothing while a text field has focus; a slide with a room question shows the hall's count
and reveals only with the facilitator key. Screenshots of the presenter view (light and
dark) are saved under the folder printed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from rdlearn.keynote import deck as keynote
from rdlearn.room import questions as room_questions
from rdlearn.room.store import Store

from .conftest import keep_offline

pytestmark = pytest.mark.e2e

PAGE = "05_keynote_research-findings.ipynb"
COUNTER = ".rd-slides-counter"
SHOTS = Path(os.environ.get("RDLEARN_SHOTS", "/tmp/shots-keynote")) / "presenter"
#: A move shows in the other window within this (the windows talk directly, no server).
MOVE_MS = 500
START = dt.datetime(2026, 5, 14, 9, 30, 0)
DARK_THEME = ("() => { document.body.classList.replace('theme-light', 'theme-dark');"
              " document.body.dataset.jpThemeLight = 'false'; }")


@pytest.fixture(scope="module")
def deck():
    return keynote.load_keynote()


def keynote_page(open_page, server, ctx=None, *, workshop: str | None = None):
    url = server.url + "voila/render/" + PAGE + (f"?workshop={workshop}" if workshop else "")
    page = open_page(url, ctx)
    page.wait_for_selector(COUNTER, state="visible", timeout=60_000)
    page.clock.set_fixed_time(START)
    return page


def open_presenter(page, how: str = "key"):
    with page.expect_popup(timeout=10_000) as popup_info:
        if how == "key":
            page.keyboard.press("s")
        else:
            page.get_by_role("button", name="Presenter view").click()
    popup = popup_info.value
    popup.locator(".rd-presenter__notes-text").wait_for(state="visible", timeout=15_000)
    return popup


def counter_is(page, selector: str, text: str, timeout: int = MOVE_MS):
    page.wait_for_function("([s, t]) => { const e = document.querySelector(s);"
                           " return e && e.textContent === t; }",
                           arg=[selector, text], timeout=timeout)


def notes_in_projected_page(page, deck) -> list[str]:
    html = page.content()
    return [s["id"] for s in deck["slides"] if s["notes"][:50] in html]


def test_s_opens_the_presenter_with_notes_next_slide_and_clock(open_page, server, deck):
    page = keynote_page(open_page, server)
    slides = deck["slides"]
    popup = open_presenter(page, "key")
    assert popup.title() == "Presenter view: keynote"
    assert popup.inner_text(".rd-presenter__notes-text") == slides[0]["notes"]
    assert slides[1]["title"] in popup.inner_text(".rd-presenter__next-title")
    assert slides[0]["title"] in popup.inner_text(".rd-presenter__canvas")
    assert popup.inner_text(".rd-presenter__clock") == "09:30"
    counter_is(popup, ".rd-presenter__elapsed", "0:00 elapsed", 5_000)
    counter_is(popup, ".rd-presenter__left", "60:00 left of 60 min", 5_000)
    page.clock.set_fixed_time(START + dt.timedelta(minutes=5, seconds=3))
    counter_is(popup, ".rd-presenter__elapsed", "5:03 elapsed", 5_000)
    counter_is(popup, ".rd-presenter__left", "54:57 left of 60 min", 5_000)
    counter_is(popup, ".rd-presenter__clock", "09:35", 5_000)
    popup.get_by_label("With the optional part", exact=False).check()
    counter_is(popup, ".rd-presenter__left", "114:57 left of 120 min", 5_000)
    page.clock.set_fixed_time(START + dt.timedelta(minutes=121))
    counter_is(popup, ".rd-presenter__left", "1:00 over 120 min", 5_000)
    # the projected page never holds the notes, with the presenter open
    assert notes_in_projected_page(page, deck) == []
    assert page.locator(".rd-presenter__notes, .rd-notes").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.set_viewport_size({"width": 1366, "height": 768})
    assert_fits(popup)
    path = SHOTS / "presenter-slide-01-light.png"
    popup.screenshot(path=str(path))
    print(f"\npresenter screenshots: {SHOTS}/")


def test_a_move_in_either_window_moves_both(open_page, server, deck):
    page = keynote_page(open_page, server)
    total = len(deck["slides"])
    slides = deck["slides"]
    popup = open_presenter(page, "button")
    popup.keyboard.press("ArrowRight")
    counter_is(page, COUNTER, f"Slide 2 of {total}")
    counter_is(popup, ".rd-presenter__counter", f"Slide 2 of {total}")
    popup.click(".rd-presenter__next")
    counter_is(page, COUNTER, f"Slide 3 of {total}")
    page.bring_to_front()
    page.keyboard.press("ArrowRight")
    counter_is(popup, ".rd-presenter__counter", f"Slide 4 of {total}")
    assert popup.inner_text(".rd-presenter__notes-text") == slides[3]["notes"]
    assert slides[4]["title"] in popup.inner_text(".rd-presenter__next-title")
    assert slides[3]["title"] in popup.inner_text(".rd-presenter__canvas")
    page.keyboard.press("End")
    counter_is(popup, ".rd-presenter__counter", f"Slide {total} of {total}")
    assert popup.inner_text(".rd-presenter__next-title") == "End of the deck"
    popup.keyboard.press("ArrowRight")  # past the end: stays on the last slide, quietly
    popup.keyboard.press("Home")
    counter_is(page, COUNTER, f"Slide 1 of {total}")
    assert page.inner_text(".rd-slides-message") == ""
    assert notes_in_projected_page(page, deck) == []


def test_presenter_opened_twice_is_one_window_and_closing_it_leaves_the_deck(
        open_page, server, deck):
    page = keynote_page(open_page, server)
    total = len(deck["slides"])
    popup = open_presenter(page, "key")
    popup.keyboard.press("ArrowRight")
    popup.keyboard.press("ArrowRight")
    counter_is(page, COUNTER, f"Slide 3 of {total}")
    pages_before = len(page.context.pages)
    page.bring_to_front()
    page.keyboard.press("s")  # again: the same window comes forward
    page.get_by_role("button", name="Presenter view").click()
    counter_is(popup, ".rd-presenter__counter", f"Slide 3 of {total}")
    assert len(page.context.pages) == pages_before
    assert popup.locator(".rd-presenter").count() == 1
    popup.close()
    counter_is(page, COUNTER, f"Slide 3 of {total}")
    page.keyboard.press("ArrowRight")
    counter_is(page, COUNTER, f"Slide 4 of {total}")
    assert page.rd_console_errors == [], page.rd_console_errors
    again = open_presenter(page, "key")  # reopened, it shows where the deck is
    counter_is(again, ".rd-presenter__counter", f"Slide 4 of {total}")
    assert again.inner_text(".rd-presenter__notes-text") == deck["slides"][3]["notes"]


def test_keys_do_nothing_while_a_text_field_has_focus(open_page, server, deck):
    page = keynote_page(open_page, server)
    total = len(deck["slides"])
    page.evaluate("() => { const i = document.createElement('input');"
                  " i.id = 'typing-here'; document.body.prepend(i); }")
    page.focus("#typing-here")
    for key in ("ArrowRight", "Space", "End", "s", "f"):
        page.keyboard.press(key)
    assert page.input_value("#typing-here") == " sf"
    assert page.inner_text(COUNTER) == f"Slide 1 of {total}"
    assert len(page.context.pages) == 1  # "s" typed, no presenter window
    page.focus(".rd-slides-next")
    popup = open_presenter(page, "key")
    asks = next(i for i, s in enumerate(deck["slides"]) if s.get("room_question"))
    for _ in range(asks):
        popup.keyboard.press("ArrowRight")
    shown = f"Slide {asks + 1} of {total}"
    counter_is(page, COUNTER, shown)
    popup.locator(".rd-presenter__key").wait_for(state="visible", timeout=5_000)
    popup.focus(".rd-presenter__key")
    for key in ("ArrowRight", "Space", "End", "Home"):
        popup.keyboard.press(key)
    assert page.inner_text(COUNTER) == shown
    assert popup.inner_text(".rd-presenter__counter") == shown


def _room_with_answers(server, question_id: str, n: int) -> str:
    store = Store(server.store_path)
    code = room_questions.new_workshop_code()
    store.create_workshop(code)
    store.open_question(code, question_id)
    question = room_questions.load_questions()[question_id]
    value = room_questions.validate_answer(question, "yes")
    for i in range(n):
        store.record_answer(code, question_id, value=value, token=f"presenter-test-{i:03d}x")
    return code


def test_the_room_question_count_and_a_reveal_behind_the_facilitator_key(
        open_page, server, deck):
    index = next(i for i, s in enumerate(deck["slides"])
                 if s.get("room_question") == "ever-met-at-depth")
    code = _room_with_answers(server, "ever-met-at-depth", 6)
    page = keynote_page(open_page, server, workshop=code)
    total = len(deck["slides"])
    popup = open_presenter(page, "key")
    assert popup.locator(".rd-presenter__room").is_hidden()  # slide 1 asks nothing
    for _ in range(index):
        popup.keyboard.press("ArrowRight")
    counter_is(page, COUNTER, f"Slide {index + 1} of {total}", 5_000)
    room = popup.locator(".rd-presenter__room")
    room.wait_for(state="visible", timeout=5_000)
    counter_is(popup, ".rd-presenter__count",
               "6 answers from the hall \u00b7 open \u00b7 hidden from the room", 15_000)
    popup.fill(".rd-presenter__key", "not-the-key")
    popup.click(".rd-presenter__reveal")
    popup.wait_for_function("() => document.querySelector('.rd-presenter__reveal-message')"
                            ".textContent.includes('not the facilitator key')", timeout=15_000)
    assert Store(server.store_path).question_state(code, "ever-met-at-depth")["revealed"] is False
    popup.fill(".rd-presenter__key", server.facilitator_key)
    popup.click(".rd-presenter__reveal")
    popup.wait_for_function("() => document.querySelector('.rd-presenter__reveal-message')"
                            ".textContent.startsWith('Revealed')", timeout=15_000)
    counter_is(popup, ".rd-presenter__count",
               "6 answers from the hall \u00b7 open \u00b7 shown to the room", 15_000)
    assert Store(server.store_path).question_state(code, "ever-met-at-depth")["revealed"] is True
    # the facilitator key was typed in the presenter window only
    assert server.facilitator_key not in page.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.set_viewport_size({"width": 1366, "height": 768})
    assert_fits(popup)
    popup.screenshot(path=str(SHOTS / f"presenter-slide-{index + 1:02d}-room-light.png"))


# The presenter window at a laptop's 1366x768 does not scroll, and its notes, room box and
# buttons lie inside it (long notes scroll in their own area).
FITS = r"""
() => {
  const problems = [];
  const root = document.scrollingElement;
  if (root.scrollHeight > window.innerHeight + 1)
    problems.push(`the window scrolls: ${root.scrollHeight} > ${window.innerHeight}`);
  for (const sel of ['.rd-presenter__notes', '.rd-presenter__room', '.rd-presenter__next',
                     '.rd-presenter__frame']) {
    const el = document.querySelector(sel);
    if (!el || el.hidden) continue;
    const r = el.getBoundingClientRect();
    if (r.bottom > window.innerHeight + 1 || r.right > window.innerWidth + 1)
      problems.push(`${sel} runs out of the window (${Math.round(r.right)},`
                    + `${Math.round(r.bottom)})`);
  }
  return problems;
}
"""


def assert_fits(popup) -> None:
    popup.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                   "requestAnimationFrame(r)))")  # the new size is laid out
    assert popup.evaluate(FITS) == []


def test_presenter_view_in_dark_is_saved(open_page, browser, server, deck):
    ctx = keep_offline(browser.new_context(viewport={"width": 1366, "height": 768},
                                           color_scheme="dark"))
    try:
        page = keynote_page(open_page, server, ctx)
        # the dark theme is the server's --theme dark: its body class, set here on one server
        page.evaluate(DARK_THEME)
        chart = next(i for i, s in enumerate(deck["slides"]) if s.get("figure"))
        page.keyboard.press("f")
        page.wait_for_function("() => document.fullscreenElement !== null", timeout=10_000)
        for _ in range(chart):
            page.keyboard.press("ArrowRight")
        page.locator(f".rd-slide-{chart} figure.rd-chart--drawn, "
                     f".rd-slide-{chart} figure.rd-slide-chart").first.wait_for(timeout=60_000)
        popup = open_presenter(page, "key")
        popup.set_viewport_size({"width": 1366, "height": 768})
        counter_is(popup, ".rd-presenter__counter",
                   f"Slide {chart + 1} of {len(deck['slides'])}", 5_000)
        background = popup.evaluate("() => getComputedStyle(document.body).backgroundColor")
        SHOTS.mkdir(parents=True, exist_ok=True)
        popup.screenshot(path=str(SHOTS / f"presenter-slide-{chart + 1:02d}-chart-dark.png"))
    finally:
        ctx.close()
    red, green, blue = (int(v) for v in background[background.index("(") + 1:-1].split(",")[:3])
    assert max(red, green, blue) < 80, background
