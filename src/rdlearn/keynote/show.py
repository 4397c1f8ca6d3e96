"""The keynote's slides widget: the deck one slide at a time, and the speaker notes.

Each slide is an ipywidgets ``VBox``: an ``HTML`` widget for the words and, when the slide
has a chart, an ``Output`` widget holding the chart (from :func:`rdlearn.figures.present`:
the chart, then its text description and data table). The page draws the chart with the
template's ``charts.js`` and the app's own plotly.js, so no plotly extension and no CDN is
needed. A small anywidget (``keynote/slides.js``, read from the package) draws the
Previous/Next buttons, the "slide n of N" counter, the full-screen button and an
``aria-live`` announcement, handles the keys, and shows one slide at a time with a style
rule scoped to its deck, so that moving on needs no round trip to the kernel. The kernel
hears the new slide number, checks it, and keeps the slides' layouts and the speaker notes
in step.

Speaker notes never enter the audience's page: the notes panel sits outside the deck
(so full screen shows only the slides), its "Speaker notes" switch is off when the page
opens, and the notes' text is sent to the browser only while the switch is on.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from typing import Any

from rdlearn.content.loader import ContentError
from rdlearn.keynote.deck import load_keynote, notes_html, slide_html
from rdlearn.web import assets
from rdlearn.web.html import tag

__all__ = ["KeynoteDeck", "slides"]


def _chart_outputs(builder_name: str) -> list[dict]:
    """The chart as Output-widget outputs: the chart, its text description and table."""
    from rdlearn import figures

    try:
        return [figures.present(getattr(figures, builder_name)()).output()]
    except (ContentError, KeyError, ValueError) as exc:
        message = tag("p", f"This chart could not be drawn: {exc}", class_="rd-slide__problem")
        return [{"output_type": "display_data", "metadata": {},
                 "data": {"text/html": message, "text/plain": str(exc)}}]


@functools.cache
def _controller_class():
    import anywidget
    import traitlets

    class SlideController(anywidget.AnyWidget):
        """Buttons, counter, keys and full screen for one deck (the browser side).

        ``index`` (from 0) is written by the browser; a value that is not a slide of the
        deck is refused: the slide stays, the browser is told so, and ``message`` says why.
        """

        _esm = assets.esm("slides.js", css=("slides.css",))
        _css = assets.css("slides.css")
        index = traitlets.Any(0).tag(sync=True)
        count = traitlets.Int(0).tag(sync=True)
        titles = traitlets.List(traitlets.Unicode()).tag(sync=True)
        deck_class = traitlets.Unicode("").tag(sync=True)
        message = traitlets.Unicode("").tag(sync=True)

        def is_slide(self, value: Any) -> bool:
            """Whether ``value`` is the index of a slide of this deck."""
            return (isinstance(value, int) and not isinstance(value, bool)
                    and 0 <= value < self.count)

        _reverting = False

        @traitlets.observe("index")
        def _refuse_impossible_index(self, change):
            value = change["new"]
            if self._reverting:
                return
            if self.is_slide(value):
                self.message = ""
                return
            if isinstance(value, int) and not isinstance(value, bool):
                self.message = f"There is no slide {value + 1}: the deck has {self.count}."
            else:
                self.message = "That slide number was not understood; staying on this slide."
            old = change["old"]
            self._reverting = True
            try:
                self.index = old if self.is_slide(old) else 0
            finally:
                self._reverting = False

    return SlideController


def _widgets():
    import ipywidgets

    return ipywidgets


class KeynoteDeck:
    """The presentation: the deck of slides, and under it the speaker-notes panel.

    Display it (it shows as its :attr:`widget`). ``go_to(n)`` moves to slide ``n``
    (counting from 1); :attr:`current` is the slide shown now (from 1).
    """

    def __init__(self, deck: Mapping | None = None, *, start: int = 1):
        widgets = _widgets()
        self.deck = deck if deck is not None else load_keynote()
        slides_data = self.deck["slides"]
        total = len(slides_data)
        if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start <= total:
            raise ValueError(f"start must be a slide number from 1 to {total}")
        self.deck_class = "rd-deck-" + uuid.uuid4().hex[:10]
        self.slide_boxes = []
        for i, slide in enumerate(slides_data):
            parts = [widgets.HTML(slide_html(slide, number=i + 1, total=total, deck=self.deck))]
            classes = ["rd-slide", f"rd-slide-{i}"]
            if slide.get("figure"):
                chart = widgets.Output()
                chart.add_class("rd-slide__chart")
                chart.outputs = tuple(_chart_outputs(slide["figure"]))
                parts.append(chart)
                classes.append("rd-slide--chart")
            box = widgets.VBox(parts)
            for cls in classes:
                box.add_class(cls)
            self.slide_boxes.append(box)
        self.controller = _controller_class()(
            count=total, titles=[s["title"] for s in slides_data], deck_class=self.deck_class,
        )
        self.controller.index = start - 1
        self.slides_box = widgets.VBox([*self.slide_boxes, self.controller])
        self.slides_box.add_class("rd-deck")
        self.slides_box.add_class(self.deck_class)

        self.notes_switch = widgets.ToggleButton(
            value=False, description="Speaker notes", icon="",
            tooltip="Show the speaker notes for the current slide (keep this off when "
                    "the screen is shared with the room)",
        )
        self.notes_switch.add_class("rd-notes-switch")
        self.notes_view = widgets.HTML("")
        self.notes_view.add_class("rd-notes-view")
        self.speaker_panel = widgets.VBox([self.notes_switch, self.notes_view])
        self.speaker_panel.add_class("rd-speaker-panel")
        self.widget = widgets.VBox([self.slides_box, self.speaker_panel])
        self.widget.add_class("rd-keynote")

        self.controller.observe(self._on_index, names="index")
        self.notes_switch.observe(self._on_notes_switch, names="value")
        self._show(self.controller.index)

    # -- state

    @property
    def current(self) -> int:
        """The slide shown now, counting from 1."""
        return int(self.controller.index) + 1

    def go_to(self, number: int) -> None:
        """Show slide ``number`` (from 1); an impossible number leaves the slide unchanged."""
        if isinstance(number, bool) or not isinstance(number, int):
            self.controller.message = "A slide number must be a whole number."
            return
        self.controller.index = number - 1

    def _show(self, index: int) -> None:
        for i, box in enumerate(self.slide_boxes):
            box.layout.display = None if i == index else "none"
        self._refresh_notes()

    def _refresh_notes(self) -> None:
        if self.notes_switch.value:
            slide = self.deck["slides"][self.controller.index]
            self.notes_view.value = notes_html(
                slide, number=self.current, total=len(self.deck["slides"])
            )
        else:
            self.notes_view.value = ""

    def _on_index(self, change) -> None:
        if self.controller.is_slide(change["new"]):
            self._show(change["new"])

    def _on_notes_switch(self, change) -> None:
        if not isinstance(change["new"], bool):
            self.notes_switch.value = False
            return
        self._refresh_notes()

    # -- display

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            # The widget's own text form repeats every slide's HTML; a line is enough.
            bundle["text/plain"] = f"{self.deck['title']} ({len(self.slide_boxes)} slides)"
        return bundle


def slides(*, start: int = 1) -> KeynoteDeck:
    """The keynote as a presentation for a Voilà page: one slide at a time, large type.

    Keys: Right, Page Down or Space for the next slide; Left or Page Up for the previous;
    Home and End for the first and last; F for full screen, Esc to leave it. The speaker
    notes appear only under the deck, and only after "Speaker notes" is switched on.
    """
    return KeynoteDeck(start=start)
