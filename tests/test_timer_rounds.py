"""The timer in steps: a skills practice in rounds, and a length for each workshop format."""

from __future__ import annotations

import pytest

from rdlearn import timer
from rdlearn.timer import widget as timer_widget


def practice_timer():
    return timer.rounds(setup=3, rounds=3, practice={"one-day": 6, "two-day": 10},
                        feedback={"one-day": 3, "two-day": 4}, label="Practice in threes")


def test_a_practice_in_rounds_steps_through_set_up_practice_and_feedback():
    panel = practice_timer()
    assert panel.format_id == "one-day"
    assert [label for label, _ in panel.format.options] == [
        "One-day format: 30 min", "Two-day format: 45 min"]
    seen = []
    for _ in range(len(panel.steps)):
        seen.append((panel.timer.clock.label, panel.timer.clock.duration_s // 60))
        panel.next_step()
    assert seen[:3] == [("Practice in threes: Set up", 3),
                        ("Practice in threes: Round 1 of 3: practice", 6),
                        ("Practice in threes: Round 1 of 3: feedback", 3)]
    assert seen[-1] == ("Practice in threes: Round 3 of 3: feedback", 3)
    assert sum(minutes for _, minutes in seen) == 30
    assert panel.next_button.disabled and panel.next_button.description == "Last step"


def test_choosing_the_two_day_format_gives_its_rounds():
    panel = practice_timer()
    panel.next_step()
    panel.format.value = "two-day"
    assert panel.index == 0 and panel.timer.clock.duration_s == 3 * 60
    panel.step.value = 1
    assert panel.timer.clock.duration_s == 10 * 60
    assert panel.next_button.description == "Next: Round 1 of 3: feedback"
    assert sum(m for _, m in panel.steps) == 45


def test_the_same_length_twice_resets_the_clock():
    panel = timer_widget.StepsPanel({"one-day": [("Talk", 5), ("Talk again", 5)]})
    token = panel.timer.clock.reset_token
    panel.next_step()
    assert panel.timer.clock.reset_token == token + 1
    assert panel.timer.clock.label == "Talk again"
    assert panel.format.layout.display == "none"  # one format: no choice to make


def test_a_timer_with_each_formats_length_starts_on_the_first():
    panel = timer.timer(minutes={"one-day": 25, "two-day": 45})
    assert panel.timer.clock.duration_s == 25 * 60
    assert panel.steps_row.layout.display == "none"
    panel.format.value = "two-day"
    assert panel.timer.clock.duration_s == 45 * 60
    same = timer.timer(minutes={"one-day": 10, "two-day": 10})
    assert isinstance(same, timer_widget.TimerPanel) and same.clock.duration_s == 600


@pytest.mark.parametrize("kwargs", [
    {"setup": 3, "rounds": 0, "practice": 6, "feedback": 3},
    {"setup": 3, "rounds": 3, "practice": 200, "feedback": 3},
    {"setup": {"one-day": 3}, "rounds": 3, "practice": {"two-day": 6}, "feedback": 3},
])
def test_impossible_rounds_are_refused_with_a_message(kwargs):
    with pytest.raises(ValueError, match="rounds|minutes|format"):
        timer.rounds(**kwargs)
