"""Generate the session notebooks from ``data/sessions/*.yaml`` (one source, no drift).

Run ``python tools/build_notebooks.py`` after changing a session file; a test fails when a
committed notebook differs from what this writes. Every cell imports ``rdlearn``, calls it
and displays: the teaching content, charts and exercises all live in the package and data.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from new_notebook import notebook, write  # noqa: E402

#: What each exercise's ``widget`` entry in a session file becomes on the page.
WIDGETS = {
    "journal": ["reflection.session_journal({number})"],
    "pairing": ["facilitation_ui.pairing()"],
    "timer": ["facilitation_ui.timer(minutes={minutes})"],
    "quiz": ["selfcheck_ui.quiz({number})"],
    "selfcheck chronic_disconnection": ["selfcheck_ui.chronic_disconnection()"],
    "selfcheck connection_frequency": [
        'selfcheck_ui.connection_frequency(form="therapist")',
        'selfcheck_ui.connection_frequency(form="client")',
    ],
    "relationship_map": ["relationship_map.relationship_map()"],
    "connection_rating": ["pairs_ui.connection_rating()", "pairs_ui.room_connection_view()"],
}


def _available(module: str) -> bool:
    return (ROOT / "src" / "rdlearn" / f"{module}.py").exists()


def _widget_calls(number: int, exercise: dict) -> list[str]:
    kinds = exercise.get("widgets") or exercise.get("widget") or []
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    calls = []
    for kind in kinds:
        if kind.startswith("room_question "):
            calls.append(f'group_ui.ask("{kind.split(" ", 1)[1]}")')
            continue
        minutes = exercise["minutes"]
        if isinstance(minutes, dict):
            minutes = minutes.get("one-day") or minutes.get("two-day")
        for template in WIDGETS[kind]:
            if _available(template.split(".", 1)[0]):
                calls.append(template.format(number=number, minutes=minutes))
    return calls


def session_cells(number: int) -> list[tuple[str, str]]:
    from rdlearn import sessions

    data = sessions.load_session(number)
    body: list[str] = [f"sessions.header({number})"]
    if number == 1 and _available("selfcheck_ui"):  # confidence at the start of the day
        body.append("selfcheck_ui.outcome_confidence()")
    facilitator_notes = f"facilitation_ui.notes_panel({number})"
    for section in data["sections"]:
        body.append(f'sessions.section({number}, "{section["id"]}")')
        if section.get("figure"):
            body.append(f"figures.present(figures.{section['figure']}())")
    room_joined = False
    for exercise in data["exercises"]:
        body.append(f'sessions.exercise_card({number}, "{exercise["id"]}")')
        for call in _widget_calls(number, exercise):
            if call.startswith("group_ui.ask") and not room_joined:
                body.append("group_ui.join()")
                room_joined = True
            body.append(call)
    if number == 4 and _available("selfcheck_ui"):  # ... and again at the end
        body.append("selfcheck_ui.outcome_confidence()")
    body += [
        f"sessions.discussion({number})",
        f"sessions.summary({number})",
        "reflection.workbook()",
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
        ("code", "from rdlearn import landing"),
        ("code", "landing.welcome()"),
    ]


def console_cells() -> list[tuple[str, str]]:
    return [
        ("markdown", "# Facilitator console\n\n"
                     "Questions for the room, the day's agenda, timers and groups. "
                     "The console asks for the facilitator key that `rdlearn serve` printed."),
        ("code", "from rdlearn import facilitation_ui, group_ui"),
        ("code", "group_ui.console()"),
        ("markdown", "## The day"),
        ("code", 'facilitation_ui.running_clock("one-day")'),
        ("markdown", "## Timer"),
        ("code", "facilitation_ui.timer(minutes=10)"),
        ("markdown", "## Pairs and groups"),
        ("code", "facilitation_ui.pairing()"),
    ]


def pages() -> dict[str, list[tuple[str, str]]]:
    from rdlearn import content

    out = {"00_welcome.ipynb": welcome_cells(), "06_facilitator-console.ipynb": console_cells()}
    for sess in content.workshop()["sessions"]:
        out[f"{sess['number']:02d}_{sess['slug']}.ipynb"] = session_cells(sess["number"])
    return out


def expected() -> dict[str, dict]:
    return {name: notebook(cells) for name, cells in pages().items()}


if __name__ == "__main__":
    for name, cells in pages().items():
        write(ROOT / "notebooks" / name, cells)
        print(f"wrote notebooks/{name}")
