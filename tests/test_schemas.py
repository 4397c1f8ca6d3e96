"""Declared schemas of the data files (rdlearn.content.schema)."""

from __future__ import annotations

import copy
import os

import pytest

from rdlearn.content import loader, schema
from rdlearn.content.loader import ContentError


def _session_files():
    return [f"sessions/{s['number']:02d}_{s['slug']}.yaml" for s in loader.workshop()["sessions"]]


def _instrument_files():
    return sorted(f"instruments/{p.stem}.yaml"
                  for p in (loader.data_dir() / "instruments").glob("*.yaml"))


REAL = (
    [("workshop", "workshop.yaml"), ("quiz", "quiz.yaml"), ("keynote", "keynote.yaml"),
     ("questions", "questions.yaml"), ("agenda", "agenda.yaml"),
     ("facilitator_notes", "facilitator_notes.yaml"), ("prompts", "prompts.yaml"),
     ("findings", "findings.csv"), ("sources", "sources.csv"), ("charts", "charts.yaml")]
    + [("session", name) for name in _session_files()]
    + [("instrument", name) for name in _instrument_files()]
)


def _read(file):
    return loader.load_csv(file) if file.endswith(".csv") else loader.load_yaml(file)


def test_every_schema_has_a_real_file():
    assert sorted({name for name, _ in REAL}) == schema.schema_names()


@pytest.mark.parametrize(("name", "file"), REAL)
def test_the_real_data_file_follows_its_schema(name, file):
    data = _read(file)
    assert schema.problems(data, name) == []
    assert schema.validate(data, name, file=file) is data


class Whole:
    """A change that replaces the whole file's data."""

    def __init__(self, data):
        self.data = data


def _message(name, file, change):
    data = copy.deepcopy(_read(file))
    result = change(data)
    data = result.data if isinstance(result, Whole) else data
    with pytest.raises(ContentError) as caught:
        schema.validate(data, name, file=file)
    assert caught.value.file == file
    return str(caught.value)


def _first_block(data):
    return data["formats"]["one-day"]["day 1"][1]


def _slide(i):
    return lambda d: d["slides"][i]


CASES = [
    # kind of mistake, schema, file, change, the whole message (after "data file <file>, ")
    ("missing key", "workshop", "workshop.yaml",
     lambda d: d["sessions"][0].pop("title"), "sessions item 1: 'title' is missing"),
    ("missing key at top level", "keynote", "keynote.yaml",
     lambda d: d.pop("subtitle"), "top level: 'subtitle' is missing"),
    ("an empty value reads as missing", "keynote", "keynote.yaml",
     lambda d: d["slides"][4].update(notes=None), "slide 5 (why-research): 'notes' is missing"),
    ("missing key in a named entry", "keynote", "keynote.yaml",
     lambda d: d["slides"][4].pop("notes"), "slide 5 (why-research): 'notes' is missing"),
    ("wrong type", "quiz", "quiz.yaml",
     lambda d: d["questions"][0].update(answer="yes"),
     "question 's1-clients-as-likely', key 'answer': must be true or false"),
    ("wrong type, YAML yes", "questions", "questions.yaml",
     lambda d: d["questions"][0]["options"][0].update(id=True),
     "question 'ever-met-at-depth', option 1, key 'id': expected str (text): put quotes round "
     "words YAML reads as true or false, such as yes and no"),
    ("wrong type, top level", "quiz", "quiz.yaml",
     lambda d: Whole([]), "top level: expected a mapping of keys to values"),
    ("unknown key", "keynote", "keynote.yaml",
     lambda d: d["slides"][4].update(speaker="me"),
     "slide 5 (why-research): unknown key(s): speaker"),
    ("unknown key in a block", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(flexable=True),
     "format one-day, day 1, block 2 (s1-theory): unknown key(s) flexable; a block may have "
     "discussion_minutes, exercises, flexible, id, kind, min_minutes, minutes, note, session, "
     "title"),
    ("unknown key in a session", "session", _session_files()[0],
     lambda d: d["sections"][0].update(colour="red"),
     "section 'what-it-is': unknown key(s) colour"),
    ("out of range", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(minutes=0),
     "format one-day, day 1, block 2 (s1-theory): minutes must be a whole number from 1 to "
     "240 (found 0)"),
    ("out of range, a true is no number", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(minutes=True),
     "format one-day, day 1, block 2 (s1-theory): minutes must be a whole number from 1 to "
     "240 (found True)"),
    ("out of range on a slide", "keynote", "keynote.yaml",
     lambda d: d["slides"][4].update(minutes=0),
     "slide 5 (why-research), key 'minutes': must be a number of minutes above 0"),
    ("out of range in a mapping", "session", _session_files()[0],
     lambda d: d["exercises"][0]["minutes"].update({"one-day": 0}),
     "exercise 'recalling-a-moment', minutes, one-day: must be a whole number above 0"),
    ("scale not allowed", "questions", "questions.yaml",
     lambda d: next(q for q in d["questions"] if q["kind"] == "scale")["scale"].update(max=5),
     None),
    ("bad id", "prompts", "prompts.yaml",
     lambda d: d["prompts"][0].update(id="Has Spaces"),
     "prompts item 1 (Has Spaces), key 'id': use lower-case letters, digits and hyphens only "
     "(at most 63)"),
    ("bad id in a list", "session", _session_files()[0],
     lambda d: d["sections"][0]["citations"].insert(0, "Nobody 2024"),
     "section 'what-it-is', citations item 1: 'Nobody 2024' is not an id (lower case, digits, "
     "'-')"),
    ("bad id in a CSV row", "findings", "findings.csv",
     lambda d: d[2].update(id="Leung 2008"),
     "row 4: id 'Leung 2008' must be lower-case letters, digits and hyphens"),
    ("empty list", "keynote", "keynote.yaml",
     lambda d: d.update(slides=[]), "key 'slides': the deck has no slides"),
    ("empty list of points", "facilitator_notes", "facilitator_notes.yaml",
     lambda d: d["notes"][0].update(aims=[]),
     "notes for session 1, aims: expected a list of points"),
    ("empty text", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(title="  "),
     "format one-day, day 1, block 2 (s1-theory): must not be empty"),
    ("not text in a list", "facilitator_notes", "facilitator_notes.yaml",
     lambda d: d["notes"][1].update(timing=["ok", 5]),
     "notes for session 2, timing, point 2: must be text"),
    ("not one of the choices", "prompts", "prompts.yaml",
     lambda d: d["prompts"][3].update(domain="body"),
     None),
    ("not one of the choices in a block", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(kind="nap"),
     "format one-day, day 1, block 2 (s1-theory): kind 'nap' is not one of welcome, theory, "
     "exercise, pairs, group, break, lunch, close"),
    ("needed by another key", "agenda", "agenda.yaml",
     lambda d: _first_block(d).pop("session"),
     "format one-day, day 1, block 2 (s1-theory): a theory block needs a session number"),
    ("forbidden by another key", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(exercises=["recalling-a-moment"]),
     "format one-day, day 1, block 2 (s1-theory): exercises are only for exercise, pairs and "
     "group blocks"),
    ("a single id not in the form of one", "agenda", "agenda.yaml",
     lambda d: d["formats"]["one-day"]["day 1"][2].update(exercises="Recalling a moment"),
     "format one-day, day 1, block 3 (s1-exercise): exercises: 'Recalling a moment' is not an "
     "exercise id (lower-case letters, digits and hyphens, as in the session file)"),
    ("only beside exercises", "agenda", "agenda.yaml",
     lambda d: _first_block(d).update(discussion_minutes=5),
     "format one-day, day 1, block 2 (s1-theory): discussion_minutes is only for blocks that "
     "hold exercises: a block without them is all theory, discussion or break"),
    ("named twice", "agenda", "agenda.yaml",
     lambda d: next(b for b in d["formats"]["one-day"]["day 1"] if b["id"] == "s1-exercise")
     .update(exercises=["a", "a"]),
     None),
    ("needed by another column", "findings", "findings.csv",
     lambda d: d[0].update(reported_in=""),
     "row 2: a secondary finding needs reported_in (the source it was read in)"),
    ("number in a CSV", "findings", "findings.csv",
     lambda d: d[4].update(value="about ten"), "row 6: value must be a number (found 'about ten')"),
    ("whole number in a CSV", "findings", "findings.csv",
     lambda d: d[4].update(n="many"), "row 6: n must be a whole number (found 'many')"),
    ("one end of an interval", "findings", "findings.csv",
     lambda d: d[4].update(ci_low="0.1", ci_high=""),
     "row 6: give both ci_low and ci_high, or neither"),
    ("sources row", "sources", "sources.csv",
     lambda d: d[0].update(published="maybe"), "row 2: published must be yes or no"),
    ("instrument anchor", "instrument", "instruments/chronic-disconnection.yaml",
     lambda d: d["scale"]["anchors"].update({3: ""}), "scale, anchor 3: the label must be text"),
    ("instrument band", "instrument", "instruments/chronic-disconnection.yaml",
     lambda d: d["bands"][1].pop("text"), None),
    ("instrument items and items_from", "instrument", "instruments/outcome-confidence.yaml",
     lambda d: d.update(items=[{"id": "x", "text": "X"}]),
     "top level: give either 'items' or 'items_from', not both"),
    ("instrument reverse", "instrument", "instruments/chronic-disconnection.yaml",
     lambda d: d["items"][0].update(reverse="yes"), None),
]


@pytest.mark.parametrize(("kind", "name", "file", "change", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_kind_of_mistake_names_file_place_and_problem(kind, name, file, change, expected):
    message = _message(name, file, change)
    assert message.startswith(f"data file {file}, ")
    if expected is not None:
        assert message == f"data file {file}, {expected}"


@pytest.mark.parametrize(
    ("name", "file", "change", "parts"),
    [
        # What the old validators' tests assert on, met by the schema alone.
        ("questions", "questions.yaml",
         lambda d: next(q for q in d["questions"] if q["kind"] == "scale")["scale"]
         .update(max=5), ["scale", "1 to 7 or 0 to 10"]),
        ("questions", "questions.yaml",
         lambda d: d["questions"][0].update(kind="poll"), ["kind must be one of"]),
        ("questions", "questions.yaml",
         lambda d: Whole({"questions": [{"id": "q-one", "kind": "one_word", "text": "T"}]}),
         ["question 'q-one'", "'sessions' or 'keynote'"]),
        ("questions", "questions.yaml",
         lambda d: Whole({"questions": [{"id": "q-one", "kind": "single_choice", "text": "T",
                                         "sessions": [1],
                                         "options": [{"id": "a", "label": "A"}]}]}),
         ["two or more options"]),
        ("prompts", "prompts.yaml", lambda d: d["prompts"][3].update(domain="body"),
         ["prompts item 4", "'domain'", "self, other"]),
        ("prompts", "prompts.yaml", lambda d: d["prompts"][0].pop("prompt"),
         ["prompts item 1", "'prompt' is missing"]),
        ("agenda", "agenda.yaml",
         lambda d: next(b for b in d["formats"]["one-day"]["day 1"] if b["id"] == "s1-exercise")
         .update(exercises=["a", "a"]), ["block 3 (s1-exercise)", "named twice"]),
        ("agenda", "agenda.yaml",
         lambda d: next(b for b in d["formats"]["one-day"]["day 1"] if b["id"] == "s1-exercise")
         .pop("exercises"), ["(s1-exercise)", "needs exercises"]),
        ("agenda", "agenda.yaml",
         lambda d: next(b for b in d["formats"]["one-day"]["day 1"] if b["id"] == "s1-exercise")
         .update(exercises=["Recalling a moment"]), ["(s1-exercise)", "not an exercise id"]),
        ("agenda", "agenda.yaml",
         lambda d: next(b for b in d["formats"]["one-day"]["day 1"] if b["id"] == "s1-exercise")
         .update(exercises=[]), ["(s1-exercise)", "must be a list"]),
        ("instrument", "instruments/chronic-disconnection.yaml",
         lambda d: d["items"][0].update(reverse="yes"), ["item '", "key 'reverse'",
                                                         "must be true or false"]),
        ("instrument", "instruments/chronic-disconnection.yaml",
         lambda d: d["scoring"].update(method="median"), ["scoring, key 'method'",
                                                          "must be 'sum' or 'mean'"]),
        ("session", _session_files()[2], lambda d: d.pop("summary"),
         ["top level", "'summary' is missing"]),
        ("findings", "findings.csv", lambda d: d[4].update(session="5"), ["row 6",
                                                                          "session must be"]),
    ],
)
def test_the_messages_old_tests_assert_on_are_kept(name, file, change, parts):
    message = _message(name, file, change)
    for part in parts:
        assert part in message, message


def _message_tables(node):
    if isinstance(node, dict):
        if "x-messages" in node:
            yield node["x-messages"]
        for value in node.values():
            yield from _message_tables(value)
    elif isinstance(node, list):
        for value in node:
            yield from _message_tables(value)


@pytest.mark.parametrize("name", schema.schema_names())
def test_every_message_is_whole_text(name):
    # ``{pattern: a, b and c}`` in YAML is the message "a" and a key "b and c" with no value.
    for table in _message_tables(schema.load_schema(name)):
        assert all(isinstance(text, str) for text in table.values()), table


def test_the_first_problem_in_file_order_is_reported():
    data = copy.deepcopy(loader.load_yaml("keynote.yaml"))
    data["slides"][6].update(minutes=0)
    data["slides"][2].update(minutes=0)
    places = [where for where, _ in schema.problems(data, "keynote")]
    assert places[0].startswith("slide 3 (") and places[1].startswith("slide 7 (")


def test_an_unknown_schema_is_named():
    with pytest.raises(KeyError, match="there is no schema 'nothing'"):
        schema.validate({}, "nothing", file="x.yaml")


def test_data_that_passed_is_not_checked_again_in_any_process_and_changed_data_is(
        tmp_path, monkeypatch):
    import subprocess
    import sys

    from rdlearn.content import loader
    from rdlearn.content import schema as schemas

    monkeypatch.setenv("RDLEARN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(schemas, "_PASSED", set())
    data = loader.load_yaml("questions.yaml")
    schemas.validate(data, "questions", file="questions.yaml")
    assert len(list((tmp_path / "schema-checks").iterdir())) == 1

    def checked(*args):
        raise AssertionError("checked again")

    monkeypatch.setattr(schemas, "problems", checked)
    schemas.validate(data, "questions", file="questions.yaml")  # known: not checked again
    changed = {**data, "questions": [{**data["questions"][0], "id": "Not An Id"}]}
    with pytest.raises(AssertionError, match="checked again"):
        schemas.validate(changed, "questions", file="questions.yaml")

    # another process (a kernel) finds the verdict and never imports the checker
    code = ("import sys; from rdlearn.content import loader, schema; "
            "schema.validate(loader.load_yaml('questions.yaml'), 'questions', file='q'); "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "RDLEARN_CACHE_DIR": str(tmp_path)}, check=True)
    assert out.stdout.strip() == "False"
