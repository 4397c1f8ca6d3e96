"""Self-check widgets, used as a participant would: set values, click, read what is shown."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest

from rdlearn import figures
from rdlearn.content import findings
from rdlearn.content import loader as content
from rdlearn.journal.reflection import BrowserStore
from rdlearn.selfcheck import instruments as selfcheck
from rdlearn.selfcheck import quiz_panel, quizzes, scoring
from rdlearn.selfcheck import widgets as selfcheck_ui

FIXED_TIME = "2024-05-01T10:00:00+00:00"


def clock() -> str:
    return FIXED_TIME


def new_store(name: str) -> BrowserStore:
    return BrowserStore(f"selfcheck:{name}")


@pytest.fixture
def panel():
    return selfcheck_ui.chronic_disconnection(store=new_store("chronic-disconnection"),
                                              clock=clock)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def text_of(widget) -> str:
    return html.unescape(widget.value)


# --------------------------------------------------------------------------- controls


def test_every_rating_control_is_labelled_and_named(panel):
    inst = selfcheck.load_instrument("chronic-disconnection")
    expected = {selfcheck.answer_key(it["id"], c["id"]) for it in inst["items"]
                for c in inst["contexts"]}
    assert set(panel.controls) == expected
    for key, control in panel.controls.items():
        item, context = selfcheck.split_key(key)
        assert isinstance(control, widgets.ToggleButtons)
        assert control.description in {"Everyday", "Therapy"}
        assert control.description_allow_html is False
        assert f"rd-sc-chronic-disconnection-{item}-{context}" in control._dom_classes
        labels = [label for label, _ in control.options]
        assert labels[-1] == "Prefer not to say"
        assert labels[0] == "0 Not at all" and labels[-2] == "4 Nearly always"
        assert control.value is None  # nothing chosen for the participant


def test_nothing_on_the_page_times_the_participant(panel):
    kinds = {type(w) for w in walk(panel)}
    assert not kinds & {widgets.Play, widgets.IntProgress, widgets.FloatProgress}


def test_answers_are_saved_in_the_browser_for_the_workbook(panel):
    panel.controls["joke@therapy"].value = 3
    panel.controls["joke@everyday"].value = selfcheck_ui.PASS
    saved = panel.store.value
    assert saved["type"] == "selfcheck"
    assert saved["instrument"] == "chronic-disconnection"
    assert saved["title"] == panel.base["title"]
    assert saved["answers"] == {"joke@therapy": 3, "joke@everyday": None}
    assert saved["updated"] == FIXED_TIME
    joke = next(it for it in panel.base["items"] if it["id"] == "joke")
    anchors = panel.base["scale"]["anchors"]
    assert f"{joke['label']}: everyday prefer not to say; therapy 3 ({anchors[3]})" in (
        saved["lines"])
    assert "Saved in this browser" in panel.status.value


def test_an_out_of_range_value_from_the_browser_is_refused_and_the_answer_kept(panel):
    control = panel.controls["busy@therapy"]
    control.value = 2
    panel._on_change("busy@therapy", {"new": 99, "old": 2})
    assert "99 is not on this scale" in text_of(panel.message)
    assert "previous answer is kept" in text_of(panel.message)
    assert control.value == 2
    assert panel.answers["busy@therapy"] == 2
    assert panel.store.value["answers"]["busy@therapy"] == 2


def test_a_raw_browser_message_with_a_bad_index_is_refused(panel):
    control = panel.controls["talk@everyday"]
    control.value = 1
    control.set_state({"index": 99})  # what a tampered browser would send
    assert control.value == 1
    assert panel.answers["talk@everyday"] == 1
    assert "not one of the choices" in text_of(panel.message)


def test_a_bad_value_for_a_new_question_leaves_it_unanswered(panel):
    panel._on_change("drift@therapy", {"new": "lots"})
    assert "Please choose one of the answers" in text_of(panel.message)
    assert "drift@therapy" not in panel.answers
    assert panel.controls["drift@therapy"].value is None


def test_a_valid_answer_clears_the_message(panel):
    panel._on_change("busy@therapy", {"new": -3})
    assert panel.message.value
    panel.controls["busy@therapy"].value = 0
    assert panel.message.value == ""


def test_answers_come_back_when_the_page_is_reloaded():
    first = selfcheck_ui.chronic_disconnection(store=new_store("chronic-disconnection"),
                                               clock=clock)
    first.controls["cool@therapy"].value = 4
    first.controls["please@everyday"].value = selfcheck_ui.PASS
    first.add_own("Checking my phone when people talk to me")
    first.controls["own-1@therapy"].value = 2
    saved = dict(first.store.value)
    saved["answers"] = {**saved["answers"], "cool@everyday": 99, "made-up@therapy": 1}

    second = selfcheck_ui.chronic_disconnection(store=new_store("chronic-disconnection"),
                                                clock=clock)
    second.store.set_state({"value": saved})  # the browser restores localStorage
    assert second.controls["cool@therapy"].value == 4
    assert second.controls["please@everyday"].value == selfcheck_ui.PASS
    assert second.controls["own-1@therapy"].value == 2
    assert second.own_texts == ["Checking my phone when people talk to me"]
    assert "cool@everyday" not in second.answers and "made-up@therapy" not in second.answers
    assert second.controls["cool@everyday"].value is None
    assert "restored" in second.status.value


def test_a_store_that_already_holds_answers_restores_them_at_once():
    store = new_store("outcome-confidence")
    store.value = {"type": "selfcheck", "instrument": "outcome-confidence", "title": "x",
                   "lines": [], "answers": {"nature@start": 3}}
    panel = selfcheck_ui.outcome_confidence(store=store, clock=clock)
    assert panel.controls["nature@start"].value == 3
    assert panel.answers == {"nature@start": 3}


def test_another_instruments_saved_item_is_ignored(panel):
    panel.store.set_state({"value": {"type": "selfcheck", "instrument": "outcome-confidence",
                                     "answers": {"busy@therapy": 3}}})
    assert panel.answers == {}


# --------------------------------------------------------------------------- free listing


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_the_list_is_hidden_until_the_person_writes_in_their_own_words(panel):
    step = panel.free_listing
    free = panel.base["free_listing"]
    assert panel.children.index(step) < panel.children.index(panel.checklist)
    assert free["prompt"] in text_of(step.children[0]) and free["why"] in text_of(
        step.children[0])
    assert not panel.checklist_shown and not shown(panel.checklist)
    assert all(any(c is control for c in walk(panel.checklist))
               for control in panel.controls.values())
    step.text.value = "   \n  "
    assert not step.continue_to_list()
    assert "write a few words first" in text_of(step.message)
    assert not panel.checklist_shown
    step.text.value = "Making a joke\n\nGoing very  quiet"
    assert step.continue_to_list()
    assert panel.checklist_shown and not shown(step.buttons)
    saved = panel.store.value
    assert saved["free_listing"] == "Making a joke\nGoing very quiet"
    assert saved["list_shown"] is True
    assert saved["lines"][1:4] == ["In my own words, before the list:", "Making a joke",
                                   "Going very quiet"]


def test_skip_to_the_list_shows_it_without_writing(panel):
    panel.free_listing.skip_button.click()
    assert panel.checklist_shown
    assert panel.store.value["free_listing"] == ""
    assert "In my own words" not in " ".join(panel.store.value["lines"])


def test_the_other_self_checks_show_their_list_at_once():
    other = selfcheck_ui.outcome_confidence(store=new_store("outcome-confidence"), clock=clock)
    assert other.free_listing is None and other.checklist_shown


@pytest.mark.parametrize(("typed", "kept"), [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("Joking 😅 it off", "Joking 😅 it off"),
    ("\u05d0\u05e0\u05d9 \u05e9\u05d5\u05ea\u05e7\u202e",  # Hebrew, then a direction override
     "\u05d0\u05e0\u05d9 \u05e9\u05d5\u05ea\u05e7"),
    ("tab\there\x00 and\u200b zero width", "tab here and zero width"),
])
def test_free_listing_keeps_words_and_drops_control_characters(panel, typed, kept):
    panel.free_listing.text.value = typed
    assert panel.free_listing.continue_to_list()
    assert panel.store.value["free_listing"] == kept
    shown_html = [w.value for w in walk(panel) if isinstance(w, widgets.HTML)]
    assert all("<script" not in value for value in shown_html)


def test_a_huge_free_listing_is_refused_and_the_list_stays_hidden(panel):
    limit = panel.base["free_listing"]["max_chars"]
    panel.free_listing.text.value = "x" * (limit + 1)
    assert not panel.free_listing.continue_to_list()
    assert f"keep it to {limit} characters" in text_of(panel.free_listing.message)
    assert not panel.checklist_shown
    panel.free_listing.skip()  # skipping still shows the list, and keeps nothing too long
    assert panel.checklist_shown and panel.store.value["free_listing"] == ""


def test_editing_after_the_list_is_shown_is_saved(panel):
    panel.free_listing.skip()
    panel.free_listing.text.value = "Keeping busy"
    assert panel.store.value["free_listing"] == "Keeping busy"


def test_the_free_listing_and_the_shown_list_come_back_after_a_reload(panel):
    panel.free_listing.text.value = "Changing the subject"
    panel.free_listing.continue_to_list()
    saved = dict(panel.store.value)
    again = selfcheck_ui.chronic_disconnection(store=new_store("chronic-disconnection"),
                                               clock=clock)
    assert not again.checklist_shown
    again.store.set_state({"value": saved})
    assert again.checklist_shown and again.free_listing.text.value == "Changing the subject"
    older = selfcheck_ui.chronic_disconnection(store=new_store("chronic-disconnection"),
                                               clock=clock)
    older.store.set_state({"value": {**saved, "free_listing": 7, "list_shown": "yes",
                                     "answers": {}}})
    assert not older.checklist_shown and older.free_listing.written == ""


# --------------------------------------------------------------------------- own strategies


def test_adding_and_removing_strategies_of_my_own(panel):
    assert panel.add_own("  Scrolling on my phone ")
    assert panel.add_own("Changing the subject")
    assert panel.own_texts == ["Scrolling on my phone", "Changing the subject"]
    second = panel.controls["own-2@therapy"]
    assert "rd-sc-chronic-disconnection-own-2-therapy" in second._dom_classes
    second.value = 3
    panel.controls["own-1@everyday"].value = 1
    assert panel.store.value["own_items"] == panel.own_texts
    assert any(line.startswith("Changing the subject: ") for line in panel.store.value["lines"])

    panel.remove_own(1)
    assert panel.own_texts == ["Changing the subject"]
    assert panel.answers == {"own-1@therapy": 3}
    assert panel.controls["own-1@therapy"].value == 3
    assert "own-2@therapy" not in panel.controls


def test_own_strategies_are_limited_in_length_and_number(panel):
    assert not panel.add_own("x" * 121)
    assert "keep it to 120 characters" in text_of(panel.message)
    assert not panel.add_own("   ")
    assert panel.own_texts == []
    for i in range(5):
        assert panel.add_own(f"Habit number {i + 1}")
    assert panel.own_add.disabled
    assert not panel.add_own("A sixth habit")
    assert "up to 5" in text_of(panel.message)
    assert len(panel.own_texts) == 5


def test_own_words_are_shown_as_text_never_as_html(panel):
    panel.add_own('<img src=x onerror="alert(1)">')
    panel.controls["own-1@therapy"].value = 4
    panel.show_profile()
    shown = [w.value for w in walk(panel) if isinstance(w, widgets.HTML)]
    shown.append(panel.chart.outputs[0]["data"]["text/html"])
    assert all("<img" not in value for value in shown)
    assert any("&lt;img" in value for value in shown)


# --------------------------------------------------------------------------- profiles


def test_the_profile_shows_everyday_and_therapy_side_by_side(panel):
    ratings = {"busy": (3, 1), "talk": (1, 0), "joke": (2, 4), "explain": (0, 3)}
    for item, (everyday, therapy) in ratings.items():
        panel.controls[f"{item}@everyday"].value = everyday
        panel.controls[f"{item}@therapy"].value = therapy
    panel.show_profile()
    spec = figures.read_chart(panel.chart.outputs[0]["data"]["text/html"])[0]
    traces = {t["name"]: t for t in spec["data"]}
    assert set(traces) == {c["label"] for c in panel.instrument["contexts"]}
    labels = {it["id"]: it["label"] for it in panel.instrument["items"]}
    everyday = dict(zip(traces["In my close everyday relationships"]["y"],
                        traces["In my close everyday relationships"]["x"], strict=True))
    therapy = dict(zip(traces["In my therapy work"]["y"], traces["In my therapy work"]["x"],
                       strict=True))
    for item, (e, t) in ratings.items():
        assert everyday[labels[item]] == e and therapy[labels[item]] == t
    rated_in_therapy = sorted((t, i) for i, (_, t) in ratings.items() if t > 0)[::-1][:3]
    summary = text_of(panel.summary)
    assert "Most present in your therapy work" in summary
    for _, item in rated_in_therapy:
        assert labels[item] in summary
    highest = labels[max(ratings, key=lambda i: ratings[i][1])]
    assert spec["layout"]["meta"]["title"].startswith(
        f"Most present in your therapy work: {highest}")
    details = panel.chart.outputs[0]["data"]
    assert "<details" in details["text/html"] and "<table" in details["text/html"]
    assert panel.base["not_a_measure"] in details["text/plain"]


def test_too_few_answers_give_no_score_and_say_so(panel):
    panel.controls["busy@everyday"].value = 2
    panel.show_profile()
    summary = text_of(panel.summary)
    assert "Answer a few more questions" in summary
    assert any("no score yet (1 of 3 answered; a score needs at least 2)" in line
               for line in panel.store.value["lines"])


def test_reflecting_on_one_chosen_strategy(panel):
    panel.controls["joke@therapy"].value = 4
    panel.controls["busy@therapy"].value = 1
    panel.show_profile()
    chooser = panel.reflection_chooser
    assert chooser.description == "Reflect on" and chooser.description_allow_html is False
    names = [value for _, value in chooser.options if value]
    joke = next(it["label"] for it in panel.instrument["items"] if it["id"] == "joke")
    assert names[0] == joke  # the most present in therapy comes first
    chooser.value = joke
    prompts = scoring.reflection_prompts(panel.instrument, joke)
    shown = html.unescape("".join(w.value for w in walk(panel.reflection)
                                  if isinstance(w, widgets.HTML)))
    assert all(p in shown for p in prompts)
    assert f"Strategy I chose to reflect on: {joke}" in panel.store.value["lines"]
    chooser.set_state({"index": 999})
    assert chooser.value == joke


def test_connection_frequency_is_shown_beside_leungs_means():
    panel = selfcheck_ui.connection_frequency("client", store=new_store("cf-client"),
                                              clock=clock)
    control = panel.controls["present"]
    assert isinstance(control, widgets.Dropdown)
    label = next(it["label"] for it in panel.base["items"] if it["id"] == "present")
    # "My answer" on screen; the item's label, escaped, for screen readers only
    assert control.description == (
        f'<span class="rd-visually-hidden">{html.escape(label, quote=False)}: </span>My answer')
    answers = {"present": 6, "real": 5, "received": 7, "polite": 2}
    for key, value in answers.items():
        panel.controls[key].value = value
    panel.show_profile()
    inst = panel.instrument
    lo, hi = inst["scale"]["min"], inst["scale"]["max"]
    keyed = [hi + lo - v if selfcheck._item(inst, k)["reverse"] else v
             for k, v in answers.items()]
    mine = sum(keyed) / len(keyed)
    spec = figures.read_chart(panel.chart.outputs[0]["data"]["text/html"])[0]
    bars = dict(zip(spec["data"][0]["x"], spec["data"][0]["y"], strict=True))
    assert bars["You (rdlearn's items)"] == pytest.approx(mine, abs=0.01)
    for fid, label in (("leung2008-therapists-frequency", "Therapists in Leung's survey"),
                       ("leung2008-clients-frequency", "Clients in Leung's survey")):
        assert bars[label] == findings.finding(fid)["value"]
        assert findings.cite(fid) in text_of(panel.summary)
    described = panel.chart.outputs[0]["data"]["text/plain"]
    assert "secondary source" in described
    assert "chose to take part" in described and "humanistic" in described


def test_an_unknown_form_is_refused():
    with pytest.raises(ValueError, match="therapist' or 'client'"):
        selfcheck_ui.connection_frequency("supervisor")


def test_outcome_confidence_shows_the_change_per_outcome():
    panel = selfcheck_ui.outcome_confidence(store=new_store("outcome-confidence"), clock=clock)
    outcomes = content.learning_outcomes()
    start = {o["id"]: i + 2 for i, o in enumerate(outcomes)}
    end = {o["id"]: min(10, 2 * (i + 2)) for i, o in enumerate(outcomes)}
    for oid in start:
        panel.controls[f"{oid}@start"].value = start[oid]
        panel.controls[f"{oid}@end"].value = end[oid]
    panel.controls[f"{outcomes[0]['id']}@end"].set_state({"index": 50})
    assert panel.controls[f"{outcomes[0]['id']}@end"].value == end[outcomes[0]["id"]]
    panel.show_profile()
    spec = figures.read_chart(panel.chart.outputs[0]["data"]["text/html"])[0]
    table = spec["layout"]["meta"]["table"]
    assert [row["outcome"] for row in table] == [o["text"] for o in outcomes]
    assert [row["change"] for row in table] == [end[o["id"]] - start[o["id"]] for o in outcomes]
    summary = text_of(panel.summary)
    for o in outcomes:
        delta = end[o["id"]] - start[o["id"]]
        assert f"{o['text']} {start[o['id']]} to {end[o['id']]} ({delta:+d})" in summary


# --------------------------------------------------------------------------- quiz


def test_quiz_answer_then_see_whether_right_with_explanation_and_source():
    panel = quiz_panel.quiz(4, store=new_store("quiz-session-4"), clock=clock)
    questions = quizzes.quiz_questions(4)
    assert len(panel.controls) == len(questions)
    q = questions[1]
    radio = panel.controls[q["id"]]
    assert radio.description == "Your answer" and radio.description_allow_html is False
    assert f"rd-sc-quiz-4-{q['id']}" in radio._dom_classes

    panel.buttons[q["id"]].click()
    assert "Choose an answer first" in text_of(panel.feedback[q["id"]])

    wrong = (q["answer"] + 1) % len(q["options"])
    radio.value = wrong
    panel.buttons[q["id"]].click()
    feedback = text_of(panel.feedback[q["id"]])
    assert f"The answer is: {q['options'][q['answer']]}" in feedback
    assert q["explanation"] in feedback
    assert "Source: " + findings.cite(q["finding"]) in feedback

    radio.value = q["answer"]
    panel.buttons[q["id"]].click()
    assert "that's right" in text_of(panel.feedback[q["id"]])
    saved = panel.store.value
    assert saved["type"] == "selfcheck" and saved["instrument"] == "quiz-session-4"
    assert saved["answers"] == {q["id"]: q["answer"]}
    assert saved["lines"] == quizzes.quiz_lines(questions, {q["id"]: q["answer"]})


def test_quiz_refuses_a_tampered_choice_and_restores_saved_answers():
    panel = quiz_panel.quiz(1, store=new_store("quiz-session-1"), clock=clock)
    q = quizzes.quiz_questions(1)[0]
    panel.controls[q["id"]].set_state({"index": 17})
    assert panel.controls[q["id"]].value is None
    assert "not one of the choices" in text_of(panel.feedback[q["id"]])
    assert panel.check(q["id"], 17) is None
    assert "choose one of the answers" in text_of(panel.feedback[q["id"]])

    again = quiz_panel.quiz(1, store=new_store("quiz-session-1"), clock=clock)
    again.store.set_state({"value": {"type": "selfcheck", "instrument": "quiz-session-1",
                                     "answers": {q["id"]: q["answer"], "unknown": 0}}})
    assert again.controls[q["id"]].value == q["answer"]
    assert "that's right" in text_of(again.feedback[q["id"]])
    assert again.choices == {q["id"]: q["answer"]}
