"""What a session page shows, in order: one call into rdlearn per item (one source, no drift).

The session notebooks are written from these calls (:mod:`rdlearn.sessions.notebooks`), one
cell each, and the participant's day page runs the same calls in its kernel when a session is
first opened (:mod:`rdlearn.sessions.day_page`). A call is data, ``module.function(*args,
**kwargs)``, with the module one of rdlearn's feature subpackages:

>>> call = Call("timer", "timer", kwargs={"minutes": {"one-day": 25, "two-day": 45}})
>>> call.source()
'timer.timer(minutes={"one-day": 25, "two-day": 45})'
>>> [c.source() for c in session_calls(2)][:2]
['sessions.header(2)', 'sessions.section(2, "need-to-belong")']
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any

from rdlearn.sessions import load

__all__ = ["Call", "charts", "session_calls", "WIDGETS", "ROUND_TIMERS", "GROUPINGS"]


def _literal(value: object) -> str:
    """Python source for a number, a text, a tuple of texts or a dict of them (double quotes)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ")"
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Call:
    """``rdlearn.<module>.<name>(*args, **kwargs)``, with plain values as arguments."""

    module: str
    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def source(self) -> str:
        """The call as a notebook cell writes it."""
        parts = [_literal(a) for a in self.args]
        parts += [f"{k}={_literal(v)}" for k, v in self.kwargs.items()]
        if len(self.kwargs) > 2:
            return f"{self.module}.{self.name}(\n" + "".join(f"    {p},\n" for p in parts) + ")"
        return f"{self.module}.{self.name}({', '.join(parts)})"

    def run(self) -> Any:
        """Make the call."""
        feature = importlib.import_module(f"rdlearn.{self.module}")
        return getattr(feature, self.name)(*self.args, **self.kwargs)


#: What each exercise's ``widget`` entry in a session file becomes on the page.
WIDGETS = {
    "journal": [Call("journal", "session_journal", ("{number}",))],
    "quiz": [Call("selfcheck", "quiz", ("{number}",))],
    "selfcheck chronic_disconnection": [Call("selfcheck", "chronic_disconnection")],
    "selfcheck connection_frequency": [
        Call("selfcheck", "connection_frequency", kwargs={"form": "therapist"}),
        Call("selfcheck", "connection_frequency", kwargs={"form": "client"}),
    ],
    "relationship_map": [Call("journal", "relationship_map")],
    "connection_rating": [Call("connection", "connection_rating"),
                          Call("connection", "room_connection_view")],
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


def _timer_call(exercise: dict) -> Call:
    """One timer for the exercise: in rounds, or with each format's length to choose from.

    A session page serves both formats, so where the length differs by format the timer
    offers each (the first, one-day, chosen to start with) rather than one format's.
    """
    plan = ROUND_TIMERS.get(exercise["id"])
    if plan:
        return Call("timer", "rounds", kwargs=dict(plan))
    minutes = exercise["minutes"]
    if isinstance(minutes, dict) and len(set(minutes.values())) == 1:
        minutes = next(iter(minutes.values()))
    return Call("timer", "timer", kwargs={"minutes": minutes})


def _widget_calls(number: int, exercise: dict) -> list[Call]:
    kinds = exercise.get("widgets") or exercise.get("widget") or []
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    calls = []
    for kind in kinds:
        if kind.startswith("room_question "):
            calls.append(Call("room", "ask", (kind.split(" ", 1)[1],)))
        elif kind == "timer":
            calls.append(_timer_call(exercise))
        elif kind == "pairing":
            options = dict(GROUPINGS.get(exercise["id"], {}))
            calls.append(Call("grouping", "pairing", kwargs=options))
        else:
            calls.extend(Call(c.module, c.name, tuple(number if a == "{number}" else a
                                                      for a in c.args), c.kwargs)
                         for c in WIDGETS[kind])
    return calls


def session_calls(number: int) -> list[Call]:
    """Everything session ``number``'s page shows, in order."""
    data = load.load_session(number)
    body = [Call("sessions", "header", (number,))]
    if number == 1:  # confidence at the start of the day
        body.append(Call("selfcheck", "outcome_confidence"))
    for section in data["sections"]:
        body.append(Call("sessions", "section", (number, section["id"])))
        if section.get("figure"):
            body.append(Call("figures", "chart", (section["figure"],)))
    room_joined = False
    for exercise in data["exercises"]:
        body.append(Call("sessions", "exercise_card", (number, exercise["id"])))
        for call in _widget_calls(number, exercise):
            if call.module == "room" and call.name == "ask" and not room_joined:
                body.append(Call("room", "join"))
                room_joined = True
            body.append(call)
    if number == 4:  # ... and again at the end
        body.append(Call("selfcheck", "outcome_confidence"))
    body += [
        Call("sessions", "discussion", (number,)),
        Call("sessions", "summary", (number,)),
        Call("journal", "workbook"),
        Call("sessions", "references", (number,)),
        Call("agenda", "notes_panel", (number,)),
    ]
    return body


def charts() -> list[str]:
    """The research charts the four sessions show, by builder name, in order."""
    from rdlearn.content import loader as content

    names = [call.args[0] for s in content.workshop()["sessions"]
             for call in session_calls(s["number"]) if call.module == "figures"
             and call.name == "chart"]
    return list(dict.fromkeys(names))
