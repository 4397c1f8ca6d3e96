"""Every page of the app, opened in a real Chromium against a real ``rdlearn serve``."""

from __future__ import annotations

import pytest

from rdlearn.serve.app import ServeOptions
from rdlearn.serve.cli import notebooks_dir
from tests.support.harness import wait_until

from .conftest import app_pages, is_loopback, leave

pytestmark = pytest.mark.e2e

ERROR_TEXTS = ("There was an error when executing cell", "Traceback", "Error:")


@pytest.mark.parametrize("page_name", app_pages())
def test_page_renders_without_errors_or_external_requests(open_page, context, page_name):
    page = open_page(page_name)
    body = page.inner_text("#rendered_cells")
    assert body.strip(), f"{page_name} rendered nothing"
    for text in ERROR_TEXTS:
        assert text not in body, f"{page_name} shows an error: {body[:500]}"
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.rd_console_errors == [], f"{page_name}: console errors {page.rd_console_errors}"
    external = [u for u in page.rd_requests if not is_loopback(u)]
    assert external == [] and context.rd_external_requests == [], external


def test_landing_page_at_root_lists_the_four_sessions_without_a_kernel(open_page, server):
    page = open_page("/", ready=False)
    assert page.url == server.url
    text = page.inner_text("#rendered_cells")
    assert not [u for u in page.rd_requests if "/api/kernels" in u or "voila/render" in u]
    assert page.rd_console_errors == []
    links = page.eval_on_selector_all("#rendered_cells a", "els => els.map(a => a.href)")
    for number in range(1, 5):  # each session is a part of the participant's day page
        assert any(link.endswith(f"/voila/render/10_day.ipynb#session-{number}")
                   for link in links), links
    for title in ("Experiencing relational depth", "relatedness to psychological wellbeing",
                  "Deepening our levels of relating", "Chronic strategies of disconnection"):
        assert title in text
    nav = page.locator("nav.rd-nav a")
    assert nav.count() >= 1
    assert nav.first.get_attribute("aria-current") == "page"


def test_navigation_links_only_to_pages_that_exist(open_page, context, server):
    page = open_page("01_experiencing-relational-depth.ipynb")
    hrefs = page.eval_on_selector_all("nav.rd-nav a", "els => els.map(a => a.href)")
    assert hrefs
    import urllib.request

    for href in hrefs:
        # The status line is enough: the page exists. (Reading on would wait for a whole
        # notebook to run in a fresh kernel for each link.)
        with urllib.request.urlopen(href, timeout=60) as response:
            assert response.status == 200, href


@pytest.mark.parametrize(
    "path",
    ["voila/tree", "voila/api/contents/", "voila/render/../data/workshop.yaml",
     "voila/files/00_welcome.ipynb", "voila/render/missing.ipynb", "api/kernels",
     "rdlearn/assets/../app.py", "rdlearn/assets/%2e%2e/app.py", "rdlearn/assets/audience/",
     "rdlearn/assets/handout.html", "rdlearn/plotly.js", "rdlearn/assets/"],
)
def test_nothing_but_the_app_pages_is_served(context, server, path):
    response = context.request.get(server.url + path, max_redirects=0)
    assert response.status in (403, 404, 405), (path, response.status)
    assert "Traceback" not in response.text()


def test_widget_code_and_plotly_are_served_for_browsers_to_keep(context, server):
    from rdlearn.web import assets

    name = "journal.js"
    response = context.request.get(
        f"{server.url}rdlearn/assets/{name}?v={assets.version(name)}")
    assert response.status == 200
    assert response.text() == assets.source(name)
    assert "max-age" in response.headers.get("cache-control", "")
    plotly_js = context.request.get(server.url + "rdlearn/plotly.min.js?v=1")
    assert plotly_js.status == 200 and "max-age" in plotly_js.headers.get("cache-control", "")


def test_closed_pages_free_their_kernels(open_page, server):
    pool = sum(ServeOptions(notebooks=notebooks_dir(), room_size=1).pool_sizes().values())
    wait_until(lambda: len(server.kernel_pids()) == pool, timeout=60, what="the kernel pool")
    pages = [open_page(name) for name in app_pages()[:3]]
    wait_until(lambda: len(server.kernel_pids()) > pool, timeout=30, what="kernels in use")
    for page in pages:
        leave(page)
    # Well under the 20 s idle-cull time: the kernels go because the pages asked.
    wait_until(lambda: len(server.kernel_pids()) == pool, timeout=12,
               what=f"closed pages' kernels to go (pool {pool})")
