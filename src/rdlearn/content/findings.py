"""The research findings the material shows, each with its source.

Two data files hold them: ``data/sources.csv`` (every source cited) and
``data/findings.csv`` (one row per number used anywhere, with the source it comes from
and whether that source was read directly or only through someone else's review).
Both are read through :mod:`rdlearn.content.loader`; a broken row raises
:class:`~rdlearn.content.loader.ContentError` naming the file, the row and the problem.

Examples
--------
>>> finding("cooper2012-median-r")["value"]
0.76
>>> cite("leung2008-clients-any-rd")
'Leung (2008), as reported in Cooper (2013a)'
"""

from __future__ import annotations

from rdlearn.content import citations, schema
from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError

__all__ = [
    "SOURCES_FILE",
    "FINDINGS_FILE",
    "load_sources",
    "load_findings",
    "finding",
    "source",
    "cite",
    "reference",
    "findings_for",
    "validate",
]

SOURCES_FILE = "sources.csv"
FINDINGS_FILE = "findings.csv"

SESSIONS = ("1", "2", "3", "4", "keynote")

_SOURCE_REQUIRED = ["id", "authors", "year", "title", "kind", "published"]
_FINDING_REQUIRED = [
    "id", "session", "topic", "measure", "statistic", "value", "unit", "source_id", "location",
    "primary_or_secondary", "confidence",
]

_cache: dict[tuple, tuple[dict, dict]] = {}


def _where(row: dict) -> str:
    return f"row {row['_row']}"


def _check_unique(file: str, rows: list[dict]) -> None:
    repeat = content.first_repeat(row["id"] for row in rows)
    if repeat:
        row = rows[repeat[0] - 1]
        raise ContentError(file, _where(row), f"duplicate id {row['id']!r}")


def _number(row: dict, column: str, *, whole: bool = False) -> float | int | None:
    """A number column as a number; its form has been checked against the schema."""
    text = row.get(column, "").replace(",", "")
    if not text:
        return None
    return int(text) if whole else float(text)


def _read_rows(file: str, name: str, required: list[str]) -> list[dict]:
    rows = content.load_csv(file, required=required)
    schema.validate(rows, name, file=file)
    _check_unique(file, rows)
    return rows


def _read_sources() -> dict[str, dict]:
    sources = {row["id"]: dict(row)
               for row in _read_rows(SOURCES_FILE, "sources", _SOURCE_REQUIRED)}
    for ident, row in sources.items():
        for through in citations.known_through_ids(ident, sources):
            if through not in sources or through == ident:
                problem = ("names the source itself" if through == ident
                           else f"is not a source id in {SOURCES_FILE}")
                raise ContentError(SOURCES_FILE, f"{_where(row)}, known_through",
                                   f"{through!r} {problem}")
    return sources


def _check_finding(row: dict, sources: dict[str, dict]) -> None:
    f = FINDINGS_FILE
    if row["source_id"] not in sources:
        raise ContentError(f, _where(row),
                           f"unknown source id {row['source_id']!r} (not in {SOURCES_FILE})")
    reported_in = row.get("reported_in", "")
    if reported_in and reported_in not in sources:
        raise ContentError(f, _where(row), f"unknown reported_in source id {reported_in!r}")
    value, ci_low, ci_high = (_number(row, c) for c in ("value", "ci_low", "ci_high"))
    if ci_low is not None and not ci_low <= value <= ci_high:
        raise ContentError(f, _where(row), "value must lie between ci_low and ci_high")


def _read_findings(sources: dict[str, dict]) -> dict[str, dict]:
    findings: dict[str, dict] = {}
    for row in _read_rows(FINDINGS_FILE, "findings", _FINDING_REQUIRED):
        _check_finding(row, sources)
        clean = dict(row)
        clean.update(
            value=_number(row, "value"),
            n=_number(row, "n", whole=True),
            k=_number(row, "k", whole=True),
            ci_low=_number(row, "ci_low"),
            ci_high=_number(row, "ci_high"),
            sessions=tuple(s.strip() for s in row["session"].split(";") if s.strip()),
        )
        findings[row["id"]] = clean
    return findings


def _load() -> tuple[dict, dict]:
    folder = content.data_dir()
    stamps = []
    for name in (SOURCES_FILE, FINDINGS_FILE):
        path = folder / name
        stat = path.stat() if path.is_file() else None
        stamps.append((stat.st_mtime_ns, stat.st_size) if stat else None)
    key = (str(folder), *stamps)
    if key not in _cache:
        sources = _read_sources()
        _cache.clear()
        _cache[key] = (sources, _read_findings(sources))
    return _cache[key]


def load_sources() -> dict[str, dict]:
    """Every source, by id: ``{id: {"authors", "year", "title", "doi", ...}}``."""
    return {k: dict(v) for k, v in _load()[0].items()}


def load_findings() -> dict[str, dict]:
    """Every finding, by id, in file order, with ``value`` as a float and ``n`` as an int.

    Raises :class:`~rdlearn.content.loader.ContentError` naming the file and row of any problem
    (a missing or unknown source, a value that is not a number, a secondary finding
    without ``reported_in``, a duplicate id, ...).
    """
    return {k: dict(v) for k, v in _load()[1].items()}


def finding(finding_id: str) -> dict:
    """One finding as a dict (id, value, unit, n, group, statistic, measure, source_id, ...)."""
    found = _load()[1].get(finding_id)
    if found is None:
        raise KeyError(f"there is no finding {finding_id!r} in {FINDINGS_FILE}")
    return dict(found)


def source(source_id: str) -> dict:
    """One source as a dict (authors, year, title, venue, doi, url, kind, published, notes)."""
    found = _load()[0].get(source_id)
    if found is None:
        raise KeyError(f"there is no source {source_id!r} in {SOURCES_FILE}")
    return dict(found)


def reference(source_id: str) -> str:
    """One full reference as plain text: authors (year). Title. Venue. DOI or address.

    A source read only through another account says which (see
    :func:`rdlearn.content.citations.reference`).
    """
    source(source_id)
    return citations.reference(source_id, _load()[0])


def cite(finding_id: str) -> str:
    """A short citation for a finding (or a source id), naming the account it was read in.

    Built by :func:`rdlearn.content.citations.cite_source`: a secondary source always
    carries its "as reported in", and two sources by the same authors in the same year
    get letters after the year.

    >>> cite("cooper2012-median-r")
    'Cooper (2012)'
    >>> cite("wiggins2011a")
    'Wiggins (2011a), as reported in Cooper (2013a)'
    """
    sources, findings = _load()
    if finding_id in findings:
        row = findings[finding_id]
        return citations.cite_source(row["source_id"], sources,
                                     reported_in=row.get("reported_in", ""))
    if finding_id in sources:
        return citations.cite_source(finding_id, sources)
    raise KeyError(f"there is no finding or source {finding_id!r}")


def findings_for(session: int | str) -> list[dict]:
    """The findings used in one session (1 to 4) or in the keynote, in file order."""
    key = str(session)
    if key not in SESSIONS:
        raise ValueError("session must be 1, 2, 3, 4 or 'keynote'")
    return [dict(row) for row in _load()[1].values() if key in row["sessions"]]


def validate() -> dict[str, int]:
    """Load both files and check each row; return counts. Used by ``rdlearn check``.

    Every finding's source must exist (checked while loading); that every source is used
    somewhere is a cross-check of all the content files,
    :func:`rdlearn.content.checks.check_sources_used`.
    """
    sources, findings = _load()
    return {"sources": len(sources), "findings": len(findings)}
