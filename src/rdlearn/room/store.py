"""The room's shared store of anonymous group answers (SQLite, one file per server).

Every participant's page runs in its own kernel process, so the store is built for many
processes writing at once: the file is in WAL mode with a busy timeout, each operation
opens its own connection, and every write is one ``BEGIN IMMEDIATE`` transaction.

* The file lives in the user's data folder (``platformdirs.user_data_dir("rdlearn")``),
  or wherever the environment variable ``RDLEARN_STORE`` points; never in the repository.
* A workshop code scopes everything: two workshops on one server never see each other.
* Data expires by itself (24 hours after the workshop was opened, by default);
  :meth:`Store.purge` deletes at once and leaves no trace in the file.
* A browser's token is stored only as a salted hash and only to stop double votes.
* A damaged file is moved aside (renamed with a timestamp) and a fresh store is started.

Examples
--------
>>> import tempfile, pathlib
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "room.sqlite3")
>>> store.create_workshop("RD7K3Q")
'RD7K3Q'
>>> store.open_question("RD7K3Q", "how-often")
>>> store.record_answer("RD7K3Q", "how-often", token="a" * 32, value="5")
>>> store.count("RD7K3Q", "how-often")
1
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rdlearn.room.questions import (
    APPROVED,
    NOT_MODERATED,
    PENDING,
    REJECTED,
    normalise_token,
    normalise_workshop_code,
)

__all__ = [
    "DEFAULT_EXPIRY",
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "StoreError",
    "QuestionClosedError",
    "UnknownWorkshopError",
    "Store",
    "default_path",
]

log = logging.getLogger("rdlearn.room.store")

#: Group data is deleted this many seconds after the workshop was opened (24 hours).
DEFAULT_EXPIRY = 24 * 60 * 60

_BUSY_MS = 30_000


class StoreError(RuntimeError):
    """A problem with the room's store, with a message for the person at the screen."""


class UnknownWorkshopError(StoreError):
    """No workshop with this code is open on this server."""


class QuestionClosedError(StoreError):
    """The question is not open for answers."""


# --------------------------------------------------------------------------- schema

_V1 = """
CREATE TABLE workshops (
    code TEXT PRIMARY KEY,
    created REAL NOT NULL
);
CREATE TABLE answers (
    workshop TEXT NOT NULL,
    question_id TEXT NOT NULL,
    voter TEXT NOT NULL,
    value TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (workshop, question_id, voter)
);
"""

_V2 = """
ALTER TABLE workshops ADD COLUMN expires REAL;
UPDATE workshops SET expires = created + 86400;
ALTER TABLE answers ADD COLUMN moderation TEXT NOT NULL DEFAULT 'none';
CREATE TABLE questions (
    workshop TEXT NOT NULL,
    question_id TEXT NOT NULL,
    is_open INTEGER NOT NULL DEFAULT 0,
    revealed INTEGER NOT NULL DEFAULT 0,
    opened REAL,
    PRIMARY KEY (workshop, question_id)
);
CREATE INDEX answers_by_question ON answers (workshop, question_id, moderation);
"""

# The connection-rating exercise's pairs (rdlearn.connection.store): kept only while running.
_V3 = """
CREATE TABLE pairs (
    code TEXT PRIMARY KEY,
    minutes INTEGER NOT NULL,
    seconds_per_minute REAL NOT NULL,
    created REAL NOT NULL,
    started REAL,
    workshop TEXT,
    shared INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE pair_partners (
    pair TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    last_seen REAL NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    consent INTEGER NOT NULL DEFAULT 0,
    collected INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pair, role)
);
CREATE TABLE pair_ratings (
    pair TEXT NOT NULL,
    role TEXT NOT NULL,
    minute INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    PRIMARY KEY (pair, role, minute)
);
"""

#: Ordered migrations: item ``i`` turns a version ``i`` file into version ``i + 1``.
MIGRATIONS: list[str] = [_V1, _V2, _V3]
SCHEMA_VERSION = len(MIGRATIONS)


def default_path() -> Path:
    """Where the store lives: ``$RDLEARN_STORE``, else the user's rdlearn data folder."""
    env = os.environ.get("RDLEARN_STORE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("rdlearn")) / "group-answers.sqlite3"


def _hash_voter(workshop: str, question_id: str, token: str) -> str:
    # Salted by workshop and question: the same browser gets unrelated ids across questions.
    digest = hashlib.sha256(f"{workshop}\0{question_id}\0{token}".encode())
    return digest.hexdigest()[:32]


class Store:
    """The room's shared answers in one SQLite file.

    Parameters
    ----------
    path
        The database file; by default :func:`default_path`.
    expires_after
        Seconds after a workshop is opened before its data is deleted (24 hours).
    now
        The clock (seconds since the epoch); tests pass their own.
    """

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        expires_after: float = DEFAULT_EXPIRY,
        now: Callable[[], float] = time.time,
    ):
        self.path = Path(path) if path is not None else default_path()
        if expires_after <= 0:
            raise ValueError("expires_after must be a positive number of seconds")
        self.expires_after = float(expires_after)
        self.now = now
        self._prepare()

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            raise StoreError(f"the room's answer store cannot be opened ({exc})") from None
        try:
            yield conn
        except sqlite3.OperationalError as exc:
            raise StoreError(f"the room's answer store is busy; try again ({exc})") from None
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self, *, sweep: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), expired data swept first."""
        with self._read() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                swept = self._sweep(conn) if sweep else 0
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if swept:
                # Expired answers leave the write-ahead log too, not only the tables.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def reading(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A connection for reading, for a store layer built on this file (the pairs')."""
        return self._read()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction, expired workshops swept first, for a store layer on this file.

        The connection exercise keeps its pairs in this file (:mod:`rdlearn.connection.store`)
        and makes each of its steps one such transaction.
        """
        return self._write()

    def compact(self) -> None:
        """Compact the file and empty its write-ahead log: deleted rows leave no trace."""
        with self._read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _prepare(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._migrate()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"the room's answer store cannot be used ({exc})") from None
            self._set_aside(exc)
            self._migrate()

    def _migrate(self) -> None:
        conn = self._connect()
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check and check[0]}")
            self._use_wal(conn)
            if self._version(conn) == SCHEMA_VERSION:
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                version = self._version(conn)
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"the store {self.path} was written by a newer rdlearn "
                        f"(schema {version}); update rdlearn or set RDLEARN_STORE elsewhere"
                    )
                for step in MIGRATIONS[version:]:
                    for statement in step.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @staticmethod
    def _use_wal(conn: sqlite3.Connection) -> None:
        # Switching a new file to WAL needs a moment alone with it; SQLite does not wait
        # for that on its own, so several kernels starting at once take turns here.
        for _ in range(200):
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                    return
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.05)
        raise sqlite3.OperationalError("database is locked (cannot switch to WAL mode)")

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if not exists:
            return 0
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _set_aside(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.now()))
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        log.warning(
            "The room's answer store %s could not be read (%s). It was moved aside to %s "
            "and a fresh, empty store was started.", self.path, exc, target,
        )

    @property
    def schema_version(self) -> int:
        """The schema version of the file (equal to :data:`SCHEMA_VERSION` once opened)."""
        with self._read() as conn:
            return self._version(conn)

    # ------------------------------------------------------------------ expiry

    def _sweep(self, conn: sqlite3.Connection) -> int:
        expired = [row[0] for row in conn.execute(
            "SELECT code FROM workshops WHERE expires <= ?", (self.now(),))]
        for code in expired:
            self._delete_workshop(conn, code)
        return len(expired)

    @staticmethod
    def _delete_workshop(conn: sqlite3.Connection, code: str) -> None:
        conn.execute("DELETE FROM answers WHERE workshop = ?", (code,))
        conn.execute("DELETE FROM questions WHERE workshop = ?", (code,))
        conn.execute("DELETE FROM workshops WHERE code = ?", (code,))

    def expire(self) -> int:
        """Delete every workshop whose time is up; return how many were deleted."""
        with self._write(sweep=False) as conn:
            swept = self._sweep(conn)
        if swept:
            with self._read() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return swept

    def purge(self, workshop: str | None = None) -> int:
        """Delete one workshop's data (or every workshop's) now, leaving no trace in the file.

        Returns the number of workshops deleted. The file is compacted (``VACUUM``) and
        its write-ahead log emptied, so the deleted answers cannot be read from its bytes.
        """
        with self._write() as conn:
            if workshop is None:
                codes = [row[0] for row in conn.execute("SELECT code FROM workshops")]
                tables = [row[0] for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name != 'schema_version'")]
                for table in tables:  # every table, including ones added by later migrations
                    conn.execute(f'DELETE FROM "{table}"')
            else:
                code = normalise_workshop_code(workshop)
                codes = [row[0] for row in conn.execute(
                    "SELECT code FROM workshops WHERE code = ?", (code,))]
                self._delete_workshop(conn, code)
        self.compact()
        return len(codes)

    # ------------------------------------------------------------------ workshops

    def create_workshop(self, code: str) -> str:
        """Open a workshop under ``code`` (kept as it is if already open); return the code."""
        code = normalise_workshop_code(code)
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO workshops (code, created, expires) VALUES (?, ?, ?)",
                (code, now, now + self.expires_after),
            )
        return code

    def workshop_exists(self, code: str) -> bool:
        """Whether a workshop with this code is open (and not expired)."""
        try:
            code = normalise_workshop_code(code)
        except ValueError:
            return False
        with self._read() as conn:
            row = conn.execute("SELECT 1 FROM workshops WHERE code = ? AND expires > ?",
                               (code, self.now())).fetchone()
        return row is not None

    def workshops(self) -> list[str]:
        """Codes of the open workshops."""
        with self._read() as conn:
            return [row[0] for row in conn.execute(
                "SELECT code FROM workshops WHERE expires > ? ORDER BY created", (self.now(),))]

    def _require_workshop(self, conn: sqlite3.Connection, code: str) -> None:
        row = conn.execute("SELECT 1 FROM workshops WHERE code = ? AND expires > ?",
                           (code, self.now())).fetchone()
        if row is None:
            raise UnknownWorkshopError(f"there is no open workshop with the code {code}")

    # ------------------------------------------------------------------ questions

    def _set_question(self, workshop: str, question_id: str, **changes: int) -> None:
        code = normalise_workshop_code(workshop)
        with self._write() as conn:
            self._require_workshop(conn, code)
            conn.execute(
                "INSERT OR IGNORE INTO questions (workshop, question_id) VALUES (?, ?)",
                (code, question_id),
            )
            for column, value in changes.items():
                conn.execute(
                    f"UPDATE questions SET {column} = ? WHERE workshop = ? AND question_id = ?",
                    (value, code, question_id),
                )

    def open_question(self, workshop: str, question_id: str) -> None:
        """Open a question for answers (its results stay hidden until revealed)."""
        self._set_question(workshop, question_id, is_open=1, opened=self.now())

    def close_question(self, workshop: str, question_id: str) -> None:
        """Stop taking answers to a question (answers given so far are kept)."""
        self._set_question(workshop, question_id, is_open=0)

    def reveal(self, workshop: str, question_id: str, *, revealed: bool = True) -> None:
        """Show (or hide again) a question's results to the room."""
        self._set_question(workshop, question_id, revealed=int(bool(revealed)))

    def question_state(self, workshop: str, question_id: str) -> dict:
        """``{"open": bool, "revealed": bool}`` for a question (both false if never opened)."""
        code = normalise_workshop_code(workshop)
        with self._read() as conn:
            row = conn.execute(
                "SELECT q.is_open, q.revealed FROM questions q JOIN workshops w "
                "ON w.code = q.workshop WHERE q.workshop = ? AND q.question_id = ? "
                "AND w.expires > ?", (code, question_id, self.now())).fetchone()
        return {"open": bool(row and row[0]), "revealed": bool(row and row[1])}

    def current_question(self, workshop: str) -> str | None:
        """The open question opened most recently, or ``None``."""
        code = normalise_workshop_code(workshop)
        with self._read() as conn:
            row = conn.execute(
                "SELECT q.question_id FROM questions q JOIN workshops w ON w.code = q.workshop "
                "WHERE q.workshop = ? AND q.is_open = 1 AND w.expires > ? "
                "ORDER BY q.opened DESC, q.rowid DESC LIMIT 1", (code, self.now())).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ answers

    def record_answer(
        self, workshop: str, question_id: str, *, token: str, value: str,
        moderation: str = NOT_MODERATED,
    ) -> None:
        """Record (or change) one browser's answer to an open question.

        ``value`` must already be checked (:func:`rdlearn.room.questions.validate_answer`). The
        token stops double votes: a second answer from the same browser replaces the first.
        A changed word or line goes back into the moderation queue.
        """
        code = normalise_workshop_code(workshop)
        clean = normalise_token(token)
        if clean is None:
            raise StoreError("this browser has no valid anonymous token; reload the page")
        if moderation not in (NOT_MODERATED, PENDING):
            raise ValueError("a new answer is either not moderated or pending")
        voter = _hash_voter(code, question_id, clean)
        with self._write() as conn:
            self._require_workshop(conn, code)
            row = conn.execute("SELECT is_open FROM questions WHERE workshop = ? AND "
                               "question_id = ?", (code, question_id)).fetchone()
            if not row or not row[0]:
                raise QuestionClosedError("this question is not open for answers at the moment")
            conn.execute(
                "INSERT INTO answers (workshop, question_id, voter, value, updated, moderation) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (workshop, question_id, voter) DO UPDATE SET "
                "value = excluded.value, updated = excluded.updated, "
                "moderation = CASE WHEN answers.value = excluded.value THEN answers.moderation "
                "ELSE excluded.moderation END",
                (code, question_id, voter, str(value), self.now(), moderation),
            )

    def add_shared_value(self, conn: sqlite3.Connection, workshop: str, question_id: str, *,
                         voter: str, value: str, at: float) -> bool:
        """Add one value to the room's answers inside ``conn``'s transaction, only once.

        For values several people share (a pair's r), under a ``voter`` hash the caller
        makes; the value needs no moderation. ``at`` is the caller's time of sharing.
        Returns ``False`` (and adds nothing) if the workshop is not open at that time.
        """
        alive = conn.execute("SELECT 1 FROM workshops WHERE code = ? AND expires > ?",
                             (workshop, at)).fetchone()
        if not alive:
            return False
        conn.execute(
            "INSERT OR IGNORE INTO answers (workshop, question_id, voter, value, updated, "
            "moderation) VALUES (?, ?, ?, ?, ?, ?)",
            (workshop, question_id, voter, value, at, NOT_MODERATED))
        return True

    def my_answer(self, workshop: str, question_id: str, *, token: str) -> str | None:
        """The answer this browser gave, if any (so a participant sees and can change it)."""
        code = normalise_workshop_code(workshop)
        clean = normalise_token(token)
        if clean is None:
            return None
        with self._read() as conn:
            row = conn.execute(
                "SELECT a.value FROM answers a JOIN workshops w ON w.code = a.workshop "
                "WHERE a.workshop = ? AND a.question_id = ? AND a.voter = ? AND w.expires > ?",
                (code, question_id, _hash_voter(code, question_id, clean), self.now()),
            ).fetchone()
        return row[0] if row else None

    def answers(self, workshop: str, question_id: str) -> list[dict]:
        """Every answer to a question: ``{"id", "value", "moderation"}`` (no tokens)."""
        code = normalise_workshop_code(workshop)
        with self._read() as conn:
            rows = conn.execute(
                "SELECT a.rowid, a.value, a.moderation FROM answers a JOIN workshops w "
                "ON w.code = a.workshop WHERE a.workshop = ? AND a.question_id = ? "
                "AND w.expires > ? ORDER BY a.updated, a.rowid",
                (code, question_id, self.now()),
            ).fetchall()
        return [{"id": r[0], "value": r[1], "moderation": r[2]} for r in rows]

    def count(self, workshop: str, question_id: str) -> int:
        """How many browsers have answered a question."""
        code = normalise_workshop_code(workshop)
        with self._read() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM answers a JOIN workshops w ON w.code = a.workshop "
                "WHERE a.workshop = ? AND a.question_id = ? AND w.expires > ?",
                (code, question_id, self.now())).fetchone()
        return int(row[0])

    def answered_questions(self, workshop: str) -> list[str]:
        """Ids of the questions with at least one answer in this workshop."""
        code = normalise_workshop_code(workshop)
        with self._read() as conn:
            return [r[0] for r in conn.execute(
                "SELECT DISTINCT a.question_id FROM answers a JOIN workshops w "
                "ON w.code = a.workshop WHERE a.workshop = ? AND w.expires > ? "
                "ORDER BY a.question_id", (code, self.now()))]

    def moderation_queue(self, workshop: str, question_id: str | None = None) -> list[dict]:
        """Words and lines waiting for approval: ``{"id", "question_id", "value"}``."""
        code = normalise_workshop_code(workshop)
        sql = ("SELECT a.rowid, a.question_id, a.value FROM answers a JOIN workshops w "
               "ON w.code = a.workshop WHERE a.workshop = ? AND a.moderation = ? "
               "AND w.expires > ?")
        params: list = [code, PENDING, self.now()]
        if question_id is not None:
            sql += " AND a.question_id = ?"
            params.append(question_id)
        with self._read() as conn:
            rows = conn.execute(sql + " ORDER BY a.updated, a.rowid", params).fetchall()
        return [{"id": r[0], "question_id": r[1], "value": r[2]} for r in rows]

    def moderate(self, workshop: str, answer_id: int, *, approve: bool) -> None:
        """Approve (shown to the room once revealed) or reject one waiting answer."""
        code = normalise_workshop_code(workshop)
        if isinstance(answer_id, bool) or not isinstance(answer_id, int):
            raise ValueError("answer_id must be a number from the moderation queue")
        with self._write() as conn:
            conn.execute(
                "UPDATE answers SET moderation = ? WHERE workshop = ? AND rowid = ? "
                "AND moderation != ?",
                (APPROVED if approve else REJECTED, code, answer_id, NOT_MODERATED),
            )
