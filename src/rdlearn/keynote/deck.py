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
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from rdlearn.content import loader as content
from rdlearn.content import numbers, schema
from rdlearn.content.loader import ContentError
from rdlearn.figures.names import CHART_BUILDERS
from rdlearn.web.html import bullets, esc, tag

__all__ = [
    "KEYNOTE_FILE",
    "load_keynote",
    "running_time",
    "slide_html",
    "audience_html",
    "notes_html",
    "references",
]

KEYNOTE_FILE = "keynote.yaml"

# --------------------------------------------------------------------------- loading


def _check_ids(slide: Mapping, key: str, known: Mapping, what: str, *, where: str) -> None:
    for ident in slide.get(key, []):
        if ident not in known:
            raise ContentError(KEYNOTE_FILE, f"{where}, key '{key}'",
                               f"there is no {what} {ident!r} in {what}s.csv")


def _check_figure(figure: str | None, builders: set[str], *, where: str) -> None:
    if figure is not None and figure not in builders:
        raise ContentError(KEYNOTE_FILE, f"{where}, key 'figure'",
                           f"there is no chart {figure!r} in rdlearn.figures "
                           f"(known: {', '.join(sorted(builders))})")


def _check_room_question(qid: str | None, questions: Mapping, *, where: str) -> None:
    if qid is None:
        return
    place = f"{where}, key 'room_question'"
    if qid not in questions:
        raise ContentError(KEYNOTE_FILE, place,
                           f"there is no room question {qid!r} in questions.yaml")
    if not getattr(questions[qid], "keynote", False):
        raise ContentError(KEYNOTE_FILE, place,
                           f"question {qid!r} is not marked 'keynote: true' in questions.yaml")


def _check_numbers(slide: Mapping, findings: Mapping, *, where: str) -> None:
    its_findings = [findings[fid] for fid in slide.get("finding_ids", [])]
    for part in ("title", "body", "notes"):
        text = "\n".join(slide[part]) if part == "body" else slide[part]
        bad = numbers.untraced_numbers(text, its_findings)
        if bad:
            raise ContentError(
                KEYNOTE_FILE, f"{where}, key '{part}'",
                f"the number(s) {', '.join(bad)} are not values of this slide's findings; "
                "add the finding id to finding_ids, or correct the number",
            )


def _check_slide(slide: Mapping, index: int, *, findings: Mapping, sources: Mapping,
                 questions: Mapping, builders: set[str]) -> None:
    """The checks the schema leaves to code: cross-references and traced numbers."""
    where = f"slide {index} ({slide['id']})"
    _check_figure(slide.get("figure"), builders, where=where)
    _check_ids(slide, "finding_ids", findings, "finding", where=where)
    _check_ids(slide, "sources", sources, "source", where=where)
    _check_room_question(slide.get("room_question"), questions, where=where)
    _check_numbers(slide, findings, where=where)


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
    data = schema.validate(content.load_yaml(f), "keynote", file=f)
    findings = findings_module.load_findings()
    sources = findings_module.load_sources()
    questions = room_questions.load_questions()
    builders = set(CHART_BUILDERS)
    repeat = content.first_repeat(slide["id"] for slide in data["slides"])
    if repeat:
        place, ident = repeat
        raise ContentError(f, f"slide {place} ({ident})", f"duplicate slide id {ident!r}")
    for index, slide in enumerate(data["slides"], start=1):
        _check_slide(slide, index, findings=findings, sources=sources,
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
    """Full references for every source the deck cites, sorted by author.

    The accounts its secondary sources were read in are listed too.
    """
    from rdlearn.content import citations, findings

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
    unique = citations.with_known_through(ids, all_sources)
    rows = sorted((all_sources[i] for i in unique), key=lambda s: (s["authors"], s["year"]))
    return [findings.reference(row["id"]) for row in rows]


def _in_range(reference: str, letters: bool | str) -> bool:
    """Whether a reference belongs on a slide listing ``letters`` ("A-F"; True: all)."""
    if letters is True:
        return True
    first = unicodedata.normalize("NFKD", reference[:1]).upper()[:1]
    low, high = str(letters).split("-")
    return low <= first <= high


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
        listed = references(deck)
        shown = [ref for ref in listed if _in_range(ref, slide["references"])]
        start = listed.index(shown[0]) + 1 if shown else 1
        parts.append(
            f'<ol class="rd-slide__references" start="{start}">'
            + "".join(tag("li", ref) for ref in shown)
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
