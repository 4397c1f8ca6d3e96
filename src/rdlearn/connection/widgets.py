"""Widgets for the connection-rating pairs exercise (session 3).

* :func:`connection_rating` lets two partners start or join a pair (each on their own
  device, or both on one), prompts each of them privately at the end of every minute
  for a rating from 0 to 10, and shows their result once both have finished.
* :func:`demonstration` shows the same result view for a simulated pair (keynote).
* :func:`connection_figure` and :func:`result_view` turn a :class:`rdlearn.connection.exercise.PairResult`
  into the chart and the words.
* :func:`room_connection_view` shows the room the spread of r from the pairs who chose to
  share it, once the facilitator has revealed it (five pairs or more), beside Cooper's
  median; :func:`room_connection_figure` draws it.

The rules live in :mod:`rdlearn.connection.exercise`; these widgets only gather values and show
results. Every value from a browser is checked there, every text is escaped.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.connection import exercise
from rdlearn.connection.exercise import (
    CLIENT,
    ROLE_NAMES,
    ROLES,
    THERAPIST,
    PairError,
    PairResult,
    PairStore,
)
from rdlearn.room import questions as room_questions
from rdlearn.room.store import StoreError
from rdlearn.web import assets
from rdlearn.web.html import bullets, tag

__all__ = [
    "TOKEN_KEY",
    "LIMITATIONS",
    "PairLink",
    "ConnectionRating",
    "connection_rating",
    "demonstration",
    "connection_figure",
    "result_view",
    "study_html",
    "RoomConnectionView",
    "room_connection_view",
    "room_connection_figure",
]

#: Where the browser keeps its pair token (and the last pair code), as a JSON object.
TOKEN_KEY = "rdlearn:v1:pair-token"

_REFRESH_EVERY = 0.2  # seconds of the clock: ticks arriving faster are ignored
_HEARTBEAT_EVERY = 10.0  # seconds between "still here" notes to the store
_ROOM_REFRESH_EVERY = 0.5  # seconds between looks at the room's shared r values
_BAND = 0.2  # width of the bands of r in the room's chart

_LOW_ANCHOR = "0 = not at all connected"
_HIGH_ANCHOR = "10 = deeply connected"

#: What to keep in mind when comparing a pair with Cooper's study, in our own words.
LIMITATIONS = (
    "The study used analogue sessions: short practice role-plays, not therapy with real "
    "clients.",
    "Everyone taking part was a trainee or practising therapist, including the people "
    "playing clients, who may tune in to a partner unusually well.",
    "Stopping every minute to give a rating interrupts the very relating being rated.",
    "It measured a felt sense of connection, which is not the same as a moment of "
    "relational depth.",
    "If both partners simply warm up as the session goes on, their ratings rise together "
    "and r goes up, even without minute-to-minute matching.",
)

_CSS = """<style>
.rd-pairs-code { font-size: 2.4rem; font-weight: 700; letter-spacing: .18em;
  font-variant-numeric: tabular-nums; }
.rd-pairs-prompt p { font-size: 1.4rem; font-weight: 600; }
.rd-pairs-rating .widget-toggle-button { min-width: 2.8rem; font-size: 1.2rem; }
.rd-pairs-message p, .rd-pairs-partner p { color: var(--rd-warn, #8a4b00); font-weight: 600; }
.rd-pairs-r { font-size: 1.6rem; font-weight: 700; }
.rd-pairs-simulated { border: 3px solid #D55E00; color: #D55E00; font-weight: 700;
  padding: .5rem 1rem; border-radius: 8px; }
</style>"""


# --------------------------------------------------------------------------- the browser link


class PairLink(anywidget.AnyWidget):
    """An invisible link to the browser: its pair token, the last pair code, ticks, the cue.

    Only a valid token, a valid pair code and a whole-number tick are accepted from the
    browser. Increasing ``cue`` plays a gentle tone there (when ``sound`` is on).
    """

    _esm = assets.esm("connection.js")
    token = traitlets.Unicode("").tag(sync=True)
    remembered = traitlets.Unicode("").tag(sync=True)
    remember = traitlets.Unicode("").tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    interval_ms = traitlets.Int(1000).tag(sync=True)
    cue = traitlets.Int(0).tag(sync=True)
    sound = traitlets.Bool(True).tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        accepted: dict[str, Any] = {}
        if "token" in sync_data and room_questions.normalise_token(sync_data["token"]):
            accepted["token"] = sync_data["token"]
        if "remembered" in sync_data:
            try:
                accepted["remembered"] = exercise.normalise_pair_code(sync_data["remembered"])
            except PairError:
                pass
        tick = sync_data.get("tick")
        if isinstance(tick, int) and not isinstance(tick, bool) and 0 <= tick < 2**31:
            accepted["tick"] = tick
        if accepted:
            super().set_state(accepted)


class _Choice(w.ToggleButtons):
    """Toggle buttons that refuse a value the browser should not send, and say so."""

    def __init__(self, *, message: w.HTML, **kwargs: Any):
        self._message = message
        super().__init__(**kwargs)

    def set_state(self, sync_data: dict) -> None:
        try:
            super().set_state(sync_data)
        except (traitlets.TraitError, TypeError, ValueError):
            _say(self._message, "That choice is not one of the buttons shown; please choose "
                                "again.", role="alert")


def _html(kind: str) -> w.HTML:
    box = w.HTML("")
    box.add_class(f"rd-pairs-{kind}")
    return box


def _say(box: w.HTML, text: str = "", *, role: str = "status") -> None:
    box.value = tag("p", text, role=role) if text else ""


def _show(widget: w.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"


def _minutes_list(minutes: list[int]) -> str:
    return ", ".join(str(m) for m in minutes)


# --------------------------------------------------------------------------- the result


def _published() -> tuple[dict, dict, dict, dict]:
    from rdlearn.content import findings

    return tuple(findings.finding(i) for i in (
        "cooper2012-median-r", "cooper2013-review-mean-r", "cooper2012-dyads",
        "cooper2012-session-minutes"))


def _r_words(result: PairResult) -> str:
    corr = result.summary["correlation"]
    if corr["r"] is None:
        return f"Your r could not be computed: it {corr['reason']}."
    return f"r = {corr['r']:.2f} over the {corr['n']} minutes you both rated"


def connection_figure(result: PairResult):
    """The two partners' ratings as two lines, with their r beside the study's figures.

    Client and therapist have distinct Okabe-Ito colours, line dashes and markers; a
    missed minute is a gap in the line, never a made-up point.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from rdlearn.content import findings
    from rdlearn.figures import charts as figures

    median, mean, dyads, _ = _published()
    label = " (simulated)" if result.simulated else ""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.68, 0.32], horizontal_spacing=0.16,
                        subplot_titles=("Connection, minute by minute",
                                        "How closely the ratings move together (r)"))
    xs = list(range(1, result.minutes + 1))
    fig.add_trace(go.Scatter(
        x=xs, y=result.client, mode="lines+markers", name=f"Client{label}", connectgaps=False,
        line={"color": figures.OKABE_ITO["orange"], "width": 3, "dash": "dash"},
        marker={"symbol": "diamond", "size": 10}), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=xs, y=result.therapist, mode="lines+markers", name=f"Therapist{label}",
        connectgaps=False, line={"color": figures.OKABE_ITO["blue"], "width": 3},
        marker={"symbol": "circle", "size": 9}), row=1, col=1)
    ours = "This simulated pair" if result.simulated else "Your pair"
    names = [f"Published paper:<br>median of {dyads['n']} pairs",
             f"Review draft:<br>mean of {dyads['n']} pairs"]
    values = [median["value"], mean["value"]]
    colours = [figures.OKABE_ITO["black"], figures.OKABE_ITO["reddish_purple"]]
    if result.r is not None:
        names.insert(0, ours)
        values.insert(0, round(result.r, 2))
        colours.insert(0, figures.OKABE_ITO["vermillion"])
    fig.add_trace(go.Scatter(
        x=values, y=names, mode="markers+text", name="r", showlegend=False,
        marker={"size": 18, "color": colours}, text=[f"{v:.2f}" for v in values],
        textposition="top center"), row=1, col=2)
    fig.update_yaxes(range=[-0.5, 10.5], dtick=2, title_text="Connection (0 = none, 10 = deep)",
                     row=1, col=1)
    fig.update_xaxes(title_text="Minute", dtick=2 if result.minutes > 10 else 1,
                     range=[0.5, result.minutes + 0.5], row=1, col=1)
    fig.update_xaxes(range=[-1, 1], dtick=0.5, title_text="r", row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    notes = [LIMITATIONS[-1]]
    if result.simulated:
        fig.add_annotation(text="SIMULATED DATA: not a real pair", xref="x domain",
                           yref="y domain", x=0.02, y=0.02, xanchor="left", yanchor="bottom",
                           showarrow=False, font={"size": 16, "color": figures.OKABE_ITO[
                               "vermillion"]}, bordercolor=figures.OKABE_ITO["vermillion"],
                           borderwidth=2, borderpad=4)
        notes.insert(0, f"Simulated ratings (seed {result.seed}), not data from a real pair.")
    table: list[dict] = [
        {"minute": m, "client": "missed" if c is None else c,
         "therapist": "missed" if t is None else t}
        for m, c, t in zip(xs, result.client, result.therapist, strict=True)]
    title = (f"{ours}: {_r_words(result)}" if result.r is not None
             else f"{ours}: the two ratings, minute by minute")
    summary = (result.summary["text"] + f" In Cooper's study of {dyads['n']} pairs the median "
               f"r was {median['value']:.2f} ({findings.cite(median['id'])}); the earlier "
               f"review reports a mean of about {mean['value']:.2f} "
               f"({findings.cite(mean['id'])}), a different statistic.")
    return figures.finish(
        fig, title=title,
        citation="; ".join(findings.cite(i) for i in (median["id"], mean["id"])),
        summary=summary, source_ids=[median["source_id"], mean["source_id"]],
        finding_ids=[median["id"], mean["id"], dyads["id"]], table=table, notes=notes,
        height=400, extra_meta={"r": result.r, "client": result.client,
                                "therapist": result.therapist, "simulated": result.simulated},
    )


def study_html(result: PairResult | None = None) -> str:
    """Cooper's figures with their sources and limitations, beside the pair's own r."""
    from rdlearn.content import findings

    median, mean, dyads, length = _published()
    parts = [tag("h4", "What the study found")]
    if result is not None:
        who = "This simulated pair" if result.simulated else "Your pair"
        mine = (f"{who}: r = {result.r:.2f}." if result.r is not None
                else f"{who}: no r ({result.summary['correlation']['reason']}).")
        parts.append(tag("p", mine))
    parts.append(tag("p", (
        f"In Cooper's analogue study, {dyads['n']} pairs of counsellors held "
        f"{length['value']:.0f}-minute practice sessions and rated their connection every "
        f"minute. Within a pair, the median r was {median['value']:.2f} "
        f"({findings.cite(median['id'])}). The review chapter gives a mean of about "
        f"{mean['value']:.2f} ({findings.cite(mean['id'])}): a different statistic, "
        "probably from an earlier analysis. Connection rose quickly early on and then "
        "levelled off.")))
    parts.append(tag("p", "Keep in mind:"))
    parts.append(bullets(LIMITATIONS))
    return tag("div", raw="".join(parts), class_="rd-pairs-study")


def result_view(result: PairResult) -> w.VBox:
    """The result for both partners: r in words, minutes to talk about, trends, the chart."""
    from IPython.display import display

    from rdlearn.figures import charts as figures

    summary = result.summary
    r_box = w.HTML(tag("p", _r_words(result), class_="rd-pairs-r"))
    text = w.HTML(tag("p", summary["text"]))
    apart = summary["divergent_minutes"]
    if apart:
        words = ("Minutes to talk about together, where you were 3 or more points apart: "
                 + _minutes_list(apart) + ". What was happening for each of you then?")
    elif summary["both_rated"]:
        words = "You were never 3 or more points apart in a minute you both rated."
    else:
        words = "There were no minutes you both rated."
    divergent = w.HTML(tag("p", words, class_="rd-pairs-divergent"))
    trends = w.HTML(bullets([
        f"Client: {summary['trend_first']['description']}",
        f"Therapist: {summary['trend_second']['description']}",
    ], class_="rd-pairs-trends"))
    study = w.HTML(study_html(result))
    parts: list[w.Widget] = [r_box, text, divergent, trends]
    if result.shared:
        parts.append(w.HTML(tag("p", "Your pair's r (only that number) was added to the "
                                     "room's anonymous picture.", class_="rd-small")))
    fig = connection_figure(result)
    out = w.Output()
    with out:
        display(figures.present(fig))
    box = w.VBox([*parts, out, study])
    box.figure = fig  # type: ignore[attr-defined]
    box.add_class("rd-pairs-result")
    return box


# --------------------------------------------------------------------------- the exercise


class ConnectionRating(w.VBox):
    """The pairs exercise on one page: set up or join, rate each minute, see the result."""

    def __init__(self, *, store: PairStore, seconds_per_minute: float, room: Any = None,
                 problem: str = ""):
        self.pairs = store
        self.room = room
        self.seconds_per_minute = seconds_per_minute
        self.code: str | None = None
        self.tokens: dict[str, str] = {}
        self.one_device = False
        self.result: PairResult | None = None
        self.asking: tuple[str, int] | None = None
        self._cued = 0
        self._last_refresh = float("-inf")
        self._last_heartbeat = float("-inf")

        self.link = PairLink(interval_ms=min(1000, max(200, int(seconds_per_minute * 250))))
        self.link.observe(lambda _: self.refresh(), names="tick")
        self.link.observe(lambda _: self._offer_rejoin(), names="remembered")

        # -- setting up
        self.setup_message = _html("message")
        self.rating_message = _html("message")
        self.rating_message.add_class("rd-pairs-rating-message")
        self.length_choice = _Choice(
            message=self.setup_message,
            options=[(f"{n} minutes", n) for n in exercise.LENGTHS], value=exercise.LENGTHS[-1],
            description="Length", style={"description_width": "initial"})
        self.role_choice = _Choice(
            message=self.setup_message, options=[(ROLE_NAMES[r], r) for r in ROLES],
            value=None, description="My role", style={"description_width": "initial"})
        self.create_button = w.Button(description="Make a pair code", button_style="primary")
        self.code_input = w.Text(description="Pair code", placeholder="e.g. K7M3PQ")
        self.code_input.add_class("rd-pairs-code-input")
        self.join_button = w.Button(description="Join this pair", button_style="primary")
        self.rejoin_button = w.Button(description="Rejoin my pair")
        self.one_device_button = w.Button(description="Both of us on this device")
        self.create_button.on_click(lambda _: self.create())
        self.join_button.on_click(lambda _: self.join(self.code_input.value))
        self.rejoin_button.on_click(lambda _: self.join(self.link.remembered, rejoin=True))
        self.one_device_button.on_click(lambda _: self.start_one_device())
        _show(self.rejoin_button, False)
        for widget, name in ((self.role_choice, "role"), (self.length_choice, "length"),
                             (self.create_button, "create"), (self.join_button, "join"),
                             (self.rejoin_button, "rejoin"),
                             (self.one_device_button, "one-device")):
            widget.add_class(f"rd-pairs-{name}")
        self.setup = w.VBox([
            w.HTML(tag("p", "One of you makes a pair code; the other joins with it on their "
                            "own device. Or share one device and take turns.")),
            self.role_choice, self.length_choice,
            w.HBox([self.create_button, self.one_device_button]),
            w.HBox([self.code_input, self.join_button]), self.rejoin_button,
            self.setup_message,
        ])

        # -- waiting for the partner
        self.code_html = _html("code-box")
        self.partner_html = _html("partner")
        self.consent = w.Checkbox(
            value=False, indent=False,
            description="If we both agree, add our r (only that number) to the room's "
                        "anonymous picture", layout=w.Layout(width="auto"))
        self.consent.observe(lambda change: self.set_consent(change["new"]), names="value")
        self.begin_button = w.Button(description="Begin the session", button_style="primary")
        self.begin_button.on_click(lambda _: self.begin())
        self.waiting_message = _html("message")
        self.begin_button.add_class("rd-pairs-begin")
        self.consent.add_class("rd-pairs-consent")
        self.waiting = w.VBox([self.code_html, self.consent, self.begin_button,
                               self.waiting_message])

        # -- rating every minute
        self.minute_html = _html("minute")
        self.prompt_html = _html("prompt")
        self.rating = _Choice(
            message=self.rating_message,
            options=[(str(i), i) for i in range(exercise.LOWEST, exercise.HIGHEST + 1)], value=None,
            description="Connection", style={"description_width": "initial",
                                             "button_width": "2.8rem"},
            tooltips=[_LOW_ANCHOR] + [str(i) for i in range(1, 10)] + [_HIGH_ANCHOR])
        self.rating.add_class("rd-pairs-rating")
        self.anchors = w.HTML(tag("p", f"{_LOW_ANCHOR} · {_HIGH_ANCHOR}", class_="rd-small"))
        self.save_button = w.Button(description="Save my rating", button_style="primary")
        self.save_button.on_click(lambda _: self.save_rating())
        self.rating_box = w.VBox([self.rating, self.anchors, self.save_button])
        self.missed_html = _html("missed")
        self.finish_button = w.Button(description="Stop early")
        self.finish_button.on_click(lambda _: self.finish())
        self.save_button.add_class("rd-pairs-save")
        self.finish_button.add_class("rd-pairs-finish")
        self.running = w.VBox([self.minute_html, self.prompt_html, self.rating_box,
                               self.rating_message, self.missed_html, self.finish_button])

        self.result_box = w.VBox()
        self.result_box.add_class("rd-pairs-result-box")
        super().__init__([w.HTML(_CSS), self.link, self.setup, self.waiting, self.partner_html,
                          self.running, self.result_box])
        self.add_class("rd-pairs")
        self._stage("setup")
        if problem:
            _say(self.setup_message, problem, role="alert")

    # -- helpers

    def _now(self) -> float:
        return self.pairs.now()

    def _stage(self, stage: str) -> None:
        self.stage = stage
        _show(self.setup, stage == "setup")
        _show(self.waiting, stage == "waiting")
        _show(self.running, stage == "running")
        _show(self.partner_html, stage in ("waiting", "running"))
        _show(self.result_box, stage == "result")

    def _token(self) -> str | None:
        token = room_questions.normalise_token(self.link.token)
        if token is None:
            _say(self.setup_message, "This page is still connecting; please try again in a "
                                     "moment.", role="alert")
        return token

    def _offer_rejoin(self) -> None:
        code = self.link.remembered
        _show(self.rejoin_button, bool(code) and self.code is None)
        if code:
            self.rejoin_button.description = f"Rejoin pair {code}"

    def _workshop(self) -> str | None:
        code = getattr(self.room, "code", "") if self.room is not None else ""
        return code or None

    def _entered(self, code: str, tokens: dict[str, str], *, one_device: bool) -> None:
        self.code, self.tokens, self.one_device = code, tokens, one_device
        self.result, self.asking, self._cued = None, None, 0
        if not one_device:
            self.link.remember = code
        _show(self.rejoin_button, False)
        self.setup_message.value = ""
        self.refresh(force=True)

    # -- setting up

    def create(self) -> bool:
        """Make a new pair with the chosen length and role; show its code."""
        role = self.role_choice.value
        if role not in ROLES:
            _say(self.setup_message, "Choose your role first: client or therapist.", role="alert")
            return False
        token = self._token()
        if token is None:
            return False
        try:
            code = self.pairs.create(token=token, role=role, minutes=self.length_choice.value,
                                     seconds_per_minute=self.seconds_per_minute,
                                     workshop=self._workshop())
        except (PairError, StoreError) as exc:
            _say(self.setup_message, str(exc), role="alert")
            return False
        self._entered(code, {role: token}, one_device=False)
        return True

    def join(self, text: Any, *, rejoin: bool = False) -> bool:
        """Join the pair with this code in the chosen role (or rejoin in one's own role)."""
        token = self._token()
        if token is None:
            return False
        role = None if rejoin else self.role_choice.value
        try:
            code = exercise.normalise_pair_code(text)
            try:
                role = self.pairs.join(code, token=token, role=None)
            except PairError:
                if role is None:
                    raise
                role = self.pairs.join(code, token=token, role=role)
        except (PairError, StoreError) as exc:
            _say(self.setup_message, str(exc), role="alert")
            return False
        self._entered(code, {role: token}, one_device=False)
        return True

    def start_one_device(self) -> bool:
        """Both partners on this device: each rates in turn, and each rating is hidden."""
        tokens = {role: secrets.token_hex(16) for role in ROLES}
        try:
            code = self.pairs.create(token=tokens[CLIENT], role=CLIENT,
                                     minutes=self.length_choice.value,
                                     seconds_per_minute=self.seconds_per_minute,
                                     workshop=self._workshop())
            self.pairs.join(code, token=tokens[THERAPIST], role=THERAPIST)
        except (PairError, StoreError) as exc:
            _say(self.setup_message, str(exc), role="alert")
            return False
        self._entered(code, tokens, one_device=True)
        return True

    def set_consent(self, consent: Any) -> bool:
        """Record this partner's (or, on one device, both partners') choice about sharing."""
        if self.code is None or not isinstance(consent, bool):
            return False
        try:
            for token in self.tokens.values():
                self.pairs.set_consent(self.code, token=token, consent=consent)
        except (PairError, StoreError) as exc:
            _say(self.waiting_message, str(exc), role="alert")
            return False
        return True

    def begin(self) -> bool:
        """Start the minute clock (once both partners are in)."""
        if self.code is None:
            return False
        try:
            self.pairs.begin(self.code, token=next(iter(self.tokens.values())))
        except (PairError, StoreError) as exc:
            _say(self.waiting_message, str(exc), role="alert")
            return False
        self.waiting_message.value = ""
        self.refresh(force=True)
        return True

    # -- rating

    def save_rating(self) -> bool:
        """Save the chosen rating for the minute being asked about; then hide it."""
        if self.code is None or self.asking is None:
            _say(self.rating_message, "There is no minute to rate just now.", role="alert")
            return False
        role, minute = self.asking
        value = self.rating.value
        if value is None:
            _say(self.rating_message, "Choose a number from 0 to 10 first.", role="alert")
            return False
        try:
            self.pairs.rate(self.code, token=self.tokens[role], minute=minute, rating=value)
        except (PairError, StoreError) as exc:
            _say(self.rating_message, str(exc), role="alert")
            self.refresh(force=True)
            return False
        self.rating.value = None
        hidden = ("Saved and hidden." if self.one_device
                  else "Saved. Your partner cannot see it until you have both finished.")
        _say(self.rating_message, f"Minute {minute}: {hidden}")
        self.refresh(force=True)
        return True

    def finish(self) -> bool:
        """This partner (on one device, both) has finished."""
        if self.code is None:
            return False
        try:
            for token in self.tokens.values():
                self.pairs.finish(self.code, token=token)
        except (PairError, StoreError) as exc:
            _say(self.rating_message, str(exc), role="alert")
            return False
        self.refresh(force=True)
        return True

    # -- showing

    def refresh(self, *, force: bool = False) -> None:
        """Read the pair's state and show the right step, prompt and partner news."""
        now = self._now()
        if not force and now - self._last_refresh < _REFRESH_EVERY:
            return
        self._last_refresh = now
        if self.code is None or self.result is not None:
            return
        try:
            if now - self._last_heartbeat >= _HEARTBEAT_EVERY:
                for token in self.tokens.values():
                    self.pairs.heartbeat(self.code, token=token)
                self._last_heartbeat = now
            states = {role: self.pairs.status(self.code, token=token)
                      for role, token in self.tokens.items()}
        except exercise.UnknownPairError as exc:
            self.code = None
            self.link.remember = ""
            self._stage("setup")
            _say(self.setup_message, str(exc), role="alert")
            return
        except (PairError, StoreError) as exc:
            _say(self.rating_message, f"Cannot reach your pair just now: {exc}", role="alert")
            return
        first = next(iter(states.values()))
        if first.both_finished:
            self._collect()
            return
        if first.state in (exercise.WAITING, exercise.READY):
            self._show_waiting(first)
        else:
            self._show_running(states)

    def _show_waiting(self, status: exercise.PairStatus) -> None:
        self._stage("waiting")
        mine = "" if self.one_device else f" You are the {status.role}."
        self.code_html.value = (
            tag("p", "Your pair code:") + tag("p", status.code, class_="rd-pairs-code")
            + tag("p", f"A {status.minutes}-minute session.{mine} "
                  + ("" if self.one_device else "Your partner types this code on their own "
                                                "device and chooses the other role.")))
        self.consent.disabled = status.workshop is None
        if status.workshop is None:
            self.consent.description = ("Sharing your r with the room needs the room's "
                                        "workshop code on this page")
        self.begin_button.disabled = not status.partner_joined
        if status.partner_joined:
            _say(self.partner_html, "Your partner has joined. Begin when you are both ready.")
        else:
            _say(self.partner_html, "Waiting for your partner to join…")

    def _show_running(self, states: dict[str, exercise.PairStatus]) -> None:
        self._stage("running")
        first = next(iter(states.values()))
        ended = first.minutes_ended
        if ended > self._cued:
            self._cued = ended
            self.link.cue += 1
        if ended < first.minutes:
            self.minute_html.value = tag(
                "p", f"Minute {ended + 1} of {first.minutes} is under way.", role="timer")
        else:
            self.minute_html.value = tag("p", f"All {first.minutes} minutes are over.")
        self.asking = next(((role, s.due[0]) for role, s in states.items() if s.due), None)
        if self.asking is not None:
            role, minute = self.asking
            question = (f"How connected did you feel to your partner during minute {minute}?")
            if self.one_device:
                other = ROLE_NAMES[THERAPIST if role == CLIENT else CLIENT].lower()
                question = (f"{ROLE_NAMES[role]}, your turn (the {other} looks away): "
                            + question)
            self.prompt_html.value = tag("p", question, role="status")
            _show(self.rating_box, True)
        else:
            finished = all(s.finished for s in states.values())
            if finished:
                words = "You have finished. Your partner's ratings stay hidden until they " \
                        "finish too."
            elif ended < first.minutes:
                words = f"Carry on. The next prompt comes at the end of minute {ended + 1}."
            else:
                words = "Every minute is rated or past. Press “I have finished”."
            self.prompt_html.value = tag("p", words, role="status")
            _show(self.rating_box, False)
        missed = sorted({m for s in states.values() for m in s.missed})
        self.missed_html.value = tag(
            "p", f"Minutes left blank (not rated in time): {_minutes_list(missed)}.",
            class_="rd-small") if missed else ""
        done = all(s.finished for s in states.values())
        _show(self.finish_button, not done)
        self.finish_button.description = ("I have finished" if ended >= first.minutes
                                           else "Stop early")
        news = []
        if not self.one_device:
            if first.partner_finished:
                news.append("Your partner has finished.")
            elif first.partner_away:
                news.append(f"Your partner's page has not been in touch for over a minute. "
                            f"They can rejoin with the code {first.code}; their ratings are "
                            "kept.")
        _say(self.partner_html, " ".join(news), role="alert" if first.partner_away else "status")

    def _collect(self) -> None:
        try:
            result = self.pairs.result(self.code, token=next(iter(self.tokens.values())))
        except (PairError, StoreError) as exc:
            _say(self.rating_message, str(exc), role="alert")
            return
        self.result = result
        self.asking = None
        self.link.remember = ""
        self.result_box.children = (result_view(result),)
        self._stage("result")


def connection_rating(*, store: Any = None, now: Callable[[], float] = time.time,
                      seconds_per_minute: float | None = None) -> ConnectionRating:
    """The connection-rating pairs exercise (after Cooper, 2012).

    Parameters
    ----------
    store
        A :class:`rdlearn.room.store.Store` or :class:`rdlearn.connection.exercise.PairStore` (by default the
        room's store).
    now
        The clock in seconds (tests pass their own).
    seconds_per_minute
        How long an exercise 'minute' lasts; by default 60, or
        ``RDLEARN_PAIRS_SECONDS_PER_MINUTE`` when a test sets it (0.5 to 60).
    """
    from rdlearn.room import widgets as room_widgets

    problem = ""
    if seconds_per_minute is None:
        try:
            seconds_per_minute = exercise.seconds_per_minute_from_env()
        except PairError as exc:
            seconds_per_minute, problem = 60.0, f"{exc}; using 60 seconds."
    else:
        seconds_per_minute = exercise.check_seconds_per_minute(seconds_per_minute)
    return ConnectionRating(store=_pair_store(store, now), seconds_per_minute=seconds_per_minute,
                            room=room_widgets.participant_room(), problem=problem)


def demonstration(*, seed: int = 2012, minutes: int = 20) -> w.VBox:
    """The result view for a simulated pair, clearly labelled, for the keynote.

    The simulated ratings go through the same rules as a real pair's, with a simulated
    clock; the same ``seed`` always gives the same pair.
    """
    result = exercise.demonstration_result(seed=seed, minutes=minutes)
    banner = w.HTML(tag("p", f"SIMULATED DATA: an invented pair (seed {seed}), to show what "
                             "the exercise gives. These are not real ratings.",
                        class_="rd-pairs-simulated", role="note"))
    view = result_view(result)
    box = w.VBox([w.HTML(_CSS), banner, view])
    box.result = result  # type: ignore[attr-defined]
    box.figure = view.figure  # type: ignore[attr-defined]
    return box


# --------------------------------------------------------------------------- the room's picture


def _pair_store(store: Any, now: Callable[[], float]) -> PairStore:
    """``store`` as a :class:`PairStore` (a room's ``Store``, or ``None`` for the default)."""
    return store if isinstance(store, PairStore) else PairStore(store, now=now)


def _bands(values: Any) -> list[dict]:
    """How many pairs' r fall in each band 0.2 wide from -1 to 1 (counts, no single value)."""
    edges = [round(-1 + i * _BAND, 1) for i in range(11)]
    counts = [0] * 10
    for value in values:
        counts[min(9, max(0, math.floor(round((value + 1) / _BAND, 6))))] += 1
    return [{"r from": low, "r to": high, "pairs": count}
            for low, high, count in zip(edges[:-1], edges[1:], counts, strict=True)]


def _room_words(room: exercise.RoomConnection) -> tuple[str, str]:
    from rdlearn.content import findings

    median, mean, dyads, _ = _published()
    ours = (f"{room.n} pairs in this room shared their r. The median is {room.median:.2f}; "
            f"the lowest is {room.lowest:.2f} and the highest {room.highest:.2f}.")
    study = (f"In Cooper's analogue study of {dyads['n']} pairs the median r was "
             f"{median['value']:.2f} ({findings.cite(median['id'])}); the review chapter "
             f"gives a mean of about {mean['value']:.2f} ({findings.cite(mean['id'])}), a "
             "different statistic.")
    return ours, study


def room_connection_figure(room: exercise.RoomConnection):
    """The room's shared r values as counts per band, with the room's and Cooper's medians.

    Only how many pairs fall in each band is drawn, never one pair's value. Returns
    ``None`` while fewer than five pairs have shared (``room.ready`` is false).
    """
    if not room.ready or room.median is None:
        return None
    import plotly.graph_objects as go

    from rdlearn.content import findings
    from rdlearn.figures import charts as figures

    median, mean, dyads, _ = _published()
    bands = _bands(room.values)
    fig = go.Figure(go.Bar(
        x=[round((b["r from"] + b["r to"]) / 2, 2) for b in bands],
        y=[b["pairs"] for b in bands], width=_BAND * 0.9, name="Pairs in this room",
        marker_color=figures.OKABE_ITO["sky_blue"],
        hovertemplate="r around %{x:.1f}: %{y} pairs<extra></extra>"))
    tallest = max(b["pairs"] for b in bands)
    lines = ((room.median, f"This room: median {room.median:.2f}", "vermillion", "solid", 1.0),
             (median["value"], f"Cooper (2012): median {median['value']:.2f}", "black", "dash",
              0.86))
    for x, label, colour, dash, height in lines:
        fig.add_vline(x=x, line={"color": figures.OKABE_ITO[colour], "width": 3, "dash": dash})
        fig.add_annotation(x=x, y=height, xref="x", yref="paper", text=label, showarrow=False,
                           xanchor="right" if x > 0 else "left", xshift=-6 if x > 0 else 6,
                           font={"size": 15, "color": figures.OKABE_ITO[colour]},
                           bgcolor="rgba(255,255,255,0.8)")
    fig.update_xaxes(range=[-1, 1], dtick=_BAND)
    fig.update_yaxes(range=[0, tallest * 1.4 + 0.5], dtick=1 if tallest <= 6 else None)
    ours, study = _room_words(room)
    return figures.finish(
        fig, title=f"The median r in this room is {room.median:.2f}, across {room.n} pairs; "
                   f"Cooper's study found {median['value']:.2f}",
        citation="; ".join(findings.cite(i) for i in (median["id"], mean["id"])),
        summary=f"{ours} {study}",
        source_ids=[median["source_id"], mean["source_id"]],
        finding_ids=[median["id"], mean["id"], dyads["id"]], table=bands,
        x_title="r: how closely a pair's two sets of ratings moved together",
        y_title="Pairs", notes=["Only pairs where both partners agreed to share are counted."],
        height=300, extra_meta={"n": room.n, "median": room.median})


class RoomConnectionView(w.VBox):
    """The room's spread of r, shown only once revealed and from five pairs; else a wait."""

    def __init__(self, *, store: PairStore, room: Any, link: w.Widget):
        self.pairs = store
        self.room = room
        self.link = link
        self.shown: exercise.RoomConnection | None = None
        self.figure = None
        self._last_refresh = float("-inf")
        self.message = _html("room-message")
        self.summary_html = _html("room-summary")
        self.out = w.Output()
        link.observe(lambda _: self.refresh(), names="tick")
        room.observe(lambda _: self.refresh(force=True), names="code")
        super().__init__([w.HTML(tag("h3", "The room's pairs")), link, self.message,
                          self.summary_html, self.out])
        self.add_class("rd-pairs-room")
        self.refresh(force=True)

    def _wait(self, text: str, *, role: str = "status") -> None:
        _say(self.message, text, role=role)
        if self.shown is not None:
            self.shown, self.figure = None, None
            self.summary_html.value = ""
            self.out.outputs = ()

    def refresh(self, *, force: bool = False) -> None:
        """Look at the room's shared r values and show them once the facilitator has."""
        from rdlearn.figures import charts as figures

        now = self.pairs.now()
        if not force and now - self._last_refresh < _ROOM_REFRESH_EVERY:
            return
        self._last_refresh = now
        code = getattr(self.room, "code", "")
        if not code:
            self._wait("Join the room with the workshop code to see here how the pairs in the "
                       "room did, once the facilitator shows it.")
            return
        try:
            picture = self.pairs.room(code)
        except StoreError as exc:
            _say(self.message, f"Cannot reach the room's results just now: {exc}.",
                 role="alert")
            return
        if picture is None:
            self._wait("Waiting for the facilitator to show the room's results, from at "
                       f"least {room_questions.MIN_ANSWERS} pairs who chose to share their r.")
            return
        if not picture.ready:
            self._wait(picture.message)
            return
        if picture == self.shown:
            return
        self.shown = picture
        self.message.value = ""
        ours, study = _room_words(picture)
        self.summary_html.value = (tag("p", ours, class_="rd-pairs-room-r") + tag("p", study))
        self.figure = room_connection_figure(picture)
        self.out.outputs = (figures.present(self.figure).output(),)


def room_connection_view(*, store: Any = None,
                         now: Callable[[], float] = time.time) -> RoomConnectionView:
    """How the room's pairs did: the spread of r from pairs who chose to share it.

    It shows a waiting message until the facilitator reveals the results from the console,
    which needs at least five pairs; then the count, median and range of r and a chart
    beside Cooper's published median. It looks at the room's store about once a second.

    Parameters
    ----------
    store
        A :class:`rdlearn.room.store.Store` or :class:`rdlearn.connection.exercise.PairStore` (by default the
        room's store).
    now
        The clock in seconds (tests pass their own).
    """
    from rdlearn.room import widgets as room_widgets

    return RoomConnectionView(store=_pair_store(store, now), room=room_widgets.participant_room(),
                              link=room_widgets.RoomLink(wants_token=False))
