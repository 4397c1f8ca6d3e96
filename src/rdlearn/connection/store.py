"""The connection exercise's storage: pairs kept in the room's shared store.

:class:`PairStore` plays each step of the exercise's rules (:mod:`rdlearn.connection.exercise`)
inside one write transaction of the room's :class:`~rdlearn.room.store.Store`, so that two
partners' pages (two kernels, perhaps two servers) play by the same rules. Every SQL
statement on the tables ``pairs``, ``pair_partners`` and ``pair_ratings`` is here, written
so that SQLite and PostgreSQL both read it (``INSERT ... ON CONFLICT``, ``?`` placeholders);
the room's own tables are reached only through the room store's public methods.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from collections.abc import Iterator, Sequence
from typing import Any

from rdlearn.connection.exercise import (
    PAIR_EXPIRY,
    ROLES,
    ROOM_QUESTION_ID,
    Clock,
    Pair,
    PairError,
    PairResult,
    PairStatus,
    Partner,
    RoomConnection,
    UnknownPairError,
    begin,
    finish,
    heartbeat,
    join_pair,
    new_pair,
    new_pair_code,
    normalise_pair_code,
    pair_result,
    pair_status,
    rate,
    room_connection,
    set_consent,
    wants_sharing,
)
from rdlearn.room import questions as room_questions
from rdlearn.room.store import Store

__all__ = ["PairStore"]


class PairStore:
    """Pairs kept in the room's shared store, one transaction per step.

    Each method loads the pair, applies the rule above and saves it, inside one
    write transaction (writers take turns), so two partners' pages never overwrite each
    other. When both partners have collected the result, every row of the pair is deleted and
    the store compacted (a SQLite file keeps no trace of the ratings). Pairs left unfinished are
    deleted :data:`PAIR_EXPIRY` seconds after they were made.

    Parameters
    ----------
    store
        The room's :class:`rdlearn.room.store.Store` (by default the one ``RDLEARN_STORE`` names).
    now
        The clock (seconds); tests pass their own.
    """

    def __init__(self, store: Any = None, *, now: Clock = time.time):
        self.store = store if store is not None else Store()
        self.now = now

    # -- loading and saving

    @staticmethod
    def _load(conn: Any, code: str, now: float) -> Pair:
        row = conn.execute("SELECT minutes, seconds_per_minute, created, started, workshop, "
                           "shared FROM pairs WHERE code = ? AND created > ?",
                           (code, now - PAIR_EXPIRY)).fetchone()
        if row is None:
            raise UnknownPairError(
                f"There is no pair with the code {code}. Check the code on your partner's "
                "screen; a pair is deleted once both of you have seen your results.")
        pair = Pair(code=code, minutes=row[0], seconds_per_minute=row[1], created=row[2],
                    started=row[3], workshop=row[4], shared=bool(row[5]))
        for role, token_hash, seen, done, consent, collected in conn.execute(
                "SELECT role, token_hash, last_seen, finished, consent, collected "
                "FROM pair_partners WHERE pair = ?", (code,)):
            pair.partners[role] = Partner(role, token_hash, seen, finished=bool(done),
                                          consent=bool(consent), collected=bool(collected))
        for role, minute, rating in conn.execute(
                "SELECT role, minute, rating FROM pair_ratings WHERE pair = ?", (code,)):
            if role in pair.partners:
                pair.partners[role].ratings[minute] = rating
        return pair

    @staticmethod
    def _save(conn: Any, pair: Pair) -> None:
        conn.execute("UPDATE pairs SET started = ?, shared = ? WHERE code = ?",
                     (pair.started, int(pair.shared), pair.code))
        for p in pair.partners.values():
            conn.execute(
                "INSERT INTO pair_partners (pair, role, token_hash, last_seen, finished, "
                "consent, collected) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pair, role) "
                "DO UPDATE SET token_hash = excluded.token_hash, last_seen = excluded.last_seen, "
                "finished = excluded.finished, consent = excluded.consent, "
                "collected = excluded.collected",
                (pair.code, p.role, p.token_hash, p.last_seen, int(p.finished),
                 int(p.consent), int(p.collected)))
            conn.executemany(
                "INSERT INTO pair_ratings (pair, role, minute, rating) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(pair.code, p.role, m, r) for m, r in sorted(p.ratings.items())])

    @staticmethod
    def _delete(conn: Any, codes: Sequence[str]) -> None:
        for code in codes:
            conn.execute("DELETE FROM pair_ratings WHERE pair = ?", (code,))
            conn.execute("DELETE FROM pair_partners WHERE pair = ?", (code,))
            conn.execute("DELETE FROM pairs WHERE code = ?", (code,))

    def _sweep(self, conn: Any) -> int:
        old = [row[0] for row in conn.execute(
            "SELECT code FROM pairs WHERE created <= ?", (self.now() - PAIR_EXPIRY,))]
        self._delete(conn, old)
        return len(old)

    @contextlib.contextmanager
    def _pair(self, code: Any) -> Iterator[tuple[Any, Pair]]:
        """One step on one pair: load, change, save (or delete once both have the result)."""
        code = normalise_pair_code(code)
        with self.store.transaction() as conn:
            deleted = self._sweep(conn)
            pair = self._load(conn, code, self.now())
            yield conn, pair
            if len(pair.partners) == len(ROLES) and all(
                    p.collected for p in pair.partners.values()):
                self._delete(conn, [code])
                deleted += 1
            else:
                self._save(conn, pair)
        if deleted:
            self.store.compact()

    # -- the steps

    def create(self, *, token: Any, role: str, minutes: int, seconds_per_minute: float = 60.0,
               workshop: str | None = None) -> str:
        """Make a new pair, joined as ``role``; return its code (to tell the partner)."""
        now = self.now
        for _ in range(20):
            pair = new_pair(new_pair_code(), minutes=minutes,
                            seconds_per_minute=seconds_per_minute, now=now,
                            workshop=room_questions.normalise_workshop_code(workshop) if workshop
                            else None)
            join_pair(pair, token=token, role=role, now=now)
            with self.store.transaction() as conn:
                deleted = self._sweep(conn)
                free = conn.execute("SELECT 1 FROM pairs WHERE code = ?",
                                    (pair.code,)).fetchone() is None
                if free:
                    conn.execute("INSERT INTO pairs (code, minutes, seconds_per_minute, "
                                 "created, workshop) VALUES (?, ?, ?, ?, ?)",
                                 (pair.code, pair.minutes, pair.seconds_per_minute,
                                  pair.created, pair.workshop))
                    self._save(conn, pair)
            if deleted:
                self.store.compact()
            if free:
                return pair.code
        raise PairError("Could not find a free pair code; please try again.")

    def join(self, code: Any, *, token: Any, role: str | None = None) -> str:
        """Join a pair as ``role`` (or rejoin it with ``role=None``); return the role."""
        with self._pair(code) as (_, pair):
            return join_pair(pair, token=token, role=role, now=self.now)

    def begin(self, code: Any, *, token: Any) -> None:
        """Start the pair's session clock (both partners must have joined)."""
        with self._pair(code) as (_, pair):
            begin(pair, token=token, now=self.now)

    def rate(self, code: Any, *, token: Any, minute: Any, rating: Any) -> None:
        """Record one rating (see :func:`rate` for what is refused)."""
        with self._pair(code) as (_, pair):
            rate(pair, token=token, minute=minute, rating=rating, now=self.now)

    def finish(self, code: Any, *, token: Any) -> None:
        """Mark this partner as finished."""
        with self._pair(code) as (_, pair):
            finish(pair, token=token, now=self.now)

    def heartbeat(self, code: Any, *, token: Any) -> None:
        """Note that this partner's page is still there."""
        with self._pair(code) as (_, pair):
            heartbeat(pair, token=token, now=self.now)

    def set_consent(self, code: Any, *, token: Any, consent: bool) -> None:
        """Record this partner's yes or no to sharing the pair's r with the room."""
        with self._pair(code) as (_, pair):
            set_consent(pair, token=token, consent=consent, now=self.now)

    def status(self, code: Any, *, token: Any) -> PairStatus:
        """Give this partner's view of the pair (read only: it is no heartbeat)."""
        code = normalise_pair_code(code)
        with self.store.reading() as conn:
            pair = self._load(conn, code, self.now())
        return pair_status(pair, token=token, now=self.now)

    def result(self, code: Any, *, token: Any) -> PairResult:
        """The pair's result, once both have finished; deletes the pair once both have it.

        With both partners' consent and a workshop, the pair's r (only that number) is
        added to the room's anonymous distribution first.
        """
        with self._pair(code) as (conn, pair):
            result = pair_result(pair, token=token, now=self.now)
            if wants_sharing(pair, result) and self._share(conn, pair, result.r):
                pair.shared = True
                result = dataclasses.replace(result, shared=True)
        return result

    def _share(self, conn: Any, pair: Pair, r: float) -> bool:
        # Inside the pair's transaction, so the r is shared once and only once.
        voter = hashlib.sha256(f"pair\0{pair.code}\0{pair.created!r}".encode()).hexdigest()[:32]
        return self.store.add_shared_value(conn, pair.workshop, ROOM_QUESTION_ID, voter=voter,
                                           value=f"{r:.3f}", at=self.now())

    # -- the room

    def room(self, workshop: str) -> RoomConnection | None:
        """The room's shared r values once the facilitator has revealed them, else ``None``."""
        if not self.store.question_state(workshop, ROOM_QUESTION_ID)["revealed"]:
            return None
        return room_connection(a["value"] for a in self.store.answers(workshop,
                                                                       ROOM_QUESTION_ID))

    def reveal_room(self, workshop: str, *, revealed: bool = True) -> None:
        """Show (or hide again) the room's distribution of r (the facilitator's step)."""
        self.store.reveal(workshop, ROOM_QUESTION_ID, revealed=revealed)

    def shared_count(self, workshop: str) -> int:
        """How many pairs have shared their r in this workshop."""
        return self.store.count(workshop, ROOM_QUESTION_ID)
