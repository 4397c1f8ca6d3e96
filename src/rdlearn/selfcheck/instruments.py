"""Self-checks: reflective instruments and quiz questions, loaded from data and checked.

Everything here is pure: data in, plain values out, no widgets and no charts (those live
in :mod:`rdlearn.selfcheck.widgets` and :mod:`rdlearn.selfcheck.figures`; scoring is in
:mod:`rdlearn.selfcheck.scoring`, the quiz's use in :mod:`rdlearn.selfcheck.quizzes`). An
instrument lives in ``data/instruments/<id>.yaml``; the quiz in ``data/quiz.yaml``. Both
are checked when they are loaded, and a broken file raises
:class:`rdlearn.content.loader.ContentError` naming the file, the item and the problem.

Answers are a plain dict. Its keys are item ids, or ``"<item>@<context>"`` for an
instrument that asks about each item in more than one context (see :func:`answer_key`).
A value is a whole number on the instrument's scale, or ``None`` for "prefer not to say".

The self-checks are reflective tools written for rdlearn: they are not validated
measures, and their results are not a diagnosis.

Examples
--------
>>> inst = load_instrument("connection-frequency-therapist")
>>> validate_answer(inst, inst["items"][0]["id"], 4)
4
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rdlearn.content import loader as content
from rdlearn.content import schema
from rdlearn.content.loader import ContentError

__all__ = [
    "INSTRUMENT_DIR",
    "QUIZ_FILE",
    "OWN_GROUP",
    "answer_key",
    "split_key",
    "instrument_ids",
    "load_instrument",
    "load_all",
    "validate_answer",
    "validate_answers",
    "clean_own_text",
    "clean_free_listing",
    "with_own_items",
    "anchor_label",
    "load_quiz",
]

INSTRUMENT_DIR = "instruments"
QUIZ_FILE = "quiz.yaml"
OWN_GROUP = "own"
OVERALL = "overall"
#: The longest free listing, unless the instrument sets its own ``max_chars``.
FREE_LISTING_MAX_CHARS = 1000
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# --------------------------------------------------------------------------- answer keys


def answer_key(item_id: str, context: str | None = None) -> str:
    """The key of one answer: ``"keep-busy@therapy"``, or the item id alone without a context.

    >>> answer_key("keep-busy", "therapy")
    'keep-busy@therapy'
    """
    return f"{item_id}@{context}" if context else item_id


def split_key(key: str) -> tuple[str, str | None]:
    """The item id and context of an answer key (the reverse of :func:`answer_key`)."""
    item, _, context = str(key).partition("@")
    return item, (context or None)


# --------------------------------------------------------------------------- loading


def instrument_ids() -> list[str]:
    """The ids of every instrument in ``data/instruments/`` (file names without ``.yaml``)."""
    folder = content.data_dir() / INSTRUMENT_DIR
    if not folder.is_dir():
        raise ContentError(f"{INSTRUMENT_DIR}/", None, "the instruments folder is missing")
    return sorted(p.stem for p in folder.glob("*.yaml"))


def _words(text: Any) -> str:
    """Text with its runs of white space made single spaces (``None`` becomes ``""``)."""
    return " ".join(str(text or "").split())


def _validate_scale(raw: Mapping, *, file: str) -> dict:
    lo, hi = raw["min"], raw["max"]
    if lo >= hi:
        raise ContentError(file, "scale", "'min' must be a whole number smaller than 'max'")
    for point in raw["anchors"]:
        if isinstance(point, bool) or not isinstance(point, int):
            raise ContentError(file, f"scale, anchor {point!r}",
                               "anchor keys must be whole numbers")
        if not lo <= point <= hi:
            raise ContentError(file, f"scale, anchor {point}", f"outside the scale {lo} to {hi}")
    anchors = {point: label.strip() for point, label in sorted(raw["anchors"].items())}
    return {"min": lo, "max": hi, "anchors": anchors, "allow_pass": True}


def _validate_labelled_list(raw: list, key: str, *, file: str) -> list[dict]:
    repeat = content.first_repeat(entry["id"] for entry in raw)
    if repeat:
        raise ContentError(file, f"{key} item {repeat[0]}", f"duplicate id {repeat[1]!r}")
    return [{**entry, "label": entry["label"].strip(),
             "short": entry.get("short", entry["label"]).strip()} for entry in raw]


def _outcome_items() -> list[dict]:
    return [{"id": o["id"], "text": o["text"], "label": _short(o["text"])}
            for o in content.learning_outcomes()]


def _short(text: str, width: int = 40) -> str:
    """A label for a chart: the text, cut at a word boundary with an ellipsis if long."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _validate_bands(raw: list, scale: dict, *, file: str) -> list[dict]:
    for i, band in enumerate(raw, start=1):
        if not band["min"] < band["max"]:
            raise ContentError(file, f"bands item {i}", "'min' must be smaller than 'max'")
    bands = sorted(({"min": b["min"], "max": b["max"], "label": b["label"].strip(),
                     "text": _words(b["text"])} for b in raw), key=lambda b: b["min"])
    if bands[0]["min"] != scale["min"] or bands[-1]["max"] != scale["max"]:
        raise ContentError(file, "bands", "the bands must cover the whole scale, "
                           f"{scale['min']} to {scale['max']}")
    for before, after in zip(bands, bands[1:], strict=False):
        if after["min"] > before["max"]:
            raise ContentError(file, f"band '{after['label']}'",
                               f"gap between {before['max']} and {after['min']}")
        if after["min"] < before["max"]:
            raise ContentError(file, f"band '{after['label']}'",
                               f"overlaps band '{before['label']}' (starts at {after['min']}, "
                               f"before {before['max']})")
    return bands


def _validate_item(item: Mapping, scale: dict, group_ids: list[str], *, file: str) -> dict:
    where = f"item '{item['id']}'"
    group = item.get("group")
    if group_ids and group is None:
        raise ContentError(file, where, f"'group' is missing (one of {', '.join(group_ids)})")
    if group is not None and group not in group_ids:
        raise ContentError(file, where, f"unknown group {group!r}"
                           + (f" (known: {', '.join(group_ids)})" if group_ids else ""))
    reverse = item.get("reverse", False)
    if reverse and not {scale["min"], scale["max"]} <= set(scale["anchors"]):
        raise ContentError(file, where, "a reverse-keyed item needs a scale with both ends "
                           f"labelled ({scale['min']} and {scale['max']})")
    text = _words(item["text"])
    return {"id": item["id"], "text": text, "label": _words(item.get("label", text)),
            "group": group or OVERALL, "reverse": reverse}


def _validate_items(data: Mapping, scale: dict, groups: list[dict], *, file: str) -> list[dict]:
    raw_items = _outcome_items() if "items_from" in data else data["items"]
    repeat = content.first_repeat(item["id"] for item in raw_items)
    if repeat:
        raise ContentError(file, f"item '{repeat[1]}'", "duplicate item id")
    group_ids = [g["id"] for g in groups]
    items = [_validate_item(item, scale, group_ids, file=file) for item in raw_items]
    for g in groups:
        if not any(item["group"] == g["id"] for item in items):
            raise ContentError(file, f"group '{g['id']}'", "no item belongs to this group")
    return items


def _min_answered(minimum: int | Mapping, sizes: Mapping[str, int], *, file: str) -> dict:
    """The fewest answers each group needs for a score, checked against the group sizes."""
    if isinstance(minimum, Mapping):
        for groups, problem in ((set(minimum) - set(sizes), "unknown group"),
                                (set(sizes) - set(minimum), "no minimum for group")):
            if groups:
                raise ContentError(file, "scoring, key 'min_answered'",
                                   f"{problem} {sorted(groups)[0]!r}")
        minimums = dict(minimum)
    else:
        minimums = {gid: minimum for gid in sizes}
    for gid, need in minimums.items():
        if not 1 <= need <= sizes[gid]:
            raise ContentError(file, f"scoring, min_answered for '{gid}'",
                               f"must be a whole number from 1 to {sizes[gid]} (the group's items)")
    return minimums


def _validate_reflection(raw: list, *, file: str) -> list[str]:
    for i, prompt in enumerate(raw, start=1):
        leftover = prompt.replace("{strategy}", "")
        if "{" in leftover or "}" in leftover:
            raise ContentError(file, f"reflection item {i}", "the only placeholder is {strategy}")
    return [_words(prompt) for prompt in raw]


def _validate_instrument(data: Any, *, file: str, expected_id: str | None = None) -> dict:
    f = file
    schema.validate(data, "instrument", file=f)
    if expected_id is not None and data["id"] != expected_id:
        raise ContentError(f, "key 'id'", f"must match the file name ({expected_id!r})")
    not_a_measure = _words(data["not_a_measure"])
    lowered = not_a_measure.lower()
    if "not a validated measure" not in lowered or "diagnos" not in lowered:
        raise ContentError(f, "key 'not_a_measure'",
                           "must say it is not a validated measure and not a diagnosis")
    scale = _validate_scale(data["scale"], file=f)
    contexts = [{"id": None, "label": "", "short": ""}]
    if "contexts" in data:
        contexts = _validate_labelled_list(data["contexts"], "contexts", file=f)
    groups = _validate_labelled_list(data.get("groups", []), "groups", file=f)
    items = _validate_items(data, scale, groups, file=f)
    groups = groups or [{"id": OVERALL, "label": "All items"}]
    sizes = {g["id"]: sum(1 for it in items if it["group"] == g["id"]) for g in groups}
    minimums = _min_answered(data["scoring"]["min_answered"], sizes, file=f)
    for g in groups:
        g["min_answered"] = minimums[g["id"]]
    own = data.get("own_items")
    free = data.get("free_listing")
    source = data["construct_source"]
    return {
        "id": data["id"],
        "file": f,
        "title": data["title"].strip(),
        "session": data.get("session"),
        "purpose": _words(data["purpose"]),
        "instructions": _words(data.get("instructions")),
        "construct_source": {"text": _words(source["text"]),
                             "source_ids": list(source["source_ids"])},
        "not_a_measure": not_a_measure,
        "scale": scale,
        "contexts": contexts,
        "groups": groups,
        "groups_note": _words(data.get("groups_note")),
        "items": items,
        "scoring": {"method": data["scoring"]["method"]},
        "bands": _validate_bands(data["bands"], scale, file=f),
        "reflection": _validate_reflection(data["reflection"], file=f),
        "own_items": own and {"max": own["max"], "max_chars": own["max_chars"],
                              "label": own["label"].strip()},
        "free_listing": free and {"prompt": _words(free["prompt"]), "why": _words(free["why"]),
                                  "max_chars": free.get("max_chars", FREE_LISTING_MAX_CHARS)},
        "compare_with": [{"finding": entry["finding"], "label": entry["label"].strip(),
                          "note": _words(entry.get("note"))}
                         for entry in data.get("compare_with") or []],
    }


def load_instrument(instrument_id: str) -> dict:
    """Load and check one instrument, e.g. ``load_instrument("chronic-disconnection")``.

    Returns a plain dict: id, title, purpose, construct_source, not_a_measure, scale,
    contexts, groups, items, scoring, bands, reflection, own_items, free_listing (the
    prompt written to before the list, or ``None``), compare_with.
    """
    name = f"{INSTRUMENT_DIR}/{instrument_id}.yaml"
    if not _ID.match(str(instrument_id)):
        raise ContentError(name, None, "an instrument id is lower-case letters, digits and dashes")
    inst = _validate_instrument(content.load_yaml(name), file=name, expected_id=instrument_id)
    if inst["compare_with"]:
        from rdlearn.content import findings

        for entry in inst["compare_with"]:
            try:
                findings.finding(entry["finding"])
            except (KeyError, LookupError, ValueError):
                raise ContentError(name, f"compare_with '{entry['finding']}'",
                                   "no such finding in findings.csv") from None
    return inst


def load_all() -> dict[str, dict]:
    """Load and check every instrument; ``{id: instrument}`` (used by ``rdlearn check``)."""
    return {ident: load_instrument(ident) for ident in instrument_ids()}


# --------------------------------------------------------------------------- answers


def anchor_label(instrument: Mapping, value: int | None) -> str:
    """The label of a point of the scale: "2 (Sometimes)", or "2" if the point has none."""
    if value is None:
        return "prefer not to say"
    label = instrument["scale"]["anchors"].get(value)
    return f"{value} ({label})" if label else str(value)


def _item(instrument: Mapping, item_id: str) -> dict | None:
    for item in instrument["items"]:
        if item["id"] == item_id:
            return item
    return None


def validate_answer(
    instrument: Mapping, item_id: str, value: Any, *, context: str | None = None
) -> int | None:
    """Check one answer and return it (``None`` means "prefer not to say").

    ``item_id`` may also be a full answer key (``"keep-busy@therapy"``). Raises
    ``ValueError`` with a message a participant can read for an unknown question, an
    unknown context, or a value that is not a whole number on the scale.
    """
    if context is None:
        item_id, context = split_key(item_id)
    item = _item(instrument, item_id)
    if item is None:
        raise ValueError(f"This self-check has no question called {str(item_id)!r}.")
    contexts = [c["id"] for c in instrument["contexts"]]
    if context not in contexts:
        if context is None:
            raise ValueError(f"Please say whether your answer to {item_id!r} is for "
                             f"{' or '.join(contexts)}.")
        if contexts == [None]:
            raise ValueError(f"The question {item_id!r} is asked only once, not for {context!r}.")
        raise ValueError(f"The question {item_id!r} is asked for {' and '.join(contexts)}, "
                         f"not for {context!r}.")
    if value is None:
        return None
    lo, hi = instrument["scale"]["min"], instrument["scale"]["max"]
    ends = f"{anchor_label(instrument, lo)} to {anchor_label(instrument, hi)}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Please choose one of the answers from {ends}, "
                         "or 'Prefer not to say'.")
    if not lo <= value <= hi:
        raise ValueError(f"{value} is not on this scale: please choose from {ends}, "
                         "or 'Prefer not to say'.")
    return value


def validate_answers(instrument: Mapping, answers: Mapping) -> dict[str, int | None]:
    """Check every answer (see :func:`validate_answer`); returns a clean copy."""
    if not isinstance(answers, Mapping):
        raise ValueError("The saved answers are not in the expected form.")
    clean = {}
    for key, value in answers.items():
        item, context = split_key(key)
        clean[answer_key(item, context)] = validate_answer(instrument, item, value,
                                                           context=context)
    return clean


def clean_own_text(instrument: Mapping, text: Any) -> str:
    """Tidy a strategy written by the participant; ``ValueError`` if empty or too long."""
    own = instrument.get("own_items")
    if not own:
        raise ValueError("This self-check does not take strategies of your own.")
    if not isinstance(text, str):
        raise ValueError("Please write your strategy as text.")
    cleaned = " ".join(_CONTROL.sub(" ", text).split())
    if not cleaned:
        raise ValueError("Please write a few words first.")
    if len(cleaned) > own["max_chars"]:
        raise ValueError(f"Please keep it to {own['max_chars']} characters "
                         f"(this one has {len(cleaned)}).")
    return cleaned


def clean_free_listing(instrument: Mapping, text: Any) -> str:
    r"""Tidy what the participant wrote before the list; ``ValueError`` if empty or too long.

    Each line is kept (tidied as a strategy of one's own is: control and direction
    characters become spaces, runs of spaces one); empty lines are dropped.

    >>> inst = load_instrument("chronic-disconnection")
    >>> clean_free_listing(inst, "  joking\n\n going   quiet ")
    'joking\ngoing quiet'
    """
    free = instrument.get("free_listing")
    if not free:
        raise ValueError("This self-check has no step in your own words.")
    if not isinstance(text, str):
        raise ValueError("Please write your own words as text.")
    lines = (" ".join(_CONTROL.sub(" ", line).split()) for line in text.splitlines())
    cleaned = "\n".join(line for line in lines if line)
    if not cleaned:
        raise ValueError('Please write a few words first, or choose "Skip to the list".')
    if len(cleaned) > free["max_chars"]:
        raise ValueError(f"Please keep it to {free['max_chars']} characters "
                         f"(this has {len(cleaned)}).")
    return cleaned


def with_own_items(instrument: Mapping, texts: list[str]) -> dict:
    """A copy of the instrument with the participant's own strategies added as items.

    They become items ``own-1``, ``own-2``, ... in a group of their own, rated in the
    same contexts and on the same scale. Empty texts are skipped.
    """
    own = instrument.get("own_items")
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    if not texts:
        return dict(instrument)
    if not own:
        raise ValueError("This self-check does not take strategies of your own.")
    if len(texts) > own["max"]:
        raise ValueError(f"You can add up to {own['max']} strategies of your own.")
    items = list(instrument["items"]) + [
        {"id": f"own-{i}", "text": text, "label": _short(text), "group": OWN_GROUP,
         "reverse": False}
        for i, text in enumerate((clean_own_text(instrument, t) for t in texts), start=1)
    ]
    groups = list(instrument["groups"]) + [
        {"id": OWN_GROUP, "label": own["label"], "min_answered": 1}
    ]
    return {**instrument, "items": items, "groups": groups}


# --------------------------------------------------------------------------- quiz


def _finding_exists(finding_id: str) -> bool:
    from rdlearn.content import findings

    try:
        findings.finding(finding_id)
    except (KeyError, LookupError, ValueError):
        return False
    return True


def _quiz_options(q: Mapping, *, file: str, where: str) -> tuple[list[str], int]:
    """A question's options as texts and the index of the right one."""
    if q["kind"] == "true_false":
        return ["True", "False"], 0 if q["answer"] else 1
    options = [_words(o) for o in q["options"]]
    if len(set(options)) != len(options):
        raise ContentError(file, f"{where}, key 'options'", "two options are the same")
    given = _words(q["answer"])
    if given not in options:
        raise ContentError(file, f"{where}, key 'answer'", "must be one of the options")
    return options, options.index(given)


def _quiz_question(q: Mapping, sessions: Mapping, *, file: str) -> dict:
    where = f"question '{q['id']}'"
    if q["session"] not in sessions:
        raise ContentError(file, where, f"unknown session {q['session']}")
    options, answer = _quiz_options(q, file=file, where=where)
    if not _finding_exists(q["finding"]):
        raise ContentError(file, f"{where}, key 'finding'",
                           f"no finding {q['finding']!r} in findings.csv")
    return {
        "id": q["id"], "session": q["session"], "kind": q["kind"],
        "question": _words(q["question"]), "options": options, "answer": answer,
        "finding": q["finding"], "explanation": _words(q["explanation"]),
    }


def _validate_quiz(data: Any, *, file: str = QUIZ_FILE) -> dict[int, list[dict]]:
    f = file
    schema.validate(data, "quiz", file=f)
    repeat = content.first_repeat(q["id"] for q in data["questions"])
    if repeat:
        raise ContentError(f, f"question '{repeat[1]}'", "duplicate question id")
    by_session: dict[int, list[dict]] = {s["number"]: [] for s in content.workshop()["sessions"]}
    for q in data["questions"]:
        by_session[q["session"]].append(_quiz_question(q, by_session, file=f))
    for number, questions in by_session.items():
        if not 3 <= len(questions) <= 5:
            raise ContentError(f, f"session {number}",
                               f"has {len(questions)} questions; give 3 to 5")
    return by_session


def load_quiz() -> dict[int, list[dict]]:
    """Load and check ``data/quiz.yaml``: ``{session number: [question, ...]}``.

    Every question names a finding that exists in ``data/findings.csv``. A question has
    ``options`` (texts) and ``answer`` (the index of the right option).
    """
    return _validate_quiz(content.load_yaml(QUIZ_FILE))
