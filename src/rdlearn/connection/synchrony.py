"""How closely two partners' minute-by-minute connection ratings move together.

In the connection exercise (after Cooper, 2012) each partner rates, every minute and
privately, how connected they feel, from 0 (not at all) to 10 (deeply). A pair ends up
with two series of ratings; a missed minute is ``None`` and is left out, never filled in.

Every function here is pure: lists in, numbers and plain words out. Nothing returns NaN:
where a figure cannot be computed, it is ``None`` with a reason in plain words.

Examples
--------
>>> you = [3, 4, 5, 6, None, 7]
>>> partner = [2, 4, 6, 6, 7, 8]
>>> result = pearson(you, partner)
>>> result.n, round(result.r, 2)
(5, 0.97)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

__all__ = [
    "MAX_MINUTES",
    "Correlation",
    "Trend",
    "validate",
    "pearson",
    "minute_changes",
    "change_correlation",
    "mean_difference",
    "divergent_minutes",
    "trend",
    "summarise",
    "two_decimals",
]

#: The longest series accepted (one rating a minute for an hour).
MAX_MINUTES = 60
_LOWEST, _HIGHEST = 0, 10

_TOO_FEW = "needs at least three minutes both of you rated"
_CONSTANT = "one of you gave the same rating every minute, so a correlation cannot be computed"
_BOTH_CONSTANT = (
    "both of you gave the same rating every minute, so a correlation cannot be computed"
)
_TOO_FEW_CHANGES = (
    "needs at least three changes from one minute to the next that you both rated "
    "(two rated minutes in a row each)"
)
_NO_CHANGE = ("one of you changed the rating by the same amount every minute (or not at all), "
              "so a correlation of the changes cannot be computed")
_BOTH_NO_CHANGE = ("both of you changed the rating by the same amount every minute (or not at "
                   "all), so a correlation of the changes cannot be computed")

Ratings = Sequence["int | None"]


def validate(series: Any, *, name: str = "the ratings") -> list[int | None]:
    """Check one series of ratings and return it as a list.

    Each value must be a whole number from 0 to 10 or ``None`` (a missed minute); at most
    60 minutes. Raises ``ValueError`` with a message naming the minute that is wrong.
    """
    if isinstance(series, str | bytes) or not isinstance(series, Sequence):
        raise ValueError(f"{name} must be a list of ratings, one per minute")
    if len(series) > MAX_MINUTES:
        raise ValueError(f"{name} cover {len(series)} minutes; at most {MAX_MINUTES} are allowed")
    clean: list[int | None] = []
    for minute, value in enumerate(series, start=1):
        if value is None:
            clean.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                f"{name}, minute {minute}: {value!r} is not a whole number from 0 to 10"
            )
        if not _LOWEST <= value <= _HIGHEST:
            raise ValueError(f"{name}, minute {minute}: {value} is outside 0 to 10")
        clean.append(int(value))
    return clean


def _pair(a: Any, b: Any) -> tuple[list[int | None], list[int | None]]:
    first = validate(a, name="the first ratings")
    second = validate(b, name="the second ratings")
    if len(first) != len(second):
        raise ValueError(
            f"the two series must cover the same minutes ({len(first)} and {len(second)} given)"
        )
    return first, second


def _both_rated(a: Ratings, b: Ratings) -> list[tuple[int, int, int]]:
    """(minute, first rating, second rating) for every minute both rated."""
    return [
        (minute, x, y)
        for minute, (x, y) in enumerate(zip(a, b, strict=True), start=1)
        if x is not None and y is not None
    ]


# --------------------------------------------------------------------------- correlation


@dataclasses.dataclass(frozen=True)
class Correlation:
    """Pearson's r over the minutes both partners rated.

    ``r`` is ``None`` when it cannot be computed, and ``reason`` then says why.
    """

    r: float | None
    n: int
    reason: str = ""


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def pearson(a: Ratings, b: Ratings) -> Correlation:
    """How closely two series move together, over the minutes both rated.

    Returns a :class:`Correlation` with ``r`` (from -1 to 1) and ``n`` (minutes used).
    With fewer than three such minutes, or when either partner gave one rating throughout,
    ``r`` is ``None`` and ``reason`` explains why.
    """
    first, second = _pair(a, b)
    return _correlated(_both_rated(first, second),
                       too_few=_TOO_FEW, both_flat=_BOTH_CONSTANT, one_flat=_CONSTANT)


def _correlated(rows: list[tuple[int, float, float]], *, too_few: str, both_flat: str,
                one_flat: str) -> Correlation:
    """Pearson's r over ``(minute, x, y)`` rows, or ``None`` with the fitting reason."""
    n = len(rows)
    if n < 3:
        return Correlation(r=None, n=n, reason=too_few)
    xs = [x for _, x, _ in rows]
    ys = [y for _, _, y in rows]
    flat_x, flat_y = len(set(xs)) == 1, len(set(ys)) == 1
    if flat_x and flat_y:
        return Correlation(r=None, n=n, reason=both_flat)
    if flat_x or flat_y:
        return Correlation(r=None, n=n, reason=one_flat)
    return Correlation(r=_correlation(xs, ys), n=n)


# --------------------------------------------------------------------------- changes


def minute_changes(a: Ratings, b: Ratings) -> list[tuple[int, int, int]]:
    """Each partner's change from one minute to the next, where both rated both minutes.

    Parameters
    ----------
    a, b
        The two partners' ratings, one per minute; ``None`` is a missed minute.

    Returns
    -------
    list of (minute, change in a, change in b)
        ``minute`` is the later of the two minutes (counting from 1). A change exists only
        where both partners rated that minute and the one before; a missed minute is never
        filled in, so it removes the changes into and out of it.

    Examples
    --------
    >>> minute_changes([3, 4, None, 6, 8], [2, 4, 6, 6, 7])
    [(2, 1, 2), (5, 2, 1)]
    """
    first, second = _pair(a, b)
    return [
        (minute, x1 - x0, y1 - y0)
        for minute, (x0, x1, y0, y1) in enumerate(
            zip(first, first[1:], second, second[1:], strict=False), start=2)
        if None not in (x0, x1, y0, y1)
    ]


def change_correlation(a: Ratings, b: Ratings) -> Correlation:
    """Pearson's r between the two partners' minute-to-minute changes.

    Two series that both climb over a session correlate even if the partners never rose
    or dipped together from one minute to the next. Correlating the changes (first
    differences) leaves that shared climb out: it asks whether, when one partner's
    rating went up or down, the other's went the same way in the same minute. This is
    our own analysis; Cooper (2012) reports only the correlation of the raw ratings.

    Parameters
    ----------
    a, b
        The two partners' ratings, one per minute; ``None`` is a missed minute.

    Returns
    -------
    Correlation
        ``r`` over the changes from :func:`minute_changes` and ``n``, the number of those
        changes. ``r`` is ``None``, with a ``reason``, when there are fewer than three
        changes or when either partner's changes are all the same (zero variance).

    Examples
    --------
    >>> rising = [2, 3, 5, 5, 6, 8, 8, 9]
    >>> also_rising = [3, 3, 4, 6, 6, 7, 9, 9]
    >>> round(pearson(rising, also_rising).r, 2)
    0.94
    >>> change = change_correlation(rising, also_rising)
    >>> change.n, round(change.r, 2)
    (7, -0.45)
    """
    return _correlated(minute_changes(a, b), too_few=_TOO_FEW_CHANGES,
                       both_flat=_BOTH_NO_CHANGE, one_flat=_NO_CHANGE)


# --------------------------------------------------------------------------- differences


def mean_difference(a: Ratings, b: Ratings, *, absolute: bool = False) -> float | None:
    """The average of first minus second, over the minutes both rated.

    Positive means the first partner felt more connected on average. With
    ``absolute=True``, the average size of the gap whichever way it goes. ``None`` when no
    minute was rated by both.
    """
    first, second = _pair(a, b)
    gaps = [x - y for _, x, y in _both_rated(first, second)]
    if not gaps:
        return None
    if absolute:
        gaps = [abs(g) for g in gaps]
    return sum(gaps) / len(gaps)


def divergent_minutes(a: Ratings, b: Ratings, *, threshold: int = 3) -> list[int]:
    """The minutes (counting from 1) where the two ratings differ by ``threshold`` or more."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 10:
        raise ValueError("the threshold must be a whole number of points from 1 to 10")
    first, second = _pair(a, b)
    return [minute for minute, x, y in _both_rated(first, second) if abs(x - y) >= threshold]


# --------------------------------------------------------------------------- trend


@dataclasses.dataclass(frozen=True)
class Trend:
    """How one series moves over the session.

    ``slope`` is the change per minute of the least-squares line; ``early_mean`` and
    ``late_mean`` are the averages of the first and second half of the minutes (the middle
    minute of an odd count belongs to neither). ``direction`` is one of ``"rising"``,
    ``"levelling off"`` (rose early, then flattened), ``"falling"``, ``"steady"`` or
    ``"unclear"`` (too few ratings); ``description`` says it in a sentence.
    """

    slope: float | None
    n: int
    early_mean: float | None
    late_mean: float | None
    direction: str
    description: str


#: A change smaller than this many points over the whole series counts as no change.
_CLEAR_CHANGE = 1.0


def _slope(points: Sequence[tuple[int, int]]) -> float | None:
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def trend(series: Ratings) -> Trend:
    """Describe how one partner's ratings move: rising, levelling off, falling or steady.

    This describes these ratings; it is not a statistical test.
    """
    ratings = validate(series)
    points = [(minute, v) for minute, v in enumerate(ratings, start=1) if v is not None]
    half = len(ratings) // 2
    early = _mean([v for v in ratings[:half] if v is not None])
    late = _mean([v for v in ratings[len(ratings) - half:] if v is not None]) if half else None
    slope = _slope(points)
    if slope is None or len(points) < 3:
        return Trend(slope, len(points), early, late, "unclear",
                     "Too few minutes were rated to describe a trend.")
    span = points[-1][0] - points[0][0]
    change = slope * span
    early_points = [p for p in points if p[0] <= half]
    late_points = [p for p in points if p[0] > len(ratings) - half]
    early_slope, late_slope = _slope(early_points), _slope(late_points)
    if change >= _CLEAR_CHANGE:
        flattening = (
            early_slope is not None
            and late_slope is not None
            and early_slope > 0
            and late_slope < early_slope / 2
        )
        if flattening:
            direction = "levelling off"
            words = "rose in the first half and then levelled off"
        else:
            direction = "rising"
            words = "rose over the session"
    elif change <= -_CLEAR_CHANGE:
        direction, words = "falling", "fell over the session"
    else:
        direction, words = "steady", "stayed about the same over the session"
    text = f"The ratings {words} (about {slope:+.2f} points a minute"
    if early is not None and late is not None:
        text += f"; first half averaged {early:.1f}, second half {late:.1f}"
    text += ")."
    return Trend(slope, len(points), early, late, direction, text)


# --------------------------------------------------------------------------- summary


def summarise(a: Ratings, b: Ratings, *, threshold: int = 3) -> dict:
    """Everything about a pair's two series, with a short text in plain words.

    Returns a dict with ``minutes``, ``both_rated``, ``correlation`` (r, n, reason),
    ``change_correlation`` (r, n, reason: the correlation of the minute-to-minute changes,
    see :func:`change_correlation`), ``mean_difference``, ``mean_absolute_difference``,
    ``divergent_minutes``, ``trend_first``, ``trend_second`` (each a dict of
    :class:`Trend`) and ``text``.
    """
    first, second = _pair(a, b)
    corr = pearson(first, second)
    change = change_correlation(first, second)
    diff = mean_difference(first, second)
    gap = mean_difference(first, second, absolute=True)
    apart = divergent_minutes(first, second, threshold=threshold)
    trend_first, trend_second = trend(first), trend(second)
    lines = []
    if corr.r is None:
        lines.append(f"A correlation {corr.reason}.")
    else:
        lines.append(
            f"Over the {corr.n} minutes you both rated, your ratings correlate at "
            f"r = {corr.r:.2f} ({_strength(corr.r)})."
        )
    if change.r is None:
        lines.append(f"A correlation of your minute-to-minute changes {change.reason}.")
    else:
        lines.append(
            f"Your minute-to-minute changes (over {change.n} changes) correlate at "
            f"r = {two_decimals(change.r)}."
        )
    if gap is not None:
        lines.append(f"On average your ratings were {gap:.1f} points apart.")
    if apart:
        minutes = ", ".join(str(m) for m in apart)
        word = "minute" if len(apart) == 1 else "minutes"
        lines.append(f"You differed by {threshold} points or more in {word} {minutes}.")
    elif gap is not None:
        lines.append(f"You never differed by {threshold} points or more.")
    rising = {"rising", "levelling off"}
    if trend_first.direction in rising and trend_second.direction in rising and (corr.r or 0) > 0:
        lines.append(
            "Both of you rose over the session: part of the raw correlation may come from "
            "that shared warming up rather than from moment-to-moment matching."
        )
    return {
        "minutes": len(first),
        "both_rated": corr.n,
        "correlation": dataclasses.asdict(corr),
        "change_correlation": dataclasses.asdict(change),
        "mean_difference": diff,
        "mean_absolute_difference": gap,
        "divergent_minutes": apart,
        "trend_first": dataclasses.asdict(trend_first),
        "trend_second": dataclasses.asdict(trend_second),
        "text": " ".join(lines),
    }


def two_decimals(r: float) -> str:
    """``r`` to two decimals, without a minus sign on a value that rounds to zero.

    >>> two_decimals(-0.002), two_decimals(0.756)
    ('0.00', '0.76')
    """
    return f"{round(r, 2) + 0.0:.2f}"


def _strength(r: float) -> str:
    size = abs(r)
    if size >= 0.7:
        word = "strongly"
    elif size >= 0.4:
        word = "moderately"
    elif size >= 0.1:
        word = "weakly"
    else:
        return "they hardly move together"
    way = "together" if r > 0 else "in opposite directions"
    return f"they move {word} {way}"
