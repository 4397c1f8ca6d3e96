"""The four sessions: their content loads, is complete and cited, and renders safely."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from rdlearn.content import findings, numbers, schema
from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.sessions import guide, render
from rdlearn.sessions import load as sessions

NUMBERS = [s["number"] for s in content.workshop()["sessions"]]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may break; the loaders read it instead."""
    copy = tmp_path / "data"
    shutil.copytree(content.data_dir(), copy)
    monkeypatch.setattr(content, "data_dir", lambda: copy)
    return copy


def _edit(folder: Path, number: int, change) -> None:
    path = folder / sessions.session_file(number)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("number", NUMBERS)
def test_every_session_loads_with_the_whole_anatomy(number):
    s = sessions.load_session(number)
    entry = content.session(number)
    assert s["title"] == entry["title"]
    assert set(s["outcomes"]) == set(entry["outcomes"])
    assert set(s["timing"]) == {f["id"] for f in content.workshop()["formats"]}
    assert all(m > 0 for m in s["timing"].values())
    assert len(s["overview"].split()) > 30
    assert s["sections"] and s["exercises"] and s["summary"] and s["references"]
    assert set(s["discussion"]) == {"pairs", "small_group", "large_group"}
    for sec in s["sections"]:
        assert sec["citations"]
    for ex in s["exercises"]:
        assert ex["kind"] in sessions.EXERCISE_KINDS
        assert ex["instructions"] and ex["facilitator"]


def test_theory_input_is_substantial():
    for number in NUMBERS:
        words = sum(len(sec["body"].split()) for sec in sessions.load_session(number)["sections"])
        assert words > 700, f"session {number} has only {words} words of theory input"


def test_load_all_returns_the_four_sessions():
    assert sorted(sessions.load_all()) == NUMBERS


def test_every_learning_outcome_is_served_by_some_session():
    served = {o for s in sessions.load_all().values() for o in s["outcomes"]}
    assert served == {o["id"] for o in content.learning_outcomes()}


def test_exercises_fit_inside_the_agenda_time_for_the_session():
    for s in sessions.load_all().values():
        for fmt, available in s["timing"].items():
            used = sum(ex["minutes"].get(fmt, 0) for ex in s["exercises"])
            assert 0 < used < available, (s["number"], fmt)


def test_every_finding_used_exists_in_findings_csv():
    assert (content.data_dir() / "findings.csv").is_file()
    known = findings.load_findings()
    used = [f for s in sessions.load_all().values() for sec in s["sections"]
            for f in sec["finding_ids"]]
    assert used
    assert [f for f in used if f not in known] == []


def test_every_number_in_the_theory_is_a_listed_finding():
    for s in sessions.load_all().values():
        for sec in s["sections"]:
            values = []
            for fid in sec["finding_ids"]:
                values += numbers.finding_numbers(findings.finding(fid))
            for number in numbers.numbers_in(sec["body"]):
                assert numbers.is_traced(number, values), (s["number"], sec["id"], number.shown)
            assert numbers.untraced_numbers(sec["body"], sec["finding_ids"]) == []


def test_session_4_names_only_the_published_domains():
    body = " ".join(sec["body"] for sec in sessions.load_session(4)["sections"]).lower()
    named = set(re.findall(r"\*(\w+)\*", body)) & {
        "behavioural", "passive", "intrapsychic", "disingenuous", "humour"}
    assert named == {"behavioural", "passive", "intrapsychic", "disingenuous", "humour"}
    assert "domains" in body


def test_a_number_without_a_finding_is_refused(data_copy):
    def add_number(data):
        data["sections"][0]["body"] += "\n\nAbout 42 per cent of people agree.\n"

    _edit(data_copy, 1, add_number)
    with pytest.raises(ContentError) as err:
        sessions.load_session(1)
    message = str(err.value)
    assert "01_experiencing-relational-depth.yaml" in message
    assert "42" in message and "what-it-is" in message


def test_an_unknown_outcome_is_refused(data_copy):
    _edit(data_copy, 2, lambda d: d["outcomes"].append("telepathy"))
    with pytest.raises(ContentError, match="unknown learning outcome 'telepathy'"):
        sessions.load_session(2)


def test_an_unknown_widget_is_refused(data_copy):
    _edit(data_copy, 3, lambda d: d["exercises"][0].update(widget="hologram"))
    with pytest.raises(ContentError, match=r"exercise 'reading-the-vignette', widget"):
        sessions.load_session(3)


def test_a_room_question_that_does_not_exist_is_refused(data_copy):
    _edit(data_copy, 4, lambda d: d["exercises"][-1].update(widget="room_question nope"))
    with pytest.raises(ContentError, match="no room question 'nope'"):
        sessions.load_session(4)


def test_an_unknown_finding_or_chart_is_refused(data_copy):
    _edit(data_copy, 1, lambda d: d["sections"][2].update(finding_ids=["made-up"]))
    with pytest.raises(ContentError, match="no finding 'made-up'"):
        sessions.load_session(1)


def test_a_citation_missing_from_the_references_is_refused(data_copy):
    _edit(data_copy, 2, lambda d: d["sections"][0]["citations"].append("nobody2024"))
    with pytest.raises(ContentError, match="'nobody2024' is not in references"):
        sessions.load_session(2)


def test_exercises_longer_than_the_agenda_are_refused(data_copy):
    _edit(data_copy, 1, lambda d: d["exercises"][0]["minutes"].update({"one-day": 500}))
    with pytest.raises(ContentError, match="agenda.yaml gives this session"):
        sessions.load_session(1)


def test_a_missing_key_names_file_and_place(data_copy):
    _edit(data_copy, 3, lambda d: d.pop("summary"))
    with pytest.raises(ContentError) as err:
        sessions.load_session(3)
    assert str(err.value).startswith("data file sessions/03_deepening")
    assert "'summary' is missing" in str(err.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # What the schema cannot see: checks against the other data files and repeats.
        (lambda d: d.update(title="Another title"), "title: must match workshop.yaml"),
        (lambda d: d["outcomes"].pop(), "outcomes: must be the outcomes workshop.yaml gives"),
        (lambda d: d["sections"].append(dict(d["sections"][0])),
         "sections item 5: section id 'what-it-is' is used twice"),
        (lambda d: d["exercises"].append(dict(d["exercises"][0])),
         "exercise id 'recalling-a-moment' is used twice"),
        (lambda d: d["references"].append(dict(d["references"][0])), "is listed twice"),
        (lambda d: d["references"].append({"id": "nobody2024"}),
         "source 'nobody2024' is not in sources.csv, so it needs a 'text'"),
        (lambda d: d["sections"][0].update(figure="pie_of_everything"),
         "section 'what-it-is', figure: unknown chart 'pie_of_everything'"),
        (lambda d: d["exercises"][0]["minutes"].update({"half-day": 10}),
         "exercise 'recalling-a-moment', minutes: unknown format 'half-day'"),
        # What the schema sees, with the same place and words as before.
        (lambda d: d["exercises"][0].update(kind="dance"),
         "exercise 'recalling-a-moment', kind: must be one of solo reflection, pairs"),
        (lambda d: d["discussion"].update(triads=["x"]), "discussion: unknown key(s) triads"),
    ],
)
def test_each_kind_of_mistake_in_a_session_file_is_named(data_copy, change, expected):
    _edit(data_copy, 1, change)
    with pytest.raises(ContentError) as err:
        sessions.load_session(1)
    message = str(err.value)
    assert message.startswith("data file sessions/01_experiencing-relational-depth.yaml, ")
    assert expected in message, message


def test_the_schema_and_the_code_name_the_same_exercise_kinds():
    declared = schema.load_schema("session")["properties"]["exercises"]["items"]
    assert tuple(declared["properties"]["kind"]["enum"]) == sessions.EXERCISE_KINDS
    assert set(schema.load_schema("session")["properties"]["discussion"]["properties"]) == set(
        sessions.DISCUSSION_GROUPS)


def test_there_is_no_session_five():
    with pytest.raises(ValueError, match="no session 5"):
        sessions.load_session(5)


# --------------------------------------------------------------------------- rendering


def test_inline_markup_escapes_first():
    assert render.inline("<script>*x*</script>") == "&lt;script&gt;<em>x</em>&lt;/script&gt;"
    assert render.inline("**a** & *b*") == "<strong>a</strong> &amp; <em>b</em>"
    assert render.inline("2 * 3 * 4") == "2 * 3 * 4"


def test_rendered_html_escapes_text_from_the_data(data_copy):
    evil = '<img src=x onerror="alert(document.cookie)">'

    def poison(data):
        data["overview"] += " " + evil
        data["sections"][0]["heading"] = evil
        data["sections"][0]["body"] += "\n\n" + evil + "\n"
        data["exercises"][0]["title"] = evil
        data["exercises"][0]["instructions"].append(evil)
        data["discussion"]["pairs"].append(evil)
        data["summary"].append(evil)

    _edit(data_copy, 1, poison)
    ex_id = sessions.load_session(1)["exercises"][0]["id"]
    pages = [render.header(1), render.section(1, 0), render.exercise_card(1, ex_id),
             render.discussion(1), render.summary(1)]
    for page in pages:
        assert "<img" not in page.data
        assert "&lt;img src=x" in page.data


def test_header_shows_outcomes_and_both_timings():
    html = render.header(2).data
    outcomes = {o["id"]: o["text"] for o in content.learning_outcomes()}
    for oid in sessions.load_session(2)["outcomes"]:
        assert render.inline(outcomes[oid]) in html
    s = sessions.load_session(2)
    for minutes in s["timing"].values():
        assert render._duration(minutes) in html
    assert "One day" in html and "Two days" in html


def test_section_by_id_and_by_position_match_and_cite_sources():
    first_id = sessions.load_session(1)["sections"][0]["id"]
    assert render.section(1, first_id).data == render.section(1, 0).data
    html = render.section(1, "how-common-survey").data
    assert "Leung (2008)" in html
    assert "as reported in Cooper (2013a)" in html
    with pytest.raises(ValueError, match="no section 'nope'"):
        render.section(1, "nope")


def test_exercise_card_lists_steps_and_formats():
    html = render.exercise_card(3, "drawing-in-and-keeping-away").data
    assert "rd-card--exercise" in html
    assert "not run in the one day format" in html
    feedback = next(e for e in sessions.load_session(3)["exercises"]
                    if e["id"] == "drawing-in-and-keeping-away")
    assert html.count("<li>") == len(feedback["instructions"])


def test_references_come_from_sources_csv_or_the_session_file():
    html = render.references(1).data
    assert "https://doi.org/10.1080/14733140802035005" in html  # knox2008, from sources.csv
    assert "Mearns, D., &amp; Cooper, M. (2005)" in html  # fallback text in the session file


# --------------------------------------------------------------------------- the guide


@pytest.mark.parametrize("number", NUMBERS)
def test_facilitator_page_covers_what_a_facilitator_needs(number):
    page = guide.facilitator_page(number)
    s = sessions.load_session(number)
    for heading in ("## Aims", "## Timings", "## Exercise scripts", "## What to watch for",
                    "## Safety and distress in the room", "## References"):
        assert heading in page
    for ex in s["exercises"]:
        assert f"### {ex['title']}" in page
        assert ex["facilitator"] in page


def test_guide_pages_in_workshop_match_the_generator():
    for name, text in guide.guide_pages().items():
        path = REPO / "workshop" / name
        command = "python -m rdlearn.sessions.guide --guide workshop/"
        assert path.is_file(), f"{name} is missing: run {command}"
        assert path.read_text(encoding="utf-8") == text, (
            f"workshop/{name} is out of date: run {command}"
        )


def test_write_guide_and_command_line(tmp_path, capsys):
    assert guide.main(["--guide", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(guide.guide_pages())
    assert "wrote" in capsys.readouterr().out
