"""Research charts: the plotted numbers are the data's numbers, and every chart can be read
without seeing it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

from rdlearn import figures
from rdlearn.content import findings
from rdlearn.figures.theme import _number
from rdlearn.web.html import esc

BUILDERS = list(figures.CHART_BUILDERS)

#: Backgrounds and hairlines may be neutral; everything else must be an Okabe-Ito colour.
NEUTRAL = {"WHITE", "#FFFFFF", "#E5E5E5", "RGBA(0,0,0,0)"}


@pytest.fixture(params=BUILDERS)
def built(request):
    return request.param, getattr(figures, request.param)()


def _colours(node, key=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _colours(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _colours(item, key)
    elif isinstance(node, str) and "color" in key.lower():
        yield node


def _plotted_points(fig):
    """(finding id, field, plotted value) for every point that carries a finding."""
    for trace in fig.data:
        custom = getattr(trace, "customdata", None)
        if custom is None:
            continue
        for i, point in enumerate(custom):
            fid, field, axis = point
            if fid:
                yield trace, i, fid, field, getattr(trace, axis)[i]


def test_each_builder_returns_a_titled_cited_figure(built):
    name, fig = built
    assert isinstance(fig, go.Figure)
    meta = fig.layout.meta
    assert meta["title"].strip()
    assert fig.layout.title.text.strip()
    assert meta["citation"].strip()
    assert meta["citation"] in fig.layout.title.subtitle.text.replace("<br>", " ")


def test_each_builder_uses_only_okabe_ito_colours(built):
    name, fig = built
    allowed = {c.upper() for c in figures.OKABE_ITO.values()} | NEUTRAL
    spec = json.loads(fig.to_json())
    used = {c.upper().replace(" ", "") for c in _colours(spec)}
    assert used, name
    assert used <= allowed, f"{name}: {used - allowed}"


def test_plotted_values_are_the_data_values(built):
    name, fig = built
    rows = findings.load_findings()
    points = list(_plotted_points(fig))
    if name not in ("experience_domains", "facilitating_inhibiting"):
        assert points, f"{name} plots no finding"
    for trace, i, fid, field, plotted in points:
        assert plotted == pytest.approx(rows[fid][field]), (name, fid)
        error = getattr(trace, "error_x", None)
        if error is not None and error.array is not None and rows[fid]["ci_high"] is not None:
            assert plotted + error.array[i] == pytest.approx(rows[fid]["ci_high"])
            assert plotted - error.arrayminus[i] == pytest.approx(rows[fid]["ci_low"])


def test_meta_lists_the_findings_and_sources_used(built):
    name, fig = built
    meta = fig.layout.meta
    rows = findings.load_findings()
    sources = findings.load_sources()
    assert set(meta["finding_ids"]) <= set(rows)
    assert set(meta["source_ids"]) <= set(sources)
    assert meta["source_ids"], name
    for _, _, fid, _, _ in _plotted_points(fig):
        assert fid in meta["finding_ids"]
        assert rows[fid]["source_id"] in meta["source_ids"]
        if rows[fid]["reported_in"]:
            assert rows[fid]["reported_in"] in meta["source_ids"]


def test_text_alternatives_hold_the_title_and_every_value(built):
    name, fig = built
    text = figures.describe(fig)
    html = figures.table_html(fig)
    assert text.startswith(fig.layout.meta["title"].rstrip("."))
    assert html.startswith('<table class="rd-data-table"><caption>')
    table = figures.data_table(fig)
    assert table
    for row in table:
        for value in row.values():
            shown = _number(value)
            assert shown in text
            assert esc(shown) in html
    for _, _, fid, field, _ in _plotted_points(fig):
        assert _number(findings.finding(fid)[field]) in text


def test_prevalence_names_secondary_studies_as_such():
    fig = figures.prevalence_leung()
    assert "as reported in Cooper (2013a)" in fig.layout.meta["citation"]
    small = figures.prevalence_small_studies()
    assert "over one third" in figures.describe(small)
    assert "cooper2013review" in small.layout.meta["source_ids"]


def test_odds_ratios_pointing_opposite_ways_are_never_on_one_panel():
    fig = figures.relatedness_mortality()
    axes = {}
    for trace in fig.data:
        sources = {findings.finding(p[0])["source_id"] for p in trace.customdata}
        assert len(sources) == 1
        axes[trace.xaxis] = sources
    assert len(axes) == 2
    text = figures.describe(fig)
    assert "higher odds of surviving" in text
    assert "higher odds of dying" in text
    assert "odds of surviving were 1.5 times as high" in text


def test_effect_sizes_on_different_scales_stay_in_separate_series():
    fig = figures.outcomes()
    for trace in fig.data:
        stats = {findings.finding(p[0])["statistic"] for p in trace.customdata}
        assert len(stats) == 1
    assert "not proof of cause" in figures.describe(fig)


def test_common_factors_are_flagged_as_an_estimate():
    fig = figures.common_factors()
    flags = [a.text for a in fig.layout.annotations]
    assert any("ESTIMATE" in t for t in flags)
    assert "not a measured split" in figures.describe(fig)
    assert "read in a practitioner blog, no study" in fig.layout.meta["title"].lower()
    assert any("practitioner blog" in t for t in flags)


@pytest.mark.parametrize("seed", [0, 1, 7, 2012, 99999])
def test_the_simulation_reports_the_r_of_the_series_it_draws(seed):
    fig = figures.connection_minute_by_minute(seed=seed)
    therapist, client = (np.array(t.y, dtype=float) for t in fig.data[:2])
    r = np.corrcoef(therapist, client)[0, 1]
    assert fig.layout.meta["simulated_r"] == pytest.approx(r)
    r_trace = fig.data[2]
    assert r_trace.x[0] == pytest.approx(r)
    assert r_trace.text[0] == f"{r:.2f}"
    assert f"r = {r:.2f}" in figures.describe(fig)
    assert list(fig.data[0].x) == list(range(1, 21))
    assert therapist.min() >= 0 and therapist.max() <= 10
    assert client.min() >= 0 and client.max() <= 10
    # the shape the brief describes: a client-only dip at 6, a shared dip at 15, back by 17
    assert client[5] < client[4] and client[5] < client[6]
    assert client[5] - therapist[5] < 0
    for series in (therapist, client):
        assert series[14] < series[13] and series[14] < series[16]
    assert therapist[-5:].mean() > therapist[:5].mean()


@pytest.mark.parametrize("seed", [0, 7, 2012])
def test_the_simulation_shows_the_change_r_beside_raw_r_as_our_own_analysis(seed):
    fig = figures.connection_minute_by_minute(seed=seed)
    therapist, client = (np.array(t.y, dtype=float) for t in fig.data[:2])
    change = np.corrcoef(np.diff(therapist), np.diff(client))[0, 1]
    assert fig.layout.meta["simulated_change_r"] == pytest.approx(change)
    r_trace = fig.data[2]
    assert r_trace.x[1] == pytest.approx(change)
    assert "change r" in r_trace.y[1] and "our analysis" in r_trace.y[1]
    text = figures.describe(fig)
    assert "shared climb" in text
    assert "the paper gives no correlation of minute-to-minute changes" in text
    assert "our own analysis" in text and "does not report it" in text
    median = findings.finding("cooper2012-median-r")["value"]
    minutes = findings.finding("cooper2012-session-minutes")["value"]
    assert f"median within-pair r of {_number(median)}" in text
    assert f"over the {minutes:.0f} minutes" in text


def test_the_simulated_pair_shows_why_raw_r_misleads_on_a_shared_rise():
    fig = figures.connection_minute_by_minute(seed=2012)
    assert fig.layout.meta["simulated_r"] > 0.6
    assert fig.layout.meta["simulated_r"] - fig.layout.meta["simulated_change_r"] > 0.4


def test_the_simulation_is_labelled_and_repeatable():
    a = figures.connection_minute_by_minute(seed=3)
    b = figures.connection_minute_by_minute(seed=3)
    c = figures.connection_minute_by_minute(seed=4)
    assert list(a.data[1].y) == list(b.data[1].y)
    assert list(a.data[1].y) != list(c.data[1].y) or list(a.data[0].y) != list(c.data[0].y)
    assert "simulation" in a.layout.meta["title"].lower()
    assert any("SIMULATION" in ann.text for ann in a.layout.annotations)
    assert "not data from the study" in figures.describe(a)
    for bad in (-1, 1.5, "2", True):
        with pytest.raises(ValueError):
            figures.connection_minute_by_minute(seed=bad)


def test_text_alternatives_escape_html():
    fig = go.Figure(go.Bar(x=["<b>bold</b>"], y=[3], name="<script>x</script>"))
    figures.finish(fig, title="A <img src=x onerror=alert(1)> title", citation="Me & you",
                   x_title="group", y_title="count")
    html = figures.table_html(fig)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "Me &amp; you" in html
    details = figures.present(fig).details_html()
    assert "<img" not in details and "<script>" not in details
    assert details.startswith('<details class="rd-figure-text"><summary>')


def test_present_gives_the_chart_to_draw_then_the_text():
    fig = figures.prevalence_leung()
    shown = figures.present(fig)
    bundle = shown._repr_mimebundle_()
    (spec,) = figures.read_chart(bundle["text/html"])
    assert spec["data"][0]["y"] == list(fig.data[0].y)
    assert spec["config"]["displaylogo"] is False
    assert bundle["text/plain"] == figures.describe(fig)
    assert figures.table_html(fig) in bundle["text/html"]
    # the page draws it in the browser: nothing runs from the output itself
    assert "<script" not in bundle["text/html"]


def test_chart_text_with_quotes_and_markup_survives_the_trip_into_the_page():
    fig = figures.finish(go.Figure(go.Bar(x=['"a" & <b>'], y=[1])),
                         title='Quotes " and <script>alert(1)</script>', citation="X (2024)")
    html = figures.present(fig).html()
    assert "<script>" not in html
    (spec,) = figures.read_chart(html)
    assert spec["data"][0]["x"] == ['"a" & <b>']


def test_present_does_not_import_nbformat():
    code = (
        "import json, sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from IPython.display import display\n"
        "from IPython.utils.capture import capture_output\n"
        "from rdlearn import figures\n"
        "InteractiveShell.instance()\n"
        "shown = figures.present(figures.prevalence_leung())\n"
        "shown._repr_mimebundle_()\n"
        "with capture_output() as cap:\n"
        "    display(shown)\n"
        "print(json.dumps({'nbformat': 'nbformat' in sys.modules,\n"
        "                  'outputs': [sorted(o.data) for o in cap.outputs],\n"
        "                  'html': cap.outputs[-1].data.get('text/html', '')}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["nbformat"] is False
    assert report["outputs"] == [["text/html", "text/plain"]]
    assert report["html"].startswith('<figure class="rd-chart"')


# --------------------------------------------------------------------------- claims in charts

#: Phrases no chart may use: odds ratios read as probabilities, causal wording.
FORBIDDEN = ("more likely", "less likely", "greater chance", "higher chance", "causes",
             "leads to", "led to", "improves", "effect of", "because", "most important",
             "proves", "proven")


def _chart_text(fig):
    meta = fig.layout.meta
    parts = [meta["title"], meta.get("summary", ""), figures.describe(fig)]
    parts += [a.text or "" for a in fig.layout.annotations]
    parts += [json.dumps(row) for row in meta.get("table", [])]
    return "\n".join(parts).lower()


def test_no_chart_reads_odds_as_chances_or_claims_a_cause(built):
    name, fig = built
    text = _chart_text(fig)
    for phrase in FORBIDDEN:
        assert phrase not in text, (name, phrase)


def test_the_secondhand_share_of_outcome_sits_apart_from_the_meta_analyses():
    fig = figures.outcomes()
    secondhand = "secondhand: one unpublished thesis, statistic not seen"
    for trace in fig.data:
        kinds = {findings.finding(p[0])["primary_or_secondary"] for p in trace.customdata}
        assert len(kinds) == 1
        if kinds == {"secondary"}:
            assert trace.xaxis != fig.data[0].xaxis
    assert secondhand in _chart_text(fig)
    assert "meta-analyses" in fig.layout.meta["title"].lower()
    assert "% of outcome" not in fig.layout.meta["title"]
    for row in fig.layout.meta["table"]:
        if "%" in str(row["value"]):
            assert row["kind of evidence"] == secondhand
    alone = figures.outcomes(rdi_ids=())
    assert "% of outcome" not in _chart_text(alone)
    assert not any("wiggins2011b" in i for i in alone.layout.meta["finding_ids"])


def test_the_qualitative_chart_says_whose_words_they_are():
    fig = figures.facilitating_inhibiting()
    n = findings.finding("knox2008-n")["n"]
    title = fig.layout.meta["title"]
    assert f"what {n} mostly person-centred clients said helped and hindered" in title.lower()
    text = _chart_text(fig)
    assert "position, not a finding" in text
    assert "not frequencies" in text


def test_the_text_charts_read_their_wording_from_data():
    from rdlearn.content import loader
    from rdlearn.figures import experience

    data = loader.load_yaml(experience.CHARTS_FILE)
    for chart in ("experience_domains", "role_differences", "facilitating_inhibiting"):
        rows = data[chart]
        assert all(findings.source(row["source"]) for row in rows)
        assert experience.load_chart_text()[chart] == tuple(
            (row["label"], row["text"]) for row in rows)
    table = figures.facilitating_inhibiting().layout.meta["table"]
    assert [r["factor"] for r in table] == [r["label"] for r in data["facilitating_inhibiting"]]
    table = figures.experience_domains().layout.meta["table"]
    assert table[0]["what people describe"] == data["experience_domains"][0]["text"]


def test_a_chart_text_row_naming_an_unknown_source_is_refused(monkeypatch):
    import copy

    from rdlearn.content import loader
    from rdlearn.figures import experience

    broken = copy.deepcopy(loader.load_yaml(experience.CHARTS_FILE))
    broken["role_differences"][1]["source"] = "nobody2099"
    monkeypatch.setattr(loader, "load_yaml", lambda name: broken)
    experience._chart_text.cache_clear()
    try:
        with pytest.raises(loader.ContentError,
                           match=r"charts.yaml, role_differences row 2 .*nobody2099"):
            experience.load_chart_text()
    finally:
        monkeypatch.undo()
        experience._chart_text.cache_clear()


def test_a_chart_by_name_shows_what_present_shows_and_a_second_process_needs_no_plotly(
        tmp_path, monkeypatch):
    from rdlearn.figures import shown

    monkeypatch.setenv("RDLEARN_CACHE_DIR", str(tmp_path))
    drawn = figures.chart("prevalence_leung").bundle()
    assert drawn == figures.present(figures.prevalence_leung()).bundle()
    assert len(list((tmp_path / "charts").iterdir())) == 1
    with pytest.raises(ValueError, match="There is no chart 'nope'"):
        figures.chart("nope")

    code = ("import json, sys; from rdlearn import figures; "
            "b = figures.chart('prevalence_leung').bundle(); "
            "print(json.dumps(['plotly' in sys.modules, 'numpy' in sys.modules, b]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "RDLEARN_CACHE_DIR": str(tmp_path)}, check=True)
    plotly, numpy, bundle = json.loads(out.stdout)
    assert (plotly, numpy) == (False, False) and bundle == drawn

    (next((tmp_path / "charts").iterdir())).write_text("{not json")  # a damaged file
    assert shown.chart("prevalence_leung").bundle() == drawn  # drawn again, not shown broken
