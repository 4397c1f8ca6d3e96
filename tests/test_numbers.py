"""The one rule for numbers written in the material (rdlearn.content.numbers)."""

from __future__ import annotations

import pytest

from rdlearn.content import findings, loader, numbers
from rdlearn.content.numbers import Number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The keynote's cases.
        ("78.2% of clients", [(78.2, 1, True)]),
        ("a median r of .76", [(0.76, 2, False)]),
        ("a mean of 4.06 on the scale", [(4.06, 2, False)]),
        ("168 therapists", [(168.0, 0, False)]),
        ("1,086 clients", [(1086.0, 0, False)]),
        ("10 to 30 per cent", [(10.0, 0, False), (30.0, 0, True)]),
        ("Leung (2008) and Wiggins (2011b)", []),
        ("PHQ-9 and GAD-7 scores", []),
        ("r = −.06.", [(0.06, 2, False)]),
        # The sessions' cases: years and session numbers are not statistics.
        ("In 2008, 78.2 per cent of 119 clients (session 2) and r = .76",
         [(78.2, 1, True), (119.0, 0, False), (0.76, 2, False)]),
        ("Sessions 3 and 4", [(4.0, 0, False)]),
        ("98 per cent, 1999 and 2,008 people", [(98.0, 0, True), (2008.0, 0, False)]),
        ("a name such as Q3 or item 2b", []),
        ("", []),
    ],
)
def test_numbers_that_read_as_statistics_are_found(text, expected):
    assert numbers.numbers_in(text) == expected


def test_a_number_shows_as_written():
    assert Number(78.2, 1, True).shown == "78.2%"
    assert Number(0.76, 2, False).shown == "0.76"
    assert Number(119.0, 0, False).shown == "119"


def test_a_number_is_traced_only_to_its_own_findings():
    row = findings.finding("leung2008-clients-any-rd")
    assert numbers.untraced_numbers("78.2% of 119 clients", [row]) == []
    assert numbers.untraced_numbers("78% of 119 clients", [row]) == []  # rounded as written
    assert numbers.untraced_numbers("77.9% of 119 clients", [row]) == ["77.9%"]
    assert numbers.untraced_numbers("78.2% of 119 clients", []) == ["78.2%", "119"]
    assert numbers.untraced_numbers("78.2% of 119 clients", [row["id"]]) == []


def test_every_column_a_text_may_quote_traces():
    row = {"value": 0.4, "n": 80, "k": 12, "ci_low": -0.1, "ci_high": 0.62, "scale": "1-7"}
    text = "r = .40 (95% interval −.10 to .62) over 12 studies of 80 pairs on a 1 to 7 scale"
    assert numbers.untraced_numbers(text, [row]) == ["95%"]
    assert numbers.untraced_numbers("40% of them", [row]) == []  # a proportion as a percent
    assert numbers.untraced_numbers("4% of them", [row]) == ["4%"]


def _session_files():
    return [f"sessions/{s['number']:02d}_{s['slug']}.yaml" for s in loader.workshop()["sessions"]]


@pytest.mark.parametrize("name", _session_files())
def test_every_number_in_a_session_section_is_traced(name):
    for section in loader.load_yaml(name)["sections"]:
        untraced = numbers.untraced_numbers(section["body"], section.get("finding_ids", []))
        assert untraced == [], (name, section["id"], untraced)


def test_every_number_on_a_slide_is_traced():
    for slide in loader.load_yaml("keynote.yaml")["slides"]:
        ids = slide.get("finding_ids", [])
        for text in [slide["title"], *slide["body"], slide["notes"]]:
            assert numbers.untraced_numbers(text, ids) == [], (slide["id"], text)


def test_a_count_of_studies_traces_only_to_a_finding_with_that_k():
    assert numbers.untraced_numbers("across 12 studies", [{"value": 0.4, "k": 12}]) == []
    assert numbers.untraced_numbers("across 12 studies", [{"value": 0.4, "n": 80}]) == ["12"]
