"""Notebooks are thin and committed clean: no outputs, no logic, data only through rdlearn."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
FORBIDDEN = [
    (re.compile(r"^\s*(def|class)\s", re.M), "defines a function or class"),
    (re.compile(r"sys\.path"), "edits sys.path"),
    (re.compile(r"\.\./|data/"), "reads a data path directly"),
    (re.compile(r"\bopen\("), "opens a file"),
    (re.compile(r"^\s*(for|while)\s", re.M), "has a loop"),
]


def test_there_are_notebooks():
    assert any(nb.name == "00_welcome.ipynb" for nb in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_or_counts(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "widget state was saved in the notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_only_import_call_and_display(path):
    nb = json.loads(path.read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "a page with no code cell"
    assert "rdlearn" in code[0], "the first code cell imports rdlearn"
    for i, source in enumerate(code):
        for pattern, problem in FORBIDDEN:
            assert not pattern.search(source), f"code cell {i} {problem}"
        assert len(source.splitlines()) <= 8, f"code cell {i} is not thin"
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", source, re.M)
        for module in imports:
            assert module.split(".")[0] in {"rdlearn", "IPython"}, f"cell {i} imports {module}"


def test_notebook_numbers_match_workshop_pages():
    from rdlearn.content import loader as content

    listed = {p["notebook"] for p in content.workshop()["pages"]}
    for path in NOTEBOOKS:
        assert path.name in listed, f"{path.name} is not listed in data/workshop.yaml pages"


def test_generated_notebooks_match_their_sources():
    """Pages are generated from data/: run python -m rdlearn.sessions.notebooks."""
    from rdlearn.sessions import notebooks

    root = Path(__file__).resolve().parents[1]
    for name, expected in notebooks.expected().items():
        committed = json.loads((root / "notebooks" / name).read_text())
        assert committed == expected, (
            f"{name} is out of date: run python -m rdlearn.sessions.notebooks")


def session_notebooks() -> dict[int, dict]:
    from rdlearn.content import loader as content

    root = Path(__file__).resolve().parents[1] / "notebooks"
    return {s["number"]: json.loads((root / f"{s['number']:02d}_{s['slug']}.ipynb").read_text())
            for s in content.workshop()["sessions"]}


def test_every_session_with_quiz_questions_shows_its_own_quiz():
    from rdlearn.content import findings
    from rdlearn.selfcheck import instruments as selfcheck
    from rdlearn.sessions import load

    quiz = selfcheck.load_quiz()
    for number, nb in session_notebooks().items():
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        shown = [int(n) for n in re.findall(r"selfcheck\.quiz\((\d+)\)", code)]
        if quiz.get(number):
            assert shown == [number], f"session {number} shows quizzes {shown}"
        else:
            assert shown == [], f"session {number} has no questions but shows a quiz"
        session = load.load_session(number)
        cited = {c for section in session["sections"] for c in section.get("citations") or ()}
        shown_here = {f for section in session["sections"]
                      for f in section.get("finding_ids") or ()}
        for q in quiz.get(number, ()):
            assert q["session"] == number
            found = findings.finding(q["finding"])
            assert q["finding"] in shown_here or str(number) in found["sessions"], (
                f"{q['id']}: its finding {q['finding']} is not one of session {number}'s")
            assert found["source_id"] in cited, (
                f"{q['id']}: session {number} never cites {found['source_id']}")


def test_round_timers_add_up_to_their_exercise_in_every_format():
    from rdlearn.sessions import load
    from rdlearn.sessions import plan as plans

    exercises = {e["id"]: e for n in range(1, 5) for e in load.load_session(n)["exercises"]}
    for exercise_id, plan in plans.ROUND_TIMERS.items():
        exercise = exercises[exercise_id]
        assert "timer" in exercise["widgets"]
        for fmt, minutes in exercise["minutes"].items():
            part = {k: v[fmt] if isinstance(v, dict) else v for k, v in plan.items()
                    if k in ("setup", "practice", "feedback")}
            total = part["setup"] + plan["rounds"] * (part["practice"] + part["feedback"])
            assert total == minutes, f"{exercise_id}, {fmt}: rounds take {total} of {minutes}"
            assert (f"three rounds of {part['practice']} minutes' practice and "
                    f"{part['feedback']} minutes' feedback") in exercise["facilitator"]


def test_timers_offer_each_formats_length_and_threes_get_triads_with_practice_roles():
    from rdlearn.sessions import load, notebooks, plan

    cells = {n: "\n".join(src for kind, src in notebooks.session_cells(n) if kind == "code")
             for n in range(1, 5)}
    assert 'timer.timer(minutes={"one-day": 25, "two-day": 45})' in cells[1]
    assert "timer.timer(minutes=25)" not in cells[1]
    practice = next(e for e in load.load_session(3)["exercises"]
                    if e["id"] == "practice-in-threes")
    assert plan._timer_call(practice).source().startswith("timer.rounds(")
    assert ('grouping.pairing(size=3, roles=("client", "therapist", "observer"))'
            in cells[3])
    call = next(c for c in plan.session_calls(3) if c.module == "grouping" and c.kwargs)
    assert call.source() in cells[3]
    panel = call.run()
    assert panel.size.value == 3 and panel.roles == ("client", "therapist", "observer")
