"""The projected countdown.

Its arithmetic, its widget and ``timer.js``.
"""

from rdlearn._lazy import exports

_NAMES = {
    "timer": "rdlearn.agenda.widgets",
    "Countdown": "rdlearn.agenda.plan",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
