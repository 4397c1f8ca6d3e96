"""The four sessions.

Their content model, rendering, the facilitator guide, the landing page and the notebook
generator.
"""

from rdlearn._lazy import exports

_NAMES = {
    "header": "model",
    "section": "model",
    "exercise_card": "model",
    "discussion": "model",
    "summary": "model",
    "references": "model",
    "load_session": "model",
    "welcome": "landing",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
