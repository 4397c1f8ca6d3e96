"""Research charts: plotly figures built from data, with a text alternative for each.

Every builder takes data (or finding ids) and keyword options and returns a
``plotly.graph_objects.Figure``; none shows anything. :func:`finish` gives every chart
the house look (Okabe-Ito colours, large type for a projector, the citation printed on
the chart) and stores what the chart says in ``fig.layout.meta``, so that
:func:`describe`, :func:`data_table` and :func:`table_html` can give the same content
to someone who cannot see the chart. :func:`present` shows a chart in a notebook or
Voilà page without importing ``nbformat`` (which costs seconds per page).

Examples
--------
>>> import plotly.graph_objects as go
>>> fig = finish(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), title="B is larger than A",
...              citation="Example (2024)")
>>> describe(fig).splitlines()[0]
'B is larger than A.'
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from html import unescape
from typing import Any

import plotly.graph_objects as go

from rdlearn.figures.names import CHART_BUILDERS
from rdlearn.web.html import esc, tag

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "finish",
    "describe",
    "data_table",
    "table_html",
    "present",
    "Presentation",
    "read_chart",
    "CHART_BUILDERS",
    *CHART_BUILDERS,
]

#: The eight colours of Okabe & Ito's palette, safe for colour-blind viewers.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Order for categorical series: strong contrasts first, yellow (weak on white) last.
PALETTE: list[str] = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_GRID = "#E5E5E5"  # light grey gridlines: structure, not data


# --------------------------------------------------------------------------- formatting


def _number(value: Any) -> str:
    """A number as people write it: 98 not 98.0, 0.76 not 0.7600000001."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.4g}"


def _wrap(text: str, width: int) -> str:
    """Break a long title or note into lines plotly understands (``<br>``)."""
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def _plain(text: str) -> str:
    return text.replace("<br>", " ").strip()


# --------------------------------------------------------------------------- finishing


def finish(
    fig: go.Figure,
    *,
    title: str,
    citation: str | None = None,
    summary: str | None = None,
    source_ids: Iterable[str] = (),
    finding_ids: Iterable[str] = (),
    table: Sequence[Mapping[str, Any]] | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    notes: Sequence[str] = (),
    height: int = 360,
    axis_space: int = 90,
    extra_meta: Mapping[str, Any] | None = None,
) -> go.Figure:
    """Give a figure the house look and record what it shows.

    Parameters
    ----------
    fig
        The figure to finish (changed in place and returned).
    title
        A sentence stating the finding, e.g. "Most clients could recall a moment of depth".
    citation
        Printed under the title, e.g. "Leung (2008), as reported in Cooper (2013)".
    summary
        One or two plain sentences for the text alternative (caveats belong here).
    source_ids, finding_ids
        Rows of ``data/sources.csv`` and ``data/findings.csv`` the chart uses.
    table
        The chart's data as rows (dicts); by default read from the traces.
    x_title, y_title
        Axis titles (only set when given).
    notes
        Caveats printed under the chart (repeat them in ``summary`` for the text version).
    height, axis_space
        Height of the plotting area, and the room (pixels) left for the x axis under it;
        the title, notes and legend are added around it.
    extra_meta
        Anything else a builder wants to record in ``fig.layout.meta``.
    """
    if not str(title).strip():
        raise ValueError("a chart needs a title that states its finding")
    note_lines = [_wrap(n, 110) for n in notes]
    note_height = sum(n.count("<br>") + 1 for n in note_lines) * 20 + 12 * len(note_lines)
    shows_legend = sum(
        1 for t in fig.data if getattr(t, "showlegend", False) is not False and t.name
    ) > 1
    bottom = axis_space + note_height + (50 if shows_legend else 10)
    title_spec: dict[str, Any] = {
        "text": _wrap(title, 80), "x": 0.02, "xanchor": "left", "y": 0.985, "yanchor": "top",
        "yref": "container", "font": {"size": 22, "color": OKABE_ITO["black"]},
    }
    if citation:
        title_spec["subtitle"] = {"text": "Source: " + _wrap(citation, 120),
                                  "font": {"size": 14, "color": OKABE_ITO["black"]}}
    top = 80 + 28 * title_spec["text"].count("<br>") + (
        22 * (title_spec["subtitle"]["text"].count("<br>") + 1) if citation else 0)
    fig.update_layout(
        template="none",
        title=title_spec,
        font={"family": _FONT, "size": 17, "color": OKABE_ITO["black"]},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height + top + bottom,
        margin={"l": 80, "r": 30, "t": top, "b": bottom},
        legend={"bgcolor": "rgba(0,0,0,0)", "font": {"size": 16}, "orientation": "h",
                "xref": "container", "yref": "container", "x": 0.02, "y": 0.005,
                "xanchor": "left", "yanchor": "bottom"},
        showlegend=shows_legend,
        hoverlabel={"font": {"size": 16}},
    )
    axes = {"showline": True, "linecolor": OKABE_ITO["black"], "showgrid": True,
            "gridcolor": _GRID, "zeroline": False, "ticks": "outside", "automargin": True}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    shift = axis_space
    for text in note_lines:
        fig.add_annotation(
            text=text, xref="paper", yref="paper", x=0, y=0, yshift=-shift, xanchor="left",
            yanchor="top", showarrow=False, align="left", name="note",
            font={"size": 14, "color": OKABE_ITO["vermillion"]},
        )
        shift += (text.count("<br>") + 1) * 20 + 12
    meta = {
        "title": str(title).strip(),
        "citation": citation or "",
        "summary": summary or "",
        "source_ids": list(dict.fromkeys(source_ids)),
        "finding_ids": list(dict.fromkeys(finding_ids)),
    }
    if table is not None:
        meta["table"] = [dict(row) for row in table]
    if extra_meta:
        meta.update(extra_meta)
    fig.update_layout(meta=meta)
    return fig


def _meta(fig: go.Figure) -> dict:
    meta = fig.layout.meta
    return dict(meta) if isinstance(meta, Mapping) else {}


# --------------------------------------------------------------------------- text alternatives


def _axis_title(fig: go.Figure, axis: str, default: str) -> str:
    title = getattr(getattr(fig.layout, axis), "title", None)
    text = getattr(title, "text", None)
    return _plain(text) if text else default


def data_table(fig: go.Figure) -> list[dict]:
    """The chart's data as rows of plain values (what the chart plots, nothing more).

    A builder may record its own table through :func:`finish`; otherwise each point of
    each trace becomes a row ``{"series": name, <x axis title>: x, <y axis title>: y}``.
    """
    meta = _meta(fig)
    if "table" in meta:
        return [dict(row) for row in meta["table"]]
    x_name = _axis_title(fig, "xaxis", "x")
    y_name = _axis_title(fig, "yaxis", "y")
    rows: list[dict] = []
    for trace in fig.data:
        xs = getattr(trace, "x", None)
        ys = getattr(trace, "y", None)
        if xs is None or ys is None:
            continue
        for x, y in zip(xs, ys, strict=False):
            rows.append({"series": trace.name or "", x_name: x, y_name: y})
    return rows


def describe(fig: go.Figure) -> str:
    """A plain-text summary for people who cannot see the chart.

    The first line states the finding (the title); then the summary, the values in words,
    and the source.
    """
    meta = _meta(fig)
    title = meta.get("title") or _plain(getattr(fig.layout.title, "text", None) or "Chart")
    lines = [title.rstrip(".") + "."]
    if meta.get("summary"):
        lines.append(meta["summary"])
    rows = data_table(fig)
    if rows:
        lines.append("Values:")
        for row in rows:
            lines.append("- " + "; ".join(f"{k}: {_number(v)}" for k, v in row.items()))
    if meta.get("citation"):
        lines.append(f"Source: {meta['citation']}.")
    return "\n".join(lines)


def table_html(fig: go.Figure) -> str:
    """An accessible HTML table of the chart's data, every piece of text escaped."""
    meta = _meta(fig)
    rows = data_table(fig)
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    caption = meta.get("title", "Chart data")
    if meta.get("citation"):
        caption += f" (source: {meta['citation']})"
    head = "".join(tag("th", str(c), scope="col") for c in columns)
    body = "".join(
        tag("tr", raw="".join(tag("td", _number(row.get(c, ""))) for c in columns))
        for row in rows
    )
    return tag(
        "table",
        raw=tag("caption", caption) + tag("thead", raw=tag("tr", raw=head))
        + tag("tbody", raw=body),
        class_="rd-data-table",
    )


# --------------------------------------------------------------------------- showing


class Presentation:
    """A chart ready to display: an HTML figure the page draws when it scrolls into view.

    The output is plain HTML: the figure's plotly JSON in a ``data-rd-spec`` attribute, an
    empty drawing area of the chart's height, and the text summary and data table folded
    in a ``<details>`` element. The page template's ``charts.js`` draws each chart with the
    plotly.js the server ships, only when the chart first comes into view, so a page with
    charts becomes usable as fast as one without (plotly's JupyterLab extension spent
    1.4 s of the browser's CPU on every page that held a chart). Displaying it never calls
    ``fig.show()``, so ``nbformat`` is not imported.
    """

    def __init__(self, fig: go.Figure):
        self.figure = fig

    def spec(self) -> dict:
        """The figure as plotly.js takes it: data, layout and config."""
        spec = json.loads(self.figure.to_json())
        spec.setdefault("config", {})
        spec["config"].update({"displaylogo": False, "responsive": True})
        return spec

    def details_html(self) -> str:
        """The text summary and the data table, folded into a ``<details>`` element."""
        text = "".join(tag("p", line) for line in describe(self.figure).splitlines())
        return tag(
            "details",
            raw=tag("summary", "Text description and data") + text + table_html(self.figure),
            class_="rd-figure-text",
        )

    def html(self) -> str:
        """The chart's drawing area (drawn in the browser), then its text and data."""
        spec = json.dumps(self.spec(), separators=(",", ":"))
        height = int(self.figure.layout.height or 450)
        title = describe(self.figure).splitlines()[0]
        area = f'<div class="rd-chart__plot" style="min-height:{height}px"></div>'
        return (f'<figure class="rd-chart" data-rd-spec="{esc(spec)}" '
                f'aria-label="{esc(title)}">{area}{self.details_html()}</figure>')

    def bundle(self) -> dict:
        """The display data: the HTML figure, and the text summary for plain-text readers."""
        return {"text/html": self.html(), "text/plain": describe(self.figure)}

    def output(self) -> dict:
        """The chart as one output for an ``ipywidgets.Output``'s ``outputs``."""
        return {"output_type": "display_data", "data": self.bundle(), "metadata": {}}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.bundle()


def present(fig: go.Figure) -> Presentation:
    """Wrap a figure for display in a notebook or Voilà page (chart, then text and data)."""
    return Presentation(fig)


def read_chart(html: str) -> list[dict]:
    """The plotly specs of the charts in a page's HTML, as the browser will draw them.

    >>> read_chart(present(go.Figure(go.Bar(x=["a"], y=[3]))).html())[0]["data"][0]["y"]
    [3]
    """
    return [json.loads(unescape(found))
            for found in re.findall(r'class="rd-chart" data-rd-spec="([^"]*)"', html)]


# --------------------------------------------------------------------------- research charts

_THERAPIST = OKABE_ITO["blue"]
_CLIENT = OKABE_ITO["orange"]


def _rows(ids: Iterable[str]) -> list[dict]:
    from rdlearn.content import findings

    return [findings.finding(i) for i in ids]


def _citation(ids: Iterable[str]) -> str:
    from rdlearn.content import findings

    return "; ".join(dict.fromkeys(findings.cite(i) for i in ids))


def _sources(rows: Iterable[Mapping[str, Any]], *extra: str) -> list[str]:
    out = []
    for row in rows:
        out.append(row["source_id"])
        if row.get("reported_in"):
            out.append(row["reported_in"])
    return list(dict.fromkeys([*out, *extra]))


def _point(row: Mapping[str, Any], axis: str, field: str = "value") -> list[str]:
    """``customdata`` for one plotted point: which finding, which field, on which axis."""
    return [row["id"], field, axis]


def _role_colour(group: str) -> str:
    return _CLIENT if "client" in group.lower() else _THERAPIST


def _percent(row: Mapping[str, Any]) -> str:
    approx = "approximate" in row["statistic"]
    return ("almost " if approx else "") + f"{_number(row['value'])}%"


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


#: The four domains of the experience, described in our own words (after Cooper's review).
EXPERIENCE_DOMAINS: tuple[tuple[str, str], ...] = (
    ("Within oneself",
     "Feeling alive, energised and clear-sighted; free, spontaneous and wholly oneself; "
     "bodily sensations such as tingling; strong feeling, and yet calm, stillness and safety; "
     "absorbed in the moment; a sense of wellbeing and of one's own worth."),
    ("The other person",
     "Comes across as genuine, human and fully present, as if speaking from their core."),
    ("The relationship",
     "Close, often wordless connection; trust, at times love; equality and partnership; a "
     "two-way flow in which each knows the other knows; now and then boundaries seem to blur."),
    ("The moment itself",
     "Rare, surprising and hard to put into words; significant; like being on another level, "
     "sometimes spiritual; time seeming to stop or stretch."),
)

#: How therapists' and clients' accounts differ (after Cooper's review), in our own words.
ROLE_DIFFERENCES: tuple[tuple[str, str], ...] = (
    ("Therapists more often describe",
     "Respect and empathy for the client, sharpened focus, deeper acceptance, a sense of "
     "privilege; they see the client as vulnerable and opening up."),
    ("Clients more often describe",
     "Being known, understood, cared for and accepted; feeling vulnerable or scared; going "
     "deep into themselves; a therapist who is warm, dependable and gives more than expected."),
)


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
    domains: Sequence[tuple[str, str]] = EXPERIENCE_DOMAINS,
    role_differences: Sequence[tuple[str, str]] = ROLE_DIFFERENCES,
) -> go.Figure:
    """The four domains of the experience of relational depth, and where roles differ."""
    from rdlearn.content import findings

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


_ELEMENTS = (
    ("Alliance", "fluckiger2018-alliance-r"),
    ("Empathy", "elliott2018-empathy-r"),
    ("Congruence", "kolden2011-congruence-r"),
    ("Positive regard", "farber2018-positive-regard-g"),
    ("Positive regard (multilevel)", "farber2018-positive-regard-multilevel-g"),
)


def outcomes(
    *,
    rdi_ids: Sequence[str] = ("wiggins2011b-rdi-outcome-low", "wiggins2011b-rdi-outcome-high"),
    elements: Sequence[tuple[str, str]] = _ELEMENTS,
) -> go.Figure:
    """Relational depth and relationship elements as they relate to outcome, with caveats."""
    from plotly.subplots import make_subplots

    low, high = _rows(rdi_ids)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.3, 0.7], horizontal_spacing=0.22,
                        subplot_titles=("Depth at a helpful moment",
                                        "Relationship elements and outcome"))
    fig.add_trace(go.Scatter(
        x=["Relational depth<br>(RDI)"] * 2, y=[low["value"], high["value"]],
        mode="lines+markers+text", name="share of outcome (range)", showlegend=False,
        line={"color": OKABE_ITO["bluish_green"], "width": 14},
        marker={"color": OKABE_ITO["bluish_green"], "size": 16},
        text=[f"{_number(low['value'])}%", f"{_number(high['value'])}%"],
        textposition="middle right", customdata=[_point(low, "y"), _point(high, "y")],
    ), row=1, col=1)
    fig.update_yaxes(range=[0, 40], title_text="% of outcome accounted for", row=1, col=1)
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
        ), row=1, col=2)
    fig.update_xaxes(range=[0, 0.45], title_text="Effect size (r or g: not the same scale)",
                     row=1, col=2)
    fig.update_yaxes(range=[len(elements) - 0.5, -0.9], row=1, col=2)
    caveat = ("Associations, not proof of cause: a third factor, such as a client's motivation, "
              "could drive both depth of relating and improvement. r and g are different "
              "statistics: compare within each, not across.")
    summary = (
        f"Clients who felt more relational depth at a helpful moment improved more: depth "
        f"accounted for {_number(low['value'])} to {_number(high['value'])}% of outcome in an "
        "unpublished study known through Cooper's review, which calls for replication. "
        "Meta-analyses link relationship elements with outcome: " + "; ".join(
            f"{label.lower()} {row['statistic']} = {_number(row['value'])}"
            for (label, _), row in zip(elements, _rows(e[1] for e in elements), strict=True)
        ) + ". " + caveat
    )
    table = [{"measure": "share of outcome accounted for by depth (range)",
              "value": f"{_number(low['value'])} to {_number(high['value'])}%",
              "source": _citation([low["id"]])}]
    for (label, fid), row in zip(elements, _rows(e[1] for e in elements), strict=True):
        ci = (f"{_number(row['ci_low'])} to {_number(row['ci_high'])}"
              if row["ci_low"] is not None else "not reported")
        table.append({"measure": f"{label} and outcome ({row['statistic']})",
                      "value": row["value"], "95% interval": ci, "source": _citation([fid])})
    ids = [*rdi_ids, *(e[1] for e in elements)]
    return finish(
        fig, title="Deeper relating goes with better outcomes: associations, not proven causes",
        citation=_citation(ids), summary=summary, source_ids=_sources([low, *element_rows]),
        finding_ids=ids, table=table, notes=[caveat], height=400, axis_space=110,
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
    """The 40/30/15/15 common-factors split, flagged as an estimate, not a measurement."""
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
    fig.add_annotation(text="AN ESTIMATE, NOT A MEASUREMENT", xref="paper", yref="paper",
                       x=1, y=0.02, xanchor="right", yanchor="bottom", showarrow=False,
                       font={"size": 16, "color": OKABE_ITO["vermillion"]},
                       bordercolor=OKABE_ITO["vermillion"], borderwidth=2, borderpad=4)
    summary = (
        "An often-quoted estimate divides client improvement into " + ", ".join(
            f"{n.lower()} {_number(r['value'])}%" for n, r in zip(names, rows, strict=True)
        ) + ". It is an estimate, not a measured split of outcome and not a meta-analysis; "
        "how the percentages were derived was not seen here, and later work uses effect sizes "
        "instead. The figures were read in a practitioner blog citing the chapter."
    )
    return finish(
        fig, title="An often-quoted estimate credits the relationship with 30% of improvement",
        citation=_citation(ids), summary=summary, source_ids=_sources(rows), finding_ids=ids,
        x_title="Estimated % of improvement", height=320, table=[
            {"factor": n, "estimated % of improvement": r["value"]}
            for n, r in zip(names, rows, strict=True)],
    )


#: Facilitating and inhibiting factors (after Cooper's review of Knox's and Connelly's
#: interviews), in our own words.
FACILITATING_INHIBITING: tuple[tuple[str, str], ...] = (
    ("Helps: who the therapist is",
     "Warm, empathic and courteous; steady and at ease in themselves; willing to meet at depth; "
     "in some way like the client; the right sort of person, for some the parent they lacked."),
    ("Helps: what the therapist does",
     "Makes the room welcoming and safe; is patient, reliable and professional; accepts and "
     "understands; is real and human rather than hiding in a role; gives genuine commitment and "
     "care beyond the professional minimum; is on the client's side and holds hope."),
    ("Helps: what the client brings",
     "Readiness and a wish to go deeper; a deliberate choice to risk opening up; often just "
     "after a challenge from the therapist or a shift in the relationship."),
    ("Hinders: in the therapist (as clients saw it)",
     "Cold or distant; uncaring; not understanding or not inviting the client in; too "
     "different, or a style that does not fit; seeming inexperienced or unprofessional; "
     "manipulating or misusing power."),
    ("Hinders: within trainee therapists",
     "Fear and anxiety; their own defences; the risk of being shamed."),
)


def facilitating_inhibiting(
    *, factors: Sequence[tuple[str, str]] = FACILITATING_INHIBITING,
) -> go.Figure:
    """What helps and what gets in the way of meeting at depth (therapist, client, inhibitors)."""
    from rdlearn.content import findings

    fig = go.Figure(_text_table(("Factor", "What the research describes"), factors,
                                domain_y=[0, 1], fill=OKABE_ITO["bluish_green"]))
    knox = findings.finding("knox2008-n")
    summary = (
        f"Clients interviewed about moments of depth ({knox['n']} in Knox's studies) described "
        "what helped in who their therapist was and what their therapist did, but stressed "
        "their own readiness and choice to open up: therapists can invite depth, not make it "
        "happen. Relationships without depth were described as the near opposite. Trainee "
        "therapists named their own fear, defences and fear of shame as barriers."
    )
    ids = ["knox2008-n", "knoxcooper2010-n", "connelly2009-domains"]
    return finish(
        fig, title="Therapists can invite depth but not force it; clients' readiness matters",
        citation=findings.cite("cooper2013review") + ", reviewing Knox (2008), Knox & Cooper "
        "(2010, 2011) and Connelly (2009)",
        summary=summary,
        source_ids=["cooper2013review", "knox2008", "knoxcooper2010", "connelly2009"],
        finding_ids=ids,
        table=[{"factor": f, "what the research describes": text} for f, text in factors],
        height=500, axis_space=10,
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

    In the 2010 review an odds ratio above 1 means more likely to survive with stronger
    relationships; in the 2015 review it means more likely to die when isolated.
    """
    from plotly.subplots import make_subplots

    survival = _rows(survival_ids)
    death = _rows(death_ids)
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.3, subplot_titles=(
        "2010: above 1 = MORE LIKELY TO SURVIVE with stronger social relationships",
        "2015: above 1 = MORE LIKELY TO DIE when isolated, lonely or living alone",
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
        f"({overall['k']} studies, {overall['n']:,} people) odds ratios above 1 mean a greater "
        "chance of surviving with stronger social relationships: " + "; ".join(
            f"{r['measure']} {_number(r['value'])} (95% interval {_number(r['ci_low'])} to "
            f"{_number(r['ci_high'])})" for r in survival) + ". In 2015 odds ratios above 1 "
        "mean a greater chance of dying: " + "; ".join(
            f"{r['measure']} {_number(r['value'])}" for r in death) + ". The living-alone "
        "interval in 2010 includes 1, so that comparison may show no difference."
    )
    table = [{"review": _citation([r["id"]]), "comparison": r["measure"],
              "odds ratio": r["value"],
              "95% interval": (f"{_number(r['ci_low'])} to {_number(r['ci_high'])}"
                               if r["ci_low"] is not None else "not seen"),
              "above 1 means": "more likely to survive" if r in survival else "more likely to die"}
             for r in [*survival, *death]]
    ids = [*survival_ids, *death_ids]
    return finish(
        fig, title="Stronger social ties go with survival, and isolation with earlier death",
        citation=_citation(ids), summary=summary, source_ids=_sources([*survival, *death]),
        finding_ids=ids, table=table, height=560,
    )
