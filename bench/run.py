"""`make bench`: start a real `rdlearn serve` and print speed and memory figures.

For each page: the median time from navigation to an interactive page in Chromium (every
output in place, widgets drawn), on a first visit (new browser profile, empty cache) and a
return visit (cache filled), each with a preheated kernel waiting; the bytes transferred;
and the memory of the server plus its kernels. Figures go to
stdout as a table and to bench/results/latest.json. It asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support

from tests.support.harness import CHROMIUM, CHROMIUM_ARGS, RunningServer, draw_charts

from rdlearn.serve.app import PAGE_PATTERN
from rdlearn.serve.cli import notebooks_dir

RESULTS = Path(__file__).resolve().parent / "results"


def pages() -> list[str]:
    """The served pages (a session's own address leads to the day page, measured once)."""
    from rdlearn.serve.app import _session_of

    return sorted(p.name for p in notebooks_dir().glob("*.ipynb")
                  if PAGE_PATTERN.match(p.name) and _session_of(p.name) is None)


# A page is interactive when Voilà has put every cell output in place and every output
# holds something: widget views only appear once their kernel is connected and their state
# has arrived, so this is the moment a participant can type, choose and press.
INTERACTIVE = """() => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.offsetParent === null || window.jupyterapp === undefined) { return false; }
  if (cells.querySelector('script[type="application/vnd.voila.cell-output+json"]')) {
    return false;
  }
  const outputs = Array.from(cells.querySelectorAll('.jp-OutputArea-output'));
  return outputs.length > 0 && outputs.every(o => {
    const text = o.textContent.trim();
    return (o.childElementCount > 0 || text.length > 0) && !text.startsWith('Loading widget');
  });
}"""


def wire_bytes(responses) -> int:
    size = 0
    for response in responses:
        try:  # bytes on the wire (compressed), as the Wi-Fi carries them
            sizes = response.request.sizes()
            size += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # aborted or streamed responses have no sizes
            pass
    return size


def visit(context, url: str) -> tuple[float, int, int]:
    """Seconds to an interactive page, bytes received until then, and bytes to draw charts."""
    page = context.new_page()
    received = []
    page.on("response", lambda r: received.append(r))
    started = time.monotonic()
    page.goto(url)
    page.wait_for_function(INTERACTIVE, polling=50, timeout=120_000)
    elapsed = time.monotonic() - started
    page_bytes = wire_bytes(received)
    before = len(received)
    draw_charts(page)  # a reader scrolling down to every chart
    chart_bytes = wire_bytes(received[before:])
    page.goto("about:blank")
    page.close()
    return elapsed, page_bytes, chart_bytes


def page_timings(browser, server: RunningServer, runs: int) -> list[dict]:
    rows = []
    for name in pages():
        url = server.url + "voila/render/" + name
        cold, warm, sizes, chart_sizes = [], [], [], []
        for _ in range(runs):
            ctx = browser.new_context()
            seconds, size, chart_size = visit(ctx, url)
            cold.append(seconds)
            sizes.append(size)
            chart_sizes.append(chart_size)
            time.sleep(4)  # let the pool refill, so the return visit finds a preheated kernel
            warm.append(visit(ctx, url)[0])
            ctx.close()
            time.sleep(4)
        rows.append({
            "page": name,
            "first_visit_median_s": round(statistics.median(cold), 2),
            "return_visit_median_s": round(statistics.median(warm), 2),
            "return_visit_s": [round(x, 2) for x in warm],
            "transfer_mb": round(statistics.median(sizes) / 1e6, 2),
            "charts_mb": round(statistics.median(chart_sizes) / 1e6, 2),
        })
    return rows


def floor_timings(browser, runs: int) -> list[float]:
    """Return visits to a page holding one markdown cell and one button, served the same way.

    Nothing of rdlearn's content is on it, so this is what Voilà's front end itself costs
    here: no page with a widget can be interactive sooner.
    """
    import tempfile

    import nbformat

    folder = Path(tempfile.mkdtemp(prefix="rdlearn-floor-"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# One button"),
                nbformat.v4.new_code_cell("import ipywidgets\n"
                                          "ipywidgets.Button(description='Press')")]
    nbformat.write(nb, folder / "01_floor.ipynb")
    seconds = []
    with RunningServer(room_size=4, cull_idle_timeout=120, refill_delay=1.0,
                       extra_args=["--notebooks", str(folder)]) as server:
        url = server.url + "voila/render/01_floor.ipynb"
        for _ in range(runs):
            ctx = browser.new_context()
            visit(ctx, url)
            time.sleep(3)
            seconds.append(visit(ctx, url)[0])
            ctx.close()
            time.sleep(3)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--room-size", type=int, default=4)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: dict = {"machine": {"cpus": __import__("os").cpu_count()}}
    # Refill after 1 s (the server's default is 20 s), so that every visit measured here
    # finds a preheated kernel, as a participant does when the room has been sized right.
    with RunningServer(room_size=args.room_size, cull_idle_timeout=120,
                       refill_delay=1.0) as server:
        results["startup_to_ready_s"] = round(server.startup_seconds, 1)
        results["idle_memory_mb"] = round(server.rss_bytes() / 1e6)
        results["idle_kernels"] = len(server.kernel_pids())
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results["pages"] = page_timings(browser, server, args.runs)
            floor = floor_timings(browser, args.runs)
            results["floor_return_visit_median_s"] = round(statistics.median(floor), 2)
            results["floor_return_visit_s"] = [round(x, 2) for x in floor]
            browser.close()
        results["after_memory_mb"] = round(server.rss_bytes() / 1e6)
        results["after_kernels"] = len(server.kernel_pids())

    print(f"\nrdlearn bench (room size {args.room_size}, {args.runs} runs per page)")
    print(f"ready after {results['startup_to_ready_s']} s; idle: {results['idle_kernels']} "
          f"kernels, {results['idle_memory_mb']} MB (server + kernels, PSS)")
    print("seconds from navigation to an interactive page (median), MB on the wire to get there,"
          "\nand MB more to draw the page's charts when scrolled to (plotly.js, once per browser)")
    print(f"{'page':<46} {'first s':>7} {'return s':>8} {'MB':>5} {'charts MB':>9}")
    for row in results["pages"]:
        print(f"{row['page']:<46} {row['first_visit_median_s']:>7} "
              f"{row['return_visit_median_s']:>8} {row['transfer_mb']:>5} {row['charts_mb']:>9}")
    sessions = [r["return_visit_median_s"] for r in results["pages"]
                if r["page"][:3] in ("01_", "02_", "03_", "04_")]
    results["session_return_visit_median_s"] = round(statistics.median(
        [x for r in results["pages"] if r["page"][:3] in ("01_", "02_", "03_", "04_")
         for x in r["return_visit_s"]]), 2) if sessions else None
    print(f"session pages 01-04, return visits: median "
          f"{results['session_return_visit_median_s']} s")
    print(f"a page with one button and nothing else (Voilà's own floor), return visits: median "
          f"{results['floor_return_visit_median_s']} s")
    print(f"after the visits: {results['after_kernels']} kernels, {results['after_memory_mb']} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    print(f"written to {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
