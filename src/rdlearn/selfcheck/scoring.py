"""Scoring a self-check: per-group scores, bands, and the plain-text profile.

Pure functions on an instrument (from :mod:`rdlearn.selfcheck.instruments`) and a dict of
answers; nothing here shows anything.

Examples
--------
>>> from rdlearn.selfcheck.instruments import load_instrument
>>> inst = load_instrument("connection-frequency-therapist")
>>> result = score(inst, {item["id"]: 4 for item in inst["items"]})
>>> result.groups[0].answered == len(inst["items"])
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdlearn.selfcheck.instruments import (
    OWN_GROUP,
    answer_key,
    validate_answers,
)

__all__ = [
    "GroupScore",
    "Result",
    "score",
    "band_for",
    "most_present",
    "changes",
    "profile_lines",
    "reflection_prompts",
]


@dataclass(frozen=True)
class GroupScore:
    """The score of one group of items in one context.

    ``score`` is ``None`` (with ``reason``) when too few items were answered.
    ``average`` is the mean keyed answer on the scale, used to choose the band.
    """

    group: str
    label: str
    context: str | None
    context_label: str
    score: float | None
    average: float | None
    answered: int
    passed: int
    total: int
    low: float
    high: float
    band: dict | None = None
    reason: str = ""


@dataclass(frozen=True)
class Result:
    """A scored self-check: per-group scores, and each item's answers per context."""

    instrument_id: str
    title: str
    method: str
    scale: dict
    contexts: list[dict]
    groups: list[GroupScore]
    items: list[dict] = field(default_factory=list)
    not_a_measure: str = ""

    def group(self, group: str, context: str | None = None) -> GroupScore:
        """The score of one group (and context)."""
        for g in self.groups:
            if g.group == group and g.context == context:
                return g
        raise KeyError(f"no score for group {group!r} in context {context!r}")


def band_for(instrument: Mapping, average: float | None) -> dict | None:
    """The band an average answer falls in (the last band includes its upper end)."""
    if average is None:
        return None
    bands = instrument["bands"]
    for band in bands:
        if band["min"] <= average < band["max"]:
            return band
    if math.isclose(average, bands[-1]["max"]):
        return bands[-1]
    return None


def score(instrument: Mapping, answers: Mapping) -> Result:
    """Score a set of answers, per group and per context.

    Reverse-keyed items count as ``max + min - answer``. A passed item ("prefer not to
    say", ``None``) counts as not answered. With fewer answers than the group's
    ``min_answered`` the group has no score, and ``reason`` says why. ``mean`` scores are
    the average keyed answer; ``sum`` scores add the keyed answers, with an unanswered
    item counted at the average of the answered ones, so the range stays
    ``min * items`` to ``max * items``.
    """
    clean = validate_answers(instrument, answers)
    lo, hi = instrument["scale"]["min"], instrument["scale"]["max"]
    method = instrument["scoring"]["method"]
    items_out = []
    for item in instrument["items"]:
        values = {}
        for ctx in instrument["contexts"]:
            key = answer_key(item["id"], ctx["id"])
            if key in clean:
                values[ctx["id"]] = clean[key]
        items_out.append({**item, "values": values})
    groups = []
    for ctx in instrument["contexts"]:
        for g in instrument["groups"]:
            members = [it for it in items_out if it["group"] == g["id"]]
            keyed, passed = [], 0
            for it in members:
                if ctx["id"] not in it["values"]:
                    continue
                value = it["values"][ctx["id"]]
                if value is None:
                    passed += 1
                else:
                    keyed.append(hi + lo - value if it["reverse"] else value)
            total = len(members)
            low, high = (lo, hi) if method == "mean" else (lo * total, hi * total)
            value = average = None
            reason = ""
            if len(keyed) < g["min_answered"]:
                reason = (f"{len(keyed)} of {total} answered; a score needs at least "
                          f"{g['min_answered']}")
            else:
                average = sum(keyed) / len(keyed)
                value = average if method == "mean" else average * total
            groups.append(GroupScore(
                group=g["id"], label=g["label"], context=ctx["id"], context_label=ctx["label"],
                score=value, average=average, answered=len(keyed), passed=passed, total=total,
                low=low, high=high, band=band_for(instrument, average), reason=reason,
            ))
    return Result(
        instrument_id=instrument["id"], title=instrument["title"], method=method,
        scale=dict(instrument["scale"]), contexts=list(instrument["contexts"]), groups=groups,
        items=items_out, not_a_measure=instrument["not_a_measure"],
    )


def most_present(result: Result, *, context: str | None, top: int = 3) -> list[dict]:
    """The items rated highest in one context (ties at the cut included, scale minimum left out).

    Returns the items (with their ``values``), highest first.
    """
    lowest = result.scale["min"]
    rated = [it for it in result.items
             if isinstance(it["values"].get(context), int) and it["values"][context] > lowest]
    rated.sort(key=lambda it: -it["values"][context])
    if len(rated) <= top:
        return rated
    cut = rated[top - 1]["values"][context]
    return [it for it in rated if it["values"][context] >= cut]


def changes(result: Result, *, before: str, after: str) -> list[dict]:
    """Per item: the answers in two contexts and the change (``None`` unless both answered)."""
    rows = []
    for it in result.items:
        first, second = it["values"].get(before), it["values"].get(after)
        change = second - first if isinstance(first, int) and isinstance(second, int) else None
        rows.append({"id": it["id"], "text": it["text"], "before": first, "after": second,
                     "change": change})
    return rows


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _value_words(result: Result, item: dict, context: str | None) -> str:
    if context not in item["values"]:
        return "not answered"
    value = item["values"][context]
    if value is None:
        return "prefer not to say"
    label = result.scale["anchors"].get(value)
    return f"{value} ({label})" if label else str(value)


def profile_lines(result: Result) -> list[str]:
    """The result as plain-text lines for the workbook (no HTML, no numbers invented)."""
    lo, hi = result.scale["min"], result.scale["max"]
    lines = [f"{result.title}. {result.not_a_measure}"]
    multi_group = len({g.group for g in result.groups}) > 1
    for g in result.groups:
        name = g.label if multi_group or not g.context_label else ""
        where = ", ".join(p for p in (name, g.context_label) if p) or "Your answers"
        if g.score is None:
            if g.answered or g.passed:
                lines.append(f"{where}: no score yet ({g.reason}).")
            continue
        kind = "average" if result.method == "mean" else "total"
        text = (f"{where}: {kind} {_fmt(g.score)} on a range of {_fmt(g.low)} to "
                f"{_fmt(g.high)} ({g.answered} of {g.total} answered")
        text += f", {g.passed} passed)" if g.passed else ")"
        if g.band:
            text += f". {g.band['label']}: {g.band['text']}"
        lines.append(text)
    if any(it["values"] for it in result.items):
        lines.append(f"Your answers (scale {lo} to {hi}):")
    for it in result.items:
        if not it["values"]:
            continue
        parts = []
        for ctx in result.contexts:
            words = _value_words(result, it, ctx["id"])
            parts.append(f"{ctx['short'].lower()} {words}" if ctx["id"] else words)
        name = it["text"] if it["group"] == OWN_GROUP else it["label"]
        lines.append(f"{name}: " + "; ".join(parts))
    return lines


def reflection_prompts(instrument: Mapping, strategy: str | None = None) -> list[str]:
    """The instrument's reflection prompts, with ``{strategy}`` filled in (as plain text)."""
    name = strategy.strip() if isinstance(strategy, str) and strategy.strip() else "this strategy"
    return [p.replace("{strategy}", name) for p in instrument["reflection"]]
