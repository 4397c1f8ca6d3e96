"""Accessibility in a real Chromium: an axe-core audit of every page, as a participant and
as the facilitator, and keyboard-only walks through a self-check, a reflection and a vote.

axe-core comes from the npm registry (``scripts/ensure-axe.sh`` installs it into
``node_modules``); it is injected into each page, never fetched by the page itself.
The dark theme needs a second ``rdlearn serve --theme dark``, so it is not audited here.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rdlearn.room.store import Store
from rdlearn.selfcheck import instruments as selfcheck
from tests.support.harness import draw_charts

from .conftest import app_pages

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SESSION_PAGE = "01_experiencing-relational-depth.ipynb"
CONSOLE_PAGE = "06_facilitator-console.ipynb"
SELFCHECK = "rd-sc-connection-frequency-therapist"
SELFCHECK_KEY = "rdlearn:v1:selfcheck:connection-frequency-therapist"
PROMPT = "s1-moment-in-therapy"
VOTE_QUESTION = "how-often-at-depth"
VOTE_TEXT = "How often do such moments happen in your work?"
WIDGET_TIMEOUT = 60_000
BLOCKING = {"serious", "critical"}

# The widgets draw themselves after the page says it is ready: wait until the number of
# rendered widgets and charts has stayed the same for a second (four polls 250 ms apart).
SETTLED = """() => {
  const n = document.querySelectorAll(
    '.jupyter-widgets, .js-plotly-plot, .widget-html-content, .rdj').length;
  if (window.__rdCount === n) { window.__rdSame = (window.__rdSame || 0) + 1; }
  else { window.__rdSame = 0; window.__rdCount = n; }
  return window.__rdSame >= 4;
}"""

# What has the keyboard focus, in words a failing assertion can show.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return 'nothing'; }
  const name = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim();
  return `${e.tagName.toLowerCase()} "${name.slice(0, 60)}"`;
}"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        done = subprocess.run(["bash", str(ROOT / "scripts" / "ensure-axe.sh")],
                              capture_output=True, text=True)
        if done.returncode != 0 or not AXE.exists():
            pytest.fail(f"axe-core is missing and could not be installed: {done.stderr}")
    return AXE


def settle(page) -> None:
    page.wait_for_function(SETTLED, polling=250, timeout=WIDGET_TIMEOUT)


def audit(page, axe_script: Path) -> list[dict]:
    """Run axe-core on the whole page; return the serious and critical violations."""
    settle(page)
    if draw_charts(page):
        settle(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def report(violations: list[dict], where: str) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {where}:"]
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:4])
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s):"
                     f" {targets}]")
    return "\n".join(lines)


def assert_accessible(page, axe_script: Path, where: str) -> None:
    violations = audit(page, axe_script)
    assert not violations, report(violations, where)


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def start_keyboard_at(locator) -> None:
    """Put the keyboard's starting point on a block, as a skip link or heading jump would."""
    locator.evaluate("el => { el.tabIndex = -1; el.focus(); }")


def tab_until(page, selector: str, *, limit: int) -> int:
    """Press Tab until the focused element matches ``selector``; return how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {selector}; "
                         f"the focus is on {focused(page)}")


def assert_focus_in(page, selector: str) -> None:
    inside = page.evaluate("s => document.activeElement.closest(s) !== null", selector)
    assert inside, f"expected the focus inside {selector}, but it is on {focused(page)}"


# --------------------------------------------------------------------------- the audit


@pytest.mark.parametrize("name", app_pages())
def test_every_page_has_no_serious_accessibility_violations(name, open_page, server,
                                                            axe_script):
    page = open_page(name)
    assert_accessible(page, axe_script, f"{name} (participant view)")

    if name == CONSOLE_PAGE:
        root = page.locator(".rd-group-console")
        root.locator(".rd-group-console-key input").fill(server.facilitator_key)
        root.get_by_role("button", name="Unlock the console").click()
        expect(root).to_contain_text("Console unlocked", timeout=10_000)
        root.locator(".rd-group-console-code input").fill("A11YCONSOLE")
        root.get_by_role("button", name="Open this workshop").click()
        expect(root).to_contain_text("Workshop A11YCONSOLE is open", timeout=10_000)
        assert_accessible(page, axe_script, f"{name} (facilitator view, unlocked)")
    elif page.get_by_role("button", name="Show facilitator notes").count():
        page.get_by_label("Facilitator key").fill(server.facilitator_key)
        page.get_by_role("button", name="Show facilitator notes").click()
        expect(page.locator(".rd-fac-notes")).to_be_visible(timeout=10_000)
        assert_accessible(page, axe_script, f"{name} (facilitator notes shown)")


# --------------------------------------------------------------------------- keyboard walks


def test_keyboard_only_self_check_shows_the_profile(open_page, axe_script):
    page = open_page(SESSION_PAGE)
    panel = page.locator(f".{SELFCHECK}")
    page.locator(f".{SELFCHECK}-show").wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    start_keyboard_at(panel)

    items = selfcheck.load_instrument("connection-frequency-therapist")["items"]
    labels = {it["id"]: it["label"] for it in items}
    chosen = {"present": "5", "myself": "4", "received": "6"}
    for item, key in chosen.items():
        # on screen "My answer"; to a screen reader, also which item it answers
        expect(panel.get_by_role("combobox", name=f"{labels[item]}: My answer",
                                 exact=True)).to_have_count(1)
        page.keyboard.press("Tab")
        assert_focus_in(page, f".{SELFCHECK}-{item}")
        page.keyboard.press(key)  # a closed list box picks the option that starts with it
        expect(page.locator(f".{SELFCHECK}-{item} select")).to_have_value(
            re.compile(rf"^{key}\b"))
    page.wait_for_function(
        "k => { const raw = localStorage.getItem(k);"
        " return raw !== null && Object.keys(JSON.parse(raw).answers).length === 3; }",
        arg=SELFCHECK_KEY, timeout=10_000)
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", SELFCHECK_KEY))
    assert saved["answers"] == {item: int(key) for item, key in chosen.items()}

    unanswered = len(items) - len(chosen)
    presses = tab_until(page, f".{SELFCHECK}-show", limit=unanswered + 3)
    assert presses == unanswered + 1  # each unanswered line, then the button
    page.keyboard.press("Enter")
    expect(page.locator(f".{SELFCHECK}-chart figure.rd-chart")).to_be_visible(
        timeout=WIDGET_TIMEOUT)
    assert draw_charts(page.locator(f".{SELFCHECK}-chart")) == 1
    expect(page.locator(f".{SELFCHECK}-summary")).not_to_be_empty()
    assert_accessible(page, axe_script, f"{SESSION_PAGE} with the profile shown")


def test_keyboard_only_reflection_is_saved_and_the_workbook_is_reachable(open_page,
                                                                         axe_script):
    page = open_page(SESSION_PAGE)
    entry = page.get_by_test_id(f"journal-{PROMPT}")
    entry.wait_for(state="visible", timeout=WIDGET_TIMEOUT)
    start_keyboard_at(entry)
    tab_until(page, f"[data-testid='journal-text-{PROMPT}']", limit=5)

    words = "A moment when we both went quiet and it felt shared."
    page.keyboard.type(words)
    expect(page.get_by_test_id(f"journal-status-{PROMPT}")).to_have_text(
        "Saved in this browser", timeout=5_000)

    tab_until(page, "[data-testid='workbook-download-md']", limit=150)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert words in Path(info.value.path()).read_text(encoding="utf-8")
    assert_accessible(page, axe_script, f"{SESSION_PAGE} with a saved reflection")


def test_keyboard_only_group_vote_is_recorded(open_page, server, axe_script):
    code = "A11YVOTE"
    store = Store(server.store_path)
    store.create_workshop(code)
    store.open_question(code, VOTE_QUESTION)

    page = open_page(f"voila/render/{SESSION_PAGE}?workshop={code}")
    expect(page.locator(".rd-group-join")).to_contain_text(f"You are in the room {code}",
                                                           timeout=45_000)
    ask = page.locator(".rd-group-ask").filter(has_text=VOTE_TEXT)
    expect(ask.get_by_role("button", name="Send my answer")).to_be_visible(timeout=45_000)
    start_keyboard_at(ask)

    tab_until(page, ".rd-group-answer button", limit=5)
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "1"
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "5"
    page.keyboard.press("Space")
    five = ask.locator(".rd-group-answer").get_by_role("button", name="5", exact=True)
    expect(five).to_have_class(re.compile(r"mod-active"), timeout=10_000)
    expect(five).to_have_attribute("aria-pressed", "true")
    # a bare "5" is explained: its description says where it sits on the scale
    expect(five).to_have_accessible_description(
        "5 on a scale from 1 (Not at all) to 7 (All the time)")

    tab_until(page, ".rd-group-ask button:not(.rd-group-answer button)", limit=5)
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Send my answer"
    page.keyboard.press("Enter")
    expect(ask).to_contain_text("your answer is in", timeout=10_000)
    assert [a["value"] for a in store.answers(code, VOTE_QUESTION)] == ["5"]
    assert_accessible(page, axe_script, f"{SESSION_PAGE} after answering in workshop {code}")


# --------------------------------------------------------------------------- focus


def test_the_keyboard_focus_is_visible(open_page):
    page = open_page(SESSION_PAGE)
    start_keyboard_at(page.locator(f".{SELFCHECK}"))
    tab_until(page, f".{SELFCHECK}-show", limit=10)
    outline = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
    assert outline["style"] != "none" and outline["width"] >= 2, outline
    # and the first Tab on the page reaches the skip link, which then shows on screen
    page.evaluate("() => document.activeElement.blur()")
    page.evaluate("() => window.scrollTo(0, 0)")
    start_keyboard_at(page.locator("body"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, box


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_the_day_page_has_no_serious_violations_in_any_session_on_a_phone_or_laptop(
        browser, server, axe_script, size):
    from .conftest import keep_offline, wait_ready

    phone = size[0] < 500
    ctx = keep_offline(browser.new_context(viewport={"width": size[0], "height": size[1]},
                                           is_mobile=phone, has_touch=phone))
    try:
        page = ctx.new_page()
        page.goto(server.url + "voila/render/10_day.ipynb#session-1")
        wait_ready(page)
        for number, label in enumerate(["1 · Experiencing", "2 · Relatedness", "3 · Deepening",
                                        "4 · Disconnection"], start=1):
            page.get_by_role("button", name=label, exact=True).click()
            page.wait_for_function(
                f"() => document.querySelector('.rd-day').dataset.ready === '{number}'")
            assert_accessible(page, axe_script, f"the day page, session {number}, {size}")
    finally:
        ctx.close()
