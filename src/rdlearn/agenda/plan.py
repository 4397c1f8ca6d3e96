"""The names ``rdlearn check`` still looks up here (``content/loader.py``'s ``_CHECKS``).

Nothing else belongs here: the agenda file is :mod:`rdlearn.agenda.blocks`, the notes
:mod:`rdlearn.agenda.notes`, and the agenda-against-sessions check
:mod:`rdlearn.content.checks`. Remove this module once ``_CHECKS`` names those.
"""

from __future__ import annotations

from rdlearn.agenda.blocks import load_agenda
from rdlearn.agenda.notes import load_notes
from rdlearn.content.checks import check_agenda_against_sessions as check_against_sessions

__all__ = ["check_against_sessions", "load_agenda", "load_notes"]
