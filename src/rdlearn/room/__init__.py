"""The room's anonymous questions.

The questions, the store, the participant widgets, the facilitator console (in
``facilitator_console``, so that the name ``console`` stays the function), the room's
charts and the hall's audience page.
"""

from rdlearn._lazy import exports

_NAMES = {
    "join": "widgets",
    "ask": "widgets",
    "console": "facilitator_console",
    "Store": "store",
    "StoreError": "store",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
