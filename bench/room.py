"""`make bench` (room scale): forty participants arrive at once, then spend a day.

Each simulated participant is a real HTTP and websocket client on loopback, doing what a
browser does against the server: it loads the landing page, then a session page (the
whole rendered HTML, which Voilà streams from a kernel), then connects to that page's
kernel over the kernel websocket protocol and asks, as the page's widget manager does, for
the kernel's info and the state of every widget. "Interactive" is the moment that state has
arrived: all the server has to do for the page is done (the browser then spends about 1-2 s
of its own CPU starting Voilà's front end, measured by run.py). Leaving a page sends the
same shutdown beacon as a browser tab.

Reported: p50 / p95 / max seconds to an interactive session page for arrivals spread over
10 s, the peak memory of the server and its kernels, the highest number of live kernels
during a day in which everyone visits every page, and the memory after they have left.
Bounded in count and time; it talks only to 127.0.0.1. It asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support

from tests.support.harness import RunningServer, kernel_ws_message

from rdlearn.serve.app import PAGE_PATTERN
from rdlearn.serve.cli import notebooks_dir

RESULTS = Path(__file__).resolve().parent / "results"
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
        await receive(socket, lambda channel, header, content: header["msg_type"] == "comm_msg"
                      and content.get("data", {}).get("method") == "update_states")
        return time.monotonic() - started, kernel, socket

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
        seconds, kernel, socket = await person.open_page(first_page)
        return person, landing, landing + seconds, kernel, socket

    watcher = asyncio.ensure_future(watch())
    results = await asyncio.gather(*(one(p) for p in people))
    done.set()
    await watcher
    totals = sorted(r[2] for r in results)
    landing = sorted(r[1] for r in results)
    return {
        "participants": count,
        "arrivals_spread_s": spread_s,
        "landing_p95_s": round(landing[int(0.95 * (count - 1))], 2),
        "interactive_p50_s": round(statistics.median(totals), 2),
        "interactive_p95_s": round(totals[int(0.95 * (count - 1))], 2),
        "interactive_max_s": round(totals[-1], 2),
        "peak_memory_mb": round(peak["rss"] / 1e6),
        "peak_kernels": peak["kernels"],
        "_sessions": results,
    }


async def day(server: RunningServer, arrivals: list, pool: int) -> dict:
    """Everyone leaves session 1 and visits sessions 2-4 in turn, a page at a time."""
    live_max = len(server.kernel_pids())
    pages = session_pages()[1:]
    current = {r[0]: (r[3], r[4]) for r in arrivals}
    for page in pages:
        async def move(person, page=page):
            kernel, socket = current[person]
            await person.leave(kernel, socket)
            _, new_kernel, new_socket = await person.open_page(page)
            current[person] = (new_kernel, new_socket)

        await asyncio.gather(*(move(p) for p in current))
        live_max = max(live_max, len(server.kernel_pids()))
    for person, (kernel, socket) in current.items():
        await person.leave(kernel, socket)
    deadline = time.monotonic() + 90
    while len(server.kernel_pids()) > pool and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    return {"day_max_live_kernels": live_max, "participants_plus_pool": len(current) + pool}


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
            arrivals = await arrive(server, args.participants, args.spread, session_pages()[0])
            sessions = arrivals.pop("_sessions")
            results.update(arrivals)
            results.update(await day(server, sessions, pool))

        asyncio.run(run())
        results["memory_after_leaving_mb"] = round(server.rss_bytes() / 1e6)
        results["kernels_after_leaving"] = len(server.kernel_pids())

    results["refill_delay_s"] = args.refill_delay
    print(f"\nrdlearn room bench: {args.participants} participants arriving over {args.spread} s")
    for key, value in results.items():
        print(f"  {key:<28} {value}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "room.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
