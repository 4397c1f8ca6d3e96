"""The room's shared store: many processes, isolation, expiry, purge and damaged files."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from rdlearn.room import store as store_mod
from rdlearn.room.questions import APPROVED, NOT_MODERATED, PENDING
from rdlearn.room.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    QuestionClosedError,
    Store,
    UnknownWorkshopError,
)

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


@pytest.fixture
def room(path) -> Store:
    s = Store(path)
    s.create_workshop("ROOM01")
    s.open_question("ROOM01", QUESTION)
    return s


def test_file_is_in_wal_mode_with_current_schema(room, path):
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()
    assert room.schema_version == SCHEMA_VERSION


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


def test_two_workshops_never_see_each_other(path):
    s = Store(path)
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


def test_current_question_is_the_one_opened_last(path):
    clock = Clock()
    s = Store(path, now=clock)
    s.create_workshop("ROOM01")
    assert s.current_question("ROOM01") is None
    s.open_question("ROOM01", "a-first")
    clock.t += 5
    s.open_question("ROOM01", "b-second")
    assert s.current_question("ROOM01") == "b-second"
    s.close_question("ROOM01", "b-second")
    assert s.current_question("ROOM01") == "a-first"


# --------------------------------------------------------------------------- many processes


def _vote(path: str, n: int, barrier, results) -> None:
    try:
        s = Store(path)
        barrier.wait(timeout=120)
        started = time.time()
        s.record_answer("ROOM01", QUESTION, token=token(n), value=str(1 + n % 7))
        results.put((n, "ok", started))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put((n, f"{type(exc).__name__}: {exc}", 0.0))


def test_forty_processes_voting_in_the_same_second_are_all_recorded(room, path):
    ctx = multiprocessing.get_context("fork")
    voters = 40
    barrier = ctx.Barrier(voters)
    results = ctx.Queue()
    procs = [ctx.Process(target=_vote, args=(str(path), n, barrier, results))
             for n in range(voters)]
    for p in procs:
        p.start()
    reports = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
    errors = [r for r in reports if r[1] != "ok"]
    assert errors == []
    starts = [r[2] for r in reports]
    assert max(starts) - min(starts) < 1.0, "the votes were not cast within one second"
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


def test_many_kernels_opening_a_new_store_at_once_all_succeed(tmp_path):
    ctx = multiprocessing.get_context("fork")
    kernels = 30
    for trial in range(3):
        path = tmp_path / f"fresh-{trial}.sqlite3"
        barrier = ctx.Barrier(kernels)
        results = ctx.Queue()
        procs = [ctx.Process(target=_open_fresh, args=(str(path), n, barrier, results))
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


def test_killing_a_writer_mid_transaction_loses_nothing_committed(room, path):
    for n in range(3):
        room.record_answer("ROOM01", QUESTION, token=token(n), value="4")
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    writer = ctx.Process(target=_hold_write_lock, args=(str(path), ready))
    writer.start()
    assert ready.wait(timeout=60)
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=60)
    assert writer.exitcode == -signal.SIGKILL

    reopened = Store(path)
    assert sorted(a["value"] for a in reopened.answers("ROOM01", QUESTION)) == ["4", "4", "4"]
    reopened.record_answer("ROOM01", QUESTION, token=token(9), value="2")
    assert reopened.count("ROOM01", QUESTION) == 4


# --------------------------------------------------------------------------- expiry and purge


def test_data_expires_after_24_hours_by_default(path):
    clock = Clock()
    s = Store(path, now=clock)
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
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0
    finally:
        conn.close()


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


def test_expiry_time_is_an_option(path):
    clock = Clock()
    s = Store(path, now=clock, expires_after=3600)
    s.create_workshop("SHORT1")
    clock.t += 3599
    assert s.workshops() == ["SHORT1"]
    clock.t += 1
    assert s.workshops() == []
    s.create_workshop("LATER1")  # any write sweeps what has expired
    assert s.expire() == 0
    with pytest.raises(ValueError):
        Store(path, expires_after=0)


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


def test_a_version_1_file_is_upgraded_and_keeps_its_answers(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(MIGRATIONS[0])
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO workshops VALUES ('OLDONE', 1000.0)")
    conn.execute(f"INSERT INTO answers VALUES ('OLDONE', '{QUESTION}', 'v', '6', 1000.0)")
    conn.close()

    s = Store(path, now=lambda: 2000.0)
    assert s.schema_version == SCHEMA_VERSION
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


def test_rdlearn_purge_deletes_one_workshop_or_all(path, monkeypatch, capsys):
    from rdlearn.serve import cli

    monkeypatch.setenv("RDLEARN_STORE", str(path))
    s = Store()
    for code in ("GONE01", "KEPT02"):
        s.create_workshop(code)
        s.open_question(code, QUESTION)
        s.record_answer(code, QUESTION, token=token(1), value="3")
    assert cli.main(["purge", "--workshop", "gone01"]) == 0
    assert "GONE01" in capsys.readouterr().out
    assert s.workshops() == ["KEPT02"]
    assert b"GONE01" not in _raw_bytes(path)
    assert cli.main(["purge", "--workshop", "bad code!"]) == 2
    assert "4 to 12 letters" in capsys.readouterr().err
    assert cli.main(["purge"]) == 0
    assert "1 workshop(s)" in capsys.readouterr().out
    assert s.workshops() == []
