"""`make bench`: start a real `rdlearn serve` and print speed and memory figures.

For each page: the median time from navigation to a rendered page in Chromium, cold
(a new browser profile, empty cache) and warm (cache filled, a preheated kernel waiting),
the bytes transferred, and the memory of the server plus its kernels. Figures go to
stdout as a table and to bench/results/latest.json. It asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from rdlearn._harness import CHROMIUM, CHROMIUM_ARGS, RunningServer
from rdlearn.app import PAGE_PATTERN
from rdlearn.cli import notebooks_dir

RESULTS = Path(__file__).resolve().parent / "results"


def pages() -> list[str]:
    return sorted(p.name for p in notebooks_dir().glob("*.ipynb") if PAGE_PATTERN.match(p.name))


def visit(context, url: str) -> tuple[float, int]:
    """Seconds to a rendered page, and bytes received."""
    page = context.new_page()
    received = []
    page.on("response", lambda r: received.append(r))
    started = time.monotonic()
    page.goto(url)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    page.wait_for_function("() => document.querySelector('#loading') === null "
                           "|| getComputedStyle(document.querySelector('#loading')).display === 'none'"
                           " || document.querySelector('#rendered_cells').offsetParent !== null")
    elapsed = time.monotonic() - started
    size = 0
    for response in received:
        try:  # bytes on the wire (compressed), as the Wi-Fi carries them
            sizes = response.request.sizes()
            size += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # aborted or streamed responses have no sizes
            pass
    page.goto("about:blank")
    page.close()
    return elapsed, size


def page_timings(browser, server: RunningServer, runs: int) -> list[dict]:
    rows = []
    for name in pages():
        url = server.url + "voila/render/" + name
        cold, warm, sizes = [], [], []
        for _ in range(runs):
            ctx = browser.new_context()
            seconds, size = visit(ctx, url)
            cold.append(seconds)
            sizes.append(size)
            time.sleep(4)  # let the pool refill, so the warm visit finds a preheated kernel
            warm.append(visit(ctx, url)[0])
            ctx.close()
            time.sleep(4)
        rows.append({
            "page": name,
            "cold_median_s": round(statistics.median(cold), 2),
            "warm_median_s": round(statistics.median(warm), 2),
            "transfer_mb": round(statistics.median(sizes) / 1e6, 2),
        })
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--room-size", type=int, default=4)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: dict = {"machine": {"cpus": __import__("os").cpu_count()}}
    with RunningServer(room_size=args.room_size, cull_idle_timeout=120) as server:
        results["startup_to_ready_s"] = round(server.startup_seconds, 1)
        results["idle_memory_mb"] = round(server.rss_bytes() / 1e6)
        results["idle_kernels"] = len(server.kernel_pids())
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results["pages"] = page_timings(browser, server, args.runs)
            browser.close()
        results["after_memory_mb"] = round(server.rss_bytes() / 1e6)
        results["after_kernels"] = len(server.kernel_pids())

    print(f"\nrdlearn bench (room size {args.room_size}, {args.runs} runs per page)")
    print(f"ready after {results['startup_to_ready_s']} s; idle: {results['idle_kernels']} kernels, "
          f"{results['idle_memory_mb']} MB (server + kernels, PSS)")
    print(f"{'page':<48} {'cold s':>7} {'warm s':>7} {'MB':>6}")
    for row in results["pages"]:
        print(f"{row['page']:<48} {row['cold_median_s']:>7} {row['warm_median_s']:>7} "
              f"{row['transfer_mb']:>6}")
    print(f"after the visits: {results['after_kernels']} kernels, {results['after_memory_mb']} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    print(f"written to {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
