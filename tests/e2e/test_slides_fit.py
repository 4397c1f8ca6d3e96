"""The keynote on a projector: every slide fits the screen, and its text reads from the back.

For each 16:9 size a hall's projector runs at, the deck is put in full screen as a speaker
does (the F key), every slide is walked, and the test fails on any text or chart outside
the slide area or behind the controls bar, or on a slide area that scrolls. At 1920x1080
it also reads the rendered font sizes (the computed style of the slide's text and of the
SVG text plotly draws) and saves a screenshot of every slide, printing the paths.
"""

from __future__ import annotations

import pytest

from rdlearn.figures.theme import PROJECTION_SOURCE_PX, PROJECTION_TEXT_PX
from rdlearn.keynote import deck as keynote

from .conftest import keep_offline

pytestmark = pytest.mark.e2e

PAGE = "05_keynote_research-findings.ipynb"
COUNTER = ".rd-slides-counter"
SIZES = [(1280, 720), (1366, 768), (1920, 1080)]

#: Slides that do not fit yet (left of issue 16): at 1280x720 and 1366x768 the charts' 24 px
#: text crowds the chart column; at 1920x1080 two wide annotations and the references.
#: A slide not listed here that stops fitting fails the test.
_CHARTS_SMALL = {"what-it-feels-like", "prevalence-small-studies", "frequency-importance",
                 "synchrony-design", "relationship-evidence", "common-factors",
                 "relatedness-health", "what-helps-therapist", "references"}
NOT_YET_FITTING = {
    (1280, 720): _CHARTS_SMALL,
    (1366, 768): _CHARTS_SMALL,
    (1920, 1080): {"what-it-feels-like", "relatedness-health", "references"},
}

#: Slide text (title, points, room question) at 1920x1080, and the sources line.
SLIDE_TEXT_PX = 24
SLIDE_SOURCE_PX = 18

# Every text element and chart of the shown slide, and where it lies against the slide
# area (the full-screen deck above the controls bar). Returns a list of problems.
MISFITS = r"""
(index) => {
  const deck = document.fullscreenElement;
  if (!deck) return ['not in full screen'];
  const slide = deck.querySelector('.rd-slide-' + index);
  const bar = deck.querySelector('.rd-slides-bar');
  const area = deck.getBoundingClientRect();
  const bottom = bar.getBoundingClientRect().top;
  const problems = [];
  if (deck.scrollHeight > deck.clientHeight + 1)
    problems.push(`the deck scrolls: ${deck.scrollHeight} > ${deck.clientHeight}`);
  if (slide.scrollHeight > slide.clientHeight + 1)
    problems.push(`the slide scrolls: ${slide.scrollHeight} > ${slide.clientHeight}`);
  const selector = 'h1, h2, h3, p, li, summary, aside, figure.rd-chart, .js-plotly-plot,'
    + ' .js-plotly-plot svg.main-svg, .js-plotly-plot text';
  for (const el of slide.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not shown (a closed <details>)
    if (el.closest('.hoverlayer, .rd-visually-hidden')) continue;
    const folded = el.closest('details:not([open])');
    if (folded && !el.closest('summary')) continue;  // folded away, not on screen
    const text = (el.textContent || el.className.baseVal || el.className || '').toString()
      .trim().slice(0, 50);
    const where = `${el.tagName.toLowerCase()} "${text}" at [${Math.round(r.left)},`
      + `${Math.round(r.top)} .. ${Math.round(r.right)},${Math.round(r.bottom)}]`;
    if (r.left < area.left - 1 || r.right > area.right + 1 || r.top < area.top - 1)
      problems.push(`${where} is outside the slide ${Math.round(area.width)}x`
                    + `${Math.round(area.height)}`);
    else if (r.bottom > bottom + 1)
      problems.push(`${where} runs behind the controls (they start at ${Math.round(bottom)})`);
    if (el.tagName.toLowerCase() === 'text') {
      const svg = el.closest('svg.main-svg');
      const s = svg && svg.getBoundingClientRect();
      if (s && (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1
                || r.bottom > s.bottom + 1))
        problems.push(`${where} is cut off by its chart's edge`);
    }
  }
  return problems;
}
"""

# The smallest rendered font size of each kind of text on the shown slide.
FONT_SIZES = r"""
(index) => {
  const slide = document.querySelector('.rd-deck .rd-slide-' + index);
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const seen = {slide: [], sources: [], chart: [], chart_source: [], details: []};
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 || r.height > 0; };
  for (const el of slide.querySelectorAll('.rd-slide__text h1, .rd-slide__text h2,'
       + ' .rd-slide__points li, .rd-slide__question-text')) {
    if (shown(el)) seen.slide.push([px(el), el.textContent.slice(0, 40)]);
  }
  for (const el of slide.querySelectorAll('.rd-slide__sources, .rd-slide__references li,'
       + ' .rd-slide__question-label, .rd-slide__question-how')) {
    if (shown(el)) seen.sources.push([px(el), el.textContent.slice(0, 40)]);
  }
  for (const el of slide.querySelectorAll('.js-plotly-plot text')) {
    if (!shown(el) || !el.textContent.trim() || el.closest('.hoverlayer')) continue;
    const kind = el.closest('.gtitle-subtitle') || el.classList.contains('gtitle-subtitle')
      ? 'chart_source' : 'chart';
    seen[kind].push([px(el), el.textContent.slice(0, 40)]);
  }
  for (const el of slide.querySelectorAll('details.rd-figure-text > summary')) {
    if (shown(el)) seen.details.push([px(el), el.textContent.slice(0, 40)]);
  }
  return seen;
}
"""


@pytest.fixture(scope="module")
def deck():
    return keynote.load_keynote()


def open_full_screen(open_page, browser, width: int, height: int):
    ctx = keep_offline(browser.new_context(viewport={"width": width, "height": height}))
    page = open_page(PAGE, ctx)
    page.wait_for_selector(COUNTER, state="visible", timeout=60_000)
    page.keyboard.press("f")  # as a speaker does (the Full screen button does the same)
    page.wait_for_function(
        "() => document.fullscreenElement && document.fullscreenElement.matches('.rd-deck')",
        timeout=10_000)
    return ctx, page


def show_slide(page, index: int, total: int, figure: bool) -> None:
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent === text",
        arg=[COUNTER, f"Slide {index + 1} of {total}"], timeout=15_000)
    if figure:
        page.locator(f".rd-slide-{index} figure.rd-chart.rd-chart--drawn").wait_for(
            state="visible", timeout=60_000)
    # the slide's resize event lets plotly take the slide's size
    page.wait_for_timeout(400 if figure else 150)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_slide_fits_the_screen_in_full_screen(open_page, browser, deck, width, height,
                                                    tmp_path):
    ctx, page = open_full_screen(open_page, browser, width, height)
    slides = deck["slides"]
    total = len(slides)
    failures, fonts, shots = {}, {}, []
    try:
        for index, slide in enumerate(slides):
            if index:
                page.keyboard.press("ArrowRight")
            show_slide(page, index, total, bool(slide.get("figure")))
            problems = page.evaluate(MISFITS, index)
            if problems and slide["id"] not in NOT_YET_FITTING[(width, height)]:
                failures[f"{index + 1} {slide['id']}"] = problems
            if width == 1920:
                fonts[slide["id"]] = page.evaluate(FONT_SIZES, index)
                path = tmp_path / f"slide-{index + 1:02d}-{slide['id']}.png"
                page.screenshot(path=str(path))
                shots.append(str(path))
        assert page.evaluate("() => document.fullscreenElement !== null")
    finally:
        ctx.close()
    for shot in shots:
        print("screenshot:", shot)
    print(f"NOT FITTING at {width}x{height}:", sorted(failures))
    assert not failures, f"at {width}x{height}: " + "\n".join(
        f"slide {name}: " + "; ".join(problems) for name, problems in failures.items())
    if width != 1920:
        return
    small = []
    minimums = {"slide": SLIDE_TEXT_PX, "sources": SLIDE_SOURCE_PX, "chart": PROJECTION_TEXT_PX,
                "chart_source": PROJECTION_SOURCE_PX, "details": SLIDE_TEXT_PX}
    for slide_id, seen in fonts.items():
        for kind, minimum in minimums.items():
            small += [f"{slide_id} {kind} {size:g}px {text!r}" for size, text in seen[kind]
                      if size < minimum - 0.01]
    assert not small, "text too small to read from the back:\n" + "\n".join(small)
    charted = [s["id"] for s in slides if s.get("figure")]
    assert all(fonts[i]["chart"] for i in charted), "no chart text was read"
    assert all(fonts[i]["chart_source"] for i in charted), "no chart source line was read"
