"""What people describe: the domains of the experience and what helps or hinders it.

Both charts are tables of wording kept in ``data/charts.yaml`` (read by
:func:`load_chart_text`), each row naming its source.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import plotly.graph_objects as go

from rdlearn.figures.theme import _GRID, OKABE_ITO, _number, finish

__all__ = [
    "CHARTS_FILE",
    "load_chart_text",
    "experience_domains",
    "facilitating_inhibiting",
]

#: The data file that holds the charts' wording.
CHARTS_FILE = "charts.yaml"


@functools.cache
def _chart_text() -> dict[str, tuple[tuple[str, str], ...]]:
    from rdlearn.content import findings, schema
    from rdlearn.content import loader as content

    data = content.load_yaml(CHARTS_FILE)
    schema.validate(data, "charts", file=CHARTS_FILE)
    out = {}
    for chart, rows in data.items():
        for n, row in enumerate(rows, start=1):
            for key in ("source", "reported_in"):
                sid = row.get(key)
                if sid is None:
                    continue
                try:
                    findings.source(sid)
                except KeyError:
                    raise content.ContentError(
                        CHARTS_FILE, f"{chart} row {n} ({row['label']}), key {key!r}",
                        f"unknown source {sid!r}: add it to sources.csv") from None
        out[chart] = tuple((row["label"], row["text"]) for row in rows)
    return out


def load_chart_text() -> dict[str, tuple[tuple[str, str], ...]]:
    """The charts' wording from ``data/charts.yaml``: (label, text) rows per chart.

    Raises :class:`rdlearn.content.loader.ContentError` naming the file, the row and the
    problem when the file breaks its schema or names a source not in ``sources.csv``.

    Examples
    --------
    >>> [label for label, _ in load_chart_text()["role_differences"]]
    ['Therapists more often describe', 'Clients more often describe']
    """
    return _chart_text()


def _text_table(header: Sequence[str], rows: Sequence[tuple[str, str]], *, domain_y,
                fill: str) -> go.Table:
    return go.Table(
        domain={"x": [0, 1], "y": domain_y},
        columnwidth=[1, 3],
        header={"values": [f"<b>{h}</b>" for h in header], "fill_color": fill,
                "font": {"color": "white", "size": 17}, "align": "left", "height": 34,
                "line_color": "white"},
        cells={"values": [[r[0] for r in rows], [r[1] for r in rows]],
               "fill_color": "white", "line_color": _GRID, "align": "left",
               "font": {"size": 15, "color": OKABE_ITO["black"]}, "height": 30},
    )


def experience_domains(
    *,
    domains: Sequence[tuple[str, str]] | None = None,
    role_differences: Sequence[tuple[str, str]] | None = None,
) -> go.Figure:
    """The four domains of the experience of relational depth, and where roles differ.

    By default the rows come from ``data/charts.yaml`` (:func:`load_chart_text`).
    """
    from rdlearn.content import findings

    text = load_chart_text()
    domains = text["experience_domains"] if domains is None else domains
    role_differences = text["role_differences"] if role_differences is None else role_differences

    fig = go.Figure()
    fig.add_trace(_text_table(("Domain", "What people describe"), domains,
                              domain_y=[0.4, 1], fill=OKABE_ITO["blue"]))
    fig.add_trace(_text_table(("Role", "What stands out"), role_differences,
                              domain_y=[0, 0.33], fill=OKABE_ITO["vermillion"]))
    connelly = findings.finding("connelly2009-domains")
    summary = (
        "Across interview and survey studies of therapists and clients, accounts of relational "
        "depth fall into four domains, which overlap so much that the experience looks close to "
        f"a single whole. Other schemes, such as Connelly's {_number(connelly['value'])} domains "
        "(physical, emotional, spiritual, silence), fit inside this structure. Therapists and "
        "clients describe it from their own side of the relationship."
    )
    table = [{"part": f"Domain: {d}", "what people describe": text} for d, text in domains]
    table += [{"part": who, "what people describe": text} for who, text in role_differences]
    ids = ["connelly2009-domains", "knox2008-n"]
    return finish(
        fig, title="People describe relational depth in four overlapping areas of experience",
        citation=findings.cite("cooper2013review") + ", synthesising Cooper (2005), Knox (2008), "
        "Wiggins, Elliott & Cooper (2012) and unpublished dissertations",
        summary=summary,
        source_ids=["cooper2013review", "cooper2005", "knox2008", "wiggins2012", "macleod2009",
                    "morris2009", "connelly2009"],
        finding_ids=ids, table=table, height=470, axis_space=10,
    )


def facilitating_inhibiting(
    *, factors: Sequence[tuple[str, str]] | None = None,
) -> go.Figure:
    """What 14 mostly person-centred clients (and some trainees) said helped and hindered.

    Qualitative themes from small samples, with that scope in the title; by default the
    rows come from ``data/charts.yaml`` (:func:`load_chart_text`).
    """
    from rdlearn.content import findings

    factors = load_chart_text()["facilitating_inhibiting"] if factors is None else factors
    fig = go.Figure(_text_table(("Factor", "What the research describes"), factors,
                                domain_y=[0, 1], fill=OKABE_ITO["bluish_green"]))
    knox = findings.finding("knox2008-n")
    summary = (
        f"{knox['n']} clients, mostly of person-centred counselling, interviewed by Knox about "
        "moments of depth, described what helped in who their therapist was and what their "
        "therapist did, and stressed their own readiness and choice to open up. Relationships "
        "without depth were described as the near opposite. Trainee therapists, in an "
        "unpublished dissertation known through Cooper's review, named their own fear, "
        "defences and fear of shame as barriers. These are themes from small interview "
        "samples, not frequencies, and not necessarily what clients of other approaches would "
        "say. That therapists can invite depth but not make it happen is Mearns and Cooper's "
        "position, not a finding of these studies."
    )
    ids = ["knox2008-n", "knoxcooper2010-n", "connelly2009-domains"]
    return finish(
        fig, title=f"What {knox['n']} mostly person-centred clients said helped and hindered "
                   "meeting at depth",
        citation=findings.cite("cooper2013review") + ", reviewing Knox (2008), Knox & Cooper "
        "(2010, 2011) and Connelly (2009, as reported in Cooper, 2013)",
        summary=summary,
        source_ids=["cooper2013review", "knox2008", "knoxcooper2010", "knoxcooper2011",
                    "connelly2009", "mearnscooper2005"],
        finding_ids=ids,
        table=[{"factor": f, "what the research describes": text} for f, text in factors],
        height=500, axis_space=10,
    )
