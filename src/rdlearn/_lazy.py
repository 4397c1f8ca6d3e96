"""Lazy exports for the feature subpackages: a name is imported when first used.

A participant's page imports only what it calls, so ``from rdlearn import timer`` must not
import plotly or the room's store. Each subpackage's ``__init__`` lists its public names and
the module that holds each one; :func:`exports` returns the module-level ``__getattr__`` and
``__dir__`` (PEP 562) that import that module on first use.

An exported name must differ from the subpackage's module names: once ``rdlearn.x.y`` is
imported, the attribute ``y`` of ``rdlearn.x`` is that module.

>>> getattr_, dir_ = exports("rdlearn.web", {"esc": "html"})
>>> getattr_("esc")("<b>")
'&lt;b&gt;'
>>> dir_()
['esc']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["exports"]


def exports(package: str, names: dict[str, str]) -> tuple[Callable[[str], Any],
                                                          Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose ``names`` map to modules.

    A module is named relative to ``package`` (``"widget"``) or absolutely
    (``"rdlearn.timer.widget"``).
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = names[name]
        target = module if module.startswith("rdlearn.") else f"{package}.{module}"
        return getattr(importlib.import_module(target), name)

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
