"""The facilitator's notes for each session and the keynote, from ``data/facilitator_notes.yaml``.

Shown behind the facilitator key by :func:`rdlearn.agenda.widgets.notes_panel` and written
into the guide's pages by :mod:`rdlearn.sessions.guide`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdlearn.content import loader as content

__all__ = ["NOTES_FILE", "load_notes", "notes"]

NOTES_FILE = "facilitator_notes.yaml"

_NOTE_SECTIONS = ("aims", "watch_for", "distress", "timing")


def _text_list(value: Any, *, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise content.ContentError(NOTES_FILE, where, "expected a list of points")
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise content.ContentError(NOTES_FILE, f"{where}, point {i}", "must be text")
    return [item.strip() for item in value]


def load_notes() -> dict[int | str, dict]:
    """Read and check ``data/facilitator_notes.yaml``.

    Returns ``{1: {...}, 2: ..., 4: ..., "keynote": {...}}``, each with a title and the
    lists aims, watch_for, distress (the points for every session first) and timing.
    """
    f = NOTES_FILE
    data = content.load_yaml(f)
    content.require(data, [("every_session", dict), ("notes", list)], file=f, where="top level")
    shared = _text_list(data["every_session"].get("distress"), where="every_session, distress")
    titles: dict[int | str, str] = {
        s["number"]: f"Session {s['number']}: {s['title']}" for s in content.workshop()["sessions"]
    }
    titles["keynote"] = "Keynote: the research on relational depth"
    result: dict[int | str, dict] = {}
    for i, raw in enumerate(data["notes"], start=1):
        where = f"notes item {i}"
        if not isinstance(raw, Mapping) or "session" not in raw:
            raise content.ContentError(f, where, "'session' is missing (1-4 or keynote)")
        key = raw["session"]
        if key not in titles or isinstance(key, bool):
            raise content.ContentError(
                f, where, f"session {key!r} is not a session in workshop.yaml or 'keynote'"
            )
        if key in result:
            raise content.ContentError(f, where, f"session {key!r} has notes twice")
        where = f"notes for session {key}"
        entry = {"session": key, "title": titles[key]}
        for section in _NOTE_SECTIONS:
            entry[section] = _text_list(raw.get(section), where=f"{where}, {section}")
        entry["distress"] = shared + entry["distress"]
        result[key] = entry
    missing = [str(k) for k in titles if k not in result]
    if missing:
        raise content.ContentError(f, "notes", f"no notes for session(s) {', '.join(missing)}")
    return result


def notes(session: int | str) -> dict:
    """The facilitator's notes for a session (1-4) or ``"keynote"``.

    A dict with ``title`` and the lists ``aims``, ``watch_for``, ``distress``, ``timing``.
    """
    everything = load_notes()
    if session not in everything or isinstance(session, bool):
        choices = ", ".join(str(k) for k in everything)
        raise ValueError(f"There are no notes for {session!r}; choose one of {choices}.")
    return everything[session]
