"""The landing page (``notebooks/00_welcome.ipynb``), built from ``data/workshop.yaml``."""

from __future__ import annotations

from pathlib import Path

from rdlearn.content import loader as content
from rdlearn.web.html import bullets, card, esc, page_html, tag

__all__ = ["welcome", "welcome_html"]


def welcome_html(*, pages_dir: str | Path = ".", link_prefix: str = "",
                 day_page: str | None = None) -> str:
    """The landing page as an HTML string (every text from the data file, escaped).

    A session links to its page only when that notebook is in ``pages_dir`` (by default
    the folder the notebook runs in); ``link_prefix`` goes before each link. Served, the
    sessions are parts of the participant's ``day_page`` (``10_day.ipynb#session-2``), and
    the page opens with a link to start the day there.
    """
    day = day_page if day_page and (Path(pages_dir) / day_page).exists() else None
    ws = content.workshop()
    outcomes = {o["id"]: o["text"] for o in ws["learning_outcomes"]}
    parts = [
        tag("p", ws["subtitle"], class_="rd-lede"),
        (f'<p class="rd-start"><a class="rd-start__link" href="{esc(link_prefix + day)}'
         f'#session-1">Start the day: session 1</a></p>') if day else "",
        card(
            "What is relational depth?",
            tag("p", ws["summary"]) + tag("p", ws["summary_citation"], class_="rd-cite"),
            kind="intro",
            heading_level=2,
        ),
        tag("h2", "By the end of the workshop you will be able to"),
        "<ol class=\"rd-outcomes\">"
        + "".join(f"<li>{esc(o['text'])}</li>" for o in ws["learning_outcomes"])
        + "</ol>",
        tag("h2", "The four sessions"),
    ]
    sessions = []
    for sess in ws["sessions"]:
        link = f"{sess['number']:02d}_{sess['slug']}.ipynb"
        body = tag("p", sess["aim"]) + tag("p", "Learning outcomes:", class_="rd-small") + bullets(
            [outcomes[o] for o in sess["outcomes"]], class_="rd-small"
        )
        title = f"Session {sess['number']}: {sess['title']}"
        exists = (Path(pages_dir) / link).exists()
        if day:
            link = f"{day}#session-{sess['number']}"
        heading = f'<a href="{esc(link_prefix + link)}">{esc(title)}</a>' if exists else esc(title)
        sessions.append(
            f'<section class="rd-card rd-card--session"><h3 class="rd-card__title">'
            f"{heading}</h3>{body}</section>"
        )
    parts.append('<div class="rd-grid">' + "".join(sessions) + "</div>")
    parts.append(tag("h2", "One day or two"))
    parts.append(bullets([f"{f['name']}: {f['description']}" for f in ws["formats"]]))
    parts.append(card("Who it is for", tag("p", ws["audience"]) + tag("p", ws["methods"])))
    parts.append(card("Your privacy", tag("p", ws["privacy"]), kind="privacy"))
    return "".join(parts)


def welcome():
    """The landing page, ready for ``display``."""
    return page_html(welcome_html())
