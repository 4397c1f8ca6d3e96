"""One rule for numbers written in the material: each must come from a cited finding.

A number written in digits in a session's text, on a slide or in its notes must be the
value, sample size (``n``), count of studies (``k``), an end of the interval (``ci_low``,
``ci_high``) or a scale point (``scale``) of one of the findings that text cites, as written:
rounded to the decimals shown, and a proportion may be written as a percentage (``.78`` as
``78%``). What is not a statistic is left out:

- years (1900 to 2099 written without decimals, a comma or a percent sign), as in
  ``Leung (2008)``;
- digits glued to letters, which are names: ``PHQ-9``, ``GAD-7``, ``2011b``, ``Q3``;
- session numbers: ``session 2``.

Examples
--------
>>> numbers_in("In 2008, 78.2% of 119 clients (session 2) and r = .76")
[(78.2, 1, True), (119.0, 0, False), (0.76, 2, False)]
>>> untraced_numbers("78.2% of 119 clients, 45% of them", [{"value": 78.2, "n": 119}])
['45%']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

__all__ = ["Number", "numbers_in", "finding_numbers", "is_traced", "untraced_numbers"]

# A number as people write it: 78.2, .76, 1,086, 98% or 10 per cent. The look-arounds keep
# out digits glued to a letter (2011b, Q3) and the inside of a longer number.
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?![\w]|\.\d)"
    r"(?P<pct>\s?%|\s?per\s?cent)?"
)
# A name such as PHQ-9 or GAD-7: letters, a hyphen, then the digits.
_NAME_BEFORE = re.compile(r"[A-Za-z]-$")
_SESSION_BEFORE = re.compile(r"(?i)\bsessions?\s+$")

#: The columns of a finding whose numbers a text may quote.
TRACED_COLUMNS = ("value", "n", "k", "ci_low", "ci_high")


class Number(NamedTuple):
    """A number found in text: its value, the decimals written, and whether it is a percent."""

    value: float
    decimals: int
    percent: bool

    def __repr__(self) -> str:
        """Shown as a plain tuple, ``(78.2, 1, True)``."""
        return repr(tuple(self))

    @property
    def shown(self) -> str:
        """The number as a message shows it: ``"78.2%"``, ``"119"``, ``"0.76"``."""
        return f"{self.value:.{self.decimals}f}" + ("%" if self.percent else "")


def numbers_in(text: Any) -> list[Number]:
    """The numbers in ``text`` that read as statistics, in order: ``(value, decimals, percent)``.

    >>> numbers_in("median r = .76 in 80 pairs (Cooper, 2012); 10 to 30 per cent")
    [(0.76, 2, False), (80.0, 0, False), (10.0, 0, False), (30.0, 0, True)]
    >>> numbers_in("PHQ-9 scores, Wiggins (2011b), session 3 and 1,086 clients")
    [(1086.0, 0, False)]
    """
    text = str(text or "")
    found = []
    for match in _NUMBER.finditer(text):
        before = text[: match.start()]
        if _NAME_BEFORE.search(before) or _SESSION_BEFORE.search(before):
            continue
        raw = match.group("num")
        value = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        percent = bool(match.group("pct"))
        if decimals == 0 and not percent and "," not in raw and 1900 <= value <= 2099:
            continue
        found.append(Number(value, decimals, percent))
    return found


def finding_numbers(finding: Mapping[str, Any]) -> list[float]:
    """Every number a text may quote from one finding: value, n, k, interval, scale points.

    >>> finding_numbers({"value": -0.06, "n": 80, "ci_low": None, "scale": "1 to 7"})
    [0.06, 80.0, 1.0, 7.0]
    """
    values: list[Any] = [finding.get(key) for key in TRACED_COLUMNS]
    values += [number.value for number in numbers_in(finding.get("scale") or "")]
    return [abs(float(v)) for v in values if v is not None and v != ""]


def is_traced(number: Number, candidates: Iterable[float]) -> bool:
    """Whether ``number``, as written, is one of ``candidates`` (rounded to its decimals).

    A proportion (at most 1) may be written as a percentage.

    >>> is_traced(Number(78.0, 0, True), [78.2]), is_traced(Number(77.9, 1, True), [78.2])
    (True, False)
    >>> is_traced(Number(76.0, 0, True), [0.76])
    True
    """
    tolerance = 0.5 * 10 ** (-number.decimals) + 1e-9
    for candidate in candidates:
        options = [candidate]
        if number.percent and candidate <= 1:
            options.append(candidate * 100)
        if any(abs(number.value - option) <= tolerance for option in options):
            return True
    return False


def _as_finding(finding: Mapping[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(finding, str):
        from rdlearn.content import findings

        return findings.finding(finding)
    return finding


def untraced_numbers(text: Any, findings: Iterable[Mapping[str, Any] | str]) -> list[str]:
    """The numbers in ``text`` that are no number of any of ``findings``, as messages show them.

    ``findings`` are rows of ``findings.csv`` (dicts) or their ids.

    >>> untraced_numbers("78.2% of 119 clients", ["leung2008-clients-any-rd"])
    []
    >>> untraced_numbers("78.2% of 119 clients", [])
    ['78.2%', '119']
    """
    candidates = [c for f in findings for c in finding_numbers(_as_finding(f))]
    return [n.shown for n in numbers_in(text) if not is_traced(n, candidates)]
