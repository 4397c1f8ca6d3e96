"""Cross-checks between content files: what one data file says must agree with another.

Each check raises :class:`~rdlearn.content.loader.ContentError` on the first problem and is
run by ``rdlearn check``. The loaders of the single files stay with their features; only the
checks that read two features' files live here, so neither feature imports the other.
"""

from __future__ import annotations

from rdlearn.agenda import blocks
from rdlearn.content.loader import ContentError
from rdlearn.sessions import load as sessions

__all__ = ["check_agenda_against_sessions"]


def check_agenda_against_sessions() -> None:
    """Raise :class:`ContentError` when the agenda and the session files disagree.

    Two comparisons, first :func:`rdlearn.agenda.blocks.duration_mismatches` (a block holding
    exercises lasts exactly their minutes plus its ``discussion_minutes``; a flexible one is
    never shortened below its exercises), then
    :func:`rdlearn.agenda.blocks.exercise_mismatches` (every exercise named where it runs).
    """
    plans = blocks.load_agenda()
    exercises = {n: s["exercises"] for n, s in sessions.load_all().items()}
    durations = blocks.duration_mismatches(plans, exercises)
    if durations:
        where, problem = durations[0]
        raise ContentError(blocks.AGENDA_FILE, where, problem)
    problems = blocks.exercise_mismatches(plans, exercises)
    if problems:
        raise ContentError(blocks.AGENDA_FILE, "exercises", problems[0])
