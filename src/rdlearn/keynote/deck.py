"""The research keynote's deck: ``data/keynote.yaml`` loaded, checked and written as HTML.

:func:`load_keynote` reads and checks the deck (``rdlearn check`` runs it): every chart
names a builder in :mod:`rdlearn.figures`, every finding and source exists, every room
question exists and is marked for the keynote, and every number written on a slide or in
its notes is the value, sample size, count of studies, interval or scale point of one of
that slide's findings. :func:`slide_html` and :func:`notes_html` write a slide and its
notes; the slides widget is in :mod:`rdlearn.keynote.show` and the hall's view in
:mod:`rdlearn.keynote.hall`.

Examples
--------
>>> deck = load_keynote()
>>> deck["slides"][0]["id"]
'title'
>>> numbers_in("78.2% of 119 clients in 2008")
[(78.2, 1, True), (119.0, 0, False)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.figures.names import CHART_BUILDERS
from rdlearn.web.html import bullets, esc, tag

__all__ = [
    "KEYNOTE_FILE",
    "load_keynote",
    "numbers_in",
    "untraced_numbers",
    "running_time",
    "slide_html",
    "audience_html",
    "notes_html",
    "references",
]

KEYNOTE_FILE = "keynote.yaml"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BUILDER = re.compile(r"^[a-z][a-z0-9_]*$")

# A number as people write it: 78.2, .76, 1,086, 98% or 10 per cent. Digits glued to a
# letter (PHQ-9, 2011b) are names, not statistics.
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?![\w]|\.\d)"
    r"(?P<pct>\s?%|\s?per\s?cent)?"
)
_NAME_BEFORE = re.compile(r"[A-Za-z]-$")


# --------------------------------------------------------------------------- numbers


def numbers_in(text: str) -> list[tuple[float, int, bool]]:
    """The numbers in ``text`` that read as statistics: ``(value, decimals, is_percent)``.

    Years (1900 to 2099 written without decimals) and digits that are part of a name
    (``PHQ-9``, ``2011b``) are left out.

    >>> numbers_in("median r = .76 in 80 pairs (Cooper, 2012); 10 to 30 per cent")
    [(0.76, 2, False), (80.0, 0, False), (10.0, 0, False), (30.0, 0, True)]
    """
    found = []
    for match in _NUMBER.finditer(str(text)):
        if _NAME_BEFORE.search(text[: match.start()]):
            continue
        raw = match.group("num")
        value = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        percent = bool(match.group("pct"))
        if decimals == 0 and not percent and "," not in raw and 1900 <= value <= 2099:
            continue
        found.append((value, decimals, percent))
    return found


def _finding_numbers(finding: Mapping[str, Any]) -> list[float]:
    """Every number a slide may quote from a finding: value, n, k, interval, scale points."""
    values = [finding.get(key) for key in ("value", "n", "k", "ci_low", "ci_high")]
    values += [v for v, _, _ in numbers_in(finding.get("scale") or "")]
    return [abs(float(v)) for v in values if v is not None]


def _matches(number: tuple[float, int, bool], candidates: Iterable[float]) -> bool:
    value, decimals, percent = number
    tolerance = 0.5 * 10 ** (-decimals) + 1e-9
    for candidate in candidates:
        options = [candidate]
        if percent and candidate <= 1:
            options.append(candidate * 100)
        if any(abs(value - option) <= tolerance for option in options):
            return True
    return False


def untraced_numbers(text: str, findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The numbers in ``text`` that are not a number of any of ``findings`` (as written).

    >>> f = {"value": 78.2, "n": 119}
    >>> untraced_numbers("78.2% of 119 clients, 45% of them", [f])
    ['45%']
    """
    candidates = [c for f in findings for c in _finding_numbers(f)]
    bad = []
    for number in numbers_in(text):
        if not _matches(number, candidates):
            value, decimals, percent = number
            shown = f"{value:.{decimals}f}" + ("%" if percent else "")
            bad.append(shown)
    return bad


# --------------------------------------------------------------------------- loading

_SLIDE_KEYS = {
    "id", "title", "body", "figure", "finding_ids", "sources", "room_question", "notes",
    "minutes", "extra_minutes", "references",
}


def _is_minutes(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _id_list(slide: Mapping, key: str, *, where: str) -> list[str]:
    value = slide.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(KEYNOTE_FILE, f"{where}, key '{key}'", "expected a list of ids")
    return value


def _check_slide(slide: Any, index: int, *, seen: set[str], findings: Mapping,
                 sources: Mapping, questions: Mapping, builders: set[str]) -> None:
    f = KEYNOTE_FILE
    where = f"slide {index}"
    content.require(slide, [("id", str), ("title", str), ("body", list), ("notes", str)],
                    file=f, where=where)
    where = f"slide {index} ({slide['id']})"
    if not _ID.match(slide["id"]):
        raise ContentError(f, where, "id must be lower-case letters, digits and hyphens")
    if slide["id"] in seen:
        raise ContentError(f, where, f"duplicate slide id {slide['id']!r}")
    seen.add(slide["id"])
    unknown = sorted(set(slide) - _SLIDE_KEYS)
    if unknown:
        raise ContentError(f, where, f"unknown key(s): {', '.join(unknown)}")
    if not slide["body"] or not all(isinstance(b, str) and b.strip() for b in slide["body"]):
        raise ContentError(f, f"{where}, key 'body'", "expected a list of short bullet points")
    if not _is_minutes(slide.get("minutes")) or slide["minutes"] == 0:
        raise ContentError(f, f"{where}, key 'minutes'", "must be a number of minutes above 0")
    if "extra_minutes" in slide and not _is_minutes(slide["extra_minutes"]):
        raise ContentError(f, f"{where}, key 'extra_minutes'", "must be 0 or more minutes")
    if "references" in slide and not isinstance(slide["references"], bool):
        raise ContentError(f, f"{where}, key 'references'", "must be true or false")

    figure = slide.get("figure")
    if figure is not None:
        if not isinstance(figure, str) or not _BUILDER.match(figure):
            raise ContentError(f, f"{where}, key 'figure'", "must name a chart builder")
        if figure not in builders:
            raise ContentError(f, f"{where}, key 'figure'",
                               f"there is no chart {figure!r} in rdlearn.figures "
                               f"(known: {', '.join(sorted(builders))})")

    for fid in _id_list(slide, "finding_ids", where=where):
        if fid not in findings:
            raise ContentError(f, f"{where}, key 'finding_ids'",
                               f"there is no finding {fid!r} in findings.csv")
    for sid in _id_list(slide, "sources", where=where):
        if sid not in sources:
            raise ContentError(f, f"{where}, key 'sources'",
                               f"there is no source {sid!r} in sources.csv")

    qid = slide.get("room_question")
    if qid is not None:
        if not isinstance(qid, str) or qid not in questions:
            raise ContentError(f, f"{where}, key 'room_question'",
                               f"there is no room question {qid!r} in questions.yaml")
        if not getattr(questions[qid], "keynote", False):
            raise ContentError(f, f"{where}, key 'room_question'",
                               f"question {qid!r} is not marked 'keynote: true' in questions.yaml")

    its_findings = [findings[fid] for fid in slide.get("finding_ids", [])]
    for part in ("title", "body", "notes"):
        text = "\n".join(slide[part]) if part == "body" else slide[part]
        bad = untraced_numbers(text, its_findings)
        if bad:
            raise ContentError(
                f, f"{where}, key '{part}'",
                f"the number(s) {', '.join(bad)} are not values of this slide's findings; "
                "add the finding id to finding_ids, or correct the number",
            )


def load_keynote() -> dict:
    """The keynote's slides from ``data/keynote.yaml``, checked.

    Returns ``{"title", "subtitle", "slides": [{"id", "title", "body", "notes", "minutes",
    ...}, ...]}``. Raises :class:`~rdlearn.content.loader.ContentError` naming the file, the slide
    and the problem, e.g. ``data file keynote.yaml, slide 8 (prevalence-survey), key
    'body': the number(s) 97% are not values of this slide's findings; ...``.
    """
    from rdlearn.content import findings as findings_module
    from rdlearn.room import questions as room_questions

    f = KEYNOTE_FILE
    data = content.load_yaml(f)
    content.require(data, [("title", str), ("subtitle", str), ("slides", list)],
                    file=f, where="top level")
    if not data["slides"]:
        raise ContentError(f, "slides", "the deck has no slides")
    findings = findings_module.load_findings()
    sources = findings_module.load_sources()
    questions = room_questions.load_questions()
    builders = set(CHART_BUILDERS)
    seen: set[str] = set()
    for index, slide in enumerate(data["slides"], start=1):
        _check_slide(slide, index, seen=seen, findings=findings, sources=sources,
                     questions=questions, builders=builders)
    return data


def running_time(deck: Mapping | None = None, *, long_version: bool = False) -> float:
    """Minutes the talk takes: the one-hour version, or with ``long_version`` the longer one."""
    deck = deck if deck is not None else load_keynote()
    total = 0.0
    for slide in deck["slides"]:
        total += slide["minutes"] + (slide.get("extra_minutes", 0) if long_version else 0)
    return total


# --------------------------------------------------------------------------- HTML


def _citations(slide: Mapping) -> list[str]:
    from rdlearn.content import findings

    cited = [findings.cite(fid) for fid in slide.get("finding_ids", [])]
    cited += [findings.cite(sid) for sid in slide.get("sources", [])]
    return list(dict.fromkeys(cited))


def references(deck: Mapping | None = None) -> list[str]:
    """Full references for every source the deck cites, sorted by author."""
    from rdlearn.content import findings

    deck = deck if deck is not None else load_keynote()
    all_findings = findings.load_findings()
    all_sources = findings.load_sources()
    ids: list[str] = []
    for slide in deck["slides"]:
        for fid in slide.get("finding_ids", []):
            row = all_findings[fid]
            ids.append(row["source_id"])
            if row.get("reported_in"):
                ids.append(row["reported_in"])
        ids.extend(slide.get("sources", []))
    unique = dict.fromkeys(ids)
    rows = sorted((all_sources[i] for i in unique), key=lambda s: (s["authors"], s["year"]))
    return [findings.reference(row["id"]) for row in rows]


def _room_question_html(question_id: str) -> str:
    from rdlearn.room import questions as room_questions

    q = room_questions.question(question_id)
    return (
        f'<aside class="rd-slide__question" data-question-id="{esc(question_id)}">'
        + tag("p", "Room question", class_="rd-slide__question-label")
        + tag("p", q.text, class_="rd-slide__question-text")
        + tag("p", "Answer anonymously on your own device. The facilitator opens this "
                   "question from the facilitator console.", class_="rd-slide__question-how")
        + "</aside>"
    )


def slide_html(slide: Mapping, *, number: int, total: int, deck: Mapping | None = None) -> str:
    """The audience's view of one slide (words only; never the speaker notes).

    The chart, if any, is shown beside this HTML by :func:`slides`.
    """
    heading_level = "h1" if number == 1 else "h2"
    parts = [tag(heading_level, slide["title"], class_="rd-slide__title")]
    parts.append(bullets(slide["body"], class_="rd-slide__points"))
    if slide.get("room_question"):
        parts.append(_room_question_html(slide["room_question"]))
    if slide.get("references"):
        parts.append(
            '<ol class="rd-slide__references">'
            + "".join(tag("li", ref) for ref in references(deck))
            + "</ol>"
        )
    cited = _citations(slide)
    if cited:
        parts.append(tag("p", "Sources: " + "; ".join(cited) + ".", class_="rd-slide__sources"))
    return (
        f'<div class="rd-slide__text" data-slide-id="{esc(slide["id"])}" role="group" '
        f'aria-roledescription="slide" aria-label="{esc(f"Slide {number} of {total}")}">'
        + "".join(parts) + "</div>"
    )


def audience_html(deck: Mapping | None = None) -> str:
    """Every slide's audience HTML, in order (what the room can ever see, charts aside)."""
    deck = deck if deck is not None else load_keynote()
    total = len(deck["slides"])
    return "".join(
        slide_html(s, number=i, total=total, deck=deck)
        for i, s in enumerate(deck["slides"], start=1)
    )


def notes_html(slide: Mapping, *, number: int, total: int) -> str:
    """The speaker's notes for one slide, with its timing (for the speaker view only)."""
    minutes = slide["minutes"]
    extra = slide.get("extra_minutes", 0)
    timing = f"About {minutes:g} min in the one-hour talk"
    timing += f", {minutes + extra:g} min in the two-hour talk." if extra else "."
    return (
        '<div class="rd-notes">'
        + tag("p", f"Slide {number} of {total}: {slide['title']}", class_="rd-notes__title")
        + tag("p", timing, class_="rd-notes__timing")
        + tag("p", slide["notes"], class_="rd-notes__text")
        + "</div>"
    )
