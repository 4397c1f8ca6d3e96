"""The day's plan.

Timed blocks (``blocks``), the timetable (``timetable``), re-planning (``replan``), the
facilitator notes (``notes``), and the running clock and notes panel (``widgets``).
"""

from rdlearn._lazy import exports

_NAMES = {
    "running_clock": "widgets",
    "notes_panel": "widgets",
    "load_agenda": "blocks",
    "Block": "timetable",
    "Replan": "replan",
    "load_notes": "notes",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
