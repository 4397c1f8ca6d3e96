"""The connection-rating exercise's rules: pair codes, options, a pair's steps and results.

Two partners hold a short practice session (10 or 20 minutes), one as client and one as
therapist. At the end of every minute each of them privately rates how connected they
felt over that minute, from 0 (not at all) to 10 (deeply connected), as in Cooper's
analogue study (2012). When both have finished they see the same summary
(:func:`rdlearn.connection.synchrony.summarise`), and then the pair's ratings are deleted.

The rules live in plain functions working on a :class:`Pair` with an injected clock
(``now``), so they are the same whether a pair uses two devices, one device or simulated
data: :func:`new_pair`, :func:`join_pair`, :func:`begin`, :func:`rate`, :func:`finish`,
:func:`heartbeat`, :func:`set_consent`, :func:`pair_status` and :func:`pair_result`.
:class:`rdlearn.connection.store.PairStore` keeps pairs in the room's shared store, one
transaction per step; :mod:`rdlearn.connection.simulation` plays a simulated pair through
these rules. Nothing here shows anything or stores anything.

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

import dataclasses
import hashlib
import math
from collections.abc import Callable, Sequence
from typing import Any

from rdlearn.connection import synchrony
from rdlearn.room import questions as room_questions
from rdlearn.web.codes import CODE_ALPHABET, new_code, normalise_token

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
    "new_pair",
    "join_pair",
    "begin",
    "rate",
    "finish",
    "heartbeat",
    "set_consent",
    "pair_status",
    "pair_result",
    "wants_sharing",
    "room_connection",
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

#: The room's anonymous distribution of pairs' r (a room answer under this id).
ROOM_QUESTION_ID = room_questions.CONNECTION_QUESTION_ID

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

def new_pair_code() -> str:
    """A fresh 6-character pair code, easy to read aloud (no 0, O, 1 or I)."""
    return new_code(CODE_LENGTH)


def normalise_pair_code(text: Any) -> str:
    """A pair code as stored: upper case, spaces removed; raises :class:`PairError`."""
    if not isinstance(text, str) or not text.strip():
        raise PairError("Please type the pair code shown on your partner's screen.")
    code = "".join(text.split()).upper()
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
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


def _check_minutes(minutes: Any) -> int:
    if isinstance(minutes, bool) or minutes not in LENGTHS:
        raise PairError("Choose a session of 10 or 20 minutes.")
    return int(minutes)


def _check_role(role: Any) -> str:
    if role not in ROLES:
        raise PairError("Choose a role: client or therapist.")
    return role


def _token_hash(code: str, token: Any) -> str:
    clean = normalise_token(token)
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
        """Whether the partner in ``role`` has finished (or the time to rate is over)."""
        partner = self.partners.get(role)
        if partner is None or self.started is None:
            return False
        return partner.finished or now >= self.closes_at()

    def both_finished(self, now: float) -> bool:
        """Whether both partners have finished."""
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
    """Mark this partner as finished (early if they wish); their ratings are final."""
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
    """Give this partner's view of the pair at time ``now()``."""
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
        """The pair's r, or ``None`` when it could not be computed."""
        return self.summary["correlation"]["r"]

    @property
    def change_r(self) -> float | None:
        """The r of the two partners' minute-to-minute changes, or ``None`` if undefined."""
        return self.summary["change_correlation"]["r"]


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


def wants_sharing(pair: Pair, result: PairResult) -> bool:
    """Whether the pair's r is to join the room's picture: both agreed, in a workshop, once."""
    return (not pair.shared and pair.workshop is not None and result.r is not None
            and all(p.consent for p in pair.partners.values()) and len(pair.partners) == 2)


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
