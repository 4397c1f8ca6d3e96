"""The sessions shown in a notebook: HTML ready for ``display``.

Every piece of text is escaped; ``*em*`` and ``**strong**`` are the only markup. The
content comes from :func:`rdlearn.sessions.load.load_session`.

>>> "Session 1:" in header(1).data
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.sessions.load import DISCUSSION_GROUPS, load_session
from rdlearn.web.html import bullets, card, esc, page_html, tag

__all__ = ["header", "section", "exercise_card", "discussion", "summary", "references",
           "inline"]


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
    """The session's references in full (from sources.csv, else the session file's text).

    The list also holds the account each secondary source was read in, cited or not.
    """
    s = load_session(number)
    texts = {r["id"]: r["text"] for r in s["references"]}
    try:
        from rdlearn.content import citations, findings

        ids = citations.with_known_through(texts, findings.load_sources())
    except ContentError:
        ids = list(texts)
    items = sorted(_full_reference(i, texts.get(i, i)) for i in ids)
    return page_html(tag("h2", "References"), bullets(items, class_="rd-small"))
