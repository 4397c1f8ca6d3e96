"""`make bench` (the room's questions): forty votes in the same second, from forty kernels.

Each participant's page has its own kernel, a separate process, so forty votes at once are
forty processes writing the same SQLite store. This starts forty processes, holds them at a
barrier, and lets them record one answer each at the same instant, as the session pages do
(``Store.record_answer``). Then it times what a revealed chart does on each refresh: read
the answers, aggregate them, build the HTML. The page asks for that refresh once a second
(its browser tick), so a vote reaches every revealed chart within about a second plus the
refresh time. Figures are printed and written to bench/results/votes.json.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TICK_S = 1.0  # group_ui.RoomLink.interval_ms: how often a page asks for a refresh


def _choice_question():
    from rdlearn.room import questions as room_questions

    for q in room_questions.load_questions().values():
        if q.kind == room_questions.SINGLE_CHOICE and not q.moderated:
            return q
    raise RuntimeError("no single-choice question in data/questions")


def _vote(path: str, code: str, number: int, barrier, out) -> None:
    from rdlearn.room import questions as room_questions
    from rdlearn.room.store import Store

    q = _choice_question()
    value = room_questions.validate_answer(q, q.options[number % len(q.options)].id)
    store = Store(path)
    barrier.wait()
    started = time.perf_counter()
    store.record_answer(code, q.id, token=f"{number:04d}" * 8, value=value)
    out.put(time.perf_counter() - started)


def main() -> int:
    from rdlearn.room import questions as room_questions
    from rdlearn.room.store import Store

    count = 40
    q = _choice_question()
    path = str(Path(tempfile.mkdtemp(prefix="rdlearn-votes-")) / "store.sqlite")
    store = Store(path)
    code = store.create_workshop(room_questions.new_workshop_code())
    store.open_question(code, q.id)
    store.reveal(code, q.id)
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(count), ctx.Queue()
    workers = [ctx.Process(target=_vote, args=(path, code, i, barrier, out)) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    writes = sorted(out.get(timeout=10) for _ in range(count))
    refreshes = []
    for _ in range(20):
        started = time.perf_counter()
        summary = room_questions.aggregate(q, store.answers(code, q.id))
        room_questions.results_html(q, summary)
        refreshes.append(time.perf_counter() - started)
    recorded = store.count(code, q.id)
    results = {
        "votes": count, "recorded": recorded,
        "write_p50_ms": round(statistics.median(writes) * 1000, 1),
        "write_p95_ms": round(writes[int(0.95 * (count - 1))] * 1000, 1),
        "write_max_ms": round(writes[-1] * 1000, 1),
        "refresh_median_ms": round(statistics.median(refreshes) * 1000, 1),
        "vote_to_revealed_chart_max_s": round(writes[-1] + TICK_S + max(refreshes), 2),
    }
    print(f"\nrdlearn votes bench: {count} votes from {count} processes at the same instant")
    for key, value in results.items():
        print(f"  {key:<30} {value}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "votes.json").write_text(json.dumps(results, indent=2))
    return 0 if recorded == count else 1


if __name__ == "__main__":
    sys.exit(main())
