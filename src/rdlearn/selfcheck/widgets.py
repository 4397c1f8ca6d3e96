"""Self-check widgets: answer the questions, see a scored profile, keep it in the workbook.

The widgets only gather answers and show results; every value is checked again in Python
by :mod:`rdlearn.selfcheck.instruments` (a browser can send any value), and scoring happens in
:mod:`rdlearn.selfcheck.scoring`; the profile charts are built in :mod:`rdlearn.selfcheck.figures`.
Answers are saved privately in the participant's browser through
:class:`rdlearn.journal.reflection.BrowserStore` (key ``rdlearn:v1:selfcheck:<instrument>``), so
they appear in the downloadable workbook and come back when the page is reloaded.

Nothing here times the participant or scores speed. Every control has a visible label and
can be used with the keyboard, and every result is shown as a chart and as text.

Entry points: :func:`chronic_disconnection`, :func:`connection_frequency`,
:func:`outcome_confidence`; the quiz is in :mod:`rdlearn.selfcheck.quiz_panel`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import traitlets

from rdlearn.selfcheck import instruments as selfcheck
from rdlearn.selfcheck import scoring
from rdlearn.selfcheck._controls import (
    _css_name,
    _Dropdown,
    _make_store,
    _message_html,
    _now,
    _status_html,
    _ToggleButtons,
)
from rdlearn.selfcheck.figures import _LEUNG_CAVEAT, default_chart
from rdlearn.selfcheck.free_listing import FreeListingStep
from rdlearn.selfcheck.scoring import _fmt
from rdlearn.web.html import bullets, card, esc, tag

__all__ = [
    "PASS",
    "SelfCheckPanel",
    "chronic_disconnection",
    "connection_frequency",
    "outcome_confidence",
    "summary_html",
]

#: The option value of "Prefer not to say" (saved as ``None``).
PASS = "pass"
PASS_LABEL = "Prefer not to say"
_TOGGLE_MAX_POINTS = 5  # longer scales are shown as a drop-down list


def _scale_options(instrument: Mapping) -> list[tuple[str, Any]]:
    scale = instrument["scale"]
    options = []
    for point in range(scale["min"], scale["max"] + 1):
        label = scale["anchors"].get(point)
        options.append((f"{point} {label}" if label else str(point), point))
    options.append((PASS_LABEL, PASS))
    return options


def _to_option(value: int | None) -> Any:
    return PASS if value is None else value


# --------------------------------------------------------------------------- the panel


class SelfCheckPanel(widgets.VBox):
    """One self-check: its questions, a "Show my profile" button and the profile.

    Build it with :func:`chronic_disconnection`, :func:`connection_frequency` or
    :func:`outcome_confidence`.

    Attributes
    ----------
    instrument
        The instrument (with any strategies of the participant's own added).
    answers
        The valid answers so far, ``{answer key: value or None}``.
    controls
        The rating control of each answer key.
    free_listing
        The first step in the participant's own words, for an instrument with a
        ``free_listing`` prompt (else ``None``); the ``checklist`` is hidden until it is done.
    message
        Where a refused value is explained.
    """

    def __init__(
        self,
        instrument: Mapping,
        *,
        store: Any = None,
        clock: Callable[[], str] = _now,
        chart: Callable[[scoring.Result, Mapping], Any] | None = None,
    ):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("rd-selfcheck")
        self.add_class(_css_name(instrument["id"]))
        self.base = dict(instrument)
        self.instrument = dict(instrument)
        self.answers: dict[str, int | None] = {}
        self.own_texts: list[str] = []
        self.controls: dict[str, widgets.Widget] = {}
        self.reflect_on: str | None = None
        self._clock = clock
        self._chart = chart
        self._quiet = False
        ident = instrument["id"]
        self.store = store if store is not None else _make_store(f"selfcheck:{ident}")

        self.message = widgets.HTML()
        self.message.add_class(_css_name(ident, "message"))
        self.status = widgets.HTML()
        self.status.add_class(_css_name(ident, "status"))
        self.show_button = widgets.Button(description="Show my profile", button_style="primary",
                                          icon="")
        self.show_button.add_class(_css_name(ident, "show"))
        self.show_button.on_click(lambda _b: self.show_profile())
        self.summary = widgets.HTML()
        self.summary.add_class(_css_name(ident, "summary"))
        self.chart = widgets.Output(layout=widgets.Layout(width="100%"))
        self.chart.add_class(_css_name(ident, "chart"))
        self.reflection = widgets.VBox()
        self.reflection.add_class(_css_name(ident, "reflection"))

        self.own_box = widgets.VBox()
        self.own_section = widgets.VBox()
        if self.base.get("own_items"):
            self._build_own_section()

        items = [self._item_block(item) for item in self.base["items"]]
        self.checklist = widgets.VBox([
            *items,
            self.own_section,
            self.message,
            widgets.HBox([self.show_button, self.status]),
            self.summary,
            self.chart,
            self.reflection,
        ], layout=widgets.Layout(width="100%"))
        self.checklist.add_class(_css_name(ident, "checklist"))
        self.free_listing: FreeListingStep | None = None
        first: list[widgets.Widget] = []
        if self.base.get("free_listing"):
            # The list stays hidden until the person has written their own words or skipped.
            self.free_listing = FreeListingStep(self.base, on_reveal=self._show_checklist,
                                                on_change=self.save)
            self.checklist.layout.display = "none"
            first = [self.free_listing]
        self.children = [widgets.HTML(self._intro_html()), *first, self.checklist, self.store]
        self.store.observe(self._on_store, names="value")
        if getattr(self.store, "value", None):
            self.restore(self.store.value)

    # ----------------------------------------------------------------- building

    @property
    def checklist_shown(self) -> bool:
        """Whether the list of items is shown (after the free listing, where there is one)."""
        return self.checklist.layout.display != "none"

    def _show_checklist(self) -> None:
        self.checklist.layout.display = None

    def _intro_html(self) -> str:
        inst = self.base
        body = tag("p", inst["purpose"])
        if inst.get("instructions"):
            body += tag("p", inst["instructions"])
        body += tag("p", inst["not_a_measure"], class_="rd-small")
        body += tag("p", "Where the idea comes from: " + inst["construct_source"]["text"],
                    class_="rd-cite")
        if inst.get("groups_note"):
            body += tag("p", inst["groups_note"], class_="rd-small")
        body += tag("p", "Your answers are saved only in this browser.", class_="rd-small")
        return card(inst["title"], body, kind="exercise", heading_level=2)

    def _control(self, item: Mapping, context: Mapping) -> widgets.Widget:
        inst = self.base
        key = selfcheck.answer_key(item["id"], context["id"])
        options = _scale_options(inst)
        description = context["short"] or "My answer"
        points = inst["scale"]["max"] - inst["scale"]["min"] + 1
        if points <= _TOGGLE_MAX_POINTS:
            control = _ToggleButtons(
                options=options, value=None, description=description,
                description_allow_html=False,
                tooltips=[f"{item['label']}, {description}: {label}" for label, _ in options],
                style={"button_width": "auto"},
                layout=widgets.Layout(width="auto", flex_flow="row wrap"),
            )
        else:
            # Every item's list is labelled "My answer" on screen, under the item's text;
            # a screen reader, moving from list to list, also hears which item it is.
            spoken = tag("span", f"{item['label']}: ", class_="rd-visually-hidden")
            control = _Dropdown(
                options=[("Choose…", None), *options], value=None,
                description=spoken + esc(description), description_allow_html=True,
                layout=widgets.Layout(width="auto"),
            )
        control.add_class(_css_name(inst["id"], item["id"], context["id"]))
        control.on_refused = self._refuse
        control.observe(lambda change, key=key: self._on_change(key, change), names="value")
        self.controls[key] = control
        return control

    def _item_block(self, item: Mapping) -> widgets.Widget:
        heading = widgets.HTML(tag("p", item["text"], class_="rd-sc-item-text"))
        controls = [self._control(item, ctx) for ctx in self.instrument["contexts"]]
        block = widgets.VBox([heading, *controls])
        block.add_class("rd-sc-item")
        return block

    def _build_own_section(self) -> None:
        own = self.base["own_items"]
        ident = self.base["id"]
        self.own_text = widgets.Text(
            value="", description="My own strategy", description_allow_html=False,
            placeholder=f"In your own words, up to {own['max_chars']} characters",
            continuous_update=False, layout=widgets.Layout(width="100%"),
        )
        self.own_text.add_class(_css_name(ident, "own-text"))
        self.own_add = widgets.Button(description="Add this strategy")
        self.own_add.add_class(_css_name(ident, "own-add"))
        self.own_add.on_click(lambda _b: self.add_own(self.own_text.value))
        intro = widgets.HTML(tag("h3", "Strategies of my own") + tag(
            "p", f"Add up to {own['max']} ways of disconnecting that are not in the list, and "
            "rate them in the same way. What you write stays in this browser.",
            class_="rd-small"))
        self.own_section.children = [intro, self.own_box, self.own_text, self.own_add]

    def _rebuild_own_rows(self) -> None:
        for key in [k for k in self.controls if k.startswith(selfcheck.OWN_GROUP + "-")]:
            self.controls.pop(key).close()
        self.instrument = selfcheck.with_own_items(self.base, self.own_texts)
        rows = []
        for index, item in enumerate(
            (it for it in self.instrument["items"] if it["group"] == selfcheck.OWN_GROUP),
            start=1,
        ):
            block = self._item_block(item)
            remove = widgets.Button(description="Remove this strategy")
            remove.add_class(_css_name(self.base["id"], item["id"], "remove"))
            remove.on_click(lambda _b, i=index: self.remove_own(i))
            block.children = [*block.children, remove]
            rows.append(block)
        self.own_box.children = rows
        self._quiet = True
        try:
            for key, value in self.answers.items():
                if key in self.controls:
                    self.controls[key].value = _to_option(value)
        finally:
            self._quiet = False
        full = len(self.own_texts) >= self.base["own_items"]["max"]
        self.own_add.disabled = full
        self.own_text.disabled = full

    # ----------------------------------------------------------------- answering

    def _refuse(self, text: str) -> None:
        self.message.value = _message_html(text)

    def _on_change(self, key: str, change: Mapping) -> None:
        if self._quiet:
            return
        new = change.get("new")
        previous = self.answers.get(key, "missing")
        if new is None:
            self.answers.pop(key, None)
            self.save()
            return
        value = None if new == PASS else new
        try:
            value = selfcheck.validate_answer(self.instrument, key, value)
        except ValueError as exc:
            self._refuse(f"{exc} Your previous answer is kept.")
            self._set_control(key, None if previous == "missing" else _to_option(previous))
            return
        self.answers[key] = value
        self.message.value = ""
        self.save()

    def _set_control(self, key: str, option: Any) -> None:
        control = self.controls.get(key)
        if control is None:
            return
        self._quiet = True
        try:
            control.value = option
        except traitlets.TraitError:
            control.value = None
        finally:
            self._quiet = False

    def answer(self, key: str, value: int | None) -> None:
        """Answer one question from Python, as a click would (``None`` = prefer not to say)."""
        if key not in self.controls:
            self._refuse(f"This self-check has no question called {key!r}.")
            return
        self._on_change(key, {"new": _to_option(value)})
        if self.answers.get(key, "missing") == value:
            self._set_control(key, _to_option(value))

    def add_own(self, text: str) -> bool:
        """Add a strategy of the participant's own; ``False`` (with a message) if refused."""
        own = self.base["own_items"]
        if len(self.own_texts) >= own["max"]:
            self._refuse(f"You can add up to {own['max']} strategies of your own.")
            return False
        try:
            cleaned = selfcheck.clean_own_text(self.base, text)
        except ValueError as exc:
            self._refuse(str(exc))
            return False
        self.own_texts.append(cleaned)
        self.own_text.value = ""
        self.message.value = ""
        self._rebuild_own_rows()
        self.save()
        return True

    def remove_own(self, index: int) -> None:
        """Remove the participant's own strategy number ``index`` (1 = the first)."""
        if not 1 <= index <= len(self.own_texts):
            return
        del self.own_texts[index - 1]
        moved: dict[str, int | None] = {}
        for key, value in self.answers.items():
            item, context = selfcheck.split_key(key)
            if not item.startswith(selfcheck.OWN_GROUP + "-"):
                moved[key] = value
                continue
            number = int(item.split("-", 1)[1])
            if number < index:
                moved[key] = value
            elif number > index:
                moved[selfcheck.answer_key(f"{selfcheck.OWN_GROUP}-{number - 1}", context)] = value
        self.answers = moved
        self._rebuild_own_rows()
        self.save()

    # ----------------------------------------------------------------- results

    def result(self) -> scoring.Result:
        """The current answers, scored."""
        return scoring.score(self.instrument, self.answers)

    def lines(self) -> list[str]:
        """The plain-text lines saved to the workbook."""
        result = self.result()
        lines = scoring.profile_lines(result)
        if self.free_listing is not None:
            lines[1:1] = self.free_listing.lines()
        if self.reflect_on:
            lines.append(f"Strategy I chose to reflect on: {self.reflect_on}")
            lines.extend(scoring.reflection_prompts(self.instrument, self.reflect_on))
        return lines

    def record(self) -> dict:
        """What is saved in the browser (the contract's ``selfcheck`` item)."""
        saved = {
            "type": "selfcheck",
            "instrument": self.base["id"],
            "title": self.base["title"],
            "lines": self.lines(),
            "answers": dict(self.answers),
            "updated": self._clock(),
        }
        if self.base.get("own_items"):
            saved["own_items"] = list(self.own_texts)
        if self.reflect_on:
            saved["reflect_on"] = self.reflect_on
        if self.free_listing is not None:
            saved["free_listing"] = self.free_listing.written
            saved["list_shown"] = self.free_listing.done
        return saved

    def save(self) -> None:
        """Save the answers in this browser (through the store)."""
        self._quiet = True
        try:
            self.store.value = self.record()
        except traitlets.TraitError as exc:
            self._refuse(f"Your answers could not be saved in this browser ({exc}).")
            return
        finally:
            self._quiet = False
        self.status.value = _status_html("Saved in this browser.")

    def _on_store(self, change: Mapping) -> None:
        if not self._quiet and change.get("new"):
            self.restore(change["new"])

    def restore(self, saved: Any) -> None:
        """Bring back answers saved earlier in this browser; anything invalid is left out."""
        if not isinstance(saved, Mapping) or saved.get("instrument") != self.base["id"]:
            return
        own = saved.get("own_items") or []
        if self.base.get("own_items") and isinstance(own, list):
            texts = []
            for text in own[: self.base["own_items"]["max"]]:
                try:
                    texts.append(selfcheck.clean_own_text(self.base, text))
                except ValueError:
                    continue
            self.own_texts = texts
            self._rebuild_own_rows()
        answers = saved.get("answers")
        if isinstance(answers, Mapping):
            restored = {}
            for key, value in answers.items():
                try:
                    restored[key] = selfcheck.validate_answer(self.instrument, str(key), value)
                except ValueError:
                    continue
            self.answers = restored
            self._quiet = True
            try:
                for key, control in self.controls.items():
                    control.value = _to_option(restored[key]) if key in restored else None
            finally:
                self._quiet = False
        if self.free_listing is not None:
            shown = saved.get("list_shown") is True or bool(self.answers or self.own_texts)
            self.free_listing.restore(saved.get("free_listing"), done=shown)
        choice = saved.get("reflect_on")
        if isinstance(choice, str) and choice in self._strategy_names():
            self.reflect_on = choice
        if self.answers:
            self.status.value = _status_html("Your earlier answers were restored from this "
                                             "browser.")

    def _strategy_names(self) -> list[str]:
        return [it["label"] for it in self.instrument["items"]]

    def show_profile(self) -> None:
        """Score the answers and show the profile: a text summary, a chart and prompts."""
        result = self.result()
        self.summary.value = summary_html(result, self.instrument)
        chart = self._chart or default_chart(self.base["id"])
        figure = chart(result, self.instrument) if chart else None
        if figure is not None:
            from rdlearn import figures

            self.chart.outputs = (figures.present(figure).output(),)
        self._show_reflection(result)
        self.save()

    def _show_reflection(self, result: scoring.Result) -> None:
        contexts = [c["id"] for c in self.instrument["contexts"]]
        if "therapy" in contexts:
            first = [it["label"] for it in scoring.most_present(result, context="therapy")]
        else:
            first = []
        names = first + [n for n in self._strategy_names() if n not in first]
        if len(names) < 2 or not self.base.get("own_items"):
            prompts = scoring.reflection_prompts(self.instrument)
            self.reflection.children = [widgets.HTML(card(
                "To reflect on", bullets(prompts), kind="exercise"))]
            return
        chooser = _Dropdown(
            options=[("Choose one…", None), *[(n, n) for n in names]],
            value=self.reflect_on if self.reflect_on in names else None,
            description="Reflect on", description_allow_html=False,
            layout=widgets.Layout(width="auto"),
        )
        chooser.add_class(_css_name(self.base["id"], "reflect-on"))
        chooser.on_refused = self._refuse
        prompts_html = widgets.HTML()

        def show(change: Mapping | None = None) -> None:
            choice = chooser.value
            if choice is not None and choice not in names:
                self._refuse("Please choose one of the strategies in the list.")
                return
            self.reflect_on = choice
            if choice is None:
                prompts_html.value = tag("p", "Choose one strategy to see questions about it.",
                                         class_="rd-small")
            else:
                prompts_html.value = bullets(
                    scoring.reflection_prompts(self.instrument, choice))
            if change is not None:
                self.save()

        chooser.observe(show, names="value")
        show()
        self.reflection.children = [
            widgets.HTML(tag("h3", "Reflect on one strategy") + tag(
                "p", "The strategies you rated as most present in your therapy work are "
                "listed first.", class_="rd-small")),
            chooser,
            prompts_html,
        ]
        self.reflection_chooser = chooser


# --------------------------------------------------------------------------- text and charts


def summary_html(result: scoring.Result, instrument: Mapping) -> str:
    """The profile as text (escaped HTML): scores, bands and the strategies most present."""
    parts = []
    scored = [g for g in result.groups if g.score is not None]
    if not scored:
        parts.append(tag("p", "Answer a few more questions to see a profile. You can pass "
                              "over any of them."))
    for g in scored:
        where = ", ".join(p for p in (g.label if len(instrument["groups"]) > 1 else "",
                                      g.context_label) if p) or "Your answers"
        text = (f"{where}: average {_fmt(g.average)} on the {result.scale['min']} to "
                f"{result.scale['max']} scale ({g.answered} of {g.total} answered).")
        if g.band:
            text += f" {g.band['label']}: {g.band['text']}"
        parts.append(tag("p", text))
    contexts = [c["id"] for c in instrument["contexts"]]
    if "therapy" in contexts:
        top = scoring.most_present(result, context="therapy")
        if top:
            parts.append(tag("p", "Most present in your therapy work:") + bullets(
                f"{it['label']} ({selfcheck.anchor_label(instrument, it['values']['therapy'])})"
                for it in top))
    if {"start", "end"} <= set(contexts):
        rows = [r for r in scoring.changes(result, before="start", after="end")
                if r["change"] is not None]
        if rows:
            parts.append(tag("p", "Change from the start to the end of the day:") + bullets(
                f"{r['text']} {r['before']} to {r['after']} ({r['change']:+d})" for r in rows))
    for entry in instrument.get("compare_with", []):
        from rdlearn.content import findings

        found = findings.finding(entry["finding"])
        parts.append(tag("p", f"{entry['label']}: average {_fmt(found['value'])} "
                              f"({findings.cite(entry['finding'])})."))
    if instrument.get("compare_with"):
        parts.append(tag("p", _LEUNG_CAVEAT, class_="rd-small"))
    parts.append(tag("p", instrument["not_a_measure"], class_="rd-small"))
    return card("My profile", "".join(parts), kind="info")


# --------------------------------------------------------------------------- entry points


def chronic_disconnection(*, store: Any = None, clock: Callable[[], str] = _now) -> SelfCheckPanel:
    """Session 4's self-check: everyday ways of disconnecting, and how far they come into therapy.

    It opens with a step in the participant's own words (the instrument's
    ``free_listing``); the list appears once they have written something or chosen "Skip
    to the list". Each strategy is rated twice (close everyday relationships; therapy
    work); the participant can add up to five of their own. The profile sets everyday and therapy
    side by side and ends with reflection prompts on one chosen strategy.
    """
    return SelfCheckPanel(selfcheck.load_instrument("chronic-disconnection"), store=store,
                          clock=clock)


def connection_frequency(
    form: str = "therapist", *, store: Any = None, clock: Callable[[], str] = _now
) -> SelfCheckPanel:
    """How often do you meet others at depth? ``form`` is ``"therapist"`` or ``"client"``.

    The result is shown beside the means of Leung's (2008) survey, a secondary source.
    """
    if form not in {"therapist", "client"}:
        raise ValueError("form must be 'therapist' or 'client'")
    return SelfCheckPanel(selfcheck.load_instrument(f"connection-frequency-{form}"),
                          store=store, clock=clock)


def outcome_confidence(*, store: Any = None, clock: Callable[[], str] = _now) -> SelfCheckPanel:
    """Confidence in each of the five learning outcomes, at the start and the end of the day."""
    return SelfCheckPanel(selfcheck.load_instrument("outcome-confidence"), store=store,
                          clock=clock)
