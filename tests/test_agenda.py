"""The day's plan without widgets: the agenda file, the timetable, re-planning, the notes."""

from __future__ import annotations

import copy
import itertools

import pytest

from rdlearn.agenda import blocks as agenda_file
from rdlearn.agenda import notes as facilitator_notes
from rdlearn.agenda import replan as replanning
from rdlearn.agenda import timetable
from rdlearn.content import loader as content
from rdlearn.content import schema
from rdlearn.content.checks import check_agenda_against_sessions
from rdlearn.sessions import load as sessions

# --------------------------------------------------------------------------- helpers


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _with_changed(monkeypatch, name, mutate):
    """Make the agenda and the notes read a changed copy of the data file ``name``."""
    real = content.load_yaml
    data = copy.deepcopy(real(name))
    mutate(data)

    def fake(requested):
        return data if requested == name else real(requested)

    monkeypatch.setattr(content, "load_yaml", fake)


def _with_agenda(monkeypatch, mutate):
    _with_changed(monkeypatch, agenda_file.AGENDA_FILE, mutate)


def _with_notes(monkeypatch, mutate):
    _with_changed(monkeypatch, facilitator_notes.NOTES_FILE, mutate)


# --------------------------------------------------------------------------- agenda


def test_the_agenda_file_loads_for_every_format_in_workshop_yaml():
    plans = agenda_file.load_agenda()
    assert set(plans) == {f["id"] for f in content.workshop()["formats"]}
    assert len(plans["one-day"]) == 1 and len(plans["two-day"]) == 2


def test_one_day_runs_from_half_past_nine_to_half_past_four():
    day = timetable.agenda("one-day")
    assert (day[0].start, day[-1].end) == ("09:30", "16:30")
    assert sum(b.minutes for b in day) == _minutes(day[-1].end) - _minutes(day[0].start)


@pytest.mark.parametrize("format_id", ["one-day", "two-day"])
def test_times_are_computed_from_the_minutes_so_blocks_follow_each_other(format_id):
    blocks = timetable.agenda(format_id, start="08:45")
    for day in {b.day for b in blocks}:
        todays = [b for b in blocks if b.day == day]
        assert todays[0].start == "08:45"
        for before, after in itertools.pairwise(todays):
            assert before.end == after.start
            assert _minutes(after.start) - _minutes(before.start) == before.minutes


def test_every_session_has_theory_and_pairs_work_with_breaks_and_lunch_in_both_formats():
    for format_id in ("one-day", "two-day"):
        blocks = timetable.agenda(format_id)
        kinds = {b.kind for b in blocks}
        assert {"welcome", "break", "lunch", "close"} <= kinds
        for number in (1, 2, 3, 4):
            session_kinds = {b.kind for b in blocks if b.session == number}
            assert {"theory", "pairs", "group"} <= session_kinds, (format_id, number)
        assert not any(b.flexible and b.kind == "pairs" for b in blocks)


def test_changing_the_start_moves_the_whole_day():
    early = timetable.agenda("two-day", start="9:00")
    late = timetable.agenda("two-day", start="10:15")
    for a, b in zip(early, late, strict=True):
        assert _minutes(b.start) - _minutes(a.start) == 75


@pytest.mark.parametrize("text, expected", [("9:30", "09:30"), ("09:30", "09:30"),
                                            ("14:05", "14:05"), (" 7:00 ", "07:00")])
def test_start_times_are_read_in_the_usual_ways(text, expected):
    assert timetable.agenda("one-day", start=text)[0].start == expected


@pytest.mark.parametrize("garbage", ["25:00", "9:60", "nine thirty", "", "9", "930", "9:3", None])
def test_a_start_time_that_is_not_a_time_is_refused_with_a_message(garbage):
    with pytest.raises(ValueError, match=r"time of day|09:30"):
        timetable.agenda("one-day", start=garbage)


def test_a_start_so_late_the_day_would_pass_midnight_is_refused():
    with pytest.raises(ValueError, match="midnight"):
        timetable.agenda("one-day", start="20:00")


def test_an_unknown_format_names_the_ones_that_exist():
    with pytest.raises(ValueError, match="one-day"):
        timetable.agenda("three-day")


def test_block_at_finds_what_is_running_now():
    day = timetable.agenda("one-day")
    lunch = next(i for i, b in enumerate(day) if b.kind == "lunch")
    inside = _minutes(day[lunch].start) + 10
    now = f"{inside // 60:02d}:{inside % 60:02d}"
    assert timetable.block_at(day, now) == lunch
    assert timetable.block_at(day, day[lunch].end) == lunch + 1
    assert timetable.block_at(day, "07:00") is None
    assert timetable.block_at(day, day[-1].end) is None


def _first_block(data, fmt="one-day"):
    return data["formats"][fmt]["day 1"][1]


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda b: b.update(minutes=0), "minutes must be a whole number"),
        (lambda b: b.update(minutes="20"), "minutes must be a whole number"),
        (lambda b: b.update(minutes=True), "minutes must be a whole number"),
        (lambda b: b.update(minutes=12.5), "minutes must be a whole number"),
        (lambda b: b.update(session=9), "session 9 does not exist in workshop.yaml"),
        (lambda b: b.pop("session"), "needs a session number"),
        (lambda b: b.update(kind="nap"), "kind 'nap' is not one of"),
        (lambda b: b.update(flexable=True), "unknown key(s) flexable"),
        (lambda b: b.pop("min_minutes"), "needs min_minutes"),
        (lambda b: b.update(min_minutes=99), "needs min_minutes"),
        (lambda b: b.update(title=""), "must not be empty"),
    ],
)
def test_a_broken_block_names_file_format_block_and_problem(monkeypatch, change, problem):
    _with_agenda(monkeypatch, lambda data: change(_first_block(data)))
    with pytest.raises(content.ContentError) as caught:
        agenda_file.load_agenda()
    message = str(caught.value)
    assert message.startswith("data file agenda.yaml, format one-day, day 1, block 2")
    assert "(s1-theory)" in message or "title" in message
    assert problem in message


def test_the_schema_and_the_code_name_the_same_kinds_of_block():
    declared = schema.load_schema("agenda")["$defs"]["block"]["properties"]["kind"]["enum"]
    assert declared == list(agenda_file.KINDS)


def test_a_duplicate_block_id_is_refused(monkeypatch):
    def mutate(data):
        _first_block(data)["id"] = "welcome"

    _with_agenda(monkeypatch, mutate)
    with pytest.raises(content.ContentError, match="'welcome' is used twice"):
        agenda_file.load_agenda()


def test_a_format_missing_a_session_or_unknown_to_workshop_yaml_is_refused(monkeypatch):
    def drop_session_four(data):
        day = data["formats"]["one-day"]["day 1"]
        day[:] = [b for b in day if b.get("session") != 4]

    _with_agenda(monkeypatch, drop_session_four)
    with pytest.raises(content.ContentError, match="format one-day: no block for session"):
        agenda_file.load_agenda()

    monkeypatch.undo()
    _with_agenda(monkeypatch, lambda d: d["formats"].update({"half-day": d["formats"]["one-day"]}))
    with pytest.raises(content.ContentError, match="format half-day: unknown format"):
        agenda_file.load_agenda()

    monkeypatch.undo()
    _with_agenda(monkeypatch, lambda d: d["formats"].pop("two-day"))
    with pytest.raises(content.ContentError, match="no agenda for format"):
        agenda_file.load_agenda()


def test_days_must_be_numbered_in_order(monkeypatch):
    def rename(data):
        two = data["formats"]["two-day"]
        data["formats"]["two-day"] = {"day 1": two["day 1"], "day 3": two["day 2"]}

    _with_agenda(monkeypatch, rename)
    with pytest.raises(content.ContentError, match="day 1, day 2"):
        agenda_file.load_agenda()


# --------------------------------------------------------------------------- agenda and sessions

#: Which agenda block kind an exercise of each kind in a session file belongs in.
_BLOCK_KIND_FOR = {"solo reflection": "exercise", "pairs": "pairs", "small group": "group",
                   "large group": "group"}


def _session_exercises():
    return {number: s["exercises"] for number, s in sessions.load_all().items()}


def _agenda_blocks(plans, fmt):
    return [block for day in plans[fmt] for block in day]


def test_the_agenda_and_the_session_files_agree_about_every_exercise():
    exercises = _session_exercises()
    plans = agenda_file.load_agenda()
    assert agenda_file.exercise_mismatches(plans, exercises) == []
    # Recomputed here from both files: each timed exercise sits in a block of its own
    # session and of the right kind, and is given at least its minutes.
    for fmt in plans:
        blocks = _agenda_blocks(plans, fmt)
        for number, session_exercises in exercises.items():
            for exercise in session_exercises:
                holding = [b for b in blocks if exercise["id"] in b["exercises"]]
                if fmt not in exercise["minutes"]:
                    assert holding == [], (fmt, exercise["id"])
                    continue
                assert holding, (fmt, exercise["id"])
                assert {b["session"] for b in holding} == {number}
                assert {b["kind"] for b in holding} == {_BLOCK_KIND_FOR[exercise["kind"]]}
                assert sum(b["minutes"] for b in holding) >= exercise["minutes"][fmt]


def test_the_feedback_exercise_is_in_session_three_of_the_two_day_agenda_only():
    plans = agenda_file.load_agenda()
    feedback = [e for e in _session_exercises()[3] if e["id"] == "drawing-in-and-keeping-away"]
    assert feedback and all("one-day" not in e["minutes"] for e in feedback)
    for exercise in feedback:
        assert not [b for b in _agenda_blocks(plans, "one-day")
                    if exercise["id"] in b["exercises"]]
        holding = [b for b in _agenda_blocks(plans, "two-day") if exercise["id"] in b["exercises"]]
        assert [b["session"] for b in holding] == [3]
    day = timetable.agenda("one-day")
    assert (day[0].start, day[-1].end) == ("09:30", "16:30")
    two = timetable.agenda("two-day")
    assert all((d[0].start, d[-1].end) == ("09:30", "16:30")
               for d in ([b for b in two if b.day == n] for n in (1, 2)))


def _plans_with(change):
    plans = copy.deepcopy(agenda_file.load_agenda())
    change(plans)
    return plans


def _block(plans, fmt, block_id):
    return next(b for b in _agenda_blocks(plans, fmt) if b["id"] == block_id)


def test_a_disagreement_between_agenda_and_session_files_is_reported():
    exercises = _session_exercises()
    check = agenda_file.exercise_mismatches

    # An agenda block naming an exercise the session file does not have.
    plans = _plans_with(lambda p: _block(p, "two-day", "s3-group").update(
        exercises=("going-deeper-with-clients",)))
    assert any("s3-group" in m and "going-deeper-with-clients" in m
               for m in check(plans, exercises))

    # An exercise placed in another session's block is missing from its own session.
    moved = "drawing-in-and-keeping-away"

    def move(p):
        _block(p, "two-day", "s3-feedback").update(exercises=())
        _block(p, "two-day", "s4-group").update(exercises=(moved,))

    problems = check(_plans_with(move), exercises)
    assert any("s4-group" in m and moved in m for m in problems)
    assert any(m.startswith("two-day: session 3") and moved in m for m in problems)

    # A one-day block claiming an exercise the session file runs in the two-day format only.
    plans = _plans_with(lambda p: _block(p, "one-day", "s3-group").update(
        exercises=("what-helps-depth", moved)))
    assert any("one-day" in m and "does not run" in m for m in check(plans, exercises))

    # An exercise given minutes in a format where no block names it.
    timed = copy.deepcopy(exercises)
    feedback = next(e for e in timed[3] if e["id"] == moved)
    feedback["minutes"]["one-day"] = 45
    assert any(m.startswith("one-day: session 3") and "no session 3 block" in m
               for m in check(agenda_file.load_agenda(), timed))

    # Blocks that give an exercise fewer minutes than the session file asks for.
    plans = _plans_with(lambda p: _block(p, "one-day", "s3-pairs").update(minutes=20))
    assert any("connection-rating" in m and "give 20" in m for m in check(plans, exercises))


def test_every_block_holding_exercises_lasts_their_minutes_plus_its_discussion():
    plans = agenda_file.load_agenda()
    exercises = _session_exercises()
    assert agenda_file.duration_mismatches(plans, exercises) == []
    check_agenda_against_sessions()
    for fmt in plans:
        holding = [b for b in _agenda_blocks(plans, fmt) if b["exercises"]]
        assert len(holding) >= 15, fmt
        for block in holding:
            timed = {e["id"]: e["minutes"].get(fmt) for e in exercises[block["session"]]}
            total = sum(timed[e] for e in block["exercises"])
            assert block["minutes"] == total + block["discussion_minutes"], (fmt, block["id"])
            assert block["min_minutes"] >= total, (fmt, block["id"])
        # Every session's discussion prompts get minutes of their own in every format.
        for number in exercises:
            assert any(b["discussion_minutes"] for b in holding if b["session"] == number)


def _check_fails(monkeypatch, fmt, block_id, change):
    def mutate(data):
        days = data["formats"][fmt].values()
        change(next(b for day in days for b in day if b["id"] == block_id))

    _with_agenda(monkeypatch, mutate)
    with pytest.raises(content.ContentError) as caught:
        check_agenda_against_sessions()
    return str(caught.value)


def test_a_block_giving_an_exercise_fewer_minutes_than_it_takes_fails_the_check(monkeypatch):
    relationship_map = next(e for e in _session_exercises()[2] if e["id"] == "relationship-map")
    assert relationship_map["minutes"]["two-day"] == 20
    message = _check_fails(monkeypatch, "two-day", "s2-exercise",
                           lambda b: b.update(minutes=11))
    assert message.startswith("data file agenda.yaml, format two-day, day 1, block ")
    assert "(s2-exercise)" in message
    assert "gives 11 minutes" in message and "relationship-map takes 20" in message


def test_minutes_left_over_in_a_block_must_be_named_discussion_minutes(monkeypatch):
    message = _check_fails(monkeypatch, "one-day", "s2-group",
                           lambda b: b.pop("discussion_minutes"))
    assert "(s2-group)" in message
    assert "gives 15 minutes, but its exercise evidence-quiz takes 10" in message
    assert "5 minutes left over to discussion_minutes" in message


def test_a_flexible_block_may_not_be_shortened_below_its_exercises(monkeypatch):
    message = _check_fails(monkeypatch, "two-day", "s2-group", lambda b: b.update(min_minutes=10))
    assert message.startswith("data file agenda.yaml, format two-day, day 1, block ")
    assert "(s2-group): min_minutes 10 is below the 15 minutes" in message
    assert "evidence-quiz" in message


def test_blocks_sharing_an_exercise_are_timed_together():
    def block(block_id, minutes, discussion=0):
        return {"id": block_id, "session": 1, "minutes": minutes, "flexible": False,
                "min_minutes": minutes, "discussion_minutes": discussion,
                "exercises": ("long-practice",)}

    exercises = {1: [{"id": "long-practice", "title": "Long", "minutes": {"one-day": 50}}]}
    halves = {"one-day": [[block("first", 30), {"id": "lunch", "session": None, "minutes": 60,
                                                 "exercises": ()}, block("second", 25, 5)]]}
    assert agenda_file.duration_mismatches(halves, exercises) == []
    halves["one-day"][0][2]["minutes"] = 15
    assert agenda_file.duration_mismatches(halves, exercises) == [(
        "format one-day, blocks first and second",
        "the blocks together gives 45 minutes, but its exercise long-practice takes 50 and its "
        "discussion_minutes are 5; make the blocks together 55 minutes, or change the exercise "
        "in the session file",
    )]


@pytest.mark.parametrize(
    "block_id, change, problem",
    [
        ("s1-theory", lambda b: b.update(discussion_minutes=5), "only for blocks that hold"),
        ("s1-group", lambda b: b.update(discussion_minutes=-5), "0 or more (found -5)"),
    ],
)
def test_discussion_minutes_are_only_beside_exercises_and_never_negative(
        monkeypatch, block_id, change, problem):
    def mutate(data):
        change(next(b for b in data["formats"]["one-day"]["day 1"] if b["id"] == block_id))

    _with_agenda(monkeypatch, mutate)
    with pytest.raises(content.ContentError, match=f"block \\d+ \\({block_id}\\)") as caught:
        agenda_file.load_agenda()
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    "block_id, change, problem",
    [
        ("s1-exercise", lambda b: b.pop("exercises"), "needs exercises"),
        ("s1-pairs", lambda b: b.pop("exercises"), "needs exercises"),
        ("s1-theory", lambda b: b.update(exercises=["recalling-a-moment"]), "only for exercise"),
        ("s1-exercise", lambda b: b.update(exercises=["Recalling a moment"]), "not an exercise id"),
        ("s1-exercise", lambda b: b.update(exercises=[]), "must be a list"),
        ("s1-exercise", lambda b: b.update(exercises=["a", "a"]), "named twice"),
    ],
)
def test_a_broken_exercises_field_is_refused(monkeypatch, block_id, change, problem):
    def mutate(data):
        change(next(b for b in data["formats"]["one-day"]["day 1"] if b["id"] == block_id))

    _with_agenda(monkeypatch, mutate)
    with pytest.raises(content.ContentError, match=f"block \\d+ \\({block_id}\\)") as caught:
        agenda_file.load_agenda()
    assert problem in str(caught.value)


def test_a_single_exercise_id_may_be_written_without_brackets(monkeypatch):
    def mutate(data):
        data["formats"]["one-day"]["day 1"][2]["exercises"] = "recalling-a-moment"

    _with_agenda(monkeypatch, mutate)
    block = agenda_file.load_agenda()["one-day"][0][2]
    assert block["exercises"] == ("recalling-a-moment",)


# --------------------------------------------------------------------------- re-planning


def test_an_overrun_moves_the_rest_of_the_day_and_reports_the_new_finish():
    day = timetable.agenda("one-day")
    index = 3  # a block in the morning
    late_now = _minutes(day[index].end) + 12
    result = replanning.replan(day, now=timetable.clock_text(late_now), current_index=index)
    assert result.overrun_minutes == 12
    assert result.late_by == 12
    assert result.finish == timetable.clock_text(_minutes(day[-1].end) + 12)
    assert result.planned_finish == day[-1].end
    for before, after in zip(day[:index], result.blocks[:index], strict=True):
        assert before.start == after.start and before.minutes == after.minutes
    for before, after in zip(day[index + 1:], result.blocks[index + 1:], strict=True):
        assert _minutes(after.start) - _minutes(before.start) == 12
    assert "12 minutes" in result.summary and result.finish in result.summary


def test_a_block_still_on_time_changes_nothing():
    day = timetable.agenda("one-day")
    middle = timetable.clock_text(day[2].start_minute + 1)
    result = replanning.replan(day, now=middle, current_index=2)
    assert result.overrun_minutes == 0
    assert [b.start for b in result.blocks] == [b.start for b in day]
    assert result.finish == day[-1].end


def test_the_facilitator_can_say_how_much_a_block_ran_over_without_a_clock():
    day = timetable.agenda("one-day")
    result = replanning.replan(day, now=None, current_index=0, ran_over=7)
    assert result.overrun_minutes == 7
    assert result.blocks[1].start == timetable.clock_text(day[1].start_minute + 7)


def test_recovering_shortens_only_later_flexible_blocks_and_never_below_their_minimum():
    day = timetable.agenda("one-day")
    result = replanning.replan(day, now=None, current_index=0, ran_over=25, recover=True)
    slack = sum(b.minutes - b.min_minutes for b in day[1:] if b.flexible)
    assert result.recovered_minutes == min(25, slack)
    assert result.late_by == 25 - result.recovered_minutes
    assert result.finish == timetable.clock_text(day[-1].end_minute + result.late_by)
    for before, after in zip(day[1:], result.blocks[1:], strict=True):
        if not before.flexible:
            assert after.minutes == before.minutes
        assert after.minutes >= before.min_minutes
    assert any("shortened" in change for change in result.changes)


def test_a_huge_overrun_recovers_only_what_the_flexible_blocks_can_give():
    day = timetable.agenda("one-day")
    result = replanning.replan(day, now=None, current_index=0, ran_over=180, recover=True)
    slack = sum(b.minutes - b.min_minutes for b in day[1:] if b.flexible)
    assert result.recovered_minutes == slack
    assert all(after.minutes == b.min_minutes for b, after in zip(day[1:], result.blocks[1:],
                                                                  strict=True) if b.flexible)
    assert result.late_by == 180 - slack > 0


def test_an_overrun_on_day_one_leaves_day_two_alone():
    blocks = timetable.agenda("two-day")
    result = replanning.replan(blocks, now=None, current_index=1, ran_over=20)
    for before, after in zip(blocks, result.blocks, strict=True):
        if before.day == 2:
            assert (before.start, before.end) == (after.start, after.end)
    day_one_end = [b for b in result.blocks if b.day == 1][-1].end
    assert result.finish == day_one_end


def test_replans_can_follow_one_another():
    day = timetable.agenda("one-day")
    first = replanning.replan(day, now=None, current_index=0, ran_over=5)
    second = replanning.replan(first.blocks, now=None, current_index=3, ran_over=10)
    assert second.blocks[-1].end == timetable.clock_text(day[-1].end_minute + 15)
    assert second.blocks[0].minutes == day[0].minutes + 5


@pytest.mark.parametrize("kwargs", [dict(current_index=99), dict(current_index=-1),
                                    dict(current_index=0, ran_over=-5),
                                    dict(current_index=0, ran_over=500),
                                    dict(current_index=0, now="lunchtime")])
def test_replan_refuses_nonsense_with_a_message(kwargs):
    kwargs.setdefault("now", None)
    with pytest.raises(ValueError):
        replanning.replan(timetable.agenda("one-day"), **kwargs)


# --------------------------------------------------------------------------- notes


@pytest.mark.parametrize("session", [1, 2, 3, 4, "keynote"])
def test_every_session_and_the_keynote_have_notes_on_aims_watching_distress_and_timing(session):
    entry = facilitator_notes.notes(session)
    for section in ("aims", "watch_for", "distress", "timing"):
        assert entry[section] and all(isinstance(p, str) and p for p in entry[section])
    distress = " ".join(entry["distress"]).lower()
    assert "pause" in distress and "step out" in distress and "support" in distress
    assert "what to share" in distress
    if session != "keynote":
        assert content.session(session)["title"] in entry["title"]


def test_notes_for_an_unknown_session_are_refused():
    with pytest.raises(ValueError, match="keynote"):
        facilitator_notes.notes(7)


@pytest.mark.parametrize(
    "mutate, problem",
    [
        (lambda d: d["notes"].pop(2), "no notes for session(s) 3"),
        (lambda d: d["notes"][0].update(aims=[]), "notes for session 1, aims: expected a list"),
        (lambda d: d["notes"][1].update(timing=["ok", 5]), "session 2, timing, point 2"),
        (lambda d: d["notes"][0].update(session=8), "session 8 is not a session"),
        (lambda d: d["notes"].append(dict(d["notes"][0])), "has notes twice"),
        (lambda d: d["notes"][0].pop("session"), "notes item 1: 'session' is missing"),
        (lambda d: d["notes"][0].update(session=True), "session True is not a session"),
        (lambda d: d["every_session"].update(distress="breathe"),
         "every_session, distress: expected a list of points"),
    ],
)
def test_a_broken_notes_file_says_where(monkeypatch, mutate, problem):
    _with_notes(monkeypatch, mutate)
    with pytest.raises(content.ContentError) as caught:
        facilitator_notes.load_notes()
    assert str(caught.value).startswith("data file facilitator_notes.yaml")
    assert problem in str(caught.value)
