"""The facilitator's notes for each session and the keynote, from ``data/facilitator_notes.yaml``.

Shown behind the facilitator key by :func:`rdlearn.agenda.widgets.notes_panel` and written
into the guide's pages by :mod:`rdlearn.sessions.guide`.
"""

from __future__ import annotations

from rdlearn.content import loader as content
from rdlearn.content import schema

__all__ = ["NOTES_FILE", "load_notes", "notes"]

NOTES_FILE = "facilitator_notes.yaml"

_NOTE_SECTIONS = ("aims", "watch_for", "distress", "timing")


def load_notes() -> dict[int | str, dict]:
    """Read and check ``data/facilitator_notes.yaml``.

    Returns ``{1: {...}, 2: ..., 4: ..., "keynote": {...}}``, each with a title and the
    lists aims, watch_for, distress (the points for every session first) and timing. The
    file's shape is checked by its schema (``content/schemas/facilitator_notes.yaml``);
    here, that each session of ``workshop.yaml`` and the keynote has notes exactly once.
    """
    f = NOTES_FILE
    data = schema.validate(content.load_yaml(f), "facilitator_notes", file=f)
    shared = _points(data["every_session"]["distress"])
    titles: dict[int | str, str] = {
        s["number"]: f"Session {s['number']}: {s['title']}" for s in content.workshop()["sessions"]
    }
    titles["keynote"] = "Keynote: the research on relational depth"
    result: dict[int | str, dict] = {}
    for i, raw in enumerate(data["notes"], start=1):
        key = raw["session"]
        if key not in titles:
            raise content.ContentError(
                f, f"notes item {i}", f"session {key!r} is not a session in workshop.yaml or "
                "'keynote'"
            )
        if key in result:
            raise content.ContentError(f, f"notes item {i}", f"session {key!r} has notes twice")
        entry = {"session": key, "title": titles[key]}
        entry.update({section: _points(raw[section]) for section in _NOTE_SECTIONS})
        entry["distress"] = shared + entry["distress"]
        result[key] = entry
    missing = [str(k) for k in titles if k not in result]
    if missing:
        raise content.ContentError(f, "notes", f"no notes for session(s) {', '.join(missing)}")
    return result


def _points(values: list[str]) -> list[str]:
    return [value.strip() for value in values]


def notes(session: int | str) -> dict:
    """The facilitator's notes for a session (1-4) or ``"keynote"``.

    A dict with ``title`` and the lists ``aims``, ``watch_for``, ``distress``, ``timing``.
    """
    everything = load_notes()
    if session not in everything or isinstance(session, bool):
        choices = ", ".join(str(k) for k in everything)
        raise ValueError(f"There are no notes for {session!r}; choose one of {choices}.")
    return everything[session]
