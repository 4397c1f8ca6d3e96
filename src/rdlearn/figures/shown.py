"""A research chart by name, ready to show, kept on disk for the room's other kernels.

``figures.chart("prevalence_leung")`` shows what ``figures.present(figures.prevalence_leung())``
shows. The chart's HTML depends only on the data files and rdlearn's chart code, so the
first process to draw it keeps it (in ``$RDLEARN_CACHE_DIR`` or the user's cache), and
``rdlearn serve`` draws every session's charts before it starts any kernel: a room's forty
kernels then show the charts without importing plotly or numpy at all (about 17 MB and
0.1-0.3 s of CPU each). Anything else (another data file, another rdlearn) draws it again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from rdlearn.content import loader as content
from rdlearn.content.cache import cache_dir
from rdlearn.figures.names import CHART_BUILDER_MODULES

__all__ = ["Chart", "chart", "warm"]

_PACKAGE = Path(__file__).resolve().parents[1]


class Chart:
    """A chart's display data (``text/html`` and ``text/plain``), shown as a notebook shows it."""

    def __init__(self, name: str, bundle: dict):
        self.name = name
        self.data = bundle

    def bundle(self) -> dict:
        """The display data."""
        return dict(self.data)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.bundle()


@functools.cache
def _code_digest() -> str:
    """The chart code of rdlearn: the figures package and the features' own chart modules."""
    digest = hashlib.sha256()
    for path in sorted([*(_PACKAGE / "figures").glob("*.py"), *_PACKAGE.glob("*/figures.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _path(name: str) -> Path:
    key = hashlib.sha256(json.dumps([name, _code_digest(), content.data_stamp()]).encode())
    return cache_dir() / "charts" / f"{key.hexdigest()}.json"


def _draw(name: str) -> dict:
    from rdlearn import figures

    return figures.present(getattr(figures, name)()).bundle()


def chart(name: str) -> Chart:
    """The chart ``name`` (one of :data:`rdlearn.figures.CHART_BUILDERS`), ready to display."""
    if name not in CHART_BUILDER_MODULES:
        raise ValueError(f"There is no chart {name!r}; the charts are "
                         f"{', '.join(CHART_BUILDER_MODULES)}.")
    path = _path(name)
    try:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(bundle, dict) and isinstance(bundle.get("text/html"), str):
            return Chart(name, bundle)
    except (OSError, ValueError):
        pass
    bundle = _draw(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(bundle), encoding="utf-8")
        os.replace(partial, path)
    except OSError:  # a read-only cache: each process draws for itself
        pass
    return Chart(name, bundle)


def warm(names) -> None:
    """Draw and keep these charts now (``rdlearn serve`` does, before its kernels start)."""
    for name in names:
        chart(name)
