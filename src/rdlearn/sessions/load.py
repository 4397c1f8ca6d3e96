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

import re
from collections.abc import Mapping
from typing import Any

from rdlearn.agenda.blocks import load_agenda
from rdlearn.content import loader as content
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
    "numbers_in",
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

_TOP_KEYS = {
    "title", "outcomes", "overview", "sections", "exercises", "discussion", "summary",
    "references",
}
_SECTION_KEYS = {"id", "heading", "body", "citations", "finding_ids", "figure"}
_EXERCISE_KEYS = {"id", "title", "kind", "minutes", "instructions", "widget", "facilitator"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A number written in digits: 98, 78.2, .76, 1,086. Years and session numbers are skipped.
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?|\.\d+)(?![\w])")


def session_file(number: int) -> str:
    """The data file of a session, relative to ``data/``: ``sessions/01_slug.yaml``."""
    try:
        entry = content.session(number)
    except KeyError:
        raise ValueError(f"There is no session {number!r}; the sessions are 1 to 4.") from None
    return f"sessions/{number:02d}_{entry['slug']}.yaml"


def _text_list(value: Any, *, file: str, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ContentError(file, where, "expected a list of one or more texts")
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(file, f"{where}, item {i}", "must be non-empty text")
    return [" ".join(item.split()) for item in value]


def _id_list(value: Any, *, file: str, where: str) -> list[str]:
    if not isinstance(value, list):
        raise ContentError(file, where, "expected a list of ids")
    for item in value:
        if not isinstance(item, str) or not _ID.match(item):
            raise ContentError(file, where, f"{item!r} is not an id (lower case, digits, '-')")
    return list(value)


def _unknown_keys(mapping: Mapping, allowed: set[str], *, file: str, where: str) -> None:
    extra = sorted(set(mapping) - allowed)
    if extra:
        raise ContentError(file, where, f"unknown key(s) {', '.join(extra)}")


def numbers_in(text: str) -> list[str]:
    """The numbers written in digits in ``text``, leaving out years and session numbers.

    >>> numbers_in("In 2008, 78.2 per cent of 119 clients (session 2) and r = .76")
    ['78.2', '119', '.76']
    """
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        plain = raw.replace(",", "")
        if re.fullmatch(r"(19|20)\d\d", plain):
            continue
        if re.search(r"(?i)session\s+$", text[: match.start()]):
            continue
        found.append(raw)
    return found


def _matches(raw: str, value: float) -> bool:
    number = float(raw.replace(",", ""))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return abs(number - value) < 1e-9 or round(value, decimals) == number


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


def _validate(data: Any, *, number: int, file: str) -> dict:
    f = file
    content.require(
        data,
        [("title", str), ("outcomes", list), ("overview", str), ("sections", list),
         ("exercises", list), ("discussion", dict), ("summary", list), ("references", list)],
        file=f, where="top level",
    )
    _unknown_keys(data, _TOP_KEYS, file=f, where="top level")
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

    references: dict[str, str] = {}
    try:
        sources = _sources()
    except ContentError:
        sources = {}
    for i, ref in enumerate(data["references"], start=1):
        where = f"references item {i}"
        content.require(ref, [("id", str)], file=f, where=where)
        _id_list([ref["id"]], file=f, where=where)
        if ref["id"] in references:
            raise ContentError(f, where, f"source {ref['id']!r} is listed twice")
        text = ref.get("text")
        if text is not None and (not isinstance(text, str) or not text.strip()):
            raise ContentError(f, f"{where}, key 'text'", "must be non-empty text")
        if text is None and ref["id"] not in sources:
            raise ContentError(
                f, where, f"source {ref['id']!r} is not in sources.csv, so it needs a 'text'"
            )
        references[ref["id"]] = " ".join((text or "").split())

    all_findings = _findings()
    sections, seen = [], set()
    for i, raw in enumerate(data["sections"], start=1):
        where = f"sections item {i}"
        content.require(
            raw, [("id", str), ("heading", str), ("body", str), ("citations", list)],
            file=f, where=where,
        )
        _unknown_keys(raw, _SECTION_KEYS, file=f, where=where)
        sid = raw["id"]
        _id_list([sid], file=f, where=where)
        if sid in seen:
            raise ContentError(f, where, f"section id {sid!r} is used twice")
        seen.add(sid)
        where = f"section '{sid}'"
        citations = _id_list(raw["citations"], file=f, where=f"{where}, citations")
        if not citations:
            raise ContentError(f, f"{where}, citations", "cite at least one source")
        for cid in citations:
            if cid not in references:
                raise ContentError(f, f"{where}, citations", f"{cid!r} is not in references")
        finding_ids = _id_list(raw.get("finding_ids", []), file=f, where=f"{where}, finding_ids")
        for fid in finding_ids:
            if fid not in all_findings:
                raise ContentError(
                    f, f"{where}, finding_ids", f"no finding {fid!r} in findings.csv"
                )
        figure = raw.get("figure")
        if figure is not None and figure not in FIGURES:
            raise ContentError(
                f, f"{where}, figure", f"unknown chart {figure!r}; choose one of "
                f"{', '.join(FIGURES)}"
            )
        values = [
            v for fid in finding_ids for v in (all_findings[fid].get("value"),
                                               all_findings[fid].get("n"))
            if isinstance(v, (int, float))
        ]
        for raw_number in numbers_in(raw["body"]):
            if not any(_matches(raw_number, v) for v in values):
                raise ContentError(
                    f, f"{where}, body", f"the number {raw_number} is not the value of any "
                    "finding in this section's finding_ids (add the finding, or write it "
                    "without the number)"
                )
        sections.append({
            "id": sid, "heading": raw["heading"].strip(), "body": raw["body"].strip(),
            "citations": citations, "finding_ids": finding_ids, "figure": figure,
        })

    minutes_by_format = _session_minutes(number)
    exercises, seen = [], set()
    for i, raw in enumerate(data["exercises"], start=1):
        where = f"exercises item {i}"
        content.require(
            raw,
            [("id", str), ("title", str), ("kind", str), ("minutes", dict),
             ("instructions", list), ("facilitator", str)],
            file=f, where=where,
        )
        _unknown_keys(raw, _EXERCISE_KEYS, file=f, where=where)
        eid = raw["id"]
        _id_list([eid], file=f, where=where)
        if eid in seen:
            raise ContentError(f, where, f"exercise id {eid!r} is used twice")
        seen.add(eid)
        where = f"exercise '{eid}'"
        if raw["kind"] not in EXERCISE_KINDS:
            raise ContentError(
                f, f"{where}, kind", f"must be one of {', '.join(EXERCISE_KINDS)}"
            )
        minutes = raw["minutes"]
        if not minutes:
            raise ContentError(f, f"{where}, minutes", "give minutes for at least one format")
        for fmt, value in minutes.items():
            if fmt not in minutes_by_format:
                raise ContentError(
                    f, f"{where}, minutes", f"unknown format {fmt!r}; the formats are "
                    f"{', '.join(minutes_by_format)}"
                )
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ContentError(f, f"{where}, minutes, {fmt}", "must be a whole number above 0")
        widgets = raw.get("widget", [])
        widgets = [widgets] if isinstance(widgets, str) else widgets
        if not isinstance(widgets, list):
            raise ContentError(f, f"{where}, widget", "expected a widget name or a list of them")
        exercises.append({
            "id": eid, "title": raw["title"].strip(), "kind": raw["kind"],
            "minutes": dict(minutes),
            "instructions": _text_list(raw["instructions"], file=f,
                                       where=f"{where}, instructions"),
            "widgets": [_check_widget(w, file=f, where=f"{where}, widget") for w in widgets],
            "facilitator": " ".join(raw["facilitator"].split()),
        })
    for fmt, available in minutes_by_format.items():
        used = sum(e["minutes"].get(fmt, 0) for e in exercises)
        if used > available:
            raise ContentError(
                f, "exercises", f"the exercises take {used} minutes in the {fmt} format, but "
                f"agenda.yaml gives this session {available}"
            )

    talk = data["discussion"]
    _unknown_keys(talk, set(DISCUSSION_GROUPS), file=f, where="discussion")
    prompts = {
        key: _text_list(talk.get(key), file=f, where=f"discussion, {key}")
        for key in DISCUSSION_GROUPS
    }
    return {
        "number": number,
        "slug": entry["slug"],
        "title": entry["title"],
        "outcomes": list(data["outcomes"]),
        "timing": minutes_by_format,
        "overview": " ".join(data["overview"].split()),
        "sections": sections,
        "exercises": exercises,
        "discussion": prompts,
        "summary": _text_list(data["summary"], file=f, where="summary"),
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
    return _validate(content.load_yaml(file), number=number, file=file)


def load_all() -> dict[int, dict]:
    """Load and check every session: ``{1: {...}, 2: ..., 3: ..., 4: ...}``."""
    return {s["number"]: load_session(s["number"]) for s in content.workshop()["sessions"]}



def _sources() -> dict[str, dict]:
    from rdlearn.content import findings

    return findings.load_sources()
