"""Self-checks: loading and checking the instruments and quiz, and pure scoring."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdlearn.content import findings
from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.selfcheck import instruments as selfcheck
from rdlearn.selfcheck import quizzes, scoring

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RDLEARN_SHARED", "/work/shared"))
FACTS = SHARED / "research" / "relational-depth-facts.md"
SEEDS = SHARED / "seeds"

#: The strategy labels of the published reflective tool as the facts file lists them
#: (section 1.3), frozen here so the check also runs where the facts file is not at hand.
TOOL_LINES = [
    "keeping yourself absorbed in activities (e.g., TV)", "keeping busy",
    "distracting yourself", "talking a lot", "being aggressive towards others",
    "acting arrogantly", "criticising others", "being cold or prickly",
    "cutting off contact with people", "being controlling", "pushing others away",
    "pretending not to care", "being overly formal or polite", "keeping things superficial",
    "using humour or laughter", "daydreaming", "withdrawing emotionally", "intellectualising",
    "avoiding conflict", "being compliant or appeasing", "not listening",
    "being (self-)independent", "criticising yourself",
]

INSTRUMENTS = selfcheck.load_all()
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def keys_of(inst):
    return [selfcheck.answer_key(it["id"], c["id"]) for it in inst["items"]
            for c in inst["contexts"]]


@st.composite
def instrument_and_answers(draw, *, allow_pass=True):
    inst = INSTRUMENTS[draw(st.sampled_from(sorted(INSTRUMENTS)))]
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    chosen = draw(st.lists(st.sampled_from(keys_of(inst)), unique=True))
    values = st.integers(lo, hi) | st.none() if allow_pass else st.integers(lo, hi)
    return inst, {key: draw(values) for key in chosen}


def keyed(inst, item, value):
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    return hi + lo - value if item["reverse"] else value


# --------------------------------------------------------------------------- loading


def test_every_instrument_loads_and_says_it_is_not_a_measure():
    assert set(INSTRUMENTS) == {"chronic-disconnection", "connection-frequency-therapist",
                                "connection-frequency-client", "outcome-confidence"}
    for inst in INSTRUMENTS.values():
        text = inst["not_a_measure"].lower()
        assert "not a validated measure" in text and "diagnos" in text
        assert inst["construct_source"]["source_ids"]
        assert inst["scale"]["allow_pass"] is True


def test_construct_sources_exist_in_sources_csv():
    known = set(findings.load_sources()) | {"cooper-workshop"}  # workshop.yaml's source id
    for inst in INSTRUMENTS.values():
        assert set(inst["construct_source"]["source_ids"]) <= known, inst["id"]


def test_disconnection_tool_rates_each_strategy_everyday_and_in_therapy():
    inst = INSTRUMENTS["chronic-disconnection"]
    assert [c["id"] for c in inst["contexts"]] == ["everyday", "therapy"]
    assert 12 <= len(inst["items"]) <= 16
    assert inst["own_items"] == {"max": 5, "max_chars": 120, "label": "My own words"}
    assert "rdlearn's own" in inst["groups_note"] and "not the seven domains" in inst["groups_note"]
    assert all("{strategy}" not in p for p in scoring.reflection_prompts(inst, "Joking"))
    assert any("Joking" in p for p in scoring.reflection_prompts(inst, "Joking"))


def test_outcome_confidence_items_are_the_workshop_learning_outcomes():
    inst = INSTRUMENTS["outcome-confidence"]
    outcomes = content.learning_outcomes()
    assert [(it["id"], it["text"]) for it in inst["items"]] == [
        (o["id"], o["text"]) for o in outcomes]
    assert [c["id"] for c in inst["contexts"]] == ["start", "end"]
    assert (inst["scale"]["min"], inst["scale"]["max"]) == (0, 10)


def test_frequency_forms_compare_with_leungs_means():
    for form in ("therapist", "client"):
        inst = INSTRUMENTS[f"connection-frequency-{form}"]
        assert {e["finding"] for e in inst["compare_with"]} == {
            "leung2008-therapists-frequency", "leung2008-clients-frequency"}
        assert inst["scale"]["anchors"][1] == "Not at all"
        assert inst["scale"]["anchors"][7] == "All the time"
        assert any(it["reverse"] for it in inst["items"])


# --------------------------------------------------------------------------- broken files


def write_instrument(folder: Path, name: str, data: dict) -> None:
    data = {**data, "id": name}
    (folder / "instruments" / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False),
                                                        encoding="utf-8")


def raw(name: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "instruments" / f"{name}.yaml").read_text("utf-8"))


def band_gap(d):
    d["bands"][1]["min"] = d["bands"][0]["max"] + 0.25


def band_overlap(d):
    d["bands"][1]["min"] = d["bands"][0]["max"] - 0.25


def reverse_without_ends(d):
    d["scale"]["anchors"] = {4: "Some of the time"}


def unknown_group(d):
    d["items"][2]["group"] = "nowhere"


def duplicate_item(d):
    d["items"][3]["id"] = d["items"][0]["id"]


def too_many_needed(d):
    d["scoring"]["min_answered"]["going-along"] = 5


def no_disclaimer(d):
    d["not_a_measure"] = "A handy questionnaire."


def unknown_finding(d):
    d["compare_with"][0]["finding"] = "leung2008-nothing"


def anchor_outside(d):
    d["scale"]["anchors"][9] = "Beyond"


def free_listing_without_why(d):
    del d["free_listing"]["why"]


@pytest.mark.parametrize(
    ("base", "name", "change", "where", "problem"),
    [
        ("chronic-disconnection", "broken-gap", band_gap, "band 'Rarely'", "gap"),
        ("chronic-disconnection", "broken-overlap", band_overlap, "band 'Rarely'",
         "overlaps"),
        ("connection-frequency-client", "broken-reverse", reverse_without_ends, "item 'polite'",
         "both ends"),
        ("chronic-disconnection", "broken-group", unknown_group, "item 'joke'",
         "unknown group 'nowhere'"),
        ("chronic-disconnection", "broken-duplicate", duplicate_item, "item 'busy'",
         "duplicate item id"),
        ("chronic-disconnection", "broken-minimum", too_many_needed,
         "min_answered for 'going-along'", "1 to 2"),
        ("outcome-confidence", "broken-disclaimer", no_disclaimer, "not_a_measure",
         "not a validated measure"),
        ("connection-frequency-therapist", "broken-finding", unknown_finding,
         "compare_with 'leung2008-nothing'", "no such finding"),
        ("connection-frequency-therapist", "broken-anchor", anchor_outside, "anchor 9",
         "outside the scale"),
        ("chronic-disconnection", "broken-free-listing", free_listing_without_why,
         "free_listing", "'why' is missing"),
    ],
)
def test_a_broken_instrument_names_file_place_and_problem(data_copy, base, name, change, where,
                                                          problem):
    data = raw(base)
    change(data)
    write_instrument(data_copy, name, data)
    with pytest.raises(ContentError) as info:
        selfcheck.load_instrument(name)
    message = str(info.value)
    assert f"instruments/{name}.yaml" in message
    assert where in message
    assert problem in message
    with pytest.raises(ContentError):
        selfcheck.load_all()


def test_instrument_id_must_match_its_file(data_copy):
    (data_copy / "instruments" / "renamed.yaml").write_text(
        (ROOT / "data" / "instruments" / "outcome-confidence.yaml").read_text("utf-8"), "utf-8")
    with pytest.raises(ContentError, match="renamed.yaml, key 'id': must match the file name"):
        selfcheck.load_instrument("renamed")


def quiz_data() -> dict:
    return yaml.safe_load((ROOT / "data" / "quiz.yaml").read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["questions"][0].update(finding="made-up-finding"),
         "question 's1-clients-as-likely', key 'finding': no finding 'made-up-finding' in "
         "findings.csv"),
        (lambda d: d["questions"][2].update(answer="Something else"),
         "question 's1-nhs-psychologists', key 'answer': must be one of the options"),
        (lambda d: d["questions"][1].update(id=d["questions"][0]["id"]),
         "question 's1-clients-as-likely': duplicate question id"),
        (lambda d: d.update(questions=[q for q in d["questions"] if q["session"] != 2][:]
                            + [q for q in d["questions"] if q["session"] == 2][:2]),
         "session 2: has 2 questions; give 3 to 5"),
        (lambda d: d["questions"][0].update(answer="yes"),
         "question 's1-clients-as-likely', key 'answer': must be true or false"),
    ],
)
def test_a_broken_quiz_names_the_question_and_problem(data_copy, change, expected):
    data = quiz_data()
    change(data)
    (data_copy / "quiz.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    with pytest.raises(ContentError) as info:
        selfcheck.load_quiz()
    assert str(info.value) == f"data file quiz.yaml, {expected}"


# --------------------------------------------------------------------------- quiz


def test_quiz_has_three_to_five_questions_per_session_each_backed_by_a_finding():
    quiz = selfcheck.load_quiz()
    assert set(quiz) == {s["number"] for s in content.workshop()["sessions"]}
    for questions in quiz.values():
        assert 3 <= len(questions) <= 5
        for q in questions:
            assert findings.finding(q["finding"])["id"] == q["finding"]
            assert 0 <= q["answer"] < len(q["options"])
            assert q["explanation"]


def test_checking_a_quiz_answer():
    q = quizzes.quiz_questions(4)[1]
    right = q["answer"]
    wrong = (right + 1) % len(q["options"])
    assert quizzes.check_quiz_answer(q, right) is True
    assert quizzes.check_quiz_answer(q, wrong) is False
    for bad in (len(q["options"]), -1, "1", True, 1.0, None):
        with pytest.raises(ValueError, match="choose one of the answers"):
            quizzes.check_quiz_answer(q, bad)
    lines = quizzes.quiz_lines([q], {q["id"]: wrong})
    assert lines == [f"{q['question']} You answered {q['options'][wrong]}: the answer is "
                     f"{q['options'][right]}."]


_NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:\.\d+)?|\.\d+)")


def _numbers(text: str) -> set[float]:
    return {float(n) for n in _NUMBER.findall(text.replace(",", ""))}


def test_quiz_figures_in_explanations_come_from_the_findings_of_their_source():
    """Every number in an explanation is in findings.csv for the same source (never invented)."""
    every = findings.load_findings()
    for questions in selfcheck.load_quiz().values():
        for q in questions:
            source = findings.finding(q["finding"])["source_id"]
            allowed: set[float] = set()
            for row in every.values():
                if row["source_id"] != source:
                    continue
                for column in ("value", "n", "k", "ci_low", "ci_high"):
                    if isinstance(row.get(column), (int, float)):
                        allowed.add(float(row[column]))
                for column in ("measure", "scale", "note"):
                    allowed |= _numbers(str(row.get(column, "")))
            assert _numbers(q["explanation"]) <= allowed, (q["id"], _numbers(q["explanation"])
                                                            - allowed)


# --------------------------------------------------------------------------- answers


def test_validate_answer_accepts_the_scale_and_a_pass():
    inst = INSTRUMENTS["chronic-disconnection"]
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    for value in range(lo, hi + 1):
        assert selfcheck.validate_answer(inst, "busy", value, context="therapy") == value
    assert selfcheck.validate_answer(inst, "busy@everyday", None) is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("busy@therapy", 99, "99 is not on this scale: please choose from 0 (Not at all) to "
                             "4 (Nearly always)"),
        ("busy@therapy", -1, "-1 is not on this scale"),
        ("busy@therapy", 2.5, "Please choose one of the answers from 0 (Not at all)"),
        ("busy@therapy", "3", "Please choose one of the answers"),
        ("busy@therapy", True, "Please choose one of the answers"),
        ("no-such-item@therapy", 1, "This self-check has no question called 'no-such-item'"),
        ("busy@work", 1, "asked for everyday and therapy, not for 'work'"),
        ("busy", 1, "Please say whether your answer to 'busy' is for everyday or therapy"),
    ],
)
def test_validate_answer_refuses_with_a_readable_message(key, value, message):
    with pytest.raises(ValueError) as info:
        selfcheck.validate_answer(INSTRUMENTS["chronic-disconnection"], key, value)
    assert message in str(info.value)


def test_own_strategies_are_tidied_and_limited():
    inst = INSTRUMENTS["chronic-disconnection"]
    assert selfcheck.clean_own_text(inst, "  Checking\tmy\u200b phone\n ") == "Checking my phone"
    with pytest.raises(ValueError, match="keep it to 120 characters"):
        selfcheck.clean_own_text(inst, "x" * 121)
    assert selfcheck.clean_own_text(inst, "y" * 120) == "y" * 120
    with pytest.raises(ValueError, match="write a few words"):
        selfcheck.clean_own_text(inst, " \n ")
    with pytest.raises(ValueError, match="does not take strategies"):
        selfcheck.clean_own_text(INSTRUMENTS["outcome-confidence"], "anything")
    texts = [f"Strategy {i}" for i in range(1, 6)]
    mine = selfcheck.with_own_items(inst, texts)
    own = [it for it in mine["items"] if it["group"] == "own"]
    assert [it["id"] for it in own] == [f"own-{i}" for i in range(1, 6)]
    assert [it["text"] for it in own] == texts
    with pytest.raises(ValueError, match="up to 5"):
        selfcheck.with_own_items(inst, [*texts, "one too many"])
    assert selfcheck.validate_answer(mine, "own-5@therapy", 2) == 2


# --------------------------------------------------------------------------- scoring


@PROPERTY
@given(instrument_and_answers())
def test_scores_stay_within_range(case):
    inst, answers = case
    result = scoring.score(inst, answers)
    for g in result.groups:
        assert g.answered + g.passed <= g.total
        if g.score is not None:
            assert g.low <= g.score <= g.high
            assert inst["scale"]["min"] <= g.average <= inst["scale"]["max"]
            assert g.band is not None and g.band["min"] <= g.average <= g.band["max"]


@PROPERTY
@given(instrument_and_answers())
def test_a_group_score_is_the_mean_of_its_keyed_answers(case):
    inst, answers = case
    result = scoring.score(inst, answers)
    for g in result.groups:
        keyed_values = [
            keyed(inst, it, answers[selfcheck.answer_key(it["id"], g.context)])
            for it in inst["items"]
            if it["group"] == g.group
            and answers.get(selfcheck.answer_key(it["id"], g.context)) is not None
        ]
        assert g.answered == len(keyed_values)
        if g.score is not None:
            assert g.score == pytest.approx(sum(keyed_values) / len(keyed_values))


@PROPERTY
@given(instrument_and_answers(allow_pass=False), st.data())
def test_sum_scoring_adds_answers_and_stays_within_range(case, data):
    inst, answers = case
    summed = {**inst, "scoring": {"method": "sum"}}
    result = scoring.score(summed, answers)
    for g in result.groups:
        lo, hi = inst["scale"]["min"], inst["scale"]["max"]
        assert (g.low, g.high) == (lo * g.total, hi * g.total)
        if g.score is not None:
            assert g.low <= g.score <= g.high
            if g.answered == g.total:
                values = [keyed(inst, it, answers[selfcheck.answer_key(it["id"], g.context)])
                          for it in inst["items"] if it["group"] == g.group]
                assert g.score == pytest.approx(sum(values))


@PROPERTY
@given(st.sampled_from(["connection-frequency-therapist", "connection-frequency-client"]),
       st.data())
def test_a_reverse_keyed_answer_counts_as_max_plus_min_minus_it(form, data):
    inst = INSTRUMENTS[form]
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    answers = {it["id"]: data.draw(st.integers(lo, hi)) for it in inst["items"]}
    plain = copy.deepcopy(inst)
    for it in plain["items"]:
        it["reverse"] = False
    flipped = {k: (hi + lo - v if selfcheck._item(inst, k)["reverse"] else v)
               for k, v in answers.items()}
    assert scoring.score(inst, answers).groups[0].score == pytest.approx(
        scoring.score(plain, flipped).groups[0].score)
    reverse_id = next(it["id"] for it in inst["items"] if it["reverse"])
    x = answers[reverse_id]
    alone = {reverse_id: x, **{it["id"]: None for it in inst["items"] if not it["reverse"]}}
    plain_min = {**plain, "groups": [{**plain["groups"][0], "min_answered": 1}]}
    inst_min = {**inst, "groups": [{**inst["groups"][0], "min_answered": 1}]}
    assert scoring.score(inst_min, alone).groups[0].score == hi + lo - x
    assert scoring.score(plain_min, alone).groups[0].score == x


@PROPERTY
@given(instrument_and_answers(), st.data())
def test_adding_a_pass_never_changes_the_answered_count(case, data):
    inst, answers = case
    unanswered = [k for k in keys_of(inst) if k not in answers]
    if not unanswered:
        return
    key = data.draw(st.sampled_from(unanswered))
    before = scoring.score(inst, answers)
    after = scoring.score(inst, {**answers, key: None})
    for b, a in zip(before.groups, after.groups, strict=True):
        assert a.answered == b.answered
        assert a.score == b.score
    assert sum(a.passed for a in after.groups) == sum(b.passed for b in before.groups) + 1


@PROPERTY
@given(instrument_and_answers())
def test_below_the_minimum_there_is_no_score_and_a_reason(case):
    inst, answers = case
    result = scoring.score(inst, answers)
    needed = {g["id"]: g["min_answered"] for g in inst["groups"]}
    for g in result.groups:
        if g.answered < needed[g.group]:
            assert g.score is None and g.average is None and g.band is None
            assert f"{g.answered} of {g.total} answered" in g.reason
            assert f"at least {needed[g.group]}" in g.reason
        else:
            assert g.score is not None and g.reason == ""


def test_score_refuses_invalid_answers():
    inst = INSTRUMENTS["outcome-confidence"]
    with pytest.raises(ValueError, match="11 is not on this scale"):
        scoring.score(inst, {"nature@start": 11})
    with pytest.raises(ValueError, match="no question called"):
        scoring.score(inst, {"elsewhere@start": 3})


def test_bands_cover_the_scale_without_gaps():
    for inst in INSTRUMENTS.values():
        lo, hi = inst["scale"]["min"], inst["scale"]["max"]
        assert scoring.band_for(inst, lo) is inst["bands"][0]
        assert scoring.band_for(inst, hi) is inst["bands"][-1]
        for band in inst["bands"][1:]:
            assert scoring.band_for(inst, band["min"]) is band



def anchor_walks():
    """Every instrument with each of its labelled scale points."""
    return [(ident, point) for ident, inst in sorted(INSTRUMENTS.items())
            for point in inst["scale"]["anchors"]]


@pytest.mark.parametrize(("ident", "point"), anchor_walks())
def test_every_anchor_scores_to_the_band_that_bears_its_label(ident, point):
    """Answer every item so that it counts as ``point``; each score reads as that anchor."""
    inst = INSTRUMENTS[ident]
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    answers = {selfcheck.answer_key(it["id"], ctx["id"]): hi + lo - point if it["reverse"]
               else point for it in inst["items"] for ctx in inst["contexts"]}
    result = scoring.score(inst, answers)
    label = inst["scale"]["anchors"][point]
    assert len(result.groups) == len(inst["groups"]) * len(inst["contexts"])
    for g in result.groups:
        assert g.average == point, (g.group, g.context)
        assert g.band is not None and g.band["label"] == label, (
            f"{ident}: an average answer of {point} ({label}) reads as "
            f"{g.band and g.band['label']!r} in group {g.group!r}, context {g.context!r}")
    every_answer = {**inst, "groups": [{"id": "overall", "label": "All items",
                                        "min_answered": 1}],
                    "items": [{**it, "group": "overall"} for it in inst["items"]]}
    for g in scoring.score(every_answer, answers).groups:
        assert g.band is not None and g.band["label"] == label, ("overall", g.context)


# --------------------------------------------------------------------------- profiles


def disconnection_answers():
    inst = INSTRUMENTS["chronic-disconnection"]
    ids = [it["id"] for it in inst["items"]]
    answers = {f"{ids[0]}@everyday": 3, f"{ids[0]}@therapy": 1, f"{ids[1]}@everyday": 2,
               f"{ids[1]}@therapy": None, f"{ids[2]}@therapy": 4, f"{ids[3]}@therapy": 4,
               f"{ids[4]}@therapy": 2, f"{ids[5]}@therapy": 0}
    return inst, answers


def test_most_present_in_therapy_are_the_highest_therapy_ratings():
    inst, answers = disconnection_answers()
    result = scoring.score(inst, answers)
    therapy = {k.split("@")[0]: v for k, v in answers.items()
               if k.endswith("@therapy") and v is not None and v > 0}
    ranked = sorted(therapy.values(), reverse=True)
    cut = ranked[2]
    expected = {k for k, v in therapy.items() if v >= cut}
    top = scoring.most_present(result, context="therapy", top=3)
    assert {it["id"] for it in top} == expected
    assert [it["values"]["therapy"] for it in top] == sorted(
        [therapy[i] for i in expected], reverse=True)


def test_profile_lines_are_plain_text_for_the_workbook():
    inst, answers = disconnection_answers()
    mine = selfcheck.with_own_items(inst, ["<b>Scrolling</b> & hiding"])
    answers = {**answers, "own-1@therapy": 3}
    lines = scoring.profile_lines(scoring.score(mine, answers))
    text = "\n".join(lines)
    assert lines[0].startswith(inst["title"]) and inst["not_a_measure"] in lines[0]
    by_id = {it["id"]: it for it in mine["items"]}
    for key, value in answers.items():
        item, context = key.split("@")
        line = next(li for li in lines if li.startswith(by_id[item]["label"] + ":"))
        words = "prefer not to say" if value is None else str(value)
        assert f"{context} {words}" in line
    assert "<b>Scrolling</b> & hiding: " in text  # kept as text; escaped only when shown
    unanswered = [it["label"] for it in inst["items"]
                  if not any(k.startswith(it["id"] + "@") for k in answers)]
    assert all(not li.startswith(label + ":") for label in unanswered for li in lines)


def test_changes_from_start_to_end():
    inst = INSTRUMENTS["outcome-confidence"]
    ids = [it["id"] for it in inst["items"]]
    answers = {f"{ids[0]}@start": 2, f"{ids[0]}@end": 7, f"{ids[1]}@start": 5,
               f"{ids[2]}@end": 6, f"{ids[3]}@start": None, f"{ids[3]}@end": 4}
    rows = {r["id"]: r for r in scoring.changes(scoring.score(inst, answers),
                                                  before="start", after="end")}
    for item in ids:
        first, second = answers.get(f"{item}@start"), answers.get(f"{item}@end")
        expected = second - first if first is not None and second is not None else None
        assert rows[item]["change"] == expected


# --------------------------------------------------------------------------- own words


def _quoted_tool_lines() -> list[str]:
    lines = [line.lower() for line in TOOL_LINES]
    if FACTS.is_file():
        text = FACTS.read_text("utf-8")
        section = text.split("### 1.3", 1)[1].split("### 1.4", 1)[0]
        block = section.split("Strategies visible on the copies seen", 1)[1]
        block = block.split("**Caution", 1)[0]
        found = [re.sub(r"\s+", " ", m).strip().lower()
                 for m in re.findall(r"^\s+- (.+)$", block, flags=re.M)]
        assert found, "the facts file's list of the tool's strategies was not found"
        lines += found
    return lines


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", text.lower())).strip()


def test_no_item_reproduces_the_published_reflective_tool():
    tool = [_norm(line) for line in _quoted_tool_lines()]
    texts = [_norm(it[k]) for inst in INSTRUMENTS.values() for it in inst["items"]
             for k in ("text", "label")]
    for line in tool:
        assert line not in texts
        if len(line.split()) >= 2:
            assert all(line not in t for t in texts), line


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _all_texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "data" / "instruments").glob("*.yaml")) + [ROOT / "data/quiz.yaml"]:
        def walk(node):
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(yaml.safe_load(path.read_text("utf-8")))
    return out


def test_no_run_of_twelve_words_is_copied_from_the_seeds_or_the_facts_file():
    sources = [p for p in [FACTS, *sorted(SEEDS.glob("*.txt"))] if p.is_file()]
    texts = [path.read_text("utf-8", errors="replace") for path in sources]
    texts.append("\n".join(TOOL_LINES))
    runs = set()
    for text in texts:
        words = _words(text)
        runs.update(tuple(words[i:i + 12]) for i in range(len(words) - 11))
    for text in _all_texts():
        words = _words(text)
        for i in range(len(words) - 11):
            assert tuple(words[i:i + 12]) not in runs, " ".join(words[i:i + 12])
