"""Where one process keeps what it worked out for the others (never participant data).

Schema verdicts (:mod:`rdlearn.content.schema`) and drawn charts (:mod:`rdlearn.figures.shown`)
go here, so that a room's kernels need not each do the same work.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """``$RDLEARN_CACHE_DIR``, else ``$XDG_CACHE_HOME/rdlearn`` or ``~/.cache/rdlearn``."""
    given = os.environ.get("RDLEARN_CACHE_DIR")
    if given:
        return Path(given)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rdlearn"
