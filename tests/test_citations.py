"""Citations built in one place, and the checks that every citation names a real source."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
import yaml

from rdlearn.content import checks, citations, findings
from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.keynote import deck
from rdlearn.sessions import load as session_files
from rdlearn.sessions import render

ROWS = {
    "review": {"authors": "Cooper, M.", "year": "2013", "title": "Experiencing relational depth "
               "in therapy: A review", "published": "yes"},
    "exercises": {"authors": "Cooper, M.", "year": "2013", "title": "Experiencing relational "
                  "depth: Self-development exercises", "published": "yes"},
    "survey": {"authors": "Leung, J.", "year": "2008", "title": "Survey", "published": "no",
               "known_through": "review"},
    "book": {"authors": "Miller, J. B.; Stiver, I. P.", "year": "1997", "title": "Book",
             "published": "yes", "known_through": "accounts of the theory in blogs"},
}


# --------------------------------------------------------------------------- the formatter


def test_same_authors_and_year_get_letters_in_title_order():
    assert citations.short("review", ROWS) == "Cooper (2013a)"
    assert citations.short("exercises", ROWS) == "Cooper (2013b)"
    alone = {"review": ROWS["review"]}
    assert citations.short("review", alone) == "Cooper (2013)"


def test_a_secondary_source_always_names_the_account_it_was_read_in():
    assert citations.cite_source("survey", ROWS) == "Leung (2008), as reported in Cooper (2013a)"
    assert citations.cite_source("book", ROWS) == (
        "Miller & Stiver (1997), as reported in accounts of the theory in blogs")
    assert citations.cite_source("review", ROWS) == "Cooper (2013a)"
    assert citations.reference("survey", ROWS).endswith(
        "Unpublished; known only as reported in Cooper (2013a).")


def test_reference_lists_carry_the_account_a_secondary_source_was_read_in():
    assert citations.with_known_through(["survey", "book", "review"], ROWS) == [
        "survey", "review", "book"]


def test_the_two_cooper_2013_chapters_are_told_apart_in_the_real_data():
    assert findings.cite("cooper2013review") == "Cooper (2013a)"
    assert findings.cite("cooper2013exercises") == "Cooper (2013b)"
    shorts = [citations.short(i, findings.load_sources()) for i in findings.load_sources()]
    assert len(shorts) == len(set(shorts)), "two sources share one short citation"


def test_no_secondary_source_is_cited_bare_by_code():
    sources = findings.load_sources()
    secondary = citations.secondary_sources(sources, findings.load_findings())
    assert {"wiggins2011a", "wiggins2011b", "mcmillanmcleod2006", "millerstiver1997",
            "miller1988", "leung2008"} <= secondary
    assert "knox2008" not in secondary, "Knox (2008) was read, as an abstract"
    for sid in secondary:
        assert ", as reported in " in findings.cite(sid)
    assert findings.cite("wiggins2011a") == "Wiggins (2011a), as reported in Cooper (2013a)"


def test_session_and_keynote_citations_come_from_the_formatter():
    html = render.section(1, "what-it-feels-like").data
    assert "Wiggins (2011a), as reported in Cooper (2013a)" in html
    assert not re.search(r"Wiggins \(2011a\)[;.]", html)
    refs = render.references(2).data
    assert "Asay, T. P." in refs and "Practitioner blog (author not captured) (n.d.)" in refs, (
        "the account a secondary source was read in is in the reference list")
    assert any(ref.startswith("Cooper, M. (2013a). Experiencing relational depth in therapy")
               for ref in deck.references())
    slide = next(s for s in deck.load_keynote()["slides"] if "wiggins2011a" in s.get("sources", []))
    assert "Wiggins (2011a), as reported in Cooper (2013a)" in deck.slide_html(
        slide, number=2, total=3)


def test_the_readiness_finding_is_knox_and_cooper_2011():
    session = session_files.load_session(3)
    readiness = next(s for s in session["sections"] if s["id"] == "client-readiness")
    assert "knoxcooper2011" in readiness["citations"]
    assert "knoxcooper2010" not in readiness["citations"]
    slide = next(s for s in deck.load_keynote()["slides"] if s["id"] == "what-helps-client")
    assert "knoxcooper2011" in slide["sources"]
    assert "knoxcooper2010" not in slide["sources"]
    assert findings.cite("knoxcooper2011") == "Knox & Cooper (2011)"


# --------------------------------------------------------------------------- prose


def test_sentences_do_not_split_at_et_al_or_initials():
    assert citations.sentences("Wiggins et al. (2012) found it. Leung, J. B. did not.") == [
        "Wiggins et al. (2012) found it.", "Leung, J. B. did not."]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Leung (2008) found this.", True),
        ("A survey (Leung, 2008) found this.", True),
        ("Leung's survey (2008) found this.", True),
        ("Leung (2008), as reported in Cooper (2013a), found this.", False),
        ("A survey (Leung, 2008, cited in Cooper, 2013a) found this.", False),
        ("Leung (2008, as described in Cooper's review) found this.", False),
        ("Leung (2008, as reported in Cooper, 2013a) found this. Leung's survey asked more.",
         False),
        ("Cooper (2013a) reports a survey.", False),
    ],
)
def test_a_secondary_author_year_needs_as_reported_in_the_same_sentence(text, flagged):
    found = citations.unmarked_secondary(text, ["survey"], ROWS)
    assert bool(found) is flagged


# --------------------------------------------------------------------------- rdlearn check


def test_the_real_data_passes_the_citation_check():
    counts = checks.check_citations()
    assert counts["cited ids"] > 100 and counts["sentences"] > 100
    assert ("rdlearn.content.checks", "check_citations") in content._CHECKS


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of the data folder that the loaders read instead of the real one."""
    shutil.copytree(content.data_dir(), tmp_path, dirs_exist_ok=True)
    monkeypatch.setattr(content, "data_dir", lambda: tmp_path)
    content._load_yaml_cached.cache_clear()
    return tmp_path


def _edit_yaml(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_made_up_source_id_on_a_slide_fails_the_check(data_copy):
    def cite_nobody(data):
        data["slides"][1].setdefault("sources", []).append("nobody2099")

    _edit_yaml(data_copy, "keynote.yaml", cite_nobody)
    slide = yaml.safe_load((data_copy / "keynote.yaml").read_text())["slides"][1]["id"]
    with pytest.raises(ContentError) as caught:
        checks.check_citations()
    message = str(caught.value)
    assert "keynote.yaml" in message and f"slide {slide!r}, sources" in message
    assert "'nobody2099' is not in sources.csv" in message
    assert any("nobody2099" in problem for problem in content.check_all())


def test_a_made_up_reference_id_in_a_session_fails_the_check(data_copy):
    name = "sessions/01_experiencing-relational-depth.yaml"

    def add_reference(data):
        data["references"].append({"id": "nobody2099", "text": "Nobody (2099). Nothing."})

    _edit_yaml(data_copy, name, add_reference)
    with pytest.raises(ContentError, match=r"01_experiencing.*references item \d+: source "
                                           r"'nobody2099' is not in sources\.csv"):
        checks.check_citations()


def test_a_secondary_source_cited_bare_in_a_session_fails_the_check(data_copy):
    name = "sessions/01_experiencing-relational-depth.yaml"

    def bare(data):
        data["sections"][0]["body"] += "\n\nWiggins (2011a) found the same thing.\n"

    _edit_yaml(data_copy, name, bare)
    with pytest.raises(ContentError) as caught:
        checks.check_citations()
    message = str(caught.value)
    assert name in message and "section 'what-it-is', body" in message
    assert '"Wiggins (2011a) found the same thing."' in message
    assert "as reported in Cooper (2013a)" in message


def test_the_same_sentence_with_as_reported_in_passes(data_copy):
    name = "sessions/01_experiencing-relational-depth.yaml"

    def marked(data):
        data["sections"][0]["body"] += (
            "\n\nWiggins (2011a, as reported in Cooper, 2013a) found the same thing.\n")

    _edit_yaml(data_copy, name, marked)
    assert checks.check_citations()["cited ids"] > 0


# --------------------------------------------------------------------------- known_through


def _edit_source(folder, source_id, **changes):
    path = folder / findings.SOURCES_FILE
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = next(i for i, row in enumerate(rows) if row["id"] == source_id)
    rows[index].update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return index + 2


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("nobody2099", "known_through: 'nobody2099' is not a source id in sources.csv"),
        ("leung2008", "known_through: 'leung2008' names the source itself"),
        ("Cooper's review", "known_through \"Cooper's review\" must be empty"),
    ],
)
def test_a_bad_known_through_is_named_by_file_row_and_value(data_copy, value, problem):
    line = _edit_source(data_copy, "leung2008", known_through=value)
    with pytest.raises(ContentError) as caught:
        findings.load_sources()
    message = str(caught.value)
    assert f"data file sources.csv, row {line}" in message
    assert problem in message
