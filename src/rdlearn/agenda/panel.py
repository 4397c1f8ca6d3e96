"""What the facilitator's panels share: a status line and a stylesheet shown with the HTML.

>>> status("Choose the block that ran over.")
'<p class="rd-fac-message" role="status">Choose the block that ran over.</p>'
>>> status("")
''
>>> stylesheet("agenda.css").startswith("<style>")
True
"""

from __future__ import annotations

from rdlearn.web import assets
from rdlearn.web.html import tag

__all__ = ["status", "stylesheet"]


def status(text: str, *, problem: bool = True) -> str:
    """A line that a screen reader announces: a problem (in the warning colour) or a note.

    Empty ``text`` gives an empty string, which clears the line.
    """
    if not text:
        return ""
    cls = "rd-fac-message" if problem else "rd-small"
    return tag("p", text, class_=cls, role="status")


def stylesheet(name: str) -> str:
    """The browser asset ``name`` (a ``.css`` file beside its Python) as a ``<style>`` element."""
    return "<style>\n" + assets.path(name).read_text(encoding="utf-8") + "</style>"
