"""Room questions: loading, answer checks, the five-answer threshold and moderation."""

from __future__ import annotations

import pytest

from rdlearn.content import loader as content
from rdlearn.content import schema
from rdlearn.room import questions as room_questions
from rdlearn.room.questions import (
    APPROVED,
    MIN_ANSWERS,
    PENDING,
    REJECTED,
    AnswerError,
    Option,
    Question,
)

CHOICE = Question(
    id="ever", kind=room_questions.SINGLE_CHOICE, text="Ever?",
    options=(Option("yes", "Yes"), Option("no", "No"), Option("no-clients", "No clients yet")),
    sessions=(1,),
    research={"compare": "share", "option": "yes", "exclude": ("no-clients",),
              "findings": ("x",)},
)
SCALE7 = Question(id="often", kind=room_questions.SCALE, text="How often?",
                  scale_min=1, scale_max=7)
SCALE10 = Question(id="close", kind=room_questions.SCALE, text="How close?",
                   scale_min=0, scale_max=10)
WORD = Question(id="word", kind=room_questions.ONE_WORD, text="One word?")
LINE = Question(id="line", kind=room_questions.SHARE_LINE, text="One line?")


# --------------------------------------------------------------------------- the data file


def test_the_room_questions_load_with_the_required_ones():
    questions = room_questions.load_questions()
    by_text = {q.text: q for q in questions.values()}
    ever = by_text["Have you ever experienced a moment of relational depth with a client?"]
    assert ever.kind == room_questions.SINGLE_CHOICE
    assert "leung2008-therapists-any-rd" in ever.research["findings"]
    often = by_text["How often do such moments happen in your work?"]
    assert (often.kind, often.scale_min, often.scale_max) == (room_questions.SCALE, 1, 7)
    assert "leung2008-therapists-frequency" in often.research["findings"]
    important = by_text["How important are they for change?"]
    assert "leung2008-clients-importance" in important.research["findings"]
    kinds = {q.kind for q in questions.values()}
    assert {room_questions.ONE_WORD, room_questions.SHARE_LINE} <= kinds
    assert all(q.sessions or q.keynote for q in questions.values())


def _with_questions(monkeypatch, data):
    real = content.load_yaml

    def fake(name):
        return data if name == room_questions.QUESTIONS_FILE else real(name)

    monkeypatch.setattr(content, "load_yaml", fake)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"id": "q-one", "kind": "poll", "text": "T", "sessions": [1]}, "kind must be one of"),
        ({"id": "q-one", "kind": "scale", "text": "T", "sessions": [1],
          "scale": {"min": 1, "max": 5, "low": "a", "high": "b"}}, "1 to 7 or 0 to 10"),
        ({"id": "q-one", "kind": "one_word", "text": "T", "sessions": [9]},
         "no session numbered 9"),
        ({"id": "q-one", "kind": "one_word", "text": "T"}, "'sessions' or 'keynote'"),
        ({"id": "q-one", "kind": "single_choice", "text": "T", "sessions": [1],
          "options": [{"id": "a", "label": "A"}]}, "two or more options"),
        ({"id": "q-one", "kind": "single_choice", "text": "T", "keynote": True,
          "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
          "research": {"compare": "share", "option": "c", "findings": ["f"]}}, "unknown option"),
        # What the schema cannot see, checked by the loader.
        ({"id": "q-one", "kind": "single_choice", "text": "T", "keynote": True,
          "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
          "research": {"compare": "share", "option": "a", "exclude": ["z"], "findings": ["f"]}},
         "question 'q-one', research: unknown option 'z'"),
        ({"id": "q-one", "kind": "single_choice", "text": "T", "keynote": True,
          "options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
         "question 'q-one', option 2: duplicate option id 'a'"),
        ({"id": "q-one", "kind": "one_word", "text": "T", "keynote": True,
          "research": {"compare": "mean", "findings": ["f"]}},
         "question 'q-one', research: compare: mean needs a scale question"),
        ({"id": "q-one", "kind": "scale", "text": "T", "keynote": True,
          "scale": {"min": 1, "max": 7, "low": "a", "high": "b"},
          "research": {"compare": "share", "option": "a", "findings": ["f"]}},
         "question 'q-one', research: compare: share needs a single-choice question"),
        ({"id": "q-one", "kind": "one_word", "text": "T", "keynote": True,
          "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
         "question 'q-one': a one_word question takes no options or scale"),
        ({"id": "q-one", "kind": "one_word", "text": "T", "sessions": [1], "keynote": "yes"},
         "question 'q-one', key 'keynote': expected true or false"),
        ({"id": "Q One", "kind": "one_word", "text": "T", "keynote": True},
         "id must be lower-case letters, digits and hyphens"),
    ],
)
def test_a_broken_questions_file_names_the_question_and_the_problem(monkeypatch, item, problem):
    _with_questions(monkeypatch, {"questions": [item]})
    with pytest.raises(content.ContentError) as info:
        room_questions.load_questions()
    assert "questions.yaml" in str(info.value)
    assert problem in str(info.value)


def test_a_question_id_given_twice_is_refused(monkeypatch):
    item = {"id": "q-one", "kind": "one_word", "text": "T", "keynote": True}
    _with_questions(monkeypatch, {"questions": [item, dict(item, text="Again")]})
    with pytest.raises(content.ContentError,
                       match=r"questions.yaml, questions item 2: duplicate id 'q-one'"):
        room_questions.load_questions()


def test_the_schema_and_the_code_name_the_same_kinds_of_question():
    declared = schema.load_schema("questions")["properties"]["questions"]["items"]
    assert tuple(declared["properties"]["kind"]["enum"]) == room_questions.KINDS


def test_yaml_yes_without_quotes_is_caught(monkeypatch):
    item = {"id": "q-one", "kind": "single_choice", "text": "T", "sessions": [1],
            "options": [{"id": True, "label": "Yes"}, {"id": "no", "label": "No"}]}
    _with_questions(monkeypatch, {"questions": [item]})
    with pytest.raises(content.ContentError, match="option 1.*expected str"):
        room_questions.load_questions()


# --------------------------------------------------------------------------- validation


def test_valid_answers_are_normalised():
    assert room_questions.validate_answer(CHOICE, "no") == "no"
    assert room_questions.validate_answer(SCALE7, 7) == "7"
    assert room_questions.validate_answer(SCALE7, " 3 ") == "3"
    assert room_questions.validate_answer(SCALE10, 0) == "0"
    assert room_questions.validate_answer(WORD, "  Curious! ") == "curious"
    line = room_questions.validate_answer(LINE, "Slowing\n down  together")
    assert line == "Slowing down together"


@pytest.mark.parametrize(
    ("q", "value", "message"),
    [
        (CHOICE, "maybe", "choose one of the options"),
        (CHOICE, None, "choose one of the options"),
        (SCALE7, 8, "whole number from 1 to 7"),
        (SCALE7, 0, "whole number from 1 to 7"),
        (SCALE7, 4.5, "whole number from 1 to 7"),
        (SCALE7, True, "whole number from 1 to 7"),
        (SCALE10, "11", "whole number from 0 to 10"),
        (WORD, "   ", "write something"),
        (WORD, "two words", "just one word"),
        (WORD, "x" * 31, "30 characters or fewer (this one has 31)"),
        (WORD, "?!", "not only punctuation"),
        (LINE, "", "write something"),
        (LINE, "y" * 201, "200 characters or fewer (this one has 201)"),
        (LINE, ["a list"], "as text"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(q, value, message):
    with pytest.raises(AnswerError) as info:
        room_questions.validate_answer(q, value)
    assert message in str(info.value)


def test_the_longest_allowed_texts_are_accepted():
    assert room_questions.validate_answer(WORD, "w" * room_questions.WORD_MAX_CHARS) == "w" * 30
    assert len(room_questions.validate_answer(LINE, "z" * room_questions.LINE_MAX_CHARS)) == 200


# --------------------------------------------------------------------------- thresholds


def test_four_answers_show_nothing_and_five_show_counts():
    four = room_questions.aggregate(SCALE7, ["2", "3", "3", "7"])
    assert not four.ready
    assert four.counts == () and four.mean is None
    assert four.message == "Waiting for at least 5 answers (4 so far)."
    html = room_questions.results_html(SCALE7, four)
    assert "4 so far" in html and "<table" not in html

    values = ["2", "3", "3", "7", "5"]
    five = room_questions.aggregate(SCALE7, values)
    assert five.ready
    assert dict(five.counts) == {str(p): values.count(str(p)) for p in range(1, 8)}
    assert five.mean == pytest.approx(sum(map(int, values)) / 5)
    assert "<table" in room_questions.results_html(SCALE7, five)
    assert MIN_ANSWERS == 5


def test_share_for_the_research_leaves_out_people_without_clients():
    answers = ["yes"] * 4 + ["no"] + ["no-clients"] * 3
    summary = room_questions.aggregate(CHOICE, answers)
    assert summary.counts == (("Yes", 4), ("No", 1), ("No clients yet", 3))
    assert summary.share_n == 5
    assert summary.share == pytest.approx(80.0)
    too_few = room_questions.aggregate(CHOICE, ["yes"] * 2 + ["no-clients"] * 4)
    assert too_few.ready and too_few.share is None


# --------------------------------------------------------------------------- moderation


def test_words_and_lines_wait_for_approval_and_choices_do_not():
    assert room_questions.initial_moderation(WORD) == PENDING
    assert room_questions.initial_moderation(LINE) == PENDING
    assert room_questions.initial_moderation(SCALE7) == room_questions.NOT_MODERATED
    assert room_questions.needs_moderation(LINE) and not room_questions.needs_moderation(CHOICE)


def test_only_approved_words_are_shown_but_all_count_towards_the_threshold():
    answers = [
        {"value": "calm", "moderation": APPROVED},
        {"value": "calm", "moderation": APPROVED},
        {"value": "tired", "moderation": APPROVED},
        {"value": "rude-word", "moderation": REJECTED},
        {"value": "waiting", "moderation": PENDING},
    ]
    summary = room_questions.aggregate(WORD, answers)
    assert summary.ready and summary.n == 5 and summary.pending == 1
    assert summary.counts == (("calm", 2), ("tired", 1))
    html = room_questions.results_html(WORD, summary)
    assert "rude-word" not in html and "waiting" not in html


def test_only_approved_lines_are_shown():
    answers = [{"value": f"line {i}", "moderation": APPROVED if i % 2 else PENDING}
               for i in range(6)]
    summary = room_questions.aggregate(LINE, answers)
    assert summary.lines == ("line 1", "line 3", "line 5")


def test_the_word_cloud_is_an_escaped_list_sized_by_count():
    html = room_questions.word_cloud_html([("<script>alert(1)</script>", 3), ("calm", 1)])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.startswith("<ul") and html.count("<li") == 2
    assert "<img" not in html and "<svg" not in html
    sizes = [float(part.split("em")[0]) for part in html.split("font-size: ")[1:]]
    assert sizes[0] > sizes[1]
    assert "(3 people)" in html and "(1 person)" in html


def test_shared_lines_are_rendered_as_text():
    payload = '<img src=x onerror=alert(1)>'
    summary = room_questions.aggregate(LINE, [{"value": payload, "moderation": APPROVED}] * 5)
    html = room_questions.results_html(LINE, summary)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --------------------------------------------------------------------------- codes and tokens


def test_workshop_codes_are_normalised_and_checked():
    assert room_questions.normalise_workshop_code(" rd7 k3q ") == "RD7K3Q"
    for bad in ("", "ab", "RD7K3Q!", "x" * 13, None):
        with pytest.raises(room_questions.WorkshopCodeError):
            room_questions.normalise_workshop_code(bad)
    codes = {room_questions.new_workshop_code() for _ in range(50)}
    assert len(codes) > 45
    assert all(room_questions.normalise_workshop_code(c) == c for c in codes)


def test_only_plausible_tokens_are_accepted():
    assert room_questions.normalise_token("a" * 32) == "a" * 32
    assert room_questions.normalise_token("short") is None
    assert room_questions.normalise_token("x" * 32 + "<") is None
    assert room_questions.normalise_token(12345678901234567890) is None
