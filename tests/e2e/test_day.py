"""The participant's day page in a browser: one page and one kernel from arrival to goodbye."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import keep_offline, wait_ready

DAY = "voila/render/10_day.ipynb"


def _session(page) -> str:
    return page.locator(".rd-day").get_attribute("data-ready") or ""


def _titles(page) -> list[str]:
    return [t for t in page.locator("h1").all_inner_texts() if t.startswith("Session ")]


def _switch(page, label: str, number: int) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_function(f"() => document.querySelector('.rd-day').dataset.ready === '{number}'")


def test_a_participant_spends_the_day_on_one_page_and_one_kernel(open_page, server):
    page = open_page("/", ready=False)
    page.get_by_role("link", name="Start the day: session 1").click()
    wait_ready(page)
    assert page.url.endswith(f"{DAY}#session-1") and _titles(page) == [
        "Session 1: Experiencing relational depth, in and out of therapy"]
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    requests_before = len(page.rd_requests)

    _switch(page, "2 · Relatedness", 2)
    assert page.url.endswith("#session-2")
    assert _titles(page) == ["Session 2: The importance of relatedness to psychological wellbeing"]
    assert page.get_by_role("heading", name="My relationship map").count() == 1

    # by the address, as the header's links and bookmarks do
    page.evaluate("() => { location.hash = '#session-4'; }")
    page.wait_for_function("() => document.querySelector('.rd-day').dataset.ready === '4'")
    assert _titles(page) == ["Session 4: Chronic strategies of disconnection"]

    # back to a session already opened: nothing is asked of the server
    _switch(page, "1 · Experiencing", 1)
    assert len(_titles(page)) == 1 and page.get_by_text("A moment of deep connection").count()
    page.go_back()
    page.wait_for_function("() => document.querySelector('.rd-day').dataset.ready === '4'")

    new = [u for u in page.rd_requests[requests_before:]
           if "/api/kernels" in u or "/voila/render/" in u]
    assert new == [], f"switching sessions asked the server for {new}"
    # A kernel for the page would mean a new connection to it (other tests' kernels come
    # and go on the same server, so its count of kernels would not tell).
    assert [u for u in sockets if "/api/kernels/" in u] == [], "switching sessions started a kernel"
    assert page.get_by_role("button", name="4 · Disconnection").get_attribute(
        "aria-current") == "true"
    assert page.rd_console_errors == []


def test_reload_keeps_the_session_and_old_addresses_lead_to_the_day(open_page, context):
    page = open_page("voila/render/03_deepening-relating-with-clients.ipynb?workshop=RDDAYS")
    assert re.search(r"/10_day\.ipynb\?workshop=RDDAYS#session-3$", page.url)
    assert _titles(page) == ["Session 3: Deepening our levels of relating with clients"]
    page.reload()
    wait_ready(page)
    assert _session(page) == "3" and page.url.endswith("#session-3")
    assert _titles(page) == ["Session 3: Deepening our levels of relating with clients"]


@pytest.mark.parametrize("hash_", ["#session-99", "#session-abc", "#session-<b>x</b>"])
def test_a_session_that_does_not_exist_shows_session_1_with_a_note(open_page, hash_):
    page = open_page(DAY + hash_)
    assert _session(page) == "1" and page.url.endswith("#session-1")
    note = page.get_by_test_id("day-note")
    text = note.inner_text()
    assert text.startswith("There is no “session-") and "session 1" in text
    assert page.locator(".rd-day b").count() == 0  # the address is shown as text
    assert _titles(page) == ["Session 1: Experiencing relational depth, in and out of therapy"]


def test_two_tabs_of_the_day_each_have_their_own_kernel_and_keep_the_journal(
        open_page, context, server):
    first = open_page(DAY + "#session-1")
    second = open_page(DAY + "#session-4")
    assert _session(first) == "1" and _session(second) == "4"
    box = first.locator(".rdj textarea").first
    box.fill("written in the first tab ✍️ שלום")
    expect(first.locator(".rdj").first).to_contain_text("Saved in this browser")
    _switch(second, "1 · Experiencing", 1)
    _switch(first, "4 · Disconnection", 4)
    second.reload()
    wait_ready(second)
    assert second.locator(".rdj textarea").first.input_value() == (
        "written in the first tab ✍️ שלום")
    assert _session(first) == "4" and first.rd_console_errors == []


def test_the_room_is_offered_the_session_the_facilitator_names(open_page, server):
    console = open_page("06_facilitator-console.ipynb")
    console.get_by_label("Facilitator key").first.fill(server.facilitator_key)
    console.get_by_role("button", name="Unlock the console").click()
    console.get_by_role("button", name="Make a new code").click()
    console.get_by_role("button", name="Session 3", exact=True).click()
    console.get_by_role("button", name="Tell the room").click()
    console.get_by_text("The day pages now offer session 3.").wait_for()

    page = open_page(DAY + "#session-1")
    banner = page.get_by_role("region", name="Where the facilitator is")
    banner.get_by_text("The room has moved on to session 3").wait_for()
    assert _session(page) == "1", "nobody is moved by themselves"
    banner.get_by_role("button", name="Go to session 3").click()
    page.wait_for_function("() => document.querySelector('.rd-day').dataset.ready === '3'")
    assert banner.is_hidden()


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_on_a_phone_and_a_laptop_the_switcher_fits_and_takes_a_thumb(browser, server, size):
    ctx = keep_offline(browser.new_context(viewport={"width": size[0], "height": size[1]},
                                           has_touch=size[0] < 500))
    try:
        page = ctx.new_page()
        page.goto(server.url + DAY + "#session-2")
        wait_ready(page)
        boxes = page.evaluate("""() => [...document.querySelectorAll('.rd-day__button')].map(b => {
            const r = b.getBoundingClientRect();
            return {w: r.width, h: r.height, right: r.right, sw: b.scrollWidth, cw: b.clientWidth,
                    sh: b.scrollHeight, ch: b.clientHeight}; })""")
        assert len(boxes) == 4
        for box in boxes:
            assert box["h"] >= 44 and box["w"] >= 44, box
            assert box["right"] <= size[0] and box["sw"] <= box["cw"] and box["sh"] <= box["ch"]
        header = page.locator(".rd-header").bounding_box()
        assert header["height"] <= 80, "the participant's header is one compact line"
        links = page.locator(".rd-nav a").all_inner_texts()
        assert links == ["Welcome"], links
        page.screenshot(path=str(server.workdir / f"day-{size[0]}.png"))
    finally:
        ctx.close()
