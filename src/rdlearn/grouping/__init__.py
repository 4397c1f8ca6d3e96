"""Random pairs and triads with roles.

The search (``groups``) and the facilitator's pairing panel (``widget``).
"""

from rdlearn._lazy import exports

_NAMES = {
    "pairing": "widget",
    "make_groups": "groups",
    "Group": "groups",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
