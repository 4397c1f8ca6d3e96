"""The facilitator's pure toolkit: agendas, re-planning, countdown, pairing, notes."""

from __future__ import annotations

import copy
import itertools
import random

import pytest

from rdlearn.agenda import plan as facilitation
from rdlearn.agenda.plan import Countdown
from rdlearn.content import loader as content

# --------------------------------------------------------------------------- helpers


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _with_changed(monkeypatch, name, mutate):
    """Make facilitation read a changed copy of the data file ``name``."""
    real = content.load_yaml
    data = copy.deepcopy(real(name))
    mutate(data)

    def fake(requested):
        return data if requested == name else real(requested)

    monkeypatch.setattr(facilitation.content, "load_yaml", fake)


def _with_agenda(monkeypatch, mutate):
    _with_changed(monkeypatch, facilitation.AGENDA_FILE, mutate)


def _with_notes(monkeypatch, mutate):
    _with_changed(monkeypatch, facilitation.NOTES_FILE, mutate)


# --------------------------------------------------------------------------- agenda


def test_the_agenda_file_loads_for_every_format_in_workshop_yaml():
    plans = facilitation.load_agenda()
    assert set(plans) == {f["id"] for f in content.workshop()["formats"]}
    assert len(plans["one-day"]) == 1 and len(plans["two-day"]) == 2


def test_one_day_runs_from_half_past_nine_to_half_past_four():
    day = facilitation.agenda("one-day")
    assert (day[0].start, day[-1].end) == ("09:30", "16:30")
    assert sum(b.minutes for b in day) == _minutes(day[-1].end) - _minutes(day[0].start)


@pytest.mark.parametrize("format_id", ["one-day", "two-day"])
def test_times_are_computed_from_the_minutes_so_blocks_follow_each_other(format_id):
    blocks = facilitation.agenda(format_id, start="08:45")
    for day in {b.day for b in blocks}:
        todays = [b for b in blocks if b.day == day]
        assert todays[0].start == "08:45"
        for before, after in itertools.pairwise(todays):
            assert before.end == after.start
            assert _minutes(after.start) - _minutes(before.start) == before.minutes


def test_every_session_has_theory_and_pairs_work_with_breaks_and_lunch_in_both_formats():
    for format_id in ("one-day", "two-day"):
        blocks = facilitation.agenda(format_id)
        kinds = {b.kind for b in blocks}
        assert {"welcome", "break", "lunch", "close"} <= kinds
        for number in (1, 2, 3, 4):
            session_kinds = {b.kind for b in blocks if b.session == number}
            assert {"theory", "pairs", "group"} <= session_kinds, (format_id, number)
        assert not any(b.flexible and b.kind == "pairs" for b in blocks)


def test_changing_the_start_moves_the_whole_day():
    early = facilitation.agenda("two-day", start="9:00")
    late = facilitation.agenda("two-day", start="10:15")
    for a, b in zip(early, late, strict=True):
        assert _minutes(b.start) - _minutes(a.start) == 75


@pytest.mark.parametrize("text, expected", [("9:30", "09:30"), ("09:30", "09:30"),
                                            ("14:05", "14:05"), (" 7:00 ", "07:00")])
def test_start_times_are_read_in_the_usual_ways(text, expected):
    assert facilitation.agenda("one-day", start=text)[0].start == expected


@pytest.mark.parametrize("garbage", ["25:00", "9:60", "nine thirty", "", "9", "930", "9:3", None])
def test_a_start_time_that_is_not_a_time_is_refused_with_a_message(garbage):
    with pytest.raises(ValueError, match=r"time of day|09:30"):
        facilitation.agenda("one-day", start=garbage)


def test_a_start_so_late_the_day_would_pass_midnight_is_refused():
    with pytest.raises(ValueError, match="midnight"):
        facilitation.agenda("one-day", start="20:00")


def test_an_unknown_format_names_the_ones_that_exist():
    with pytest.raises(ValueError, match="one-day"):
        facilitation.agenda("three-day")


def test_block_at_finds_what_is_running_now():
    day = facilitation.agenda("one-day")
    lunch = next(i for i, b in enumerate(day) if b.kind == "lunch")
    inside = _minutes(day[lunch].start) + 10
    now = f"{inside // 60:02d}:{inside % 60:02d}"
    assert facilitation.block_at(day, now) == lunch
    assert facilitation.block_at(day, day[lunch].end) == lunch + 1
    assert facilitation.block_at(day, "07:00") is None
    assert facilitation.block_at(day, day[-1].end) is None


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
        facilitation.load_agenda()
    message = str(caught.value)
    assert message.startswith("data file agenda.yaml, format one-day, day 1, block 2")
    assert "(s1-theory)" in message or "title" in message
    assert problem in message


def test_a_duplicate_block_id_is_refused(monkeypatch):
    def mutate(data):
        _first_block(data)["id"] = "welcome"

    _with_agenda(monkeypatch, mutate)
    with pytest.raises(content.ContentError, match="'welcome' is used twice"):
        facilitation.load_agenda()


def test_a_format_missing_a_session_or_unknown_to_workshop_yaml_is_refused(monkeypatch):
    def drop_session_four(data):
        day = data["formats"]["one-day"]["day 1"]
        day[:] = [b for b in day if b.get("session") != 4]

    _with_agenda(monkeypatch, drop_session_four)
    with pytest.raises(content.ContentError, match="format one-day: no block for session"):
        facilitation.load_agenda()

    monkeypatch.undo()
    _with_agenda(monkeypatch, lambda d: d["formats"].update({"half-day": d["formats"]["one-day"]}))
    with pytest.raises(content.ContentError, match="format half-day: unknown format"):
        facilitation.load_agenda()

    monkeypatch.undo()
    _with_agenda(monkeypatch, lambda d: d["formats"].pop("two-day"))
    with pytest.raises(content.ContentError, match="no agenda for format"):
        facilitation.load_agenda()


def test_days_must_be_numbered_in_order(monkeypatch):
    def rename(data):
        two = data["formats"]["two-day"]
        data["formats"]["two-day"] = {"day 1": two["day 1"], "day 3": two["day 2"]}

    _with_agenda(monkeypatch, rename)
    with pytest.raises(content.ContentError, match="day 1, day 2"):
        facilitation.load_agenda()


# --------------------------------------------------------------------------- agenda and sessions

#: Which agenda block kind an exercise of each kind in a session file belongs in.
_BLOCK_KIND_FOR = {"solo reflection": "exercise", "pairs": "pairs", "small group": "group",
                   "large group": "group"}


def _session_exercises():
    from rdlearn.sessions import model as sessions

    return {number: s["exercises"] for number, s in sessions.load_all().items()}


def _agenda_blocks(plans, fmt):
    return [block for day in plans[fmt] for block in day]


def test_the_agenda_and_the_session_files_agree_about_every_exercise():
    exercises = _session_exercises()
    plans = facilitation.load_agenda()
    assert facilitation.exercise_mismatches(plans, exercises) == []
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
    plans = facilitation.load_agenda()
    feedback = [e for e in _session_exercises()[3] if e["id"] == "drawing-in-and-keeping-away"]
    assert feedback and all("one-day" not in e["minutes"] for e in feedback)
    for exercise in feedback:
        assert not [b for b in _agenda_blocks(plans, "one-day")
                    if exercise["id"] in b["exercises"]]
        holding = [b for b in _agenda_blocks(plans, "two-day") if exercise["id"] in b["exercises"]]
        assert [b["session"] for b in holding] == [3]
    day = facilitation.agenda("one-day")
    assert (day[0].start, day[-1].end) == ("09:30", "16:30")
    two = facilitation.agenda("two-day")
    assert all((d[0].start, d[-1].end) == ("09:30", "16:30")
               for d in ([b for b in two if b.day == n] for n in (1, 2)))


def _plans_with(change):
    plans = copy.deepcopy(facilitation.load_agenda())
    change(plans)
    return plans


def _block(plans, fmt, block_id):
    return next(b for b in _agenda_blocks(plans, fmt) if b["id"] == block_id)


def test_a_disagreement_between_agenda_and_session_files_is_reported():
    exercises = _session_exercises()
    check = facilitation.exercise_mismatches

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
               for m in check(facilitation.load_agenda(), timed))

    # Blocks that give an exercise fewer minutes than the session file asks for.
    plans = _plans_with(lambda p: _block(p, "one-day", "s3-pairs").update(minutes=20))
    assert any("connection-rating" in m and "give 20" in m for m in check(plans, exercises))


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
        facilitation.load_agenda()
    assert problem in str(caught.value)


def test_a_single_exercise_id_may_be_written_without_brackets(monkeypatch):
    def mutate(data):
        data["formats"]["one-day"]["day 1"][2]["exercises"] = "recalling-a-moment"

    _with_agenda(monkeypatch, mutate)
    block = facilitation.load_agenda()["one-day"][0][2]
    assert block["exercises"] == ("recalling-a-moment",)


# --------------------------------------------------------------------------- re-planning


def test_an_overrun_moves_the_rest_of_the_day_and_reports_the_new_finish():
    day = facilitation.agenda("one-day")
    index = 3  # a block in the morning
    late_now = _minutes(day[index].end) + 12
    result = facilitation.replan(day, now=facilitation.clock_text(late_now), current_index=index)
    assert result.overrun_minutes == 12
    assert result.late_by == 12
    assert result.finish == facilitation.clock_text(_minutes(day[-1].end) + 12)
    assert result.planned_finish == day[-1].end
    for before, after in zip(day[:index], result.blocks[:index], strict=True):
        assert before.start == after.start and before.minutes == after.minutes
    for before, after in zip(day[index + 1:], result.blocks[index + 1:], strict=True):
        assert _minutes(after.start) - _minutes(before.start) == 12
    assert "12 minutes" in result.summary and result.finish in result.summary


def test_a_block_still_on_time_changes_nothing():
    day = facilitation.agenda("one-day")
    middle = facilitation.clock_text(day[2].start_minute + 1)
    result = facilitation.replan(day, now=middle, current_index=2)
    assert result.overrun_minutes == 0
    assert [b.start for b in result.blocks] == [b.start for b in day]
    assert result.finish == day[-1].end


def test_the_facilitator_can_say_how_much_a_block_ran_over_without_a_clock():
    day = facilitation.agenda("one-day")
    result = facilitation.replan(day, now=None, current_index=0, ran_over=7)
    assert result.overrun_minutes == 7
    assert result.blocks[1].start == facilitation.clock_text(day[1].start_minute + 7)


def test_recovering_shortens_only_later_flexible_blocks_and_never_below_their_minimum():
    day = facilitation.agenda("one-day")
    result = facilitation.replan(day, now=None, current_index=0, ran_over=25, recover=True)
    slack = sum(b.minutes - b.min_minutes for b in day[1:] if b.flexible)
    assert result.recovered_minutes == min(25, slack)
    assert result.late_by == 25 - result.recovered_minutes
    assert result.finish == facilitation.clock_text(day[-1].end_minute + result.late_by)
    for before, after in zip(day[1:], result.blocks[1:], strict=True):
        if not before.flexible:
            assert after.minutes == before.minutes
        assert after.minutes >= before.min_minutes
    assert any("shortened" in change for change in result.changes)


def test_a_huge_overrun_recovers_only_what_the_flexible_blocks_can_give():
    day = facilitation.agenda("one-day")
    result = facilitation.replan(day, now=None, current_index=0, ran_over=180, recover=True)
    slack = sum(b.minutes - b.min_minutes for b in day[1:] if b.flexible)
    assert result.recovered_minutes == slack
    assert all(after.minutes == b.min_minutes for b, after in zip(day[1:], result.blocks[1:],
                                                                  strict=True) if b.flexible)
    assert result.late_by == 180 - slack > 0


def test_an_overrun_on_day_one_leaves_day_two_alone():
    blocks = facilitation.agenda("two-day")
    result = facilitation.replan(blocks, now=None, current_index=1, ran_over=20)
    for before, after in zip(blocks, result.blocks, strict=True):
        if before.day == 2:
            assert (before.start, before.end) == (after.start, after.end)
    day_one_end = [b for b in result.blocks if b.day == 1][-1].end
    assert result.finish == day_one_end


def test_replans_can_follow_one_another():
    day = facilitation.agenda("one-day")
    first = facilitation.replan(day, now=None, current_index=0, ran_over=5)
    second = facilitation.replan(first.blocks, now=None, current_index=3, ran_over=10)
    assert second.blocks[-1].end == facilitation.clock_text(day[-1].end_minute + 15)
    assert second.blocks[0].minutes == day[0].minutes + 5


@pytest.mark.parametrize("kwargs", [dict(current_index=99), dict(current_index=-1),
                                    dict(current_index=0, ran_over=-5),
                                    dict(current_index=0, ran_over=500),
                                    dict(current_index=0, now="lunchtime")])
def test_replan_refuses_nonsense_with_a_message(kwargs):
    kwargs.setdefault("now", None)
    with pytest.raises(ValueError):
        facilitation.replan(facilitation.agenda("one-day"), **kwargs)


# --------------------------------------------------------------------------- countdown


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


def test_a_countdown_counts_down_by_the_clock():
    clock = FakeClock()
    countdown = Countdown(300, clock=clock)
    assert countdown.state == "ready" and countdown.remaining() == 300
    countdown.start()
    clock.advance(61.5)
    assert countdown.remaining() == pytest.approx(238.5)
    assert countdown.text() == "03:59"
    assert countdown.running and not countdown.finished


def test_pause_and_resume_keep_the_remaining_time_exactly():
    clock = FakeClock()
    countdown = Countdown(120, clock=clock)
    countdown.start()
    clock.advance(30.25)
    countdown.pause()
    left = countdown.remaining()
    clock.advance(500)  # a long pause
    assert countdown.remaining() == left and countdown.state == "paused"
    countdown.resume()
    clock.advance(10)
    assert countdown.remaining() == pytest.approx(left - 10)


def test_twenty_minutes_of_irregular_ticks_end_on_time():
    clock = FakeClock()
    rng = random.Random(4)
    countdown = Countdown(20 * 60, clock=clock)
    countdown.start()
    began = clock.now
    paused_for = 0.0
    while not countdown.finished:
        clock.advance(rng.choice([0.01, 0.25, 0.9, 1.0, 2.7, 13.0]))
        if rng.random() < 0.02:
            countdown.pause()
            gap = rng.uniform(1, 90)
            clock.advance(gap)
            paused_for += gap
            countdown.resume()
        running_time = clock.now - began - paused_for
        expected = max(0.0, 20 * 60 - running_time)
        assert abs(countdown.remaining() - expected) < 1e-6
    overshoot = clock.now - began - paused_for - 20 * 60
    assert 0 <= overshoot < 13.0  # at most one (long) tick late, never early
    assert countdown.remaining() == 0 and countdown.text() == "00:00"


def test_reset_goes_back_to_the_full_length_and_start_after_the_end_does_nothing():
    clock = FakeClock()
    countdown = Countdown(60, clock=clock)
    countdown.start()
    clock.advance(75)
    assert countdown.finished and countdown.state == "finished"
    countdown.start()
    assert countdown.remaining() == 0
    countdown.reset()
    assert countdown.state == "ready" and countdown.remaining() == 60
    countdown.reset(90)
    assert countdown.remaining() == 90


@pytest.mark.parametrize("bad", [0, -5, "5", True, 10**9])
def test_a_countdown_refuses_a_nonsense_length(bad):
    with pytest.raises(ValueError):
        Countdown(bad, clock=FakeClock())


def test_the_display_rounds_up_so_zero_shows_only_at_the_end():
    assert facilitation.format_remaining(0.2) == "00:01"
    assert facilitation.format_remaining(0) == "00:00"
    assert facilitation.format_remaining(3600) == "60:00"
    assert facilitation.format_remaining(125) == "02:05"


# --------------------------------------------------------------------------- pairing


def _pairs_in(groups):
    return {frozenset(p) for g in groups for p in itertools.combinations(g.members, 2)}


def test_a_head_count_gives_numbered_people_in_pairs():
    groups = facilitation.make_groups(8, rng=random.Random(1))
    people = sorted(name for g in groups for name in g.members)
    assert people == sorted(f"Person {n}" for n in range(1, 9))
    assert all(g.roles == ("speaker", "listener") for g in groups)


def test_names_are_stripped_and_repeats_ignoring_case_are_listed_once():
    names, notes = facilitation.clean_names(["  Ana ", "ana", "Ben", "", "Ben", "Cleo  Marie"])
    assert names == ["Ana", "Ben", "Cleo Marie"]
    assert len(notes) == 2 and "ana" in notes[0]
    groups = facilitation.make_groups(["  Ana ", "ANA", "Ben", "Cleo"], rng=random.Random(0))
    assert sorted(n for g in groups for n in g.members) == ["Ana", "Ben", "Cleo"]


def test_the_names_box_splits_on_lines_and_commas():
    assert facilitation.parse_names("Ana\nBen, Cleo;Dev\n\n") == ["Ana", "Ben", " Cleo", "Dev"]


@pytest.mark.parametrize(
    "people, message",
    [([], "at least two"), (["Solo"], "at least two"), (["", "  "], "at least two"),
     (1, "from 2 to"), (0, "from 2 to"), (500, "from 2 to"), (True, "head count"),
     ([f"P{n}" for n in range(300)], "at most"), (["x" * 80, "Ben"], "longer than")],
)
def test_impossible_rooms_are_refused_with_a_message(people, message):
    with pytest.raises(ValueError, match=message):
        facilitation.make_groups(people)


@pytest.mark.parametrize("size", [1, 5, "2", True])
def test_only_pairs_triads_or_fours(size):
    with pytest.raises(ValueError, match="2, 3 or 4"):
        facilitation.make_groups(6, size=size)


@pytest.mark.parametrize("count", range(2, 30))
@pytest.mark.parametrize("size", [2, 3, 4])
def test_nobody_is_left_alone_and_groups_stay_close_to_the_size_asked(count, size):
    groups = facilitation.make_groups(count, size=size, rng=random.Random(count))
    sizes = [len(g.members) for g in groups]
    assert sum(sizes) == count
    assert min(sizes) >= 2
    assert max(sizes) - min(sizes) <= 1
    assert all(abs(s - size) <= 1 for s in sizes) or count < size
    everyone = [n for g in groups for n in g.members]
    assert len(set(everyone)) == count


def test_an_odd_number_in_pairs_makes_one_triad_with_an_observer():
    groups = facilitation.make_groups(["A", "B", "C", "D", "E"], rng=random.Random(2))
    assert sorted(len(g.members) for g in groups) == [2, 3]
    triad = next(g for g in groups if len(g.members) == 3)
    assert sorted(triad.roles) == ["listener", "observer", "speaker"]


def _zero_repeat_possible(people, history):
    """Brute force: can the room be paired with no repeat partner at all?"""
    together = {frozenset(p) for r in history for g in r for p in itertools.combinations(
        g.members, 2)}

    def match(left):
        if not left:
            return True
        first, rest = left[0], left[1:]
        return any(
            frozenset((first, other)) not in together
            and match([p for p in rest if p != other])
            for other in rest
        )

    return match(list(people))


@pytest.mark.parametrize("seed", range(6))
def test_over_seven_rounds_of_eight_no_pair_repeats_while_that_is_avoidable(seed):
    people = [f"Person {n}" for n in range(1, 9)]
    history = []
    for _ in range(7):
        avoidable = _zero_repeat_possible(people, history)
        groups = facilitation.make_groups(8, rng=random.Random(seed), history=history)
        earlier = {p for past in history for p in _pairs_in(past)}
        if avoidable:
            assert not (_pairs_in(groups) & earlier)
        history.append(groups)


def test_repeats_are_kept_to_the_minimum_when_they_cannot_be_avoided():
    history = []
    for _ in range(4):  # four people have only three distinct pairings
        history.append(facilitation.make_groups(4, rng=random.Random(3), history=history))
    counts = {}
    for past in history:
        for pair in _pairs_in(past):
            counts[pair] = counts.get(pair, 0) + 1
    assert len(counts) == 6  # every possible pair has met
    assert max(counts.values()) == 2  # and only one pairing came round twice


def test_roles_rotate_so_partners_take_turns_to_speak():
    history = []
    speakers = []
    for _ in range(4):
        groups = facilitation.make_groups(["Ana", "Ben"], rng=random.Random(9), history=history)
        speakers.append(groups[0].members[groups[0].roles.index("speaker")])
        history.append(groups)
    assert speakers[0] != speakers[1] and speakers[1] != speakers[2]
    assert speakers.count("Ana") == speakers.count("Ben") == 2


def test_in_a_triad_everyone_takes_every_role_over_three_rounds():
    history = []
    for _ in range(3):
        history.append(facilitation.make_groups(3, size=3, rng=random.Random(5), history=history))
    for person in ("Person 1", "Person 2", "Person 3"):
        roles = sorted(r[0].role_of(person) for r in history)
        assert roles == ["listener", "observer", "speaker"]


def test_a_seeded_generator_repeats_a_result_and_seeds_differ():
    one = facilitation.make_groups(12, rng=random.Random(42))
    again = facilitation.make_groups(12, rng=random.Random(42))
    assert one == again
    others = {tuple(g.members for g in facilitation.make_groups(12, rng=random.Random(s)))
              for s in range(10)}
    assert len(others) > 1


def test_history_may_be_plain_lists_of_names():
    history = [[["A", "B"], ["C", "D"]]]
    groups = facilitation.make_groups(["A", "B", "C", "D"], rng=random.Random(0), history=history)
    assert not (_pairs_in(groups) & {frozenset("AB"), frozenset("CD")})


def test_a_large_room_is_grouped():
    groups = facilitation.make_groups(200, size=4, rng=random.Random(0))
    assert sum(len(g.members) for g in groups) == 200


# --------------------------------------------------------------------------- notes


@pytest.mark.parametrize("session", [1, 2, 3, 4, "keynote"])
def test_every_session_and_the_keynote_have_notes_on_aims_watching_distress_and_timing(session):
    entry = facilitation.notes(session)
    for section in ("aims", "watch_for", "distress", "timing"):
        assert entry[section] and all(isinstance(p, str) and p for p in entry[section])
    distress = " ".join(entry["distress"]).lower()
    assert "pause" in distress and "step out" in distress and "support" in distress
    assert "what to share" in distress
    if session != "keynote":
        assert content.session(session)["title"] in entry["title"]


def test_notes_for_an_unknown_session_are_refused():
    with pytest.raises(ValueError, match="keynote"):
        facilitation.notes(7)


@pytest.mark.parametrize(
    "mutate, problem",
    [
        (lambda d: d["notes"].pop(2), "no notes for session(s) 3"),
        (lambda d: d["notes"][0].update(aims=[]), "notes for session 1, aims: expected a list"),
        (lambda d: d["notes"][1].update(timing=["ok", 5]), "session 2, timing, point 2"),
        (lambda d: d["notes"][0].update(session=8), "session 8 is not a session"),
        (lambda d: d["notes"].append(dict(d["notes"][0])), "has notes twice"),
    ],
)
def test_a_broken_notes_file_says_where(monkeypatch, mutate, problem):
    _with_notes(monkeypatch, mutate)
    with pytest.raises(content.ContentError) as caught:
        facilitation.load_notes()
    assert str(caught.value).startswith("data file facilitator_notes.yaml")
    assert problem in str(caught.value)
