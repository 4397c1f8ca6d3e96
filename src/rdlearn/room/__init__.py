"""The room's anonymous questions.

The questions, the store, the participant widgets, the facilitator console and the hall's
audience page.
"""

from rdlearn._lazy import exports

_NAMES = {
    "join": "widgets",
    "ask": "widgets",
    "console": "widgets",
    "Store": "store",
    "StoreError": "store",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
