"""Self-checks.

Reflective instruments and the quiz: loading and checking (:mod:`.instruments`), scoring
(:mod:`.scoring`), the quiz's rules (:mod:`.quizzes`), the widgets (:mod:`.widgets`,
:mod:`.quiz_panel`) and the profile charts (:mod:`.figures`).
"""

from rdlearn._lazy import exports

_NAMES = {
    "chronic_disconnection": "widgets",
    "connection_frequency": "widgets",
    "outcome_confidence": "widgets",
    "quiz": "quiz_panel",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
