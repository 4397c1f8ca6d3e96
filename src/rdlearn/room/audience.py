"""The keynote hall's light audience page: vote from a phone without a kernel.

Voilà starts a Python kernel for every visitor (about 130 MB each), which a hall of 300
people would not survive on one laptop. So the hall gets a plain HTML page served by the
same ``rdlearn serve`` process, talking to three small JSON routes:

* ``GET /audience?workshop=CODE``: the page (HTML, CSS and a little JavaScript shipped in
  the package; nothing from a CDN). Its script is an ES module that imports the browser
  token's rules from the widgets' helper module, ``<base>rdlearn/assets/widgetkit.js``,
  which ``rdlearn serve`` hands out with the widgets' code; the script is sent with the
  kit's version in that import, so a phone keeps the kit until it changes.
* ``GET /audience/api/state?workshop=CODE``: the open question, whether it is open, how many
  answered, and the results only once revealed *and* given by at least
  :data:`rdlearn.room.questions.MIN_ANSWERS` people. The JSON is cached for half a second per
  workshop, so 300 phones polling every 2 s cost a few store reads a second.
* ``POST /audience/api/answer`` with JSON ``{workshop, question, token, value}``: one answer
  per browser token per question (a second answer replaces the first while it is open),
  checked with :func:`rdlearn.room.questions.validate_answer`.

Limits, all answered with a JSON ``{"error": message}`` the page shows:

* bodies over :data:`MAX_BODY_BYTES` are refused (413) before they are read or parsed;
* a token bucket per browser token (5 answers per 10 s) and per client address (60 per
  10 s, since a venue's Wi-Fi may put many phones behind one address) answer 429. The
  per-address limit skips loopback clients by default (``limit_loopback=False``): the
  laptop itself is trusted, and the load benchmark runs 300 clients from 127.0.0.1. The
  address is the socket's peer. Behind a reverse proxy named by ``rdlearn serve
  --trusted-proxy ADDR`` (``RDLEARN_TRUSTED_PROXIES``), and only when the request's peer
  is that proxy, the client's address is taken from ``X-Forwarded-For``
  (:func:`client_address`); a forged header from anyone else changes nothing.
* an unknown workshop is 404; an unknown option, a number off the scale or a too-long text
  is 400 with :func:`~rdlearn.room.questions.validate_answer`'s message; a closed question is 409.

Nothing here touches the kernel manager. The store's blocking work runs in a small thread
pool (:data:`WORKERS` threads), never on the event loop. Nothing a phone relies on lives only
in this process: the question last shown to the hall is kept in the store, so several
``rdlearn serve`` processes on one database answer every request the same way (only the
half-second cache and the rate limits are per process). Changing what the room is
asked (opening, closing, revealing, moderating) stays in the facilitator console, behind the
facilitator key.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdlearn.room import questions as room_questions
from rdlearn.room.questions import AnswerError, Question, WorkshopCodeError

__all__ = [
    "MAX_BODY_BYTES",
    "STATE_CACHE_SECONDS",
    "WORKERS",
    "STATIC",
    "SAVED_MESSAGE",
    "AudienceError",
    "RateLimiter",
    "AudienceSettings",
    "Audience",
    "parse_answer",
    "state_for",
    "is_loopback",
    "TRUSTED_PROXIES_VARIABLE",
    "parse_trusted_proxies",
    "client_address",
    "join_url",
    "qr_svg",
]

#: Request bodies larger than this (in bytes) are refused before they are parsed.
MAX_BODY_BYTES = 2048
#: How long one workshop's state JSON is reused (seconds).
STATE_CACHE_SECONDS = 0.5
#: Threads doing the store's SQLite work for the audience routes.
WORKERS = 4
#: The page's files (index.html, audience.css, audience.js).
STATIC = Path(__file__).resolve().parent / "static"
SAVED_MESSAGE = "Your answer is saved — you can change it until the question closes."
#: The environment variable ``rdlearn serve --trusted-proxy`` sets (comma-separated).
TRUSTED_PROXIES_VARIABLE = "RDLEARN_TRUSTED_PROXIES"
UNAVAILABLE_MESSAGE = ("The room is unavailable just now; answers already given are kept. "
                       "The page tries again by itself.")


class AudienceError(Exception):
    """A refused request: the HTTP status and a message for the person holding the phone."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------- rate limits


class RateLimiter:
    """Token buckets, one per key: ``capacity`` requests per ``per_seconds``, refilled smoothly.

    ``clock`` returns seconds (tests pass their own). At most ``max_keys`` buckets are
    kept; the least recently used one is forgotten first (a forgotten key starts full).

    >>> t = [0.0]
    >>> limiter = RateLimiter(capacity=2, per_seconds=10, clock=lambda: t[0])
    >>> [limiter.take("a"), limiter.take("a"), limiter.take("a") > 0]
    [0.0, 0.0, True]
    >>> t[0] = 5.0
    >>> limiter.take("a")
    0.0
    """

    def __init__(self, *, capacity: int, per_seconds: float,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 20_000):
        if capacity < 1 or per_seconds <= 0:
            raise ValueError("a rate limit needs a capacity of 1 or more and a positive period")
        self.capacity = float(capacity)
        self.rate = capacity / float(per_seconds)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one request for ``key``: 0.0 if allowed, else the seconds to wait."""
        now = self.clock()
        tokens, last = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + max(0.0, now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


def is_loopback(address: str) -> bool:
    """Whether a peer address is this machine (127.0.0.0/8, ::1)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(text: str) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/24``), comma-separated.

    >>> parse_trusted_proxies("127.0.0.1, 10.0.0.0/24")
    (IPv4Network('127.0.0.1/32'), IPv4Network('10.0.0.0/24'))
    """
    found = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{part!r} is not an IP address or network "
                             "(such as 10.0.0.5 or 10.0.0.0/24)") from None
    return tuple(found)


def _ip(text: str):
    try:
        ip = ipaddress.ip_address(text.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip


def _trusted(ip, proxies) -> bool:
    return ip is not None and any(ip.version == net.version and ip in net for net in proxies)


def client_address(peer: str, forwarded_for: str | None,
                   trusted: tuple[Network, ...]) -> str:
    """The client's address for the per-address limit.

    The socket's ``peer``, unless the peer is a trusted proxy: then the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy (read from the right, since a
    client can write anything on the left). A malformed header leaves the peer.

    >>> proxies = parse_trusted_proxies("10.0.0.5")
    >>> client_address("10.0.0.5", "6.6.6.6, 203.0.113.7", proxies)
    '203.0.113.7'
    >>> client_address("198.51.100.9", "203.0.113.7", proxies)  # not from the proxy: ignored
    '198.51.100.9'
    """
    if not forwarded_for or not _trusted(_ip(peer), trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            return peer
        if not _trusted(ip, trusted):
            return str(ip)
    return peer


# --------------------------------------------------------------------------- pure parts


def parse_answer(body: bytes, questions: Mapping[str, Question]) -> dict:
    """Read and check an answer's JSON body (already known to be small enough).

    Returns ``{"workshop", "question", "token", "value", "moderation"}`` with the value as it
    is stored. Raises :class:`AudienceError` (400) with a message for the participant.
    """
    if len(body) > MAX_BODY_BYTES:
        raise AudienceError(413, f"This answer is too large (the limit is {MAX_BODY_BYTES} "
                                 "bytes). Please shorten it.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise AudienceError(400, "The answer could not be read. Please reload the page.") from None
    if not isinstance(data, dict):
        raise AudienceError(400, "The answer could not be read. Please reload the page.")
    try:
        code = room_questions.normalise_workshop_code(data.get("workshop"))
    except WorkshopCodeError as exc:
        raise AudienceError(400, str(exc)) from None
    token = room_questions.normalise_token(data.get("token"))
    if token is None:
        raise AudienceError(400, "This browser has no valid anonymous token; reload the page.")
    q = questions.get(data.get("question")) if isinstance(data.get("question"), str) else None
    if q is None:
        raise AudienceError(400, "This question is not one the room is asked. "
                                 "Please reload the page.")
    try:
        value = room_questions.validate_answer(q, data.get("value"))
    except AnswerError as exc:
        raise AudienceError(400, str(exc)) from None
    return {"workshop": code, "question": q.id, "token": token, "value": value,
            "moderation": room_questions.initial_moderation(q)}


def _question_json(q: Question) -> dict:
    out: dict[str, Any] = {"id": q.id, "text": q.text, "kind": q.kind, "hint": q.hint}
    if q.kind == room_questions.SINGLE_CHOICE:
        out["options"] = [{"id": o.id, "label": o.label} for o in q.options]
    elif q.kind == room_questions.SCALE:
        out["scale"] = {"min": q.scale_min, "max": q.scale_max,
                        "low": q.low_label, "high": q.high_label}
    elif q.kind == room_questions.ONE_WORD:
        out["max_chars"] = room_questions.WORD_MAX_CHARS
    else:
        out["max_chars"] = room_questions.LINE_MAX_CHARS
    return out


def _results_json(q: Question, summary: room_questions.Summary) -> dict:
    out: dict[str, Any] = {"n": summary.n, "message": summary.message}
    if q.kind in (room_questions.SINGLE_CHOICE, room_questions.SCALE):
        out["counts"] = [{"label": label, "count": count} for label, count in summary.counts]
        if summary.mean is not None:
            out["mean"] = round(summary.mean, 2)
    elif q.kind == room_questions.ONE_WORD:
        out["words"] = [{"word": word, "count": count} for word, count in summary.counts]
    else:
        out["lines"] = list(summary.lines)
    return out


def state_for(store, workshop: str, questions: Mapping[str, Question], *,
              question_id: str | None = None) -> dict:
    """What the hall sees of a workshop now, as a JSON-ready dict (blocking: reads the store).

    ``question_id`` is the question to show when none is open; by default the one the hall
    was last shown (kept in the store), so its results stay up after it closes. Results
    appear only when the question is revealed and at least
    :data:`rdlearn.room.questions.MIN_ANSWERS` people answered. Raises
    :class:`AudienceError` (404) for an unknown workshop.
    """
    try:
        code = room_questions.normalise_workshop_code(workshop)
    except WorkshopCodeError as exc:
        raise AudienceError(400, str(exc)) from None
    if not store.workshop_exists(code):
        raise _no_workshop(code)
    current = store.current_question(code) or question_id
    if current is None and hasattr(store, "shown_question"):
        current = store.shown_question(code)
    q = questions.get(current) if current else None
    if q is None:
        return {"workshop": code, "status": "waiting", "question": None, "open": False,
                "revealed": False, "count": 0, "results": None,
                "message": "Waiting for the speaker to open a question."}
    state = store.question_state(code, q.id)
    answers = store.answers(code, q.id) if state["revealed"] else None
    count = len(answers) if answers is not None else store.count(code, q.id)
    results = None
    if state["revealed"]:
        summary = room_questions.aggregate(q, answers)
        if summary.ready:
            results = _results_json(q, summary)
            message = "The room's answers are shown below."
        else:
            message = summary.message
    elif state["open"]:
        message = "Answers are hidden until the speaker reveals them."
    else:
        message = "This question is closed. Waiting for the speaker."
    status = "revealed" if results is not None else ("open" if state["open"] else "closed")
    return {"workshop": code, "status": status, "question": _question_json(q),
            "open": state["open"], "revealed": state["revealed"], "count": count,
            "results": results, "message": message}


def join_url(origin: str, workshop: str) -> str:
    """The hall's join address: ``origin`` (``http://host:port``) + ``/audience?workshop=CODE``.

    >>> join_url("http://192.168.1.20:8866/", "rd7k3q")
    'http://192.168.1.20:8866/audience?workshop=RD7K3Q'
    """
    import re

    code = room_questions.normalise_workshop_code(workshop)
    origin = str(origin).strip().rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]{1,200}(/[A-Za-z0-9._~\-/]*)?", origin):
        raise ValueError("the address must look like http://192.168.1.20:8866")
    return f"{origin}/audience?workshop={code}"


def qr_svg(url: str, *, scale: int = 8) -> str:
    """A QR code of ``url`` as inline SVG (segno), titled for screen readers."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000000", light="#ffffff",
                                                 title=url)


# --------------------------------------------------------------------------- the service


@dataclass
class AudienceSettings:
    """The limits of the audience routes (see the module's description)."""

    answers_per_token: int = 5
    answers_per_address: int = 60
    per_seconds: float = 10.0
    limit_loopback: bool = False
    cache_seconds: float = STATE_CACHE_SECONDS
    workers: int = WORKERS
    trusted_proxies: tuple[Network, ...] = field(default_factory=lambda: parse_trusted_proxies(
        os.environ.get(TRUSTED_PROXIES_VARIABLE, "")))


class Audience:
    """What the audience routes share: the store, the thread pool, the limits, the cache.

    ``store`` is a :class:`rdlearn.room.store.Store` or a function returning one (opened on first
    use, in the thread pool); ``questions`` defaults to ``data/questions.yaml``.
    """

    def __init__(self, *, store=None, questions: Mapping[str, Question] | None = None,
                 settings: AudienceSettings | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.settings = settings or AudienceSettings()
        self.clock = clock
        self._store = store
        self._questions = dict(questions) if questions is not None else None
        s = self.settings
        self.by_token = RateLimiter(capacity=s.answers_per_token, per_seconds=s.per_seconds,
                                    clock=clock)
        self.by_address = RateLimiter(capacity=s.answers_per_address,
                                      per_seconds=s.per_seconds, clock=clock)
        self.executor = ThreadPoolExecutor(max_workers=s.workers,
                                           thread_name_prefix="rdlearn-audience")
        self._cache: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self._pending: dict[str, asyncio.Future] = {}
        self._shown: dict[str, str] = {}  # what this process last wrote (spares writes)
        self._lock = threading.Lock()

    # -- blocking parts (run in the pool)

    @property
    def store(self):
        """The room's store, opened on first use."""
        with self._lock:
            if self._store is None:
                from rdlearn.room.store import Store

                self._store = Store()
            elif callable(self._store) and not hasattr(self._store, "record_answer"):
                self._store = self._store()
            return self._store

    @property
    def questions(self) -> dict[str, Question]:
        """The room's questions, read on first use."""
        if self._questions is None:
            self._questions = room_questions.load_questions()
        return self._questions

    def state_now(self, workshop: str) -> tuple[int, bytes]:
        """``(status, JSON bytes)`` for a workshop, read from the store now (blocking)."""
        from rdlearn.room.store import StoreError

        try:
            state = state_for(self.store, workshop, self.questions)
            shown = state["question"] and state["question"]["id"]
            if shown and self._shown.get(state["workshop"]) != shown:
                self.store.show_question(state["workshop"], shown)  # for every process
                self._shown[state["workshop"]] = shown
        except AudienceError as exc:
            return exc.status, _json({"error": exc.message})
        except StoreError:
            return 503, _json({"error": UNAVAILABLE_MESSAGE})
        return 200, _json(state)

    def save_now(self, answer: dict) -> dict:
        """Store one checked answer (blocking); refusals become :class:`AudienceError`."""
        from rdlearn.room.store import QuestionClosedError, StoreError, UnknownWorkshopError

        try:
            self.store.record_answer(answer["workshop"], answer["question"],
                                     token=answer["token"], value=answer["value"],
                                     moderation=answer["moderation"])
        except UnknownWorkshopError:
            raise _no_workshop(answer["workshop"]) from None
        except QuestionClosedError:
            raise AudienceError(409, "This question is closed, so your answer was not saved."
                                ) from None
        except StoreError:
            raise AudienceError(503, "The room is unavailable just now, so this answer was "
                                     "not saved; answers already given are kept. Please try "
                                     "again in a moment.") from None
        return {"ok": True, "message": SAVED_MESSAGE, "question": answer["question"],
                "value": answer["value"]}

    # -- event-loop parts

    async def state(self, workshop: str) -> tuple[int, bytes]:
        """The cached state JSON (one store read per workshop per ``cache_seconds``)."""
        try:
            key = room_questions.normalise_workshop_code(workshop)
        except WorkshopCodeError as exc:
            return 400, _json({"error": str(exc)})
        now = self.clock()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < self.settings.cache_seconds:
            return hit[1], hit[2]
        pending = self._pending.get(key)
        if pending is None:
            loop = asyncio.get_running_loop()
            pending = asyncio.ensure_future(
                loop.run_in_executor(self.executor, self.state_now, key))
            self._pending[key] = pending
            try:
                status, body = await pending
            finally:
                self._pending.pop(key, None)
            self._cache[key] = (self.clock(), status, body)
            self._cache.move_to_end(key)
            while len(self._cache) > 512:
                self._cache.popitem(last=False)
            return status, body
        return await asyncio.shield(pending)

    def client_address(self, peer: str, forwarded_for: str | None = None) -> str:
        """The client's address: ``X-Forwarded-For`` only from a trusted proxy."""
        return client_address(peer, forwarded_for, self.settings.trusted_proxies)

    def check_address(self, address: str) -> None:
        """Spend one answer from the client address's bucket, or raise 429.

        Loopback clients are not limited by address unless ``limit_loopback`` is set.
        """
        if self.settings.limit_loopback or not is_loopback(address):
            wait = self.by_address.take(address)
            if wait > 0:
                raise _too_many(wait)

    def check_token(self, token: str) -> None:
        """Spend one answer from the browser token's bucket, or raise 429."""
        wait = self.by_token.take(token)
        if wait > 0:
            raise _too_many(wait)

    async def answer(self, body: bytes, *, address: str) -> dict:
        """Check the limits, validate, then store one answer (off the event loop)."""
        self.check_address(address)
        token = _token_in(body)
        if token is not None:
            self.check_token(token)
        answer = parse_answer(body, self.questions)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.save_now, answer)

    def close(self) -> None:
        """Stop the worker threads."""
        self.executor.shutdown(wait=False)


def _no_workshop(code: str) -> AudienceError:
    return AudienceError(404, f"There is no open workshop with the code {code}. "
                              "Check the code on the screen.")


def _too_many(wait: float) -> AudienceError:
    seconds = max(1, int(wait + 0.999))
    error = AudienceError(429, f"Too many answers in a short time. Please wait {seconds} "
                               f"second{'s' if seconds != 1 else ''} and try again.")
    error.retry_after = seconds  # type: ignore[attr-defined]
    return error


def _token_in(body: bytes) -> str | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return room_questions.normalise_token(data.get("token")) if isinstance(data, dict) else None


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
