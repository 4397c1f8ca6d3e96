"""The research keynote.

The deck from ``data/keynote.yaml``, the slides widget and the hall view.
"""

from rdlearn._lazy import exports

_NAMES = {
    "slides": "deck",
    "hall_panel": "deck",
    "load_keynote": "deck",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
