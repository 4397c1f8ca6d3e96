"""The room's shared store: many processes, isolation, expiry, purge and damaged files.

Every test taking ``target`` runs twice: on a SQLite file and on a database of a PostgreSQL
server the tests start themselves (tests/support/postgres.py). Tests of the file itself
(WAL, bytes on disk, damaged files, old files) take ``path`` and run on SQLite.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from rdlearn.room import store as store_mod
from rdlearn.room.questions import APPROVED, NOT_MODERATED, PENDING
from rdlearn.room.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    QuestionClosedError,
    Store,
    UnknownWorkshopError,
)
from tests.support.postgres import shared_cluster

QUESTION = "how-often-at-depth"


def token(n: int) -> str:
    return f"browser-token-{n:04d}-abcdef"


class Clock:
    def __init__(self, start: float = 1_700_000_000.0):
        self.t = start

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "room.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    """A new, empty store: a SQLite file, or a fresh database on the tests' PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "room.sqlite3")
    return shared_cluster().new_database()


@pytest.fixture
def room(target) -> Store:
    s = Store(target)
    s.create_workshop("ROOM01")
    s.open_question("ROOM01", QUESTION)
    return s


def rows(target: str, sql: str) -> list[tuple]:
    """Read the store behind the app's back (another process's view)."""
    url = target if "://" in target else f"sqlite:///{target}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def test_file_is_in_wal_mode_with_current_schema(path):
    room = Store(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            SCHEMA_VERSION)
    finally:
        conn.close()
    assert room.schema_version == SCHEMA_VERSION


def test_the_schema_head_is_alembics_and_times_keep_their_seconds_on_both(target):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from rdlearn.room.store import schema

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_VERSION
    s = Store(target, now=lambda: 1_700_000_123.25, expires_after=1.5)
    s.create_workshop("EXACT1")
    assert rows(target, "SELECT created, expires FROM workshops") == [
        (1_700_000_123.25, 1_700_000_124.75)]
    assert Store(target, now=lambda: 1_700_000_124.5).workshop_exists("EXACT1")
    assert not Store(target, now=lambda: 1_700_000_124.75).workshop_exists("EXACT1")


def test_default_location_is_the_user_data_folder_or_the_env_variable(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("RDLEARN_STORE", raising=False)
    default = store_mod.default_path()
    assert default.parent == Path(platformdirs.user_data_dir("rdlearn"))
    repo = Path(__file__).resolve().parents[1]
    assert repo not in default.resolve().parents
    monkeypatch.setenv("RDLEARN_STORE", str(tmp_path / "elsewhere.sqlite3"))
    assert Store().path == tmp_path / "elsewhere.sqlite3"
    assert (tmp_path / "elsewhere.sqlite3").is_file()


def test_two_workshops_never_see_each_other(target):
    s = Store(target)
    for code in ("ALPHA1", "BRAVO2"):
        s.create_workshop(code)
        s.open_question(code, QUESTION)
        s.open_question(code, "arriving-word")
    s.record_answer("ALPHA1", QUESTION, token=token(1), value="7")
    s.record_answer("ALPHA1", QUESTION, token=token(2), value="6")
    s.record_answer("BRAVO2", QUESTION, token=token(1), value="1")
    s.record_answer("ALPHA1", "arriving-word", token=token(1), value="curious",
                    moderation=PENDING)
    assert sorted(a["value"] for a in s.answers("ALPHA1", QUESTION)) == ["6", "7"]
    assert [a["value"] for a in s.answers("BRAVO2", QUESTION)] == ["1"]
    assert s.moderation_queue("BRAVO2") == []
    alpha_word = s.moderation_queue("ALPHA1")[0]["id"]
    s.moderate("BRAVO2", alpha_word, approve=True)  # another workshop cannot approve it
    assert s.answers("ALPHA1", "arriving-word")[0]["moderation"] == PENDING
    s.reveal("BRAVO2", QUESTION)
    assert s.question_state("ALPHA1", QUESTION) == {"open": True, "revealed": False}
    assert s.my_answer("BRAVO2", QUESTION, token=token(2)) is None


def test_changing_an_answer_updates_it_instead_of_adding_one(room):
    room.record_answer("ROOM01", QUESTION, token=token(1), value="3")
    room.record_answer("ROOM01", QUESTION, token=token(1), value="6")
    assert room.count("ROOM01", QUESTION) == 1
    assert room.my_answer("ROOM01", QUESTION, token=token(1)) == "6"
    assert [a["moderation"] for a in room.answers("ROOM01", QUESTION)] == [NOT_MODERATED]


def test_a_changed_word_goes_back_to_the_moderation_queue(room):
    room.open_question("ROOM01", "arriving-word")
    room.record_answer("ROOM01", "arriving-word", token=token(1), value="calm", moderation=PENDING)
    (item,) = room.moderation_queue("ROOM01", "arriving-word")
    room.moderate("ROOM01", item["id"], approve=True)
    assert room.answers("ROOM01", "arriving-word")[0]["moderation"] == APPROVED
    room.record_answer("ROOM01", "arriving-word", token=token(1), value="calm", moderation=PENDING)
    assert room.answers("ROOM01", "arriving-word")[0]["moderation"] == APPROVED
    room.record_answer("ROOM01", "arriving-word", token=token(1), value="rude", moderation=PENDING)
    assert [a["value"] for a in room.moderation_queue("ROOM01")] == ["rude"]


def test_answers_need_an_open_question_and_an_open_workshop(room):
    room.close_question("ROOM01", QUESTION)
    with pytest.raises(QuestionClosedError, match="not open"):
        room.record_answer("ROOM01", QUESTION, token=token(1), value="3")
    with pytest.raises(UnknownWorkshopError, match="NOPE99"):
        room.record_answer("NOPE99", QUESTION, token=token(1), value="3")
    with pytest.raises(store_mod.StoreError, match="token"):
        room.open_question("ROOM01", QUESTION)
        room.record_answer("ROOM01", QUESTION, token="short", value="3")
    assert room.count("ROOM01", QUESTION) == 0


def test_current_question_is_the_one_opened_last(target):
    clock = Clock()
    s = Store(target, now=clock)
    s.create_workshop("ROOM01")
    assert s.current_question("ROOM01") is None
    s.open_question("ROOM01", "a-first")
    clock.t += 5
    s.open_question("ROOM01", "b-second")
    assert s.current_question("ROOM01") == "b-second"
    s.close_question("ROOM01", "b-second")
    assert s.current_question("ROOM01") == "a-first"
    s.open_question("ROOM01", "c-third")  # opened in the same second: the later one wins
    s.open_question("ROOM01", "d-fourth")
    assert s.current_question("ROOM01") == "d-fourth"


# --------------------------------------------------------------------------- many processes


def _vote(path: str, n: int, barrier, results) -> None:
    try:
        s = Store(path)
        barrier.wait(timeout=120)  # all forty are released together
        s.record_answer("ROOM01", QUESTION, token=token(n), value=str(1 + n % 7))
        results.put((n, "ok"))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put((n, f"{type(exc).__name__}: {exc}"))


def test_forty_processes_voting_together_are_all_recorded(room, target):
    ctx = multiprocessing.get_context("fork")
    voters = 40
    barrier = ctx.Barrier(voters)
    results = ctx.Queue()
    procs = [ctx.Process(target=_vote, args=(target, n, barrier, results))
             for n in range(voters)]
    for p in procs:
        p.start()
    reports = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
    errors = [r for r in reports if r[1] != "ok"]
    assert errors == []
    answers = room.answers("ROOM01", QUESTION)
    assert len(answers) == voters
    assert len({a["id"] for a in answers}) == voters
    expected = sorted(str(1 + n % 7) for n in range(voters))
    assert sorted(a["value"] for a in answers) == expected
    assert all(p.exitcode == 0 for p in procs)


def _open_fresh(path: str, n: int, barrier, results) -> None:
    try:
        barrier.wait(timeout=120)
        s = Store(path)
        s.create_workshop("ROOM01")
        results.put((n, "ok"))
    except Exception as exc:
        results.put((n, f"{type(exc).__name__}: {exc}"))


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_many_kernels_opening_a_new_store_at_once_all_succeed(tmp_path, engine):
    ctx = multiprocessing.get_context("fork")
    kernels = 30
    for trial in range(3):
        path = (str(tmp_path / f"fresh-{trial}.sqlite3") if engine == "sqlite"
                else shared_cluster().new_database())
        barrier = ctx.Barrier(kernels)
        results = ctx.Queue()
        procs = [ctx.Process(target=_open_fresh, args=(path, n, barrier, results))
                 for n in range(kernels)]
        for p in procs:
            p.start()
        reports = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=120)
        assert [r for r in reports if r[1] != "ok"] == []
        assert Store(path).workshops() == ["ROOM01"]


def _hold_write_lock(path: str, ready) -> None:
    s = Store(path)
    with s.transaction() as conn:
        conn.execute(
            "INSERT INTO answers (workshop, question_id, voter, value, updated, moderation) "
            "VALUES ('ROOM01', ?, 'half-written', '7', 0, 'none')", (QUESTION,))
        ready.set()
        threading.Event().wait()  # hold BEGIN IMMEDIATE until killed


def test_killing_a_writer_mid_transaction_loses_nothing_committed(room, target):
    for n in range(3):
        room.record_answer("ROOM01", QUESTION, token=token(n), value="4")
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    writer = ctx.Process(target=_hold_write_lock, args=(target, ready))
    writer.start()
    assert ready.wait(timeout=60)
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=60)
    assert writer.exitcode == -signal.SIGKILL

    reopened = Store(target)
    assert sorted(a["value"] for a in reopened.answers("ROOM01", QUESTION)) == ["4", "4", "4"]
    reopened.record_answer("ROOM01", QUESTION, token=token(9), value="2")
    assert reopened.count("ROOM01", QUESTION) == 4


# --------------------------------------------------------------------------- expiry and purge


def test_data_expires_after_24_hours_by_default(target):
    clock = Clock()
    s = Store(target, now=clock)
    s.create_workshop("ROOM01")
    s.open_question("ROOM01", QUESTION)
    s.record_answer("ROOM01", QUESTION, token=token(1), value="5")
    clock.t += 24 * 3600 - 1
    assert s.workshop_exists("ROOM01")
    assert s.count("ROOM01", QUESTION) == 1
    clock.t += 1
    assert not s.workshop_exists("ROOM01")
    assert s.count("ROOM01", QUESTION) == 0
    assert s.expire() == 1
    assert rows(target, "SELECT COUNT(*) FROM answers") == [(0,)]
    assert rows(target, "SELECT COUNT(*) FROM workshops") == [(0,)]


def test_expired_answers_leave_no_readable_text(path):
    clock = Clock()
    s = Store(path, now=clock, expires_after=60)
    s.create_workshop("OLDDAY")
    s.open_question("OLDDAY", "arriving-word")
    for n in range(10):
        s.record_answer("OLDDAY", "arriving-word", token=token(n), value=f"quokkaword{n}",
                        moderation=PENDING)
    other_kernel = sqlite3.connect(path)  # keeps the log from being tidied away on close
    try:
        other_kernel.execute("SELECT COUNT(*) FROM workshops").fetchone()
        assert b"quokkaword" in _raw_bytes(path)
        clock.t += 60
        assert s.expire() == 1
        assert b"quokkaword" not in _raw_bytes(path)
    finally:
        other_kernel.close()


def test_expiry_time_is_an_option(target):
    clock = Clock()
    s = Store(target, now=clock, expires_after=3600)
    s.create_workshop("SHORT1")
    clock.t += 3599
    assert s.workshops() == ["SHORT1"]
    clock.t += 1
    assert s.workshops() == []
    s.create_workshop("LATER1")  # any write sweeps what has expired
    assert s.expire() == 0
    with pytest.raises(ValueError):
        Store(target, expires_after=0)


def _raw_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_purge_leaves_no_trace_in_the_file(path):
    s = Store(path)
    secret_code, kept_code = "PURGEME1", "KEEPME22"
    for code in (secret_code, kept_code):
        s.create_workshop(code)
        s.open_question(code, "what-helps-depth")
    for n in range(20):
        s.record_answer(secret_code, "what-helps-depth", token=token(n),
                        value=f"zebralantern secret line number {n}", moderation=PENDING)
    s.record_answer(kept_code, "what-helps-depth", token=token(1), value="kept quietly",
                    moderation=PENDING)
    assert b"zebralantern" in _raw_bytes(path) and secret_code.encode() in _raw_bytes(path)

    other_kernel = sqlite3.connect(path)  # another page's kernel has the file open
    other_kernel.execute("SELECT COUNT(*) FROM workshops").fetchone()
    assert s.purge(secret_code) == 1
    raw = _raw_bytes(path)
    other_kernel.close()
    assert b"zebralantern" not in raw
    assert secret_code.encode() not in raw
    assert s.answers(kept_code, "what-helps-depth")[0]["value"] == "kept quietly"

    assert s.purge() == 1
    raw = _raw_bytes(path)
    assert b"kept quietly" not in raw and kept_code.encode() not in raw
    assert s.workshops() == []


# --------------------------------------------------------------------------- files


def test_a_version_1_file_is_stamped_upgraded_and_keeps_its_answers(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(MIGRATIONS[0])
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO workshops VALUES ('OLDONE', 1000.0)")
    conn.execute(f"INSERT INTO answers VALUES ('OLDONE', '{QUESTION}', 'v', '6', 1000.0)")
    conn.close()

    s = Store(path, now=lambda: 2000.0)
    assert s.schema_version == SCHEMA_VERSION
    assert rows(str(path), "SELECT name FROM sqlite_master WHERE name = 'schema_version'") == []
    assert s.workshop_exists("OLDONE")
    assert s.answers("OLDONE", QUESTION)[0]["value"] == "6"
    assert s.answers("OLDONE", QUESTION)[0]["moderation"] == NOT_MODERATED
    s.open_question("OLDONE", QUESTION)
    assert s.question_state("OLDONE", QUESTION)["open"]
    assert not Store(path, now=lambda: 1000.0 + 86400).workshop_exists("OLDONE")


def test_a_damaged_file_is_set_aside_and_a_fresh_store_works(path, caplog):
    path.write_bytes(b"this is not a database, it is scribble " * 200)
    with caplog.at_level(logging.WARNING, logger="rdlearn.room.store"):
        s = Store(path)
    aside = list(path.parent.glob("room.sqlite3.damaged-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes().startswith(b"this is not a database")
    assert "moved aside" in caplog.text and str(aside[0]) in caplog.text
    s.create_workshop("FRESH1")
    assert s.workshops() == ["FRESH1"]


def test_rdlearn_purge_deletes_one_workshop_or_all(target, monkeypatch, capsys):
    from rdlearn.serve import cli

    monkeypatch.setenv("RDLEARN_STORE", target)
    s = Store()
    for code in ("GONE01", "KEPT02"):
        s.create_workshop(code)
        s.open_question(code, QUESTION)
        s.record_answer(code, QUESTION, token=token(1), value="3")
    assert cli.main(["purge", "--workshop", "gone01"]) == 0
    assert "GONE01" in capsys.readouterr().out
    assert s.workshops() == ["KEPT02"]
    assert rows(target, "SELECT DISTINCT workshop FROM answers") == [("KEPT02",)]
    assert cli.main(["purge", "--workshop", "bad code!"]) == 2
    assert "4 to 12 letters" in capsys.readouterr().err
    assert cli.main(["purge"]) == 0
    assert "1 workshop(s)" in capsys.readouterr().out
    assert s.workshops() == []


def test_a_file_from_before_alembic_is_stamped_and_upgraded(path):
    """Today's files (schema_version 3) get alembic's baseline stamp, then every revision."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS:
        conn.executescript(step)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (3)")
    conn.execute("INSERT INTO workshops (code, created, expires) VALUES ('KEPT33', 10.0, 5e9)")
    conn.execute("INSERT INTO questions (workshop, question_id, is_open) "
                 f"VALUES ('KEPT33', '{QUESTION}', 1)")
    conn.execute("INSERT INTO pairs (code, minutes, seconds_per_minute, created) "
                 "VALUES ('PAIR1', 5, 60, 10.0)")
    conn.close()
    s = Store(path, now=lambda: 20.0)
    assert s.schema_version == SCHEMA_VERSION
    assert s.current_question("KEPT33") == QUESTION
    assert rows(str(path), "SELECT code FROM pairs") == [("PAIR1",)]
    assert s.shown_question("KEPT33") is None  # the newest revision's column is there


def test_a_store_from_a_newer_rdlearn_is_refused_with_a_message(target):
    Store(target)
    url = target if "://" in target else f"sqlite:///{target}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(store_mod.StoreError, match="newer rdlearn"):
        Store(target)


def test_postgres_times_are_double_precision_and_ids_may_have_gaps():
    url = shared_cluster().new_database()
    s = Store(url)
    types = dict(rows(url, "SELECT table_name || '.' || column_name, data_type FROM "
                           "information_schema.columns WHERE table_schema = 'public' AND "
                           "column_name IN ('created', 'expires', 'updated', 'opened', "
                           "'last_seen', 'started', 'seconds_per_minute')"))
    assert len(types) == 8 and set(types.values()) == {"double precision"}, types
    s.create_workshop("GAPS01")
    s.open_question("GAPS01", "arriving-word")
    rows(url, "SELECT nextval(pg_get_serial_sequence('answers', 'id'))")  # burn ids: a gap
    rows(url, "SELECT nextval(pg_get_serial_sequence('answers', 'id'))")
    for n in range(3):
        s.record_answer("GAPS01", "arriving-word", token=token(n), value=f"w{n}",
                        moderation=PENDING)
    queue = s.moderation_queue("GAPS01")
    assert [q["value"] for q in queue] == ["w0", "w1", "w2"]
    assert queue[0]["id"] > 1
    s.moderate("GAPS01", queue[1]["id"], approve=True)
    assert [a["moderation"] for a in s.answers("GAPS01", "arriving-word")] == [
        PENDING, APPROVED, PENDING]


def test_purge_on_postgres_rewrites_the_tables_so_their_files_hold_no_trace():
    cluster = shared_cluster()
    url = cluster.new_database()
    s = Store(url)
    for code in ("PURGEME1", "KEEPME22"):
        s.create_workshop(code)
        s.open_question(code, "what-helps-depth")
    for n in range(20):
        s.record_answer("PURGEME1", "what-helps-depth", token=token(n),
                        value=f"zebralantern secret line number {n}", moderation=PENDING)
    s.record_answer("KEEPME22", "what-helps-depth", token=token(1), value="kept quietly",
                    moderation=PENDING)
    assert b"zebralantern" in cluster.file_bytes(url, "answers")
    assert s.purge("PURGEME1") == 1
    raw = cluster.file_bytes(url, "answers") + cluster.file_bytes(url, "workshops")
    assert b"zebralantern" not in raw and b"PURGEME1" not in raw
    assert s.answers("KEEPME22", "what-helps-depth")[0]["value"] == "kept quietly"


# --------------------------------------------------------------------------- addresses


def test_a_malformed_or_foreign_address_names_the_problem_without_the_password():
    for address, problem in [
        ("postgresql+psycopg://room:hunter2@/nodb", "names no host"),
        ("postgresql+psycopg://room:hunter2@db.example.org", "names no database"),
        ("mysql://room:hunter2@db.example.org/rd", "mysql"),
        ("postgresql+asyncpg://room:hunter2@db.example.org/rd", "psycopg"),
        ("postgresql+psycopg://room:hunter2@db:notaport/rd", "not a database URL"),
    ]:
        with pytest.raises(store_mod.StoreError, match=problem) as caught:
            Store(address)
        assert "hunter2" not in str(caught.value) and "room:***@" in str(caught.value)


def test_an_unreachable_database_is_one_message_without_the_password():
    port = shared_cluster().port + 1
    with pytest.raises(store_mod.StoreUnavailableError) as caught:
        Store(f"postgresql+psycopg://room:hunter2@127.0.0.1:{port}/rd")
    message = str(caught.value)
    assert "hunter2" not in message and "room:***@127.0.0.1" in message
    assert "unavailable" in message and "\n" not in message


def test_the_database_going_away_keeps_the_answers_and_comes_back_without_a_restart():
    from tests.support.postgres import PostgresCluster

    cluster = PostgresCluster().start()
    try:
        s = Store(cluster.new_database())
        s.create_workshop("AWAY01")
        s.open_question("AWAY01", QUESTION)
        s.record_answer("AWAY01", QUESTION, token=token(1), value="6")
        cluster.pause()
        with pytest.raises(store_mod.StoreUnavailableError, match="unavailable"):
            s.record_answer("AWAY01", QUESTION, token=token(2), value="3")
        with pytest.raises(store_mod.StoreUnavailableError):
            s.count("AWAY01", QUESTION)
        cluster.restart()
        assert s.count("AWAY01", QUESTION) == 1  # the same Store, its pool reconnected
        s.record_answer("AWAY01", QUESTION, token=token(2), value="3")
        assert sorted(a["value"] for a in s.answers("AWAY01", QUESTION)) == ["3", "6"]
    finally:
        cluster.remove()


@pytest.mark.parametrize("address, problem", [
    ("postgresql+psycopg://room:hunter2@127.0.0.1:{port}/rd", "unavailable"),
    ("postgresql+psycopg://room:hunter2@/rd", "names no host"),
    ("oracle://room:hunter2@db.example.org/rd", "oracle"),
])
def test_rdlearn_serve_refuses_a_bad_store_in_one_line_before_serving(
        address, problem, monkeypatch, capsys):
    from rdlearn.serve import cli

    started = []
    monkeypatch.setattr("rdlearn.serve.app.run", lambda options: started.append(options))
    monkeypatch.setattr(cli, "_check_port_free", lambda ip, port: None)
    # `serve --store` puts the address in the environment for the kernels: restore it after,
    # or every later test (and the notebooks' kernels) would inherit the bad store.
    monkeypatch.setenv("RDLEARN_STORE", os.environ["RDLEARN_STORE"])
    address = address.format(port=shared_cluster().port + 1)
    assert cli.main(["serve", "--store", address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rdlearn: error: ")
    assert problem in err and "hunter2" not in err and "room:***@" in err
    assert started == []


def test_rdlearn_serve_takes_a_database_url_and_trusted_proxies(monkeypatch, capsys):
    from rdlearn.room.audience import AudienceSettings
    from rdlearn.serve import cli

    url = shared_cluster().new_database()
    monkeypatch.setenv("RDLEARN_STORE", "unused")
    monkeypatch.delenv("RDLEARN_TRUSTED_PROXIES", raising=False)
    assert cli.use_store(url, ["10.0.0.5", "192.168.0.0/24"]) == url
    assert os.environ["RDLEARN_STORE"] == url
    assert Store().schema_version == SCHEMA_VERSION  # migrated before anything is served
    assert [str(n) for n in AudienceSettings().trusted_proxies] == ["10.0.0.5/32",
                                                                    "192.168.0.0/24"]
    with pytest.raises(cli.UserError, match="not an IP address"):
        cli.use_store(url, ["proxy.example.org"])
