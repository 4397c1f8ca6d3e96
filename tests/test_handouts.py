"""The printable handouts: what each one holds, that it is safe and self-contained, and that
the real Chromium draws its charts and prints a PDF.

The browser tests here use Debian's Chromium; a missing browser fails them (``make test``
installs it), it never skips them.
"""

from __future__ import annotations

import base64
import contextlib
import doctest
import html
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rdlearn import figures
from rdlearn.content import findings
from rdlearn.content import loader as content
from rdlearn.handouts import build as handouts
from rdlearn.journal import reflection
from rdlearn.sessions import load as session_files
from rdlearn.sessions import render as session_render
from rdlearn.web import browser
from rdlearn.web.html import esc

NUMBERS = [s["number"] for s in content.workshop()["sessions"]]
HOSTILE = '<script>alert("x")</script><img src=https://evil.example/p.png onerror=alert(1)> & co'

_CSS_LOAD = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import)""", re.IGNORECASE)


class _Tags(HTMLParser):
    """The elements a browser would build from a page, with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _elements(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def _network_references(page: str) -> list[str]:
    """Attribute values that would make a browser fetch something from a network."""
    found = []
    for tag, attrs in _elements(page):
        for name, value in attrs.items():
            if re.match(r"\s*(?:https?:|wss?:)?//", value, re.IGNORECASE) and name in (
                    "src", "href", "srcset", "action", "poster", "data", "formaction",
                    "background", "xlink:href", "style"):
                found.append(f"<{tag} {name}={value[:60]}>")
            if name == "style" and _CSS_LOAD.search(value):
                found.append(f"<{tag} style={value[:60]}>")
    return found


def _require_chromium() -> None:
    if not os.path.exists(browser.CHROMIUM):
        pytest.fail(f"Chromium is not installed at {browser.CHROMIUM}: run `make test`, "
                    "which installs it")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    """Every session's handout (HTML only), written by the command with the real Chromium."""
    _require_chromium()
    out = tmp_path_factory.mktemp("handouts")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = handouts.main(["--out", str(out), "--no-pdf"])
    assert status == 0, printed.getvalue()
    pages = {}
    for number in NUMBERS:
        slug = content.session(number)["slug"]
        pages[number] = (out / f"{number:02d}_{slug}.html").read_text(encoding="utf-8")
    return {"out": out, "printed": printed.getvalue(), "pages": pages}


def _figure_elements(page: str) -> dict[str, str]:
    found = re.findall(
        r'<figure class="rd-chart" data-chart="([a-z_]+)">(.*?)</figure>', page, re.DOTALL)
    return dict(found)


def test_the_command_says_what_it_wrote_and_how_long_it_took(written):
    lines = written["printed"].strip().splitlines()
    for number in NUMBERS:
        slug = content.session(number)["slug"]
        line = next(x for x in lines if x.startswith(f"session {number}:"))
        assert f"{number:02d}_{slug}.html" in line
        assert re.search(r"in \d+\.\d s$", line)
        assert ".pdf" not in line
    assert re.search(r"^4 handout\(s\) in .+, \d+\.\d s in all$", lines[-1])
    assert not list(written["out"].glob("*.pdf"))


@pytest.mark.parametrize("number", NUMBERS)
def test_each_handout_has_the_session_title_outcomes_and_key_points(written, number):
    page = written["pages"][number]
    session = session_files.load_session(number)
    heading = esc(f"Session {number}: {session['title']}")
    assert f"<h1>{heading}</h1>" in page
    outcomes = {o["id"]: o["text"] for o in content.learning_outcomes()}
    for oid in session["outcomes"]:
        assert esc(outcomes[oid]) in page
    for point in session["summary"]:
        assert session_render.inline(point) in page
    for exercise in session["exercises"]:
        assert esc(exercise["title"]) in page
        for step in exercise["instructions"]:
            assert session_render.inline(step) in page


@pytest.mark.parametrize("number", NUMBERS)
def test_every_reflection_prompt_is_there_with_lines_to_write_on(written, number):
    page = written["pages"][number]
    prompts = reflection.session_prompts(number)
    reflection_part = page[page.index('class="rd-reflection"'):]
    for item in prompts:
        assert esc(item["title"]) in reflection_part
        assert session_render.inline(item["prompt"]) in reflection_part
    assert reflection_part.count('<div class="rd-line">') == (
        handouts.WRITING_LINES * len(prompts))


@pytest.mark.parametrize("number", NUMBERS)
def test_every_reference_is_listed(written, number):
    page = written["pages"][number]
    references = page[page.index('class="rd-references"'):]
    sources = findings.load_sources()
    for ref in session_files.load_session(number)["references"]:
        expected = sources[ref["id"]]["title"] if ref["id"] in sources else ref["text"]
        assert esc(expected) in references, ref["id"]


@pytest.mark.parametrize("number", NUMBERS)
def test_every_named_chart_is_a_drawn_picture_with_its_description(written, number):
    page = written["pages"][number]
    named = [s["figure"] for s in session_files.load_session(number)["sections"] if s["figure"]]
    elements = _figure_elements(page)
    assert sorted(elements) == sorted(set(named))
    for name in named:
        element = elements[name]
        fig = getattr(figures, name)()
        match = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', element)
        assert match, f"{name}: no drawn picture"
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        assert svg.lstrip().startswith("<svg")
        words = " ".join(fig.layout.meta["title"].split()[:3])
        assert words in html.unescape(re.sub(r"<[^>]+>", "", svg)), f"{name}: title not drawn"
        assert f'alt="{esc(fig.layout.meta["title"].rstrip("."))}.' in element
        caption = element[element.index("<figcaption>"):]
        for line in figures.describe(fig).splitlines():
            assert esc(line.removeprefix("- ")) in caption, f"{name}: {line!r} missing"


@pytest.mark.parametrize("number", NUMBERS)
def test_handouts_are_self_contained_with_no_script(written, number):
    page = written["pages"][number]
    tags = [tag for tag, _ in _elements(page)]
    assert "script" not in tags and "<script" not in page.lower()
    assert not {"link", "iframe", "object", "embed", "base"} & set(tags)
    assert _network_references(page) == []
    assert not _CSS_LOAD.search(page)
    assert not any(attr.startswith("on") for _, attrs in _elements(page) for attr in attrs)
    assert re.search(r'(?i)<meta charset="utf-8">', page)


def test_text_from_the_data_is_shown_as_text(monkeypatch):
    real = reflection.session_prompts(1)[0]
    hostile = dict(real, title=HOSTILE, prompt=HOSTILE, hint=HOSTILE)
    monkeypatch.setattr(reflection, "session_prompts", lambda number: [hostile])
    page = handouts.handout_html(1)
    reflection_part = page[page.index('class="rd-reflection"'):]
    assert reflection_part.count(esc(HOSTILE)) == 3  # title, prompt and hint, all as text
    assert "<script" not in page.lower()
    assert "<img src=https://evil.example" not in page
    tags = _elements(page)
    assert "script" not in [tag for tag, _ in tags]
    assert _network_references(page) == []
    assert not any("onerror" in attrs for _, attrs in tags)


def test_a_chart_not_drawn_is_still_described():
    page = handouts.handout_html(1, charts={})
    elements = _figure_elements(page)
    assert elements, "session 1 names charts"
    for name, element in elements.items():
        assert "<img" not in element
        first = figures.describe(getattr(figures, name)()).splitlines()[0]
        assert esc(first) in element


def test_one_session_prints_to_a_valid_pdf_with_the_real_chromium(tmp_path, capsys):
    _require_chromium()
    assert handouts.main(["--out", str(tmp_path), "--session", "1"]) == 0
    slug = content.session(1)["slug"]
    pdf = tmp_path / f"01_{slug}.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)
    assert len(pages) >= 1
    assert data.rstrip().endswith(b"%%EOF")
    out = capsys.readouterr().out
    assert str(pdf) in out and f"01_{slug}.html" in out
    assert not (tmp_path / f"02_{content.session(2)['slug']}.html").exists()


def test_missing_chromium_is_one_line_saying_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(handouts, "CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert handouts.main(["--out", str(tmp_path / "out"), "--session", "2"]) == 1
    captured = capsys.readouterr()
    error = captured.err.strip()
    assert len(error.splitlines()) == 1
    assert "apt-get install chromium" in error and "no-such-chromium" in error
    assert not list(Path(tmp_path).rglob("*.html"))


def test_missing_playwright_says_what_to_run(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(handouts.HandoutError) as raised, \
            handouts.open_chromium(executable=sys.executable):
        pass
    assert "make handouts" in str(raised.value) and ".[handouts]" in str(raised.value)


def test_an_unknown_session_is_refused_in_one_line(tmp_path, capsys):
    assert handouts.main(["--out", str(tmp_path), "--session", "7"]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "no session 7" in error
    assert not list(tmp_path.iterdir())


def test_module_examples_run():
    result = doctest.testmod(handouts)
    assert result.attempted >= 2 and result.failed == 0
