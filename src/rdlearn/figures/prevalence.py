"""How many people meet at depth: prevalence surveys and Leung's ratings."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from rdlearn.figures._research import (
    _CLIENT,
    _THERAPIST,
    _citation,
    _percent,
    _point,
    _role_colour,
    _rows,
    _sources,
)
from rdlearn.figures.theme import OKABE_ITO, _number, finish

__all__ = ["prevalence_leung", "prevalence_small_studies", "leung_ratings"]


def prevalence_leung(
    *, ids: Sequence[str] = ("leung2008-therapists-any-rd", "leung2008-clients-any-rd"),
) -> go.Figure:
    """Leung's survey: the share of therapists and of clients who could name a moment of depth."""
    rows = _rows(ids)
    labels = [f"{r['group'].capitalize()} (n = {r['n']})" for r in rows]
    fig = go.Figure(go.Bar(
        x=labels, y=[r["value"] for r in rows], name="could name a moment",
        marker_color=[_role_colour(r["group"]) for r in rows],
        text=[_percent(r) for r in rows], textposition="outside",
        customdata=[_point(r, "y") for r in rows],
        hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(range=[0, 110], tickvals=[0, 25, 50, 75, 100])
    parts = [f"{_percent(r)} of {r['n']} {r['group']}" for r in rows]
    summary = (
        "In an online survey, " + " and ".join(parts) + " could name at least one moment of "
        "relational depth in therapy. Clients did so significantly less often. The people who "
        "answered chose to take part, were mostly from humanistic traditions, and many clients "
        "were therapists too; therapists also have far more therapy relationships than clients. "
        "The survey is an unpublished MSc dissertation known through Cooper's review."
    )
    return finish(
        fig, title="Most therapists, and most clients, could recall a moment of relational depth",
        citation=_citation(ids), summary=summary, source_ids=_sources(rows),
        finding_ids=ids, x_title="Who answered",
        y_title="% who could name at least one moment",
        table=[{"group": r["group"], "percent who could name a moment": r["value"], "n": r["n"]}
               for r in rows],
    )


def prevalence_small_studies(
    *,
    ids: Sequence[str] = (
        "cooper2005-therapists-any-rd",
        "macleod2009-therapists-any-rd",
        "morris2009-psychologists-any-rd",
        "omielan2009-clients-any-rd",
    ),
    events_id: str | None = "wiggins2012-events-rd",
) -> go.Figure:
    """Small interview studies as "x of n": how many of those asked described a moment of depth.

    ``events_id`` adds Wiggins et al.'s judged events as a note under the chart (the abstract
    gives only "over one third", so it is not drawn as a bar).
    """
    from rdlearn.content import findings

    rows = _rows(ids)
    labels = [
        f"{findings.cite(r['source_id'])}{'*' if r['primary_or_secondary'] == 'secondary' else ''}"
        f"<br>{r['group']}" for r in rows
    ]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=[r["n"] for r in rows], orientation="h", name="people asked",
        marker_color=OKABE_ITO["sky_blue"], customdata=[_point(r, "x", "n") for r in rows],
        hovertemplate="%{x} asked<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=labels, x=[r["value"] for r in rows], orientation="h",
        name="described a moment of depth", marker_color=OKABE_ITO["blue"],
        text=[f"{_number(r['value'])} of {r['n']}" for r in rows], textposition="inside",
        insidetextanchor="end", textfont={"color": "white"},
        customdata=[_point(r, "x") for r in rows],
        hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1)
    total_x = sum(r["value"] for r in rows)
    total_n = sum(r["n"] for r in rows)
    summary = (
        f"Across {len(rows)} small interview studies, {_number(total_x)} of {total_n} people "
        "described at least one moment of relational depth: " + "; ".join(
            f"{findings.cite(r['source_id'])}, {r['group']}: {_number(r['value'])} of {r['n']}"
            for r in rows
        ) + ". Studies marked * are unpublished dissertations known through Cooper's review."
    )
    table = [{"study": findings.cite(r["id"]), "who": r["group"],
              "described a moment": r["value"], "asked": r["n"]} for r in rows]
    used = list(ids)
    extra_rows = []
    notes: list[str] = []
    if any(r["primary_or_secondary"] == "secondary" for r in rows):
        notes.append("* unpublished dissertation, known only through Cooper's review")
    if events_id:
        ev = findings.finding(events_id)
        extra_rows.append(ev)
        used.append(events_id)
        note = (f"Also: judges saw relational depth in over one third of the significant events "
                f"described by {ev['n']} respondents in {findings.cite(events_id)}; "
                "the exact share is not given in the abstract.")
        notes.append(note)
        summary += " " + note
        table.append({"study": findings.cite(events_id), "who": ev["group"],
                      "described a moment": "over one third of events",
                      "asked": ev["n"]})
    return finish(
        fig, title="In small interview studies, most people asked could describe such a moment",
        citation=_citation(used), summary=summary, source_ids=_sources([*rows, *extra_rows]),
        finding_ids=used, x_title="People interviewed", table=table, notes=notes, height=380,
    )


_LEUNG_QUESTIONS = (
    ("How often such moments happen", "1 = not at all, 7 = all the time",
     "leung2008-therapists-frequency", "leung2008-clients-frequency"),
    ("Importance for change and outcome", "1 = not at all, 7 = extremely",
     "leung2008-therapists-importance", "leung2008-clients-importance"),
    ("Lasting impact", "a similar 7-point scale",
     "leung2008-therapists-impact", "leung2008-clients-impact"),
)


def leung_ratings(
    *, questions: Sequence[tuple[str, str, str, str]] = _LEUNG_QUESTIONS,
) -> go.Figure:
    """Leung's 7-point ratings by therapists and clients: frequency, importance, lasting impact.

    ``questions`` holds (label, scale anchors, therapist finding id, client finding id).
    """
    fig = go.Figure()
    ticks = [f"{label}<br>({anchors})" for label, anchors, _, _ in questions]
    ids: list[str] = []
    all_rows: list[dict] = []
    for column, (name, colour, symbol, shift) in enumerate(
        (("therapists", _THERAPIST, "circle", -0.15), ("clients", _CLIENT, "diamond", 0.15))
    ):
        rows = _rows(q[2 + column] for q in questions)
        all_rows += rows
        ids += [r["id"] for r in rows]
        fig.add_trace(go.Scatter(
            x=[r["value"] for r in rows], y=[i + shift for i in range(len(rows))],
            mode="markers+text", name=f"{name.capitalize()} (n = {rows[0]['n']})",
            marker={"color": colour, "size": 20, "symbol": symbol},
            text=[_number(r["value"]) for r in rows], textposition="middle right",
            customdata=[_point(r, "x") for r in rows],
            hovertemplate="%{x}<extra>" + name + "</extra>",
        ))
    fig.update_xaxes(range=[1, 7.6], tickvals=list(range(1, 8)),
                     ticktext=["1<br>not at all", "2", "3", "4", "5", "6", "7<br>highest"])
    fig.update_yaxes(tickvals=list(range(len(questions))), ticktext=ticks,
                     range=[len(questions) - 0.5, -0.5], showgrid=False)
    table = []
    for label, anchors, t_id, c_id in questions:
        t, c = _rows((t_id, c_id))
        table.append({"question": label, "scale": f"1-7 ({anchors})",
                      "therapists (mean)": t["value"], "clients (mean)": c["value"]})
    summary = (
        "Therapists and clients in Leung's survey rated such moments as happening around the "
        "middle of the scale, and as important for change with a lasting impact. None of the "
        "differences between therapists and clients was significant. These are beliefs about "
        "the moments, not measured outcomes; the figures come through Cooper's review."
    )
    return finish(
        fig, title="Therapists and clients rate moments of depth as fairly frequent and important",
        citation=_citation(ids), summary=summary, source_ids=_sources(all_rows),
        finding_ids=ids, x_title="Mean rating on a 7-point scale", table=table, height=380,
        axis_space=110,
    )
