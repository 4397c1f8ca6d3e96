"""What the research charts share: findings looked up by id, citations, role colours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdlearn.figures.theme import OKABE_ITO, _number

_THERAPIST = OKABE_ITO["blue"]
_CLIENT = OKABE_ITO["orange"]


def _rows(ids: Iterable[str]) -> list[dict]:
    from rdlearn.content import findings

    return [findings.finding(i) for i in ids]


def _citation(ids: Iterable[str]) -> str:
    from rdlearn.content import findings

    return "; ".join(dict.fromkeys(findings.cite(i) for i in ids))


def _sources(rows: Iterable[Mapping[str, Any]], *extra: str) -> list[str]:
    out = []
    for row in rows:
        out.append(row["source_id"])
        if row.get("reported_in"):
            out.append(row["reported_in"])
    return list(dict.fromkeys([*out, *extra]))


def _point(row: Mapping[str, Any], axis: str, field: str = "value") -> list[str]:
    """``customdata`` for one plotted point: which finding, which field, on which axis."""
    return [row["id"], field, axis]


def _role_colour(group: str) -> str:
    return _CLIENT if "client" in group.lower() else _THERAPIST


def _percent(row: Mapping[str, Any]) -> str:
    approx = "approximate" in row["statistic"]
    return ("almost " if approx else "") + f"{_number(row['value'])}%"

