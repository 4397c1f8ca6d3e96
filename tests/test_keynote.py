"""The research keynote: the deck's content, its checks, and the slide widgets."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from rdlearn import figures
from rdlearn.content import findings, numbers
from rdlearn.content import loader as content
from rdlearn.content.loader import ContentError
from rdlearn.keynote import deck as keynote
from rdlearn.keynote import show
from rdlearn.room import questions as room_questions
from rdlearn.web import assets
from rdlearn.web.html import esc

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_keynote_research-findings.ipynb"
STATIC = ROOT / "src" / "rdlearn" / "keynote"


@pytest.fixture(scope="module")
def deck():
    return keynote.load_keynote()


def slide_by_id(deck, slide_id):
    return next(s for s in deck["slides"] if s["id"] == slide_id)


def with_changed_deck(monkeypatch, change):
    """Make load_keynote() read a changed copy of keynote.yaml (other files unchanged)."""
    original = content.load_yaml
    data = copy.deepcopy(original(keynote.KEYNOTE_FILE))
    change(data)

    def fake(name):
        return data if name == keynote.KEYNOTE_FILE else original(name)

    monkeypatch.setattr(content, "load_yaml", fake)


# --------------------------------------------------------------------------- the deck


def test_deck_has_the_parts_of_a_talk(deck):
    ids = [s["id"] for s in deck["slides"]]
    assert 18 <= len(ids) <= 28  # about two minutes a slide in the hour
    assert ids[0] == "title" and ids[1] == "outline"
    parts = ["references", "references-more", "references-last"]
    assert "limitations" in ids and ids[-3:] == parts
    assert [slide_by_id(deck, i).get("references") for i in parts] == ["A-C", "D-K", "L-Z"]
    for slide in deck["slides"]:
        assert slide["notes"].strip(), slide["id"]
        assert all(len(point) <= 100 for point in slide["body"]), slide["id"]


def test_talk_fits_one_hour_and_two_hours(deck):
    one_hour = keynote.running_time(deck)
    two_hours = keynote.running_time(deck, long_version=True)
    assert 50 <= one_hour <= 60
    assert 100 <= two_hours <= 120
    assert one_hour == sum(s["minutes"] for s in deck["slides"])


def test_every_chart_names_a_builder_that_draws_a_described_chart(deck):
    from rdlearn import figures

    charted = [s for s in deck["slides"] if s.get("figure")]
    assert len(charted) >= 6
    for slide in charted:
        builder = getattr(figures, slide["figure"])
        fig = builder()
        assert figures.describe(fig).strip(), slide["figure"]


def test_every_finding_and_source_exists(deck):
    all_findings = findings.load_findings()
    all_sources = findings.load_sources()
    used = [fid for s in deck["slides"] for fid in s.get("finding_ids", [])]
    assert used, "the keynote quotes no findings"
    assert [fid for fid in used if fid not in all_findings] == []
    cited = [sid for s in deck["slides"] for sid in s.get("sources", [])]
    assert [sid for sid in cited if sid not in all_sources] == []


def test_the_contract_findings_appear_in_the_talk(deck):
    used = {fid for s in deck["slides"] for fid in s.get("finding_ids", [])}
    for fid in ("leung2008-therapists-any-rd", "leung2008-clients-any-rd",
                "cooper2012-median-r", "cooper2013-review-mean-r", "cooperknox2017-n"):
        assert fid in used


def test_both_synchrony_figures_are_shown_with_their_sources(deck):
    text = keynote.audience_html(deck)
    assert ".76" in text and ".67" in text
    assert "Cooper (2012)" in text and "Cooper (2013a)" in text


def test_room_questions_exist_and_belong_to_the_keynote(deck):
    asked = [s["room_question"] for s in deck["slides"] if s.get("room_question")]
    assert asked
    questions = room_questions.load_questions()
    for qid in asked:
        assert questions[qid].keynote


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("78.2% of clients", [(78.2, 1, True)]),
        ("a median r of .76", [(0.76, 2, False)]),
        ("a mean of 4.06 on the scale", [(4.06, 2, False)]),
        ("168 therapists", [(168.0, 0, False)]),
        ("1,086 clients", [(1086.0, 0, False)]),
        ("10 to 30 per cent", [(10.0, 0, False), (30.0, 0, True)]),
        ("Leung (2008) and Wiggins (2011b)", []),
        ("PHQ-9 and GAD-7 scores", []),
        ("r = −.06.", [(0.06, 2, False)]),
    ],
)
def test_numbers_that_look_like_statistics_are_found(text, expected):
    assert numbers.numbers_in(text) == expected


def test_a_number_is_traced_only_to_its_own_findings():
    row = findings.finding("leung2008-clients-any-rd")
    assert numbers.untraced_numbers("78.2% of 119 clients", [row]) == []
    assert numbers.untraced_numbers("78% of 119 clients", [row]) == []  # rounded as written
    assert numbers.untraced_numbers("77.9% of 119 clients", [row]) == ["77.9%"]
    assert numbers.untraced_numbers("78.2% of 119 clients", []) == ["78.2%", "119"]


def test_every_number_on_a_slide_or_in_its_notes_is_one_of_its_findings(deck):
    for slide in deck["slides"]:
        rows = [findings.finding(fid) for fid in slide.get("finding_ids", [])]
        text = "\n".join([slide["title"], *slide["body"], slide["notes"]])
        for number in numbers.numbers_in(text):
            value, decimals, percent = number
            allowed = set()
            for row in rows:
                for key in ("value", "n", "k", "ci_low", "ci_high"):
                    if row.get(key) is not None:
                        allowed.add(round(abs(row[key]) * (100 if percent and abs(row[key]) <= 1
                                                          else 1), decimals))
                allowed |= {v for v, _, _ in numbers.numbers_in(row.get("scale") or "")}
            assert round(value, decimals) in allowed, (slide["id"], number)


def test_an_untraceable_number_is_refused_naming_file_slide_and_key(monkeypatch):
    def change(data):
        data["slides"][7]["body"].append("Nearly 97% of all therapists agree")

    with_changed_deck(monkeypatch, change)
    with pytest.raises(ContentError) as err:
        keynote.load_keynote()
    message = str(err.value)
    assert message.startswith("data file keynote.yaml, slide 8 (")
    assert "key 'body'" in message and "97%" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["slides"][5].update(figure="pie_of_everything"),
         "there is no chart 'pie_of_everything'"),
        (lambda d: d["slides"][7]["finding_ids"].append("leung2008-made-up"),
         "there is no finding 'leung2008-made-up'"),
        (lambda d: d["slides"][3].update(sources=["nobody1999"]),
         "there is no source 'nobody1999'"),
        (lambda d: d["slides"][2].update(room_question="no-such-question"),
         "there is no room question 'no-such-question'"),
        (lambda d: d["slides"][2].update(room_question="arriving-word"),
         "not marked 'keynote: true'"),
        (lambda d: d["slides"][4].update(id=d["slides"][3]["id"]), "duplicate slide id"),
        (lambda d: d["slides"][4].pop("notes"), "'notes' is missing"),
        (lambda d: d["slides"][4].update(minutes=0), "minutes above 0"),
        (lambda d: d["slides"][4].update(body=[{"a": "b"}]), "short bullet points"),
        (lambda d: d["slides"][4].update(speaker="me"), "unknown key(s): speaker"),
        (lambda d: d.update(slides=[]), "the deck has no slides"),
    ],
)
def test_broken_deck_gives_a_message_for_the_facilitator(monkeypatch, change, expected):
    with_changed_deck(monkeypatch, change)
    with pytest.raises(ContentError) as err:
        keynote.load_keynote()
    assert str(err.value).startswith("data file keynote.yaml")
    assert expected in str(err.value)


# --------------------------------------------------------------------------- audience HTML


def test_speaker_notes_never_appear_in_the_audience_html(deck):
    audience = keynote.audience_html(deck)
    for slide in deck["slides"]:
        assert esc(slide["notes"]) not in audience
        assert slide["notes"] not in audience
        first_sentence = slide["notes"].split(". ")[0]
        assert esc(first_sentence) not in audience, slide["id"]


def test_slide_text_is_escaped():
    slide = {"id": "x", "title": "<script>alert(1)</script>", "body": ["<b>bold</b>"],
             "notes": "n", "minutes": 1}
    html = keynote.slide_html(slide, number=2, total=3)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html


def test_room_question_slot_shows_the_question_and_how_it_opens(deck):
    slide = next(s for s in deck["slides"] if s.get("room_question"))
    html = keynote.slide_html(slide, number=3, total=len(deck["slides"]), deck=deck)
    question = room_questions.question(slide["room_question"])
    assert esc(question.text) in html
    assert f'data-question-id="{slide["room_question"]}"' in html
    assert "facilitator console" in html


def test_slides_cite_their_findings_and_mark_secondary_sources(deck):
    slide = slide_by_id(deck, "prevalence-survey")
    html = keynote.slide_html(slide, number=8, total=len(deck["slides"]), deck=deck)
    assert esc("Leung (2008), as reported in Cooper (2013a)") in html


def test_references_list_every_source_the_talk_relies_on(deck):
    refs = keynote.references(deck)
    all_findings = findings.load_findings()
    needed = set()
    for slide in deck["slides"]:
        for fid in slide.get("finding_ids", []):
            needed.add(all_findings[fid]["source_id"])
            if all_findings[fid].get("reported_in"):
                needed.add(all_findings[fid]["reported_in"])
        needed.update(slide.get("sources", []))
    assert len(refs) == len(needed)
    joined = "\n".join(refs)
    for sid in needed:
        assert findings.source(sid)["title"].rstrip(".") in joined, sid
    assert "https://doi.org/10.1080/10503307.2011.647931" in joined  # Cooper (2012)
    # the reference slides list every reference once, in order, numbered on
    listed = []
    for slide_id in ("references", "references-more", "references-last"):
        html = keynote.slide_html(slide_by_id(deck, slide_id), number=len(deck["slides"]),
                                  total=len(deck["slides"]), deck=deck)
        listed.append(re.findall(r'<ol class="rd-slide__references" start="(\d+)">', html))
        assert html.count("<li>") > 4
    assert [int(n) for (n,) in listed][0] == 1
    total_items = sum(keynote.slide_html(slide_by_id(deck, i), number=1, total=1, deck=deck)
                      .split("rd-slide__references")[1].count("<li>")
                      for i in ("references", "references-more", "references-last"))
    assert total_items == len(refs)


# --------------------------------------------------------------------------- widgets


@pytest.fixture(scope="module")
def presentation():
    return show.slides()


def _visible(presentation):
    return [i for i, box in enumerate(presentation.slide_boxes) if box.layout.display != "none"]


def _html_in(widget):
    """All HTML a widget tree sends to the browser (HTML values and Output outputs)."""
    found = []
    if hasattr(widget, "children"):
        for child in widget.children:
            found.extend(_html_in(child))
    if type(widget).__name__ in ("HTML", "HTMLMath"):
        found.append(widget.value)
    if hasattr(widget, "outputs"):
        found.append(json.dumps(widget.outputs))
    if hasattr(widget, "titles"):
        found.append(json.dumps([widget.titles, widget.message]))
    return found


def test_one_slide_at_a_time_and_navigation_by_number(presentation):
    presentation.go_to(1)
    assert presentation.current == 1 and _visible(presentation) == [0]
    presentation.go_to(4)
    assert presentation.current == 4 and _visible(presentation) == [3]
    assert presentation.controller.count == len(presentation.slide_boxes)
    presentation.go_to(1)


def test_slide_numbers_past_either_end_show_the_nearest_real_slide(presentation):
    last = len(presentation.slide_boxes)
    presentation.go_to(2)
    presentation.go_to(999)
    assert presentation.current == last and _visible(presentation) == [last - 1]
    presentation.go_to(-3)
    assert presentation.current == 1 and _visible(presentation) == [0]
    presentation.go_to(3)
    presentation.go_to("4")  # not a whole number: the slide stays
    assert presentation.current == 3
    assert presentation.controller.message == ""  # nothing alarming is said
    presentation.go_to(1)


def test_a_bad_index_from_the_browser_is_clamped_and_sent_back(presentation, monkeypatch):
    controller = presentation.controller
    last = controller.count - 1
    presentation.go_to(5)
    sent = []
    monkeypatch.setattr(controller, "_send", lambda msg, buffers=None: sent.append(msg))
    for bad, shown in ((-1, 0), (1000, last), ("3", last), (2.5, last), (None, last),
                       (True, last), (-50, 0), ("x", 0)):
        sent.clear()
        controller.set_state({"index": bad})
        assert controller.index == shown and _visible(presentation) == [shown], bad
        updates = [m["state"] for m in sent if m.get("method") == "update"]
        assert updates and updates[-1] == {"index": shown}, (bad, sent)
        assert controller.message == ""
    controller.set_state({"index": 6})
    assert presentation.current == 7 and _visible(presentation) == [6]
    presentation.go_to(1)


def test_slide_charts_are_sized_for_projection_and_session_charts_keep_their_print():
    from rdlearn.figures.theme import PROJECTION_TEXT_PX, for_projection

    for name in figures.CHART_BUILDERS:
        page = getattr(figures, name)()
        slide = for_projection(page)
        assert page.layout.font.size == 17 and page.layout.height, name  # unchanged
        assert page.layout.title.text and page.layout.title.subtitle.text.startswith("Source")
        assert slide.layout.font.size == PROJECTION_TEXT_PX and slide.layout.height is None
        # title, source and notes leave the figure: the slide writes them as HTML
        assert slide.layout.title.text is None
        captions = slide.layout.meta["slide"]
        assert captions["title"] == page.layout.meta["title"]
        assert captions["source"] == "Source: " + page.layout.meta["citation"]
        assert not [a for a in slide.layout.annotations if a.name == "note"]
        assert len(captions["notes"]) == len(
            [a for a in page.layout.annotations if a.name == "note"])
        for ann in slide.layout.annotations:
            assert ann.font.size >= PROJECTION_TEXT_PX, (name, ann.text)
        for axis in (slide.layout.xaxis, slide.layout.yaxis):
            assert axis.tickfont.size >= PROJECTION_TEXT_PX
        for trace in slide.data:
            if trace.type == "table":
                assert trace.cells.font.size >= PROJECTION_TEXT_PX
        assert all((a.font.size or 0) < PROJECTION_TEXT_PX for a in page.layout.annotations)


def _chart_html(box):
    (chart,) = [c for c in box.children if hasattr(c, "outputs")]
    (output,) = chart.outputs
    return output["data"]["text/html"]


def test_slides_show_the_projection_version_of_their_chart(presentation):
    for slide, box in zip(presentation.deck["slides"], presentation.slide_boxes, strict=True):
        if not slide.get("figure"):
            continue
        html = _chart_html(box)
        figure = getattr(figures, slide["figure"])()
        assert 'class="rd-chart__title"' in html and 'class="rd-chart__source"' in html
        assert esc(figure.layout.meta["title"]) in html, slide["id"]
        specs = figures.read_chart(html)
        if all(t.type == "table" for t in figure.data):
            assert specs == [] and 'class="rd-chart__table"' in html, slide["id"]
        else:
            (spec,) = specs
            assert spec["layout"]["font"]["size"] == 24, slide["id"]


def test_charts_are_drawn_in_the_page_with_text_alternatives(presentation):
    deck = presentation.deck
    for slide, box in zip(deck["slides"], presentation.slide_boxes, strict=True):
        outputs = [child for child in box.children if hasattr(child, "outputs")]
        if not slide.get("figure"):
            assert outputs == []
            continue
        html = _chart_html(box)
        assert len(figures.read_chart(html)) + html.count('class="rd-chart__tables"') == 1
        assert "<details" in html
        assert "rd-slide--chart" in box._dom_classes


def test_speaker_notes_are_never_sent_as_widget_state(presentation):
    sent_to_browser = "\n".join(_html_in(presentation.widget))
    for slide in presentation.deck["slides"]:
        assert esc(slide["notes"]) not in sent_to_browser
        assert slide["notes"] not in json.dumps(presentation.controller.get_state(), default=str)
    assert presentation.widget.children == (presentation.slides_box,)
    assert presentation.slides_box.children == (presentation.canvas,)
    assert presentation.canvas.children[-1] is presentation.controller
    assert "rd-deck" in presentation.slides_box._dom_classes
    assert presentation.controller.deck_class in presentation.slides_box._dom_classes


def test_the_presenter_asks_for_notes_timings_and_planned_length(presentation):
    reply = presentation.answer({"kind": "presenter"})
    slides = presentation.deck["slides"]
    assert reply["kind"] == "presenter" and len(reply["slides"]) == len(slides)
    assert reply["planned"] == round(keynote.running_time(presentation.deck)) == 60
    assert reply["planned_long"] == 120
    for sent, slide in zip(reply["slides"], slides, strict=True):
        assert sent["notes"] == slide["notes"] and sent["title"] == slide["title"]
        assert sent["question"] == slide.get("room_question", "")
    for bad in (None, "presenter", {"kind": "nonsense"}, {"kind": 3}, []):
        assert presentation.answer(bad) is None


def test_the_presenter_counts_and_reveals_only_with_the_facilitator_key(tmp_path, monkeypatch):
    from rdlearn.room.store import Store
    from rdlearn.web.facilitator import KEY_VARIABLE

    monkeypatch.setenv(KEY_VARIABLE, "k3y-for-tests")
    store = Store(tmp_path / "room.sqlite")
    deck = show.KeynoteDeck(store=store)
    qid = next(s["room_question"] for s in deck.deck["slides"] if s.get("room_question"))
    assert "No workshop" in deck.answer({"kind": "count", "question": qid})["message"]
    code = store.create_workshop("RDTEST")
    store.open_question(code, qid)
    question = room_questions.load_questions()[qid]
    answer = room_questions.validate_answer(question, "yes")
    for n in range(6):
        store.record_answer(code, qid, value=answer, token=f"token-for-tests-{n:02d}")
    count = deck.answer({"kind": "count", "question": qid, "workshop": "rdtest"})
    assert count["count"] == 6 and count["open"] and not count["revealed"]
    refused = deck.answer({"kind": "reveal", "question": qid, "key": "wrong"})
    assert refused["ok"] is False and "not the facilitator key" in refused["message"]
    assert store.question_state(code, qid)["revealed"] is False
    done = deck.answer({"kind": "reveal", "question": qid, "key": " k3y-for-tests "})
    assert done["ok"] is True and "6 answers" in done["message"]
    assert store.question_state(code, qid)["revealed"] is True
    assert deck.answer({"kind": "reveal", "question": "no-such", "key": "k3y-for-tests"})[
        "ok"] is False


def test_start_must_be_a_slide():
    with pytest.raises(ValueError, match="start must be a slide number"):
        show.slides(start=0)


# --------------------------------------------------------------------------- static files


def test_slide_script_and_style_load_nothing_from_the_internet(presentation):
    for name in ("slides.js", "presenter_window.js", "slides.css", "hall.js"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), name
        assert "@import" not in text and "//cdn" not in text.lower(), name
    script = (STATIC / "slides.js").read_text(encoding="utf-8")
    # its one import is the package's own helper module, inlined outside ``rdlearn serve``
    assert re.findall(r"^[ \t]*import\s.*$", script, re.M) == [
        'import { h, setAttributes } from "./widgetkit.js";',
        'import { isTyping, keyTarget, presenterWindow } from "./presenter_window.js";']
    assert "innerHTML" not in script
    assert "innerHTML" not in (STATIC / "presenter_window.js").read_text(encoding="utf-8")
    assert str(presentation.controller._esm) == assets.esm("slides.js", served=False)


def test_script_handles_the_presentation_keys():
    script = "".join((STATIC / name).read_text(encoding="utf-8")
                     for name in ("slides.js", "presenter_window.js"))
    for key in ("ArrowRight", "PageDown", '" "', "ArrowLeft", "PageUp", '"Home"', '"End"',
                '"Escape"', '"s"', "requestFullscreen", "aria-live"):
        assert key in script, key


def test_the_page_output_is_the_widget_with_a_one_line_text_form(presentation):
    bundle = presentation._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == presentation.widget.model_id
    assert bundle["text/plain"] == (
        f"{presentation.deck['title']} ({len(presentation.deck['slides'])} slides)"
    )
