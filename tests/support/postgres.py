"""A throwaway PostgreSQL for the tests: Debian's server on a temp folder and a free port.

``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the ``postgres``
user. The cluster listens on loopback only, trusts local connections, keeps nothing
(``fsync`` off), and is stopped by its postmaster's pid. ``scripts/ensure-postgres.sh``
(run by ``make test``) installs the server when it is missing.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["PostgresCluster", "find_bin", "shared_cluster"]


def find_bin(name: str) -> str | None:
    """The path of a PostgreSQL server program (``initdb``, ``pg_ctl``), newest version first."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return found[-1]
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """One PostgreSQL server for a test session; :meth:`new_database` gives each test its own."""

    def __init__(self) -> None:
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL's server is not installed: run "
                               "`bash scripts/ensure-postgres.sh` (make test does)")
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="rdlearn-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.pid: int | None = None
        self._names = itertools.count(1)
        self.started_in = self.stopped_in = 0.0
        self._as_postgres = os.geteuid() == 0

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        subprocess.run([*prefix, *cmd], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=120)

    def start(self) -> PostgresCluster:
        """Make the cluster and start its server (about 1.3 s)."""
        began = time.monotonic()
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        self.started_in = time.monotonic() - began
        return self

    def url(self, database: str = "postgres", *, password: str | None = None) -> str:
        """A ``postgresql+psycopg://`` URL for one database of this cluster."""
        auth = "postgres" + (f":{password}" if password else "")
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        """Run one statement outside a transaction (``CREATE DATABASE``, ``CHECKPOINT``)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname=database, autocommit=True) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else []

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def file_bytes(self, database_url: str, table: str) -> bytes:
        """The bytes of a table's files on disk (after a checkpoint wrote them out)."""
        name = database_url.rsplit("/", 1)[1]
        self.sql("CHECKPOINT")
        rel = self.sql(f"SELECT pg_relation_filepath('{table}')", name)[0][0]
        return b"".join(p.read_bytes() for p in sorted((self.data).glob(rel + "*")))

    def pause(self) -> None:
        """Stop the server (the database going away mid-workshop)."""
        self.stop()

    def stop(self, how: int = signal.SIGINT) -> None:
        """Stop the server by its pid (fast shutdown) and wait until it is gone."""
        if self.pid is None:
            return
        began = time.monotonic()
        try:
            os.kill(self.pid, how)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)  # polling for the process to exit, not waiting for time
        self.pid = None
        self.stopped_in = time.monotonic() - began

    def restart(self) -> None:
        """Start the server again on the same data and port (the database comes back)."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c max_connections=300")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def remove(self) -> None:
        """Stop the server at once (immediate shutdown: nothing here is kept) and delete it."""
        self.stop(signal.SIGQUIT)
        shutil.rmtree(self.root, ignore_errors=True)


_SHARED: PostgresCluster | None = None


def shared_cluster() -> PostgresCluster:
    """One cluster for the whole test run, started on first use, stopped (by pid) at exit."""
    global _SHARED
    if _SHARED is None:
        _SHARED = PostgresCluster().start()
        atexit.register(_SHARED.remove)
    return _SHARED
