"""Citations built from source ids, in one place, and the checks ``rdlearn check`` runs on them.

Every short citation ("Leung (2008), as reported in Cooper (2013a)") and every full
reference the material shows is built here from rows of ``data/sources.csv``. A source read
only through another one names it in its ``known_through`` column (a source id, several
joined by ``;``, or a description in words), and its citation then says so by itself. Two
sources with the same authors and year are told apart by letters after the year, in the
order of their titles, as APA style does.

The checks walk the content files: every source id cited anywhere must be a row of
``sources.csv``, and a secondary source named by author and year in the prose must be
marked, in the same sentence, as known through another account ("as reported in ...").

Examples
--------
>>> rows = {"a": {"authors": "Cooper, M.", "year": "2013", "title": "Review"},
...         "b": {"authors": "Cooper, M.", "year": "2013", "title": "Exercises"},
...         "c": {"authors": "Leung, J.", "year": "2008", "title": "Survey",
...               "known_through": "a"}}
>>> cite_source("c", rows)
'Leung (2008), as reported in Cooper (2013b)'
>>> short("b", rows)
'Cooper (2013a)'
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "ID_PATTERN",
    "years",
    "short",
    "cite_source",
    "known_through_ids",
    "known_through_text",
    "with_known_through",
    "reference",
    "secondary_sources",
    "sentences",
    "unmarked_secondary",
]

#: What a source id looks like (and so a ``known_through`` value that names sources).
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*(\s*;\s*[a-z0-9][a-z0-9-]*)*$")

#: Words that, in the same sentence, say a study is known through another account.
MARKERS = re.compile(
    r"\b(?:reported in|described in|cited in|citing|credit(?:s|ed)?(?: (?:them|it))? to"
    r"|known (?:only )?through)\b",
    re.IGNORECASE,
)

_ABBREVIATIONS = {"al", "e.g", "i.e", "cf", "vs", "p", "pp", "ed", "eds", "no", "dr", "st"}
_PLAIN_YEAR = re.compile(r"^(\d{4}|n\.d\.)$")

Sources = Mapping[str, Mapping[str, str]]


# --------------------------------------------------------------------------- formatting


def _names(src: Mapping[str, str]) -> str:
    """The names of a short citation: 'Leung', 'Cooper & Knox', 'Di Malta et al.'."""
    if src.get("label"):
        return src["label"]
    surnames = [a.split(",")[0].strip() for a in src["authors"].split(";") if a.strip()]
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return f"{surnames[0]} & {surnames[1]}"
    return f"{surnames[0]} et al."


def _title_key(src: Mapping[str, str]) -> str:
    title = src.get("title", "").lower()
    return re.sub(r"^(a|an|the)\s+", "", title)


def years(sources: Sources) -> dict[str, str]:
    """The year each source is cited with, letters added where names and year repeat.

    >>> years({"x": {"authors": "Lee, A.", "year": "2001", "title": "B"},
    ...        "y": {"authors": "Lee, A.", "year": "2001", "title": "A"}})
    {'x': '2001b', 'y': '2001a'}
    """
    shown = {ident: src["year"] for ident, src in sources.items()}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ident, src in sources.items():
        if _PLAIN_YEAR.match(src["year"]):
            groups[(_names(src), src["year"])].append(ident)
    for (_, year), idents in groups.items():
        if len(idents) > 1:
            ordered = sorted(idents, key=lambda i: (_title_key(sources[i]), i))
            for place, ident in enumerate(ordered):
                letter = string.ascii_lowercase[place]
                shown[ident] = f"{year}-{letter}" if year == "n.d." else f"{year}{letter}"
    return shown


def short(source_id: str, sources: Sources) -> str:
    """Author-year form of one source, without saying how it is known: 'Cooper (2013a)'."""
    return f"{_names(sources[source_id])} ({years(sources)[source_id]})"


def known_through_ids(source_id: str, sources: Sources) -> list[str]:
    """The source ids a source is known through (empty if read directly or described in words).

    >>> known_through_ids("c", {"c": {"known_through": "a; b"}})
    ['a', 'b']
    """
    value = sources[source_id].get("known_through", "").strip()
    if not value or not ID_PATTERN.match(value):
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def known_through_text(source_id: str, sources: Sources) -> str:
    """How a secondary source is known, as citation text; empty for a source read directly."""
    ids = known_through_ids(source_id, sources)
    if ids:
        return " and ".join(short(i, sources) for i in ids)
    return sources[source_id].get("known_through", "").strip()


def cite_source(source_id: str, sources: Sources, *, reported_in: str = "") -> str:
    """A short citation, saying 'as reported in' for a source known through another.

    ``reported_in`` (a source id) names the account a particular finding was read in; it
    takes the place of the source's own ``known_through``.
    """
    text = short(source_id, sources)
    through = short(reported_in, sources) if reported_in else known_through_text(source_id, sources)
    return f"{text}, as reported in {through}" if through else text


def with_known_through(source_ids: Iterable[str], sources: Sources) -> list[str]:
    """The ids, each followed by the sources it is known through, once each, in order.

    A reference list built from these holds the account every secondary source was read in.
    """
    out: dict[str, None] = {}
    for ident in source_ids:
        out[ident] = None
        if ident in sources:
            out.update(dict.fromkeys(known_through_ids(ident, sources)))
    return list(out)


def reference(source_id: str, sources: Sources) -> str:
    """One full reference as plain text: authors (year). Title. Venue. DOI or address.

    A source read only through another account says so; an unpublished one says that too.
    """
    src = sources[source_id]
    names = [a.strip() for a in src["authors"].split(";") if a.strip()]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    parts = [f"{authors} ({years(sources)[source_id]}). {src['title'].rstrip('.')}."]
    if src.get("venue"):
        parts.append(f"{src['venue'].rstrip('.')}.")
    if src.get("doi"):
        parts.append(f"https://doi.org/{src['doi']}")
    elif src.get("url"):
        parts.append(src["url"])
    through = known_through_text(source_id, sources)
    if src.get("published") == "no":
        parts.append("Unpublished;" if through else "Unpublished.")
    if through:
        lead = "known" if src.get("published") == "no" else "Known"
        parts.append(f"{lead} only as reported in {through}.")
    return " ".join(parts)


# --------------------------------------------------------------------------- prose


def secondary_sources(sources: Sources, findings: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Sources known only through another: ``known_through`` set, or every finding secondary.

    A source with a secondary finding and a primary one (Knox, 2008, read as an abstract,
    with one finding read in the review) is not secondary as a whole.
    """
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in findings.values():
        kinds[row["source_id"]].add(row["primary_or_secondary"])
    secondary = {i for i, src in sources.items() if src.get("known_through", "").strip()}
    return secondary | {i for i, k in kinds.items() if k == {"secondary"}}


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not at 'et al.', 'e.g.' or initials.

    >>> sentences("Wiggins et al. (2012) found it. Leung, J. B. did not. (So.)")
    ['Wiggins et al. (2012) found it.', 'Leung, J. B. did not.', '(So.)']
    """
    text = " ".join(text.split())
    out, start = [], 0
    for gap in re.finditer(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z\"“‘*(])", text):
        word = re.search(r"([\w.]*)[.!?][\"”’)]?$", text[start:gap.start()])
        before = (word.group(1) if word else "").lower()
        if before in _ABBREVIATIONS or re.fullmatch(r"[a-z]", before):
            continue
        out.append(text[start:gap.start()])
        start = gap.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _author_year(source_id: str, sources: Sources) -> re.Pattern:
    """First author's surname, a few words, then the year: 'Leung (2008', 'Wiggins, 2011a'."""
    src = sources[source_id]
    surname = src["authors"].split(";")[0].split(",")[0].strip()
    year_forms = {src["year"], years(sources)[source_id]}
    year = "|".join(re.escape(y) for y in sorted(year_forms, key=len, reverse=True))
    return re.compile(rf"\b{re.escape(surname)}\b[^.()]{{0,50}}?[(,]\s*(?:{year})(?![\w])")


def unmarked_secondary(
    text: str, secondary: Iterable[str], sources: Sources
) -> list[tuple[str, str]]:
    """(source id, sentence) for each secondary source cited by author and year, unmarked.

    A sentence that names the study only in passing ("Leung's survey") gives no author-year
    citation and is not flagged.
    """
    patterns = {i: _author_year(i, sources) for i in sorted(secondary) if i in sources}
    found = []
    for sentence in sentences(text):
        plain = sentence.replace("et al.", "et al")
        if MARKERS.search(plain):
            continue
        found += [(i, sentence) for i, p in patterns.items() if p.search(plain)]
    return found
