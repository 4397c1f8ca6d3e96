"""Cross-checks between content files: what one data file says must agree with another.

Each check raises :class:`~rdlearn.content.loader.ContentError` on the first problem and is
run by ``rdlearn check``. The loaders of the single files stay with their features; only the
checks that read two features' files live here, so neither feature imports the other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from rdlearn.agenda import blocks
from rdlearn.content import citations, findings
from rdlearn.content import loader as content
from rdlearn.content.errors import ContentError
from rdlearn.sessions import load as sessions

__all__ = ["check_agenda_against_sessions", "check_citations", "check_sources_used", "cited_ids"]


def check_agenda_against_sessions() -> None:
    """Raise :class:`ContentError` when the agenda and the session files disagree.

    Two comparisons, first :func:`rdlearn.agenda.blocks.duration_mismatches` (a block holding
    exercises lasts exactly their minutes plus its ``discussion_minutes``; a flexible one is
    never shortened below its exercises), then
    :func:`rdlearn.agenda.blocks.exercise_mismatches` (every exercise named where it runs).
    """
    plans = blocks.load_agenda()
    exercises = {n: s["exercises"] for n, s in sessions.load_all().items()}
    durations = blocks.duration_mismatches(plans, exercises)
    if durations:
        where, problem = durations[0]
        raise ContentError(blocks.AGENDA_FILE, where, problem)
    problems = blocks.exercise_mismatches(plans, exercises)
    if problems:
        raise ContentError(blocks.AGENDA_FILE, "exercises", problems[0])


# --------------------------------------------------------------------------- citations


def _prose(data: Any, place: str = "") -> Iterator[tuple[str, str]]:
    """(place, text) for every piece of prose in a session or keynote file.

    Places read as the loaders name them: "section 'what-it-is', body", "slide 'x', notes".
    """
    skip = {"id", "citations", "finding_ids", "sources", "references", "figure",
            "room_question", "outcomes"}
    if isinstance(data, str):
        yield place, data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if key in skip:
                continue
            if isinstance(value, list):
                for i, item in enumerate(value, start=1):
                    label = item.get("id") if isinstance(item, Mapping) else None
                    inner = (f"{key.removesuffix('s')} {label!r}" if label
                             else f"{key} item {i}")
                    yield from _prose(item, f"{place}, {inner}" if place else inner)
            else:
                yield from _prose(value, f"{place}, {key}" if place else str(key))


def _ids(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)] if value else []


def _page_files() -> list[str]:
    folder = content.data_dir()
    names = [f"sessions/{p.name}" for p in sorted(folder.glob("sessions/*.yaml"))]
    return names + (["keynote.yaml"] if (folder / "keynote.yaml").exists() else [])


def cited_ids() -> list[tuple[str, str, str, str]]:
    """Every id the content cites: (file, place, ``"source"`` or ``"finding"``, id).

    Sessions (section citations and finding ids, references), keynote slides (sources and
    finding ids), self-checks' construct sources, the workshop description, the room's
    questions and the quiz.
    """
    found: list[tuple[str, str, str, str]] = []
    folder = content.data_dir()

    def add(file: str, place: str, kind: str, value: Any) -> None:
        found.extend((file, place, kind, i) for i in _ids(value))

    for name in _page_files():
        data = content.load_yaml(name) or {}
        if name == "keynote.yaml":
            for i, slide in enumerate(data.get("slides") or [], start=1):
                place = f"slide {slide.get('id', i)!r}"
                add(name, f"{place}, sources", "source", slide.get("sources"))
                add(name, f"{place}, finding_ids", "finding", slide.get("finding_ids"))
            continue
        for sec in data.get("sections") or []:
            place = f"section {sec.get('id')!r}"
            add(name, f"{place}, citations", "source", sec.get("citations"))
            add(name, f"{place}, finding_ids", "finding", sec.get("finding_ids"))
        for i, ref in enumerate(data.get("references") or [], start=1):
            if isinstance(ref, Mapping):
                add(name, f"references item {i}", "source", ref.get("id"))
    for path in sorted(folder.glob("instruments/*.yaml")):
        name = f"instruments/{path.name}"
        origin = (content.load_yaml(name) or {}).get("construct_source") or {}
        if isinstance(origin, Mapping):
            add(name, "construct_source, source_ids", "source", origin.get("source_ids"))
    if (folder / "workshop.yaml").exists():
        add("workshop.yaml", "source", "source", (content.load_yaml("workshop.yaml") or {}).get(
            "source"))
    if (folder / "questions.yaml").exists():
        for i, q in enumerate((content.load_yaml("questions.yaml") or {}).get("questions") or [],
                              start=1):
            research = q.get("research") or {} if isinstance(q, Mapping) else {}
            add("questions.yaml", f"question {q.get('id', i)!r}, research, findings", "finding",
                research.get("findings") if isinstance(research, Mapping) else None)
    if (folder / "quiz.yaml").exists():
        quiz = content.load_yaml("quiz.yaml") or {}
        for key, items in (quiz.items() if isinstance(quiz, Mapping) else []):
            for i, q in enumerate(items if isinstance(items, list) else [], start=1):
                if isinstance(q, Mapping) and q.get("finding"):
                    add("quiz.yaml", f"{key} item {i}, finding", "finding", q["finding"])
    return found


def check_citations() -> dict[str, int]:
    """Cited ids exist, and secondary sources are cited as such. Used by ``rdlearn check``.

    Raises :class:`~rdlearn.content.loader.ContentError` naming the file, the place and the
    id, or the start of the sentence that cites a secondary source without saying how it
    is known ("as reported in", "cited in", ...).
    """
    sources, all_findings = findings.load_sources(), findings.load_findings()
    cited = cited_ids()
    for file, place, kind, ident in cited:
        known = sources if kind == "source" else all_findings
        table = findings.SOURCES_FILE if kind == "source" else findings.FINDINGS_FILE
        if ident not in known:
            raise ContentError(file, place, f"{kind} {ident!r} is not in {table}")
    secondary = citations.secondary_sources(sources, all_findings)
    sentences_checked = 0
    for name in _page_files():
        for place, text in _prose(content.load_yaml(name) or {}):
            sentences_checked += len(citations.sentences(text))
            for ident, sentence in citations.unmarked_secondary(text, secondary, sources):
                start = sentence if len(sentence) <= 70 else sentence[:67].rstrip() + "..."
                through = citations.known_through_text(ident, sources) or "..."
                raise ContentError(
                    name, place,
                    f"{citations.short(ident, sources)} is known only through another account; "
                    f"say so in the same sentence (\"as reported in {through}\"): \"{start}\"",
                )
    return {"cited ids": len(cited), "sentences": sentences_checked}


def check_sources_used() -> dict[str, int]:
    """Raise :class:`ContentError` for a source in ``sources.csv`` that nothing uses.

    A source is used by a finding (directly or as the review a finding was read in), as the
    account another source is known through, or when a session, the keynote, a self-check
    or the workshop description cites it.
    """
    sources, rows = findings.load_sources(), findings.load_findings()
    used = {row["source_id"] for row in rows.values()}
    used |= {row["reported_in"] for row in rows.values() if row.get("reported_in")}
    used |= {ident for _, _, kind, ident in cited_ids() if kind == "source"}
    used |= {i for ident in sources for i in citations.known_through_ids(ident, sources)}
    for ident, row in sources.items():
        if ident not in used:
            raise ContentError(findings.SOURCES_FILE, f"row {row['_row']}",
                               f"source {ident!r} is neither used by a finding in "
                               f"{findings.FINDINGS_FILE} nor cited by any page")
    return {"sources": len(sources)}
