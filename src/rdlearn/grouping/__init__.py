"""Random pairs and triads with roles, and the facilitator's pairing panel."""

from rdlearn._lazy import exports

_NAMES = {
    "pairing": "rdlearn.agenda.widgets",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
