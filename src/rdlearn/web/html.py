"""Small builders of safe HTML for the pages: every piece of text is escaped here.

Nothing in rdlearn writes text into HTML except through :func:`esc` or the builders below,
so that text from a data file or a participant is always shown as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["esc", "tag", "card", "bullets", "page_html"]


def esc(text: object) -> str:
    """Escape text for HTML (quotes included)."""
    return html.escape(str(text), quote=True)


def tag(name: str, text: str = "", *, raw: str | None = None, **attrs: str) -> str:
    """``<name attrs>text</name>``; ``text`` is escaped, ``raw`` is inserted as it is."""
    attributes = "".join(
        f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None
    )
    body = raw if raw is not None else esc(text)
    return f"<{name}{attributes}>{body}</{name}>"


def bullets(items: Iterable[str], *, raw: bool = False, class_: str | None = None) -> str:
    """An unordered list; items are escaped unless ``raw``."""
    inner = "".join(f"<li>{item if raw else esc(item)}</li>" for item in items)
    cls = f' class="{esc(class_)}"' if class_ else ""
    return f"<ul{cls}>{inner}</ul>"


def card(title: str, body_html: str, *, kind: str = "info", heading_level: int = 3) -> str:
    """A card: a titled box used for exercises, findings and notes (``body_html`` is raw)."""
    h = f"h{heading_level}"
    return (
        f'<section class="rd-card rd-card--{esc(kind)}">'
        f"<{h} class=\"rd-card__title\">{esc(title)}</{h}>{body_html}</section>"
    )


def page_html(*parts: str) -> object:
    """Wrap HTML parts as an IPython ``HTML`` object for ``display``."""
    from IPython.display import HTML

    return HTML('<div class="rd-page">' + "".join(parts) + "</div>")
