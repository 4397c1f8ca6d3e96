"""The room store's schema: alembic migrations shipped in the package, run on opening.

The baseline revision (``0001``) is the schema rdlearn kept in its SQLite files before
alembic (their ``schema_version`` table said 3). A file from before alembic is brought to
that baseline by the old steps (:data:`LEGACY`), stamped, then upgraded like any store.
Every process opening a store runs this inside the store's write lock, so many kernels
opening a new store at once take turns and the first one migrates.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

__all__ = ["HEAD", "LEGACY", "MIGRATIONS_DIR", "NewerStoreError", "revision", "migrate"]

#: The newest revision this rdlearn knows (tests check it is alembic's head).
HEAD = "0003"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

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

#: The SQLite steps from before alembic: item ``i`` turned a version ``i`` file into ``i + 1``.
LEGACY: list[str] = [_V1, _V2, _V3]


class NewerStoreError(RuntimeError):
    """The store was written by a newer rdlearn (a revision this one does not know)."""


def _tables(conn: sa.Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


def revision(conn: sa.Connection) -> str | None:
    """The store's alembic revision, or ``None`` for a store alembic has not stamped."""
    if "alembic_version" not in _tables(conn):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _config(conn: sa.Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def migrate(conn: sa.Connection) -> bool:
    """Bring the store on ``conn`` (inside its write transaction) to :data:`HEAD`.

    Returns whether anything changed. Raises :class:`NewerStoreError` for a revision
    from a newer rdlearn.
    """
    current = revision(conn)
    if current == HEAD:
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _config(conn)
    known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
    if current is not None and current not in known:
        raise NewerStoreError(current)
    if current is None and "schema_version" in _tables(conn):
        old = int(conn.exec_driver_sql("SELECT MAX(version) FROM schema_version").scalar() or 0)
        if old > len(LEGACY):
            raise NewerStoreError(f"schema {old}")
        for step in LEGACY[old:]:
            for statement in step.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
        conn.exec_driver_sql("DROP TABLE schema_version")
        command.stamp(config, "0001")
    command.upgrade(config, "head")
    return True
