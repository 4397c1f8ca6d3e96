"""The keynote on a projector: every slide fits the screen, and its text reads from the back.

For each 16:9 size a hall's projector runs at, the deck is put in full screen as a speaker
does (the F key), every slide is walked, and the test fails on any text or chart outside
the slide area or behind the controls bar, on a slide that scrolls, and inside a chart on
a plot area squeezed below a readable height or on two pieces of chart text that overlap
(title, axis titles, tick labels, legend, annotations, bar labels), or on a chart text cut
off by the chart's edge. At 1920x1080 it also reads the rendered font sizes (the computed
style of the slide's text and of the SVG text plotly draws) and saves a screenshot of every
slide, in light and in dark, under the folder it prints.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rdlearn.figures.theme import PROJECTION_SOURCE_PX, PROJECTION_TEXT_PX, PROJECTION_TITLE_PX
from rdlearn.keynote import deck as keynote

from .conftest import keep_offline

pytestmark = pytest.mark.e2e

PAGE = "05_keynote_research-findings.ipynb"
COUNTER = ".rd-slides-counter"
SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
SHOTS = Path(os.environ.get("RDLEARN_SHOTS", "/tmp/shots-keynote"))

#: The smallest a plot area may be, in canvas pixels (1080 high): below it a chart's
#: points and bars crowd into a strip (as a chart with its title inside the figure did).
MIN_PLOT_HEIGHT = 140
MIN_PLOT_WIDTH = 200  # a side panel (a range, a few points) may be narrow, not thinner

#: Slide text (title, points, room question) and the sources line, at 1920x1080.
SLIDE_TEXT_PX = 30
SLIDE_SOURCE_PX = 22

# Every text element and chart of the shown slide, and where it lies against the slide
# area (the full-screen canvas above the controls bar); then, inside each chart, the plot
# areas' sizes and any two pieces of chart text that overlap. Returns a list of problems.
MISFITS = r"""
([index, minPlotHeight, minPlotWidth]) => {
  const deck = document.fullscreenElement;
  if (!deck) return ['not in full screen'];
  const canvas = deck.querySelector('.rd-canvas');
  const slide = deck.querySelector('.rd-slide-' + index);
  const bar = deck.querySelector('.rd-slides-bar');
  const area = canvas.getBoundingClientRect();
  const scale = area.height / 1080;
  const bottom = bar.getBoundingClientRect().top;
  const problems = [];
  const box = r => `[${Math.round(r.left)},${Math.round(r.top)} .. `
    + `${Math.round(r.right)},${Math.round(r.bottom)}]`;
  const name = el => `${el.tagName.toLowerCase()} "`
    + (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
  if (area.left < -1 || area.top < -1 || area.right > window.innerWidth + 1
      || area.bottom > window.innerHeight + 1)
    problems.push(`the slide canvas ${box(area)} is larger than the screen`);
  if (deck.scrollHeight > deck.clientHeight + 1)
    problems.push(`the deck scrolls: ${deck.scrollHeight} > ${deck.clientHeight}`);
  const selector = 'h1, h2, h3, p, li, th, td, summary, aside, figure, .js-plotly-plot,'
    + ' .js-plotly-plot svg.main-svg, .js-plotly-plot text';
  for (const el of slide.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not shown (a closed <details>)
    if (el.closest('.hoverlayer, .rd-visually-hidden')) continue;
    const folded = el.closest('details:not([open])');
    if (folded && !el.closest('summary')) continue;  // folded away, not on screen
    const where = `${name(el)} at ${box(r)}`;
    if (r.left < area.left - 1 || r.right > area.right + 1 || r.top < area.top - 1)
      problems.push(`${where} is outside the slide ${box(area)}`);
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
  // The words beside a chart stay in their column.
  const words = slide.querySelector(':scope > .widget-html');
  const chart = slide.querySelector(':scope > .rd-slide__chart');
  if (words && chart) {
    const w = words.getBoundingClientRect(), c = chart.getBoundingClientRect();
    for (const el of words.querySelectorAll('h1, h2, p, li, aside')) {
      const r = el.getBoundingClientRect();
      if (r.right > c.left + 1 && r.width > 0)
        problems.push(`${name(el)} runs into the chart (${Math.round(r.right)} > `
                      + `${Math.round(c.left)})`);
    }
  }
  for (const plot of slide.querySelectorAll('.js-plotly-plot')) {
    for (const drag of plot.querySelectorAll('.draglayer .nsewdrag')) {
      const r = drag.getBoundingClientRect();
      if (r.height < minPlotHeight * scale || r.width < minPlotWidth * scale)
        problems.push(`a plot area is squeezed to ${Math.round(r.width / scale)}x`
                      + `${Math.round(r.height / scale)} (canvas px)`);
    }
    const texts = [...plot.querySelectorAll('text')].filter(t => !t.closest('.hoverlayer')
      && t.textContent.trim() && t.getBoundingClientRect().width > 0);
    const boxes = texts.map(t => t.getBoundingClientRect());
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = boxes[i], b = boxes[j];
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 2 && y > 2)
          problems.push(`chart text ${name(texts[i])} overlaps ${name(texts[j])}`);
      }
    }
    const html = plot.closest('figure').querySelectorAll(
      '.rd-chart__title, .rd-chart__note, .rd-chart__source');
    const p = plot.getBoundingClientRect();
    for (const el of html) {
      const r = el.getBoundingClientRect();
      if (Math.min(r.bottom, p.bottom) - Math.max(r.top, p.top) > 1)
        problems.push(`${name(el)} overlaps the plot ${box(p)}`);
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
  const seen = {slide: [], sources: [], chart: [], chart_title: [], chart_source: [],
                details: []};
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 || r.height > 0; };
  const add = (kind, el) => {
    if (shown(el)) seen[kind].push([px(el), el.textContent.slice(0, 40)]);
  };
  slide.querySelectorAll('.rd-slide__text h1, .rd-slide__text h2, .rd-slide__points li,'
    + ' .rd-slide__question-text').forEach(el => add('slide', el));
  slide.querySelectorAll('.rd-slide__sources, .rd-slide__references li,'
    + ' .rd-slide__question-label, .rd-slide__question-how').forEach(el => add('sources', el));
  for (const el of slide.querySelectorAll('.js-plotly-plot text')) {
    if (!el.textContent.trim() || el.closest('.hoverlayer')) continue;
    add('chart', el);
  }
  slide.querySelectorAll('.rd-chart__table th, .rd-chart__table td, .rd-chart__note')
    .forEach(el => add('chart', el));
  slide.querySelectorAll('.rd-chart__title').forEach(el => add('chart_title', el));
  slide.querySelectorAll('.rd-chart__source').forEach(el => add('chart_source', el));
  slide.querySelectorAll('details.rd-figure-text > summary').forEach(el => add('details', el));
  return seen;
}
"""


@pytest.fixture(scope="module")
def deck():
    return keynote.load_keynote()


def open_full_screen(open_page, browser, width: int, height: int, scheme: str = "light"):
    ctx = keep_offline(browser.new_context(viewport={"width": width, "height": height},
                                           color_scheme=scheme))
    page = open_page(PAGE, ctx)
    page.wait_for_selector(COUNTER, state="visible", timeout=60_000)
    if scheme == "dark":  # the server's --theme dark is this body class (one server here)
        page.evaluate("() => { document.body.classList.replace('theme-light', 'theme-dark');"
                      " document.body.dataset.jpThemeLight = 'false'; }")
    page.keyboard.press("f")  # as a speaker does (the Full screen button does the same)
    page.wait_for_function(
        "() => document.fullscreenElement && document.fullscreenElement.matches('.rd-deck')"
        " && document.fullscreenElement.classList.contains('rd-projected')", timeout=10_000)
    return ctx, page


def show_slide(page, index: int, total: int, slide) -> None:
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent === text",
        arg=[COUNTER, f"Slide {index + 1} of {total}"], timeout=15_000)
    if slide.get("figure"):
        page.locator(f".rd-slide-{index} figure.rd-chart.rd-chart--drawn,"
                     f" .rd-slide-{index} figure.rd-slide-chart").first.wait_for(
            state="visible", timeout=60_000)
        # plotly takes the slide's size on the resize event the deck sends; wait for it
        page.wait_for_function(
            """(i) => { const s = document.querySelector('.rd-slide-' + i);
                 const plot = s.querySelector('.js-plotly-plot');
                 if (!plot) return true;
                 const svg = plot.querySelector('svg.main-svg');
                 return svg && Math.abs(svg.getBoundingClientRect().height
                   - plot.getBoundingClientRect().height) < 2; }""",
            arg=index, timeout=15_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                  "requestAnimationFrame(r)))")


def walk(page, deck, *, check: bool, shots: Path | None, scheme: str = "light"):
    slides = deck["slides"]
    total = len(slides)
    failures, fonts, saved = {}, {}, []
    for index, slide in enumerate(slides):
        if index:
            page.keyboard.press("ArrowRight")
        show_slide(page, index, total, slide)
        if check:
            problems = page.evaluate(MISFITS, [index, MIN_PLOT_HEIGHT, MIN_PLOT_WIDTH])
            if problems:
                failures[f"{index + 1} {slide['id']}"] = problems
            fonts[slide["id"]] = page.evaluate(FONT_SIZES, index)
        if shots is not None:
            path = shots / f"slide-{index + 1:02d}-{slide['id']}-{scheme}.png"
            page.screenshot(path=str(path))
            saved.append(str(path))
    return failures, fonts, saved


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_slide_fits_the_screen_in_full_screen(open_page, browser, deck, width, height):
    ctx, page = open_full_screen(open_page, browser, width, height)
    shots = None
    if width == 1920:
        shots = SHOTS / "slides-1920x1080"
        shots.mkdir(parents=True, exist_ok=True)
    try:
        failures, fonts, saved = walk(page, deck, check=True, shots=shots)
        assert page.evaluate("() => document.fullscreenElement !== null")
    finally:
        ctx.close()
    if saved:
        print(f"\nscreenshots of every slide at 1920x1080: {shots}/ ({len(saved)} files)")
    assert not failures, f"at {width}x{height}: " + "\n".join(
        f"slide {name}: " + "; ".join(problems) for name, problems in failures.items())
    if width != 1920:
        return
    small = []
    minimums = {"slide": SLIDE_TEXT_PX, "sources": SLIDE_SOURCE_PX, "chart": PROJECTION_TEXT_PX,
                "chart_title": PROJECTION_TITLE_PX, "chart_source": PROJECTION_SOURCE_PX,
                "details": SLIDE_SOURCE_PX}
    for slide_id, seen in fonts.items():
        for kind, minimum in minimums.items():
            small += [f"{slide_id} {kind} {size:g}px {text!r}" for size, text in seen[kind]
                      if size < minimum - 0.01]
    assert not small, "text too small to read from the back:\n" + "\n".join(small)
    charted = [s["id"] for s in deck["slides"] if s.get("figure")]
    for kind in ("chart", "chart_title", "chart_source"):
        assert all(fonts[i][kind] for i in charted), f"no {kind} text was read"


def test_every_slide_in_dark_fits_and_is_saved(open_page, browser, deck):
    ctx, page = open_full_screen(open_page, browser, 1920, 1080, scheme="dark")
    shots = SHOTS / "slides-1920x1080"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        failures, _, saved = walk(page, deck, check=True, shots=shots, scheme="dark")
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('.rd-canvas')).backgroundColor")
    finally:
        ctx.close()
    print(f"\nscreenshots of every slide at 1920x1080 in dark: {shots}/ ({len(saved)} files)")
    assert not failures, "\n".join(f"slide {n}: " + "; ".join(p) for n, p in failures.items())
    red, green, blue = (int(v) for v in background[background.index("(") + 1:-1].split(",")[:3])
    assert max(red, green, blue) < 80, f"the dark slide's background is {background}"
