"""The agenda file: the timed blocks of ``data/agenda.yaml``, read and checked.

:func:`load_agenda` returns each format's days of blocks, their shape checked by the schema
``content/schemas/agenda.yaml``. :func:`exercise_mismatches` says where the agenda and the
session files disagree about which exercises run where, and :func:`duration_mismatches` where
a block's minutes are not its exercises' minutes plus its ``discussion_minutes`` (both run by
``rdlearn check`` through :mod:`rdlearn.content.checks`). The timetable built from these
blocks is in :mod:`rdlearn.agenda.timetable`.

>>> [fmt["id"] for fmt in formats()]
['one-day', 'two-day']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdlearn.content import loader as content
from rdlearn.content import schema

__all__ = [
    "AGENDA_FILE", "KINDS", "load_agenda", "exercise_mismatches", "duration_mismatches", "formats",
]

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
#: A day's blocks add up to at most this many minutes.
_MAX_DAY_MINUTES = 16 * 60


def _block_where(fmt: str, day: str, position: int, block: Mapping) -> str:
    return f"format {fmt}, {day}, block {position} ({block['id'].strip()})"


def _block(raw: Mapping, *, where: str, sessions: set[int]) -> dict:
    """One block, its shape checked by the schema; here its session and its minimum."""
    f = AGENDA_FILE
    session = raw.get("session")
    if session is not None and session not in sessions:
        numbers = ", ".join(str(s) for s in sorted(sessions))
        raise content.ContentError(
            f, where, f"session {session!r} does not exist in workshop.yaml (sessions: {numbers})"
        )
    minutes = raw["minutes"]
    flexible = raw.get("flexible", False)
    if flexible and raw["min_minutes"] > minutes:
        raise content.ContentError(
            f, where, f"a flexible block needs min_minutes, a whole number from 1 to its "
            f"minutes ({minutes}); found {raw['min_minutes']!r}"
        )
    value = raw.get("exercises") or ()
    return {
        "id": raw["id"].strip(),
        "title": raw["title"].strip(),
        "kind": raw["kind"],
        "minutes": minutes,
        "session": session,
        "flexible": flexible,
        "min_minutes": raw["min_minutes"] if flexible else minutes,
        "exercises": tuple(item.strip() for item in ([value] if isinstance(value, str) else value)),
        "discussion_minutes": raw.get("discussion_minutes", 0),
        "note": raw.get("note", "").strip(),
    }


def _day(fmt: str, day: str, blocks: list, *, sessions: set[int], seen: set[str]) -> list[dict]:
    """One day's blocks: ids not used before in the format, no longer than a working day."""
    parsed = []
    for position, raw in enumerate(blocks, start=1):
        where = _block_where(fmt, day, position, raw)
        block = _block(raw, where=where, sessions=sessions)
        if block["id"] in seen:
            raise content.ContentError(AGENDA_FILE, where, f"id {block['id']!r} is used twice")
        seen.add(block["id"])
        parsed.append(block)
    total = sum(b["minutes"] for b in parsed)
    if total > _MAX_DAY_MINUTES:
        raise content.ContentError(
            AGENDA_FILE, f"format {fmt}, {day}", f"the blocks add up to {total} minutes, "
            "more than a working day"
        )
    return parsed


def _format(fmt: str, days: Mapping, *, sessions: set[int], known: list[str]) -> list[list[dict]]:
    """One format's days, named day 1, day 2, ... in order, with a block for every session."""
    f = AGENDA_FILE
    if fmt not in known:
        raise content.ContentError(
            f, f"format {fmt}", f"unknown format; workshop.yaml has {', '.join(known)}"
        )
    expected = [f"day {n}" for n in range(1, len(days) + 1)]
    if list(days) != expected:
        raise content.ContentError(
            f, f"format {fmt}", f"days must be named {', '.join(expected)} in that order"
        )
    seen: set[str] = set()
    parsed = [_day(fmt, day, blocks, sessions=sessions, seen=seen)
              for day, blocks in days.items()]
    covered = {b["session"] for day in parsed for b in day if b["session"] is not None}
    missing = sorted(sessions - covered)
    if missing:
        raise content.ContentError(
            f, f"format {fmt}", f"no block for session(s) {', '.join(str(m) for m in missing)}"
        )
    return parsed


def load_agenda() -> dict[str, list[list[dict]]]:
    """Read and check ``data/agenda.yaml``.

    Returns ``{format_id: [day 1 blocks, day 2 blocks, ...]}``, each block a dict with id,
    title, kind, minutes, session, flexible, min_minutes, exercises (a tuple of the session
    file's exercise ids), discussion_minutes and note. The file's shape is checked by its
    schema (``content/schemas/agenda.yaml``); whether the exercises exist and fill their
    blocks is checked against the session files by :func:`exercise_mismatches` and
    :func:`duration_mismatches`. A problem raises :class:`rdlearn.content.loader.ContentError`
    naming the format, the block and what is wrong.
    """
    inputs = (content.load_yaml(AGENDA_FILE), content.load_yaml(content.WORKSHOP_FILE),
              content.workshop)
    return content.checked("agenda", _load_agenda, inputs, reads=())


def _load_agenda() -> dict[str, list[list[dict]]]:
    f = AGENDA_FILE
    data = schema.validate(content.load_yaml(f), "agenda", file=f)
    workshop = content.workshop()
    sessions = {s["number"] for s in workshop["sessions"]}
    known = [fmt["id"] for fmt in workshop["formats"]]
    result = {fmt: _format(fmt, days, sessions=sessions, known=known)
              for fmt, days in data["formats"].items()}
    absent = [fmt for fmt in known if fmt not in result]
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
                problems += _named(fmt, day_number, block, session_exercises, given)
        problems += _unplaced(fmt, given, session_exercises)
    return problems


def _named(fmt: str, day_number: int, block: Mapping, session_exercises: Mapping,
           given: dict[tuple[int, str], int]) -> list[str]:
    """Problems with the exercises one block names; adds its minutes to ``given``."""
    problems = []
    known = {e["id"]: e for e in session_exercises.get(block["session"], ())}
    where = f"{fmt}, day {day_number}, block {block['id']}"
    for exercise_id in block.get("exercises", ()):
        if exercise_id not in known:
            problems.append(f"{where}: session {block['session']} has no exercise {exercise_id!r}")
        elif fmt not in known[exercise_id]["minutes"]:
            problems.append(f"{where}: the session file does not run {exercise_id!r} in the "
                            f"{fmt} format")
        else:
            key = (block["session"], exercise_id)
            given[key] = given.get(key, 0) + block["minutes"]
    return problems


def _unplaced(fmt: str, given: Mapping[tuple[int, str], int],
              session_exercises: Mapping) -> list[str]:
    """Exercises timed in ``fmt`` that no block names, or that the blocks give too little."""
    problems = []
    for number, exercises in session_exercises.items():
        for exercise in exercises:
            wanted = exercise["minutes"].get(fmt)
            minutes = given.get((number, exercise["id"]))
            label = f"session {number} exercise {exercise['id']!r} ({exercise['title']})"
            if wanted is not None and minutes is None:
                problems.append(f"{fmt}: {label} takes {wanted} minutes but no session {number} "
                                "block of the agenda names it")
            elif wanted is not None and minutes < wanted:
                problems.append(f"{fmt}: {label} takes {wanted} minutes but the blocks naming "
                                f"it give {minutes}")
    return problems


def formats() -> list[dict]:
    """The workshop formats that have an agenda: ``[{"id", "name", "days"}]``."""
    plans = load_agenda()
    return [
        {"id": fmt["id"], "name": fmt["name"], "days": len(plans[fmt["id"]])}
        for fmt in content.workshop()["formats"]
    ]


def duration_mismatches(
    plans: Mapping[str, Sequence[Sequence[Mapping]]],
    session_exercises: Mapping[int, Sequence[Mapping]],
) -> list[tuple[str, str]]:
    """Blocks whose minutes are not their exercises' minutes plus their discussion minutes.

    A block holding exercises lasts exactly the minutes the session file gives them in that
    format plus its ``discussion_minutes``; a flexible one may not be shortened below its
    exercises' minutes. Blocks that share an exercise (one exercise longer than a block)
    are counted together. Blocks without exercises (theory, discussion only, breaks) are
    not compared, nor blocks naming an exercise that :func:`exercise_mismatches` reports.

    Parameters
    ----------
    plans
        The agenda, as returned by :func:`load_agenda`.
    session_exercises
        ``{session number: [exercise, ...]}``, as for :func:`exercise_mismatches`.

    Returns
    -------
    list of (str, str)
        ``(place, problem)`` for each mismatch in file order, the place as the loader names
        a block: ``format one-day, day 1, block 3 (s1-exercise)``.

    Examples
    --------
    >>> plans = {"one-day": [[{"id": "s1-pairs", "session": 1, "minutes": 11,
    ...     "flexible": False, "min_minutes": 11, "discussion_minutes": 0,
    ...     "exercises": ("talk",)}]]}
    >>> duration_mismatches(plans, {1: [{"id": "talk", "minutes": {"one-day": 20}}]})[0][1]
    'the block gives 11 minutes, but its exercise talk takes 20; make the block 20 minutes, \
or change the exercise in the session file'
    """
    problems = []
    for fmt, days in plans.items():
        for group in _sharing_exercises(fmt, days):
            problems += _group_mismatches(fmt, group, session_exercises)
    return problems


def _sharing_exercises(fmt: str, days: Sequence[Sequence[Mapping]]) -> list[list[tuple]]:
    """The blocks holding exercises as ``(place, block)``, grouped where they share one.

    The groups come in file order: by the first block of each.
    """
    groups: list[tuple[set, list[tuple]]] = []
    for day_number, day in enumerate(days, start=1):
        for position, block in enumerate(day, start=1):
            keys = {(block["session"], e) for e in block.get("exercises", ())}
            if not keys:
                continue
            where = f"format {fmt}, day {day_number}, block {position} ({block['id']})"
            joined = [g for g in groups if g[0] & keys]
            groups = [g for g in groups if not g[0] & keys]
            members = sorted([m for g in joined for m in g[1]] + [((day_number, position),
                                                                   where, block)])
            groups.append((keys.union(*(g[0] for g in joined)), members))
    groups.sort(key=lambda g: g[1][0][0])
    return [[(where, block) for _, where, block in members] for _, members in groups]


def _group_mismatches(fmt: str, group: list[tuple], session_exercises: Mapping) -> list:
    """The duration problems of one group of blocks (one block, unless they share exercises)."""
    needed: dict[str, int] = {}
    for _, block in group:
        known = {e["id"]: e for e in session_exercises.get(block["session"], ())}
        for exercise_id in block["exercises"]:
            if fmt not in known.get(exercise_id, {}).get("minutes", {}):
                return []  # named by exercise_mismatches
            needed[exercise_id] = known[exercise_id]["minutes"][fmt]
    where, what = group[0][0], "the block"
    if len(group) > 1:
        where = f"format {fmt}, blocks " + " and ".join(b["id"] for _, b in group)
        what = "the blocks together"
    total = sum(needed.values())
    if len(needed) == 1:
        names = f"its exercise {next(iter(needed))} takes"
    else:
        names = "its exercises " + " and ".join(f"{e} ({m})" for e, m in needed.items()) + " take"
    given = sum(b["minutes"] for _, b in group)
    discussion = sum(b.get("discussion_minutes", 0) for _, b in group)
    expected = total + discussion
    problems = []
    if given < expected:
        talk = f" and its discussion_minutes are {discussion}" if discussion else ""
        problems.append((where, f"{what} gives {given} minutes, but {names} {total}{talk}; "
                                f"make {what} {expected} minutes, or change the exercise in "
                                "the session file"))
    elif given > expected:
        problems.append((where, f"{what} gives {given} minutes, but {names} {total} and its "
                                f"discussion_minutes are {discussion}; give the "
                                f"{given - expected} minutes left over to discussion_minutes, "
                                f"or shorten {what}"))
    shortest = sum(b["min_minutes"] for _, b in group)
    if any(b["flexible"] for _, b in group) and shortest < total:
        problems.append((where, f"min_minutes {shortest} is below the {total} minutes {names}: "
                                "catching up may shorten discussion, never an exercise; make "
                                f"min_minutes {total} or more"))
    return problems
