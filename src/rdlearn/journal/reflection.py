"""The private reflection journal and the workbook a participant takes home.

What a participant writes never reaches the server. A journal entry is a small browser
widget: the text area, the character count and the saving all happen in the participant's
browser, which keeps each answer in its ``localStorage`` under
``rdlearn:v1:reflection:<prompt id>``. Python only sends the prompt to the browser, and
ignores anything the browser sends back. The workbook is built in the browser too, from
every ``rdlearn:v1:`` item, and downloaded from there as Markdown or as a printable page.

The prompts live in ``data/prompts.yaml`` and are checked when they are loaded.

Examples
--------
>>> from rdlearn.journal import reflection
>>> [p["id"] for p in reflection.session_prompts(4)][:2]
['s4-my-strategy', 's4-what-it-protects']
>>> reflection.storage_key("s4-my-strategy")
'rdlearn:v1:reflection:s4-my-strategy'
"""

from __future__ import annotations

import json
import re
from typing import Any

import anywidget
import ipywidgets
import traitlets

from rdlearn.content import loader as content
from rdlearn.content import schema
from rdlearn.web import assets

__all__ = [
    "MAX_CHARS",
    "STORAGE_PREFIX",
    "DOMAINS",
    "load_prompts",
    "session_prompts",
    "prompt",
    "storage_key",
    "journal",
    "session_journal",
    "workbook",
    "JournalEntry",
    "Workbook",
    "BrowserStore",
]

#: The most characters one journal entry holds; the browser refuses anything beyond.
MAX_CHARS = 20_000

#: Every item rdlearn keeps in a participant's browser has a key starting with this.
STORAGE_PREFIX = "rdlearn:v1:"

#: The four domains in which studies of relational depth group what people describe.
DOMAINS = {
    "self": "What you felt in yourself",
    "other": "How you experienced the other",
    "relationship": "The relationship between you",
    "moment": "The moment itself",
}

PROMPTS_FILE = "prompts.yaml"
WORKBOOK_TITLE = "My relational depth workbook"

_STORE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,120}$")
_STORE_MAX_BYTES = 200_000


# --------------------------------------------------------------------------- the prompts


def _check_prompt(item: dict, where: str, sessions: dict[int, dict], outcomes: set[str]) -> None:
    if item["session"] not in sessions:
        raise content.ContentError(
            PROMPTS_FILE, f"{where}, key 'session'",
            f"must be a session number in workshop.yaml ({', '.join(map(str, sessions))})",
        )
    if item["outcome"] not in outcomes:
        raise content.ContentError(
            PROMPTS_FILE, f"{where}, key 'outcome'",
            f"unknown learning outcome {item['outcome']!r} (known: {', '.join(sorted(outcomes))})",
        )


def _validate_prompts(data: Any, sessions: dict[int, dict], outcomes: set[str]) -> list[dict]:
    f = PROMPTS_FILE
    schema.validate(data, "prompts", file=f)
    repeat = content.first_repeat(item["id"] for item in data["prompts"])
    if repeat:
        place, pid = repeat
        raise content.ContentError(f, f"prompts item {place} ({pid}), key 'id'",
                                   f"duplicate id {pid!r}")
    prompts = []
    for i, item in enumerate(data["prompts"], start=1):
        _check_prompt(item, f"prompts item {i} ({item['id']})", sessions, outcomes)
        prompts.append({
            "id": item["id"],
            "session": item["session"],
            "outcome": item["outcome"],
            "title": item["title"].strip(),
            "prompt": " ".join(item["prompt"].split()),
            "hint": " ".join((item.get("hint") or "").split()),
            "domain": item.get("domain") or "",
        })
    empty = [n for n in sessions if not any(p["session"] == n for p in prompts)]
    if empty:
        raise content.ContentError(
            f, "prompts", f"no prompt for session(s) {', '.join(map(str, empty))}"
        )
    return prompts


def load_prompts() -> list[dict]:
    """All reflection prompts, checked, in the order of the file.

    Each prompt is a dict with ``id``, ``session``, ``outcome``, ``title``, ``prompt``,
    ``hint`` and ``domain`` (the last two may be empty strings).

    Raises
    ------
    rdlearn.content.loader.ContentError
        If ``prompts.yaml`` is missing or broken; the message names the file, the item
        and the problem.
    """
    ws = content.workshop()
    sessions = {s["number"]: s for s in ws["sessions"]}
    outcomes = {o["id"] for o in ws["learning_outcomes"]}
    return _validate_prompts(content.load_yaml(PROMPTS_FILE), sessions, outcomes)


def session_prompts(session: int) -> list[dict]:
    """The prompts of one session (1 to 4), in order."""
    found = [p for p in load_prompts() if p["session"] == session]
    if not found:
        raise KeyError(f"there is no session {session!r} with reflection prompts")
    return found


def prompt(prompt_id: str) -> dict:
    """One prompt, by its id."""
    for item in load_prompts():
        if item["id"] == prompt_id:
            return item
    raise KeyError(f"there is no reflection prompt {prompt_id!r}")


def storage_key(prompt_id: str) -> str:
    """The browser storage key under which the answer to a prompt is kept."""
    return f"{STORAGE_PREFIX}reflection:{prompt_id}"


# --------------------------------------------------------------------------- widgets


class _SendOnly(anywidget.AnyWidget):
    """A widget whose browser side may show things but never changes the Python side."""

    _esm = assets.esm("journal.js", css=("journal.css",))
    _css = assets.css("journal.css")
    kind = traitlets.Unicode().tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        """Ignore every change sent by the browser: nothing typed comes back to Python."""
        return None


class JournalEntry(_SendOnly):
    """One private journal entry. Build it with :func:`journal`.

    Its traits carry the prompt to the browser; there is no trait for the answer, which
    stays in the browser.
    """

    kind = traitlets.Unicode("entry").tag(sync=True)
    prompt_id = traitlets.Unicode().tag(sync=True)
    session = traitlets.Int().tag(sync=True)
    title = traitlets.Unicode().tag(sync=True)
    prompt = traitlets.Unicode().tag(sync=True)
    hint = traitlets.Unicode().tag(sync=True)
    storage_key = traitlets.Unicode().tag(sync=True)
    max_chars = traitlets.Int(MAX_CHARS).tag(sync=True)


class Workbook(_SendOnly):
    """The download and erase buttons for everything saved in this browser.

    Build it with :func:`workbook`.
    """

    kind = traitlets.Unicode("workbook").tag(sync=True)
    title = traitlets.Unicode(WORKBOOK_TITLE).tag(sync=True)
    prefix = traitlets.Unicode(STORAGE_PREFIX).tag(sync=True)
    sessions = traitlets.List().tag(sync=True)


def journal(prompt_id: str) -> JournalEntry:
    """The private journal entry for one prompt.

    Parameters
    ----------
    prompt_id
        The prompt's id in ``prompts.yaml``, such as ``"s1-domain-self"``.

    Returns
    -------
    JournalEntry
        A widget showing the prompt, a text area, a live character count and a
        "Saved in this browser" status. The text typed in it stays in the browser.
    """
    item = prompt(prompt_id)
    return JournalEntry(
        prompt_id=item["id"],
        session=item["session"],
        title=item["title"],
        prompt=item["prompt"],
        hint=item["hint"],
        storage_key=storage_key(item["id"]),
        max_chars=MAX_CHARS,
    )


def session_journal(session: int) -> ipywidgets.VBox:
    """All the journal entries of one session (1 to 4), one below the other."""
    entries = [journal(p["id"]) for p in session_prompts(session)]
    return ipywidgets.VBox(entries, layout=ipywidgets.Layout(width="100%"))


def workbook() -> Workbook:
    """Buttons to download the participant's workbook (Markdown or printable HTML) or erase it.

    The workbook is built in the browser from every item rdlearn saved there: each
    session's reflections in order, then the self-checks.
    """
    ws = content.workshop()
    prompts = load_prompts()
    sessions = [
        {
            "number": s["number"],
            "title": s["title"],
            "prompts": [
                {"id": p["id"], "title": p["title"], "prompt": p["prompt"]}
                for p in prompts
                if p["session"] == s["number"]
            ],
        }
        for s in ws["sessions"]
    ]
    return Workbook(sessions=sessions)


# --------------------------------------------------------------------------- other modules


def _store_key(key: str) -> str:
    full = key if key.startswith(STORAGE_PREFIX) else STORAGE_PREFIX + key
    if not _STORE_KEY.match(full[len(STORAGE_PREFIX):]):
        raise ValueError(
            f"browser storage key {key!r}: use letters, digits and : . _ - only (at most 121)"
        )
    return full


def _clean_saved(value: Any) -> dict | None:
    """Check a value for :class:`BrowserStore`: ``None`` or a small JSON object."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("a saved item must be a JSON object (a dict) or None")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a saved item must hold only JSON values ({exc})") from None
    if len(text.encode("utf-8")) > _STORE_MAX_BYTES:
        raise ValueError(f"a saved item must be smaller than {_STORE_MAX_BYTES:,} bytes")
    return json.loads(text)


class BrowserStore(anywidget.AnyWidget):
    """A JSON object kept in the participant's browser (``localStorage``), for other modules.

    Display the store once on the page (it shows nothing). When the page loads, ``value``
    is restored from the browser (``None`` if nothing was saved); observe ``value`` to react.
    Setting ``value`` from Python saves it in the browser; ``None`` removes it.

    Parameters
    ----------
    key
        The storage key, with or without the ``rdlearn:v1:`` prefix, e.g.
        ``"selfcheck:disconnection"``.

    Examples
    --------
    >>> store = BrowserStore("selfcheck:example")
    >>> store.key
    'rdlearn:v1:selfcheck:example'
    >>> store.value = {"type": "selfcheck", "title": "Example", "lines": ["A line"]}
    """

    _esm = assets.esm("journal.js")
    kind = traitlets.Unicode("store").tag(sync=True)
    key = traitlets.Unicode().tag(sync=True)
    value = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)

    def __init__(self, key: str, **kwargs: Any) -> None:
        super().__init__(key=_store_key(key), **kwargs)

    @traitlets.validate("value")
    def _check_value(self, proposal: dict) -> dict | None:
        try:
            return _clean_saved(proposal["value"])
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None

    @traitlets.validate("key")
    def _check_key(self, proposal: dict) -> str:
        try:
            return _store_key(proposal["value"])
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None

    def set_state(self, sync_data: dict) -> None:
        """Accept only ``value`` from the browser, and only a valid one."""
        if "value" not in sync_data:
            return None
        try:
            _clean_saved(sync_data["value"])
        except ValueError:
            return None
        return super().set_state({"value": sync_data["value"]})
