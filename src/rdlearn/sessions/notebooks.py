"""Generate the thin notebooks from ``data/`` (one source, no drift).

Run ``python -m rdlearn.sessions.notebooks`` after changing a session file; a test fails when
a committed notebook differs from what this writes. Every cell imports ``rdlearn``, calls it
and displays: the teaching content, charts and exercises all live in the package and data.
Every notebook gets the same clean metadata: no outputs, ids that do not change, the python3
kernel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rdlearn.content import loader
from rdlearn.sessions import plan

__all__ = ["DAY_PAGE", "expected", "main", "notebook", "pages", "write"]

#: The participant's whole day in one page (:mod:`rdlearn.sessions.day_page`).
DAY_PAGE = "10_day.ipynb"


def notebook(cells: list[tuple[str, str]]) -> dict:
    """A notebook (as JSON data) from ``(kind, source)`` cells, with stable ids and no outputs."""
    out = []
    for i, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"cell-{i:02d}", "metadata": {}, "source": source.strip()}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        out.append(cell)
    return {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(path: str | Path, cells: list[tuple[str, str]]) -> None:
    """Write the notebook made of ``cells`` to ``path``."""
    Path(path).write_text(json.dumps(notebook(cells), indent=1, ensure_ascii=False) + "\n")


def session_cells(number: int) -> list[tuple[str, str]]:
    """A session notebook: the imports, then one cell per call of :func:`plan.session_calls`."""
    body = plan.session_calls(number)
    used = sorted({call.module for call in body} | {"sessions"})
    cells = [("code", "from rdlearn import " + ", ".join(used))]
    cells += [("code", call.source()) for call in body]
    return cells


def day_cells() -> list[tuple[str, str]]:
    """The participant's day page: session 1 as its notebook has it, the others on request.

    The switcher comes first; the cells of session 1 follow (drawn by the server, as on
    session 1's own page, so the day's first load is no heavier); the last cell holds the
    places where the kernel draws sessions 2-4 when each is first opened.
    """
    first = session_cells(1)
    imports = first[0][1]
    return [("code", imports), ("code", "day = sessions.day()\nday"), *first[1:],
            ("code", "day.later()")]


def welcome_cells() -> list[tuple[str, str]]:
    return [
        ("markdown", "# Relational depth\n\n"
                     "A one- or two-day workshop, and a research keynote, "
                     "on meeting clients at depth."),
        ("code", "from rdlearn import sessions"),
        ("code", "sessions.welcome()"),
    ]


def console_cells() -> list[tuple[str, str]]:
    return [
        ("markdown", "# Facilitator console\n\n"
                     "Questions for the room, the day's agenda, timers and groups. "
                     "The console asks for the facilitator key that `rdlearn serve` printed."),
        ("code", "from rdlearn import agenda, grouping, room, timer"),
        ("code", "room.console()"),
        ("markdown", "## The day"),
        ("code", 'agenda.running_clock("one-day")'),
        ("markdown", "## Timer"),
        ("code", "timer.timer(minutes=10)"),
        ("markdown", "## Pairs and groups"),
        ("code", "grouping.pairing()"),
    ]


def pages() -> dict[str, list[tuple[str, str]]]:
    """Every generated notebook's cells by file name: the welcome, the sessions, the console."""
    out = {"00_welcome.ipynb": welcome_cells(), "06_facilitator-console.ipynb": console_cells(),
           DAY_PAGE: day_cells()}
    for sess in loader.workshop()["sessions"]:
        out[f"{sess['number']:02d}_{sess['slug']}.ipynb"] = session_cells(sess["number"])
    return out


def expected() -> dict[str, dict]:
    """What each committed notebook should contain, by file name."""
    return {name: notebook(cells) for name, cells in pages().items()}


def main(folder: str | Path | None = None) -> None:
    """Write every generated notebook into ``folder`` (the checkout's ``notebooks/``)."""
    target = Path(folder) if folder else loader.data_dir().parent / "notebooks"
    for name, cells in pages().items():
        write(target / name, cells)
        print(f"wrote {target.name}/{name}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
