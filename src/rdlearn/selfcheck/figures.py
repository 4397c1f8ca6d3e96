"""The self-check charts: a scored profile in, a plotly figure out (shown by the widgets).

Each builder takes a :class:`rdlearn.selfcheck.scoring.Result` and its instrument and returns
a figure finished in the house look by :func:`rdlearn.figures.finish`; none shows anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdlearn.selfcheck import instruments as selfcheck
from rdlearn.selfcheck import scoring
from rdlearn.selfcheck.scoring import _fmt

__all__ = ["disconnection_figure", "frequency_figure", "confidence_figure", "default_chart"]


_LEUNG_CAVEAT = (
    "Leung asked a single question, and the items here are rdlearn's own, so treat the "
    "comparison as a rough guide: the survey's sample chose to take part and was mostly "
    "humanistic in orientation, and its figures are known only through Cooper's review."
)


def disconnection_figure(result: scoring.Result, instrument: Mapping):
    """Everyday and therapy ratings side by side for each strategy rated (grouped bars)."""
    import plotly.graph_objects as go

    from rdlearn import figures

    rated = [it for it in result.items if any(v is not None for v in it["values"].values())]
    labels = [it["label"] for it in rated]
    top = {it["id"] for it in scoring.most_present(result, context="therapy")}
    fig = go.Figure()
    colours = {"everyday": figures.PALETTE[0], "therapy": figures.PALETTE[1]}
    for ctx in instrument["contexts"]:
        values = [it["values"].get(ctx["id"]) for it in rated]
        widths = [3 if (ctx["id"] == "therapy" and it["id"] in top) else 0 for it in rated]
        fig.add_trace(go.Bar(
            name=ctx["label"], y=labels, x=values, orientation="h",
            marker={"color": colours.get(ctx["id"], figures.PALETTE[2]),
                    "line": {"color": figures.OKABE_ITO["black"], "width": widths}},
        ))
    scale = instrument["scale"]
    ticks = list(range(scale["min"], scale["max"] + 1))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(range=[scale["min"], scale["max"]], tickvals=ticks,
                     ticktext=[selfcheck.anchor_label(instrument, t) for t in ticks])
    fig.update_yaxes(autorange="reversed")
    top_names = [it["label"] for it in scoring.most_present(result, context="therapy")]
    title = ("Most present in your therapy work: " + ", ".join(top_names) if top_names
             else "Your strategies in everyday life and in therapy work")
    table = [{"strategy": it["label"],
              **{c["short"]: _table_value(it, c["id"]) for c in instrument["contexts"]}}
             for it in rated]
    return figures.finish(
        fig, title=title, x_title="How much it is part of me",
        summary=("Each strategy you rated, with your everyday rating beside your therapy "
                 "rating. Strategies with a black outline are the ones you rated highest in "
                 "therapy work. " + instrument["not_a_measure"]),
        table=table, height=max(420, 120 + 60 * len(rated)),
    )


def _table_value(item: Mapping, context: str | None) -> Any:
    if context not in item["values"]:
        return "not answered"
    value = item["values"][context]
    return "prefer not to say" if value is None else value


def frequency_figure(result: scoring.Result, instrument: Mapping):
    """Your average beside the means of Leung's therapists and clients (bars)."""
    import plotly.graph_objects as go

    from rdlearn import figures
    from rdlearn.content import findings

    mine = result.groups[0].average
    names, values, colours = [], [], []
    if mine is not None:
        names.append("You (rdlearn's items)")
        values.append(round(mine, 2))
        colours.append(figures.PALETTE[1])
    ids = []
    for entry in instrument.get("compare_with", []):
        found = findings.finding(entry["finding"])
        names.append(entry["label"])
        values.append(found["value"])
        colours.append(figures.PALETTE[0])
        ids.append(entry["finding"])
    fig = go.Figure(go.Bar(x=names, y=values, marker={"color": colours},
                           text=[_fmt(v) for v in values], textposition="outside"))
    scale = instrument["scale"]
    fig.update_yaxes(range=[0, scale["max"] + 0.5],
                     tickvals=list(range(scale["min"], scale["max"] + 1)))
    citations = "; ".join(dict.fromkeys(findings.cite(i) for i in ids))
    title = ("How often you meet at depth, beside an early survey" if mine is not None
             else "How often therapists and clients met at depth in an early survey")
    return figures.finish(
        fig, title=title, citation=citations + " (secondary source)" if citations else None,
        summary=(f"Averages on a {scale['min']} to {scale['max']} range "
                 "(1 = not at all, 7 = all the time). " + _LEUNG_CAVEAT),
        finding_ids=ids, source_ids=instrument["construct_source"]["source_ids"],
        table=[{"who": n, "average": v} for n, v in zip(names, values, strict=True)],
        y_title="Average (1 to 7)",
    )


def confidence_figure(result: scoring.Result, instrument: Mapping):
    """Confidence in each learning outcome at the start and the end of the day."""
    import plotly.graph_objects as go

    from rdlearn import figures

    rows = scoring.changes(result, before="start", after="end")
    labels = [it["label"] for it in result.items]
    fig = go.Figure()
    for ctx, key, colour in (("Start of the day", "before", figures.PALETTE[0]),
                             ("End of the day", "after", figures.PALETTE[1])):
        fig.add_trace(go.Bar(name=ctx, y=labels, x=[r[key] for r in rows], orientation="h",
                             marker={"color": colour}))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(range=[0, instrument["scale"]["max"]])
    fig.update_yaxes(autorange="reversed")
    changed = [r for r in rows if r["change"] is not None]
    if changed:
        biggest = max(changed, key=lambda r: r["change"])
        title = f"Your confidence changed most on: {_label_of(result, biggest['id'])}"
        if biggest["change"] <= 0:
            title = "Your confidence in the learning outcomes, start and end of the day"
    else:
        title = "Your confidence in the learning outcomes"
    return figures.finish(
        fig, title=title, x_title="Confidence (0 to 10)",
        summary=("Your own ratings of confidence in each learning outcome, at the start and at "
                 "the end of the day. " + instrument["not_a_measure"]),
        table=[{"outcome": r["text"], "start": _blank(r["before"]), "end": _blank(r["after"]),
                "change": _blank(r["change"])} for r in rows],
    )


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _label_of(result: scoring.Result, item_id: str) -> str:
    return next(it["label"] for it in result.items if it["id"] == item_id)


def default_chart(instrument_id: str):
    """The chart builder for an instrument's profile, or ``None`` when it has no chart."""
    if instrument_id == "chronic-disconnection":
        return disconnection_figure
    if instrument_id.startswith("connection-frequency"):
        return frequency_figure
    if instrument_id == "outcome-confidence":
        return confidence_figure
    return None
