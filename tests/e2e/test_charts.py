"""Charts on the pages: drawn in the browser when they come into view, from local files."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.harness import draw_charts

pytestmark = pytest.mark.e2e

PAGE = "02_relatedness-and-wellbeing.ipynb"


def plotly_requests(page) -> list[str]:
    return [url for url in page.rd_requests if "plotly" in url]


def test_a_page_is_ready_before_plotly_is_fetched_and_draws_charts_as_they_are_seen(
        open_page, server):
    page = open_page(PAGE)
    charts = page.locator("figure.rd-chart")
    assert charts.count() >= 2
    # ready, with the first chart below the fold: no plotly.js yet, nor plotly's extension
    assert plotly_requests(page) == []
    assert page.locator(".js-plotly-plot").count() == 0
    drawn = draw_charts(page)
    assert drawn == charts.count()
    # one copy of plotly.js, served by the app itself, for all the page's charts
    assert plotly_requests(page) == [f"{server.url}rdlearn/plotly.min.js?v="
                                     f"{__import__('plotly').__version__}"]
    # each chart keeps a text description and data table for people who cannot see it
    assert page.locator("figure.rd-chart details.rd-figure-text table").count() == drawn
    assert page.rd_console_errors == []


def test_a_chart_that_cannot_be_drawn_says_so_and_keeps_its_table(open_page, context):
    context.route("**/rdlearn/plotly.min.js*", lambda route: route.abort())
    page = open_page(PAGE)
    first = page.locator("figure.rd-chart").first
    first.scroll_into_view_if_needed()
    expect(first.locator(".rd-chart__problem")).to_have_text(
        "This chart could not be drawn. Its figures are in the table below.", timeout=30_000)
    expect(first.locator("details.rd-figure-text table")).to_have_count(1)
