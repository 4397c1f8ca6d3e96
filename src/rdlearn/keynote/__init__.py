"""The research keynote.

The deck from ``data/keynote.yaml`` (:mod:`.deck`), the slides widget (:mod:`.show`) and
the hall view (:mod:`.hall`).
"""

from rdlearn._lazy import exports

_NAMES = {
    "slides": "show",
    "hall_panel": "hall",
    "load_keynote": "deck",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
