"""Self-checks.

Reflective instruments and the quiz, their scoring, widgets and charts.
"""

from rdlearn._lazy import exports

_NAMES = {
    "chronic_disconnection": "widgets",
    "connection_frequency": "widgets",
    "outcome_confidence": "widgets",
    "quiz": "widgets",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
