"""The four sessions' teaching content: loading, checking and showing it.

Each session lives in ``data/sessions/NN_slug.yaml`` (numbers and slugs from
``workshop.yaml``) with the same anatomy: title, outcomes, overview, sections of theory
input (each with its citations, and optionally the findings and the chart it uses),
exercises, discussion prompts, a summary and references. The session's timing in each
format is not typed here: it is the sum of the session's blocks in ``data/agenda.yaml``.

The renderers return HTML ready for ``display`` (every piece of text escaped; ``*em*`` and
``**strong**`` are the only markup). :func:`facilitator_page` returns the Markdown of the
facilitator's guide page; ``python -m rdlearn.sessions.model --guide workshop/`` writes all four.

Examples
--------
>>> session = load_session(1)
>>> session["title"]
'Experiencing relational depth, in and out of therapy'
>>> [e["kind"] for e in session["exercises"]][:2]
['solo reflection', 'pairs']
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.figures.names import CHART_BUILDERS
from rdlearn.web.html import bullets, card, esc, page_html, tag

__all__ = [
    "EXERCISE_KINDS",
    "WIDGET_KINDS",
    "FIGURES",
    "DISCUSSION_GROUPS",
    "session_file",
    "load_session",
    "load_all",
    "numbers_in",
    "header",
    "section",
    "exercise_card",
    "discussion",
    "summary",
    "references",
    "inline",
    "facilitator_page",
    "guide_pages",
    "write_guide",
    "main",
]

#: How an exercise is done, as the guide and the exercise cards name it.
EXERCISE_KINDS = ("solo reflection", "pairs", "small group", "large group")

#: What the lead places in an exercise's slot. The value says whether the widget needs an
#: argument: ``selfcheck <instrument>``, ``room_question <question id>``.
WIDGET_KINDS = {
    "journal": False,
    "relationship_map": False,
    "selfcheck": True,
    "quiz": False,
    "timer": False,
    "pairing": False,
    "room_question": True,
    "connection_rating": False,
}

#: Chart builders in :mod:`rdlearn.figures.charts` that a section may name.
FIGURES = CHART_BUILDERS

#: Discussion prompts are given for each of these, with the heading shown for each.
DISCUSSION_GROUPS = {
    "pairs": "In pairs",
    "small_group": "In small groups",
    "large_group": "With the whole group",
}

_TOP_KEYS = {
    "title", "outcomes", "overview", "sections", "exercises", "discussion", "summary",
    "references",
}
_SECTION_KEYS = {"id", "heading", "body", "citations", "finding_ids", "figure"}
_EXERCISE_KEYS = {"id", "title", "kind", "minutes", "instructions", "widget", "facilitator"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A number written in digits: 98, 78.2, .76, 1,086. Years and session numbers are skipped.
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?|\.\d+)(?![\w])")


# --------------------------------------------------------------------------- loading


def session_file(number: int) -> str:
    """The data file of a session, relative to ``data/``: ``sessions/01_slug.yaml``."""
    try:
        entry = content.session(number)
    except KeyError:
        raise ValueError(f"There is no session {number!r}; the sessions are 1 to 4.") from None
    return f"sessions/{number:02d}_{entry['slug']}.yaml"


def _text_list(value: Any, *, file: str, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ContentError(file, where, "expected a list of one or more texts")
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(file, f"{where}, item {i}", "must be non-empty text")
    return [" ".join(item.split()) for item in value]


def _id_list(value: Any, *, file: str, where: str) -> list[str]:
    if not isinstance(value, list):
        raise ContentError(file, where, "expected a list of ids")
    for item in value:
        if not isinstance(item, str) or not _ID.match(item):
            raise ContentError(file, where, f"{item!r} is not an id (lower case, digits, '-')")
    return list(value)


def _unknown_keys(mapping: Mapping, allowed: set[str], *, file: str, where: str) -> None:
    extra = sorted(set(mapping) - allowed)
    if extra:
        raise ContentError(file, where, f"unknown key(s) {', '.join(extra)}")


def numbers_in(text: str) -> list[str]:
    """The numbers written in digits in ``text``, leaving out years and session numbers.

    >>> numbers_in("In 2008, 78.2 per cent of 119 clients (session 2) and r = .76")
    ['78.2', '119', '.76']
    """
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        plain = raw.replace(",", "")
        if re.fullmatch(r"(19|20)\d\d", plain):
            continue
        if re.search(r"(?i)session\s+$", text[: match.start()]):
            continue
        found.append(raw)
    return found


def _matches(raw: str, value: float) -> bool:
    number = float(raw.replace(",", ""))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return abs(number - value) < 1e-9 or round(value, decimals) == number


def _findings() -> dict[str, dict]:
    from rdlearn.content import findings

    return findings.load_findings()


def _session_minutes(number: int) -> dict[str, int]:
    from rdlearn.agenda import plan as facilitation

    plans = facilitation.load_agenda()
    return {
        fmt: sum(b["minutes"] for day in days for b in day if b["session"] == number)
        for fmt, days in plans.items()
    }


def _check_widget(spec: Any, *, file: str, where: str) -> str:
    if not isinstance(spec, str) or not spec.strip():
        raise ContentError(file, where, "a widget must be text such as 'journal' or 'timer'")
    kind, _, argument = spec.strip().partition(" ")
    argument = argument.strip()
    if kind not in WIDGET_KINDS:
        raise ContentError(
            file, where, f"unknown widget {kind!r}; choose one of {', '.join(WIDGET_KINDS)}"
        )
    if WIDGET_KINDS[kind] and not argument:
        what = "an instrument" if kind == "selfcheck" else "a question id"
        raise ContentError(file, where, f"widget {kind!r} needs {what}, e.g. '{kind} x'")
    if not WIDGET_KINDS[kind] and argument:
        raise ContentError(file, where, f"widget {kind!r} takes nothing after its name")
    if kind == "selfcheck":
        from rdlearn.selfcheck import instruments as selfcheck

        ids = selfcheck.instrument_ids()
        wanted = argument.replace("_", "-")
        if not any(i == wanted or i.startswith(wanted + "-") for i in ids):
            raise ContentError(
                file, where, f"no self-check {argument!r}; the instruments are {', '.join(ids)}"
            )
    if kind == "room_question":
        from rdlearn.room import questions as room_questions

        ids = list(room_questions.load_questions())
        if argument not in ids:
            raise ContentError(
                file, where, f"no room question {argument!r} in questions.yaml"
            )
    return f"{kind} {argument}".strip()


def _validate(data: Any, *, number: int, file: str) -> dict:
    f = file
    content.require(
        data,
        [("title", str), ("outcomes", list), ("overview", str), ("sections", list),
         ("exercises", list), ("discussion", dict), ("summary", list), ("references", list)],
        file=f, where="top level",
    )
    _unknown_keys(data, _TOP_KEYS, file=f, where="top level")
    entry = content.session(number)
    if " ".join(data["title"].split()) != entry["title"]:
        raise ContentError(f, "title", f"must match workshop.yaml: {entry['title']!r}")
    known = {o["id"] for o in content.learning_outcomes()}
    for oid in data["outcomes"]:
        if oid not in known:
            raise ContentError(f, "outcomes", f"unknown learning outcome {oid!r}")
    if set(data["outcomes"]) != set(entry["outcomes"]):
        raise ContentError(
            f, "outcomes", f"must be the outcomes workshop.yaml gives this session: "
            f"{', '.join(entry['outcomes'])}"
        )

    references: dict[str, str] = {}
    try:
        sources = _sources()
    except ContentError:
        sources = {}
    for i, ref in enumerate(data["references"], start=1):
        where = f"references item {i}"
        content.require(ref, [("id", str)], file=f, where=where)
        _id_list([ref["id"]], file=f, where=where)
        if ref["id"] in references:
            raise ContentError(f, where, f"source {ref['id']!r} is listed twice")
        text = ref.get("text")
        if text is not None and (not isinstance(text, str) or not text.strip()):
            raise ContentError(f, f"{where}, key 'text'", "must be non-empty text")
        if text is None and ref["id"] not in sources:
            raise ContentError(
                f, where, f"source {ref['id']!r} is not in sources.csv, so it needs a 'text'"
            )
        references[ref["id"]] = " ".join((text or "").split())

    all_findings = _findings()
    sections, seen = [], set()
    for i, raw in enumerate(data["sections"], start=1):
        where = f"sections item {i}"
        content.require(
            raw, [("id", str), ("heading", str), ("body", str), ("citations", list)],
            file=f, where=where,
        )
        _unknown_keys(raw, _SECTION_KEYS, file=f, where=where)
        sid = raw["id"]
        _id_list([sid], file=f, where=where)
        if sid in seen:
            raise ContentError(f, where, f"section id {sid!r} is used twice")
        seen.add(sid)
        where = f"section '{sid}'"
        citations = _id_list(raw["citations"], file=f, where=f"{where}, citations")
        if not citations:
            raise ContentError(f, f"{where}, citations", "cite at least one source")
        for cid in citations:
            if cid not in references:
                raise ContentError(f, f"{where}, citations", f"{cid!r} is not in references")
        finding_ids = _id_list(raw.get("finding_ids", []), file=f, where=f"{where}, finding_ids")
        for fid in finding_ids:
            if fid not in all_findings:
                raise ContentError(
                    f, f"{where}, finding_ids", f"no finding {fid!r} in findings.csv"
                )
        figure = raw.get("figure")
        if figure is not None and figure not in FIGURES:
            raise ContentError(
                f, f"{where}, figure", f"unknown chart {figure!r}; choose one of "
                f"{', '.join(FIGURES)}"
            )
        values = [
            v for fid in finding_ids for v in (all_findings[fid].get("value"),
                                               all_findings[fid].get("n"))
            if isinstance(v, (int, float))
        ]
        for raw_number in numbers_in(raw["body"]):
            if not any(_matches(raw_number, v) for v in values):
                raise ContentError(
                    f, f"{where}, body", f"the number {raw_number} is not the value of any "
                    "finding in this section's finding_ids (add the finding, or write it "
                    "without the number)"
                )
        sections.append({
            "id": sid, "heading": raw["heading"].strip(), "body": raw["body"].strip(),
            "citations": citations, "finding_ids": finding_ids, "figure": figure,
        })

    minutes_by_format = _session_minutes(number)
    exercises, seen = [], set()
    for i, raw in enumerate(data["exercises"], start=1):
        where = f"exercises item {i}"
        content.require(
            raw,
            [("id", str), ("title", str), ("kind", str), ("minutes", dict),
             ("instructions", list), ("facilitator", str)],
            file=f, where=where,
        )
        _unknown_keys(raw, _EXERCISE_KEYS, file=f, where=where)
        eid = raw["id"]
        _id_list([eid], file=f, where=where)
        if eid in seen:
            raise ContentError(f, where, f"exercise id {eid!r} is used twice")
        seen.add(eid)
        where = f"exercise '{eid}'"
        if raw["kind"] not in EXERCISE_KINDS:
            raise ContentError(
                f, f"{where}, kind", f"must be one of {', '.join(EXERCISE_KINDS)}"
            )
        minutes = raw["minutes"]
        if not minutes:
            raise ContentError(f, f"{where}, minutes", "give minutes for at least one format")
        for fmt, value in minutes.items():
            if fmt not in minutes_by_format:
                raise ContentError(
                    f, f"{where}, minutes", f"unknown format {fmt!r}; the formats are "
                    f"{', '.join(minutes_by_format)}"
                )
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ContentError(f, f"{where}, minutes, {fmt}", "must be a whole number above 0")
        widgets = raw.get("widget", [])
        widgets = [widgets] if isinstance(widgets, str) else widgets
        if not isinstance(widgets, list):
            raise ContentError(f, f"{where}, widget", "expected a widget name or a list of them")
        exercises.append({
            "id": eid, "title": raw["title"].strip(), "kind": raw["kind"],
            "minutes": dict(minutes),
            "instructions": _text_list(raw["instructions"], file=f,
                                       where=f"{where}, instructions"),
            "widgets": [_check_widget(w, file=f, where=f"{where}, widget") for w in widgets],
            "facilitator": " ".join(raw["facilitator"].split()),
        })
    for fmt, available in minutes_by_format.items():
        used = sum(e["minutes"].get(fmt, 0) for e in exercises)
        if used > available:
            raise ContentError(
                f, "exercises", f"the exercises take {used} minutes in the {fmt} format, but "
                f"agenda.yaml gives this session {available}"
            )

    talk = data["discussion"]
    _unknown_keys(talk, set(DISCUSSION_GROUPS), file=f, where="discussion")
    prompts = {
        key: _text_list(talk.get(key), file=f, where=f"discussion, {key}")
        for key in DISCUSSION_GROUPS
    }
    return {
        "number": number,
        "slug": entry["slug"],
        "title": entry["title"],
        "outcomes": list(data["outcomes"]),
        "timing": minutes_by_format,
        "overview": " ".join(data["overview"].split()),
        "sections": sections,
        "exercises": exercises,
        "discussion": prompts,
        "summary": _text_list(data["summary"], file=f, where="summary"),
        "references": [{"id": k, "text": v} for k, v in references.items()],
        "file": file,
    }


def load_session(number: int) -> dict:
    """Load and check one session (1 to 4).

    Returns a dict with number, slug, title, outcomes, timing (``{format id: minutes}``,
    from the agenda), overview, sections, exercises (each with ``widgets``, a list),
    discussion (``{"pairs": [...], "small_group": [...], "large_group": [...]}``), summary
    and references. A problem raises :class:`~rdlearn.content.loader.ContentError` naming the
    file, the key and what is wrong.
    """
    file = session_file(number)
    return _validate(content.load_yaml(file), number=number, file=file)


def load_all() -> dict[int, dict]:
    """Load and check every session: ``{1: {...}, 2: ..., 3: ..., 4: ...}``."""
    return {s["number"]: load_session(s["number"]) for s in content.workshop()["sessions"]}


# --------------------------------------------------------------------------- sources


def _sources() -> dict[str, dict]:
    from rdlearn.content import findings

    return findings.load_sources()


def _short_cite(source_id: str, fallback: str) -> str:
    try:
        from rdlearn.content import findings

        return findings.cite(source_id)
    except (KeyError, ContentError, ImportError):
        match = re.match(r"^(.*?)\((\d{4}[a-z]?)\)", fallback)
        if not match:
            return fallback
        names = re.findall(r"([A-Z][A-Za-z'-]+),", match.group(1)) or [match.group(1).strip()]
        if len(names) > 2:
            names = [f"{names[0]} et al."]
        return f"{' & '.join(names)} ({match.group(2)})"


def _full_reference(source_id: str, fallback: str) -> str:
    from rdlearn.content import findings

    try:
        return findings.reference(source_id)
    except (KeyError, ContentError):
        return fallback


# --------------------------------------------------------------------------- HTML


def inline(text: str) -> str:
    """Escape ``text`` for HTML, then turn ``**strong**`` and ``*em*`` into tags.

    >>> inline("a *real* <b>meeting</b> & **more**")
    'a <em>real</em> &lt;b&gt;meeting&lt;/b&gt; &amp; <strong>more</strong>'
    """
    html = esc(text)
    html = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"<strong>\1</strong>", html)
    return re.sub(r"\*(\S(?:.*?\S)?)\*", r"<em>\1</em>", html)


def _paragraphs(body: str) -> list[list[str]]:
    blocks = re.split(r"\n\s*\n", body.strip())
    return [[line.strip() for line in block.splitlines() if line.strip()] for block in blocks]


def _body_html(body: str) -> str:
    out = []
    for lines in _paragraphs(body):
        if all(line.startswith("- ") for line in lines):
            out.append(bullets([inline(line[2:]) for line in lines], raw=True))
        else:
            out.append(tag("p", raw=inline(" ".join(lines))))
    return "".join(out)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes"
    text = f"{hours} hour" + ("s" if hours > 1 else "")
    return text + (f" {rest} minutes" if rest else "")


def _format_names() -> dict[str, str]:
    return {f["id"]: f["name"] for f in content.workshop()["formats"]}


def _timing_text(minutes: Mapping[str, int]) -> str:
    names = _format_names()
    return " · ".join(f"{names.get(fmt, fmt)}: {_duration(m)}" for fmt, m in minutes.items())


def header(number: int):
    """The session's opening: title, the outcomes it serves, timing and overview."""
    s = load_session(number)
    outcomes = {o["id"]: o["text"] for o in content.learning_outcomes()}
    parts = [
        tag("h1", f"Session {number}: {s['title']}"),
        tag("p", raw=inline(s["overview"]), class_="rd-lede"),
        card(
            "In this session",
            tag("p", "By the end you will be able to:")
            + bullets([outcomes[o] for o in s["outcomes"]], class_="rd-outcomes")
            + tag("p", f"Time: {_timing_text(s['timing'])}", class_="rd-small"),
            kind="intro", heading_level=2,
        ),
    ]
    return page_html(*parts)


def _find(items: list[dict], key: int | str, what: str, number: int) -> dict:
    if isinstance(key, int) and not isinstance(key, bool):
        if 0 <= key < len(items):
            return items[key]
    else:
        for item in items:
            if item["id"] == key:
                return item
    choices = ", ".join(item["id"] for item in items)
    raise ValueError(f"Session {number} has no {what} {key!r}; choose one of: {choices}")


def section(number: int, index_or_id: int | str):
    """One section of theory input (by position from 0, or by id), with its sources."""
    s = load_session(number)
    sec = _find(s["sections"], index_or_id, "section", number)
    texts = {r["id"]: r["text"] for r in s["references"]}
    cites = "; ".join(_short_cite(c, texts[c]) for c in sec["citations"])
    parts = [tag("h2", sec["heading"]), _body_html(sec["body"]),
             tag("p", f"Sources: {cites}.", class_="rd-cite")]
    if sec["finding_ids"]:
        figures = sorted({_short_cite(fid, "") or fid for fid in sec["finding_ids"]})
        parts.append(tag("p", f"Figures from: {'; '.join(figures)}.", class_="rd-cite"))
    return page_html(f'<section class="rd-section" id="{esc(sec["id"])}">', *parts, "</section>")


def _minutes_line(minutes: Mapping[str, int]) -> str:
    names = _format_names()
    parts = [f"{m} minutes ({names.get(fmt, fmt).lower()})" for fmt, m in minutes.items()]
    missing = [names[f] for f in names if f not in minutes]
    text = ", ".join(parts)
    if missing:
        text += f"; not run in the {', '.join(n.lower() for n in missing)} format"
    return text


def exercise_card(number: int, exercise_id: str):
    """An exercise as a card: kind, minutes in each format, and the steps for participants."""
    s = load_session(number)
    ex = _find(s["exercises"], exercise_id, "exercise", number)
    body = (
        tag("p", f"{ex['kind'].capitalize()} · {_minutes_line(ex['minutes'])}",
            class_="rd-small")
        + "<ol>" + "".join(f"<li>{inline(step)}</li>" for step in ex["instructions"]) + "</ol>"
    )
    return page_html(card(ex["title"], body, kind="exercise"))


def discussion(number: int):
    """The discussion prompts for pairs, small groups and the whole group."""
    s = load_session(number)
    parts = [tag("h2", "Discussion")]
    for key, heading in DISCUSSION_GROUPS.items():
        parts.append(tag("h3", heading))
        parts.append(bullets([inline(p) for p in s["discussion"][key]], raw=True))
    return page_html(*parts)


def summary(number: int):
    """The session's key points, as a card."""
    s = load_session(number)
    return page_html(
        card("Key points", bullets([inline(p) for p in s["summary"]], raw=True),
             kind="intro", heading_level=2)
    )


def references(number: int):
    """The session's references in full (from sources.csv, else the session file's text)."""
    s = load_session(number)
    items = sorted(_full_reference(r["id"], r["text"]) for r in s["references"])
    return page_html(tag("h2", "References"), bullets(items, class_="rd-small"))


# --------------------------------------------------------------------------- the guide


def facilitator_page(number: int) -> str:
    """The facilitator's guide page for a session, as Markdown (generated from the data)."""
    from rdlearn.agenda import plan as facilitation

    s = load_session(number)
    notes = facilitation.notes(number)
    outcomes = {o["id"]: o["text"] for o in content.learning_outcomes()}
    names = _format_names()
    texts = {r["id"]: r["text"] for r in s["references"]}
    out = [
        f"<!-- Generated by `python -m rdlearn.sessions.model --guide workshop/` from "
        f"data/{s['file']}, data/agenda.yaml and data/facilitator_notes.yaml. "
        "Edit those files, not this page. -->",
        "",
        f"# Session {number}: {s['title']}",
        "",
        s["overview"],
        "",
        "## Aims",
        "",
        *[f"- {a}" for a in notes["aims"]],
        "",
        "Learning outcomes served:",
        "",
        *[f"- {outcomes[o]}" for o in s["outcomes"]],
        "",
        "## Timings",
        "",
        "| | " + " | ".join(names[f] for f in s["timing"]) + " |",
        "| --- | " + " | ".join("---" for _ in s["timing"]) + " |",
        "| Whole session | " + " | ".join(_duration(m) for m in s["timing"].values()) + " |",
    ]
    for ex in s["exercises"]:
        cells = [f"{ex['minutes'][f]} min" if f in ex["minutes"] else "not run"
                 for f in s["timing"]]
        out.append(f"| {ex['title']} ({ex['kind']}) | " + " | ".join(cells) + " |")
    out += ["", *[f"- {t}" for t in notes["timing"]], "", "## Theory input", ""]
    for sec in s["sections"]:
        cites = "; ".join(_short_cite(c, texts[c]) for c in sec["citations"])
        out += [f"### {sec['heading']}", ""]
        for lines in _paragraphs(sec["body"]):
            out += [*(lines if lines[0].startswith("- ") else [" ".join(lines)]), ""]
        out += [f"Sources: {cites}." + (f" Chart: `{sec['figure']}`." if sec["figure"] else ""),
                ""]
    out += ["## Exercise scripts", ""]
    for ex in s["exercises"]:
        widgets = ", ".join(f"`{w}`" for w in ex["widgets"]) or "none"
        out += [
            f"### {ex['title']}",
            "",
            f"{ex['kind'].capitalize()}; {_minutes_line(ex['minutes'])}. On screen: {widgets}.",
            "",
            "Read or show to participants:",
            "",
            *[f"{i}. {step}" for i, step in enumerate(ex["instructions"], start=1)],
            "",
            f"Facilitator: {ex['facilitator']}",
            "",
        ]
    out += ["## Discussion prompts", ""]
    for key, heading in DISCUSSION_GROUPS.items():
        out += [f"{heading}:", "", *[f"- {p}" for p in s["discussion"][key]], ""]
    out += ["## What to watch for", "", *[f"- {w}" for w in notes["watch_for"]], "",
            "## Safety and distress in the room", "",
            "See also [safety.md](safety.md).", "",
            *[f"- {d}" for d in notes["distress"]], "",
            "## Key points", "", *[f"- {p}" for p in s["summary"]], "",
            "## References", "",
            *[f"- {r}" for r in sorted(_full_reference(r["id"], r["text"])
                                       for r in s["references"])], ""]
    return "\n".join(out)


def guide_pages() -> dict[str, str]:
    """Every session's guide page: ``{"01_slug.md": markdown, ...}``."""
    return {
        f"{s['number']:02d}_{s['slug']}.md": facilitator_page(s["number"])
        for s in content.workshop()["sessions"]
    }


def write_guide(folder: str | Path) -> list[Path]:
    """Write the session pages of the facilitator's guide into ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in guide_pages().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m rdlearn.sessions.model --guide FOLDER``: write the guide's session pages."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m rdlearn.sessions.model",
                                     description="Check the sessions or write the guide pages.")
    parser.add_argument("--guide", metavar="FOLDER", help="write the session pages here")
    args = parser.parse_args(argv)
    try:
        load_all()
        if args.guide:
            for path in write_guide(args.guide):
                print(f"wrote {path}")
        else:
            print("All four sessions are valid.")
    except ContentError as exc:
        print(f"rdlearn: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
