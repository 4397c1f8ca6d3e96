"""What a pair and the room see after the connection exercise: the result and the room's r.

* :func:`result_view` turns a :class:`rdlearn.connection.exercise.PairResult` into the
  words and the chart (:func:`rdlearn.connection.figures.connection_figure`), beside the
  study (:func:`study_html`).
* :func:`demonstration` shows the same view for the simulated pair
  (:mod:`rdlearn.connection.simulation`), clearly labelled, for the keynote.
* :func:`room_connection_view` shows the room the spread of r from the pairs who chose to
  share it, once the facilitator has revealed it (five pairs or more), beside Cooper's
  median (:func:`rdlearn.connection.figures.room_connection_figure`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from rdlearn.connection import simulation
from rdlearn.connection.exercise import PairResult, RoomConnection
from rdlearn.connection.figures import (
    CHANGE_R_EXPLAINED,
    CHANGE_R_OURS,
    LIMITATIONS,
    change_words,
    connection_figure,
    cooper_caveat,
    published_findings,
    r_words,
    room_connection_figure,
    room_words,
)
from rdlearn.connection.store import PairStore
from rdlearn.connection.synchrony import two_decimals
from rdlearn.room import questions as room_questions
from rdlearn.room.store import StoreError
from rdlearn.room.widgets import RoomLink, message_box, participant_room, say
from rdlearn.web import assets
from rdlearn.web.html import bullets, tag

__all__ = ["study_html", "result_view", "demonstration", "RoomConnectionView",
           "room_connection_view", "minutes_list", "pair_store", "style"]

#: Seconds between looks at the room's shared r values.
ROOM_REFRESH_EVERY = 0.5


def style() -> w.HTML:
    """The exercise's stylesheet (``connection.css``) as a widget to put on the page."""
    return w.HTML("<style>" + assets.path("connection.css").read_text(encoding="utf-8")
                  + "</style>")


def minutes_list(minutes: list[int]) -> str:
    """Minutes as a list in words (``1, 4, 7``)."""
    return ", ".join(str(m) for m in minutes)


# --------------------------------------------------------------------------- the result


def study_html(result: PairResult | None = None) -> str:
    """Cooper's figures with their sources and limitations, beside the pair's own r."""
    from rdlearn.content import findings

    median, mean, dyads, length = published_findings()
    parts = [tag("h4", "What the study found")]
    if result is not None:
        who = "This simulated pair" if result.simulated else "Your pair"
        mine = (f"{who}: raw r = {result.r:.2f}" if result.r is not None
                else f"{who}: no raw r ({result.summary['correlation']['reason']})")
        if result.change_r is not None:
            mine += f"; change r = {two_decimals(result.change_r)} (our own analysis)."
        else:
            mine += "; no change r."
        parts.append(tag("p", mine))
    parts.append(tag("p", (
        f"In Cooper's analogue study, {dyads['n']} pairs of counsellors held "
        f"{length['value']:.0f}-minute practice sessions and rated their connection every "
        f"minute. {cooper_caveat()} The review chapter gives a mean raw r of about "
        f"{mean['value']:.2f} ({findings.cite(mean['id'])}): a different statistic, "
        "probably from an earlier analysis. Connection rose quickly early on and then "
        "levelled off.")))
    parts.append(tag("p", CHANGE_R_OURS, class_="rd-pairs-ours"))
    parts.append(tag("p", "Keep in mind:"))
    parts.append(bullets(LIMITATIONS))
    return tag("div", raw="".join(parts), class_="rd-pairs-study")


def result_view(result: PairResult) -> w.VBox:
    """The result for both partners: raw r and change r in words, minutes, trends, the chart.

    The change r (:func:`rdlearn.connection.synchrony.change_correlation`) sits beside the
    raw r with one sentence on why they differ; it is marked as our own analysis.
    """
    from IPython.display import display

    from rdlearn import figures

    summary = result.summary
    r_box = w.HTML(
        tag("p", r_words(result), class_="rd-pairs-r")
        + tag("p", change_words(result) + " (our own analysis)", class_="rd-pairs-change-r")
        + tag("p", CHANGE_R_EXPLAINED, class_="rd-pairs-why"))
    text = w.HTML(tag("p", summary["text"]))
    apart = summary["divergent_minutes"]
    if apart:
        words = ("Minutes to talk about together, where you were 3 or more points apart: "
                 + minutes_list(apart) + ". What was happening for each of you then?")
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


def demonstration(*, seed: int = 2012, minutes: int = 20) -> w.VBox:
    """The result view for a simulated pair, clearly labelled, for the keynote.

    The simulated ratings go through the same rules as a real pair's, with a simulated
    clock; the same ``seed`` always gives the same pair.
    """
    result = simulation.demonstration_result(seed=seed, minutes=minutes)
    banner = w.HTML(tag("p", f"SIMULATED DATA: an invented pair (seed {seed}), to show what "
                             "the exercise gives. These are not real ratings.",
                        class_="rd-pairs-simulated", role="note"))
    view = result_view(result)
    box = w.VBox([style(), banner, view])
    box.result = result  # type: ignore[attr-defined]
    box.figure = view.figure  # type: ignore[attr-defined]
    return box


# --------------------------------------------------------------------------- the room's picture


def pair_store(store: Any, now: Callable[[], float]) -> PairStore:
    """``store`` as a :class:`PairStore` (a room's ``Store``, or ``None`` for the default)."""
    return store if isinstance(store, PairStore) else PairStore(store, now=now)


class RoomConnectionView(w.VBox):
    """The room's spread of r, shown only once revealed and from five pairs; else a wait."""

    def __init__(self, *, store: PairStore, room: Any, link: w.Widget):
        self.pairs = store
        self.room = room
        self.link = link
        self.shown: RoomConnection | None = None
        self.figure = None
        self._last_refresh = float("-inf")
        self.message = message_box(family="pairs", kind="room-message")
        self.summary_html = message_box(family="pairs", kind="room-summary")
        self.out = w.Output()
        link.observe(lambda _: self.refresh(), names="tick")
        room.observe(lambda _: self.refresh(force=True), names="code")
        super().__init__([w.HTML(tag("h3", "The room's pairs")), link, self.message,
                          self.summary_html, self.out])
        self.add_class("rd-pairs-room")
        self.refresh(force=True)

    def _wait(self, text: str, *, role: str = "status") -> None:
        say(self.message, text, role=role)
        if self.shown is not None:
            self.shown, self.figure = None, None
            self.summary_html.value = ""
            self.out.outputs = ()

    def refresh(self, *, force: bool = False) -> None:
        """Look at the room's shared r values and show them once the facilitator has."""
        from rdlearn import figures

        now = self.pairs.now()
        if not force and now - self._last_refresh < ROOM_REFRESH_EVERY:
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
            say(self.message, f"Cannot reach the room's results just now: {exc}.",
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
        ours, study = room_words(picture)
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
        A :class:`rdlearn.room.store.Store` or :class:`rdlearn.connection.store.PairStore`
        (by default the room's store).
    now
        The clock in seconds (tests pass their own).
    """
    return RoomConnectionView(store=pair_store(store, now), room=participant_room(),
                              link=RoomLink(wants_token=False))
