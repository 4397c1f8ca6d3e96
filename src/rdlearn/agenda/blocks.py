"""The agenda file: the timed blocks of ``data/agenda.yaml``, read and checked.

:func:`load_agenda` returns each format's days of blocks; :func:`exercise_mismatches` says
where the agenda and the session files disagree about the exercises (run by ``rdlearn check``
through :mod:`rdlearn.content.checks`). The timetable built from these blocks is in
:mod:`rdlearn.agenda.timetable`.

>>> [fmt["id"] for fmt in formats()]
['one-day', 'two-day']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rdlearn.content import loader as content

__all__ = ["AGENDA_FILE", "KINDS", "load_agenda", "exercise_mismatches", "formats"]

AGENDA_FILE = "agenda.yaml"

#: The kinds of block an agenda may hold, with the words shown to the room.
KINDS: dict[str, str] = {
    "welcome": "Welcome",
    "theory": "Theory input",
    "exercise": "Exercise alone",
    "pairs": "Pairs",
    "group": "Group discussion",
    "break": "Break",
    "lunch": "Lunch",
    "close": "Close",
}
_SESSION_KINDS = {"theory", "exercise", "pairs", "group"}
_BLOCK_KEYS = {
    "id", "title", "kind", "minutes", "session", "flexible", "min_minutes", "exercises", "note",
}
#: Block kinds that must name the session's exercises they hold; group blocks may instead
#: be discussion only.
_EXERCISE_BLOCK_KINDS = {"exercise", "pairs"}
_EXERCISE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MAX_BLOCK_MINUTES = 240


def _block_where(fmt: str, day: str, position: int, raw: Any) -> str:
    name = raw.get("id") if isinstance(raw, Mapping) else None
    label = f"block {position}" + (f" ({name})" if isinstance(name, str) and name else "")
    return f"format {fmt}, {day}, {label}"


def _validate_block(raw: Any, *, where: str, sessions: set[int]) -> dict:
    f = AGENDA_FILE
    content.require(raw, [("id", str), ("title", str), ("kind", str)], file=f, where=where)
    unknown = sorted(set(raw) - _BLOCK_KEYS)
    if unknown:
        raise content.ContentError(
            f, where, f"unknown key(s) {', '.join(unknown)}; "
            f"a block may have {', '.join(sorted(_BLOCK_KEYS))}"
        )
    if raw["kind"] not in KINDS:
        raise content.ContentError(
            f, where, f"kind {raw['kind']!r} is not one of {', '.join(KINDS)}"
        )
    minutes = raw.get("minutes")
    if not _whole(minutes) or not 0 < minutes <= _MAX_BLOCK_MINUTES:
        raise content.ContentError(
            f, where, f"minutes must be a whole number from 1 to {_MAX_BLOCK_MINUTES}"
            f" (found {minutes!r})"
        )
    session = raw.get("session")
    if session is None:
        if raw["kind"] in _SESSION_KINDS:
            raise content.ContentError(f, where, f"a {raw['kind']} block needs a session number")
    elif not _whole(session) or session not in sessions:
        numbers = ", ".join(str(s) for s in sorted(sessions))
        raise content.ContentError(
            f, where, f"session {session!r} does not exist in workshop.yaml (sessions: {numbers})"
        )
    flexible = raw.get("flexible", False)
    if not isinstance(flexible, bool):
        raise content.ContentError(f, where, "flexible must be true or false")
    min_minutes = raw.get("min_minutes")
    if flexible:
        if not _whole(min_minutes) or not 0 < min_minutes <= minutes:
            raise content.ContentError(
                f, where, f"a flexible block needs min_minutes, a whole number from 1 to its "
                f"minutes ({minutes}); found {min_minutes!r}"
            )
    elif min_minutes is not None:
        raise content.ContentError(f, where, "min_minutes is only for blocks with flexible: true")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise content.ContentError(f, where, "note must be text")
    exercises = _exercise_ids(raw, where=where)
    return {
        "id": raw["id"].strip(),
        "title": raw["title"].strip(),
        "kind": raw["kind"],
        "minutes": minutes,
        "session": session,
        "flexible": flexible,
        "min_minutes": min_minutes if flexible else minutes,
        "exercises": exercises,
        "note": note.strip(),
    }


def _exercise_ids(raw: Mapping, *, where: str) -> tuple[str, ...]:
    """The ``exercises`` of a block: ids of the session file's exercises it holds."""
    f = AGENDA_FILE
    kind = raw["kind"]
    value = raw.get("exercises")
    if value is None:
        if kind in _EXERCISE_BLOCK_KINDS:
            raise content.ContentError(
                f, where, f"a {kind} block needs exercises: the ids of the session file's "
                "exercises it holds, such as [recalling-a-moment]"
            )
        return ()
    if kind not in _EXERCISE_BLOCK_KINDS | {"group"}:
        raise content.ContentError(
            f, where, "exercises are only for exercise, pairs and group blocks"
        )
    ids = [value] if isinstance(value, str) else value
    if not isinstance(ids, list) or not ids:
        raise content.ContentError(f, where, "exercises must be a list of exercise ids")
    for item in ids:
        if not isinstance(item, str) or not _EXERCISE_ID.match(item.strip()):
            raise content.ContentError(
                f, where, f"exercises: {item!r} is not an exercise id (lower-case letters, "
                "digits and hyphens, as in the session file)"
            )
    cleaned = tuple(item.strip() for item in ids)
    twice = sorted({i for i in cleaned if cleaned.count(i) > 1})
    if twice:
        raise content.ContentError(f, where, f"exercises: {', '.join(twice)} named twice")
    return cleaned


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def load_agenda() -> dict[str, list[list[dict]]]:
    """Read and check ``data/agenda.yaml``.

    Returns ``{format_id: [day 1 blocks, day 2 blocks, ...]}``, each block a dict with id,
    title, kind, minutes, session, flexible, min_minutes, exercises (a tuple of the session
    file's exercise ids) and note. Whether those ids exist is checked against the session
    files by :func:`exercise_mismatches`. A problem raises
    :class:`rdlearn.content.loader.ContentError` naming the format, the block and what is wrong.
    """
    f = AGENDA_FILE
    data = content.load_yaml(f)
    content.require(data, [("formats", dict)], file=f, where="top level")
    workshop = content.workshop()
    sessions = {s["number"] for s in workshop["sessions"]}
    known_formats = [fmt["id"] for fmt in workshop["formats"]]
    result: dict[str, list[list[dict]]] = {}
    for fmt, days in data["formats"].items():
        if fmt not in known_formats:
            raise content.ContentError(
                f, f"format {fmt}", f"unknown format; workshop.yaml has {', '.join(known_formats)}"
            )
        if not isinstance(days, Mapping) or not days:
            raise content.ContentError(f, f"format {fmt}", "expected days: 'day 1:', 'day 2:' ...")
        expected = [f"day {n}" for n in range(1, len(days) + 1)]
        if list(days) != expected:
            raise content.ContentError(
                f, f"format {fmt}", f"days must be named {', '.join(expected)} in that order"
            )
        seen_ids: set[str] = set()
        parsed_days = []
        for day, blocks in days.items():
            if not isinstance(blocks, list) or not blocks:
                raise content.ContentError(f, f"format {fmt}, {day}", "expected a list of blocks")
            parsed = []
            for position, raw in enumerate(blocks, start=1):
                where = _block_where(fmt, day, position, raw)
                block = _validate_block(raw, where=where, sessions=sessions)
                if block["id"] in seen_ids:
                    raise content.ContentError(f, where, f"id {block['id']!r} is used twice")
                seen_ids.add(block["id"])
                parsed.append(block)
            total = sum(b["minutes"] for b in parsed)
            if total > 16 * 60:
                raise content.ContentError(
                    f, f"format {fmt}, {day}", f"the blocks add up to {total} minutes, "
                    "more than a working day"
                )
            parsed_days.append(parsed)
        covered = {b["session"] for day in parsed_days for b in day if b["session"] is not None}
        missing = sorted(sessions - covered)
        if missing:
            raise content.ContentError(
                f, f"format {fmt}",
                f"no block for session(s) {', '.join(str(m) for m in missing)}",
            )
        result[fmt] = parsed_days
    absent = [fmt for fmt in known_formats if fmt not in result]
    if absent:
        raise content.ContentError(
            f, "formats", f"no agenda for format(s) {', '.join(absent)} named in workshop.yaml"
        )
    return result


def exercise_mismatches(
    plans: Mapping[str, Sequence[Sequence[Mapping]]],
    session_exercises: Mapping[int, Sequence[Mapping]],
) -> list[str]:
    """Where the agenda and the session files disagree about the exercises.

    Parameters
    ----------
    plans
        The agenda, as returned by :func:`load_agenda`.
    session_exercises
        ``{session number: [exercise, ...]}``, each exercise a mapping with ``id``, ``title``
        and ``minutes`` (``{format id: minutes}``), as in the session files.

    Returns
    -------
    list of str
        One sentence per problem, empty when they agree: a block naming an exercise its
        session does not have, or does not run in that format; an exercise timed in a
        format with no block of its session naming it; or blocks that give an exercise
        fewer minutes than the session file does.
    """
    problems = []
    for fmt, days in plans.items():
        given: dict[tuple[int, str], int] = {}
        for day_number, day in enumerate(days, start=1):
            for block in day:
                known = {e["id"]: e for e in session_exercises.get(block["session"], ())}
                for exercise_id in block.get("exercises", ()):
                    where = f"{fmt}, day {day_number}, block {block['id']}"
                    if exercise_id not in known:
                        problems.append(
                            f"{where}: session {block['session']} has no exercise "
                            f"{exercise_id!r}"
                        )
                        continue
                    if fmt not in known[exercise_id]["minutes"]:
                        problems.append(
                            f"{where}: the session file does not run {exercise_id!r} in the "
                            f"{fmt} format"
                        )
                        continue
                    key = (block["session"], exercise_id)
                    given[key] = given.get(key, 0) + block["minutes"]
        for number, exercises in session_exercises.items():
            for exercise in exercises:
                wanted = exercise["minutes"].get(fmt)
                if wanted is None:
                    continue
                label = f"session {number} exercise {exercise['id']!r} ({exercise['title']})"
                minutes = given.get((number, exercise["id"]))
                if minutes is None:
                    problems.append(
                        f"{fmt}: {label} takes {wanted} minutes but no session {number} "
                        "block of the agenda names it"
                    )
                elif minutes < wanted:
                    problems.append(
                        f"{fmt}: {label} takes {wanted} minutes but the blocks naming it "
                        f"give {minutes}"
                    )
    return problems


def formats() -> list[dict]:
    """The workshop formats that have an agenda: ``[{"id", "name", "days"}]``."""
    plans = load_agenda()
    return [
        {"id": fmt["id"], "name": fmt["name"], "days": len(plans[fmt["id"]])}
        for fmt in content.workshop()["formats"]
    ]
