"""Content as data.

Loading and checking ``data/``, and the research findings with their sources.
"""

from rdlearn._lazy import exports

_NAMES = {
    "ContentError": "errors",
    "ContentWarning": "errors",
    "data_dir": "loader",
    "load_yaml": "loader",
    "load_csv": "loader",
    "workshop": "loader",
    "finding": "findings",
    "source": "findings",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = exports(__name__, _NAMES)
