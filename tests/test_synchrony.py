"""Synchrony statistics for a pair's minute-by-minute connection ratings, checked with numpy."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdlearn.connection import synchrony

rating = st.integers(min_value=0, max_value=10)
maybe = st.one_of(st.none(), rating)


@st.composite
def two_series(draw, *, values=maybe, min_size=0, max_size=synchrony.MAX_MINUTES):
    length = draw(st.integers(min_value=min_size, max_value=max_size))
    a = draw(st.lists(values, min_size=length, max_size=length))
    b = draw(st.lists(values, min_size=length, max_size=length))
    return a, b


def _paired(a, b):
    keep = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return np.array([x for x, _ in keep], float), np.array([y for _, y in keep], float)


def _generated_pairs(count=40, seed=7):
    """Pairs of series like a real exercise: a shared rise plus each person's noise."""
    rng = random.Random(seed)
    for _ in range(count):
        length = rng.randint(3, 60)
        base = [rng.uniform(1, 5) + 4 * (1 - math.exp(-m / 6)) for m in range(length)]
        a = [min(10, max(0, round(v + rng.gauss(0, 1.2)))) for v in base]
        b = [min(10, max(0, round(v + rng.gauss(0, 1.2)))) for v in base]
        for series in (a, b):
            for m in rng.sample(range(length), k=rng.randint(0, length // 5)):
                series[m] = None
        yield a, b


# --------------------------------------------------------------------------- correlation


def test_pearson_matches_numpy_on_generated_exercises():
    checked = 0
    for a, b in _generated_pairs():
        xs, ys = _paired(a, b)
        result = synchrony.pearson(a, b)
        assert result.n == len(xs)
        if result.r is None:
            continue
        assert result.r == pytest.approx(np.corrcoef(xs, ys)[0, 1], abs=1e-9)
        checked += 1
    assert checked >= 30


@settings(max_examples=150, deadline=None)
@given(two_series())
def test_r_is_between_minus_one_and_one_or_none_with_a_reason_never_nan(pair):
    a, b = pair
    result = synchrony.pearson(a, b)
    if result.r is None:
        assert result.reason
    else:
        assert -1.0 <= result.r <= 1.0 and not math.isnan(result.r)
        xs, ys = _paired(a, b)
        assert result.r == pytest.approx(np.corrcoef(xs, ys)[0, 1], abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(two_series())
def test_r_is_the_same_whoever_counts_as_first(pair):
    a, b = pair
    one, other = synchrony.pearson(a, b), synchrony.pearson(b, a)
    assert one.n == other.n
    if one.r is None:
        assert other.r is None
    else:
        assert one.r == pytest.approx(other.r, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(two_series(values=st.one_of(st.none(), st.integers(0, 5))),
       st.integers(min_value=0, max_value=5))
def test_adding_the_same_amount_to_one_persons_ratings_leaves_r_unchanged(pair, shift):
    a, b = pair
    shifted = [None if x is None else x + shift for x in a]
    before, after = synchrony.pearson(a, b), synchrony.pearson(shifted, b)
    if before.r is None:
        assert after.r is None and after.reason == before.reason
    else:
        assert after.r == pytest.approx(before.r, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(two_series(), st.lists(rating, min_size=1, max_size=5))
def test_a_minute_only_one_person_rated_is_left_out_not_filled_in(pair, extra):
    a, b = pair
    if len(a) + len(extra) > synchrony.MAX_MINUTES:
        return
    longer_a = a + extra
    longer_b = b + [None] * len(extra)
    before, after = synchrony.pearson(a, b), synchrony.pearson(longer_a, longer_b)
    assert after.n == before.n
    assert after.r == before.r


def test_fewer_than_three_shared_minutes_gives_no_r_and_says_why():
    result = synchrony.pearson([5, None, 7, 8], [4, 6, None, 9])
    assert result.r is None and result.n == 2
    assert result.reason == "needs at least three minutes both of you rated"
    assert synchrony.pearson([], []).n == 0


def test_one_flat_series_gives_no_r_and_says_why():
    result = synchrony.pearson([6, 6, 6, 6, None], [2, 5, 7, 9, 3])
    assert result.r is None and result.n == 4
    assert result.reason == (
        "one of you gave the same rating every minute, so a correlation cannot be computed"
    )
    assert "both of you" in synchrony.pearson([4, 4, 4], [7, 7, 7]).reason


def test_ratings_that_move_exactly_together_or_apart_give_one_and_minus_one():
    assert synchrony.pearson([1, 2, 3, 4], [3, 4, 5, 6]).r == pytest.approx(1.0)
    assert synchrony.pearson([1, 2, 3, 4], [9, 8, 7, 6]).r == pytest.approx(-1.0)


# --------------------------------------------------------------------------- differences


def test_mean_difference_matches_numpy_and_has_a_sign():
    for a, b in _generated_pairs(seed=11):
        xs, ys = _paired(a, b)
        if not len(xs):
            continue
        assert synchrony.mean_difference(a, b) == pytest.approx(np.mean(xs - ys))
        assert synchrony.mean_difference(b, a) == pytest.approx(np.mean(ys - xs))
        assert synchrony.mean_difference(a, b, absolute=True) == pytest.approx(
            np.mean(np.abs(xs - ys)))


def test_no_shared_minute_means_no_difference():
    assert synchrony.mean_difference([1, None], [None, 2]) is None


def test_divergent_minutes_are_counted_from_one_and_skip_missed_minutes():
    a = [5, 9, 2, None, 8, 4]
    b = [5, 5, 5, 1, 5, 6]
    assert synchrony.divergent_minutes(a, b) == [2, 3, 5]
    assert synchrony.divergent_minutes(a, b, threshold=4) == [2]
    assert synchrony.divergent_minutes(a, b, threshold=1) == [2, 3, 5, 6]


@settings(max_examples=100, deadline=None)
@given(two_series(), st.integers(1, 10))
def test_divergent_minutes_agree_with_numpy(pair, threshold):
    a, b = pair
    expected = [
        m + 1 for m, (x, y) in enumerate(zip(a, b, strict=True))
        if x is not None and y is not None and abs(x - y) >= threshold
    ]
    assert synchrony.divergent_minutes(a, b, threshold=threshold) == expected


@pytest.mark.parametrize("threshold", [0, 11, 2.5, True])
def test_a_nonsense_threshold_is_refused(threshold):
    with pytest.raises(ValueError, match="threshold"):
        synchrony.divergent_minutes([1, 2], [3, 4], threshold=threshold)


# --------------------------------------------------------------------------- trend


def test_the_slope_matches_numpy_polyfit_on_generated_series():
    for a, _ in _generated_pairs(seed=3):
        minutes = [m + 1 for m, v in enumerate(a) if v is not None]
        values = [v for v in a if v is not None]
        result = synchrony.trend(a)
        if len(values) < 3:
            continue
        assert result.slope == pytest.approx(np.polyfit(minutes, values, 1)[0], abs=1e-9)
        half = len(a) // 2
        early = [v for v in a[:half] if v is not None]
        late = [v for v in a[len(a) - half:] if v is not None]
        if early:
            assert result.early_mean == pytest.approx(np.mean(early))
        if late:
            assert result.late_mean == pytest.approx(np.mean(late))


@pytest.mark.parametrize(
    "series, direction",
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "rising"),
        ([2, 4, 6, 7, 8, 8, 8, 8, 9, 8, 9, 9], "levelling off"),
        ([9, 8, 8, 7, 6, 5, 5, 4, 3, 2], "falling"),
        ([5, 6, 5, 5, 6, 5, 5, 6, 5, 5], "steady"),
        ([5, None, None, None, 7], "unclear"),
    ],
)
def test_the_trend_is_described_in_words(series, direction):
    result = synchrony.trend(series)
    assert result.direction == direction
    assert result.description.endswith(".")
    if direction == "levelling off":
        assert "levelled off" in result.description
    elif direction in {"rising", "falling"}:
        assert ("rose" if direction == "rising" else "fell") in result.description


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "a, b, message",
    [
        ([1, 11, 3], [1, 2, 3], "minute 2: 11 is outside 0 to 10"),
        ([1, -1, 3], [1, 2, 3], "minute 2"),
        ([1, 2.5, 3], [1, 2, 3], "not a whole number"),
        ([1, True, 3], [1, 2, 3], "not a whole number"),
        ([1, "5", 3], [1, 2, 3], "not a whole number"),
        ([1, 2, 3], [1, 2], "same minutes"),
        ([5] * 61, [5] * 61, "at most 60"),
        ("12345", "12345", "must be a list"),
        (None, [1], "must be a list"),
    ],
)
def test_impossible_ratings_are_refused_with_a_message(a, b, message):
    for function in (synchrony.pearson, synchrony.mean_difference,
                     synchrony.divergent_minutes, synchrony.summarise,
                     synchrony.minute_changes, synchrony.change_correlation):
        with pytest.raises(ValueError, match=message):
            function(a, b)


def test_a_full_hour_is_accepted():
    assert synchrony.pearson(list(range(11)) * 5 + [0] * 5, [3] * 59 + [4]).n == 60


# --------------------------------------------------------------------------- changes


def _ratings(values):
    return [int(v) for v in np.clip(np.rint(values), 0, 10)]


def _kept_changes(a, b):
    """The changes numpy sees once every change touching a missed minute is dropped."""
    da, db = [], []
    for m in range(1, len(a)):
        if None not in (a[m - 1], a[m], b[m - 1], b[m]):
            da.append(a[m] - a[m - 1])
            db.append(b[m] - b[m - 1])
    return np.array(da, float), np.array(db, float)


def test_the_change_r_equals_numpy_on_complete_series():
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(30):
        length = int(rng.integers(5, 61))
        a = _ratings(rng.uniform(0, 10, length))
        b = _ratings(rng.uniform(0, 10, length))
        result = synchrony.change_correlation(a, b)
        assert result.n == length - 1
        expected = np.corrcoef(np.diff(a), np.diff(b))[0, 1]
        assert result.r == pytest.approx(expected, abs=1e-9)
        checked += 1
    assert checked == 30


def test_a_shared_trend_makes_raw_r_high_and_leaves_the_change_r_near_zero():
    rng = np.random.default_rng(2012)
    climb = np.linspace(1, 9, 60)
    a = _ratings(climb + rng.normal(0, 0.8, 60))
    b = _ratings(climb + rng.normal(0, 0.8, 60))
    raw = synchrony.pearson(a, b).r
    change = synchrony.change_correlation(a, b).r
    assert raw > 0.85
    assert abs(change) < 0.25
    assert raw - change > 0.6
    assert change == pytest.approx(np.corrcoef(np.diff(a), np.diff(b))[0, 1], abs=1e-9)
    assert raw == pytest.approx(np.corrcoef(a, b)[0, 1], abs=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_without_a_trend_raw_r_and_change_r_are_similar(seed):
    rng = np.random.default_rng(seed)
    shared = rng.normal(0, 1.5, 60)
    a = _ratings(5 + shared + rng.normal(0, 0.7, 60))
    b = _ratings(5 + shared + rng.normal(0, 0.7, 60))
    raw = synchrony.pearson(a, b).r
    change = synchrony.change_correlation(a, b).r
    assert raw > 0.6
    assert abs(raw - change) < 0.15


def test_with_missed_minutes_the_change_r_matches_numpy_on_the_changes_kept():
    checked = 0
    for a, b in _generated_pairs(seed=11):
        da, db = _kept_changes(a, b)
        result = synchrony.change_correlation(a, b)
        assert result.n == len(da)
        if result.r is None:
            continue
        assert result.r == pytest.approx(np.corrcoef(da, db)[0, 1], abs=1e-9)
        checked += 1
    assert checked >= 25


@settings(max_examples=150, deadline=None)
@given(two_series())
def test_the_change_r_is_numpy_or_none_with_a_reason(pair):
    a, b = pair
    da, db = _kept_changes(a, b)
    result = synchrony.change_correlation(a, b)
    assert result.n == len(da)
    if result.r is None:
        assert result.reason
        assert len(da) < 3 or np.var(da) == 0 or np.var(db) == 0
    else:
        assert -1 <= result.r <= 1
        assert result.r == pytest.approx(np.corrcoef(da, db)[0, 1], abs=1e-9)


def test_a_missed_minute_is_never_filled_in():
    # minute 3 missed: the changes 2->3 and 3->4 are gone, not bridged from 2 to 4
    assert synchrony.minute_changes([1, 2, None, 9, 9], [1, 3, 5, 7, 8]) == [(2, 1, 2),
                                                                             (5, 0, 1)]


@pytest.mark.parametrize(
    ("a", "b", "words"),
    [
        ([1, 2, 3], [3, 2, 1], "at least three changes"),
        ([1, None, 3, 4, 5, None, 7], [1, 2, 3, 4, 5, 6, 7], "at least three changes"),
        ([1, 2, 3, 4, 5], [2, 4, 1, 3, 5], "one of you changed the rating by the same"),
        ([5, 5, 5, 5, 5], [1, 3, 2, 4, 5], "one of you changed the rating by the same"),
        ([1, 2, 3, 4, 5], [3, 4, 5, 6, 7], "both of you changed the rating by the same"),
    ],
)
def test_an_undefined_change_r_is_none_with_a_plain_reason(a, b, words):
    result = synchrony.change_correlation(a, b)
    assert result.r is None
    assert words in result.reason


def test_the_summary_carries_the_change_r():
    a = [2, 3, 4, 5, 6, 6, 7, 8, 8, 9]
    b = [1, 3, 3, 5, 5, 7, 7, 7, 9, 9]
    summary = synchrony.summarise(a, b)
    change = summary["change_correlation"]
    assert change["r"] == pytest.approx(np.corrcoef(np.diff(a), np.diff(b))[0, 1])
    assert change["n"] == 9
    assert f"r = {change['r']:.2f}" in summary["text"]
    assert "minute-to-minute changes" in summary["text"]


# --------------------------------------------------------------------------- summary


def test_the_summary_holds_every_figure_and_a_short_text():
    a = [2, 3, 5, 6, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9]
    b = [1, 3, 4, 6, 6, 7, 7, 4, 8, 7, 8, 9, 8, 8, None, 9, 9, 9, 8, 9]
    summary = synchrony.summarise(a, b)
    xs, ys = _paired(a, b)
    assert summary["minutes"] == 20 and summary["both_rated"] == 19
    assert summary["correlation"]["r"] == pytest.approx(np.corrcoef(xs, ys)[0, 1])
    assert summary["divergent_minutes"] == [8]
    assert summary["mean_difference"] == pytest.approx(np.mean(xs - ys))
    assert summary["trend_first"]["slope"] == pytest.approx(
        np.polyfit(range(1, 21), a, 1)[0])
    text = summary["text"]
    assert f"r = {summary['correlation']['r']:.2f}" in text
    assert "minute 8" in text
    assert "warming up" in text  # both rose, so part of r may be shared warming up
    json.dumps(summary, allow_nan=False)


def test_the_summary_explains_a_missing_correlation_in_plain_words():
    summary = synchrony.summarise([7, 7, 7, 7], [3, 5, 6, 8])
    assert summary["correlation"]["r"] is None
    assert "same rating every minute" in summary["text"]
    assert "nan" not in json.dumps(summary, allow_nan=False).lower()


@settings(max_examples=150, deadline=None)
@given(two_series())
def test_a_summary_never_contains_nan_and_is_always_json(pair):
    a, b = pair
    summary = synchrony.summarise(a, b)
    json.dumps(summary, allow_nan=False)
    assert summary["text"]
