"""Printable handouts: one HTML page and one PDF for each of the four sessions.

A handout gathers what a participant takes home from a session: its title and learning
outcomes, the key points, the exercises' instructions, the key findings with their charts,
the reflection prompts with lines to write on, and the references. Everything comes from
the same data the session pages use (``data/sessions``, ``data/prompts.yaml``,
``data/findings.csv``), so the handouts never drift from the pages.

The charts are drawn by Debian's Chromium (the browser the tests use) into SVG pictures with
the plotly.js that ships inside the installed plotly package, and placed in the page as
``data:`` images: a handout is one self-contained file with no script and nothing fetched
from a network. The same Chromium prints the PDF.

``python -m rdlearn.handouts.build`` (or ``make handouts``) writes every handout into
``workshop/handouts/build/``; ``--session N`` writes one, ``--no-pdf`` skips the PDFs.

Examples
--------
>>> html = handout_html(4)
>>> "Chronic strategies of disconnection" in html and "<script" not in html
True
"""

from __future__ import annotations

import base64
import json
import re
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.journal import reflection
from rdlearn.sessions import load as session_files
from rdlearn.sessions import render as session_render
from rdlearn.web.browser import CHROMIUM, CHROMIUM_ARGS
from rdlearn.web.html import bullets, esc, tag

__all__ = [
    "DEFAULT_OUT",
    "CHART_WIDTH",
    "HandoutError",
    "session_charts",
    "finding_rows",
    "handout_html",
    "Chromium",
    "open_chromium",
    "write_handouts",
    "main",
]

#: Where ``make handouts`` writes (relative to the project folder; git ignores it).
DEFAULT_OUT = Path("workshop/handouts/build")

#: Width in CSS pixels at which charts are drawn; the page shrinks them to its width.
CHART_WIDTH = 1050

#: Lines left for writing under each reflection prompt.
WRITING_LINES = 6

_STYLESHEET = Path(__file__).parent / "handout.css"
_INSTALL_HINT = (
    "install Debian's browser with 'sudo apt-get install chromium' "
    "(or run 'make handouts', which installs it when run as root)"
)


class HandoutError(Exception):
    """A problem that stops the handouts, said in one line for the person at the keyboard."""


# --------------------------------------------------------------------------- content


def session_charts(number: int) -> dict[str, Any]:
    """The charts a session's sections name, built: ``{builder name: go.Figure}``, in order."""
    from rdlearn import figures

    sections = session_files.load_session(number)["sections"]
    names = [sec["figure"] for sec in sections if sec["figure"]]
    return {name: getattr(figures, name)() for name in dict.fromkeys(names)}


def _number(value: float) -> str:
    """``98.0`` -> ``'98'``, ``0.278`` -> ``'0.278'``, ``308849`` -> ``'308,849'``."""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _value_text(row: Mapping[str, Any]) -> str:
    value, unit, n = row["value"], row.get("unit", ""), row.get("n")
    number = _number(value)
    statistic = row.get("statistic", "")
    if unit == "r":
        number = f"r\u00a0=\u00a0{number[1:] if number.startswith('0.') else number}"
    elif unit == "%":
        number = f"{number}\u00a0%"
    elif statistic.startswith("count (x of n)") and n:
        number = f"{number} of {_number(n)}"
    elif unit and unit not in ("rating", "odds ratio"):
        number = f"{number} {unit}"
    return number


def finding_rows(finding_ids: Iterable[str]) -> list[dict[str, str]]:
    """The findings as plain rows for a handout table: measure, value, statistic, who, source.

    A finding known only through someone else's review names that review in its source
    ("Leung (2008), as reported in Cooper (2013a)").

    >>> finding_rows(["leung2008-clients-any-rd"])[0]["source"]
    'Leung (2008), as reported in Cooper (2013a)'
    """
    from rdlearn.content import findings

    rows = []
    for fid in finding_ids:
        row = findings.finding(fid)
        who = row.get("group") or ""
        if row.get("n"):
            size = f"n\u00a0=\u00a0{_number(row['n'])}"
            who = f"{who} ({size})" if who else size
        statistic = row.get("statistic", "")
        if row.get("scale"):
            statistic += f"; ratings on a scale of {row['scale']}"
        measure = row["measure"]
        rows.append({
            "measure": measure[:1].upper() + measure[1:],
            "value": _value_text(row),
            "statistic": statistic,
            "who": who,
            "source": findings.cite(fid),
        })
    return rows


def _findings_table(finding_ids: list[str]) -> str:
    rows = finding_rows(finding_ids)
    head = "".join(tag("th", h, scope="col") for h in
                   ("What was measured", "Result", "Statistic", "Who", "Source"))
    body = "".join(
        tag("tr", raw="".join(tag("td", row[k]) for k in
                              ("measure", "value", "statistic", "who", "source")))
        for row in rows
    )
    return tag("table", raw=tag("thead", raw=tag("tr", raw=head)) + tag("tbody", raw=body),
               class_="rd-findings")


def _description_html(text: str) -> str:
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append(bullets(items, class_="rd-values rd-values--long" if len(items) > 8
                                 else "rd-values"))
            items.clear()

    for line in text.splitlines():
        if line.startswith("- "):
            items.append(line[2:])
            continue
        flush()
        if line.strip():
            parts.append(tag("p", line))
    flush()
    return "".join(parts)


def _chart_html(name: str, fig: Any, svg: str | None) -> str:
    from rdlearn import figures

    description = figures.describe(fig)
    title = description.splitlines()[0]
    if svg is None:
        picture = tag("p", "(The chart was not drawn; its description follows.)",
                      class_="rd-chart-missing")
    else:
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        picture = f'<img src="data:image/svg+xml;base64,{data}" alt="{esc(title)}">'
    caption = tag("figcaption", raw=tag("p", "Chart described in words:", class_="rd-label")
                  + _description_html(description))
    return tag("figure", raw=picture + caption, class_="rd-chart", data_chart=name)


def _prompt_html(item: Mapping[str, Any]) -> str:
    lines = '<div class="rd-lines" aria-hidden="true">' + (
        '<div class="rd-line"></div>' * WRITING_LINES) + "</div>"
    hint = tag("p", raw=session_render.inline(item["hint"]), class_="rd-hint") if item.get(
        "hint") else ""
    return tag(
        "section",
        raw=tag("h3", item["title"]) + tag("p", raw=session_render.inline(item["prompt"])) + hint
        + lines,
        class_="rd-prompt",
    )


def _rendered(shown: Any) -> str:
    """The HTML text of a :mod:`rdlearn.sessions.render` renderer's result."""
    return shown.data


def handout_html(number: int, *, charts: Mapping[str, str] | None = None) -> str:
    """The handout of one session (1 to 4) as a complete, self-contained HTML page.

    Parameters
    ----------
    number
        The session.
    charts
        SVG pictures of the session's charts, by builder name (as drawn by
        :meth:`Chromium.chart_svg`). A chart missing here is shown by its description alone.
    """
    session = session_files.load_session(number)
    charts = charts or {}
    workshop = content.workshop()
    built = session_charts(number)

    findings_parts = []
    for sec in session["sections"]:
        if not sec["finding_ids"] and not sec["figure"]:
            continue
        part = tag("h3", sec["heading"])
        if sec["finding_ids"]:
            part += _findings_table(sec["finding_ids"])
        if sec["figure"]:
            part += _chart_html(sec["figure"], built[sec["figure"]], charts.get(sec["figure"]))
        findings_parts.append(tag("section", raw=part, class_="rd-finding"))
    secondary_note = tag(
        "p", "\u201cAs reported in\u201d marks a study known here only through another "
        "author's account of it.", class_="rd-small",
    ) if any(" as reported in " in part for part in findings_parts) else ""

    exercises = "".join(_rendered(session_render.exercise_card(number, ex["id"]))
                        for ex in session["exercises"])
    prompts = "".join(_prompt_html(p) for p in reflection.session_prompts(number))
    body = "".join([
        tag("p", f"{workshop['title']}: workshop handout · session {number} of "
                 f"{len(workshop['sessions'])}", class_="rd-kicker"),
        _rendered(session_render.header(number)),
        _rendered(session_render.summary(number)),
        tag("section", raw=tag("h2", "Exercises") + exercises, class_="rd-exercises"),
        tag("section", raw=tag("h2", "Key findings") + "".join(findings_parts)
            + secondary_note, class_="rd-key-findings") if findings_parts else "",
        tag("section", raw=tag("h2", "Reflection")
            + tag("p", "Space for your own notes. What you write on paper is yours to keep.",
                  class_="rd-small") + prompts, class_="rd-reflection"),
        tag("section", raw=_rendered(session_render.references(number)), class_="rd-references"),
    ])
    style = _STYLESHEET.read_text(encoding="utf-8")
    title = f"Session {number}: {session['title']} (handout)"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{tag('title', title)}<style>{style}</style></head>"
        f'<body class="rd-handout">{tag("main", raw=body)}</body></html>\n'
    )


# --------------------------------------------------------------------------- the browser


def _block_network(page: Any) -> None:
    page.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())


class Chromium:
    """An open Chromium that draws charts to SVG and prints pages to PDF.

    Build it with :func:`open_chromium`; nothing it loads can reach a network.
    """

    def __init__(self, browser: Any, workdir: Path) -> None:
        self._browser = browser
        self._workdir = workdir
        self._chart_page = None

    def _charts(self) -> Any:
        if self._chart_page is None:
            import plotly.offline

            page_file = self._workdir / "draw-charts.html"
            page_file.write_text(
                '<!DOCTYPE html><html><head><meta charset="utf-8"><script>'
                + plotly.offline.get_plotlyjs() + "</script></head><body></body></html>",
                encoding="utf-8",
            )
            page = self._browser.new_page()
            _block_network(page)
            page.goto(page_file.as_uri())
            page.wait_for_function("() => window.Plotly !== undefined")
            self._chart_page = page
        return self._chart_page

    def chart_svg(self, fig: Any, *, width: int = CHART_WIDTH) -> str:
        """Draw a plotly figure as an SVG document (text)."""
        height = int(fig.layout.height or 500)
        url = self._charts().evaluate(
            "([figure, width, height]) => Plotly.toImage(figure, "
            "{format: 'svg', width: width, height: height})",
            [json.loads(fig.to_json()), width, height],
        )
        prefix, _, data = url.partition(",")
        if not prefix.startswith("data:image/svg+xml"):
            raise HandoutError(f"Chromium did not return an SVG picture for a chart ({prefix})")
        svg = base64.b64decode(data).decode("utf-8") if prefix.endswith(";base64") else (
            urllib.parse.unquote(data))
        if not svg.lstrip().startswith("<svg"):
            raise HandoutError("Chromium returned something other than an SVG for a chart")
        return svg

    def print_pdf(self, html_file: Path, pdf_file: Path) -> None:
        """Open a handout from its file and print it as an A4 PDF."""
        page = self._browser.new_page()
        try:
            _block_network(page)
            page.goto(Path(html_file).resolve().as_uri())
            page.emulate_media(media="print")
            page.pdf(path=str(pdf_file), format="A4", print_background=True,
                     prefer_css_page_size=True)
        finally:
            page.close()


@contextmanager
def open_chromium(*, executable: str | None = None) -> Iterator[Chromium]:
    """Start Debian's Chromium (headless) through Playwright; close it afterwards.

    Raises :class:`HandoutError` when Chromium or Playwright is missing.
    """
    executable = executable or CHROMIUM
    if not Path(executable).is_file():
        raise HandoutError(f"Chromium is needed to draw the charts and print the PDFs, but "
                           f"{executable} does not exist: {_INSTALL_HINT}.")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise HandoutError("the Python package playwright is missing, and it prints the "
                           "PDFs: run 'make handouts' (it installs the handouts extra), or "
                           "'.venv/bin/pip install -e \".[handouts]\"' and try again") from None
    with tempfile.TemporaryDirectory(prefix="rdlearn-handouts-") as tmp, \
            sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable,
                                         args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown error"
            raise HandoutError(f"Chromium at {executable} would not start ({first}): "
                               f"{_INSTALL_HINT}.") from None
        try:
            yield Chromium(browser, Path(tmp))
        finally:
            browser.close()


# --------------------------------------------------------------------------- writing


def write_handouts(
    numbers: Iterable[int],
    *,
    out: str | Path = DEFAULT_OUT,
    pdf: bool = True,
    browser: Chromium | None = None,
    clock: Callable[[], float] = time.monotonic,
    report: Callable[[str], None] = print,
) -> list[dict]:
    """Write the handouts of the given sessions into ``out``; return what was written.

    Each entry is ``{"session": n, "html": Path, "pdf": Path | None, "seconds": float}``.
    ``browser`` is an open :class:`Chromium` (one is started when not given); ``report``
    receives one line per handout.
    """
    numbers = list(numbers)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if browser is None:
        with open_chromium() as opened:
            return write_handouts(numbers, out=out, pdf=pdf, browser=opened, clock=clock,
                                  report=report)
    written = []
    for number in numbers:
        started = clock()
        slug = session_files.load_session(number)["slug"]
        charts = {name: browser.chart_svg(fig) for name, fig in session_charts(number).items()}
        html_file = out / f"{number:02d}_{slug}.html"
        html_file.write_text(handout_html(number, charts=charts), encoding="utf-8")
        pdf_file = None
        if pdf:
            pdf_file = html_file.with_suffix(".pdf")
            browser.print_pdf(html_file, pdf_file)
        seconds = clock() - started
        files = [html_file] + ([pdf_file] if pdf_file else [])
        sizes = ", ".join(f"{f} ({f.stat().st_size / 1024:.0f} KB)" for f in files)
        report(f"session {number}: wrote {sizes} in {seconds:.1f} s")
        written.append({"session": number, "html": html_file, "pdf": pdf_file,
                        "seconds": seconds})
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m rdlearn.handouts.build [--out DIR] [--session N] [--no-pdf]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m rdlearn.handouts.build",
        description="Write a printable handout (HTML and PDF) for each workshop session.",
    )
    parser.add_argument("--out", metavar="DIR", default=str(DEFAULT_OUT),
                        help=f"folder for the handouts (default: {DEFAULT_OUT})")
    parser.add_argument("--session", metavar="N", type=int, action="append",
                        help="only this session (1 to 4); may be given more than once")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML pages only")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        known = [s["number"] for s in content.workshop()["sessions"]]
        numbers = args.session or known
        for number in numbers:
            if number not in known:
                raise HandoutError(f"there is no session {number}; the sessions are "
                                   f"{', '.join(map(str, known))}")
        written = write_handouts(numbers, out=args.out, pdf=not args.no_pdf)
    except (HandoutError, ContentError, OSError) as exc:
        print(f"rdlearn handouts: error: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} handout(s) in {args.out}, {time.monotonic() - started:.1f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
