"""The connection-rating exercise (after Cooper, 2012).

Its rules (``exercise``), storage (``store``), synchrony statistics (``synchrony``), the
simulated pair (``simulation``), charts (``figures``), the pair's widgets (``widgets``,
with ``connection.js``) and what a pair and the room see afterwards (``results``).
"""

from rdlearn._lazy import exports

_NAMES = {
    "connection_rating": "widgets",
    "room_connection_view": "results",
    "demonstration": "results",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
