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
    "with_own_items",
    "anchor_label",
    "load_quiz",
]

INSTRUMENT_DIR = "instruments"
QUIZ_FILE = "quiz.yaml"
OWN_GROUP = "own"
OVERALL = "overall"
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


def _text(data: Mapping, key: str, *, file: str, where: str) -> str:
    content.require(data, [(key, str)], file=file, where=where)
    return " ".join(data[key].split())


def _validate_scale(raw: Any, *, file: str) -> dict:
    where = "scale"
    content.require(raw, [("min", int), ("max", int), ("anchors", dict)], file=file, where=where)
    lo, hi = raw["min"], raw["max"]
    if isinstance(lo, bool) or isinstance(hi, bool) or lo >= hi:
        raise ContentError(file, where, "'min' must be a whole number smaller than 'max'")
    anchors = {}
    for point, label in raw["anchors"].items():
        if isinstance(point, bool) or not isinstance(point, int):
            raise ContentError(file, f"scale, anchor {point!r}",
                               "anchor keys must be whole numbers")
        if not lo <= point <= hi:
            raise ContentError(file, f"scale, anchor {point}", f"outside the scale {lo} to {hi}")
        if not isinstance(label, str) or not label.strip():
            raise ContentError(file, f"scale, anchor {point}", "the label must be text")
        anchors[point] = label.strip()
    if not anchors:
        raise ContentError(file, where, "label at least one point of the scale ('anchors')")
    allow_pass = raw.get("allow_pass", True)
    if allow_pass is not True:
        raise ContentError(file, "scale, key 'allow_pass'",
                           "must be true: every question can be passed over")
    return {"min": lo, "max": hi, "anchors": dict(sorted(anchors.items())), "allow_pass": True}


def _validate_labelled_list(raw: Any, key: str, *, file: str) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise ContentError(file, f"key '{key}'", "expected a list of entries with id and label")
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(raw, start=1):
        where = f"{key} item {i}"
        content.require(entry, [("id", str), ("label", str)], file=file, where=where)
        ident = entry["id"]
        if not _ID.match(ident) or ident in {OVERALL, OWN_GROUP}:
            raise ContentError(file, where, f"id {ident!r} must be lower-case letters, digits and "
                               f"dashes, and not '{OVERALL}' or '{OWN_GROUP}'")
        if ident in seen:
            raise ContentError(file, where, f"duplicate id {ident!r}")
        seen.add(ident)
        short = entry.get("short", entry["label"])
        if not isinstance(short, str) or not short.strip():
            raise ContentError(file, f"{where}, key 'short'", "must be text")
        out.append({**entry, "id": ident, "label": entry["label"].strip(),
                    "short": short.strip()})
    return out


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


def _validate_bands(raw: Any, scale: dict, *, file: str) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise ContentError(file, "key 'bands'", "expected a list of bands (min, max, label, text)")
    bands = []
    for i, band in enumerate(raw, start=1):
        where = f"bands item {i}"
        content.require(band, [("min", (int, float)), ("max", (int, float)), ("label", str),
                               ("text", str)], file=file, where=where)
        if not band["min"] < band["max"]:
            raise ContentError(file, where, "'min' must be smaller than 'max'")
        bands.append({"min": band["min"], "max": band["max"], "label": band["label"].strip(),
                      "text": " ".join(band["text"].split())})
    bands.sort(key=lambda b: b["min"])
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


def _validate_instrument(data: Any, *, file: str, expected_id: str | None = None) -> dict:
    f = file
    content.require(
        data,
        [("id", str), ("title", str), ("purpose", str), ("construct_source", dict),
         ("not_a_measure", str), ("scale", dict), ("scoring", dict), ("bands", list),
         ("reflection", list)],
        file=f, where="top level",
    )
    ident = data["id"]
    if expected_id is not None and ident != expected_id:
        raise ContentError(f, "key 'id'", f"must match the file name ({expected_id!r})")
    source = data["construct_source"]
    content.require(source, [("text", str), ("source_ids", list)], file=f,
                    where="construct_source")
    if not source["source_ids"] or not all(isinstance(s, str) for s in source["source_ids"]):
        raise ContentError(f, "construct_source, key 'source_ids'", "list at least one source id")
    not_a_measure = _text(data, "not_a_measure", file=f, where="top level")
    lowered = not_a_measure.lower()
    if "not a validated measure" not in lowered or "diagnos" not in lowered:
        raise ContentError(f, "key 'not_a_measure'",
                           "must say it is not a validated measure and not a diagnosis")
    scale = _validate_scale(data["scale"], file=f)

    contexts = [{"id": None, "label": "", "short": ""}]
    if "contexts" in data:
        contexts = _validate_labelled_list(data["contexts"], "contexts", file=f)
    groups = _validate_labelled_list(data["groups"], "groups", file=f) if "groups" in data else []
    group_ids = [g["id"] for g in groups]

    if "items_from" in data:
        if data["items_from"] != "learning_outcomes":
            raise ContentError(f, "key 'items_from'", "the only source of items is "
                               "'learning_outcomes'")
        if "items" in data:
            raise ContentError(f, "key 'items'", "give either 'items' or 'items_from', not both")
        raw_items = _outcome_items()
    else:
        content.require(data, [("items", list)], file=f, where="top level")
        raw_items = data["items"]
    if not raw_items:
        raise ContentError(f, "key 'items'", "the instrument has no items")
    items = []
    seen: set[str] = set()
    for i, item in enumerate(raw_items, start=1):
        where = f"items item {i}"
        content.require(item, [("id", str), ("text", str)], file=f, where=where)
        iid = item["id"]
        where = f"item '{iid}'"
        if not _ID.match(iid):
            raise ContentError(f, where, "ids are lower-case letters, digits and dashes")
        if iid in seen:
            raise ContentError(f, where, "duplicate item id")
        seen.add(iid)
        group = item.get("group")
        if groups and group is None:
            raise ContentError(f, where, f"'group' is missing (one of {', '.join(group_ids)})")
        if group is not None and group not in group_ids:
            raise ContentError(f, where, f"unknown group {group!r}"
                               + (f" (known: {', '.join(group_ids)})" if group_ids else ""))
        reverse = item.get("reverse", False)
        if not isinstance(reverse, bool):
            raise ContentError(f, f"{where}, key 'reverse'", "must be true or false")
        if reverse and not {scale["min"], scale["max"]} <= set(scale["anchors"]):
            raise ContentError(f, where, "a reverse-keyed item needs a scale with both ends "
                               f"labelled ({scale['min']} and {scale['max']})")
        text = " ".join(item["text"].split())
        label = item.get("label", text)
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > 60:
            raise ContentError(f, f"{where}, key 'label'", "a short label of 1 to 60 characters")
        items.append({"id": iid, "text": text, "label": " ".join(label.split()),
                      "group": group or OVERALL, "reverse": reverse})
    if not groups:
        groups = [{"id": OVERALL, "label": "All items"}]

    scoring = data["scoring"]
    method = scoring.get("method")
    if method not in {"sum", "mean"}:
        raise ContentError(f, "scoring, key 'method'", "must be 'sum' or 'mean'")
    sizes = {g["id"]: sum(1 for it in items if it["group"] == g["id"]) for g in groups}
    for g in groups:
        if sizes[g["id"]] == 0:
            raise ContentError(f, f"group '{g['id']}'", "no item belongs to this group")
    minimum = scoring.get("min_answered")
    if isinstance(minimum, int) and not isinstance(minimum, bool):
        minimums = {g: minimum for g in sizes}
    elif isinstance(minimum, dict):
        unknown = set(minimum) - set(sizes)
        if unknown:
            raise ContentError(f, "scoring, key 'min_answered'",
                               f"unknown group {sorted(unknown)[0]!r}")
        missing = set(sizes) - set(minimum)
        if missing:
            raise ContentError(f, "scoring, key 'min_answered'",
                               f"no minimum for group {sorted(missing)[0]!r}")
        minimums = dict(minimum)
    else:
        raise ContentError(f, "scoring, key 'min_answered'",
                           "give a whole number, or one per group")
    for gid, need in minimums.items():
        if isinstance(need, bool) or not isinstance(need, int) or not 1 <= need <= sizes[gid]:
            raise ContentError(f, f"scoring, min_answered for '{gid}'",
                               f"must be a whole number from 1 to {sizes[gid]} (the group's items)")
    for g in groups:
        g["min_answered"] = minimums[g["id"]]

    bands = _validate_bands(data["bands"], scale, file=f)
    prompts = []
    for i, prompt in enumerate(data["reflection"], start=1):
        if not isinstance(prompt, str) or not prompt.strip():
            raise ContentError(f, f"reflection item {i}", "a prompt must be text")
        leftover = prompt.replace("{strategy}", "")
        if "{" in leftover or "}" in leftover:
            raise ContentError(f, f"reflection item {i}", "the only placeholder is {strategy}")
        prompts.append(" ".join(prompt.split()))
    if not prompts:
        raise ContentError(f, "key 'reflection'", "give at least one reflection prompt")

    own = None
    if "own_items" in data:
        raw = data["own_items"]
        content.require(raw, [("max", int), ("max_chars", int), ("label", str)], file=f,
                        where="own_items")
        if not 1 <= raw["max"] <= 5 or not 10 <= raw["max_chars"] <= 120:
            raise ContentError(f, "own_items", "'max' must be 1 to 5 and 'max_chars' 10 to 120")
        own = {"max": raw["max"], "max_chars": raw["max_chars"], "label": raw["label"].strip()}

    compare = []
    for i, entry in enumerate(data.get("compare_with") or [], start=1):
        content.require(entry, [("finding", str), ("label", str)], file=f,
                        where=f"compare_with item {i}")
        compare.append({"finding": entry["finding"], "label": entry["label"].strip(),
                        "note": " ".join(str(entry.get("note", "")).split())})

    return {
        "id": ident,
        "file": f,
        "title": data["title"].strip(),
        "session": data.get("session"),
        "purpose": " ".join(data["purpose"].split()),
        "instructions": " ".join(str(data.get("instructions", "")).split()),
        "construct_source": {"text": " ".join(source["text"].split()),
                             "source_ids": list(source["source_ids"])},
        "not_a_measure": not_a_measure,
        "scale": scale,
        "contexts": contexts,
        "groups": groups,
        "groups_note": " ".join(str(data.get("groups_note", "")).split()),
        "items": items,
        "scoring": {"method": method},
        "bands": bands,
        "reflection": prompts,
        "own_items": own,
        "compare_with": compare,
    }


def load_instrument(instrument_id: str) -> dict:
    """Load and check one instrument, e.g. ``load_instrument("chronic-disconnection")``.

    Returns a plain dict: id, title, purpose, construct_source, not_a_measure, scale,
    contexts, groups, items, scoring, bands, reflection, own_items, compare_with.
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


def _validate_quiz(data: Any, *, file: str = QUIZ_FILE) -> dict[int, list[dict]]:
    f = file
    content.require(data, [("questions", list)], file=f, where="top level")
    sessions = [s["number"] for s in content.workshop()["sessions"]]
    by_session: dict[int, list[dict]] = {n: [] for n in sessions}
    seen: set[str] = set()
    for i, q in enumerate(data["questions"], start=1):
        content.require(q, [("id", str), ("session", int), ("kind", str), ("question", str),
                            ("finding", str), ("explanation", str)], file=f,
                        where=f"questions item {i}")
        qid = q["id"]
        where = f"question '{qid}'"
        if not _ID.match(qid):
            raise ContentError(f, where, "ids are lower-case letters, digits and dashes")
        if qid in seen:
            raise ContentError(f, where, "duplicate question id")
        seen.add(qid)
        if q["session"] not in by_session:
            raise ContentError(f, where, f"unknown session {q['session']}")
        if q["kind"] == "true_false":
            if not isinstance(q.get("answer"), bool):
                raise ContentError(f, f"{where}, key 'answer'", "must be true or false")
            options = ["True", "False"]
            answer = 0 if q["answer"] else 1
        elif q["kind"] == "multiple_choice":
            options = q.get("options")
            if (not isinstance(options, list) or not 2 <= len(options) <= 5
                    or not all(isinstance(o, str) and o.strip() for o in options)):
                raise ContentError(f, f"{where}, key 'options'", "give 2 to 5 options as text")
            options = [" ".join(o.split()) for o in options]
            if len(set(options)) != len(options):
                raise ContentError(f, f"{where}, key 'options'", "two options are the same")
            given = " ".join(str(q.get("answer", "")).split())
            if given not in options:
                raise ContentError(f, f"{where}, key 'answer'", "must be one of the options")
            answer = options.index(given)
        else:
            raise ContentError(f, f"{where}, key 'kind'", "must be true_false or multiple_choice")
        if not _finding_exists(q["finding"]):
            raise ContentError(f, f"{where}, key 'finding'",
                               f"no finding {q['finding']!r} in findings.csv")
        by_session[q["session"]].append({
            "id": qid, "session": q["session"], "kind": q["kind"],
            "question": " ".join(q["question"].split()), "options": options, "answer": answer,
            "finding": q["finding"], "explanation": " ".join(q["explanation"].split()),
        })
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
