"""rdlearn: run a workshop or keynote on relational depth from one laptop.

The notebooks in ``notebooks/`` import this package, call it and display what it returns.
Its feature subpackages (ARCHITECTURE.md maps them) are imported on first use, so that a
participant's page loads only what it needs.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = {
    "content",
    "web",
    "figures",
    "sessions",
    "agenda",
    "timer",
    "grouping",
    "room",
    "connection",
    "selfcheck",
    "journal",
    "keynote",
    "handouts",
    "serve",
}

__all__ = sorted(_SUBMODULES | {"__version__"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"rdlearn.{name}")
    raise AttributeError(f"module 'rdlearn' has no attribute {name!r}")
