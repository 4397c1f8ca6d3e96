"""Charts read whole on a phone: no title, source, panel title or axis title runs off.

Every session page with charts is opened at a phone's size (390x844) and a laptop's
(1366x768); every chart is drawn (scrolled into view, as a reader does) and each of its SVG
text elements (title, source, panel titles and notes, axis titles, tick labels, table
cells) is measured: it must lie inside the chart's own box and inside the window, and no
title or paper-placed annotation may cover a plot area or another chart's axis text.
Each chart is screenshot under /tmp/shots-charts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import draw_charts

from .conftest import keep_offline, wait_ready

pytestmark = pytest.mark.e2e

#: The pages that show research charts, with how many each shows.
PAGES = {
    "s1": ("01_experiencing-relational-depth.ipynb", 3),
    "s2": ("02_relatedness-and-wellbeing.ipynb", 2),
    "s3": ("03_deepening-relating-with-clients.ipynb", 2),
}
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}
SHOTS = Path("/tmp/shots-charts")

#: Runs in the page: every problem of one chart, as plain words.
MEASURE = """
(figure) => {
  const gd = figure.querySelector('.js-plotly-plot');
  const box = gd.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const name = (el) => (el.getAttribute('class') || el.tagName) + ' "' +
      (el.textContent || '').slice(0, 40) + '"';
  const problems = [];
  const texts = Array.from(gd.querySelectorAll('.main-svg text'))
      .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0);
  for (const t of texts) {
    // text a table scrolls or a clip path hides is not read: measure what is visible
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1) {
      problems.push('outside the chart: ' + name(t));
    } else if (r.left < -1 || r.right > vw + 1) {
      problems.push('outside the window: ' + name(t));
    }
  }
  const plots = Array.from(gd.querySelectorAll('.nsewdrag')).map((d) => d.getBoundingClientRect());
  const axisText = Array.from(gd.querySelectorAll(
      '.xtitle, .ytitle, .xtick text, .ytick text, '
      + '[class^="x"][class$="title"], [class^="y"][class$="title"]'))
      .filter((t) => t.textContent.trim()).map((t) => [t, t.getBoundingClientRect()]);
  const anns = (gd.layout.annotations || []);
  const free = [];
  gd.querySelectorAll('.gtitle, .gtitle-subtitle').forEach((t) => free.push(t));
  gd.querySelectorAll('.annotation').forEach((a) => {
    const spec = anns[Number(a.dataset.index)] || {};
    // a panel's title (on the top of its panel) or a note under the chart; an annotation
    // placed on the plot on purpose (a boxed warning) is not checked
    const tops = Object.keys(gd.layout).filter((k) => /^yaxis\\d*$/.test(k))
        .map((k) => (gd.layout[k].domain || [0, 1])[1]);
    const onTop = spec.yanchor === 'bottom' && tops.some((t) => Math.abs(t - spec.y) < 1e-6);
    const note = spec.yanchor === 'top' && spec.y <= 0;
    if (spec.xref === 'paper' && spec.yref === 'paper' && (onTop || note)) {
      free.push(a.querySelector('.annotation-text-g') || a);
    }
  });
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
      a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const el of free) {
    const r = el.getBoundingClientRect();
    if (!r.width) { continue; }
    if (plots.some((p) => meets(r, p))) { problems.push('covers a plot: ' + name(el)); }
    for (const [t, tr] of axisText) {
      if (!el.contains(t) && meets(r, tr)) { problems.push('covers ' + name(t) + ': ' + name(el)); }
    }
  }
  return {problems, texts: texts.length};
}
"""


def _charts(browser, server, page_name: str, size: str):
    width, height = SIZES[size]
    phone = size == "phone"
    ctx = keep_offline(browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone))
    page = ctx.new_page()
    page.goto(server.url + "voila/render/" + page_name)
    wait_ready(page)
    return ctx, page


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", PAGES)
def test_every_chart_text_shows_whole_inside_its_chart(browser, server, key, size):
    name, expected = PAGES[key]
    ctx, page = _charts(browser, server, name, size)
    try:
        assert draw_charts(page) == expected
        SHOTS.mkdir(parents=True, exist_ok=True)
        found, measured = [], 0
        charts = page.locator("figure.rd-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            plot = chart.locator(".js-plotly-plot")
            # charts.js marks a chart drawn once its text is fitted to the width
            page.wait_for_function("el => el.classList.contains('rd-chart--drawn')",
                                   arg=chart.element_handle(), timeout=30_000)
            plot.screenshot(path=str(SHOTS / f"{key}-{size}-chart-{i}.png"))
            result = chart.evaluate(MEASURE)
            measured += result["texts"]
            found += [f"chart {i}: {p}" for p in result["problems"]]
        assert measured > 10 * expected, "too few chart texts measured: were the charts drawn?"
        shown = "\n".join(found)
        assert found == [], f"{len(found)} of {measured} chart texts cut or covering:\n{shown}"
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    finally:
        ctx.close()
