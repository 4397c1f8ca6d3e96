"""The simulated "Cooper pair": one invented pair, for demonstrations and the keynote's chart.

Shaped after the example pair described in Cooper's review: both partners' ratings rise
quickly and then level off, the client dips alone at minute 6, both dip at minute 15 and
are back by minute 17. :func:`simulated_ratings` draws the two series;
:func:`demonstration_result` plays them through the exercise's own rules with a simulated
clock. The same ``seed`` always gives the same pair.

>>> client, therapist = simulated_ratings(seed=2012)
>>> len(client), len(therapist), all(0 <= v <= 10 for v in client + therapist)
(20, 20, True)
>>> demonstration_result(seed=2012).simulated
True
"""

from __future__ import annotations

import dataclasses

from rdlearn.connection.exercise import (
    CLIENT,
    HIGHEST,
    LENGTHS,
    LOWEST,
    THERAPIST,
    PairError,
    PairResult,
    begin,
    finish,
    join_pair,
    new_pair,
    pair_result,
    rate,
)

__all__ = ["simulated_ratings", "demonstration_result"]


def simulated_ratings(*, seed: int, minutes: int = 20) -> tuple[list[int], list[int]]:
    """An invented pair's ratings (client, therapist), one whole number from 0 to 10 a minute.

    For demonstrations only; raises :class:`~rdlearn.connection.exercise.PairError` for a
    seed that is not a whole number from 0, or a length that is not 10 or 20 minutes.
    """
    import numpy as np

    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise PairError("the seed must be a whole number, 0 or more")
    if isinstance(minutes, bool) or minutes not in LENGTHS:
        raise PairError("Choose a session of 10 or 20 minutes.")
    rng = np.random.default_rng(seed)
    t = np.arange(1, minutes + 1)
    trend = 2.5 + 5.5 * (1 - np.exp(-t / 5.0))  # fast early rise that levels off
    therapist = trend + rng.normal(0, 0.45, minutes)
    client = trend + rng.normal(0, 0.45, minutes) - 0.4
    client[5] -= 2.5  # minute 6: the client dips, the therapist does not
    if minutes > 15:
        for series in (therapist, client):
            series[14] -= 2.2  # minute 15: both dip ...
            series[15] -= 1.0  # ... and are back up by minute 17
    client_ratings, therapist_ratings = (
        [int(v) for v in np.clip(np.rint(s), LOWEST, HIGHEST)] for s in (client, therapist))
    return client_ratings, therapist_ratings


def demonstration_result(*, seed: int = 2012, minutes: int = 20) -> PairResult:
    """A simulated pair played through the same rules with a simulated clock (labelled)."""
    client, therapist = simulated_ratings(seed=seed, minutes=minutes)
    t = [0.0]

    def now() -> float:
        return t[0]

    tokens = {CLIENT: "simulated-client-" + "0" * 16, THERAPIST: "simulated-therapist-" + "0" * 16}
    pair = new_pair("SAMPLE", minutes=minutes, now=now)
    for role, token in tokens.items():
        join_pair(pair, token=token, role=role, now=now)
    begin(pair, token=tokens[CLIENT], now=now)
    for minute in range(1, minutes + 1):
        t[0] = pair.due_at(minute)
        for role, series in ((CLIENT, client), (THERAPIST, therapist)):
            rate(pair, token=tokens[role], minute=minute, rating=series[minute - 1], now=now)
    for token in tokens.values():
        finish(pair, token=token, now=now)
    result = pair_result(pair, token=tokens[CLIENT], now=now)
    return dataclasses.replace(result, simulated=True, seed=seed)
