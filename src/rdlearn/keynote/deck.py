"""The research keynote as slides: ``data/keynote.yaml`` shown one slide at a time.

:func:`load_keynote` reads and checks the deck (``rdlearn check`` runs it): every chart
names a builder in :mod:`rdlearn.figures.charts`, every finding and source exists, every room
question exists and is marked for the keynote, and every number written on a slide or in
its notes is the value, sample size, count of studies, interval or scale point of one of
that slide's findings. :func:`slides` builds the presentation for a Voilà page.

How the slides are shown, and why
---------------------------------
Each slide is an ipywidgets ``VBox``: an ``HTML`` widget for the words and, when the slide
has a chart, an ``Output`` widget holding the chart's plotly mimetype bundle (from
:func:`rdlearn.figures.charts.present`) followed by its text description and data table. Voilà
draws those outputs with the locally served JupyterLab plotly extension, which is the only
place the plotly JavaScript exists on the page; drawing charts inside a custom widget would
mean shipping plotly's JavaScript a second time, and Voilà's reveal template loads its
stylesheets from a CDN. A small anywidget (``keynote/slides.js``, read from the package, no
CDN) draws the Previous/Next buttons, the "slide n of N" counter, the full-screen button
and an ``aria-live`` announcement, handles the keys, and shows one slide at a time with a
style rule scoped to its deck, so that moving on needs no round trip to the kernel. The
kernel hears the new slide number, checks it, and keeps the slides' layouts and the
speaker notes in step.

Speaker notes never enter the audience's page: the notes panel sits outside the deck
(so full screen shows only the slides), its "Speaker notes" switch is off when the page
opens, and the notes' text is sent to the browser only while the switch is on.

Examples
--------
>>> deck = load_keynote()
>>> deck["slides"][0]["id"]
'title'
>>> numbers_in("78.2% of 119 clients in 2008")
[(78.2, 1, True), (119.0, 0, False)]
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.figures.names import CHART_BUILDERS
from rdlearn.web import assets
from rdlearn.web.html import bullets, esc, tag

__all__ = [
    "KEYNOTE_FILE",
    "load_keynote",
    "numbers_in",
    "untraced_numbers",
    "running_time",
    "slide_html",
    "audience_html",
    "notes_html",
    "references",
    "slides",
    "KeynoteDeck",
    "hall_panel",
]

KEYNOTE_FILE = "keynote.yaml"
STATIC = Path(__file__).resolve().parent

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BUILDER = re.compile(r"^[a-z][a-z0-9_]*$")

# A number as people write it: 78.2, .76, 1,086, 98% or 10 per cent. Digits glued to a
# letter (PHQ-9, 2011b) are names, not statistics.
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?![\w]|\.\d)"
    r"(?P<pct>\s?%|\s?per\s?cent)?"
)
_NAME_BEFORE = re.compile(r"[A-Za-z]-$")


# --------------------------------------------------------------------------- numbers


def numbers_in(text: str) -> list[tuple[float, int, bool]]:
    """The numbers in ``text`` that read as statistics: ``(value, decimals, is_percent)``.

    Years (1900 to 2099 written without decimals) and digits that are part of a name
    (``PHQ-9``, ``2011b``) are left out.

    >>> numbers_in("median r = .76 in 80 pairs (Cooper, 2012); 10 to 30 per cent")
    [(0.76, 2, False), (80.0, 0, False), (10.0, 0, False), (30.0, 0, True)]
    """
    found = []
    for match in _NUMBER.finditer(str(text)):
        if _NAME_BEFORE.search(text[: match.start()]):
            continue
        raw = match.group("num")
        value = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        percent = bool(match.group("pct"))
        if decimals == 0 and not percent and "," not in raw and 1900 <= value <= 2099:
            continue
        found.append((value, decimals, percent))
    return found


def _finding_numbers(finding: Mapping[str, Any]) -> list[float]:
    """Every number a slide may quote from a finding: value, n, k, interval, scale points."""
    values = [finding.get(key) for key in ("value", "n", "k", "ci_low", "ci_high")]
    values += [v for v, _, _ in numbers_in(finding.get("scale") or "")]
    return [abs(float(v)) for v in values if v is not None]


def _matches(number: tuple[float, int, bool], candidates: Iterable[float]) -> bool:
    value, decimals, percent = number
    tolerance = 0.5 * 10 ** (-decimals) + 1e-9
    for candidate in candidates:
        options = [candidate]
        if percent and candidate <= 1:
            options.append(candidate * 100)
        if any(abs(value - option) <= tolerance for option in options):
            return True
    return False


def untraced_numbers(text: str, findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The numbers in ``text`` that are not a number of any of ``findings`` (as written).

    >>> f = {"value": 78.2, "n": 119}
    >>> untraced_numbers("78.2% of 119 clients, 45% of them", [f])
    ['45%']
    """
    candidates = [c for f in findings for c in _finding_numbers(f)]
    bad = []
    for number in numbers_in(text):
        if not _matches(number, candidates):
            value, decimals, percent = number
            shown = f"{value:.{decimals}f}" + ("%" if percent else "")
            bad.append(shown)
    return bad


# --------------------------------------------------------------------------- loading

_SLIDE_KEYS = {
    "id", "title", "body", "figure", "finding_ids", "sources", "room_question", "notes",
    "minutes", "extra_minutes", "references",
}


def _is_minutes(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _id_list(slide: Mapping, key: str, *, where: str) -> list[str]:
    value = slide.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(KEYNOTE_FILE, f"{where}, key '{key}'", "expected a list of ids")
    return value


def _check_slide(slide: Any, index: int, *, seen: set[str], findings: Mapping,
                 sources: Mapping, questions: Mapping, builders: set[str]) -> None:
    f = KEYNOTE_FILE
    where = f"slide {index}"
    content.require(slide, [("id", str), ("title", str), ("body", list), ("notes", str)],
                    file=f, where=where)
    where = f"slide {index} ({slide['id']})"
    if not _ID.match(slide["id"]):
        raise ContentError(f, where, "id must be lower-case letters, digits and hyphens")
    if slide["id"] in seen:
        raise ContentError(f, where, f"duplicate slide id {slide['id']!r}")
    seen.add(slide["id"])
    unknown = sorted(set(slide) - _SLIDE_KEYS)
    if unknown:
        raise ContentError(f, where, f"unknown key(s): {', '.join(unknown)}")
    if not slide["body"] or not all(isinstance(b, str) and b.strip() for b in slide["body"]):
        raise ContentError(f, f"{where}, key 'body'", "expected a list of short bullet points")
    if not _is_minutes(slide.get("minutes")) or slide["minutes"] == 0:
        raise ContentError(f, f"{where}, key 'minutes'", "must be a number of minutes above 0")
    if "extra_minutes" in slide and not _is_minutes(slide["extra_minutes"]):
        raise ContentError(f, f"{where}, key 'extra_minutes'", "must be 0 or more minutes")
    if "references" in slide and not isinstance(slide["references"], bool):
        raise ContentError(f, f"{where}, key 'references'", "must be true or false")

    figure = slide.get("figure")
    if figure is not None:
        if not isinstance(figure, str) or not _BUILDER.match(figure):
            raise ContentError(f, f"{where}, key 'figure'", "must name a chart builder")
        if figure not in builders:
            raise ContentError(f, f"{where}, key 'figure'",
                               f"there is no chart {figure!r} in rdlearn.figures "
                               f"(known: {', '.join(sorted(builders))})")

    for fid in _id_list(slide, "finding_ids", where=where):
        if fid not in findings:
            raise ContentError(f, f"{where}, key 'finding_ids'",
                               f"there is no finding {fid!r} in findings.csv")
    for sid in _id_list(slide, "sources", where=where):
        if sid not in sources:
            raise ContentError(f, f"{where}, key 'sources'",
                               f"there is no source {sid!r} in sources.csv")

    qid = slide.get("room_question")
    if qid is not None:
        if not isinstance(qid, str) or qid not in questions:
            raise ContentError(f, f"{where}, key 'room_question'",
                               f"there is no room question {qid!r} in questions.yaml")
        if not getattr(questions[qid], "keynote", False):
            raise ContentError(f, f"{where}, key 'room_question'",
                               f"question {qid!r} is not marked 'keynote: true' in questions.yaml")

    its_findings = [findings[fid] for fid in slide.get("finding_ids", [])]
    for part in ("title", "body", "notes"):
        text = "\n".join(slide[part]) if part == "body" else slide[part]
        bad = untraced_numbers(text, its_findings)
        if bad:
            raise ContentError(
                f, f"{where}, key '{part}'",
                f"the number(s) {', '.join(bad)} are not values of this slide's findings; "
                "add the finding id to finding_ids, or correct the number",
            )


def load_keynote() -> dict:
    """The keynote's slides from ``data/keynote.yaml``, checked.

    Returns ``{"title", "subtitle", "slides": [{"id", "title", "body", "notes", "minutes",
    ...}, ...]}``. Raises :class:`~rdlearn.content.loader.ContentError` naming the file, the slide
    and the problem, e.g. ``data file keynote.yaml, slide 8 (prevalence-survey), key
    'body': the number(s) 97% are not values of this slide's findings; ...``.
    """
    from rdlearn.content import findings as findings_module
    from rdlearn.room import questions as room_questions

    f = KEYNOTE_FILE
    data = content.load_yaml(f)
    content.require(data, [("title", str), ("subtitle", str), ("slides", list)],
                    file=f, where="top level")
    if not data["slides"]:
        raise ContentError(f, "slides", "the deck has no slides")
    findings = findings_module.load_findings()
    sources = findings_module.load_sources()
    questions = room_questions.load_questions()
    builders = set(CHART_BUILDERS)
    seen: set[str] = set()
    for index, slide in enumerate(data["slides"], start=1):
        _check_slide(slide, index, seen=seen, findings=findings, sources=sources,
                     questions=questions, builders=builders)
    return data


def running_time(deck: Mapping | None = None, *, long_version: bool = False) -> float:
    """Minutes the talk takes: the one-hour version, or with ``long_version`` the longer one."""
    deck = deck if deck is not None else load_keynote()
    total = 0.0
    for slide in deck["slides"]:
        total += slide["minutes"] + (slide.get("extra_minutes", 0) if long_version else 0)
    return total


# --------------------------------------------------------------------------- HTML


def _citations(slide: Mapping) -> list[str]:
    from rdlearn.content import findings

    cited = [findings.cite(fid) for fid in slide.get("finding_ids", [])]
    cited += [findings.cite(sid) for sid in slide.get("sources", [])]
    return list(dict.fromkeys(cited))


def references(deck: Mapping | None = None) -> list[str]:
    """Full references for every source the deck cites, sorted by author."""
    from rdlearn.content import findings

    deck = deck if deck is not None else load_keynote()
    all_findings = findings.load_findings()
    all_sources = findings.load_sources()
    ids: list[str] = []
    for slide in deck["slides"]:
        for fid in slide.get("finding_ids", []):
            row = all_findings[fid]
            ids.append(row["source_id"])
            if row.get("reported_in"):
                ids.append(row["reported_in"])
        ids.extend(slide.get("sources", []))
    unique = dict.fromkeys(ids)
    rows = sorted((all_sources[i] for i in unique), key=lambda s: (s["authors"], s["year"]))
    return [findings.reference(row["id"]) for row in rows]


def _room_question_html(question_id: str) -> str:
    from rdlearn.room import questions as room_questions

    q = room_questions.question(question_id)
    return (
        f'<aside class="rd-slide__question" data-question-id="{esc(question_id)}">'
        + tag("p", "Room question", class_="rd-slide__question-label")
        + tag("p", q.text, class_="rd-slide__question-text")
        + tag("p", "Answer anonymously on your own device. The facilitator opens this "
                   "question from the facilitator console.", class_="rd-slide__question-how")
        + "</aside>"
    )


def slide_html(slide: Mapping, *, number: int, total: int, deck: Mapping | None = None) -> str:
    """The audience's view of one slide (words only; never the speaker notes).

    The chart, if any, is shown beside this HTML by :func:`slides`.
    """
    heading_level = "h1" if number == 1 else "h2"
    parts = [tag(heading_level, slide["title"], class_="rd-slide__title")]
    parts.append(bullets(slide["body"], class_="rd-slide__points"))
    if slide.get("room_question"):
        parts.append(_room_question_html(slide["room_question"]))
    if slide.get("references"):
        parts.append(
            '<ol class="rd-slide__references">'
            + "".join(tag("li", ref) for ref in references(deck))
            + "</ol>"
        )
    cited = _citations(slide)
    if cited:
        parts.append(tag("p", "Sources: " + "; ".join(cited) + ".", class_="rd-slide__sources"))
    return (
        f'<div class="rd-slide__text" data-slide-id="{esc(slide["id"])}" role="group" '
        f'aria-roledescription="slide" aria-label="{esc(f"Slide {number} of {total}")}">'
        + "".join(parts) + "</div>"
    )


def audience_html(deck: Mapping | None = None) -> str:
    """Every slide's audience HTML, in order (what the room can ever see, charts aside)."""
    deck = deck if deck is not None else load_keynote()
    total = len(deck["slides"])
    return "".join(
        slide_html(s, number=i, total=total, deck=deck)
        for i, s in enumerate(deck["slides"], start=1)
    )


def notes_html(slide: Mapping, *, number: int, total: int) -> str:
    """The speaker's notes for one slide, with its timing (for the speaker view only)."""
    minutes = slide["minutes"]
    extra = slide.get("extra_minutes", 0)
    timing = f"About {minutes:g} min in the one-hour talk"
    timing += f", {minutes + extra:g} min in the two-hour talk." if extra else "."
    return (
        '<div class="rd-notes">'
        + tag("p", f"Slide {number} of {total}: {slide['title']}", class_="rd-notes__title")
        + tag("p", timing, class_="rd-notes__timing")
        + tag("p", slide["notes"], class_="rd-notes__text")
        + "</div>"
    )


# --------------------------------------------------------------------------- widgets


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


# --------------------------------------------------------------------------- the hall

_HALL_ESM = """
export default {
  render({ model, el }) {
    el.style.display = "none";
    const code = new URLSearchParams(window.location.search).get("workshop") || "";
    model.set("origin", window.location.origin.slice(0, 200));
    model.set("code", code.slice(0, 32));
    let tick = model.get("tick");
    model.set("tick", ++tick);
    model.save_changes();
    const timer = setInterval(() => {
      if (document.hidden) return;
      model.set("tick", ++tick);
      model.save_changes();
    }, 1000);
    return () => clearInterval(timer);
  },
};
"""


@functools.cache
def _hall_link_class():
    import anywidget
    import traitlets

    class HallLink(anywidget.AnyWidget):
        """The keynote page's address (origin and ``?workshop=``) and a one-second tick."""

        _esm = _HALL_ESM
        origin = traitlets.Unicode("").tag(sync=True)
        code = traitlets.Unicode("").tag(sync=True)
        tick = traitlets.Int(0).tag(sync=True)

        def set_state(self, sync_data: dict) -> None:
            accepted = {}
            for name in ("origin", "code"):
                value = sync_data.get(name)
                if isinstance(value, str) and len(value) <= 200:
                    accepted[name] = value
            tick = sync_data.get("tick")
            if isinstance(tick, int) and not isinstance(tick, bool) and 0 <= tick < 2**31:
                accepted["tick"] = tick
            if accepted:
                super().set_state(accepted)

    return HallLink


def hall_panel(*, workshop: str | None = None, address: str | None = None, store=None):
    """The hall's view for the keynote page: join address and QR code, live count, results.

    The workshop is ``workshop``, else ``?workshop=`` in the keynote page's address, else
    the workshop opened last on this server. The join address is ``address`` (e.g.
    ``http://192.168.1.20:8866``, what phones in the hall can reach), else the address that
    ``rdlearn serve --lan`` found (environment variable ``RDLEARN_PUBLIC_URL``), else the
    address the keynote page was opened at. The question is the one opened in the
    facilitator console; the count updates every second, and once the question is
    revealed with five or more answers the room is shown beside the research (or as a
    table). Returns a ``VBox``
    with a ``refresh()`` method.
    """
    import ipywidgets as w

    from rdlearn.room import audience
    from rdlearn.room import questions as room_questions
    from rdlearn.room import widgets as room_widgets
    from rdlearn.room.store import Store, StoreError

    shared = store if store is not None else Store()
    link = _hall_link_class()()
    join = w.HTML("")
    join.add_class("rd-hall-join")
    count = w.HTML("")
    count.add_class("rd-hall-count")
    results = w.VBox()
    results.add_class("rd-hall-results")
    questions = room_questions.load_questions()
    state: dict[str, Any] = {"join": "", "shown": None, "research": None, "last": None}

    def pick_code() -> str | None:
        for candidate in (workshop, link.code):
            if candidate:
                try:
                    return room_questions.normalise_workshop_code(candidate)
                except room_questions.WorkshopCodeError:
                    continue
        open_now = shared.workshops()
        return open_now[-1] if open_now else None

    def refresh(_=None) -> None:
        try:
            code = pick_code()
        except StoreError as exc:
            count.value = tag("p", f"The room's answers cannot be read just now ({exc}).",
                              role="status")
            return
        if code is None:
            join.value = tag("p", "Open a workshop in the facilitator console first; its "
                                  "join address and QR code then appear here.")
            return
        origin = address or os.environ.get("RDLEARN_PUBLIC_URL") or link.origin
        try:
            url = audience.join_url(origin, code) if origin else None
        except ValueError:
            url = None
        if url != state["join"]:
            state["join"] = url
            if url is None:
                join.value = tag("p", f"Workshop {code}: pass address= (the address phones "
                                      "in the hall can reach) to show the QR code.")
            else:
                join.value = (tag("p", "Answer on your phone: scan the code or open",
                                  class_="rd-hall-join__lead")
                              + tag("p", url, class_="rd-hall-join__url")
                              + f'<div class="rd-hall-join__qr" role="img" '
                                f'aria-label="{esc("QR code for " + url)}">'
                              + audience.qr_svg(url) + "</div>")
        try:
            hall = audience.state_for(shared, code, questions, question_id=state["last"])
        except (StoreError, audience.AudienceError) as exc:
            count.value = tag("p", getattr(exc, "message", str(exc)), role="status")
            return
        q = hall.get("question")
        if not q:
            count.value = tag("p", hall.get("message", ""), role="status")
            results.children = ()
            return
        state["last"] = q["id"]
        n = hall["count"]
        count.value = tag("p", f"{q['text']} · {n} answer{'s' if n != 1 else ''} · "
                               + ("open" if hall["open"] else "closed"), role="status")
        shown = (q["id"], n, hall["results"] is not None)
        if shown == state["shown"]:
            return
        state["shown"] = shown
        if hall["results"] is None:
            results.children = ()
            return
        question = questions[q["id"]]
        if question.research:
            room_widgets.participant_room().code = code
            if state["research"] is None or state["research"][0] != q["id"]:
                state["research"] = (q["id"], room_widgets.room_vs_research(q["id"], store=shared))
            box = state["research"][1]
            box.show()
            results.children = (box,)
        else:
            summary = room_questions.aggregate(question, shared.answers(code, q["id"]))
            results.children = (w.HTML(room_questions.results_html(question, summary)),)

    link.observe(refresh, names="tick")
    panel = w.VBox([link, join, count, results])
    panel.add_class("rd-hall")
    panel.refresh = refresh  # type: ignore[attr-defined]
    panel.link = link  # type: ignore[attr-defined]
    refresh()
    return panel
