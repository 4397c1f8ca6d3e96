"""Load and validate the workshop's content, which lives as data files in ``data/``.

Every data file is read through this module, so that the same loader works from a
source checkout (``data/`` beside ``src/``) and from an installed wheel (the files are
shipped inside the package as ``rdlearn/data``). A broken file raises
:class:`ContentError`, whose message names the file, the row or key, and what is wrong.

Examples
--------
>>> from rdlearn.content import loader as content
>>> ws = content.workshop()
>>> [s["number"] for s in ws["sessions"]]
[1, 2, 3, 4]
"""

from __future__ import annotations

import copy as _copy
import csv
import functools
import io
from collections.abc import Callable, Hashable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rdlearn.content.errors import ContentError, ContentWarning

__all__ = [
    "ContentError",
    "ContentWarning",
    "data_dir",
    "read_text",
    "checked",
    "data_stamp",
    "load_yaml",
    "load_csv",
    "workshop",
    "learning_outcomes",
    "session",
    "check_all",
]


def data_dir() -> Path:
    """Return the folder that holds the content files.

    An installed wheel carries them inside the package; a source checkout (or an
    editable install) has them in ``data/`` at the top of the repository.
    """
    packaged = resources.files("rdlearn") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "data"
    if checkout.is_dir():
        return checkout
    raise ContentError("data/", None, "the content folder is missing from this installation")


def _path(name: str) -> Path:
    path = data_dir() / name
    if not path.is_file():
        raise ContentError(name, None, "file not found")
    return path


def read_text(name: str) -> str:
    """Return a data file's text (UTF-8)."""
    try:
        return _path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(name, None, f"not valid UTF-8 text ({exc.reason})") from None


@functools.lru_cache(maxsize=64)
def _load_yaml_cached(name: str, path: str, mtime: float) -> Any:
    text = read_text(name)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ContentError(name, where, f"not valid YAML: {problem}") from None


_CHECKED: dict[tuple, Any] = {}


def data_stamp(*names: str) -> tuple:
    """The named data files' names, sizes and modification times (every file's if none)."""
    root = data_dir()
    paths = [root / name for name in names] if names else [
        p for p in root.rglob("*") if p.is_file()]
    return tuple(sorted((str(p.relative_to(root)), st.st_size, st.st_mtime_ns)
                        for p in paths if (st := p.stat())))


def checked(key: Hashable, build: Callable[[], Any], inputs: tuple = (), *,
            reads: tuple[str, ...] | None = None, copy: bool = True) -> Any:
    """``build()``'s result, kept while ``inputs`` and the data files it ``reads`` stay the same.

    Checking a session file against its schema, the agenda and the findings takes about
    20 ms, and a session page asks for it once per section: kept, a page is built in a
    fraction of that. ``inputs`` are the parsed files the build reads (:func:`load_yaml`
    gives the same object until a file changes): another object, as a test's changed copy,
    builds again. ``reads`` names the other data files it reads (``None``: any of them).
    Each caller gets its own copy unless ``copy`` is false; a build that raises is not kept.

    >>> calls, raw = [], {"a": [1]}
    >>> first = checked(("doc", 1), lambda: calls.append(1) or {"a": [1]}, (raw,))
    >>> first["a"].append(2)
    >>> checked(("doc", 1), lambda: calls.append(1) or {"a": [1]}, (raw,)), len(calls)
    ({'a': [1]}, 1)
    >>> _ = checked(("doc", 1), lambda: calls.append(1) or {}, ({"a": [1]},)); len(calls)
    2
    """
    files = data_stamp() if reads is None else data_stamp(*reads) if reads else ()
    stamp = (key, files)
    kept = _CHECKED.get(stamp)
    if kept is None or len(kept[0]) != len(inputs) or any(
            a is not b for a, b in zip(kept[0], inputs, strict=True)):
        if len(_CHECKED) > 256:
            _CHECKED.clear()
        kept = _CHECKED[stamp] = (inputs, build())
    return _copy.deepcopy(kept[1]) if copy else kept[1]


def load_yaml(name: str) -> Any:
    """Parse a YAML data file (cached until the file changes)."""
    path = _path(name)
    return _load_yaml_cached(name, str(path), path.stat().st_mtime_ns)


def load_csv(name: str, *, required: Iterable[str] = ()) -> list[dict[str, str]]:
    """Read a CSV data file into a list of rows (dicts of strings).

    Each row also carries ``_row``: its line number in the file, for error messages.
    Columns named in ``required`` must exist and be non-empty in every row.
    """
    text = read_text(name)
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise ContentError(name, "header", f"missing column(s): {', '.join(missing)}")
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise ContentError(name, f"row {line}", "more values than columns")
        for column in required:
            if not (row.get(column) or "").strip():
                raise ContentError(name, f"row {line}", f"'{column}' is empty")
        clean = {k: (v or "").strip() for k, v in row.items()}
        clean["_row"] = str(line)
        rows.append(clean)
    return rows


# --------------------------------------------------------------------------- schema helpers


def require(
    mapping: Any, fields: Iterable[tuple[str, type | tuple[type, ...]]], *, file: str, where: str
) -> None:
    """Check that ``mapping`` is a dict holding each named field with the right type."""
    if not isinstance(mapping, Mapping):
        raise ContentError(file, where, "expected a mapping of keys to values")
    for name, kind in fields:
        if name not in mapping or mapping[name] is None:
            raise ContentError(file, where, f"'{name}' is missing")
        if not isinstance(mapping[name], kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(
                k.__name__ for k in kind
            )
            raise ContentError(file, f"{where}, key '{name}'", f"expected {expected}")
        if isinstance(mapping[name], str) and not mapping[name].strip():
            raise ContentError(file, f"{where}, key '{name}'", "must not be empty")


def first_repeat(values: Iterable[Any]) -> tuple[int, Any] | None:
    """The first value given a second time, with its place there (from 1); ``None`` if none.

    >>> first_repeat(["a", "b", "a", "b"])
    (3, 'a')
    """
    seen = set()
    for place, value in enumerate(values, start=1):
        if value in seen:
            return place, value
        seen.add(value)
    return None


# --------------------------------------------------------------------------- the workshop

WORKSHOP_FILE = "workshop.yaml"


def _validate_workshop(data: Any) -> dict:
    from rdlearn.content import schema

    f = WORKSHOP_FILE
    schema.validate(data, "workshop", file=f)
    outcome_ids = [outcome["id"] for outcome in data["learning_outcomes"]]
    repeat = first_repeat(outcome_ids)
    if repeat:
        raise ContentError(f, f"learning_outcomes item {repeat[0]}", f"duplicate id {repeat[1]!r}")
    numbers = [sess["number"] for sess in data["sessions"]]
    for i, sess in enumerate(data["sessions"], start=1):
        unknown = [oid for oid in sess["outcomes"] if oid not in outcome_ids]
        if unknown:
            raise ContentError(f, f"sessions item {i}", f"unknown learning outcome {unknown[0]!r}")
    if numbers != list(range(1, len(numbers) + 1)):
        raise ContentError(f, "sessions", "sessions must be numbered 1, 2, 3, ... in order")
    served = {oid for s in data["sessions"] for oid in s["outcomes"]}
    unserved = set(outcome_ids) - served
    if unserved:
        raise ContentError(
            f,
            "learning_outcomes",
            f"outcome(s) served by no session: {', '.join(sorted(unserved))}",
        )
    return data


def workshop() -> dict:
    """The workshop's structure: title, learning outcomes, sessions, formats, pages."""
    raw = load_yaml(WORKSHOP_FILE)
    # Shared, as the parsed file it is (load_yaml's) always was: no copy, no other file.
    return checked("workshop", lambda: _validate_workshop(raw), (raw,), reads=(), copy=False)


def learning_outcomes() -> list[dict]:
    """The five learning outcomes, each ``{"id": ..., "text": ...}``."""
    return list(workshop()["learning_outcomes"])


def session(number: int) -> dict:
    """One session's entry in ``workshop.yaml`` (1 to 4)."""
    for sess in workshop()["sessions"]:
        if sess["number"] == number:
            return sess
    raise KeyError(f"there is no session {number}")


# --------------------------------------------------------------------------- check everything

#: Every loader that ``rdlearn check`` runs: (module, function taking no arguments).
#: A module that loads a data file adds its loader here.
_CHECKS: list[tuple[str, str]] = [
    ("rdlearn.content.loader", "workshop"),
    ("rdlearn.journal.reflection", "load_prompts"),
    ("rdlearn.sessions.load", "load_all"),
    ("rdlearn.content.findings", "validate"),
    ("rdlearn.content.checks", "check_citations"),
    ("rdlearn.content.checks", "check_sources_used"),
    ("rdlearn.selfcheck.instruments", "load_all"),
    ("rdlearn.selfcheck.instruments", "load_quiz"),
    ("rdlearn.room.questions", "load_questions"),
    ("rdlearn.agenda.blocks", "load_agenda"),
    ("rdlearn.agenda.notes", "load_notes"),
    ("rdlearn.keynote.deck", "load_keynote"),
    ("rdlearn.figures.experience", "load_chart_text"),
    ("rdlearn.content.checks", "check_agenda_against_sessions"),
]


def _checks() -> list[Callable[[], Any]]:
    import importlib

    found = []
    for module, function in _CHECKS:
        found.append(getattr(importlib.import_module(module), function))
    return found


def check_all() -> list[str]:
    """Run every content loader; return the problems found (empty when all is well)."""
    problems = []
    for check in _checks():
        try:
            check()
        except ContentError as exc:
            problems.append(str(exc))
    return problems
