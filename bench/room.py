"""`make bench` (room scale): forty participants arrive within 10 s, then spend the day.

Each simulated participant is a real HTTP and websocket client on loopback, doing what a
browser does against the server: it loads the landing page, then the day page (the whole
rendered HTML, which Voilà streams from a kernel), then connects to that page's kernel over
the kernel websocket protocol and asks, as the page's widget manager does, for the kernel's
info and the state of every widget. "Interactive" is the moment that state has arrived.
Then time passes: each page asks its kernel, at its own moment within 10-40 s, to make the
next session ready, as the day page does. Then, still connected, all forty move to session
2 at the same moment (the switcher's message to their kernel; interactive when the kernel
says the session is drawn), later to session 3 the same way, then leave (the shutdown
beacon a closing tab sends). One real Chromium joins each move and times its own click
until the session is drawn on its screen.

Reported: p50 / p95 / max seconds for arrival and for each move, kernels alive before and
after each move, memory at ready and at peak, time to ready. Bounded in count and time; it
talks only to 127.0.0.1. It asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support

from stats import percentile, save  # bench/stats.py: bench/ is this script's folder
from tests.support.harness import RunningServer, kernel_ws_message

from rdlearn.serve.app import DAY_PAGE, PAGE_PATTERN
from rdlearn.serve.cli import notebooks_dir

PROTOCOL = "v1.kernel.websocket.jupyter.org"
CONTROL_PROTOCOL = "1.0.0"  # ipywidgets' widget control comm (__control_protocol_version__)


def session_pages() -> list[str]:
    return sorted(p.name for p in notebooks_dir().glob("0[1-4]_*.ipynb")
                  if PAGE_PATTERN.match(p.name))


async def send(socket, channel: str, msg_type: str, content: dict, session: str,
               metadata: dict | None = None) -> None:
    message = kernel_ws_message(channel, msg_type, content, session=session, metadata=metadata)
    await socket.write_message(message, binary=True)


async def receive(socket, wanted, timeout: float = 180.0) -> None:
    """Read kernel messages until one satisfies ``wanted(channel, header, content)``."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    while True:
        raw = await asyncio.wait_for(socket.read_message(), timeout)
        if raw is None:
            raise RuntimeError("the server closed the kernel connection")
        if isinstance(raw, str):
            continue
        channel, parts = deserialize_msg_from_ws_v1(raw)
        header, content = json.loads(parts[0]), json.loads(parts[3])
        if wanted(channel, header, content):
            return


class Participant:
    def __init__(self, base: str, number: int):
        self.base = base
        self.number = number
        self.cookies: dict[str, str] = {}
        self.http = AsyncHTTPClient(force_instance=True, max_clients=4)

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, response) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    async def get(self, path: str) -> str:
        request = HTTPRequest(self.base + path, headers={"Cookie": self._cookie_header()},
                              request_timeout=180, follow_redirects=True)
        response = await self.http.fetch(request)
        self._keep_cookies(response)
        return response.body.decode()

    async def open_page(self, name: str):
        """Load a session page and connect to its kernel; return (seconds, kernel id, socket)."""
        started = time.monotonic()
        html = await self.get("voila/render/" + name)
        match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
        if not match:
            raise RuntimeError(f"no kernel id in {name}")
        kernel = match.group(1)
        url = (self.base.replace("http", "ws")
               + f"api/kernels/{kernel}/channels?session_id=b{self.number}")
        socket = await websocket_connect(
            HTTPRequest(url, headers={"Cookie": self._cookie_header()}, request_timeout=120),
            subprotocols=[PROTOCOL],
        )
        # what the page's widget manager does next: ask the kernel who it is, then ask for
        # the state of every widget on the page (one message back, 250 KB for session 1)
        session = f"b{self.number}"
        await send(socket, "shell", "kernel_info_request", {}, session)
        await receive(socket, lambda channel, header, content: header["msg_type"]
                      == "kernel_info_reply")
        comm = uuid.uuid4().hex
        await send(socket, "shell", "comm_open", {"comm_id": comm, "data": {},
                                                  "target_name": "jupyter.widget.control"},
                   session, metadata={"version": CONTROL_PROTOCOL})
        await send(socket, "shell", "comm_msg",
                   {"comm_id": comm, "data": {"method": "request_states"}}, session)
        states = {}

        def got_states(channel, header, content):
            data = content.get("data", {})
            if header["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                states.update(data.get("states", {}))
                return True
            return False

        await receive(socket, got_states)
        return time.monotonic() - started, kernel, socket, states

    async def leave(self, kernel: str, socket) -> None:
        """What a closing tab does: the unload beacon, then the socket closes."""
        body = f"_xsrf={self.cookies.get('_xsrf', '')}"
        headers = {"Cookie": self._cookie_header(),
                   "Content-Type": "application/x-www-form-urlencoded"}
        request = HTTPRequest(self.base + f"voila/api/shutdown/{kernel}", method="POST",
                              body=body, headers=headers)
        try:
            await self.http.fetch(request, raise_error=False)
        finally:
            socket.close()


async def arrive(server: RunningServer, count: int, spread_s: float, first_page: str) -> dict:
    rng = random.Random(40)
    people = [Participant(server.url, i) for i in range(count)]
    peak = {"rss": server.rss_bytes(), "kernels": len(server.kernel_pids())}
    done = asyncio.Event()

    async def watch():
        while not done.is_set():
            peak["rss"] = max(peak["rss"], server.rss_bytes())
            peak["kernels"] = max(peak["kernels"], len(server.kernel_pids()))
            await asyncio.sleep(0.25)

    async def one(person: Participant):
        await asyncio.sleep(rng.uniform(0, spread_s))
        started = time.monotonic()
        await person.get("")  # the landing page
        landing = time.monotonic() - started
        seconds, kernel, socket, states = await person.open_page(first_page)
        return person, landing, landing + seconds, kernel, socket, _day_model(states)

    watcher = asyncio.ensure_future(watch())
    results = await asyncio.gather(*(one(p) for p in people))
    done.set()
    await watcher
    totals = sorted(r[2] for r in results)
    landing = sorted(r[1] for r in results)
    return {
        "participants": count,
        "arrivals_spread_s": spread_s,
        "landing_p95_s": round(percentile(landing, 95), 2),
        "interactive_p50_s": round(statistics.median(totals), 2),
        "interactive_p95_s": round(percentile(totals, 95), 2),
        "interactive_max_s": round(totals[-1], 2),
        "peak_memory_mb": round(peak["rss"] / 1e6),
        "peak_kernels": peak["kernels"],
        "_sessions": results,
    }


def _day_model(states: dict) -> str:
    """The comm id of the day page's switcher among a page's widget states."""
    for comm_id, entry in states.items():
        if "opened" in entry.get("state", {}) and "sessions" in entry.get("state", {}):
            return comm_id
    raise RuntimeError("the day page has no session switcher")


async def switch(person: Participant, socket, comm: str, number: int) -> float:
    """What the switcher does: ask the kernel for a session; seconds until it is drawn."""
    started = time.monotonic()
    session = f"b{person.number}"
    await send(socket, "shell", "comm_msg", {"comm_id": comm, "data": {
        "method": "update", "state": {"session": number}, "buffer_paths": []}}, session)
    await receive(socket, lambda channel, header, content: header["msg_type"] == "comm_msg"
                  and content.get("comm_id") == comm
                  and number in content.get("data", {}).get("state", {}).get("opened", ()))
    return time.monotonic() - started


class _Browser(threading.Thread):
    """One real Chromium on the day page, open before the move as a participant's page is;
    at the move it clicks the next session and times it until that session is drawn."""

    def __init__(self, server: RunningServer, number: int):
        super().__init__(daemon=True)
        self.server, self.number = server, number
        self.opened, self.go = threading.Event(), threading.Event()
        self.result: tuple | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._run()
        except BaseException as exc:  # noqa: BLE001 - reported by the bench, not raised here
            self.error = exc
            self.opened.set()

    def _run(self) -> tuple:
        from playwright.sync_api import sync_playwright
        from tests.support.harness import CHROMIUM, CHROMIUM_ARGS

        before, number = self.number - 1, self.number
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(self.server.url + f"voila/render/{DAY_PAGE}#session-{before}",
                      timeout=300_000)
            page.wait_for_function(f"() => (document.querySelector('.rd-day') || "
                                   f"{{dataset: {{}}}}).dataset.ready === '{before}'",
                                   timeout=300_000)
            self.opened.set()
            self.go.wait(600)
            seconds = page.evaluate("""(n) => new Promise((resolve) => {
                const nav = document.querySelector('.rd-day');
                const t0 = performance.now();
                new MutationObserver(() => { if (nav.dataset.ready === String(n)) {
                    requestAnimationFrame(() => resolve(performance.now() - t0)); } })
                  .observe(nav, {attributes: true});
                document.querySelector(`.rd-day__button[data-session="${n}"]`).click(); })""",
                                    number) / 1000
            back = page.evaluate("""(n) => new Promise((resolve) => {  // one already opened
                const nav = document.querySelector('.rd-day');
                const t0 = performance.now();
                document.querySelector(`.rd-day__button[data-session="${n}"]`).click();
                requestAnimationFrame(() => resolve(nav.dataset.ready === String(n)
                                                    ? performance.now() - t0 : -1)); })""",
                                 before) / 1000
            browser.close()
        return round(seconds, 2), round(back, 3)


async def ahead(person: Participant, socket, comm: str, number: int) -> None:
    """What the day page does a while after a session is drawn: ask for the next one."""
    await asyncio.sleep(random.Random(person.number).uniform(10, 40))
    await send(socket, "shell", "comm_msg", {"comm_id": comm, "data": {
        "method": "update", "state": {"prefetch": number}, "buffer_paths": []}},
        f"b{person.number}")


async def day(server: RunningServer, arrivals: list, pool: int) -> dict:
    """Everyone, still connected, moves to session 2 at once, then to 3, then leaves."""
    people = {r[0]: (r[3], r[4], r[5]) for r in arrivals}
    out: dict = {}
    for number in (2, 3):
        peak = {"rss": server.rss_bytes()}
        done = asyncio.Event()

        async def watch(peak=peak, done=done):
            while not done.is_set():
                peak["rss"] = max(peak["rss"], server.rss_bytes())
                await asyncio.sleep(0.25)

        loop = asyncio.get_running_loop()
        browser = _Browser(server, number)
        browser.start()
        await loop.run_in_executor(None, browser.opened.wait, 600)
        # Time passes in the session: each page asks its kernel, at a moment of its own
        # within 10-40 s of being drawn, to make the next session ready (as day.js does).
        await asyncio.gather(*(ahead(p, socket, comm, number)
                               for p, (_, socket, comm) in people.items()))
        await asyncio.sleep(15)
        kernels_with_browser = len(server.kernel_pids())
        watcher = asyncio.ensure_future(watch())
        browser.go.set()  # everyone moves at the same moment
        times = sorted(await asyncio.gather(*(switch(p, socket, comm, number)
                                               for p, (_, socket, comm) in people.items())))
        await loop.run_in_executor(None, browser.join, 600)
        chromium = browser.result or (None, None)
        done.set()
        await watcher
        out[f"move_to_{number}"] = {
            "p50_s": round(statistics.median(times), 2), "p95_s": round(percentile(times, 95), 2),
            "max_s": round(times[-1], 2), "kernels_before": kernels_with_browser,
            "kernels_after": len(server.kernel_pids()),
            "chromium_new_session_s": chromium[0], "chromium_opened_session_s": chromium[1],
            "peak_memory_mb": round(peak["rss"] / 1e6)}
    for person, (kernel, socket, _) in people.items():
        await person.leave(kernel, socket)
    deadline = time.monotonic() + 90
    while len(server.kernel_pids()) > pool and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    return out


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--spread", type=float, default=10.0)
    parser.add_argument("--refill-delay", type=float, default=20.0,
                        help="as `rdlearn serve --refill-delay` (1 is Voilà's own default)")
    args = parser.parse_args(argv)
    from rdlearn.serve.app import ServeOptions

    pool = sum(ServeOptions(notebooks=notebooks_dir(), room_size=args.participants)
               .pool_sizes().values())
    with RunningServer(room_size=args.participants, cull_idle_timeout=600,
                       refill_delay=args.refill_delay, start_timeout=600) as server:
        start_rss = server.rss_bytes()
        results = {"ready_after_s": round(server.startup_seconds, 1), "pool_kernels": pool,
                   "memory_at_ready_mb": round(start_rss / 1e6)}

        async def run():
            arrivals = await arrive(server, args.participants, args.spread, DAY_PAGE)
            sessions = arrivals.pop("_sessions")
            results.update(arrivals)
            results.update(await day(server, sessions, pool))

        asyncio.run(run())
        results["peak_memory_over_the_day_mb"] = max(
            [results["peak_memory_mb"]] + [m["peak_memory_mb"] for k, m in results.items()
                                           if k.startswith("move_to_")])
        results["memory_after_leaving_mb"] = round(server.rss_bytes() / 1e6)
        results["kernels_after_leaving"] = len(server.kernel_pids())

    results["refill_delay_s"] = args.refill_delay
    print(f"\nrdlearn room bench: {args.participants} participants arriving over {args.spread} s")
    for key, value in results.items():
        print(f"  {key:<28} {value}")
    save("room", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
