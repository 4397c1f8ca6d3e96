"""`make bench` (phone): Lighthouse's mobile profile on the landing, audience and day pages.

Lighthouse (npm, run against Debian's Chromium) loads each page as a mid-range phone on a
slow network would (its default simulated throttling) and reports a performance score, the
time to interactive and the main thread's blocked time. For the day page it also says where
the main thread's time goes (the heaviest scripts), since Voilà's own front end is most of
it. Figures go to stdout and bench/results/lighthouse.json. It asserts nothing about speed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support

from stats import save  # noqa: E402 (bench/stats.py: bench/ is this script's folder)
from tests.support.harness import CHROMIUM, RunningServer  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"landing": "", "audience": "audience", "day page": "voila/render/10_day.ipynb"}


def audit(url: str) -> dict:
    """One Lighthouse run (mobile profile, performance only) as its JSON report."""
    with tempfile.TemporaryDirectory(prefix="rdlearn-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                        "--only-categories=performance", "--output=json",
                        f"--output-path={out}", "--quiet", "--max-wait-for-load=90000"],
                       check=True, timeout=600)
        return json.loads(out.read_text())


def figures(report: dict) -> dict:
    audits = report["audits"]
    scripts = (audits.get("bootup-time", {}).get("details") or {}).get("items", [])
    heaviest = sorted(scripts, key=lambda item: -item.get("total", 0))[:4]
    groups = (audits.get("mainthread-work-breakdown", {}).get("details") or {}).get("items", [])
    return {
        "score": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "interactive_s": round(audits["interactive"]["numericValue"] / 1000, 1),
        "blocking_s": round(audits["total-blocking-time"]["numericValue"] / 1000, 2),
        "main_thread_s": round(sum(g.get("duration", 0) for g in groups) / 1000, 1),
        "heaviest_scripts": [(Path(i["url"].split("?")[0]).name or i["url"][:40],
                              round(i.get("total", 0) / 1000, 2)) for i in heaviest],
    }


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run scripts/ensure-lighthouse.sh (make bench does).")
        return 1
    results = {}
    with RunningServer(room_size=2, refill_delay=1.0, start_timeout=600) as server:
        for name, path in PAGES.items():
            results[name] = figures(audit(server.url + path))
    print("\nrdlearn phone bench: Lighthouse mobile profile (simulated mid-range phone, slow 4G)")
    for name, row in results.items():
        print(f"  {name:<10} score {row['score']:>3}   interactive {row['interactive_s']:>5} s"
              f"   blocked {row['blocking_s']:>5} s   main thread {row['main_thread_s']} s")
        for script, seconds in row["heaviest_scripts"]:
            print(f"      {seconds:>6} s  {script}")
    save("lighthouse", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
