"""The day's plan.

Timed blocks, the timetable, re-planning, the running clock and the facilitator notes.
"""

from rdlearn._lazy import exports

_NAMES = {
    "running_clock": "widgets",
    "notes_panel": "widgets",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
