"""The facilitator's toolkit, without widgets: agendas, re-planning, a countdown, pairing.

Everything here is plain arithmetic on plain values, so it can be tested without a browser
and reused by the widgets in :mod:`rdlearn.agenda.widgets`.

- :func:`agenda` turns the timed blocks of ``data/agenda.yaml`` into a timetable (start and
  end times are computed from the minutes, never typed twice).
- :func:`replan` moves the rest of the day when a block runs over, and can shorten the
  blocks marked flexible to catch up.
- :class:`Countdown` is a countdown whose remaining time is read from a clock, so it never
  drifts; tests inject a fake clock.
- :func:`make_groups` forms pairs, triads or small groups, avoiding repeat partners across
  rounds and rotating the roles of speaker, listener and observer.
- :func:`notes` returns the facilitator's notes for a session or the keynote.

Examples
--------
>>> day = agenda("one-day", start="9:30")
>>> day[0].start, day[-1].end
('09:30', '16:30')
>>> later = replan(day, now="10:10", current_index=0)
>>> later.overrun_minutes, later.finish
(10, '16:40')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from rdlearn.content import loader as content

__all__ = [
    "KINDS",
    "Block",
    "Replan",
    "Countdown",
    "Group",
    "ROLES",
    "load_agenda",
    "exercise_mismatches",
    "formats",
    "agenda",
    "parse_time",
    "clock_text",
    "block_at",
    "replan",
    "format_remaining",
    "parse_names",
    "clean_names",
    "make_groups",
    "group_sizes",
    "load_notes",
    "notes",
    "MAX_PEOPLE",
]

AGENDA_FILE = "agenda.yaml"
NOTES_FILE = "facilitator_notes.yaml"

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
_DAY_MINUTES = 24 * 60

# --------------------------------------------------------------------------- times of day

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time(text: str | _dt.time) -> int:
    """Read a time of day such as ``"9:30"``, ``"09:30"`` or ``"14:05"``.

    Returns the minutes since midnight. Anything else raises ``ValueError`` with a message
    for the facilitator.

    >>> parse_time("9:30"), parse_time("14:05")
    (570, 845)
    """
    if isinstance(text, _dt.time):
        return text.hour * 60 + text.minute
    if not isinstance(text, str):
        raise ValueError("Type a time of day such as 09:30 or 14:05.")
    match = _TIME.match(text)
    if not match:
        shown = text.strip()[:20] or "an empty box"
        raise ValueError(f"{shown!r} is not a time of day; type it like 09:30 or 14:05.")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(
            f"{text.strip()!r} is not a time of day: hours go from 0 to 23 and minutes "
            "from 00 to 59."
        )
    return hours * 60 + minutes


def clock_text(minute_of_day: int) -> str:
    """Minutes since midnight as ``HH:MM`` (past midnight wraps round).

    >>> clock_text(570)
    '09:30'
    """
    minute_of_day %= _DAY_MINUTES
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


# --------------------------------------------------------------------------- the agenda file


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


def check_against_sessions() -> None:
    """Raise :class:`ContentError` when the agenda and the session files disagree.

    Run by ``rdlearn check``: see :func:`exercise_mismatches`.
    """
    from rdlearn.sessions import model as sessions

    plans = load_agenda()
    problems = exercise_mismatches(
        plans, {n: s["exercises"] for n, s in sessions.load_all().items()}
    )
    if problems:
        raise content.ContentError(AGENDA_FILE, "exercises", problems[0])


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


# --------------------------------------------------------------------------- timetable


@dataclasses.dataclass(frozen=True)
class Block:
    """One timed block of the agenda.

    ``start_minute`` and ``end_minute`` count minutes since midnight of the block's ``day``;
    ``start`` and ``end`` give them as ``HH:MM``. ``planned_minutes`` is the length in the
    data file, so a re-planned block can say how it changed. ``exercises`` are the ids of
    the session file's exercises the block holds.
    """

    id: str
    title: str
    kind: str
    minutes: int
    day: int
    start_minute: int
    session: int | None = None
    flexible: bool = False
    min_minutes: int = 0
    note: str = ""
    planned_minutes: int = 0
    exercises: tuple[str, ...] = ()

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.minutes

    @property
    def start(self) -> str:
        return clock_text(self.start_minute)

    @property
    def end(self) -> str:
        return clock_text(self.end_minute)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def _timed(blocks: Iterable[Block], day_starts: Mapping[int, int]) -> list[Block]:
    """Lay blocks end to end from each day's start."""
    clock = dict(day_starts)
    laid = []
    for block in blocks:
        laid.append(dataclasses.replace(block, start_minute=clock[block.day]))
        clock[block.day] += block.minutes
    return laid


def agenda(format_id: str, *, start: str | _dt.time = "09:30") -> list[Block]:
    """The timetable of a workshop format, each day starting at ``start``.

    Parameters
    ----------
    format_id
        ``"one-day"`` or ``"two-day"`` (the ids in ``workshop.yaml``).
    start
        When each day begins, such as ``"9:30"`` or ``"09:30"``.

    Returns
    -------
    list of Block
        In order, with start and end times computed from the minutes.
    """
    plans = load_agenda()
    if format_id not in plans:
        raise ValueError(
            f"There is no agenda for {format_id!r}; choose one of {', '.join(plans)}."
        )
    first = parse_time(start)
    blocks = []
    for day_number, day in enumerate(plans[format_id], start=1):
        total = sum(b["minutes"] for b in day)
        if first + total > _DAY_MINUTES:
            raise ValueError(
                f"Starting at {clock_text(first)}, day {day_number} ({total} minutes) would "
                "run past midnight; choose an earlier start."
            )
        for raw in day:
            blocks.append(
                Block(
                    id=raw["id"], title=raw["title"], kind=raw["kind"], minutes=raw["minutes"],
                    day=day_number, start_minute=0, session=raw["session"],
                    flexible=raw["flexible"], min_minutes=raw["min_minutes"], note=raw["note"],
                    planned_minutes=raw["minutes"], exercises=raw["exercises"],
                )
            )
    return _timed(blocks, {d: first for d in range(1, len(plans[format_id]) + 1)})


def block_at(blocks: Sequence[Block], now: str | _dt.time, *, day: int = 1) -> int | None:
    """The index of the block running at ``now`` on ``day``, or ``None`` outside the day."""
    minute = parse_time(now)
    for index, block in enumerate(blocks):
        if block.day == day and block.start_minute <= minute < block.end_minute:
            return index
    return None


# --------------------------------------------------------------------------- re-planning


@dataclasses.dataclass(frozen=True)
class Replan:
    """What :func:`replan` found: the new timetable and what changed."""

    blocks: list[Block]
    current_index: int
    overrun_minutes: int
    recovered_minutes: int
    planned_finish: str
    finish: str
    changes: list[str]

    @property
    def current(self) -> Block:
        return self.blocks[self.current_index]

    @property
    def late_by(self) -> int:
        """Minutes the day now ends after the plan (0 when it is back on time)."""
        return self.overrun_minutes - self.recovered_minutes

    @property
    def summary(self) -> str:
        """One or two sentences for the facilitator."""
        if self.overrun_minutes == 0:
            return f"{self.current.title}: on time. The day ends at {self.finish}."
        text = f"{self.current.title}: {_minutes(self.overrun_minutes)} over time. "
        if self.recovered_minutes:
            text += f"Shortening flexible blocks wins back {_minutes(self.recovered_minutes)}. "
        if self.late_by:
            text += (
                f"The day now ends at {self.finish} instead of {self.planned_finish} "
                f"({_minutes(self.late_by)} late)."
            )
        else:
            text += f"The day still ends at {self.finish}."
        return text


def _minutes(n: int) -> str:
    return f"{n} minute" + ("" if n == 1 else "s")


def replan(
    blocks: Sequence[Block],
    *,
    now: str | _dt.time | None,
    current_index: int,
    ran_over: int = 0,
    recover: bool = False,
) -> Replan:
    """Re-plan the rest of a day after a block runs over.

    The block at ``current_index`` ends at ``now`` if it is still running past its planned
    end, or ``ran_over`` minutes late, whichever is later. Every later block of the same
    day moves by that overrun (other days keep their times). With ``recover=True``, later
    flexible blocks of the same day are shortened, in order, never below their
    ``min_minutes``, to win the time back.

    Parameters
    ----------
    blocks
        A timetable from :func:`agenda` (or from an earlier :func:`replan`).
    now
        The time of day, such as ``"10:40"``; ``None`` to use ``ran_over`` alone.
    current_index
        The position of the block that is running (or that ran over).
    ran_over
        Minutes the facilitator says the block ran over (0 to 180).
    recover
        Shorten flexible blocks to catch up.
    """
    blocks = list(blocks)
    if not blocks:
        raise ValueError("The agenda is empty.")
    if not _whole(current_index) or not 0 <= current_index < len(blocks):
        raise ValueError(f"Choose a block from 1 to {len(blocks)}.")
    if not _whole(ran_over) or not 0 <= ran_over <= 180:
        raise ValueError("The overrun must be a whole number of minutes from 0 to 180.")
    current = blocks[current_index]
    day_blocks = [i for i, b in enumerate(blocks) if b.day == current.day]
    planned_end_of_day = blocks[day_blocks[-1]].end_minute
    new_end = current.end_minute + ran_over
    if now is not None:
        minute = parse_time(now)
        if current.start_minute <= minute:
            new_end = max(new_end, minute)
    overrun = new_end - current.end_minute

    lengths = {i: b.minutes for i, b in enumerate(blocks)}
    lengths[current_index] += overrun
    changes = []
    if overrun:
        changes.append(
            f"{current.title}: ran {_minutes(overrun)} over (now ends {clock_text(new_end)})."
        )
    recovered = 0
    if recover and overrun:
        for i in day_blocks:
            if i <= current_index or recovered >= overrun:
                continue
            block = blocks[i]
            spare = block.minutes - block.min_minutes if block.flexible else 0
            cut = min(spare, overrun - recovered)
            if cut > 0:
                lengths[i] -= cut
                recovered += cut
                changes.append(
                    f"{block.title}: shortened from {block.minutes} to {lengths[i]} minutes."
                )
    resized = [dataclasses.replace(b, minutes=lengths[i]) for i, b in enumerate(blocks)]
    day_starts = {}
    for b in blocks:
        day_starts.setdefault(b.day, b.start_minute)
    new_blocks = _timed(resized, day_starts)
    finish = new_blocks[day_blocks[-1]].end_minute
    return Replan(
        blocks=new_blocks,
        current_index=current_index,
        overrun_minutes=overrun,
        recovered_minutes=recovered,
        planned_finish=clock_text(planned_end_of_day),
        finish=clock_text(finish),
        changes=changes,
    )


# --------------------------------------------------------------------------- countdown


class Countdown:
    """A countdown read from a clock, so it cannot drift.

    The remaining time is always ``duration - time spent running``, measured by the clock
    at the moment you ask; nothing is counted tick by tick. Pass a fake ``clock`` in tests.

    Parameters
    ----------
    duration_s
        Length in seconds (above 0).
    clock
        A function returning seconds, such as ``time.monotonic`` (the default).

    Examples
    --------
    >>> now = [0.0]
    >>> c = Countdown(60, clock=lambda: now[0])
    >>> c.start(); now[0] = 15.0; c.pause(); now[0] = 100.0
    >>> c.remaining()
    45.0
    """

    def __init__(self, duration_s: float, *, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self.reset(duration_s)

    def reset(self, duration_s: float | None = None) -> None:
        """Back to the full duration, not running (optionally with a new duration)."""
        if duration_s is not None:
            if isinstance(duration_s, bool) or not isinstance(duration_s, int | float) or not (
                0 < duration_s <= 24 * 3600
            ):
                raise ValueError("A countdown needs a length above 0 seconds and at most a day.")
            self.duration_s = float(duration_s)
        self._spent_before = 0.0
        self._started_at: float | None = None

    def start(self) -> None:
        """Start (or resume) counting down; does nothing if already running or finished."""
        if self._started_at is None and not self.finished:
            self._started_at = self._clock()

    def pause(self) -> None:
        """Stop counting, keeping the remaining time exactly."""
        if self._started_at is not None:
            self._spent_before += self._clock() - self._started_at
            self._started_at = None

    resume = start

    def elapsed(self) -> float:
        """Seconds spent running so far (pauses excluded)."""
        spent = self._spent_before
        if self._started_at is not None:
            spent += self._clock() - self._started_at
        return min(spent, self.duration_s)

    def remaining(self) -> float:
        """Seconds left, never below 0."""
        return max(0.0, self.duration_s - self.elapsed())

    @property
    def running(self) -> bool:
        return self._started_at is not None and not self.finished

    @property
    def finished(self) -> bool:
        spent = self._spent_before
        if self._started_at is not None:
            spent += self._clock() - self._started_at
        return spent >= self.duration_s

    @property
    def state(self) -> str:
        """``"ready"``, ``"running"``, ``"paused"`` or ``"finished"``."""
        if self.finished:
            return "finished"
        if self._started_at is not None:
            return "running"
        return "paused" if self._spent_before > 0 else "ready"

    def text(self) -> str:
        """The remaining time as the big digits show it (``MM:SS``)."""
        return format_remaining(self.remaining())


def format_remaining(seconds: float) -> str:
    """Seconds left as ``MM:SS``, rounding up so ``00:00`` appears only at the end.

    >>> format_remaining(59.2), format_remaining(0)
    ('01:00', '00:00')
    """
    whole = max(0, -int(-seconds // 1))
    return f"{whole // 60:02d}:{whole % 60:02d}"


# --------------------------------------------------------------------------- pairing

#: The largest room the pairing tool accepts.
MAX_PEOPLE = 200
_MAX_NAME = 40

#: Roles by group size: the first is the one who talks, the second the one who listens.
ROLES: dict[int, tuple[str, ...]] = {
    2: ("speaker", "listener"),
    3: ("speaker", "listener", "observer"),
}


def _roles_for(size: int) -> tuple[str, ...]:
    return ROLES.get(size, ("speaker", "listener") + ("observer",) * (size - 2))


@dataclasses.dataclass(frozen=True)
class Group:
    """One pair or small group: ``members`` and their ``roles`` in the same order."""

    members: tuple[str, ...]
    roles: tuple[str, ...]

    def role_of(self, name: str) -> str:
        return self.roles[self.members.index(name)]


def parse_names(text: str) -> list[str]:
    """Split what was typed in a names box (one per line, or separated by commas)."""
    if not isinstance(text, str):
        return []
    return [part for part in re.split(r"[\n,;]+", text) if part.strip()]


def clean_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Strip names and drop repeats (ignoring case).

    Returns ``(names, notes)``: the names to use, and messages about what was dropped.
    Raises ``ValueError`` for a name that is too long.
    """
    kept: list[str] = []
    seen: set[str] = set()
    notes = []
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > _MAX_NAME:
            raise ValueError(
                f"The name {name[:20]!r}... is longer than {_MAX_NAME} characters; "
                "a first name is enough."
            )
        key = name.casefold()
        if key in seen:
            notes.append(f"{name} appears twice; listed once. Add an initial to tell two apart.")
            continue
        seen.add(key)
        kept.append(name)
    return kept, notes


def _people(people: int | Iterable[str]) -> list[str]:
    if isinstance(people, bool):
        raise ValueError("Give a head count or a list of first names.")
    if isinstance(people, int):
        if not 2 <= people <= MAX_PEOPLE:
            raise ValueError(f"The head count must be from 2 to {MAX_PEOPLE}.")
        return [f"Person {n}" for n in range(1, people + 1)]
    if isinstance(people, str):
        people = parse_names(people)
    names, _ = clean_names(people)
    if len(names) < 2:
        raise ValueError("Type at least two names, or give a head count instead.")
    if len(names) > MAX_PEOPLE:
        raise ValueError(f"That is {len(names)} names; the tool takes at most {MAX_PEOPLE}.")
    return names


def group_sizes(count: int, size: int) -> list[int]:
    """How to split ``count`` people into groups close to ``size``, nobody left alone.

    >>> group_sizes(7, 2), group_sizes(7, 3), group_sizes(10, 4)
    ([3, 2, 2], [4, 3], [4, 3, 3])
    """
    best: tuple[int, list[int]] | None = None
    for groups in sorted({max(1, count // size), max(1, -(-count // size))}, reverse=True):
        base, extra = divmod(count, groups)
        sizes = [base + 1] * extra + [base] * (groups - extra)
        if min(sizes) < 2:
            continue
        cost = sum(abs(s - size) for s in sizes)
        if best is None or cost < best[0]:
            best = (cost, sizes)
    assert best is not None  # count >= 2 always allows one group
    return best[1]


def _history_counts(history: Iterable[Iterable[Any]]) -> tuple[Counter, dict[str, Counter]]:
    together: Counter = Counter()
    roles: dict[str, Counter] = {}
    for past_round in history or ():
        for group in past_round:
            members = group.members if isinstance(group, Group) else tuple(group)
            for a, b in itertools.combinations(members, 2):
                together[frozenset((a, b))] += 1
            if isinstance(group, Group):
                for name, role in zip(group.members, group.roles, strict=True):
                    roles.setdefault(name, Counter())[role] += 1
    return together, roles


def _grouping_cost(groups: Sequence[Sequence[str]], together: Counter) -> int:
    return sum(
        together[frozenset(pair)] for g in groups for pair in itertools.combinations(g, 2)
    )


def _best_grouping(
    people: list[str], sizes: list[int], together: Counter, rng: random.Random
) -> list[list[str]]:
    """Groups of the given sizes with as few repeat pairings as the search can find.

    An exhaustive search with pruning (exact for a small room), then swaps between groups
    to improve on it where the search had to stop early.
    """
    order = people[:]
    rng.shuffle(order)
    budget = [20000]
    best: list[Any] = [None, None]  # cost, groups

    def search(remaining: list[str], sizes_left: list[int], built: list[list[str]], cost: int):
        if best[0] is not None and (cost >= best[0] or budget[0] <= 0):
            return
        if not remaining:
            best[0], best[1] = cost, [g[:] for g in built]
            return
        budget[0] -= 1
        first, rest = remaining[0], remaining[1:]
        for size in sorted(set(sizes_left), reverse=True):
            left = sizes_left[:]
            left.remove(size)
            for mates in itertools.combinations(rest, size - 1):
                group = [first, *mates]
                added = _grouping_cost([group], together)
                built.append(group)
                search([p for p in rest if p not in mates], left, built, cost + added)
                built.pop()
                if best[0] == 0 or (best[0] is not None and budget[0] <= 0):
                    return

    search(order, sizes, [], 0)
    groups = best[1]
    improved = best[0] > 0
    while improved:
        improved = False
        for gi, gj in itertools.combinations(range(len(groups)), 2):
            for a, b in itertools.product(range(len(groups[gi])), range(len(groups[gj]))):
                before = _grouping_cost([groups[gi], groups[gj]], together)
                groups[gi][a], groups[gj][b] = groups[gj][b], groups[gi][a]
                if _grouping_cost([groups[gi], groups[gj]], together) < before:
                    improved = True
                else:
                    groups[gi][a], groups[gj][b] = groups[gj][b], groups[gi][a]
    return groups


def _assign_roles(group: list[str], roles: dict[str, Counter], rng: random.Random) -> Group:
    """Give each member the role they have had least often (ties broken at random)."""
    wanted = _roles_for(len(group))
    options = list(itertools.permutations(group))
    rng.shuffle(options)
    best = min(
        options,
        key=lambda order: sum(
            roles.get(name, Counter())[role] for name, role in zip(order, wanted, strict=True)
        ),
    )
    return Group(members=tuple(best), roles=wanted)


def make_groups(
    people: int | Iterable[str],
    *,
    size: int = 2,
    rng: random.Random | None = None,
    history: Sequence[Sequence[Group | Sequence[str]]] = (),
) -> list[Group]:
    """Form pairs (or triads, or groups of four) for one round of an exercise.

    Parameters
    ----------
    people
        A head count (``8`` gives "Person 1" to "Person 8") or a list of first names
        (stripped; repeats ignoring case are listed once).
    size
        2, 3 or 4. With an odd number of people in pairs, one group becomes a triad so that
        nobody is left alone.
    rng
        A ``random.Random`` (pass one with a seed to repeat a result).
    history
        Earlier rounds (lists of groups from this function). Repeat partners are kept as
        few as possible, and roles rotate: each person gets the role they have had least.

    Returns
    -------
    list of Group
        Each with its ``members`` and their ``roles`` (speaker, listener, observer).
    """
    if isinstance(size, bool) or size not in (2, 3, 4):
        raise ValueError("The group size must be 2, 3 or 4.")
    names = _people(people)
    rng = rng if rng is not None else random.Random()
    together, roles = _history_counts(history)
    groups = _best_grouping(names, group_sizes(len(names), size), together, rng)
    return [_assign_roles(g, roles, rng) for g in groups]


# --------------------------------------------------------------------------- notes

_NOTE_SECTIONS = ("aims", "watch_for", "distress", "timing")


def _text_list(value: Any, *, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise content.ContentError(NOTES_FILE, where, "expected a list of points")
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise content.ContentError(NOTES_FILE, f"{where}, point {i}", "must be text")
    return [item.strip() for item in value]


def load_notes() -> dict[int | str, dict]:
    """Read and check ``data/facilitator_notes.yaml``.

    Returns ``{1: {...}, 2: ..., 4: ..., "keynote": {...}}``, each with a title and the
    lists aims, watch_for, distress (the points for every session first) and timing.
    """
    f = NOTES_FILE
    data = content.load_yaml(f)
    content.require(data, [("every_session", dict), ("notes", list)], file=f, where="top level")
    shared = _text_list(data["every_session"].get("distress"), where="every_session, distress")
    titles: dict[int | str, str] = {
        s["number"]: f"Session {s['number']}: {s['title']}" for s in content.workshop()["sessions"]
    }
    titles["keynote"] = "Keynote: the research on relational depth"
    result: dict[int | str, dict] = {}
    for i, raw in enumerate(data["notes"], start=1):
        where = f"notes item {i}"
        if not isinstance(raw, Mapping) or "session" not in raw:
            raise content.ContentError(f, where, "'session' is missing (1-4 or keynote)")
        key = raw["session"]
        if key not in titles or isinstance(key, bool):
            raise content.ContentError(
                f, where, f"session {key!r} is not a session in workshop.yaml or 'keynote'"
            )
        if key in result:
            raise content.ContentError(f, where, f"session {key!r} has notes twice")
        where = f"notes for session {key}"
        entry = {"session": key, "title": titles[key]}
        for section in _NOTE_SECTIONS:
            entry[section] = _text_list(raw.get(section), where=f"{where}, {section}")
        entry["distress"] = shared + entry["distress"]
        result[key] = entry
    missing = [str(k) for k in titles if k not in result]
    if missing:
        raise content.ContentError(f, "notes", f"no notes for session(s) {', '.join(missing)}")
    return result


def notes(session: int | str) -> dict:
    """The facilitator's notes for a session (1-4) or ``"keynote"``.

    A dict with ``title`` and the lists ``aims``, ``watch_for``, ``distress``, ``timing``.
    """
    everything = load_notes()
    if session not in everything or isinstance(session, bool):
        choices = ", ".join(str(k) for k in everything)
        raise ValueError(f"There are no notes for {session!r}; choose one of {choices}.")
    return everything[session]
