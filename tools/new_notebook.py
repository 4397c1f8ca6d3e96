"""Write a thin notebook from a list of cells: ``python tools/new_notebook.py spec.py``.

Kept as a tool so that every notebook has the same clean metadata (no outputs, no ids
that change, the python3 kernel).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def notebook(cells: list[tuple[str, str]]) -> dict:
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
    Path(path).write_text(json.dumps(notebook(cells), indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    namespace: dict = {}
    exec(Path(sys.argv[1]).read_text(), namespace)
    write(namespace["PATH"], namespace["CELLS"])
