"""Generate the thin notebooks from ``data/`` (one source, no drift).

Run ``python -m rdlearn.sessions.notebooks`` after changing a session file; a test fails when
a committed notebook differs from what this writes. Every cell imports ``rdlearn``, calls it
and displays: the teaching content, charts and exercises all live in the package and data.
Every notebook gets the same clean metadata: no outputs, ids that do not change, the python3
kernel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rdlearn.content import loader
from rdlearn.sessions import load

__all__ = ["expected", "main", "notebook", "pages", "write"]


def notebook(cells: list[tuple[str, str]]) -> dict:
    """A notebook (as JSON data) from ``(kind, source)`` cells, with stable ids and no outputs."""
    out = []
    for i, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"cell-{i:02d}", "metadata": {}, "source": source.strip()}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        out.append(cell)
    return {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write(path: str | Path, cells: list[tuple[str, str]]) -> None:
    """Write the notebook made of ``cells`` to ``path``."""
    Path(path).write_text(json.dumps(notebook(cells), indent=1, ensure_ascii=False) + "\n")


#: What each exercise's ``widget`` entry in a session file becomes on the page.
WIDGETS = {
    "journal": ["journal.session_journal({number})"],
    "pairing": ["grouping.pairing()"],  # with the size and roles of GROUPINGS
    "timer": ["timer.timer(minutes=...)"],  # see _timer_call
    "quiz": ["selfcheck.quiz({number})"],
    "selfcheck chronic_disconnection": ["selfcheck.chronic_disconnection()"],
    "selfcheck connection_frequency": [
        'selfcheck.connection_frequency(form="therapist")',
        'selfcheck.connection_frequency(form="client")',
    ],
    "relationship_map": ["journal.relationship_map()"],
    "connection_rating": ["connection.connection_rating()", "connection.room_connection_view()"],
}


#: Exercises run in timed rounds: set-up minutes, how many rounds, and each round's practice
#: and feedback minutes, by format, as the session file's facilitator notes and the agenda
#: give them (tests/test_notebooks.py checks that they add up to the exercise's minutes).
ROUND_TIMERS = {
    "practice-in-threes": {
        "label": "Practice in threes", "setup": 3, "rounds": 3,
        "practice": {"one-day": 6, "two-day": 10}, "feedback": {"one-day": 3, "two-day": 4},
    },
}

#: Group size and role names of the pairing panel, for exercises that are not speaker and
#: listener in pairs (the roles in order: who talks, who listens, who observes).
GROUPINGS = {
    "practice-in-threes": {"size": 3, "roles": ("client", "therapist", "observer")},
}


def _literal(value: object) -> str:
    """Python source for a number, a text, a tuple of texts or a dict of them (double quotes)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ")"
    return json.dumps(value, ensure_ascii=False)


def _timer_call(exercise: dict) -> str:
    """One timer for the exercise: in rounds, or with each format's length to choose from.

    A session page serves both formats, so where the length differs by format the timer
    offers each (the first, one-day, chosen to start with) rather than one format's.
    """
    plan = ROUND_TIMERS.get(exercise["id"])
    if plan:
        lines = [f"    {key}={_literal(value)}," for key, value in plan.items()]
        return "timer.rounds(\n" + "\n".join(lines) + "\n)"
    minutes = exercise["minutes"]
    if isinstance(minutes, dict):
        if len(set(minutes.values())) > 1:
            return f"timer.timer(minutes={_literal(minutes)})"
        minutes = next(iter(minutes.values()))
    return f"timer.timer(minutes={minutes})"


def _pairing_call(exercise: dict) -> str:
    options = GROUPINGS.get(exercise["id"])
    if not options:
        return "grouping.pairing()"
    return "grouping.pairing(" + ", ".join(
        f"{key}={_literal(value)}" for key, value in options.items()) + ")"


def _widget_calls(number: int, exercise: dict) -> list[str]:
    kinds = exercise.get("widgets") or exercise.get("widget") or []
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    calls = []
    for kind in kinds:
        if kind.startswith("room_question "):
            calls.append(f'room.ask("{kind.split(" ", 1)[1]}")')
        elif kind == "timer":
            calls.append(_timer_call(exercise))
        elif kind == "pairing":
            calls.append(_pairing_call(exercise))
        else:
            calls.extend(template.format(number=number) for template in WIDGETS[kind])
    return calls


def session_cells(number: int) -> list[tuple[str, str]]:
    data = load.load_session(number)
    body: list[str] = [f"sessions.header({number})"]
    if number == 1:  # confidence at the start of the day
        body.append("selfcheck.outcome_confidence()")
    facilitator_notes = f"agenda.notes_panel({number})"
    for section in data["sections"]:
        body.append(f'sessions.section({number}, "{section["id"]}")')
        if section.get("figure"):
            body.append(f"figures.present(figures.{section['figure']}())")
    room_joined = False
    for exercise in data["exercises"]:
        body.append(f'sessions.exercise_card({number}, "{exercise["id"]}")')
        for call in _widget_calls(number, exercise):
            if call.startswith("room.ask") and not room_joined:
                body.append("room.join()")
                room_joined = True
            body.append(call)
    if number == 4:  # ... and again at the end
        body.append("selfcheck.outcome_confidence()")
    body += [
        f"sessions.discussion({number})",
        f"sessions.summary({number})",
        "journal.workbook()",
        f"sessions.references({number})",
        facilitator_notes,
    ]
    used = sorted({call.split(".", 1)[0] for call in body} | {"sessions"})
    imports = "from rdlearn import " + ", ".join(used)
    cells = [("code", imports)]
    cells += [("code", call) for call in body]
    return cells


def welcome_cells() -> list[tuple[str, str]]:
    return [
        ("markdown", "# Relational depth\n\n"
                     "A one- or two-day workshop, and a research keynote, "
                     "on meeting clients at depth."),
        ("code", "from rdlearn import sessions"),
        ("code", "sessions.welcome()"),
    ]


def console_cells() -> list[tuple[str, str]]:
    return [
        ("markdown", "# Facilitator console\n\n"
                     "Questions for the room, the day's agenda, timers and groups. "
                     "The console asks for the facilitator key that `rdlearn serve` printed."),
        ("code", "from rdlearn import agenda, grouping, room, timer"),
        ("code", "room.console()"),
        ("markdown", "## The day"),
        ("code", 'agenda.running_clock("one-day")'),
        ("markdown", "## Timer"),
        ("code", "timer.timer(minutes=10)"),
        ("markdown", "## Pairs and groups"),
        ("code", "grouping.pairing()"),
    ]


def pages() -> dict[str, list[tuple[str, str]]]:
    """Every generated notebook's cells by file name: the welcome, the sessions, the console."""
    out = {"00_welcome.ipynb": welcome_cells(), "06_facilitator-console.ipynb": console_cells()}
    for sess in loader.workshop()["sessions"]:
        out[f"{sess['number']:02d}_{sess['slug']}.ipynb"] = session_cells(sess["number"])
    return out


def expected() -> dict[str, dict]:
    """What each committed notebook should contain, by file name."""
    return {name: notebook(cells) for name, cells in pages().items()}


def main(folder: str | Path | None = None) -> None:
    """Write every generated notebook into ``folder`` (the checkout's ``notebooks/``)."""
    target = Path(folder) if folder else loader.data_dir().parent / "notebooks"
    for name, cells in pages().items():
        write(target / name, cells)
        print(f"wrote {target.name}/{name}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
