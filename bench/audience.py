"""Load benchmark of the hall's audience page: 300 phones vote within 10 s, no kernels.

Starts a real ``rdlearn serve`` (``rdlearn._harness.RunningServer``), opens and reveals a
keynote question through the shared store, then 300 simulated audience members (real
HTTP clients on loopback, each with its own token and its own ``X-Forwarded-For``, which
the server ignores) load the page, read the state, vote once within a 10 s window and
poll the state until it reflects their vote, then keep polling every 2 s like a phone.

The per-address rate limit does not apply to loopback clients (``AudienceSettings
.limit_loopback`` is off by default), so 300 clients from 127.0.0.1 are allowed; the
per-token limit still applies to each of them.

"Vote to state": from the vote's 200 reply until a state JSON shows at least as many
answers as had been acknowledged when the vote returned (the state is cached 0.5 s).

Prints a table and writes ``bench/results/audience.json``. Bounded: 300 clients, at most
about 30 s of traffic, loopback only. It asserts that every vote was recorded and that no
kernel was started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support

from stats import percentile  # bench/stats.py: bench/ is this script's folder
from tests.support.harness import RunningServer

from rdlearn.room import audience
from rdlearn.room import questions as room_questions

RESULTS = Path(__file__).resolve().parent / "results"
QUESTION = "how-often-at-depth"
CODE = "HALLBENCH"


async def run_clients(base: str, *, clients: int, window: float, tail: float) -> dict:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    AsyncHTTPClient.configure(None, max_clients=clients + 10)
    http = AsyncHTTPClient()
    acked = 0
    vote_seconds: list[float] = []
    reflect_seconds: list[float] = []
    statuses: dict[int, int] = {}
    polls = 0
    rng = random.Random(7)
    loop = asyncio.get_running_loop()
    started = loop.time()
    end = started + window + tail

    async def fetch(url: str, **kw):
        response = await http.fetch(HTTPRequest(url, request_timeout=30, **kw), raise_error=False)
        statuses[response.code] = statuses.get(response.code, 0) + 1
        return response

    async def state():
        nonlocal polls
        polls += 1
        response = await fetch(f"{base}audience/api/state?workshop={CODE}")
        return json.loads(response.body)

    async def member(i: int):
        nonlocal acked
        await asyncio.sleep(rng.uniform(0, window * 0.8))
        headers = {"X-Forwarded-For": f"10.{i // 250}.{i % 250}.9"}
        await fetch(f"{base}audience?workshop={CODE}", headers=headers)
        await state()
        body = json.dumps({"workshop": CODE, "question": QUESTION,
                           "token": f"bench-phone-{i:05d}-token", "value": str(1 + i % 7)})
        t0 = loop.time()
        response = await fetch(f"{base}audience/api/answer", method="POST", body=body,
                               headers={**headers, "Content-Type": "application/json"})
        t1 = loop.time()
        if response.code != 200:
            return
        acked += 1
        target = acked
        vote_seconds.append(t1 - t0)
        while loop.time() < end:
            data = await state()
            if data.get("count", 0) >= target:
                reflect_seconds.append(loop.time() - t1)
                break
            await asyncio.sleep(0.1)
        while loop.time() < end:  # a phone keeps polling every 2 s
            await asyncio.sleep(2.0)
            await state()

    await asyncio.gather(*(member(i) for i in range(clients)))
    http.close()
    return {"vote_seconds": vote_seconds, "reflect_seconds": reflect_seconds,
            "statuses": statuses, "state_requests": polls,
            "traffic_seconds": loop.time() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--window", type=float, default=10.0, help="seconds to vote in")
    parser.add_argument("--tail", type=float, default=6.0, help="polling after the window")
    args = parser.parse_args(argv)
    args.clients = max(1, min(args.clients, 1000))
    args.window = max(1.0, min(args.window, 20.0))
    args.tail = max(1.0, min(args.tail, 10.0))

    from rdlearn.room.store import Store

    with RunningServer(room_size=1) as server:
        store = Store(server.store_path)
        store.create_workshop(CODE)
        store.open_question(CODE, QUESTION)
        store.reveal(CODE, QUESTION)
        kernels_before = set(server.kernel_pids())
        rss_before = server.rss_bytes()
        run = asyncio.run(run_clients(server.url, clients=args.clients, window=args.window,
                                      tail=args.tail))
        rss_after = server.rss_bytes()
        kernels_started = len(set(server.kernel_pids()) - kernels_before)
        recorded = store.count(CODE, QUESTION)
        state = audience.state_for(store, CODE, room_questions.load_questions())

    votes, reflect = run["vote_seconds"], run["reflect_seconds"]
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "clients": args.clients,
        "window_seconds": args.window,
        "votes_recorded": recorded,
        "votes_acknowledged": len(votes),
        "vote_request_p50_ms": round(1000 * statistics.median(votes), 1) if votes else None,
        "vote_request_p95_ms": round(1000 * percentile(votes, 95), 1) if votes else None,
        "vote_to_state_p50_ms": round(1000 * statistics.median(reflect), 1) if reflect else None,
        "vote_to_state_p95_ms": round(1000 * percentile(reflect, 95), 1) if reflect else None,
        "votes_seen_in_state": len(reflect),
        "state_requests": run["state_requests"],
        "http_statuses": {str(k): v for k, v in sorted(run["statuses"].items())},
        "server_memory_before_mb": round(rss_before / 2**20, 1),
        "server_memory_after_mb": round(rss_after / 2**20, 1),
        "kernels_started": kernels_started,
        "revealed_mean": state["results"]["mean"] if state["results"] else None,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "audience.json").write_text(json.dumps(result, indent=2) + "\n")
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    ok = recorded == args.clients and kernels_started == 0
    if not ok:
        print("FAILED: every vote must be recorded and no kernel started", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
