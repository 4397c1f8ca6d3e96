"""The connection-rating exercise (after Cooper, 2012).

Its rules, storage, synchrony statistics and widgets.
"""

from rdlearn._lazy import exports

_NAMES = {
    "connection_rating": "widgets",
    "room_connection_view": "widgets",
    "demonstration": "widgets",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
