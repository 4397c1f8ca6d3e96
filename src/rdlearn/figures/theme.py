"""The house look for charts, and the same content as text and a table.

:func:`finish` gives every chart the house look (Okabe-Ito colours, large type for a
projector, the citation printed on the chart) and stores what the chart says in
``fig.layout.meta``, so that :func:`describe`, :func:`data_table` and :func:`table_html` can
give the same content to someone who cannot see the chart. :func:`present` shows a chart in a
notebook or Voilà page without importing ``nbformat`` (which costs seconds per page).

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

from rdlearn.web.html import esc, tag

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "finish",
    "describe",
    "data_table",
    "table_html",
    "present",
    "for_projection",
    "PROJECTION_TEXT_PX",
    "PROJECTION_TITLE_PX",
    "PROJECTION_SOURCE_PX",
    "Presentation",
    "read_chart",
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
        Printed under the title, e.g. "Leung (2008), as reported in Cooper (2013a)".
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


# --------------------------------------------------------------------------- projection

#: Chart text on a slide, in CSS pixels of the slides' 1920x1080 canvas (the slides scale
#: the canvas to the screen): a 24 px line is 1/45 of the screen's height, about 4 cm on a
#: 3 m wide hall screen, readable from about 12 m (a letter's height times 300).
PROJECTION_TEXT_PX = 24
#: The chart's title on a slide (it states the finding), drawn as HTML above the chart.
PROJECTION_TITLE_PX = 30
#: The chart's source line on a slide, drawn as HTML under the chart.
PROJECTION_SOURCE_PX = 22


def _untagged(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text).replace("  ", " ").strip()


#: The width a slide gives its chart, in canvas pixels (1920 less margins and the words).
SLIDE_CHART_WIDTH = 1180


def _is_subplot_title(fig: go.Figure, ann) -> bool:
    if ann.xref != "paper" or ann.yref != "paper" or ann.yanchor != "bottom":
        return False
    tops = [fig.layout[k].domain[1] for k in fig.layout
            if k.startswith("yaxis") and fig.layout[k].domain]
    return any(abs((ann.y or 0) - top) < 1e-6 for top in tops)


def _panel_width(fig: go.Figure, x: float) -> float:
    """The share of the chart's width of the column of panels that holds ``x``."""
    for key in fig.layout:
        if key.startswith("xaxis") and fig.layout[key].domain:
            low, high = fig.layout[key].domain
            if low - 1e-6 <= x <= high + 1e-6:
                return high - low
    return 1.0


def _label_px(fig: go.Figure, axis: str, text_px: int) -> int:
    """About how wide the tick labels and title of y axis ``axis`` ("y2", ...) are."""
    longest = 3
    for trace in fig.data:
        if (getattr(trace, "yaxis", None) or "y") != axis or trace.y is None:
            continue
        for value in trace.y:
            if isinstance(value, str):
                longest = max(longest, *(len(part) for part in value.split("<br>")))
    layout_axis = fig.layout["yaxis" + axis[1:]]
    title = int(text_px * 1.6) if layout_axis.title.text else 0
    return int(longest * text_px * 0.56) + title + 24


def _widen_side_panels(fig: go.Figure, text_px: int) -> None:
    """Leave a panel to the right of another room for its own axis labels at slide size."""
    axes = sorted((k for k in fig.layout if k.startswith("xaxis") and fig.layout[k].domain
                   and fig.layout[k].domain[0] > 0.01), key=lambda k: fig.layout[k].domain[0])
    for key in axes:
        right = fig.layout[key]
        left = next((fig.layout[k] for k in fig.layout if k.startswith("xaxis")
                     and fig.layout[k].domain and fig.layout[k].domain[1] < right.domain[0]
                     and fig.layout[k].anchor != right.anchor), None)
        if left is None:
            continue
        gap = _label_px(fig, right.anchor, text_px) / SLIDE_CHART_WIDTH + 0.02
        # at least a quarter of the width, so its plot area stays readable (the fit test's
        # 200 canvas px), the rest to the panel with the long labels
        start = min(max(right.domain[0], left.domain[1] + gap), right.domain[1] - 0.27)
        right.domain = [start, right.domain[1]]
        left.domain = [left.domain[0], min(left.domain[1], start - gap)]


def for_projection(fig: go.Figure, *, text_px: int = PROJECTION_TEXT_PX) -> go.Figure:
    """A copy of a finished chart for a slide: its text sized for the back of a hall.

    The title, the source line, the notes under the chart and any boxed warning on it leave
    the plotly figure: :class:`Presentation` writes them as HTML around the chart
    (``layout.meta`` keeps them), so that they wrap with the slide and never overlap the
    axes. Every piece of text left in the chart (axes, ticks, legend, panel titles, bar
    labels, table cells) is at least ``text_px``; panel titles wrap to their panel; a
    panel beside another gets room for its axis labels; the legend sits under the chart;
    the height is left to the slide. The figure given is not changed: session pages and
    handouts keep their print size.

    >>> fig = finish(go.Figure(go.Bar(x=["a"], y=[1])), title="A", citation="X (2024)")
    >>> big = for_projection(fig)
    >>> big.layout.font.size, fig.layout.font.size, big.layout.title.text
    (24, 17, None)
    >>> big.layout.meta["slide"]["source"]
    'Source: X (2024)'
    """
    fig = go.Figure(fig)
    meta = _meta(fig)
    bigger = lambda size: max(text_px, size or 0)  # noqa: E731
    notes, flags, kept = [], [], []
    top_lines = 0
    for ann in fig.layout.annotations:
        if ann.name == "note":
            notes.append(_plain(ann.text))
        elif _is_subplot_title(fig, ann):
            ann.font.size = bigger(ann.font.size)
            share = _panel_width(fig, ann.x or 0)  # a wide panel loses some to its labels
            chars = max(16, int(share * SLIDE_CHART_WIDTH * (0.75 if share > 0.5 else 1)
                                / (text_px * 0.56)))
            ann.text = _wrap(_untagged(ann.text), chars)
            ann.yshift = text_px  # room for a point's label above the panel's top
            top_lines = max(top_lines, ann.text.count("<br>") + 1)
            kept.append(ann)
        elif ann.xref == "paper" and ann.yref == "paper":
            flags.append(_untagged(ann.text.replace("<br>", ": ", 1)))
        else:
            ann.font.size = bigger(ann.font.size)
            kept.append(ann)
    fig.layout.annotations = kept
    meta["slide"] = {
        "title": meta.get("title") or _plain(fig.layout.title.text or ""),
        "source": f"Source: {meta['citation']}" if meta.get("citation") else "",
        "notes": notes,
        "flags": flags,
    }
    shows_legend = bool(fig.layout.showlegend)
    line = int(text_px * 1.35)
    bottom = 16 + (line * 4 if shows_legend else 0)
    fig.update_layout(
        title_text=None, title_subtitle_text=None, meta=meta,
        font_size=text_px, legend_font_size=text_px, hoverlabel_font_size=text_px,
        legend={"xref": "container", "yref": "container", "x": 0, "y": 0,
                "yanchor": "bottom", "xanchor": "left"},
        margin={"t": 16 + (line * top_lines + text_px if top_lines else 0), "b": bottom,
                "l": 16, "r": 28, "autoexpand": True},
        height=None, autosize=True,
    )
    fig.update_xaxes(tickfont_size=text_px, title_font_size=text_px, title_standoff=10,
                     automargin=True)
    fig.update_yaxes(tickfont_size=text_px, title_font_size=text_px, title_standoff=10,
                     automargin=True)
    _widen_side_panels(fig, text_px)
    for trace in fig.data:
        if trace.type == "table":
            trace.header.font.size = bigger(trace.header.font.size)
            trace.cells.font.size = bigger(trace.cells.font.size)
        elif hasattr(trace, "textfont"):
            trace.textfont.size = bigger(trace.textfont.size)
    return fig


def _html_tables(fig: go.Figure) -> str:
    """A chart made only of plotly tables, as HTML tables (they wrap with the slide)."""
    parts = []
    for trace in fig.data:
        head = "".join(tag("th", _untagged(str(v)), scope="col") for v in trace.header.values)
        columns = [list(col) for col in trace.cells.values]
        body = "".join(
            tag("tr", raw=tag("th", _untagged(str(row[0])), scope="row") + "".join(
                tag("td", _untagged(str(v))) for v in row[1:]))
            for row in zip(*columns, strict=True)
        )
        parts.append(tag("table", raw=tag("thead", raw=tag("tr", raw=head))
                         + tag("tbody", raw=body), class_="rd-chart__table"))
    return "".join(parts)


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

    def _slide_html(self, slide: Mapping) -> str:
        """A slide's chart: title, chart (or its tables), notes and source as HTML."""
        title = describe(self.figure).splitlines()[0]
        before = tag("p", slide["title"], class_="rd-chart__title") if slide["title"] else ""
        before += "".join(tag("p", flag, class_="rd-chart__flag")
                          for flag in slide.get("flags", ()))
        after = "".join(tag("p", note, class_="rd-chart__note") for note in slide["notes"])
        if slide["source"]:
            after += tag("p", slide["source"], class_="rd-chart__source")
        after += self.details_html()
        if self.figure.data and all(t.type == "table" for t in self.figure.data):
            return (f'<figure class="rd-slide-chart rd-slide-chart--tables" '
                    f'aria-label="{esc(title)}">{before}'
                    f'<div class="rd-chart__tables">{_html_tables(self.figure)}</div>'
                    f'{after}</figure>')
        spec = json.dumps(self.spec(), separators=(",", ":"))
        return (f'<figure class="rd-chart" data-rd-spec="{esc(spec)}" data-rd-slide="" '
                f'aria-label="{esc(title)}">{before}'
                f'<div class="rd-chart__plot"></div>{after}</figure>')

    def html(self) -> str:
        """The chart's drawing area (drawn in the browser), then its text and data."""
        slide = _meta(self.figure).get("slide")
        if isinstance(slide, Mapping):
            return self._slide_html(slide)
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
