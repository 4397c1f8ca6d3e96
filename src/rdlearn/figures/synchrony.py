"""Connection minute by minute: a simulated pair beside the published agreement."""

from __future__ import annotations

import plotly.graph_objects as go

from rdlearn.figures._research import (
    _CLIENT,
    _THERAPIST,
    _citation,
    _point,
    _rows,
    _sources,
)
from rdlearn.figures.theme import OKABE_ITO, _number, finish

__all__ = ["connection_minute_by_minute"]


def _simulate_pair(seed: int, minutes: int) -> tuple[list[float], list[float]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    t = np.arange(1, minutes + 1)
    trend = 2.5 + 5.5 * (1 - np.exp(-t / 5.0))  # fast early rise that levels off
    therapist = trend + rng.normal(0, 0.45, minutes)
    client = trend + rng.normal(0, 0.45, minutes) - 0.4
    client[5] -= 2.5  # minute 6: the client dips, the therapist does not
    for series in (therapist, client):
        series[14] -= 2.2  # minute 15: both dip ...
        series[15] -= 1.0  # ... and are back up by minute 17
    clip = [np.clip(np.rint(s), 0, 10) for s in (therapist, client)]
    return [float(v) for v in clip[0]], [float(v) for v in clip[1]]


def connection_minute_by_minute(*, seed: int = 2012) -> go.Figure:
    """An ILLUSTRATIVE SIMULATION of one 20-minute pair rating connection on 0-10 each minute.

    Shaped after the example pair described in Cooper's review (a client-only dip at minute
    6, a shared dip at 15, recovery by 17) and the published rise that levels off. The
    agreement r is computed from the drawn series and shown beside the published figures.
    The same ``seed`` always draws the same pair.
    """
    import numpy as np
    from plotly.subplots import make_subplots

    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError("seed must be a whole number, 0 or more")
    minutes = 20
    therapist, client = _simulate_pair(seed, minutes)
    r = float(np.corrcoef(therapist, client)[0, 1])
    published = _rows(("cooper2012-median-r", "cooper2013-review-mean-r"))
    fig = make_subplots(rows=1, cols=2, column_widths=[0.68, 0.32], horizontal_spacing=0.16,
                        subplot_titles=("Simulated ratings, minute by minute",
                                        "Agreement between partners (r)"))
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
    labels = ["This simulated pair", "Published paper:<br>median of 80 pairs",
              "Review draft:<br>mean of 80 pairs"]
    values = [r] + [p["value"] for p in published]
    fig.add_trace(go.Scatter(
        x=values, y=labels, mode="markers+text", name="Agreement r", showlegend=False,
        marker={"size": 18, "color": [OKABE_ITO["vermillion"], OKABE_ITO["black"],
                                      OKABE_ITO["reddish_purple"]]},
        text=[f"{v:.2f}" for v in values], textposition="top center",
        customdata=[["", "", ""]] + [_point(p, "x") for p in published],
    ), row=1, col=2)
    fig.update_yaxes(range=[0, 10.5], dtick=2, title_text="Connection (0 = none, 10 = deep)",
                     row=1, col=1)
    fig.update_xaxes(title_text="Minute of the session", dtick=2, range=[0.5, minutes + 0.5],
                     row=1, col=1)
    fig.update_xaxes(range=[0, 1], dtick=0.25, title_text="r", row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    median, mean = published
    summary = (
        f"This is a simulated pair (seed {seed}), not data from the study. Both simulated "
        "partners' ratings rise quickly and then level off; the client dips alone at minute 6, "
        "both dip at minute 15 and recover by minute 17. The agreement between the two "
        f"simulated series is r = {r:.2f}. In the published study of {median['n']} pairs the "
        f"median agreement was r = {_number(median['value'])}, in {_citation([median['id']])}; "
        f"the earlier review draft, {_citation([mean['id']])}, reports a mean of about "
        f"{_number(mean['value'])}, a different statistic. Part of the agreement may come "
        "from both partners simply warming up over the session."
    )
    table: list[dict] = [{"what": f"minute {m}", "therapist (simulated)": t,
                          "client (simulated)": c}
                         for m, t, c in zip(xs, therapist, client, strict=True)]
    table.append({"what": "r, this simulated pair", "r": round(r, 2)})
    table += [{"what": f"{p['statistic']}, {p['n']} real pairs, {_citation([p['id']])}",
               "r": p["value"]} for p in published]
    return finish(
        fig, title="Illustrative simulation: two partners' felt connection rises together",
        citation="simulation by rdlearn, shaped after " + _citation([p["id"] for p in published]),
        summary=summary, source_ids=_sources(published),
        finding_ids=[p["id"] for p in published], table=table, height=400,
        extra_meta={"simulated": True, "seed": seed, "simulated_r": r,
                    "therapist": therapist, "client": client},
    )
