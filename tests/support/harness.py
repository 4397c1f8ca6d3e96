"""Start a real ``rdlearn serve`` for the end-to-end tests and ``make bench``.

Test support, outside the package: nothing in ``rdlearn`` imports it. Linux only: process
trees and memory are read from ``/proc``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdlearn.web.browser import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "RunningServer", "draw_charts", "free_port",
           "kernel_ws_message", "process_tree", "tree_rss_bytes", "wait_until"]


def kernel_ws_message(channel: str, msg_type: str, content: dict, *, session: str,
                      metadata: dict | None = None, msg_id: str | None = None) -> bytes:
    """One message as a browser sends it over the kernel websocket (protocol v1)."""
    import json
    import uuid

    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    header = {"msg_id": msg_id or uuid.uuid4().hex, "msg_type": msg_type, "username": "rdlearn",
              "session": session, "date": "", "version": "5.3"}
    parts = [json.dumps(part).encode() for part in (header, {}, metadata or {}, content)]
    return serialize_msg_to_ws_v1(parts, channel)


def draw_charts(root, timeout_ms: int = 60_000) -> int:
    """Scroll every visible chart under ``root`` (a Playwright page or locator) into view,
    as a reader does, and wait until it is drawn (charts are drawn when first seen);
    return how many."""
    charts = root.locator("figure.rd-chart:visible")
    count = charts.count()
    for i in range(count):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed(timeout=timeout_ms)
        chart.locator(".js-plotly-plot").wait_for(state="visible", timeout=timeout_ms)
    return count


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value; raise TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    tree = _children()
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(tree.get(current, []))
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants (proportional set size where available)."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


@dataclass
class RunningServer:
    """A real ``rdlearn serve`` in a child process, with its own temporary folders."""

    room_size: int = 1
    cull_idle_timeout: int = 30
    refill_delay: float = 1.0
    start_timeout: float = 180.0
    facilitator_key: str = "test-facilitator-key"
    extra_args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rdlearn-e2e-")))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    @property
    def developer_log_path(self) -> Path:
        """Where ``rdlearn serve --log-file`` sends the libraries' messages (not the terminal)."""
        return self.workdir / "developer.log"

    @property
    def store_path(self) -> Path:
        return self.workdir / "data" / "store.sqlite"

    @property
    def data_dirs(self) -> list[Path]:
        """Folders where the server or its kernels could write: searched for leaks."""
        return [self.workdir]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("tmp", "data", "home", "runtime"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        env.update(
            RDLEARN_STORE=str(self.store_path),
            TMPDIR=str(self.workdir / "tmp"),
            HOME=str(self.workdir / "home"),
            XDG_DATA_HOME=str(self.workdir / "data"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            PYTHONUNBUFFERED="1",
        )
        env.pop("RDLEARN_FACILITATOR_KEY", None)
        return env

    def start(self, *, timeout: float | None = None) -> RunningServer:
        timeout = self.start_timeout if timeout is None else timeout
        self.workdir.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable, "-m", "rdlearn.serve.cli", "serve",
            "--port", str(self.port),
            "--room-size", str(self.room_size),
            "--cull-idle-timeout", str(self.cull_idle_timeout),
            "--facilitator-key", self.facilitator_key,
            "--refill-delay", str(self.refill_delay),
            "--log-file", str(self.developer_log_path),
            *self.extra_args,
        ]
        log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self._log = log
        self.process = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env(), start_new_session=True
        )
        started = time.monotonic()
        try:
            wait_until(self._ready_or_dead, timeout=timeout, interval=0.2, what="rdlearn serve")
        except TimeoutError:
            self.stop()
            raise
        if self.process.poll() is not None:
            raise RuntimeError(f"rdlearn serve exited early:\n{self.log_path.read_text()[-3000:]}")
        self.startup_seconds = time.monotonic() - started
        return self

    def _ready_or_dead(self) -> bool:
        if self.process.poll() is not None:
            return True
        return "rdlearn is ready" in self.log_path.read_text(errors="replace")

    def kernel_pids(self) -> list[int]:
        return [p for p in process_tree(self.process.pid) if "ipykernel" in _cmdline(p)]

    def rss_bytes(self) -> int:
        return tree_rss_bytes(self.process.pid)

    def log_text(self) -> str:
        """What the server printed on its terminal, then what it wrote to its developer log."""
        text = self.log_path.read_text(errors="replace")
        if self.developer_log_path.exists():
            text += self.developer_log_path.read_text(errors="replace")
        return text

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
