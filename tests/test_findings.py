"""The cited research data: every number has a source, and broken rows are named clearly."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from rdlearn.content import checks, citations, findings
from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError

CONTRACT_IDS = [
    "leung2008-therapists-any-rd",
    "leung2008-clients-any-rd",
    "leung2008-therapists-frequency",
    "leung2008-clients-frequency",
    "leung2008-therapists-importance",
    "leung2008-clients-importance",
    "leung2008-therapists-impact",
    "leung2008-clients-impact",
    "cooper2012-median-r",
    "cooper2013-review-mean-r",
    "cooper2012-dyads",
    "cooperknox2017-n",
]


def test_every_finding_has_a_known_source_and_every_source_is_used():
    counts = findings.validate()
    sources = findings.load_sources()
    rows = findings.load_findings()
    assert counts == {"sources": len(sources), "findings": len(rows)}
    used = {r["source_id"] for r in rows.values()} | {
        r["reported_in"] for r in rows.values() if r["reported_in"]
    }
    cited = {i for _, _, kind, i in checks.cited_ids() if kind == "source"}
    through = {i for sid in sources for i in citations.known_through_ids(sid, sources)}
    assert set(sources) == used | through | (cited & set(sources))
    assert cited <= set(sources), "a page cites a source missing from sources.csv"
    for row in rows.values():
        assert row["source_id"] in sources
        assert isinstance(row["value"], float)
        if row["primary_or_secondary"] == "secondary":
            assert row["reported_in"] in sources


@pytest.mark.parametrize("finding_id", CONTRACT_IDS)
def test_contract_ids_exist_with_the_promised_fields(finding_id):
    row = findings.finding(finding_id)
    for key in ("id", "value", "unit", "n", "group", "statistic", "measure", "source_id",
                "primary_or_secondary"):
        assert key in row
    assert isinstance(row["value"], float)
    assert row["n"] is None or isinstance(row["n"], int)


def test_secondary_findings_are_cited_through_the_review_they_were_read_in():
    rows = findings.load_findings()
    for fid, row in rows.items():
        text = findings.cite(fid)
        if row["primary_or_secondary"] == "secondary":
            reviewer = findings.cite(row["reported_in"])
            assert text.endswith(f", as reported in {reviewer}")
        else:
            assert "as reported in" not in text
    assert findings.cite("leung2008-clients-any-rd") == (
        "Leung (2008), as reported in Cooper (2013a)")


def test_citations_shorten_author_lists_the_usual_way():
    sources = findings.load_sources()
    for sid, src in sources.items():
        if src["label"]:
            continue
        authors = [a for a in src["authors"].split(";") if a.strip()]
        text = citations.short(sid, sources)
        assert re.fullmatch(rf".* \({re.escape(src['year'])}[a-z]?\)", text)
        assert ("et al." in text) == (len(authors) > 2)
        assert ("&" in text) == (len(authors) == 2)


def test_the_two_synchrony_figures_are_kept_apart_and_both_cited():
    median = findings.finding("cooper2012-median-r")
    mean = findings.finding("cooper2013-review-mean-r")
    assert median["statistic"] != mean["statistic"]
    assert median["source_id"] != mean["source_id"]
    assert "median" in mean["note"]


def test_odds_ratios_say_which_way_they_point():
    for row in findings.load_findings().values():
        if row["statistic"] == "odds ratio":
            assert "Direction:" in row["note"]


def test_estimates_are_marked_as_estimates():
    for row in findings.load_findings().values():
        if row["topic"] == "common factors":
            assert "estimate" in row["statistic"]
            assert "not a measurement" in row["note"]


def test_findings_for_a_session():
    session_two = findings.findings_for(2)
    assert session_two
    assert all("2" in row["sessions"] for row in session_two)
    keynote = {row["id"] for row in findings.findings_for("keynote")}
    assert "cooper2012-median-r" in keynote
    with pytest.raises(ValueError):
        findings.findings_for(7)


def test_unknown_finding_is_a_clear_key_error():
    with pytest.raises(KeyError, match="no finding"):
        findings.finding("no-such-finding")


# --------------------------------------------------------------------------- broken files


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of the data folder that the loaders read instead of the real one."""
    shutil.copytree(content.data_dir(), tmp_path, dirs_exist_ok=True)
    monkeypatch.setattr(content, "data_dir", lambda: tmp_path)
    content._load_yaml_cached.cache_clear()
    return tmp_path


def _edit(folder, name, row_index, **changes):
    """Change one data row (0 = first row under the header); return its line number."""
    path = folder / name
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row_index].update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return row_index + 2


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"source_id": "nobody2099"}, "unknown source id 'nobody2099'"),
        ({"source_id": ""}, "'source_id' is empty"),
        ({"value": "about ten"}, "value must be a number"),
        ({"primary_or_secondary": "secondary", "reported_in": ""}, "needs reported_in"),
        ({"session": "5"}, "session must be"),
        ({"ci_low": "0.1", "ci_high": ""}, "both ci_low and ci_high"),
        ({"n": "many"}, "n must be a whole number"),
    ],
)
def test_a_broken_findings_row_is_named_by_file_and_row(data_copy, changes, problem):
    line = _edit(data_copy, findings.FINDINGS_FILE, 4, **changes)
    with pytest.raises(ContentError) as caught:
        findings.load_findings()
    message = str(caught.value)
    assert "findings.csv" in message
    assert f"row {line}" in message
    assert problem in message


def test_a_duplicate_finding_id_is_refused(data_copy):
    first = findings.load_findings()
    first_id = next(iter(first))
    line = _edit(data_copy, findings.FINDINGS_FILE, 3, id=first_id)
    with pytest.raises(ContentError, match=rf"findings\.csv, row {line}: duplicate id"):
        findings.load_findings()


def test_a_broken_source_row_is_named_by_file_and_row(data_copy):
    line = _edit(data_copy, findings.SOURCES_FILE, 2, published="maybe")
    with pytest.raises(ContentError, match=rf"sources\.csv, row {line}: published must be"):
        findings.load_sources()


def test_a_source_that_no_finding_uses_is_reported(data_copy):
    path = data_copy / findings.SOURCES_FILE
    with path.open("a", encoding="utf-8") as fh:
        fh.write("orphan2020,\"Nobody, A.\",2020,A paper nobody cites,Nowhere,,,blog,yes,,\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(ContentError) as caught:
        checks.check_sources_used()
    assert f"data file sources.csv, row {line}" in str(caught.value)
    assert "orphan2020" in str(caught.value)


def test_the_loader_sees_a_fixed_file_again(data_copy):
    _edit(data_copy, findings.FINDINGS_FILE, 0, value="not a number")
    with pytest.raises(ContentError):
        findings.load_findings()
    _edit(data_copy, findings.FINDINGS_FILE, 0, value="12.5")
    assert next(iter(findings.load_findings().values()))["value"] == 12.5
