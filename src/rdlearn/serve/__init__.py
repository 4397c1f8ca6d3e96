"""The served app.

Voilà with rdlearn's configuration and routes, the ``rdlearn`` command and the template.
"""

from rdlearn._lazy import exports

_NAMES = {
    "main": "cli",
    "ServeOptions": "app",
    "run": "app",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
