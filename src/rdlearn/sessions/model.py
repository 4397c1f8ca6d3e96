"""The names of the former single sessions module, for callers that still import it here.

``handouts/build.py``, ``tests/test_handouts.py`` and ``content/loader.py``'s ``_CHECKS``
import ``rdlearn.sessions.model``. The code lives in :mod:`rdlearn.sessions.load` (loading
and checking), :mod:`rdlearn.sessions.render` (the HTML) and :mod:`rdlearn.sessions.guide`
(the guide's pages); new code imports from those. Remove this module once nothing imports it.
"""

from __future__ import annotations

from rdlearn.sessions.guide import facilitator_page, guide_pages, main, write_guide
from rdlearn.sessions.load import (
    DISCUSSION_GROUPS,
    EXERCISE_KINDS,
    FIGURES,
    WIDGET_KINDS,
    load_all,
    load_session,
    numbers_in,
    session_file,
)
from rdlearn.sessions.render import (
    discussion,
    exercise_card,
    header,
    inline,
    references,
    section,
    summary,
)

__all__ = [
    "EXERCISE_KINDS",
    "WIDGET_KINDS",
    "FIGURES",
    "DISCUSSION_GROUPS",
    "session_file",
    "load_session",
    "load_all",
    "numbers_in",
    "header",
    "section",
    "exercise_card",
    "discussion",
    "summary",
    "references",
    "inline",
    "facilitator_page",
    "guide_pages",
    "write_guide",
    "main",
]
