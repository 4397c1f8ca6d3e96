"""What relating does: therapy outcomes, common factors, and relatedness and mortality."""

from __future__ import annotations

from collections.abc import Sequence

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

__all__ = ["outcomes", "common_factors", "relatedness_mortality"]


_ELEMENTS = (
    ("Alliance", "fluckiger2018-alliance-r"),
    ("Empathy", "elliott2018-empathy-r"),
    ("Congruence", "kolden2011-congruence-r"),
    ("Positive regard", "farber2018-positive-regard-g"),
    ("Positive regard (multilevel)", "farber2018-positive-regard-multilevel-g"),
)


#: The label the common-factors estimate carries: the weakest kind of source in the kit.
WEAKEST = "read in a practitioner blog, no study"

#: The label the secondhand relational-depth range carries wherever it is drawn.
SECONDHAND = "Secondhand: one unpublished thesis, statistic not seen"


def outcomes(
    *,
    rdi_ids: Sequence[str] = ("wiggins2011b-rdi-outcome-low", "wiggins2011b-rdi-outcome-high"),
    elements: Sequence[tuple[str, str]] = _ELEMENTS,
) -> go.Figure:
    """Meta-analyses of relationship elements and outcome, with the secondhand RDI range apart.

    The relational-depth range (``rdi_ids``, from one unpublished thesis known only through
    Cooper's review) is not of the same standing as the meta-analyses: it is drawn in its
    own grey panel labelled as secondhand, never on the meta-analyses' axis. Pass
    ``rdi_ids=()`` to leave it out.
    """
    from plotly.subplots import make_subplots

    rdi = _rows(rdi_ids)
    if rdi:
        fig = make_subplots(rows=1, cols=2, column_widths=[0.7, 0.3], horizontal_spacing=0.2,
                            subplot_titles=("Meta-analyses: relationship elements and outcome",
                                            SECONDHAND.replace(": ", ":<br>", 1).replace(
                                                ", ", ",<br>")))
    else:
        fig = make_subplots(rows=1, cols=1, subplot_titles=(
            "Meta-analyses: relationship elements and outcome",))
    element_rows = []
    for kind, colour, symbol in (("r", _THERAPIST, "circle"), ("g", _CLIENT, "diamond")):
        picked = [(label, row) for label, row in zip(
            [e[0] for e in elements], _rows(e[1] for e in elements), strict=True)
            if row["statistic"] == kind]
        if not picked:
            continue
        element_rows += [row for _, row in picked]
        has_ci = any(row["ci_low"] is not None for _, row in picked)
        error = None
        if has_ci:
            error = {"type": "data", "color": colour, "thickness": 2,
                     "array": [(row["ci_high"] - row["value"]) if row["ci_high"] is not None
                               else 0 for _, row in picked],
                     "arrayminus": [(row["value"] - row["ci_low"]) if row["ci_low"] is not None
                                    else 0 for _, row in picked]}
        fig.add_trace(go.Scatter(
            x=[row["value"] for _, row in picked],
            y=[f"{label} ({kind})" for label, _ in picked], mode="markers+text",
            name=f"{kind} (95% interval where reported)" if kind == "r" else "g (Hedges)",
            marker={"color": colour, "size": 16, "symbol": symbol}, error_x=error,
            text=[_number(row["value"]) for _, row in picked], textposition="top center",
            customdata=[_point(row, "x") for _, row in picked],
        ), row=1, col=1)
    fig.update_xaxes(range=[0, 0.45], title_text="r or g (not the same scale)", row=1, col=1)
    fig.update_yaxes(range=[len(elements) - 0.5, -0.9], row=1, col=1)
    if rdi:
        low, high = rdi
        fig.add_trace(go.Scatter(
            x=["Relational depth<br>(RDI)"] * 2, y=[low["value"], high["value"]],
            mode="lines+markers+text", name="secondhand range", showlegend=False,
            line={"color": OKABE_ITO["black"], "width": 3, "dash": "dot"},
            marker={"color": "white", "size": 14,
                    "line": {"color": OKABE_ITO["black"], "width": 2}},
            text=[f"{_number(low['value'])}%", f"{_number(high['value'])}%"],
            textposition="middle right", customdata=[_point(low, "y"), _point(high, "y")],
        ), row=1, col=2)
        fig.update_yaxes(range=[0, 40], title_text="% of outcome (as reported)", row=1, col=2)
    caveat = ("Associations, not proof of cause: a third factor, such as a client's motivation, "
              "could drive both the relationship and improvement. r and g are different "
              "statistics: compare within each, not across.")
    summary = (
        "Meta-analyses find that relationship elements go with outcome: " + "; ".join(
            f"{label.lower()} {row['statistic']} = {_number(row['value'])}"
            for (label, _), row in zip(elements, _rows(e[1] for e in elements), strict=True)
        ) + ". " + caveat
    )
    table = []
    for (label, fid), row in zip(elements, _rows(e[1] for e in elements), strict=True):
        ci = (f"{_number(row['ci_low'])} to {_number(row['ci_high'])}"
              if row["ci_low"] is not None else "not reported")
        table.append({"measure": f"{label} and outcome ({row['statistic']})",
                      "value": row["value"], "95% interval": ci, "source": _citation([fid]),
                      "kind of evidence": "meta-analysis"})
    notes = [caveat]
    if rdi:
        low, high = rdi
        apart = (f"Shown apart, not of the same standing: {SECONDHAND.lower()}. Cooper's review "
                 f"reports that depth of relating at a helpful moment accounted for "
                 f"{_number(low['value'])} to {_number(high['value'])}% of outcome in one "
                 f"unpublished thesis ({_citation([low['id']])}); it has not been replicated.")
        summary += " " + apart
        notes.append(apart)
        table.append({"measure": "share of outcome accounted for by depth (range)",
                      "value": f"{_number(low['value'])} to {_number(high['value'])}%",
                      "95% interval": "not seen", "source": _citation([low["id"]]),
                      "kind of evidence": SECONDHAND.lower()})
    ids = [*(e[1] for e in elements), *rdi_ids]
    return finish(
        fig, title="Meta-analyses: relationship elements go with outcome, not proof of cause",
        citation=_citation(ids), summary=summary, source_ids=_sources([*element_rows, *rdi]),
        finding_ids=ids, table=table, notes=notes, height=420, axis_space=110,
    )


def common_factors(
    *,
    ids: Sequence[str] = (
        "asaylambert1999-client-factors",
        "asaylambert1999-relationship-factors",
        "asaylambert1999-expectancy",
        "asaylambert1999-technique",
    ),
    highlight: str = "asaylambert1999-relationship-factors",
) -> go.Figure:
    """The 40/30/15/15 common-factors split, flagged as the weakest kind of source in the kit.

    The figures were read in a practitioner blog, not in the chapter and not in any study:
    an estimate, never to be set beside meta-analytic results as if it were one.
    """
    rows = _rows(ids)
    names = [r["measure"].replace("share of client improvement credited to ", "").capitalize()
             for r in rows]
    fig = go.Figure(go.Bar(
        y=names, x=[r["value"] for r in rows], orientation="h", name="estimated share",
        marker_color=[OKABE_ITO["vermillion"] if r["id"] == highlight else OKABE_ITO["sky_blue"]
                      for r in rows],
        text=[f"{_number(r['value'])}% (estimate)" for r in rows], textposition="outside",
        customdata=[_point(r, "x") for r in rows],
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 60])
    fig.add_annotation(text=f"AN ESTIMATE, NOT A MEASUREMENT<br>{WEAKEST}", xref="paper",
                       yref="paper", x=1, y=0.02, xanchor="right", yanchor="bottom",
                       showarrow=False, align="right",
                       font={"size": 16, "color": OKABE_ITO["vermillion"]},
                       bordercolor=OKABE_ITO["vermillion"], borderwidth=2, borderpad=4)
    summary = (
        "An often-quoted estimate divides client improvement into " + ", ".join(
            f"{n.lower()} {_number(r['value'])}%" for n, r in zip(names, rows, strict=True)
        ) + ". It is an estimate, not a measured split of outcome and not a meta-analysis; "
        "how the percentages were derived was not seen here, and later work uses effect sizes "
        f"instead. Weakest kind of source in the kit: {WEAKEST}, citing the chapter; do not "
        "weigh it against meta-analytic results."
    )
    return finish(
        fig, title="Read in a practitioner blog, no study: an estimate gives the relationship 30%",
        citation=_citation(ids), summary=summary, source_ids=_sources(rows), finding_ids=ids,
        x_title="Estimated % of improvement", height=320, table=[
            {"factor": n, "estimated % of improvement": r["value"],
             "kind of source": WEAKEST} for n, r in zip(names, rows, strict=True)],
    )


def relatedness_mortality(
    *,
    survival_ids: Sequence[str] = (
        "holtlunstad2010-overall-or",
        "holtlunstad2010-complex-integration-or",
        "holtlunstad2010-living-alone-or",
    ),
    death_ids: Sequence[str] = (
        "holtlunstad2015-isolation-or",
        "holtlunstad2015-loneliness-or",
        "holtlunstad2015-living-alone-or",
    ),
    survival_labels: Sequence[str] = (
        "All measures combined", "Social integration<br>(complex measures)",
        "Living with others<br>(yes/no)"),
    death_labels: Sequence[str] = ("Social isolation", "Loneliness", "Living alone"),
) -> go.Figure:
    """Holt-Lunstad's odds ratios in two panels, since the two papers point in opposite ways.

    In the 2010 review an odds ratio above 1 means higher odds of surviving with stronger
    relationships; in the 2015 review it means higher odds of dying when isolated. An odds
    ratio compares odds, not probabilities, so it is never read as a percentage change in chance.
    """
    from plotly.subplots import make_subplots

    survival = _rows(survival_ids)
    death = _rows(death_ids)
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.3, subplot_titles=(
        "2010: above 1 = HIGHER ODDS OF SURVIVING with stronger social relationships",
        "2015: above 1 = HIGHER ODDS OF DYING when isolated, lonely or living alone",
    ))
    for row_number, rows, labels, colour in (
        (1, survival, survival_labels, OKABE_ITO["bluish_green"]),
        (2, death, death_labels, OKABE_ITO["vermillion"]),
    ):
        has_ci = [r for r in rows if r["ci_low"] is not None]
        error = None
        if has_ci:
            error = {"type": "data", "color": colour, "thickness": 2,
                     "array": [(r["ci_high"] - r["value"]) if r["ci_high"] is not None else 0
                               for r in rows],
                     "arrayminus": [(r["value"] - r["ci_low"]) if r["ci_low"] is not None
                                    else 0 for r in rows]}
        fig.add_trace(go.Scatter(
            x=[r["value"] for r in rows], y=list(labels), mode="markers+text",
            marker={"color": colour, "size": 16}, error_x=error,
            text=[f"{r['value']:.2f}" for r in rows], textposition="top center",
            name="survival (2010)" if row_number == 1 else "mortality (2015)",
            customdata=[_point(r, "x") for r in rows], showlegend=False,
        ), row=row_number, col=1)
        fig.add_vline(x=1, line={"color": OKABE_ITO["black"], "dash": "dot", "width": 2},
                      row=row_number, col=1)
        fig.update_xaxes(range=[0.8, 2.4], row=row_number, col=1,
                         title_text="Odds ratio (1 = no difference)")
        fig.update_yaxes(range=[len(rows) - 0.5, -0.9], row=row_number, col=1)
    overall = survival[0]
    summary = (
        "Two meta-analyses point the same way but report odds ratios in opposite directions, "
        "so they are shown in separate panels and not on one scale. In 2010 "
        f"({overall['k']} studies, {overall['n']:,} people) odds ratios above 1 mean higher "
        "odds of surviving with stronger social relationships: " + "; ".join(
            f"{r['measure']} {_number(r['value'])} (95% interval {_number(r['ci_low'])} to "
            f"{_number(r['ci_high'])})" for r in survival) + ". In 2015 odds ratios above 1 "
        "mean higher odds of dying: " + "; ".join(
            f"{r['measure']} {_number(r['value'])}" for r in death) + ". For example, with "
        f"stronger relationships the odds of surviving were {_number(overall['value'])} times "
        "as high. An odds ratio compares odds, not probabilities: do not read it as a "
        "percentage change in anyone's chance of surviving or dying. The living-alone "
        "interval in 2010 includes 1, so that comparison may show no difference. These are "
        "observational studies: associations, not proof of cause."
    )
    table = [{"review": _citation([r["id"]]), "comparison": r["measure"],
              "odds ratio": r["value"],
              "95% interval": (f"{_number(r['ci_low'])} to {_number(r['ci_high'])}"
                               if r["ci_low"] is not None else "not seen"),
              "above 1 means": ("higher odds of surviving" if r in survival
                                else "higher odds of dying")}
             for r in [*survival, *death]]
    ids = [*survival_ids, *death_ids]
    return finish(
        fig, title="Stronger social ties go with survival, and isolation with earlier death",
        citation=_citation(ids), summary=summary, source_ids=_sources([*survival, *death]),
        finding_ids=ids, table=table, height=560,
    )
