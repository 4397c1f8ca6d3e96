"""The timetable: the agenda's blocks laid end to end from a day's start.

Start and end times are computed from the minutes in ``data/agenda.yaml``, never typed
twice; times of day are minutes since midnight, shown as ``HH:MM``.

Examples
--------
>>> day = agenda("one-day", start="9:30")
>>> day[0].start, day[-1].end
('09:30', '16:30')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence

from rdlearn.agenda.blocks import KINDS, load_agenda

__all__ = ["Block", "agenda", "block_at", "clock_text", "parse_time"]

_DAY_MINUTES = 24 * 60

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
        """Minutes since midnight when the block ends."""
        return self.start_minute + self.minutes

    @property
    def start(self) -> str:
        """The start as ``HH:MM``."""
        return clock_text(self.start_minute)

    @property
    def end(self) -> str:
        """The end as ``HH:MM``."""
        return clock_text(self.end_minute)

    @property
    def kind_label(self) -> str:
        """The kind in the words shown to the room, such as "Theory input"."""
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
