"""Printable handouts.

One HTML page and one PDF per session.
"""

from rdlearn._lazy import exports

_NAMES = {
    "handout_html": "build",
    "write_handouts": "build",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
