"""The projected countdown.

Its arithmetic (``countdown``), its widget (``widget``) and ``timer.js``.
"""

from rdlearn._lazy import exports

_NAMES = {
    "timer": "widget",
    "rounds": "widget",
    "Countdown": "countdown",
    "format_remaining": "countdown",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
