"""Where the room's store lives and how this process talks to it (SQLAlchemy Core).

``RDLEARN_STORE`` (or ``rdlearn serve --store``) is a file path (SQLite, the default) or a
database URL (``postgresql+psycopg://user:password@host/db``). Each process keeps one engine,
so one connection pool, per store; a forked process starts its own.

SQLite's branch keeps what a file shared by many kernels needs: WAL mode, a busy timeout of
30 s, ``synchronous = FULL``, ``secure_delete``, and ``BEGIN IMMEDIATE`` for every write, so
writers take turns instead of failing. PostgreSQL's branch serialises writes with one
transaction-level advisory lock (the same rule as SQLite's single writer) and checks pooled
connections before use, so a database that went away and came back is used again without a
restart.

>>> describe("postgresql+psycopg://room:s3cret@db.example.org/rdlearn")
'postgresql+psycopg://room:***@db.example.org/rdlearn'
>>> store_url("/tmp/room.sqlite3")[1]
PosixPath('/tmp/room.sqlite3')
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

__all__ = ["BUSY_MS", "WRITE_LOCK", "StoreURLError", "store_url", "describe", "engine_for",
           "dispose", "Connection"]

BUSY_MS = 30_000
#: The advisory lock every PostgreSQL write transaction takes (one writer at a time).
WRITE_LOCK = 0x7264_6C65  # "rdle"

_SUPPORTED = ("sqlite", "postgresql")


class StoreURLError(ValueError):
    """A store address that names no database rdlearn can use (the message hides passwords)."""


def describe(url: sa.URL | str) -> str:
    """The URL as it may be shown: without its password."""
    try:
        parsed = sa.make_url(url) if isinstance(url, str) else url
    except (sa.exc.ArgumentError, ValueError):
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", str(url))
    return parsed.render_as_string(hide_password=True)


def store_url(target: str | os.PathLike) -> tuple[sa.URL, Path | None]:
    """``(SQLAlchemy URL, file path or None)`` for a path or a database URL.

    Raises :class:`StoreURLError` for a URL that is malformed or names another database.
    """
    text = os.fspath(target)
    if "://" not in text:
        path = Path(text).expanduser()
        return sa.URL.create("sqlite", database=str(path)), path
    try:
        url = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError):
        raise StoreURLError(f"the store address {describe(text)} is not a database URL "
                            "(expected postgresql+psycopg://user:password@host/database)"
                            ) from None
    backend = url.get_backend_name()
    if backend not in _SUPPORTED:
        raise StoreURLError(f"the store address {describe(url)} names a {backend} database; "
                            "rdlearn keeps its room in SQLite (a file path) or PostgreSQL "
                            "(postgresql+psycopg://...)")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StoreURLError(f"the store address {describe(url)} names no file")
        path = Path(url.database).expanduser()
        return sa.URL.create("sqlite", database=str(path)), path
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername != "postgresql+psycopg":
        raise StoreURLError(f"the store address {describe(url)} asks for the driver "
                            f"{url.get_driver_name()}; use postgresql+psycopg://")
    if not url.host and not url.query.get("host"):
        raise StoreURLError(f"the store address {describe(url)} names no host")
    if not url.database:
        raise StoreURLError(f"the store address {describe(url)} names no database")
    return url, None


# --------------------------------------------------------------------------- engines

_ENGINES: dict[tuple[str, int], sa.Engine] = {}
_LOCK = threading.Lock()


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_MS / 1000},
                              pool_size=4, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # the documented pysqlite recipe
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":  # VACUUM runs outside one
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("rdlearn_write") else "BEGIN")

    return engine


def _postgres_engine(url: sa.URL) -> sa.Engine:
    return sa.create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True,
                            pool_recycle=1800, connect_args={"connect_timeout": 5})


def engine_for(url: sa.URL) -> sa.Engine:
    """The engine (and pool) this process keeps for ``url``, made on first use."""
    key = (url.render_as_string(hide_password=False), os.getpid())
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = (_sqlite_engine(url) if url.get_backend_name() == "sqlite"
                      else _postgres_engine(url))
            _ENGINES[key] = engine
        return engine


def dispose(url: sa.URL) -> None:
    """Close this process's pooled connections to ``url`` (before a file is moved aside)."""
    key = (url.render_as_string(hide_password=False), os.getpid())
    with _LOCK:
        engine = _ENGINES.pop(key, None)
    if engine is not None:
        engine.dispose()


def _after_fork() -> None:
    # A forked kernel must not use (or close) its parent's connections.
    for engine in list(_ENGINES.values()):
        engine.dispose(close=False)
    _ENGINES.clear()


os.register_at_fork(after_in_child=_after_fork)


# --------------------------------------------------------------------------- connections


@lru_cache(maxsize=512)
def _statement(sql: str) -> tuple[sa.TextClause, int]:
    count = 0

    def name(_match) -> str:
        nonlocal count
        count += 1
        return f":p{count - 1}"

    return sa.text(re.sub(r"\?", name, sql)), count


def _named(params: Any) -> dict:
    return {f"p{i}": value for i, value in enumerate(params)}


class Connection:
    """One SQLAlchemy connection with the store layers' ``?`` placeholders.

    ``execute(sql, params)`` and ``executemany(sql, rows)`` take SQL that both SQLite and
    PostgreSQL read (``INSERT ... ON CONFLICT``), with ``?`` for each parameter;
    :attr:`rowid` names the column that numbers rows (SQLite's ``rowid``, PostgreSQL's ``id``).
    """

    def __init__(self, conn: sa.Connection):
        self.sa = conn
        self.dialect = conn.dialect.name
        self.rowid = "rowid" if self.dialect == "sqlite" else "id"

    def execute(self, sql: str, params: Any = ()) -> sa.CursorResult:
        """Run one statement; the result is read with ``fetchone``/``fetchall`` or iterated."""
        statement, _ = _statement(sql)
        return self.sa.execute(statement, _named(params))

    def executemany(self, sql: str, rows: Any) -> None:
        """Run one statement for each row of parameters."""
        rows = [_named(r) for r in rows]
        if rows:
            self.sa.execute(_statement(sql)[0], rows)
