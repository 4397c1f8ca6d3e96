"""The pairs exercise's rules and storage, with a fake clock: what partners would notice."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from rdlearn.connection import exercise, simulation, synchrony
from rdlearn.connection.exercise import CLIENT, THERAPIST, PairError
from rdlearn.connection.store import PairStore
from rdlearn.room import questions as room_questions
from rdlearn.room.store import Store

A = "partner-a-token-0001"
B = "partner-b-token-0002"
C = "partner-c-token-0003"


class Clock:
    def __init__(self, t: float = 1_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def room(tmp_path, clock) -> Store:
    return Store(tmp_path / "room.sqlite3", now=clock)


@pytest.fixture
def store(room, clock) -> PairStore:
    return PairStore(room, now=clock)


def started_pair(store: PairStore, clock: Clock, *, minutes=10, spm=60.0, workshop=None) -> str:
    code = store.create(token=A, role=CLIENT, minutes=minutes, seconds_per_minute=spm,
                        workshop=workshop)
    store.join(code, token=B, role=THERAPIST)
    store.begin(code, token=A)
    return code


def play(store, clock, code, client, therapist, *, spm=60.0):
    """Rate every minute at its end (None: that partner skips the minute)."""
    start = clock.t
    for minute, (c, t) in enumerate(zip(client, therapist, strict=True), start=1):
        clock.t = start + minute * spm
        if c is not None:
            store.rate(code, token=A, minute=minute, rating=c)
        if t is not None:
            store.rate(code, token=B, minute=minute, rating=t)


# --------------------------------------------------------------------------- codes and options


def test_pair_codes_are_six_unambiguous_characters():
    codes = {exercise.new_pair_code() for _ in range(300)}
    assert len(codes) > 290
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("0O1I")
        assert exercise.normalise_pair_code(code) == code


def test_a_typed_code_is_tidied_and_a_wrong_one_explained():
    assert exercise.normalise_pair_code(" k7m 3pq ") == "K7M3PQ"
    for bad in ("K7M3P", "K7M3PQR", "K7M0PQ", "", None, 123456):
        with pytest.raises(PairError, match="pair code"):
            exercise.normalise_pair_code(bad)


def test_seconds_per_minute_is_checked():
    assert exercise.check_seconds_per_minute(60) == 60.0
    assert exercise.check_seconds_per_minute(1) == 1.0
    for bad in (0.1, 61, "soon", float("nan")):
        with pytest.raises(PairError, match="0.5 to 60"):
            exercise.check_seconds_per_minute(bad)
    for bad in (0.4, 60.5, True, "1", float("inf")):
        with pytest.raises(PairError):
            exercise.check_seconds_per_minute(bad)


def test_only_ten_or_twenty_minutes_and_known_roles(store):
    with pytest.raises(PairError, match="10 or 20"):
        store.create(token=A, role=CLIENT, minutes=15)
    with pytest.raises(PairError, match="client or therapist"):
        store.create(token=A, role="supervisor", minutes=10)


# --------------------------------------------------------------------------- joining


def test_each_role_is_taken_once(store):
    code = store.create(token=A, role=CLIENT, minutes=20)
    with pytest.raises(PairError, match="already joined this pair as the client. Choose"):
        store.join(code, token=B, role=CLIENT)
    assert store.join(code, token=B, role=THERAPIST) == THERAPIST
    with pytest.raises(PairError, match="Both roles are taken"):
        store.join(code, token=C, role=THERAPIST)
    with pytest.raises(PairError, match="already joined this pair as the client"):
        store.join(code, token=A, role=THERAPIST)


def test_a_partner_who_reloads_rejoins_with_role_and_ratings(tmp_path, room, store, clock):
    code = started_pair(store, clock)
    clock.t += 60
    store.rate(code, token=A, minute=1, rating=4)
    clock.t += 60
    store.rate(code, token=A, minute=2, rating=6)
    # A new page (a new kernel) with the token kept in the browser.
    reloaded = PairStore(Store(room.path, now=clock), now=clock)
    assert reloaded.join(code.lower(), token=A) == CLIENT
    mine = reloaded.status(code, token=A)
    assert mine.role == CLIENT
    assert mine.my_ratings[:3] == [4, 6, None]


def test_unknown_codes_and_strangers_are_refused(store, clock):
    with pytest.raises(exercise.UnknownPairError, match="no pair with the code"):
        store.join("K7M3PQ", token=A, role=CLIENT)
    code = started_pair(store, clock)
    with pytest.raises(PairError, match="Choose your role"):
        store.join(code, token=C)
    with pytest.raises(PairError, match="has not joined this pair"):
        store.rate(code, token=C, minute=1, rating=5)
    with pytest.raises(PairError, match="still connecting"):
        store.join(code, token="short", role=CLIENT)


def test_the_session_begins_only_with_both_partners(store):
    code = store.create(token=A, role=CLIENT, minutes=10)
    assert store.status(code, token=A).state == exercise.WAITING
    with pytest.raises(PairError, match="Wait until your partner"):
        store.begin(code, token=A)
    store.join(code, token=B, role=THERAPIST)
    assert store.status(code, token=A).state == exercise.READY
    with pytest.raises(PairError, match="not begun"):
        store.rate(code, token=A, minute=1, rating=5)
    store.begin(code, token=B)
    assert store.status(code, token=A).state == exercise.RUNNING


# --------------------------------------------------------------------------- rating


@pytest.mark.parametrize("bad", [11, -1, 5.5, "7", True, None])
def test_ratings_outside_0_to_10_are_refused(store, clock, bad):
    code = started_pair(store, clock)
    clock.t += 60
    with pytest.raises(PairError, match="whole number from 0"):
        store.rate(code, token=A, minute=1, rating=bad)
    assert store.status(code, token=A).my_ratings[0] is None


def test_minutes_outside_the_session_or_not_yet_come_are_refused(store, clock):
    code = started_pair(store, clock, minutes=10)
    clock.t += 60 * 3 + 5
    for minute in (0, 11, 2.0, "1"):
        with pytest.raises(PairError, match="no minute"):
            store.rate(code, token=A, minute=minute, rating=5)
    with pytest.raises(PairError, match="Minute 4 has not ended yet"):
        store.rate(code, token=A, minute=4, rating=5)
    status = store.status(code, token=A)
    assert status.due == [3] and status.missed == [1, 2]  # each minute waits one more minute


def test_a_minute_is_rated_once(store, clock):
    code = started_pair(store, clock)
    clock.t += 60
    store.rate(code, token=A, minute=1, rating=5)
    with pytest.raises(PairError, match="already rated minute 1"):
        store.rate(code, token=A, minute=1, rating=9)
    assert store.status(code, token=A).my_ratings[0] == 5


def test_a_missed_minute_stays_missing(store, clock):
    code = started_pair(store, clock, minutes=10)
    start = clock.t
    clock.t = start + 60 * 2 + 1  # minute 1 ended just over a minute ago
    with pytest.raises(PairError, match="stays blank"):
        store.rate(code, token=A, minute=1, rating=5)
    status = store.status(code, token=A)
    assert status.missed == [1]
    assert status.due == [2]
    assert status.my_ratings[0] is None


def test_with_fast_minutes_a_rating_can_still_come_a_little_late(store, clock):
    code = started_pair(store, clock, spm=1.0)
    start = clock.t
    clock.t = start + 1 + exercise.LATE_FLOOR - 0.5
    store.rate(code, token=A, minute=1, rating=3)
    clock.t = start + 2 + exercise.LATE_FLOOR + 0.5
    with pytest.raises(PairError, match="stays blank"):
        store.rate(code, token=A, minute=2, rating=3)


def test_after_finishing_no_more_ratings(store, clock):
    code = started_pair(store, clock)
    clock.t += 60
    store.finish(code, token=A)
    with pytest.raises(PairError, match="finished"):
        store.rate(code, token=A, minute=1, rating=5)


# --------------------------------------------------------------------------- privacy


def test_the_partner_s_ratings_stay_hidden_until_both_have_finished(store, clock):
    code = started_pair(store, clock)
    play(store, clock, code, [3] * 10, [7] * 10)
    mine = store.status(code, token=A)
    assert 7 not in mine.my_ratings and mine.my_ratings == [3] * 10
    store.finish(code, token=A)
    with pytest.raises(exercise.NotYetError, match="hidden until you have both finished"):
        store.result(code, token=A)
    assert store.status(code, token=B).partner_finished
    store.finish(code, token=B)
    assert store.result(code, token=A).therapist == [7] * 10


def test_everyone_has_finished_once_the_last_minute_can_no_longer_be_rated(store, clock):
    code = started_pair(store, clock, minutes=10, spm=60)
    start = clock.t
    clock.t = start + 10 * 60 + 59
    assert not store.status(code, token=A).both_finished
    clock.t = start + 10 * 60 + 61
    assert store.status(code, token=A).both_finished


def test_both_partners_get_the_same_summary_equal_to_numpy(store, clock):
    client = [2, 3, 5, None, 6, 7, 7, 8, 7, 8]
    therapist = [3, 3, 4, 6, 6, 8, 6, 8, 8, None]
    code = started_pair(store, clock)
    play(store, clock, code, client, therapist)
    store.finish(code, token=A)
    store.finish(code, token=B)
    first, second = store.result(code, token=A), store.result(code, token=B)
    assert first.summary == second.summary == synchrony.summarise(client, therapist)
    both = [(c, t) for c, t in zip(client, therapist, strict=True) if None not in (c, t)]
    expected = np.corrcoef([c for c, _ in both], [t for _, t in both])[0, 1]
    assert first.r == pytest.approx(expected)
    assert first.client == client and first.therapist == therapist


# --------------------------------------------------------------------------- leaving


def test_a_partner_who_goes_quiet_for_a_minute_is_reported(store, clock):
    code = started_pair(store, clock)
    clock.t += 59
    store.heartbeat(code, token=A)
    assert not store.status(code, token=A).partner_away
    clock.t += 2  # B last heard from 61 s ago
    assert store.status(code, token=A).partner_away
    assert not store.status(code, token=B).partner_away
    store.heartbeat(code, token=B)
    assert not store.status(code, token=A).partner_away


# --------------------------------------------------------------------------- deletion


def _file_bytes(path) -> bytes:
    out = b""
    for suffix in ("", "-wal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            out += side.read_bytes()
    return out


def test_the_pair_s_ratings_are_deleted_once_both_have_seen_the_result(room, store, clock):
    code = started_pair(store, clock)
    play(store, clock, code, list(range(10)), list(range(10, 0, -1)))
    store.finish(code, token=A)
    store.finish(code, token=B)
    assert code.encode() in _file_bytes(room.path)
    store.result(code, token=A)
    with sqlite3.connect(room.path) as conn:  # the partner has not seen it yet: kept
        assert conn.execute("SELECT COUNT(*) FROM pair_ratings").fetchone()[0] == 20
    store.result(code, token=B)
    with sqlite3.connect(room.path) as conn:
        for table in ("pair_ratings", "pair_partners", "pairs"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    assert code.encode() not in _file_bytes(room.path)
    with pytest.raises(exercise.UnknownPairError):
        store.status(code, token=A)


def test_an_abandoned_pair_is_deleted_after_two_hours(room, store, clock):
    code = started_pair(store, clock)
    clock.t += 60
    store.rate(code, token=A, minute=1, rating=5)
    clock.t += exercise.PAIR_EXPIRY
    store.create(token=C, role=CLIENT, minutes=10)  # any later step sweeps
    with pytest.raises(exercise.UnknownPairError):
        store.status(code, token=A)
    assert code.encode() not in _file_bytes(room.path)


# --------------------------------------------------------------------------- sharing r


def finished_pair(store, clock, *, consents, workshop="ROOM01", client=None, therapist=None):
    code = started_pair(store, clock, workshop=workshop)
    for token, consent in zip((A, B), consents, strict=True):
        store.set_consent(code, token=token, consent=consent)
    play(store, clock, code, client or [1, 3, 4, 6, 6, 7, 8, 8, 9, 9],
         therapist or [2, 3, 5, 5, 7, 7, 7, 9, 8, 9])
    store.finish(code, token=A)
    store.finish(code, token=B)
    return code, store.result(code, token=A), store.result(code, token=B)


def test_r_is_shared_only_when_both_agree(room, store, clock):
    room.create_workshop("ROOM01")
    for consents in ((True, False), (False, True), (False, False)):
        _, first, _ = finished_pair(store, clock, consents=consents)
        assert not first.shared
    assert store.shared_count("ROOM01") == 0
    _, first, second = finished_pair(store, clock, consents=(True, True))
    assert first.shared and second.shared
    values = [a["value"] for a in room.answers("ROOM01", exercise.ROOM_QUESTION_ID)]
    assert values == [f"{first.r:.3f}"]  # the r alone, once


def test_without_a_workshop_nothing_is_shared(room, store, clock):
    _, first, _ = finished_pair(store, clock, consents=(True, True), workshop=None)
    assert not first.shared


def test_consent_cannot_change_after_finishing(store, clock):
    code = started_pair(store, clock)
    store.finish(code, token=A)
    with pytest.raises(PairError, match="can no longer change"):
        store.set_consent(code, token=A, consent=True)


def test_the_room_sees_pairs_r_only_when_revealed_and_from_five_pairs(room, store, clock):
    room.create_workshop("ROOM01")
    shared = []
    for i in range(room_questions.MIN_ANSWERS):
        client = [1 + (i + m) % 9 for m in range(10)]
        therapist = [min(10, c + (m % 3)) for m, c in enumerate(client)]
        _, first, _ = finished_pair(store, clock, consents=(True, True), client=client,
                                    therapist=therapist)
        shared.append(first.r)
        assert store.room("ROOM01") is None  # hidden until the facilitator reveals it
        if i < room_questions.MIN_ANSWERS - 1:
            store.reveal_room("ROOM01")
            seen = store.room("ROOM01")
            assert not seen.ready and seen.values == () and f"({i + 1} so far)" in seen.message
            store.reveal_room("ROOM01", revealed=False)
    store.reveal_room("ROOM01")
    seen = store.room("ROOM01")
    assert seen.ready and seen.n == room_questions.MIN_ANSWERS
    assert seen.median == pytest.approx(float(np.median([round(r, 3) for r in shared])))


def test_room_summary_ignores_values_that_are_not_correlations():
    summary = exercise.room_connection(["0.5", "2", "x", None, "-0.2", "0.9", "0.1", "nan"])
    assert summary.n == 4 and not summary.ready


# --------------------------------------------------------------------------- simulated data


def test_simulated_pairs_are_repeatable_and_go_through_the_same_rules():
    first = simulation.demonstration_result(seed=7)
    again = simulation.demonstration_result(seed=7)
    other = simulation.demonstration_result(seed=8)
    assert first == again and first.client != other.client
    assert first.simulated and first.seed == 7
    client, therapist = simulation.simulated_ratings(seed=7)
    assert first.client == client and first.therapist == therapist
    assert all(0 <= v <= 10 for v in client + therapist)
    assert first.r == pytest.approx(np.corrcoef(client, therapist)[0, 1])
    with pytest.raises(PairError):
        simulation.simulated_ratings(seed=-1)
