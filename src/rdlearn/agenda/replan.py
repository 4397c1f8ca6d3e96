"""Re-planning: the rest of the day moved when a block runs over.

:func:`replan` can also shorten the blocks marked flexible to win the time back.

Examples
--------
>>> from rdlearn.agenda.timetable import agenda
>>> later = replan(agenda("one-day", start="9:30"), now="10:10", current_index=0)  # 25-min welcome
>>> later.overrun_minutes, later.finish
(15, '16:45')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Sequence
from typing import Any

from rdlearn.agenda.timetable import Block, _timed, clock_text, parse_time

__all__ = ["Replan", "replan"]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
        """The block that ran over, as re-planned."""
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
