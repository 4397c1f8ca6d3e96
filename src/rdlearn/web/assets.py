"""The browser code of rdlearn's widgets: sent once per browser, not once per widget.

An anywidget sends its whole ``_esm`` and ``_css`` with every instance's state: session 1
held seven journal entries and three stores, and the kernel sent 620 KB of widget state to
each participant, 365 KB of it the same JavaScript and CSS again and again. When the page
is served by ``rdlearn serve`` (which sets :data:`SERVED_VARIABLE` for its kernels), a
widget sends a few lines instead that import the module from the app's own address
(``rdlearn/assets/<file>?v=<hash>``), which the browser fetches once and then keeps. Run
anywhere else (JupyterLab, nbval, a script), the widget carries its code as before.

Each feature keeps its browser code beside its Python (``timer/timer.js``,
``journal/journal.js``...); a file is named by its base name alone, unique across rdlearn.

>>> path("timer.js").parent.name
'timer'
>>> esm("timer.js", served=False).startswith("// rdlearn countdown timer")
True
>>> "import(" in esm("timer.js", served=True)
True

A module may import another asset by its base name (``import { h } from "./widgetkit.js";``).
Served, the import carries the imported file's version, and a file's version covers what it
imports; anywhere else, the imported module is inlined as a ``data:`` URL.

>>> 'from "./widgetkit.js?v=' in source("journal.js") or "widgetkit" not in source("journal.js")
True
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path

__all__ = ["ASSET_PATTERN", "PACKAGE", "SERVED_VARIABLE", "css", "esm", "files", "path",
           "imports", "source", "version"]

#: The rdlearn package folder: every feature's browser code lies one level below it.
PACKAGE = Path(__file__).resolve().parents[1]
SERVED_VARIABLE = "RDLEARN_SERVED_ASSETS"
#: The file names the server hands out (a base name only: no folders, no other files).
ASSET_PATTERN = r"([a-z_]+\.(?:js|css))"


@cache
def files() -> dict[str, Path]:
    """Every feature's browser code by its base name (``timer.js`` -> ``timer/timer.js``)."""
    found: dict[str, Path] = {}
    for file in sorted(PACKAGE.glob("*/*")):
        if file.suffix in (".js", ".css") and re.fullmatch(ASSET_PATTERN, file.name):
            if file.name in found:
                raise RuntimeError(f"two browser files named {file.name}: {found[file.name]}"
                                   f" and {file}")
            found[file.name] = file
    return found


def path(name: str) -> Path:
    """The file of the asset ``name``; :class:`KeyError` if no feature has one."""
    return files()[name]

#: What a served widget sends instead of its code (``__CSS__``, ``__PRELOAD__`` and ``__JS__``
#: filled in), without the template's comment lines.
_STUB = "".join(
    line for line in (Path(__file__).resolve().parent / "stub.template.js").read_text(
        encoding="utf-8").splitlines(keepends=True)
    if not line.startswith("//"))


_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(\s*)(["'])\./(?P<name>[a-z_]+\.js)\2""")


def source(name: str) -> str:
    """A served asset's text: its imports of other assets carry their versions."""
    text = path(name).read_text(encoding="utf-8")
    return _IMPORT.sub(lambda m: f'{m.group(1)}"./{m.group("name")}?v={version(m.group("name"))}"',
                       text)


def _inlined(name: str) -> str:
    """A module's text with its asset imports inlined as ``data:`` URLs (no server needed)."""
    text = path(name).read_text(encoding="utf-8")

    def data_url(m: re.Match) -> str:
        code = base64.b64encode(_inlined(m.group("name")).encode("utf-8")).decode("ascii")
        return f'{m.group(1)}"data:text/javascript;base64,{code}"'

    return _IMPORT.sub(data_url, text)


def _served(served: bool | None) -> bool:
    return bool(os.environ.get(SERVED_VARIABLE)) if served is None else served


@cache
def version(name: str) -> str:
    """A short hash of a file's content: a new version is fetched whenever it changes."""
    data = source(name).encode("utf-8") if name.endswith(".js") else path(name).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def esm(name: str, *, css: tuple[str, ...] = (), served: bool | None = None) -> str:
    """A widget's ``_esm``: the module's source, or, when served, a stub that imports it.

    ``css`` names stylesheets the stub links into the page (their ``_css`` is then empty).
    """
    if not re.fullmatch(ASSET_PATTERN, name):
        raise ValueError(f"not an asset name: {name!r}")
    if not _served(served):
        return _inlined(name)
    sheets = {sheet: version(sheet) for sheet in css}
    preload = {dep: version(dep) for dep in imports(name)}
    return (_STUB.replace("__CSS__", json.dumps(sheets))
            .replace("__PRELOAD__", json.dumps(preload))
            .replace("__JS__", json.dumps(f"{name}?v={version(name)}")))


def imports(name: str) -> list[str]:
    """The assets a module imports, directly or through another asset, in first-seen order.

    >>> imports("timer.js")
    ['widgetkit.js']
    """
    found: list[str] = []
    for match in _IMPORT.finditer(path(name).read_text(encoding="utf-8")):
        for dep in (match.group("name"), *imports(match.group("name"))):
            if dep not in found:
                found.append(dep)
    return found


def css(name: str, *, served: bool | None = None) -> str:
    """A widget's ``_css``: the stylesheet, or nothing when served (the stub links it)."""
    return "" if _served(served) else path(name).read_text(encoding="utf-8")
