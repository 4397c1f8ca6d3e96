"""`make bench` (a hall on several processes): 1,000 phones vote within 20 s.

Two set-ups, each a fresh store: 4 audience servers on one PostgreSQL (the tests'
throwaway cluster, tests/support/postgres.py), then 1 audience server on a SQLite file for
comparison. An audience server is the hall's part of ``rdlearn serve``: the same Tornado
routes and :class:`rdlearn.room.audience.Audience` service, in its own process, without
Voilà's kernels (which the hall's phones never use). The phones are real HTTP clients on
loopback, spread over the servers as a load balancer would (round robin); each loads the
page, reads the state, votes once at a random moment of the 20 s window, then polls
*another* server's state until it shows the revealed results counting its vote, then keeps
polling every 2 s.

Figures: votes recorded (all must be), vote request p50/p95, vote to revealed state
p50/p95 (from the vote's reply until a state from another process shows revealed results
with at least as many answers as had been acknowledged then), and each server's memory.
Prints a table and writes bench/results/hall_processes.json. Bounded: 1,000 clients,
about 30 s of traffic per set-up, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stats import percentile  # bench/stats.py: bench/ is this script's folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support
RESULTS = Path(__file__).resolve().parent / "results"
QUESTION = "how-often-at-depth"
CODE = "HALLPROC"


def serve(port: int) -> None:
    """One audience server (run in its own process; the store is $RDLEARN_STORE)."""
    import tornado.ioloop
    import tornado.web

    from rdlearn.room import audience_routes
    from rdlearn.room.audience import Audience

    app = tornado.web.Application(audience_routes.routes("/", audience=Audience()))
    app.listen(port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _start_servers(store: str, count: int) -> list[tuple[subprocess.Popen, str]]:
    env = {**os.environ, "RDLEARN_STORE": store,
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    servers = []
    for _ in range(count):
        port = _free_port()
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env)
        servers.append((proc, f"http://127.0.0.1:{port}/"))
    import urllib.request

    for proc, base in servers:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}audience/api/state?workshop={CODE}", timeout=5)
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"the audience server at {base} did not start") from None
                time.sleep(0.1)  # polling until the server answers, with a deadline
    return servers


async def phones(bases: list[str], *, clients: int, window: float, tail: float) -> dict:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    AsyncHTTPClient.configure(None, max_clients=clients + 10)
    http = AsyncHTTPClient()
    acked = 0
    votes: list[float] = []
    revealed: list[float] = []
    statuses: dict[int, int] = {}
    rng = random.Random(11)
    loop = asyncio.get_running_loop()
    end = loop.time() + window + tail

    async def fetch(url: str, **kw):
        response = await http.fetch(HTTPRequest(url, request_timeout=60, **kw), raise_error=False)
        statuses[response.code] = statuses.get(response.code, 0) + 1
        return response

    async def state(base: str) -> dict:
        response = await fetch(f"{base}audience/api/state?workshop={CODE}")
        return json.loads(response.body) if response.code == 200 else {}

    async def phone(i: int):
        nonlocal acked
        home, other = bases[i % len(bases)], bases[(i + 1) % len(bases)]
        await asyncio.sleep(rng.uniform(0, window))
        await fetch(f"{home}audience?workshop={CODE}")
        await state(home)
        body = json.dumps({"workshop": CODE, "question": QUESTION,
                           "token": f"hall-phone-{i:05d}-token", "value": str(1 + i % 7)})
        t0 = loop.time()
        response = await fetch(f"{home}audience/api/answer", method="POST", body=body,
                               headers={"Content-Type": "application/json"})
        t1 = loop.time()
        if response.code != 200:
            return
        acked += 1
        target = acked
        votes.append(t1 - t0)
        while loop.time() < end:
            data = await state(other)
            if (data.get("results") or {}).get("n", 0) >= target:
                revealed.append(loop.time() - t1)
                break
            await asyncio.sleep(0.25)
        while loop.time() < end:
            await asyncio.sleep(2.0)
            await state(home)

    began = loop.time()
    await asyncio.gather(*(phone(i) for i in range(clients)))
    http.close()
    return {"votes": votes, "revealed": revealed, "statuses": statuses,
            "traffic_seconds": loop.time() - began}


def run_setup(name: str, store_address: str, servers: int, args) -> dict:
    from rdlearn.room.store import Store

    store = Store(store_address)
    store.create_workshop(CODE)
    store.open_question(CODE, QUESTION)
    store.reveal(CODE, QUESTION)
    procs = _start_servers(store_address, servers)
    try:
        memory_before = [_rss_mb(p.pid) for p, _ in procs]
        run = asyncio.run(phones([b for _, b in procs], clients=args.clients,
                                 window=args.window, tail=args.tail))
        memory_after = [_rss_mb(p.pid) for p, _ in procs]
    finally:
        for proc, _ in procs:
            proc.send_signal(signal.SIGTERM)
        for proc, _ in procs:
            proc.wait(timeout=30)
    votes, revealed = run["votes"], run["revealed"]
    ms = lambda values, p: round(1000 * percentile(values, p), 1) if values else None  # noqa: E731
    return {
        "setup": name, "servers": servers, "clients": args.clients,
        "window_seconds": args.window,
        "votes_recorded": store.count(CODE, QUESTION),
        "votes_acknowledged": len(votes),
        "vote_p50_ms": ms(votes, 50), "vote_p95_ms": ms(votes, 95),
        "vote_to_revealed_p50_ms": ms(revealed, 50),
        "vote_to_revealed_p95_ms": ms(revealed, 95),
        "votes_seen_revealed": len(revealed),
        "http_statuses": {str(k): v for k, v in sorted(run["statuses"].items())},
        "memory_per_server_mb_before": memory_before,
        "memory_per_server_mb_after": memory_after,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--tail", type=float, default=8.0)
    parser.add_argument("--servers", type=int, default=4)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    args.clients = max(1, min(args.clients, 1000))
    args.window = max(1.0, min(args.window, 20.0))
    args.tail = max(1.0, min(args.tail, 10.0))

    from tests.support.postgres import PostgresCluster

    results = []
    cluster = PostgresCluster().start()
    try:
        results.append(run_setup("postgresql", cluster.new_database(), args.servers, args))
    finally:
        cluster.remove()
    sqlite = str(Path(tempfile.mkdtemp(prefix="rdlearn-hall-")) / "store.sqlite3")
    results.append(run_setup("sqlite", sqlite, 1, args))
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": results}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hall_processes.json").write_text(json.dumps(result, indent=2) + "\n")
    keys = [k for k in results[0] if k != "setup"]
    width = max(len(k) for k in keys)
    print(f"{'':<{width}}  " + "  ".join(f"{r['setup']:>24}" for r in results))
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{str(r[key]):>24}" for r in results))
    ok = all(r["votes_recorded"] == args.clients for r in results)
    if not ok:
        print("FAILED: every vote must be recorded", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
