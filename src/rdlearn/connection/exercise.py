"""The connection-rating pairs exercise: pair codes, the exercise's rules, and its storage.

Two partners hold a short practice session (10 or 20 minutes), one as client and one as
therapist. At the end of every minute each of them privately rates how connected they
felt over that minute, from 0 (not at all) to 10 (deeply connected), as in Cooper's
analogue study (2012). When both have finished they see the same summary
(:func:`rdlearn.connection.synchrony.summarise`), and then the pair's ratings are deleted.

The rules live in plain functions working on a :class:`Pair` with an injected clock
(``now``), so they are the same whether a pair uses two devices, one device or simulated
data: :func:`new_pair`, :func:`join_pair`, :func:`begin`, :func:`rate`, :func:`finish`,
:func:`heartbeat`, :func:`set_consent`, :func:`pair_status` and :func:`pair_result`.
:class:`PairStore` keeps pairs in the room's shared store (:mod:`rdlearn.room.store`), one
transaction per step, so that two partners' pages (two kernels) can play by the same
rules. Nothing here shows anything.

A partner is known by a random token kept in their browser, stored here only as a salted
hash. Neither partner can read the other's ratings until both have finished.

Examples
--------
>>> pair = new_pair("K7M3PQ", minutes=10, seconds_per_minute=1, now=lambda: 0.0)
>>> join_pair(pair, token="c" * 32, role=CLIENT, now=lambda: 0.0)
'client'
>>> join_pair(pair, token="t" * 32, role=THERAPIST, now=lambda: 0.0)
'therapist'
>>> begin(pair, token="c" * 32, now=lambda: 0.0)
>>> rate(pair, token="c" * 32, minute=1, rating=6, now=lambda: 1.0)
>>> pair_status(pair, token="c" * 32, now=lambda: 1.0).my_ratings[:2]
[6, None]
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import math
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from rdlearn.connection import synchrony
from rdlearn.room import questions as room_questions

__all__ = [
    "CLIENT",
    "THERAPIST",
    "ROLES",
    "ROLE_NAMES",
    "LENGTHS",
    "LOWEST",
    "HIGHEST",
    "CODE_LENGTH",
    "AWAY_AFTER",
    "LATE_FLOOR",
    "PAIR_EXPIRY",
    "ROOM_QUESTION_ID",
    "SECONDS_PER_MINUTE_VARIABLE",
    "WAITING",
    "READY",
    "RUNNING",
    "FINISHED",
    "PairError",
    "UnknownPairError",
    "NotYetError",
    "Partner",
    "Pair",
    "PairStatus",
    "PairResult",
    "RoomConnection",
    "new_pair_code",
    "normalise_pair_code",
    "check_seconds_per_minute",
    "seconds_per_minute_from_env",
    "new_pair",
    "join_pair",
    "begin",
    "rate",
    "finish",
    "heartbeat",
    "set_consent",
    "pair_status",
    "pair_result",
    "simulated_ratings",
    "demonstration_result",
    "room_connection",
    "PairStore",
]

CLIENT = "client"
THERAPIST = "therapist"
ROLES = (CLIENT, THERAPIST)
ROLE_NAMES = {CLIENT: "Client", THERAPIST: "Therapist"}

#: The lengths a pair can choose, in minutes (Cooper's sessions lasted 20).
LENGTHS = (10, 20)
LOWEST, HIGHEST = 0, 10
CODE_LENGTH = 6

#: A partner not heard from for this many seconds is reported to the other as away.
AWAY_AFTER = 60.0
#: A minute can be rated until one more minute has passed, and never less than this (s).
LATE_FLOOR = 20.0
#: A pair's data is deleted at the latest this many seconds after it was made (2 hours).
PAIR_EXPIRY = 2 * 60 * 60

#: The room's anonymous distribution of pairs' r (a group answer under this id).
ROOM_QUESTION_ID = "pairs-connection-r"

#: Only tests set this, to make a minute last about a second (0.5 to 60 seconds).
SECONDS_PER_MINUTE_VARIABLE = "RDLEARN_PAIRS_SECONDS_PER_MINUTE"

WAITING = "waiting for partner"
READY = "ready"
RUNNING = "running"
FINISHED = "finished"

Clock = Callable[[], float]


class PairError(ValueError):
    """A step that cannot be taken; the message is shown to the partner."""


class UnknownPairError(PairError):
    """No pair with this code (never made, mistyped, or already over and deleted)."""


class NotYetError(PairError):
    """The partner's ratings are asked for before both partners have finished."""


# --------------------------------------------------------------------------- codes and options

_CODE_CHARS = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def new_pair_code() -> str:
    """A fresh 6-character pair code, easy to read aloud (no 0, O, 1 or I)."""
    return room_questions.new_workshop_code(length=CODE_LENGTH)


def normalise_pair_code(text: Any) -> str:
    """A pair code as stored: upper case, spaces removed; raises :class:`PairError`."""
    if not isinstance(text, str) or not text.strip():
        raise PairError("Please type the pair code shown on your partner's screen.")
    code = "".join(text.split()).upper()
    if len(code) != CODE_LENGTH or not set(code) <= _CODE_CHARS:
        raise PairError(
            f"A pair code has {CODE_LENGTH} letters and digits (for example K7M3PQ; there is "
            "no 0, O, 1 or I); check the code on your partner's screen."
        )
    return code


def check_seconds_per_minute(value: Any) -> float:
    """How long one exercise 'minute' lasts, in seconds: a number from 0.5 to 60."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PairError("seconds_per_minute must be a number of seconds from 0.5 to 60")
    if not 0.5 <= value <= 60:
        raise PairError(f"seconds_per_minute must be from 0.5 to 60 (not {value})")
    return float(value)


def seconds_per_minute_from_env(environ: Any = None) -> float:
    """The minute length from ``RDLEARN_PAIRS_SECONDS_PER_MINUTE`` (tests only), else 60.

    Raises :class:`PairError` if the variable is set to anything but a number from 0.5 to 60.
    """
    environ = os.environ if environ is None else environ
    text = environ.get(SECONDS_PER_MINUTE_VARIABLE, "").strip()
    if not text:
        return 60.0
    try:
        value = float(text)
    except ValueError:
        raise PairError(f"{SECONDS_PER_MINUTE_VARIABLE} must be a number from 0.5 to 60 "
                        f"(it is {text!r})") from None
    return check_seconds_per_minute(value)


def _check_minutes(minutes: Any) -> int:
    if isinstance(minutes, bool) or minutes not in LENGTHS:
        raise PairError("Choose a session of 10 or 20 minutes.")
    return int(minutes)


def _check_role(role: Any) -> str:
    if role not in ROLES:
        raise PairError("Choose a role: client or therapist.")
    return role


def _token_hash(code: str, token: Any) -> str:
    clean = room_questions.normalise_token(token)
    if clean is None:
        raise PairError("This page is still connecting; please try again in a moment.")
    return hashlib.sha256(f"pair\0{code}\0{clean}".encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- the pair


@dataclasses.dataclass
class Partner:
    """One partner of a pair: their role, hashed token and ratings (minute -> 0..10)."""

    role: str
    token_hash: str
    last_seen: float
    ratings: dict[int, int] = dataclasses.field(default_factory=dict)
    finished: bool = False
    consent: bool = False
    collected: bool = False


@dataclasses.dataclass
class Pair:
    """A pair's exercise: its length, its clock and its partners (by role)."""

    code: str
    minutes: int
    seconds_per_minute: float
    created: float
    started: float | None = None
    workshop: str | None = None
    shared: bool = False
    partners: dict[str, Partner] = dataclasses.field(default_factory=dict)

    # -- the clock

    def due_at(self, minute: int) -> float:
        """When ``minute`` ends and can be rated."""
        assert self.started is not None
        return self.started + minute * self.seconds_per_minute

    def allowance(self) -> float:
        """How long after its end a minute can still be rated."""
        return max(self.seconds_per_minute, LATE_FLOOR)

    def closes_at(self) -> float:
        """When the last minute can no longer be rated: everyone has finished then."""
        return self.due_at(self.minutes) + self.allowance()

    def minutes_ended(self, now: float) -> int:
        """How many minutes of the session have ended (0 before it begins)."""
        if self.started is None:
            return 0
        return max(0, min(self.minutes, int((now - self.started) // self.seconds_per_minute)))

    def has_finished(self, role: str, now: float) -> bool:
        partner = self.partners.get(role)
        if partner is None or self.started is None:
            return False
        return partner.finished or now >= self.closes_at()

    def both_finished(self, now: float) -> bool:
        return all(self.has_finished(role, now) for role in ROLES)

    def series(self, role: str) -> list[int | None]:
        """One partner's ratings, one per minute, a missed minute as ``None``."""
        ratings = self.partners[role].ratings if role in self.partners else {}
        return [ratings.get(m) for m in range(1, self.minutes + 1)]


def _partner(pair: Pair, token: Any) -> Partner:
    wanted = _token_hash(pair.code, token)
    for partner in pair.partners.values():
        if partner.token_hash == wanted:
            return partner
    raise PairError("This device has not joined this pair: join with the pair code first.")


def new_pair(code: str, *, minutes: int, seconds_per_minute: float = 60.0, now: Clock,
             workshop: str | None = None) -> Pair:
    """A new pair with no partners yet."""
    return Pair(code=normalise_pair_code(code), minutes=_check_minutes(minutes),
                seconds_per_minute=check_seconds_per_minute(seconds_per_minute),
                created=now(), workshop=workshop or None)


def join_pair(pair: Pair, *, token: Any, role: str | None, now: Clock) -> str:
    """Join ``pair`` as ``role``, or rejoin (``role`` ``None`` or the same role); return the role.

    A partner who reloads their page or loses the network rejoins with the same token and
    keeps their role and ratings. A role cannot be taken twice.
    """
    wanted = _token_hash(pair.code, token)
    mine = next((p for p in pair.partners.values() if p.token_hash == wanted), None)
    if mine is not None:
        if role is not None and role != mine.role:
            raise PairError(f"You have already joined this pair as the {mine.role}.")
        mine.last_seen = now()
        return mine.role
    if role is None:
        raise PairError("Choose your role in this pair: client or therapist.")
    role = _check_role(role)
    if role in pair.partners:
        other = THERAPIST if role == CLIENT else CLIENT
        hint = (f" Choose {other}." if other not in pair.partners
                else " Both roles are taken in this pair.")
        raise PairError(f"Someone has already joined this pair as the {role}.{hint}")
    pair.partners[role] = Partner(role=role, token_hash=wanted, last_seen=now())
    return role


def heartbeat(pair: Pair, *, token: Any, now: Clock) -> None:
    """Note that this partner's page is still there."""
    _partner(pair, token).last_seen = now()


def begin(pair: Pair, *, token: Any, now: Clock) -> None:
    """Start the session's clock once both partners have joined (a second call does nothing)."""
    partner = _partner(pair, token)
    partner.last_seen = now()
    if pair.started is not None:
        return
    if len(pair.partners) < len(ROLES):
        raise PairError("Wait until your partner has joined before you begin.")
    pair.started = now()


def set_consent(pair: Pair, *, token: Any, consent: bool, now: Clock) -> None:
    """Whether this partner agrees to add the pair's r (only that) to the room's picture.

    It can be changed until the partner finishes; r is shared only if both agree.
    """
    partner = _partner(pair, token)
    partner.last_seen = now()
    if not isinstance(consent, bool):
        raise PairError("Consent is yes or no.")
    if pair.has_finished(partner.role, now()):
        raise PairError("You have finished: your choice about sharing can no longer change.")
    partner.consent = consent


def rate(pair: Pair, *, token: Any, minute: Any, rating: Any, now: Clock) -> None:
    """Record one partner's rating for one minute; raises :class:`PairError` if it cannot be.

    Refused: a rating that is not a whole number from 0 to 10, a minute outside the
    session, a minute that has not ended yet, a minute whose time to rate has passed (it
    stays missing), a second rating for the same minute, and any rating once finished.
    """
    partner = _partner(pair, token)
    t = now()
    partner.last_seen = t
    if pair.started is None:
        raise PairError("The session has not begun yet.")
    if pair.has_finished(partner.role, t):
        raise PairError("You have finished the exercise; no more ratings can be added.")
    if isinstance(rating, bool) or not isinstance(rating, int) or not LOWEST <= rating <= HIGHEST:
        raise PairError("A rating is a whole number from 0 (not at all connected) to 10 "
                        "(deeply connected).")
    if isinstance(minute, bool) or not isinstance(minute, int) or not 1 <= minute <= pair.minutes:
        raise PairError(f"There is no minute {minute!r} in this {pair.minutes}-minute session.")
    if t < pair.due_at(minute):
        raise PairError(f"Minute {minute} has not ended yet: rate it when the prompt appears.")
    if minute in partner.ratings:
        raise PairError(f"You have already rated minute {minute}; a rating cannot be changed.")
    if t > pair.due_at(minute) + pair.allowance():
        raise PairError(f"The time to rate minute {minute} has passed: it stays blank, "
                        "because a missed minute is never filled in afterwards.")
    partner.ratings[minute] = rating


def finish(pair: Pair, *, token: Any, now: Clock) -> None:
    """This partner has finished (early if they wish); their ratings are final."""
    partner = _partner(pair, token)
    partner.last_seen = now()
    if pair.started is None:
        raise PairError("The session has not begun yet.")
    partner.finished = True


# --------------------------------------------------------------------------- what a partner sees


@dataclasses.dataclass(frozen=True)
class PairStatus:
    """What one partner may know during the exercise: never the other's ratings.

    ``due`` lists the minutes this partner can rate now (oldest first) and ``missed`` those
    whose time to rate has passed unrated. ``partner_away`` is true when the other partner's
    page has not been in touch for :data:`AWAY_AFTER` seconds.
    """

    code: str
    role: str
    minutes: int
    seconds_per_minute: float
    state: str
    minutes_ended: int
    my_ratings: list
    due: list
    missed: list
    next_minute_at: float | None
    closes_at: float | None
    partner_joined: bool
    partner_away: bool
    partner_finished: bool
    finished: bool
    both_finished: bool
    consent: bool
    workshop: str | None


def pair_status(pair: Pair, *, token: Any, now: Clock) -> PairStatus:
    """This partner's view of the pair at time ``now()``."""
    me = _partner(pair, token)
    t = now()
    other = pair.partners.get(THERAPIST if me.role == CLIENT else CLIENT)
    ended = pair.minutes_ended(t)
    finished = pair.has_finished(me.role, t)
    both = pair.both_finished(t)
    due: list[int] = []
    missed: list[int] = []
    if pair.started is not None:
        for m in range(1, ended + 1):
            if m in me.ratings:
                continue
            if not finished and t <= pair.due_at(m) + pair.allowance():
                due.append(m)
            else:
                missed.append(m)
    if pair.started is None:
        state = READY if other is not None else WAITING
    else:
        state = FINISHED if both else RUNNING
    return PairStatus(
        code=pair.code, role=me.role, minutes=pair.minutes,
        seconds_per_minute=pair.seconds_per_minute, state=state, minutes_ended=ended,
        my_ratings=pair.series(me.role), due=due, missed=missed,
        next_minute_at=(pair.due_at(ended + 1) if pair.started is not None
                        and ended < pair.minutes else None),
        closes_at=pair.closes_at() if pair.started is not None else None,
        partner_joined=other is not None,
        partner_away=other is not None and t - other.last_seen > AWAY_AFTER,
        partner_finished=other is not None and pair.has_finished(other.role, t),
        finished=finished, both_finished=both, consent=me.consent, workshop=pair.workshop,
    )


@dataclasses.dataclass(frozen=True)
class PairResult:
    """Both partners' ratings and their summary (:func:`rdlearn.connection.synchrony.summarise`).

    In the summary the first series is the client's and the second the therapist's.
    """

    code: str
    minutes: int
    client: list
    therapist: list
    summary: dict
    shared: bool = False
    simulated: bool = False
    seed: int | None = None

    @property
    def r(self) -> float | None:
        return self.summary["correlation"]["r"]


def pair_result(pair: Pair, *, token: Any, now: Clock) -> PairResult:
    """Both series and their summary, once both partners have finished; marks it collected.

    Raises :class:`NotYetError` before then: the partner's ratings stay hidden.
    """
    me = _partner(pair, token)
    me.last_seen = now()
    if not pair.both_finished(now()):
        raise NotYetError("Your partner's ratings stay hidden until you have both finished.")
    me.collected = True
    client, therapist = pair.series(CLIENT), pair.series(THERAPIST)
    return PairResult(code=pair.code, minutes=pair.minutes, client=client, therapist=therapist,
                      summary=synchrony.summarise(client, therapist), shared=pair.shared)


def _wants_sharing(pair: Pair, result: PairResult) -> bool:
    return (not pair.shared and pair.workshop is not None and result.r is not None
            and all(p.consent for p in pair.partners.values()) and len(pair.partners) == 2)


# --------------------------------------------------------------------------- simulated data


def simulated_ratings(*, seed: int, minutes: int = 20) -> tuple[list[int], list[int]]:
    """An invented pair's ratings (client, therapist): a fast rise that levels off, with noise.

    For demonstrations only; the same ``seed`` always gives the same two series.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise PairError("the seed must be a whole number, 0 or more")
    minutes = _check_minutes(minutes)
    rng = random.Random(seed)
    client, therapist = [], []
    for m in range(1, minutes + 1):
        shared = 2.5 + 5.5 * (1 - math.exp(-m / 5.0)) + rng.gauss(0, 0.6)
        c = shared + rng.gauss(0, 0.5) - 0.3 - (2.5 if m == 6 else 0.0)
        t = shared + rng.gauss(0, 0.5)
        client.append(max(LOWEST, min(HIGHEST, round(c))))
        therapist.append(max(LOWEST, min(HIGHEST, round(t))))
    return client, therapist


def demonstration_result(*, seed: int = 2012, minutes: int = 20) -> PairResult:
    """A simulated pair played through the same rules with a simulated clock (labelled)."""
    client, therapist = simulated_ratings(seed=seed, minutes=minutes)
    t = [0.0]
    now = lambda: t[0]  # noqa: E731
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


# --------------------------------------------------------------------------- the room's picture


@dataclasses.dataclass(frozen=True)
class RoomConnection:
    """The room's shared r values, as the room may see them.

    ``ready`` is false below :data:`rdlearn.room.questions.MIN_ANSWERS` pairs; then nothing but the
    count is given.
    """

    n: int
    ready: bool
    message: str
    values: tuple = ()
    median: float | None = None
    lowest: float | None = None
    highest: float | None = None


def room_connection(values: Sequence[Any]) -> RoomConnection:
    """Summarise the pairs' shared r values, hiding everything below five pairs."""
    numbers = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number) and -1 <= number <= 1:
            numbers.append(number)
    n = len(numbers)
    if n < room_questions.MIN_ANSWERS:
        return RoomConnection(n, False, f"Waiting for at least {room_questions.MIN_ANSWERS} pairs "
                                        f"({n} so far).")
    ordered = sorted(numbers)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return RoomConnection(n, True, f"{n} pairs shared their r.", tuple(ordered), median,
                          ordered[0], ordered[-1])


# --------------------------------------------------------------------------- in the shared store


class PairStore:
    """Pairs kept in the room's shared store, one transaction per step.

    Each method loads the pair, applies the rule above and saves it, inside one
    ``BEGIN IMMEDIATE`` transaction, so two partners' pages never overwrite each other.
    When both partners have collected the result, every row of the pair is deleted and the
    file compacted, so the ratings cannot be read from its bytes. Pairs left unfinished are
    deleted :data:`PAIR_EXPIRY` seconds after they were made.

    Parameters
    ----------
    store
        The room's :class:`rdlearn.room.store.Store` (by default the one ``RDLEARN_STORE`` names).
    now
        The clock (seconds); tests pass their own.
    """

    def __init__(self, store: Any = None, *, now: Clock = time.time):
        if store is None:
            from rdlearn.room.store import Store

            store = Store()
        self.store = store
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
                "INSERT OR REPLACE INTO pair_partners (pair, role, token_hash, last_seen, "
                "finished, consent, collected) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (pair.code, p.role, p.token_hash, p.last_seen, int(p.finished),
                 int(p.consent), int(p.collected)))
            conn.executemany(
                "INSERT OR IGNORE INTO pair_ratings (pair, role, minute, rating) "
                "VALUES (?, ?, ?, ?)",
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

    def _compact(self) -> None:
        # Deleted rows are zeroed (secure_delete); this also empties the write-ahead log.
        with self.store._read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextlib.contextmanager
    def _pair(self, code: Any) -> Iterator[tuple[Any, Pair]]:
        """One step on one pair: load, change, save (or delete once both have the result)."""
        code = normalise_pair_code(code)
        with self.store._write() as conn:
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
            self._compact()

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
            with self.store._write() as conn:
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
                self._compact()
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
        """This partner has finished."""
        with self._pair(code) as (_, pair):
            finish(pair, token=token, now=self.now)

    def heartbeat(self, code: Any, *, token: Any) -> None:
        """This partner's page is still there."""
        with self._pair(code) as (_, pair):
            heartbeat(pair, token=token, now=self.now)

    def set_consent(self, code: Any, *, token: Any, consent: bool) -> None:
        """This partner's yes or no to sharing the pair's r with the room."""
        with self._pair(code) as (_, pair):
            set_consent(pair, token=token, consent=consent, now=self.now)

    def status(self, code: Any, *, token: Any) -> PairStatus:
        """This partner's view of the pair (read only: it is no heartbeat)."""
        code = normalise_pair_code(code)
        with self.store._read() as conn:
            pair = self._load(conn, code, self.now())
        return pair_status(pair, token=token, now=self.now)

    def result(self, code: Any, *, token: Any) -> PairResult:
        """The pair's result, once both have finished; deletes the pair once both have it.

        With both partners' consent and a workshop, the pair's r (only that number) is
        added to the room's anonymous distribution first.
        """
        with self._pair(code) as (conn, pair):
            result = pair_result(pair, token=token, now=self.now)
            if _wants_sharing(pair, result) and self._share(conn, pair, result.r):
                pair.shared = True
                result = dataclasses.replace(result, shared=True)
        return result

    def _share(self, conn: Any, pair: Pair, r: float) -> bool:
        # Inside the pair's transaction, so the r is shared once and only once.
        alive = conn.execute("SELECT 1 FROM workshops WHERE code = ? AND expires > ?",
                             (pair.workshop, self.now())).fetchone()
        if not alive:
            return False
        voter = hashlib.sha256(f"pair\0{pair.code}\0{pair.created!r}".encode()).hexdigest()[:32]
        conn.execute(
            "INSERT OR IGNORE INTO answers (workshop, question_id, voter, value, updated, "
            "moderation) VALUES (?, ?, ?, ?, ?, ?)",
            (pair.workshop, ROOM_QUESTION_ID, voter, f"{r:.3f}", self.now(),
             room_questions.NOT_MODERATED))
        return True

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
