"""The connection exercise's store (rdlearn.connection.store) on both engines.

tests/test_pairs.py plays the exercise's rules on a SQLite file; here the same store's SQL
runs on SQLite and on the tests' PostgreSQL, with two partners on two Store objects (two
kernels, or two servers on one database).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from rdlearn.connection import exercise
from rdlearn.connection.exercise import CLIENT, THERAPIST
from rdlearn.connection.store import PairStore
from rdlearn.room.store import Store
from tests.support.postgres import shared_cluster

A = "partner-a-token-0001"
B = "partner-b-token-0002"


class Clock:
    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "room.sqlite3")
    return shared_cluster().new_database()


def count(target: str, table: str) -> int:
    url = target if "://" in target else f"sqlite:///{target}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar()
    finally:
        engine.dispose()


def test_two_partners_on_two_stores_play_share_r_and_leave_nothing(target):
    clock = Clock()
    room = Store(target, now=clock)
    room.create_workshop("ROOM01")
    client = PairStore(room, now=clock)
    therapist = PairStore(Store(target, now=clock), now=clock)
    code = client.create(token=A, role=CLIENT, minutes=10, workshop="ROOM01")
    assert therapist.join(code, token=B, role=THERAPIST) == THERAPIST
    therapist.begin(code, token=B)
    for side, token in ((client, A), (therapist, B)):
        side.set_consent(code, token=token, consent=True)
    start = clock.t
    for minute in range(1, 11):
        clock.t = start + minute * 60
        client.rate(code, token=A, minute=minute, rating=minute)
        therapist.rate(code, token=B, minute=minute, rating=min(10, minute + 1))
    with pytest.raises(exercise.PairError, match="already rated"):
        client.rate(code, token=A, minute=10, rating=0)
    assert client.status(code, token=A).my_ratings[-1] == 10
    client.finish(code, token=A)
    therapist.finish(code, token=B)
    mine = client.result(code, token=A)
    assert count(target, "pair_ratings") == 20  # the partner has not seen it yet
    theirs = therapist.result(code, token=B)
    assert mine.r == pytest.approx(theirs.r) and mine.r > 0.9
    assert theirs.shared
    for table in ("pairs", "pair_partners", "pair_ratings"):
        assert count(target, table) == 0
    assert client.shared_count("ROOM01") == 1
    assert client.room("ROOM01") is None  # until the facilitator reveals it
    client.reveal_room("ROOM01")
    assert therapist.room("ROOM01") is not None
    with pytest.raises(exercise.UnknownPairError):
        client.status(code, token=A)


def test_a_rejoining_partner_keeps_the_role_and_an_old_pair_is_swept(target):
    clock = Clock()
    store = PairStore(Store(target, now=clock), now=clock)
    code = store.create(token=A, role=CLIENT, minutes=10)
    store.join(code, token=B, role=THERAPIST)
    assert PairStore(Store(target, now=clock), now=clock).join(code, token=A) == CLIENT
    clock.t += exercise.PAIR_EXPIRY
    store.create(token="partner-c-token-0003", role=CLIENT, minutes=10)  # sweeps
    with pytest.raises(exercise.UnknownPairError):
        store.status(code, token=A)
    assert count(target, "pairs") == 1
