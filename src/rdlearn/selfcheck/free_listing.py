"""The first step of a self-check with a ``free_listing`` prompt: your own words, then the list.

Following the method of the study the checklist comes from, a participant writes their own
ways of doing something before they see the list, so the list cannot suggest answers. The
step shows the prompt and why it comes first, a text box, "Continue to the list" and
"Skip to the list"; the list is revealed only after one of them. What is written is
checked in Python (:func:`rdlearn.selfcheck.instruments.clean_free_listing`) and kept, like
every self-check answer, only in the participant's browser (the panel's
:class:`rdlearn.journal.reflection.BrowserStore`): the server writes none of it down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from rdlearn.selfcheck import instruments as selfcheck
from rdlearn.selfcheck._controls import _css_name, _message_html
from rdlearn.web.html import card, tag

__all__ = ["FreeListingStep"]


class FreeListingStep(widgets.VBox):
    """Write in your own words first; ``on_reveal`` is called once the list may be shown.

    Attributes
    ----------
    text
        The text box (its ``value`` as the browser last sent it).
    written
        The tidied text accepted so far (``""`` if none, or if the person skipped).
    done
        Whether the person has continued or skipped, so the list is shown.
    """

    def __init__(self, instrument: Mapping, *, on_reveal: Callable[[], None],
                 on_change: Callable[[], None]):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.instrument = instrument
        free = instrument["free_listing"]
        ident = instrument["id"]
        self.add_class(_css_name(ident, "free-listing"))
        self.written = ""
        self.done = False
        self._on_reveal = on_reveal
        self._on_change = on_change
        self.text = widgets.Textarea(
            value="", description="My own words", description_allow_html=False,
            placeholder=f"One way on each line, in your own words (up to {free['max_chars']} "
                        "characters)",
            continuous_update=False, layout=widgets.Layout(width="100%", height="8rem"),
        )
        self.text.add_class(_css_name(ident, "free-text"))
        self.text.observe(lambda _change: self._text_changed(), names="value")
        self.continue_button = widgets.Button(description="Continue to the list",
                                              button_style="primary",
                                              layout=widgets.Layout(width="auto"))
        self.continue_button.add_class(_css_name(ident, "free-continue"))
        self.continue_button.on_click(lambda _b: self.continue_to_list())
        self.skip_button = widgets.Button(description="Skip to the list",
                                          layout=widgets.Layout(width="auto"))
        self.skip_button.add_class(_css_name(ident, "free-skip"))
        self.skip_button.on_click(lambda _b: self.skip())
        self.message = widgets.HTML()
        self.message.add_class(_css_name(ident, "free-message"))
        self.buttons = widgets.HBox([self.continue_button, self.skip_button])
        self.after = widgets.HTML()
        intro = card("First, in your own words", tag("p", free["prompt"])
                     + tag("p", free["why"], class_="rd-small")
                     + tag("p", "What you write stays in this browser.", class_="rd-small"),
                     kind="exercise", heading_level=3)
        self.children = [widgets.HTML(intro), self.text, self.message, self.buttons, self.after]

    def _accept(self, *, required: bool) -> bool:
        """Check the text box; keep it if valid. ``False`` (with a message) if refused."""
        value = self.text.value
        if not required and not str(value or "").strip():
            self.written = ""
            self.message.value = ""
            return True
        try:
            self.written = selfcheck.clean_free_listing(self.instrument, value)
        except ValueError as exc:
            self.message.value = _message_html(str(exc))
            return False
        self.message.value = ""
        return True

    def _text_changed(self) -> None:
        if self.done and self._accept(required=False):
            self._on_change()

    def continue_to_list(self) -> bool:
        """Keep what was written and show the list; refused (``False``) if empty or too long."""
        if not self._accept(required=True):
            return False
        self._reveal()
        return True

    def skip(self) -> None:
        """Show the list without writing anything first (anything valid already typed is kept)."""
        if not self._accept(required=False):
            self.written = ""
            self.message.value = ""
        self._reveal()

    def _reveal(self) -> None:
        self.done = True
        self.buttons.layout.display = "none"
        text = "The list is below. You can come back and add to your own words at any time"
        if self.instrument.get("own_items"):
            text += ", and add any of them under “Strategies of my own” to rate them"
        self.after.value = tag("p", text + ".", class_="rd-small")
        self._on_reveal()
        self._on_change()

    def restore(self, text: Any, *, done: bool) -> None:
        """Bring back what was saved in this browser; anything invalid is left out."""
        try:
            self.written = selfcheck.clean_free_listing(self.instrument, text)
        except ValueError:
            self.written = ""
        self.text.value = self.written
        if done and not self.done:
            self.done = True
            self.buttons.layout.display = "none"
            self._on_reveal()

    def lines(self) -> list[str]:
        """The workbook lines: what was written before the list, one line each."""
        if not self.written:
            return []
        return ["In my own words, before the list:", *self.written.splitlines()]
