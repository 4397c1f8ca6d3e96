"""The room's shared store of anonymous group answers: a SQLite file, or a PostgreSQL database.

Every participant's page runs in its own kernel process (and a hall may be served by several
``rdlearn serve`` processes), so the store is built for many processes writing at once:
every write is one transaction, and writers take turns (SQLite's ``BEGIN IMMEDIATE`` on a
file in WAL mode with a busy timeout; PostgreSQL's advisory lock). See
:mod:`rdlearn.room.store.engine` for the two engines and :mod:`rdlearn.room.store.schema` for
the migrations.

* The store is a file in the user's data folder (``platformdirs.user_data_dir("rdlearn")``),
  or whatever ``RDLEARN_STORE`` names: a file path or a ``postgresql+psycopg://`` URL.
* A workshop code scopes everything: two workshops on one store never see each other.
* Data expires by itself (24 hours after the workshop was opened, by default);
  :meth:`Store.purge` deletes at once. A SQLite file keeps no trace of it; PostgreSQL
  rewrites its tables (``VACUUM FULL``), but its write-ahead log and backups are the
  database administrator's (see the README).
* A browser's token is stored only as a salted hash and only to stop double votes.
* A damaged SQLite file is moved aside (renamed with a timestamp) and a fresh store started.

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

import sqlalchemy as sa

from rdlearn.room.questions import (
    APPROVED,
    NOT_MODERATED,
    PENDING,
    REJECTED,
    normalise_token,
    normalise_workshop_code,
)
from rdlearn.room.store import engine as engines
from rdlearn.room.store import schema
from rdlearn.room.store.engine import Connection, StoreURLError

__all__ = [
    "DEFAULT_EXPIRY",
    "SCHEMA_VERSION",
    "StoreError",
    "StoreUnavailableError",
    "QuestionClosedError",
    "UnknownWorkshopError",
    "Store",
    "default_path",
    "default_target",
]

log = logging.getLogger("rdlearn.room.store")

#: Group data is deleted this many seconds after the workshop was opened (24 hours).
DEFAULT_EXPIRY = 24 * 60 * 60
#: The store's schema revision (alembic's head).
SCHEMA_VERSION = schema.HEAD


class StoreError(RuntimeError):
    """A problem with the room's store, with a message for the person at the screen."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached just now (the database is down or busy); try again."""


class UnknownWorkshopError(StoreError):
    """No workshop with this code is open on this server."""


class QuestionClosedError(StoreError):
    """The question is not open for answers."""


def default_target() -> str:
    """The store's address: ``$RDLEARN_STORE`` (a path or a URL), else the data-folder file."""
    env = os.environ.get("RDLEARN_STORE", "").strip()
    if env:
        return env
    import platformdirs

    return str(Path(platformdirs.user_data_dir("rdlearn")) / "group-answers.sqlite3")


def default_path() -> Path:
    """Where the SQLite store lives by default: ``$RDLEARN_STORE``, else the data folder."""
    return Path(default_target()).expanduser()


def _hash_voter(workshop: str, question_id: str, token: str) -> str:
    # Salted by workshop and question: the same browser gets unrelated ids across questions.
    digest = hashlib.sha256(f"{workshop}\0{question_id}\0{token}".encode())
    return digest.hexdigest()[:32]


class Store:
    """The room's shared answers, in one SQLite file or one PostgreSQL database.

    Parameters
    ----------
    path
        A file path or a database URL; by default :func:`default_target`.
    expires_after
        Seconds after a workshop is opened before its data is deleted (24 hours).
    now
        The clock (seconds since the epoch); tests pass their own.

    Raises :class:`StoreError` (its message names the store, never its password) when the
    address is malformed or the database cannot be reached.
    """

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        expires_after: float = DEFAULT_EXPIRY,
        now: Callable[[], float] = time.time,
    ):
        try:
            self.url, self.path = engines.store_url(path if path is not None
                                                    else default_target())
        except StoreURLError as exc:
            raise StoreError(str(exc)) from None
        if expires_after <= 0:
            raise ValueError("expires_after must be a positive number of seconds")
        self.expires_after = float(expires_after)
        self.now = now
        self.sqlite = self.path is not None
        self._prepare()

    @property
    def location(self) -> str:
        """The store as it may be shown: the file, or the URL without its password."""
        return str(self.path) if self.sqlite else engines.describe(self.url)

    # ------------------------------------------------------------------ connections

    @property
    def engine(self) -> sa.Engine:
        """The engine (one connection pool) this process keeps for the store."""
        return engines.engine_for(self.url)

    def _problem(self, exc: Exception) -> StoreError:
        orig = getattr(exc, "orig", exc)
        if self.sqlite:
            if isinstance(orig, sqlite3.OperationalError) and (
                    "locked" in str(orig) or "busy" in str(orig)):
                return StoreUnavailableError(
                    f"the room's answer store is busy; try again ({orig})")
            return StoreError(f"the room's answer store {self.location} cannot be used ({orig})")
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return StoreUnavailableError(
            f"the room's database {self.location} is unavailable ({first})")

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield Connection(conn)
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise self._problem(exc) from None
        except sa.exc.DBAPIError as exc:
            if exc.connection_invalidated:
                raise self._problem(exc) from None
            raise

    @contextlib.contextmanager
    def _write(self, *, sweep: bool = True) -> Iterator[Connection]:
        """One write transaction (writers take turns), expired data swept first."""
        swept = 0
        with self._read() as conn:
            conn.sa.execution_options(rdlearn_write=True)
            with conn.sa.begin():
                if not self.sqlite:
                    conn.execute("SELECT pg_advisory_xact_lock(?)", (engines.WRITE_LOCK,))
                swept = self._sweep(conn) if sweep else 0
                yield conn
        if swept:
            self._after_sweep()

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        """A connection for reading, for a store layer built on this store (the pairs')."""
        return self._read()

    def transaction(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction, expired workshops swept first, for a store layer on this store.

        The connection exercise keeps its pairs here (:mod:`rdlearn.connection.store`) and
        makes each of its steps one such transaction. Its SQL uses ``?`` placeholders and
        what SQLite and PostgreSQL both read (:class:`rdlearn.room.store.engine.Connection`).
        """
        return self._write()

    def _after_sweep(self) -> None:
        if self.sqlite:  # expired answers leave the write-ahead log too, not only the tables
            with self._read() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def compact(self, *, full: bool = False) -> None:
        """Let deleted rows leave no trace that rdlearn can clear.

        SQLite: compact the file (``VACUUM``) and empty its write-ahead log. PostgreSQL:
        ``VACUUM`` the tables (``VACUUM FULL``, which rewrites them, when ``full``); what the
        server's own log and backups keep is the administrator's to clear (see the README).
        """
        try:
            with self.engine.connect() as raw:
                raw = raw.execution_options(isolation_level="AUTOCOMMIT")
                if self.sqlite:
                    raw.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    raw.exec_driver_sql("VACUUM")
                    raw.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    return
                for table in sorted(set(sa.inspect(raw).get_table_names()) - {"alembic_version"}):
                    raw.exec_driver_sql(f'VACUUM {"FULL " if full else ""}"{table}"')
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise self._problem(exc) from None

    # ------------------------------------------------------------------ opening

    def _prepare(self) -> None:
        if self.sqlite:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._check_file()
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):
                    raise StoreError(
                        f"the room's answer store {self.path} cannot be used ({exc})") from None
                self._set_aside(exc)
                self._check_file()
        try:
            self._migrate()
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"the store address {self.location} cannot be used ({exc})"
                             ) from None

    def _check_file(self) -> None:
        conn = sqlite3.connect(self.path, timeout=engines.BUSY_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {engines.BUSY_MS}")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check and check[0]}")
            self._use_wal(conn)
        finally:
            conn.close()

    def _migrate(self) -> None:
        with self._read() as conn:
            if schema.revision(conn.sa) == schema.HEAD:
                conn.sa.rollback()
                return
            conn.sa.rollback()
            conn.sa.execution_options(rdlearn_write=True)
            with conn.sa.begin():
                if not self.sqlite:
                    conn.execute("SELECT pg_advisory_xact_lock(?)", (engines.WRITE_LOCK,))
                try:
                    schema.migrate(conn.sa)
                except schema.NewerStoreError as exc:
                    raise StoreError(
                        f"the store {self.location} was written by a newer rdlearn "
                        f"({exc}); update rdlearn or set RDLEARN_STORE elsewhere") from None

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

    def _set_aside(self, exc: Exception) -> None:
        engines.dispose(self.url)
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
    def schema_version(self) -> str | None:
        """The store's schema revision (equal to :data:`SCHEMA_VERSION` once opened)."""
        with self._read() as conn:
            return schema.revision(conn.sa)

    # ------------------------------------------------------------------ expiry

    def _sweep(self, conn: Connection) -> int:
        expired = [row[0] for row in conn.execute(
            "SELECT code FROM workshops WHERE expires <= ?", (self.now(),))]
        for code in expired:
            self._delete_workshop(conn, code)
        return len(expired)

    @staticmethod
    def _delete_workshop(conn: Connection, code: str) -> None:
        conn.execute("DELETE FROM answers WHERE workshop = ?", (code,))
        conn.execute("DELETE FROM questions WHERE workshop = ?", (code,))
        conn.execute("DELETE FROM workshops WHERE code = ?", (code,))

    def expire(self) -> int:
        """Delete every workshop whose time is up; return how many were deleted."""
        with self._write(sweep=False) as conn:
            swept = self._sweep(conn)
        if swept:
            self._after_sweep()
        return swept

    def purge(self, workshop: str | None = None) -> int:
        """Delete one workshop's data (or every workshop's) now.

        Returns the number of workshops deleted. A SQLite file is compacted (``VACUUM``) and
        its write-ahead log emptied, so the deleted answers cannot be read from its bytes;
        PostgreSQL's tables are rewritten (``VACUUM FULL``), see :meth:`compact`.
        """
        with self._write() as conn:
            if workshop is None:
                codes = [row[0] for row in conn.execute("SELECT code FROM workshops")]
                tables = sorted(set(sa.inspect(conn.sa).get_table_names())
                                - {"alembic_version", "schema_version"})
                for table in tables:  # every table, including ones added by later migrations
                    conn.execute(f'DELETE FROM "{table}"')
            else:
                code = normalise_workshop_code(workshop)
                codes = [row[0] for row in conn.execute(
                    "SELECT code FROM workshops WHERE code = ?", (code,))]
                self._delete_workshop(conn, code)
        self.compact(full=True)
        return len(codes)

    # ------------------------------------------------------------------ workshops

    def create_workshop(self, code: str) -> str:
        """Open a workshop under ``code`` (kept as it is if already open); return the code."""
        code = normalise_workshop_code(code)
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO workshops (code, created, expires) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
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

    def _require_workshop(self, conn: Connection, code: str) -> None:
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
                "INSERT INTO questions (workshop, question_id) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
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
                f"ORDER BY q.opened DESC, q.{conn.rowid} DESC LIMIT 1",
                (code, self.now())).fetchone()
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

    def add_shared_value(self, conn: Connection, workshop: str, question_id: str, *,
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
            "INSERT INTO answers (workshop, question_id, voter, value, updated, "
            "moderation) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
                f"SELECT a.{conn.rowid}, a.value, a.moderation FROM answers a JOIN workshops w "
                "ON w.code = a.workshop WHERE a.workshop = ? AND a.question_id = ? "
                f"AND w.expires > ? ORDER BY a.updated, a.{conn.rowid}",
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
        sql = ("SELECT a.{id}, a.question_id, a.value FROM answers a JOIN workshops w "
               "ON w.code = a.workshop WHERE a.workshop = ? AND a.moderation = ? "
               "AND w.expires > ?")
        params: list = [code, PENDING, self.now()]
        if question_id is not None:
            sql += " AND a.question_id = ?"
            params.append(question_id)
        with self._read() as conn:
            rows = conn.execute((sql + " ORDER BY a.updated, a.{id}").format(id=conn.rowid),
                                params).fetchall()
        return [{"id": r[0], "question_id": r[1], "value": r[2]} for r in rows]

    def moderate(self, workshop: str, answer_id: int, *, approve: bool) -> None:
        """Approve (shown to the room once revealed) or reject one waiting answer."""
        code = normalise_workshop_code(workshop)
        if isinstance(answer_id, bool) or not isinstance(answer_id, int):
            raise ValueError("answer_id must be a number from the moderation queue")
        with self._write() as conn:
            conn.execute(
                f"UPDATE answers SET moderation = ? WHERE workshop = ? AND {conn.rowid} = ? "
                "AND moderation != ?",
                (APPROVED if approve else REJECTED, code, answer_id, NOT_MODERATED),
            )

    # ------------------------------------------------------------------ the hall

    def shown_question(self, workshop: str) -> str | None:
        """The question the hall was last shown (its results stay up after it closes)."""
        code = normalise_workshop_code(workshop)
        with self._read() as conn:
            row = conn.execute("SELECT shown FROM workshops WHERE code = ? AND expires > ?",
                               (code, self.now())).fetchone()
        return row[0] if row else None

    def show_question(self, workshop: str, question_id: str) -> None:
        """Note the question the hall is shown now, for every process serving the hall."""
        code = normalise_workshop_code(workshop)
        with self._write() as conn:
            conn.execute("UPDATE workshops SET shown = ? WHERE code = ? AND "
                         "(shown IS NULL OR shown != ?)", (question_id, code, question_id))
