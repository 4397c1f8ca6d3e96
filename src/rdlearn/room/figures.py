"""The room's charts: a question's answer in this room beside the published figures.

A builder takes the question and the room's summary and returns a figure; it shows nothing
(the widgets in :mod:`rdlearn.room.widgets` and the keynote's hall view display it).
"""

from __future__ import annotations

from rdlearn.room import questions as room_questions
from rdlearn.room.questions import Question

__all__ = ["room_vs_research_figure"]


def _published(finding_id: str) -> dict:
    from rdlearn.content import findings

    row = findings.finding(finding_id)
    who = str(row.get("group") or "published").strip()
    approximate = "approx" in str(row.get("statistic", ""))
    return {"id": finding_id, "value": float(row["value"]), "n": row.get("n"),
            "group": who[:1].upper() + who[1:], "approximate": approximate,
            "citation": findings.cite(finding_id)}


def room_vs_research_figure(q: Question, summary: room_questions.Summary):
    """A bar chart of this room beside the published figures the question is tied to.

    Returns ``None`` when the question has no published figure or the room's value
    cannot be shown yet (fewer than five answers).
    """
    if not q.research or not summary.ready:
        return None
    compare = q.research["compare"]
    room_value = summary.share if compare == "share" else summary.mean
    if room_value is None:
        return None
    import plotly.graph_objects as go

    from rdlearn import figures

    published = [_published(fid) for fid in q.research["findings"]]
    room_n = summary.share_n if compare == "share" else summary.n
    names = [f"This room (n = {room_n})"]
    values = [round(room_value, 2)]
    for item in published:
        n = f", n = {item['n']}" if item["n"] not in (None, "") else ""
        names.append(f"{item['group']} in {item['citation'].split(',')[0]}{n}")
        values.append(item["value"])
    citations = list(dict.fromkeys(item["citation"] for item in published))
    colours = [figures.OKABE_ITO["orange"]] + [figures.OKABE_ITO["blue"]] * len(published)
    if compare == "share":
        unit, axis = "%", "Per cent who could name at least one moment"
        text = [f"{v:.0f}%" if i == 0 or not published[i - 1]["approximate"]
                else f"about {v:.0f}%" for i, v in enumerate(values)]
        y_range = [0, 100]
        title = (f"In this room, {room_value:.0f}% could name a moment of relational depth "
                 "with a client; the published figures are beside it")
    else:
        unit, axis = "rating", f"Average rating ({q.scale_min} to {q.scale_max})"
        text = [f"{v:.2f}" for v in values]
        y_range = [q.scale_min, q.scale_max]
        title = (f"This room's average is {room_value:.2f} on the {q.scale_min} to "
                 f"{q.scale_max} scale; the published averages are beside it")
    fig = go.Figure(go.Bar(x=names, y=values, text=text, textposition="outside",
                           marker_color=colours, name=q.text))
    fig.update_yaxes(range=y_range)
    table = [{"group": name, "value": value, "unit": unit} for name, value in zip(
        names, values, strict=True)]
    summary_text = (
        f"Question asked here: {q.text} The published figures come from an online survey "
        "of therapists and clients known only through a review, so the comparison is an "
        "illustration, not a like-for-like test."
    )
    return figures.finish(
        fig, title=title, citation="; ".join(citations), summary=summary_text,
        finding_ids=[p["id"] for p in published], table=table, x_title="", y_title=axis,
    )
