"""`make bench` (a hall on several processes): 1,000 phones vote within 20 s.

Two set-ups, each a fresh store: 4 real ``rdlearn serve`` processes on one PostgreSQL (a
throwaway cluster, tests/support/postgres.py), then 1 ``rdlearn serve`` on a SQLite file
for comparison. Each is started as the tests start one (tests/support/harness.py): the
app's own pages, ``--room-size 1`` so that its kernel pools (one kernel per page) warm up
fast, ``--store`` the set-up's store, the default idle timeout; one after another. The
phones are real HTTP clients on loopback, spread over the servers as a load balancer would
(round robin); each loads the hall's audience page, reads the state, votes once at a
random moment of the 20 s window, then polls *another* server's state until it shows the
revealed results counting its vote, then keeps polling every 2 s.

Figures: votes recorded (all must be), vote request p50/p95, vote to revealed state
p50/p95 (from the vote's reply until a state from another process shows revealed results
with at least as many answers as had been acknowledged then), and each server's memory:
the ``rdlearn serve`` process itself (RSS) and with its preheated kernels (PSS), before and
after the votes. Prints a table and writes bench/results/hall_processes.json. Bounded:
1,000 clients, about 30 s of traffic per set-up, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

from stats import percentile  # bench/stats.py: bench/ is this script's folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support
RESULTS = Path(__file__).resolve().parent / "results"
QUESTION = "how-often-at-depth"
CODE = "HALLPROC"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _memory(servers) -> dict:
    return {"server_rss_mb": [_rss_mb(s.process.pid) for s in servers],
            "with_kernels_pss_mb": [round(s.rss_bytes() / 2**20, 1) for s in servers],
            "kernels": [len(s.kernel_pids()) for s in servers]}


def _start_servers(store: str | None, count: int) -> list:
    """``count`` real ``rdlearn serve`` processes on ``store`` (None: each its own SQLite)."""
    from tests.support.harness import RunningServer

    extra = ["--store", store] if store else []
    # rdlearn serve's own idle timeout (the harness's short one, for the tests, would cull
    # and restart idle pool kernels during the votes)
    servers = [RunningServer(room_size=1, cull_idle_timeout=600, extra_args=extra,
                             start_timeout=600) for _ in range(count)]
    # One after another: kernels of processes starting side by side were seen to pick the
    # same free TCP port (ZMQError "Address already in use"), which left a pool without its
    # kernel and the server never announced ready.
    try:
        for server in servers:
            server.start()
    except BaseException:
        for server in servers:
            server.stop()
        raise
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


def run_setup(name: str, store_address: str | None, servers: int, args) -> dict:
    from rdlearn.room.store import Store

    began = time.monotonic()
    procs = _start_servers(store_address, servers)
    started = time.monotonic() - began
    try:
        store = Store(store_address or str(procs[0].store_path))
        store.create_workshop(CODE)
        store.open_question(CODE, QUESTION)
        store.reveal(CODE, QUESTION)
        memory_before = _memory(procs)
        run = asyncio.run(phones([p.url for p in procs], clients=args.clients,
                                 window=args.window, tail=args.tail))
        memory_after = _memory(procs)
    finally:
        for proc in procs:
            proc.stop()
    votes, revealed = run["votes"], run["revealed"]
    ms = lambda values, p: round(1000 * percentile(values, p), 1) if values else None  # noqa: E731
    return {
        "setup": name, "servers": servers, "clients": args.clients,
        "window_seconds": args.window,
        "servers_ready_seconds": round(started, 1),
        "votes_recorded": store.count(CODE, QUESTION),
        "votes_acknowledged": len(votes),
        "vote_p50_ms": ms(votes, 50), "vote_p95_ms": ms(votes, 95),
        "vote_to_revealed_p50_ms": ms(revealed, 50),
        "vote_to_revealed_p95_ms": ms(revealed, 95),
        "votes_seen_revealed": len(revealed),
        "http_statuses": {str(k): v for k, v in sorted(run["statuses"].items())},
        "kernels_per_server": memory_before["kernels"],
        "server_rss_mb_before": memory_before["server_rss_mb"],
        "server_rss_mb_after": memory_after["server_rss_mb"],
        "with_kernels_pss_mb_before": memory_before["with_kernels_pss_mb"],
        "with_kernels_pss_mb_after": memory_after["with_kernels_pss_mb"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--tail", type=float, default=8.0)
    parser.add_argument("--servers", type=int, default=4)
    args = parser.parse_args(argv)
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
    results.append(run_setup("sqlite", None, 1, args))  # the server's own SQLite file
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": results}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hall_processes.json").write_text(json.dumps(result, indent=2) + "\n")
    keys = [k for k in results[0] if k != "setup"]
    width = max(len(k) for k in keys)
    print(f"{'':<{width}}  " + "  ".join(f"{r['setup']:>30}" for r in results))
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{str(r[key]):>30}" for r in results))
    ok = all(r["votes_recorded"] == args.clients for r in results)
    if not ok:
        print("FAILED: every vote must be recorded", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
