"""The four sessions' teaching content: loaded from ``data/sessions/`` and checked.

Each session lives in ``data/sessions/NN_slug.yaml`` (numbers and slugs from
``workshop.yaml``) with the same anatomy: title, outcomes, overview, sections of theory
input (each with its citations, and optionally the findings and the chart it uses),
exercises, discussion prompts, a summary and references. The session's timing in each
format is not typed here: it is the sum of the session's blocks in ``data/agenda.yaml``
(:mod:`rdlearn.agenda.blocks`). Shown by :mod:`rdlearn.sessions.render`; the guide's pages
are :mod:`rdlearn.sessions.guide`.

Examples
--------
>>> session = load_session(1)
>>> session["title"]
'Experiencing relational depth, in and out of therapy'
>>> [e["kind"] for e in session["exercises"]][:2]
['solo reflection', 'pairs']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdlearn.agenda.blocks import load_agenda
from rdlearn.content import loader as content
from rdlearn.content import numbers, schema
from rdlearn.content.loader import ContentError
from rdlearn.figures.names import CHART_BUILDERS

__all__ = [
    "EXERCISE_KINDS",
    "WIDGET_KINDS",
    "FIGURES",
    "DISCUSSION_GROUPS",
    "session_file",
    "load_session",
    "load_all",
]

#: How an exercise is done, as the guide and the exercise cards name it.
EXERCISE_KINDS = ("solo reflection", "pairs", "small group", "large group")

#: What the lead places in an exercise's slot. The value says whether the widget needs an
#: argument: ``selfcheck <instrument>``, ``room_question <question id>``.
WIDGET_KINDS = {
    "journal": False,
    "relationship_map": False,
    "selfcheck": True,
    "quiz": False,
    "timer": False,
    "pairing": False,
    "room_question": True,
    "connection_rating": False,
}

#: Chart builders in :mod:`rdlearn.figures` that a section may name.
FIGURES = CHART_BUILDERS

#: Discussion prompts are given for each of these, with the heading shown for each.
DISCUSSION_GROUPS = {
    "pairs": "In pairs",
    "small_group": "In small groups",
    "large_group": "With the whole group",
}

def session_file(number: int) -> str:
    """The data file of a session, relative to ``data/``: ``sessions/01_slug.yaml``."""
    try:
        entry = content.session(number)
    except KeyError:
        raise ValueError(f"There is no session {number!r}; the sessions are 1 to 4.") from None
    return f"sessions/{number:02d}_{entry['slug']}.yaml"


def _findings() -> dict[str, dict]:
    from rdlearn.content import findings

    return findings.load_findings()


def _session_minutes(number: int) -> dict[str, int]:
    plans = load_agenda()
    return {
        fmt: sum(b["minutes"] for day in days for b in day if b["session"] == number)
        for fmt, days in plans.items()
    }


def _check_widget(spec: Any, *, file: str, where: str) -> str:
    if not isinstance(spec, str) or not spec.strip():
        raise ContentError(file, where, "a widget must be text such as 'journal' or 'timer'")
    kind, _, argument = spec.strip().partition(" ")
    argument = argument.strip()
    if kind not in WIDGET_KINDS:
        raise ContentError(
            file, where, f"unknown widget {kind!r}; choose one of {', '.join(WIDGET_KINDS)}"
        )
    if WIDGET_KINDS[kind] and not argument:
        what = "an instrument" if kind == "selfcheck" else "a question id"
        raise ContentError(file, where, f"widget {kind!r} needs {what}, e.g. '{kind} x'")
    if not WIDGET_KINDS[kind] and argument:
        raise ContentError(file, where, f"widget {kind!r} takes nothing after its name")
    if kind == "selfcheck":
        from rdlearn.selfcheck import instruments as selfcheck

        ids = selfcheck.instrument_ids()
        wanted = argument.replace("_", "-")
        if not any(i == wanted or i.startswith(wanted + "-") for i in ids):
            raise ContentError(
                file, where, f"no self-check {argument!r}; the instruments are {', '.join(ids)}"
            )
    if kind == "room_question":
        from rdlearn.room import questions as room_questions

        ids = list(room_questions.load_questions())
        if argument not in ids:
            raise ContentError(
                file, where, f"no room question {argument!r} in questions.yaml"
            )
    return f"{kind} {argument}".strip()


def _references(data: Mapping, *, file: str) -> dict[str, str]:
    """The session's references, ``{source id: text}``; the text is empty for a known source."""
    repeat = content.first_repeat(ref["id"] for ref in data["references"])
    if repeat:
        raise ContentError(file, f"references item {repeat[0]}",
                           f"source {repeat[1]!r} is listed twice")
    try:
        sources = _sources()
    except ContentError:
        sources = {}
    references: dict[str, str] = {}
    for i, ref in enumerate(data["references"], start=1):
        text = ref.get("text")
        if text is None and ref["id"] not in sources:
            raise ContentError(
                file, f"references item {i}",
                f"source {ref['id']!r} is not in sources.csv, so it needs a 'text'",
            )
        references[ref["id"]] = " ".join((text or "").split())
    return references


def _section(raw: Mapping, references: Mapping[str, str], all_findings: Mapping[str, dict],
             *, file: str) -> dict:
    """One section, checked against the references, the findings and the chart builders."""
    where = f"section '{raw['id']}'"
    for cid in raw["citations"]:
        if cid not in references:
            raise ContentError(file, f"{where}, citations", f"{cid!r} is not in references")
    finding_ids = list(raw.get("finding_ids") or [])
    for fid in finding_ids:
        if fid not in all_findings:
            raise ContentError(file, f"{where}, finding_ids", f"no finding {fid!r} in findings.csv")
    figure = raw.get("figure")
    if figure is not None and figure not in FIGURES:
        raise ContentError(
            file, f"{where}, figure",
            f"unknown chart {figure!r}; choose one of {', '.join(FIGURES)}",
        )
    untraced = numbers.untraced_numbers(raw["body"], [all_findings[fid] for fid in finding_ids])
    if untraced:
        raise ContentError(
            file, f"{where}, body", f"the number {untraced[0]} is not a number of any finding "
            "in this section's finding_ids (add the finding, or write it without the number)"
        )
    return {
        "id": raw["id"], "heading": raw["heading"].strip(), "body": raw["body"].strip(),
        "citations": list(raw["citations"]), "finding_ids": finding_ids, "figure": figure,
    }


def _exercise(raw: Mapping, formats: Iterable[str], *, file: str) -> dict:
    """One exercise, its formats known to the agenda and its widgets checked."""
    where = f"exercise '{raw['id']}'"
    unknown = [fmt for fmt in raw["minutes"] if fmt not in formats]
    if unknown:
        raise ContentError(
            file, f"{where}, minutes", f"unknown format {unknown[0]!r}; the formats are "
            f"{', '.join(formats)}"
        )
    widgets = raw.get("widget", [])
    widgets = [widgets] if isinstance(widgets, str) else widgets
    return {
        "id": raw["id"], "title": raw["title"].strip(), "kind": raw["kind"],
        "minutes": dict(raw["minutes"]),
        "instructions": _texts(raw["instructions"]),
        "widgets": [_check_widget(w, file=file, where=f"{where}, widget") for w in widgets],
        "facilitator": " ".join(raw["facilitator"].split()),
    }


def _exercises(data: Mapping, minutes_by_format: Mapping[str, int], *, file: str) -> list[dict]:
    """The session's exercises, which together fit the minutes the agenda gives the session."""
    repeat = content.first_repeat(raw["id"] for raw in data["exercises"])
    if repeat:
        raise ContentError(file, f"exercises item {repeat[0]}",
                           f"exercise id {repeat[1]!r} is used twice")
    exercises = [_exercise(raw, list(minutes_by_format), file=file) for raw in data["exercises"]]
    for fmt, available in minutes_by_format.items():
        used = sum(e["minutes"].get(fmt, 0) for e in exercises)
        if used > available:
            raise ContentError(
                file, "exercises", f"the exercises take {used} minutes in the {fmt} format, but "
                f"agenda.yaml gives this session {available}"
            )
    return exercises


def _texts(values: Iterable[str]) -> list[str]:
    return [" ".join(value.split()) for value in values]


def _validate(data: Any, *, number: int, file: str) -> dict:
    f = file
    schema.validate(data, "session", file=f)
    entry = content.session(number)
    if " ".join(data["title"].split()) != entry["title"]:
        raise ContentError(f, "title", f"must match workshop.yaml: {entry['title']!r}")
    known = {o["id"] for o in content.learning_outcomes()}
    for oid in data["outcomes"]:
        if oid not in known:
            raise ContentError(f, "outcomes", f"unknown learning outcome {oid!r}")
    if set(data["outcomes"]) != set(entry["outcomes"]):
        raise ContentError(
            f, "outcomes", f"must be the outcomes workshop.yaml gives this session: "
            f"{', '.join(entry['outcomes'])}"
        )
    references = _references(data, file=f)
    repeat = content.first_repeat(raw["id"] for raw in data["sections"])
    if repeat:
        raise ContentError(f, f"sections item {repeat[0]}",
                           f"section id {repeat[1]!r} is used twice")
    all_findings = _findings()
    sections = [_section(raw, references, all_findings, file=f) for raw in data["sections"]]
    minutes_by_format = _session_minutes(number)
    return {
        "number": number,
        "slug": entry["slug"],
        "title": entry["title"],
        "outcomes": list(data["outcomes"]),
        "timing": minutes_by_format,
        "overview": " ".join(data["overview"].split()),
        "sections": sections,
        "exercises": _exercises(data, minutes_by_format, file=f),
        "discussion": {key: _texts(data["discussion"][key]) for key in DISCUSSION_GROUPS},
        "summary": _texts(data["summary"]),
        "references": [{"id": k, "text": v} for k, v in references.items()],
        "file": file,
    }


def load_session(number: int) -> dict:
    """Load and check one session (1 to 4).

    Returns a dict with number, slug, title, outcomes, timing (``{format id: minutes}``,
    from the agenda), overview, sections, exercises (each with ``widgets``, a list),
    discussion (``{"pairs": [...], "small_group": [...], "large_group": [...]}``), summary
    and references. A problem raises :class:`~rdlearn.content.loader.ContentError` naming the
    file, the key and what is wrong.
    """
    file = session_file(number)
    raw = content.load_yaml(file)
    inputs = (raw, content.load_yaml(content.WORKSHOP_FILE), content.load_yaml("agenda.yaml"),
              content.workshop)
    from rdlearn.content import findings

    return content.checked(("session", file), lambda: _validate(raw, number=number, file=file),
                           inputs, reads=(findings.FINDINGS_FILE, findings.SOURCES_FILE))


def load_all() -> dict[int, dict]:
    """Load and check every session: ``{1: {...}, 2: ..., 3: ..., 4: ...}``."""
    return {s["number"]: load_session(s["number"]) for s in content.workshop()["sessions"]}


def _sources() -> dict[str, dict]:
    from rdlearn.content import findings

    return findings.load_sources()
