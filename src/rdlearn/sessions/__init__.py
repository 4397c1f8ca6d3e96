"""The four sessions.

Their content model (``load``), its rendering (``render``), the facilitator guide's pages
(``guide``), the landing page and the notebook generator.
"""

from rdlearn._lazy import exports

_NAMES = {
    "header": "render",
    "section": "render",
    "exercise_card": "render",
    "discussion": "render",
    "summary": "render",
    "references": "render",
    "load_session": "load",
    "welcome": "landing",
    "day": "day_page",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
