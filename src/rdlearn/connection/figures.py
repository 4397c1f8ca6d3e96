"""The connection exercise's charts: a pair's two ratings, and the room's spread of r.

Builders only: a :class:`~rdlearn.connection.exercise.PairResult` or a
:class:`~rdlearn.connection.exercise.RoomConnection` in, a figure out, nothing shown.
:func:`connection_figure` draws a pair's ratings beside the study's figures;
:func:`room_connection_figure` the room's shared r values as counts per band. Plotly is
imported only when a chart is drawn.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rdlearn.connection.exercise import PairResult, RoomConnection
from rdlearn.connection.simulation import simulated_ratings
from rdlearn.connection.synchrony import two_decimals
from rdlearn.figures._research import _CLIENT, _THERAPIST, _citation, _point, _rows, _sources
from rdlearn.figures.theme import OKABE_ITO, _number, finish

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["CHANGE_R_EXPLAINED", "CHANGE_R_EXPLAINED_ANY_PAIR", "CHANGE_R_OURS", "LIMITATIONS",
           "change_words",
           "connection_figure", "connection_minute_by_minute", "cooper_caveat",
           "published_findings", "r_words", "room_connection_figure", "room_words"]

#: Width of the bands of r in the room's chart.
BAND = 0.2

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

#: Why the change r differs from the raw r, in one plain sentence.
CHANGE_R_EXPLAINED = (
    "When both ratings climb through a session they correlate even if you never moved "
    "together from one minute to the next; the change r leaves that shared climb out."
)

#: The same sentence about any pair (the keynote's simulated one).
CHANGE_R_EXPLAINED_ANY_PAIR = CHANGE_R_EXPLAINED.replace("you never moved", "the partners "
                                                         "never moved")

#: The change r is ours, not the study's.
CHANGE_R_OURS = ("The change r is our own analysis: Cooper's published study does not "
                 "report it, so there is no published change r to compare with.")


def published_findings() -> tuple[dict, dict, dict, dict]:
    """Cooper's median r, the review's mean r, the number of pairs and the session length."""
    from rdlearn.content import findings

    return tuple(findings.finding(i) for i in (
        "cooper2012-median-r", "cooper2013-review-mean-r", "cooper2012-dyads",
        "cooper2012-session-minutes"))


def r_words(result: PairResult) -> str:
    """The pair's raw r in words, or why it could not be computed."""
    corr = result.summary["correlation"]
    if corr["r"] is None:
        return f"Your raw r could not be computed: it {corr['reason']}."
    return f"raw r = {corr['r']:.2f} over the {corr['n']} minutes you both rated"


def change_words(result: PairResult) -> str:
    """The r of the pair's minute-to-minute changes in words, or why it is missing."""
    change = result.summary["change_correlation"]
    if change["r"] is None:
        return f"Your change r could not be computed: it {change['reason']}."
    word = "change" if change["n"] == 1 else "changes"
    return (f"change r = {two_decimals(change['r'])} over the {change['n']} "
            f"minute-to-minute {word} you both rated")


def cooper_caveat() -> str:
    """Cooper's (2012) median r with the shared-rise caveat, numbers from the findings."""
    from rdlearn.content import findings

    median, _, _, length = published_findings()
    return (f"{findings.cite(median['id'])} reports a median within-pair r of "
            f"{_number(median['value'])} between the raw ratings. Both partners' ratings rose "
            f"over the {length['value']:.0f} minutes, so part of that agreement is the shared "
            "rise; the paper gives no correlation of minute-to-minute changes.")


def connection_figure(result: PairResult):
    """The two partners' ratings as two lines, with their r beside the study's figures.

    Client and therapist have distinct Okabe-Ito colours, line dashes and markers; a
    missed minute is a gap in the line, never a made-up point.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from rdlearn import figures
    from rdlearn.content import findings

    median, mean, dyads, _ = published_findings()
    label = " (simulated)" if result.simulated else ""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.68, 0.32], horizontal_spacing=0.16,
                        subplot_titles=("Connection, minute by minute",
                                        "Raw r and change r"))
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
    names = [f"Published paper:<br>median raw r, {dyads['n']} pairs",
             f"Review draft:<br>mean raw r, {dyads['n']} pairs"]
    values = [median["value"], mean["value"]]
    colours = [figures.OKABE_ITO["black"], figures.OKABE_ITO["reddish_purple"]]
    symbols = ["circle", "circle"]
    if result.change_r is not None:
        names.insert(0, f"{ours}:<br>change r (our analysis)")
        values.insert(0, round(result.change_r, 2))
        colours.insert(0, figures.OKABE_ITO["bluish_green"])
        symbols.insert(0, "diamond")
    if result.r is not None:
        names.insert(0, f"{ours}:<br>raw r")
        values.insert(0, round(result.r, 2))
        colours.insert(0, figures.OKABE_ITO["vermillion"])
        symbols.insert(0, "circle")
    fig.add_trace(go.Scatter(
        x=values, y=names, mode="markers+text", name="r", showlegend=False,
        marker={"size": 18, "color": colours, "symbol": symbols},
        text=[two_decimals(v) for v in values], textposition="top center"), row=1, col=2)
    fig.update_yaxes(range=[-0.5, 10.5], dtick=2, title_text="Connection (0 = none, 10 = deep)",
                     row=1, col=1)
    fig.update_xaxes(title_text="Minute", dtick=2 if result.minutes > 10 else 1,
                     range=[0.5, result.minutes + 0.5], row=1, col=1)
    fig.update_xaxes(range=[-1, 1], dtick=0.5, title_text="r", row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    notes = [CHANGE_R_EXPLAINED, CHANGE_R_OURS]
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
    title = f"{ours}: the two ratings, minute by minute"
    if result.r is not None:
        title = f"{ours}: raw r = {result.r:.2f}"
        if result.change_r is not None:
            title += f", change r = {two_decimals(result.change_r)}"
        title += f" over {result.summary['correlation']['n']} minutes"
    summary = (f"{result.summary['text']} {CHANGE_R_EXPLAINED} {cooper_caveat()} The earlier "
               f"review reports a mean raw r of about {mean['value']:.2f} "
               f"({findings.cite(mean['id'])}), a different statistic. {CHANGE_R_OURS}")
    return figures.finish(
        fig, title=title,
        citation="; ".join(findings.cite(i) for i in (median["id"], mean["id"])),
        summary=summary, source_ids=[median["source_id"], mean["source_id"]],
        finding_ids=[median["id"], mean["id"], dyads["id"]], table=table, notes=notes,
        height=420, extra_meta={"r": result.r, "change_r": result.change_r,
                                "client": result.client,
                                "therapist": result.therapist, "simulated": result.simulated},
    )


def _bands(values: Any) -> list[dict]:
    """How many pairs' r fall in each band 0.2 wide from -1 to 1 (counts, no single value)."""
    edges = [round(-1 + i * BAND, 1) for i in range(11)]
    counts = [0] * 10
    for value in values:
        counts[min(9, max(0, math.floor(round((value + 1) / BAND, 6))))] += 1
    return [{"r from": low, "r to": high, "pairs": count}
            for low, high, count in zip(edges[:-1], edges[1:], counts, strict=True)]


def room_words(room: RoomConnection) -> tuple[str, str]:
    """The room's spread of r in words, and the study's figures beside it."""
    from rdlearn.content import findings

    median, mean, dyads, _ = published_findings()
    ours = (f"{room.n} pairs in this room shared their raw r (the correlation of the ratings "
            f"themselves, not of their changes). The median is {room.median:.2f}; "
            f"the lowest is {room.lowest:.2f} and the highest {room.highest:.2f}.")
    study = (f"In Cooper's analogue study of {dyads['n']} pairs the median raw r was "
             f"{median['value']:.2f} ({findings.cite(median['id'])}); the review chapter "
             f"gives a mean of about {mean['value']:.2f} ({findings.cite(mean['id'])}), a "
             "different statistic. Both partners' ratings rose over the sessions, so part of "
             "that agreement is the shared rise.")
    return ours, study


def room_connection_figure(room: RoomConnection):
    """The room's shared r values as counts per band, with the room's and Cooper's medians.

    Only how many pairs fall in each band is drawn, never one pair's value. Returns
    ``None`` while fewer than five pairs have shared (``room.ready`` is false).
    """
    if not room.ready or room.median is None:
        return None
    import plotly.graph_objects as go

    from rdlearn import figures
    from rdlearn.content import findings

    median, mean, dyads, _ = published_findings()
    bands = _bands(room.values)
    fig = go.Figure(go.Bar(
        x=[round((b["r from"] + b["r to"]) / 2, 2) for b in bands],
        y=[b["pairs"] for b in bands], width=BAND * 0.9, name="Pairs in this room",
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
    fig.update_xaxes(range=[-1, 1], dtick=BAND)
    fig.update_yaxes(range=[0, tallest * 1.4 + 0.5], dtick=1 if tallest <= 6 else None)
    ours, study = room_words(room)
    return figures.finish(
        fig, title=f"The median raw r in this room is {room.median:.2f}, across {room.n} pairs; "
                   f"Cooper's study found {median['value']:.2f}",
        citation="; ".join(findings.cite(i) for i in (median["id"], mean["id"])),
        summary=f"{ours} {study}",
        source_ids=[median["source_id"], mean["source_id"]],
        finding_ids=[median["id"], mean["id"], dyads["id"]], table=bands,
        x_title="raw r: how closely a pair's two sets of ratings moved together",
        y_title="Pairs", notes=["Only pairs where both partners agreed to share are counted."],
        height=300, extra_meta={"n": room.n, "median": room.median})


# --------------------------------------------------------------------------- the keynote's chart


def connection_minute_by_minute(*, seed: int = 2012) -> go.Figure:
    """An ILLUSTRATIVE SIMULATION of one 20-minute pair rating connection on 0-10 each minute.

    Shaped after the example pair described in Cooper's review (a client-only dip at minute
    6, a shared dip at 15, recovery by 17) and the published rise that levels off. The raw
    r and the change r (the r of the minute-to-minute changes, our own analysis, which the
    study does not give) are computed from the drawn series and shown beside the published
    raw r figures.
    The same ``seed`` always draws the same pair.
    """
    import numpy as np
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError("seed must be a whole number, 0 or more")
    minutes = 20
    client, therapist = (list(map(float, s)) for s in simulated_ratings(seed=seed, minutes=minutes))
    r = float(np.corrcoef(therapist, client)[0, 1])
    change_r = float(np.corrcoef(np.diff(therapist), np.diff(client))[0, 1])
    published = _rows(("cooper2012-median-r", "cooper2013-review-mean-r"))
    fig = make_subplots(rows=1, cols=2, column_widths=[0.68, 0.32], horizontal_spacing=0.16,
                        subplot_titles=("Simulated ratings, minute by minute",
                                        "Raw r and change r"))
    xs = list(range(1, minutes + 1))
    fig.add_trace(go.Scatter(x=xs, y=therapist, mode="lines+markers",
                             name="Therapist (simulated)",
                             line={"color": _THERAPIST, "width": 3},
                             marker={"symbol": "circle", "size": 9}), row=1, col=1)
    fig.add_trace(go.Scatter(x=xs, y=client, mode="lines+markers", name="Client (simulated)",
                             line={"color": _CLIENT, "width": 3, "dash": "dash"},
                             marker={"symbol": "diamond", "size": 10}), row=1, col=1)
    fig.add_annotation(x=6, y=client[5], text="client dips,<br>therapist does not",
                       showarrow=True, arrowcolor=OKABE_ITO["black"], ay=50, row=1, col=1,
                       font={"size": 13})
    fig.add_annotation(x=15, y=min(therapist[14], client[14]), text="both dip,<br>back by 17",
                       showarrow=True, arrowcolor=OKABE_ITO["black"], ay=50, row=1, col=1,
                       font={"size": 13})
    fig.add_annotation(text="ILLUSTRATIVE SIMULATION: not real data", xref="x domain",
                       yref="y domain", x=0.02, y=0.98, xanchor="left", yanchor="top",
                       showarrow=False, font={"size": 16, "color": OKABE_ITO["vermillion"]},
                       bordercolor=OKABE_ITO["vermillion"], borderwidth=2, borderpad=4)
    median, mean = published
    labels = ["Simulated pair:<br>raw r", "Simulated pair:<br>change r (our analysis)",
              f"Published paper:<br>median raw r, {median['n']} pairs",
              f"Review draft:<br>mean raw r, {mean['n']} pairs"]
    values = [r, change_r] + [p["value"] for p in published]
    fig.add_trace(go.Scatter(
        x=values, y=labels, mode="markers+text", name="r", showlegend=False,
        marker={"size": 18, "symbol": ["circle", "diamond", "circle", "circle"],
                "color": [OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"],
                          OKABE_ITO["black"], OKABE_ITO["reddish_purple"]]},
        text=[two_decimals(v) for v in values], textposition="top center",
        customdata=[["", "", ""], ["", "", ""]] + [_point(p, "x") for p in published],
    ), row=1, col=2)
    fig.update_yaxes(range=[0, 10.5], dtick=2, title_text="Connection (0 = none, 10 = deep)",
                     row=1, col=1)
    fig.update_xaxes(title_text="Minute of the session", dtick=2, range=[0.5, minutes + 0.5],
                     row=1, col=1)
    fig.update_xaxes(range=[-0.5, 1], dtick=0.5, title_text="r", row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    summary = (
        f"This is a simulated pair (seed {seed}), not data from the study. Both simulated "
        "partners' ratings rise quickly and then level off; the client dips alone at minute 6, "
        "both dip at minute 15 and recover by minute 17. The raw correlation of the two "
        f"simulated series is r = {r:.2f}; the correlation of their minute-to-minute changes "
        f"(change r) is {two_decimals(change_r)}. {CHANGE_R_EXPLAINED_ANY_PAIR} "
        f"{cooper_caveat()} The earlier "
        f"review draft, {_citation([mean['id']])}, reports a mean raw r of about "
        f"{_number(mean['value'])}, a different statistic. {CHANGE_R_OURS}"
    )
    table: list[dict] = [{"what": f"minute {m}", "therapist (simulated)": t,
                          "client (simulated)": c}
                         for m, t, c in zip(xs, therapist, client, strict=True)]
    table.append({"what": "raw r, this simulated pair", "r": round(r, 2)})
    table.append({"what": "change r, this simulated pair (our own analysis)",
                  "r": round(change_r, 2) + 0.0})
    table += [{"what": f"{p['statistic']}, {p['n']} real pairs, {_citation([p['id']])}",
               "r": p["value"]} for p in published]
    return finish(
        fig, title="Illustrative simulation: two partners' felt connection rises together",
        citation="simulation by rdlearn, shaped after " + _citation([p["id"] for p in published]),
        summary=summary, source_ids=_sources(published),
        finding_ids=[p["id"] for p in published], table=table, height=400,
        notes=[CHANGE_R_EXPLAINED_ANY_PAIR, CHANGE_R_OURS],
        extra_meta={"simulated": True, "seed": seed, "simulated_r": r,
                    "simulated_change_r": change_r,
                    "therapist": therapist, "client": client},
    )
