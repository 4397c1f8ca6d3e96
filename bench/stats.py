"""Figures the benches print: one percentile rule for all of them."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The value at percentile ``p`` (0-100) of ``values``, nearest rank; NaN when empty.

    >>> percentile([3.0, 1.0, 2.0], 50)
    2.0
    """
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def save(name: str, results: dict) -> None:
    """Keep a bench's figures in ``bench/results/<name>.json`` (beside its printed table)."""
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results, indent=2))
