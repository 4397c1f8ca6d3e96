"""The keynote's slides widget: the deck one slide at a time, and the presenter window.

Each slide is an ipywidgets ``VBox``: an ``HTML`` widget for the words and, when the slide
has a chart, an ``Output`` widget holding the slides' version of the chart
(:func:`rdlearn.figures.theme.for_projection`: text sized for a hall, title and source as
HTML around it). The page draws the chart with the template's ``charts.js`` and the app's
own plotly.js, so no plotly extension and no CDN is needed. A small anywidget
(``keynote/slides.js``, read from the package) draws the Previous/Next buttons, the "slide
n of N" counter, the full-screen and presenter buttons and an ``aria-live`` announcement,
handles the keys, and shows one slide at a time with a style rule scoped to its deck, so
that moving on needs no round trip to the kernel. In full screen the slides are laid out
on a 1920x1080 canvas scaled to the screen, so a slide that fits one 16:9 size fits all.

Speaker notes never enter the projected page: they are sent (as a message, never as
widget state) only when the speaker opens the presenter window (``S`` or the "Presenter
view" button), and only that window's page shows them (:mod:`rdlearn.keynote.presenter`).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from typing import Any

from rdlearn.content.loader import ContentError
from rdlearn.keynote import presenter
from rdlearn.keynote.deck import load_keynote, slide_html
from rdlearn.web import assets
from rdlearn.web.html import tag

__all__ = ["KeynoteDeck", "slides"]


def _chart_outputs(builder_name: str) -> list[dict]:
    """The chart as Output-widget outputs: the chart, its text description and table."""
    from rdlearn import figures
    from rdlearn.figures.theme import for_projection

    try:
        return [figures.present(for_projection(getattr(figures, builder_name)())).output()]
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

        ``index`` (from 0) is written by the browser. A number past the end shows the last
        slide and a negative one the first (a browser can send anything); a value that is
        not a whole number leaves the slide where it was. Either way the browser is told the
        slide really shown, and nothing alarming is said.
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

        _shown = 0  # the last slide really shown (a value not understood returns to it)

        @traitlets.validate("index")
        def _clamp_index(self, proposal):
            value = proposal["value"]
            if not isinstance(value, int) or isinstance(value, bool):
                return self._shown if self.is_slide(self._shown) else 0
            return max(0, min(self.count - 1, value))

        @traitlets.observe("index")
        def _remember_index(self, change):
            if self.is_slide(change["new"]):
                self._shown = change["new"]

    return SlideController


def _widgets():
    import ipywidgets

    return ipywidgets


class KeynoteDeck:
    """The presentation: the deck of slides (the presenter window opens from it).

    Display it (it shows as its :attr:`widget`). ``go_to(n)`` moves to slide ``n``
    (counting from 1); :attr:`current` is the slide shown now (from 1).
    """

    def __init__(self, deck: Mapping | None = None, *, start: int = 1, store=None):
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
        self.canvas = widgets.VBox([*self.slide_boxes, self.controller])
        self.canvas.add_class("rd-canvas")
        self.slides_box = widgets.VBox([self.canvas])
        self.slides_box.add_class("rd-deck")
        self.slides_box.add_class(self.deck_class)
        self.widget = widgets.VBox([self.slides_box])
        self.widget.add_class("rd-keynote")
        self._store = store

        self.controller.observe(self._on_index, names="index")
        self.controller.on_msg(self._on_message)
        self._show(self.controller.index)

    # -- state

    @property
    def current(self) -> int:
        """The slide shown now, counting from 1."""
        return int(self.controller.index) + 1

    def go_to(self, number: int) -> None:
        """Show slide ``number`` (from 1): past the end the last, below 1 the first.

        A value that is not a whole number leaves the slide unchanged.
        """
        if isinstance(number, bool) or not isinstance(number, int):
            return
        self.controller.index = number - 1

    def _show(self, index: int) -> None:
        for i, box in enumerate(self.slide_boxes):
            box.layout.display = None if i == index else "none"

    def _on_index(self, change) -> None:
        if self.controller.is_slide(change["new"]):
            self._show(change["new"])

    # -- the presenter window's requests

    def store(self):
        """The room's store (opened on first use: a deck without room questions needs none)."""
        if self._store is None:
            from rdlearn.room.store import Store

            self._store = Store()
        return self._store

    def answer(self, request: Any) -> dict | None:
        """The reply to one request of the presenter window (``None`` for one not understood).

        ``{"kind": "presenter"}`` gives :func:`~rdlearn.keynote.presenter.presenter_data`;
        ``{"kind": "count", "question", "workshop"}`` the hall's answer count;
        ``{"kind": "reveal", "question", "key", "workshop"}`` reveals behind the key.
        """
        if not isinstance(request, Mapping):
            return None
        kind = request.get("kind")
        if kind == "presenter":
            return {"kind": "presenter", **presenter.presenter_data(self.deck)}
        if kind == "count":
            return {"kind": "count", **presenter.room_count(
                self.store(), request.get("question"), workshop=request.get("workshop"))}
        if kind == "reveal":
            reply = presenter.reveal_question(self.store(), request.get("question"),
                                              request.get("key"),
                                              workshop=request.get("workshop"))
            return {"kind": "reveal", "question": request.get("question"), **reply}
        return None

    def _on_message(self, _widget, content, _buffers) -> None:
        reply = self.answer(content)
        if reply is not None:
            self.controller.send(reply)

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
    Home and End for the first and last; F for full screen, Esc to leave it; S for the
    presenter window (current and next slide, speaker notes, clock and time left, the
    hall's answer count and a reveal behind the facilitator key).
    """
    return KeynoteDeck(start=start)
