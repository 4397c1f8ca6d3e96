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
'Leung (2008), as reported in Cooper (2013)'
"""

from __future__ import annotations

import re

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
SOURCE_KINDS = (
    "journal article", "book", "chapter", "thesis", "dissertation", "blog", "web page", "report",
)
_YEAR = re.compile(r"^(\d{4}[a-z]?|n\.d\.)$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_SOURCE_REQUIRED = ["id", "authors", "year", "title", "kind", "published"]
_FINDING_REQUIRED = [
    "id", "session", "topic", "measure", "statistic", "value", "unit", "source_id", "location",
    "primary_or_secondary", "confidence",
]

_cache: dict[tuple, tuple[dict, dict]] = {}


def _where(row: dict) -> str:
    return f"row {row['_row']}"


def _check_id(file: str, row: dict, seen: set[str]) -> str:
    ident = row["id"]
    if not _ID.match(ident):
        raise ContentError(file, _where(row),
                           f"id {ident!r} must be lower-case letters, digits and hyphens")
    if ident in seen:
        raise ContentError(file, _where(row), f"duplicate id {ident!r}")
    seen.add(ident)
    return ident


def _number(file: str, row: dict, column: str, *, whole: bool = False) -> float | int | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = float(text.replace(",", "")) if not whole else int(text.replace(",", ""))
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ContentError(file, _where(row), f"{column} must be {kind} (found {text!r})") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ContentError(file, _where(row), f"{column} must be a finite number")
    return value


def _read_sources() -> dict[str, dict]:
    f = SOURCES_FILE
    sources: dict[str, dict] = {}
    for row in content.load_csv(f, required=_SOURCE_REQUIRED):
        ident = _check_id(f, row, set(sources))
        if not _YEAR.match(row["year"]):
            raise ContentError(f, _where(row), "year must look like 2008, 2011b or n.d.")
        if row["kind"] not in SOURCE_KINDS:
            raise ContentError(f, _where(row),
                               f"kind must be one of: {', '.join(SOURCE_KINDS)}")
        if row["published"] not in ("yes", "no"):
            raise ContentError(f, _where(row), "published must be yes or no")
        if row.get("doi") and not row["doi"].startswith("10."):
            raise ContentError(f, _where(row), "doi must start with 10. (no https://doi.org/)")
        if row.get("url") and not row["url"].startswith(("http://", "https://")):
            raise ContentError(f, _where(row), "url must start with http:// or https://")
        sources[ident] = dict(row)
    return sources


def _read_findings(sources: dict[str, dict]) -> dict[str, dict]:
    f = FINDINGS_FILE
    findings: dict[str, dict] = {}
    for row in content.load_csv(f, required=_FINDING_REQUIRED):
        ident = _check_id(f, row, set(findings))
        sessions = tuple(s.strip() for s in row["session"].split(";") if s.strip())
        unknown = [s for s in sessions if s not in SESSIONS]
        if not sessions or unknown:
            raise ContentError(f, _where(row),
                               "session must be 1, 2, 3, 4 or keynote (several joined by ;)")
        if row["source_id"] not in sources:
            raise ContentError(f, _where(row),
                               f"unknown source id {row['source_id']!r} (not in {SOURCES_FILE})")
        kind = row["primary_or_secondary"]
        if kind not in ("primary", "secondary"):
            raise ContentError(f, _where(row), "primary_or_secondary must be primary or secondary")
        reported_in = row.get("reported_in", "")
        if kind == "secondary" and not reported_in:
            raise ContentError(f, _where(row),
                               "a secondary finding needs reported_in (the source it was read in)")
        if reported_in and reported_in not in sources:
            raise ContentError(f, _where(row),
                               f"unknown reported_in source id {reported_in!r}")
        if reported_in and kind != "secondary":
            raise ContentError(f, _where(row), "reported_in is only for secondary findings")
        if row["confidence"] not in ("FS", "SS"):
            raise ContentError(f, _where(row), "confidence must be FS or SS")
        value = _number(f, row, "value")
        ci_low = _number(f, row, "ci_low")
        ci_high = _number(f, row, "ci_high")
        if (ci_low is None) != (ci_high is None):
            raise ContentError(f, _where(row), "give both ci_low and ci_high, or neither")
        if ci_low is not None and not ci_low <= value <= ci_high:
            raise ContentError(f, _where(row), "value must lie between ci_low and ci_high")
        clean = dict(row)
        clean.update(
            value=value,
            n=_number(f, row, "n", whole=True),
            k=_number(f, row, "k", whole=True),
            ci_low=ci_low,
            ci_high=ci_high,
            sessions=sessions,
        )
        findings[ident] = clean
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


def _short(src: dict) -> str:
    """Short author-year form: 'Leung (2008)', 'Cooper & Knox (2017)', 'Di Malta et al. (2020)'."""
    if src.get("label"):
        names = src["label"]
    else:
        surnames = [a.split(",")[0].strip() for a in src["authors"].split(";") if a.strip()]
        if len(surnames) == 1:
            names = surnames[0]
        elif len(surnames) == 2:
            names = f"{surnames[0]} & {surnames[1]}"
        else:
            names = f"{surnames[0]} et al."
    return f"{names} ({src['year']})"


def reference(source_id: str) -> str:
    """One full reference as plain text: authors (year). Title. Venue. DOI or address.

    Unpublished sources say that they are known only through a review of the research.
    """
    src = source(source_id)
    names = [a.strip() for a in src["authors"].split(";") if a.strip()]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    parts = [f"{authors} ({src['year']}). {src['title'].rstrip('.')}."]
    if src.get("venue"):
        parts.append(f"{src['venue'].rstrip('.')}.")
    if src.get("doi"):
        parts.append(f"https://doi.org/{src['doi']}")
    elif src.get("url"):
        parts.append(src["url"])
    if src.get("published") == "no":
        parts.append("Unpublished; known through a review of the research.")
    return " ".join(parts)


def cite(finding_id: str) -> str:
    """A short citation for a finding (or a source id), naming the review it was read in.

    >>> cite("cooper2012-median-r")
    'Cooper (2012)'
    """
    sources, findings = _load()
    if finding_id in findings:
        row = findings[finding_id]
        text = _short(sources[row["source_id"]])
        if row.get("reported_in"):
            text += f", as reported in {_short(sources[row['reported_in']])}"
        return text
    if finding_id in sources:
        return _short(sources[finding_id])
    raise KeyError(f"there is no finding or source {finding_id!r}")


def findings_for(session: int | str) -> list[dict]:
    """The findings used in one session (1 to 4) or in the keynote, in file order."""
    key = str(session)
    if key not in SESSIONS:
        raise ValueError("session must be 1, 2, 3, 4 or 'keynote'")
    return [dict(row) for row in _load()[1].values() if key in row["sessions"]]


def _cited_by_pages() -> set[str]:
    """Source ids cited in the session, keynote, self-check and workshop files."""
    from rdlearn.content import loader as content

    cited: set[str] = set()
    folder = content.data_dir()
    for path in sorted(folder.glob("sessions/*.yaml")):
        data = content.load_yaml(f"sessions/{path.name}") or {}
        cited |= {str(r.get("id")) for r in data.get("references", []) if isinstance(r, dict)}
    if (folder / "keynote.yaml").exists():
        for slide in (content.load_yaml("keynote.yaml") or {}).get("slides", []):
            cited |= {str(i) for i in slide.get("sources", [])}
    for path in sorted(folder.glob("instruments/*.yaml")):
        data = content.load_yaml(f"instruments/{path.name}") or {}
        origin = data.get("construct_source") or {}
        if isinstance(origin, dict):
            cited |= {str(i) for i in origin.get("source_ids", [])}
    if (folder / "workshop.yaml").exists():
        cited.add(str((content.load_yaml("workshop.yaml") or {}).get("source")))
    return cited


def validate() -> dict[str, int]:
    """Load both files and cross-check them; return counts. Used by ``rdlearn check``.

    Every finding's source must exist (checked while loading) and every source must be
    used: by a finding (directly or as the review a finding was read in), or cited by a
    session, the keynote, a self-check or the workshop description.
    """
    sources, findings = _load()
    used = {row["source_id"] for row in findings.values()}
    used |= {row["reported_in"] for row in findings.values() if row.get("reported_in")}
    used |= _cited_by_pages()
    for ident, row in sources.items():
        if ident not in used:
            raise ContentError(SOURCES_FILE, _where(row),
                               f"source {ident!r} is neither used by a finding in "
                               f"{FINDINGS_FILE} nor cited by any page")
    return {"sources": len(sources), "findings": len(findings)}
