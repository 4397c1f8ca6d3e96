"""The facilitator's widgets, driven as a facilitator would: set values, click buttons."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from rdlearn.agenda import notes as facilitator_notes
from rdlearn.agenda import timetable
from rdlearn.agenda import widgets as agenda_widgets
from rdlearn.grouping import widget as grouping_widget
from rdlearn.timer import widget as timer_widget
from rdlearn.web import assets

# --------------------------------------------------------------------------- helpers


def _all_text(widget) -> str:
    """Every string any widget in the tree would send to the browser."""
    seen = []

    def walk(node):
        state = node.get_state()
        for value in state.values():
            if isinstance(value, str):
                seen.append(value)
            elif isinstance(value, list | tuple):
                seen.extend(v for v in value if isinstance(v, str))
        for child in getattr(node, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(seen)


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


# --------------------------------------------------------------------------- timer


def test_the_timer_starts_at_the_minutes_asked_for():
    panel = timer_widget.timer(minutes=12, label="Pairs: first speaker")
    assert panel.clock.duration_s == 12 * 60
    assert panel.clock.label == "Pairs: first speaker"
    assert panel.minutes.value == 12


@pytest.mark.parametrize("minutes", [0, 121, -3, 2.5, "5", True])
def test_a_timer_outside_1_to_120_minutes_is_refused_with_a_message(minutes):
    with pytest.raises(ValueError, match="1 to 120|whole number"):
        timer_widget.timer(minutes=minutes)


def test_typing_an_out_of_range_length_shows_a_message_and_keeps_the_timer():
    panel = timer_widget.timer(minutes=10)
    panel.minutes.value = 500
    assert panel.clock.duration_s == 600
    assert "1 to 120" in panel.message.value and "still shows 10 minutes" in panel.message.value
    panel.minutes.value = 20
    assert panel.clock.duration_s == 1200 and panel.message.value == ""


def test_setting_the_same_length_again_resets_the_countdown_in_the_browser():
    panel = timer_widget.timer(minutes=3)
    before = panel.clock.reset_token
    panel.set_button.click()
    assert panel.clock.reset_token == before + 1


@pytest.mark.parametrize("sent", [600000, 0, 90, -60])
def test_a_browser_cannot_set_an_impossible_duration(sent):
    clock = timer_widget.TimerWidget(duration_s=300)
    clock.set_state({"duration_s": sent})
    assert clock.duration_s == 300
    assert clock.message


def test_the_timer_script_is_shipped_with_the_package_and_loads_nothing_from_the_web():
    assert timer_widget.TimerWidget._esm == assets.esm("timer.js", served=False)
    # its own code and the kit's, which it imports (inlined outside ``rdlearn serve``)
    esm = assets.path("timer.js").read_text(encoding="utf-8")
    kit = assets.path("widgetkit.js").read_text(encoding="utf-8")
    css = assets.path("timer.css").read_text(encoding="utf-8")
    assert timer_widget.TimerWidget._css == css and "<style" not in esm and "STYLE" not in esm
    for text in (esm, kit, css):
        assert "http://" not in text and "https://" not in text and "@import" not in text
        assert "fetch(" not in text
    assert re.findall(r"^import\s.*from\s(.*);$", esm, re.M) == ['"./widgetkit.js"']
    assert not re.search(r"^\s*import\s", kit, re.M)
    # counts from clock differences, not from ticks
    assert "performance.now()" in esm and "now() - startedAt" in esm
    # real buttons, screen-reader announcements, a visible and an audible end
    for word in ("Start", "Pause", "Resume", "Reset"):
        assert f'"{word}"' in esm
    assert 'createElement(tag)' in kit and '"button"' in esm
    assert '"aria-live": "polite"' in esm and "minutes left" in esm
    assert "Time is up" in esm and "rd-timer--done" in esm and ".rd-timer--done" in css
    assert "unlockAudio(audio)" in esm and "chime(audio)" in esm
    assert "AudioContext" in kit and "createOscillator" in kit
    assert ".mp3" not in esm + kit and ".wav" not in esm + kit


# --------------------------------------------------------------------------- pairing


def test_making_groups_shows_every_name_on_a_card_with_its_role():
    panel = grouping_widget.pairing(rng=random.Random(1))
    panel.names.value = "Ana\nBen\nCleo\nDev"
    assert panel.next_button.disabled
    panel.make_button.click()
    shown = _visible_text(panel.result.value)
    for name in ("Ana", "Ben", "Cleo", "Dev"):
        assert name in shown
    assert shown.count("speaker") == 2 and shown.count("listener") == 2
    assert "Round 1" in shown and not panel.next_button.disabled


def test_names_are_shown_as_text_never_as_html():
    panel = grouping_widget.pairing(rng=random.Random(1))
    panel.names.value = "<img src=x onerror=alert(1)>\nBen"
    panel.make_button.click()
    assert "<img" not in panel.result.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel.result.value


def test_next_round_gives_everyone_a_new_partner():
    panel = grouping_widget.pairing(rng=random.Random(2))
    panel.names.value = "Ana, Ben, Cleo, Dev, Eli, Fay"
    panel.make_button.click()
    panel.next_button.click()
    assert "Round 2" in panel.result.value and len(panel.history) == 2
    first, second = (
        {frozenset(p) for g in r for p in itertools.combinations(g.members, 2)}
        for r in panel.history
    )
    assert not first & second


def test_make_groups_again_starts_a_new_series():
    panel = grouping_widget.pairing(rng=random.Random(2))
    panel.head_count.value = 6
    panel.make_button.click()
    panel.next_button.click()
    panel.make_button.click()
    assert len(panel.history) == 1 and "Round 1" in panel.result.value


def test_a_head_count_is_used_when_no_names_are_typed_and_triads_can_be_chosen():
    panel = grouping_widget.pairing(rng=random.Random(3))
    panel.head_count.value = 9
    panel.size.value = 3
    panel.make_button.click()
    shown = _visible_text(panel.result.value)
    assert "Person 9" in shown and shown.count("Triad") == 3


@pytest.mark.parametrize("names, count", [("Solo", 0), ("", 1), ("", -4), ("", 1000)])
def test_an_impossible_room_shows_a_message_not_a_traceback(names, count):
    panel = grouping_widget.pairing(rng=random.Random(0))
    panel.names.value = names
    panel.head_count.value = count
    panel.make_button.click()
    assert panel.message.value and panel.result.value == ""
    assert "Traceback" not in panel.message.value


def test_repeated_names_are_mentioned():
    panel = grouping_widget.pairing(rng=random.Random(0))
    panel.names.value = "Ana\nana\nBen"
    panel.make_button.click()
    assert "appears twice" in panel.message.value
    assert _visible_text(panel.result.value).count("Ana") + _visible_text(
        panel.result.value).count("ana") == 1


# --------------------------------------------------------------------------- notes


KEY = "correct-horse-42"


def _note_points(session):
    entry = facilitator_notes.notes(session)
    return [p for section in ("aims", "watch_for", "distress", "timing") for p in entry[section]]


def _contains_any_note(text, session):
    from rdlearn.web.html import esc

    return [p for p in _note_points(session) if p in text or esc(p) in text]


@pytest.mark.parametrize("session", [1, 2, 3, 4, "keynote"])
def test_the_participant_view_contains_none_of_the_notes(session):
    panel = agenda_widgets.notes_panel(session, environ={"RDLEARN_FACILITATOR_KEY": KEY})
    assert not panel.is_facilitator
    assert _contains_any_note(_all_text(panel), session) == []
    panel.show_button.click()  # no key typed
    assert _contains_any_note(_all_text(panel), session) == []


def test_a_wrong_key_shows_nothing_and_says_so():
    panel = agenda_widgets.notes_panel(3, environ={"RDLEARN_FACILITATOR_KEY": KEY})
    panel.key.value = "guess"
    panel.show_button.click()
    assert "does not match" in panel.message.value
    assert _contains_any_note(_all_text(panel), 3) == []


def test_without_a_facilitator_key_in_the_environment_notes_stay_locked():
    panel = agenda_widgets.notes_panel(1, environ={})
    panel.key.value = ""
    panel.show_button.click()
    assert "locked" in panel.message.value
    assert _contains_any_note(_all_text(panel), 1) == []
    panel.key.value = "anything"
    panel.show_button.click()
    assert _contains_any_note(_all_text(panel), 1) == []


def test_the_right_key_shows_the_notes_and_hide_removes_them():
    panel = agenda_widgets.notes_panel(2, environ={"RDLEARN_FACILITATOR_KEY": KEY})
    panel.key.value = f"  {KEY} "
    panel.show_button.click()
    assert set(_contains_any_note(panel.notes.value, 2)) == set(_note_points(2))
    assert panel.key.value == ""  # the key does not linger in the page
    assert "If someone is distressed" in panel.notes.value
    panel.hide_button.click()
    assert _contains_any_note(_all_text(panel), 2) == []


def test_the_key_is_read_from_the_environment_by_default(monkeypatch):
    monkeypatch.setenv("RDLEARN_FACILITATOR_KEY", KEY)
    panel = agenda_widgets.notes_panel(4)
    panel.key.value = KEY
    assert panel.is_facilitator
    panel.show_button.click()
    assert _contains_any_note(panel.notes.value, 4)


# --------------------------------------------------------------------------- running clock


def _row_for(html, title):
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S):
        if title in row:
            return row
    raise AssertionError(f"no row for {title!r}")


def test_the_running_clock_highlights_the_block_running_now():
    day = timetable.agenda("one-day")
    lunch = next(b for b in day if b.kind == "lunch")
    now = timetable.clock_text(lunch.start_minute + 5)
    clock = agenda_widgets.running_clock("one-day", clock=lambda: now)
    row = _row_for(clock.table.value, "Lunch")
    assert 'aria-current="time"' in row and "Now" in row
    assert clock.table.value.count('aria-current="time"') == 1
    assert f"Now: Lunch (until {lunch.end})" in clock.summary.value
    assert "16:30" in clock.summary.value
    assert clock.block.value == day.index(lunch)


def test_moving_time_moves_the_highlight_after_refresh():
    times = iter(["09:35", "16:10"])
    current = {"now": next(times)}
    clock = agenda_widgets.running_clock("one-day", clock=lambda: current["now"])
    assert 'aria-current="time"' in _row_for(clock.table.value, "Arrival")
    current["now"] = next(times)
    clock.refresh_button.click()
    assert 'aria-current="time"' not in _row_for(clock.table.value, "Arrival")
    assert 'aria-current="time"' in _row_for(clock.table.value, "What I take away")


def test_marking_an_overrun_shows_the_replanned_rest_and_the_new_finish():
    clock = agenda_widgets.running_clock("one-day", clock=lambda: "09:40")
    clock.ran_over.value = 15
    clock.replan_button.click()
    assert "16:45" in clock.summary.value
    assert "16:45" in clock.message.value and "15 minutes" in clock.message.value
    assert "(planned 25)" in clock.table.value  # the welcome block, 25 minutes in agenda.yaml
    clock.original_button.click()
    assert "16:30" in clock.summary.value and "(planned" not in clock.table.value


def test_catching_up_shortens_flexible_blocks():
    clock = agenda_widgets.running_clock("one-day", clock=lambda: "09:40")
    clock.ran_over.value = 10
    clock.recover.value = True
    clock.replan_button.click()
    assert "16:30" in clock.summary.value
    assert "shortened" in clock.message.value


@pytest.mark.parametrize("minutes", [-5, 999])
def test_an_impossible_overrun_is_refused_with_a_message(minutes):
    clock = agenda_widgets.running_clock("one-day", clock=lambda: "09:40")
    clock.ran_over.value = minutes
    clock.replan_button.click()
    assert "0 to 180" in clock.message.value
    assert "16:30" in clock.summary.value


def test_the_start_time_can_be_changed_and_garbage_is_refused():
    clock = agenda_widgets.running_clock("one-day", clock=lambda: "10:05")
    clock.start.value = "10:00"
    clock.start_button.click()
    assert clock.blocks[0].start == "10:00" and "17:00" in clock.summary.value
    clock.start.value = "half ten"
    clock.start_button.click()
    assert "not a time of day" in clock.message.value
    assert clock.blocks[0].start == "10:00"


def test_the_two_day_clock_shows_one_day_at_a_time():
    clock = agenda_widgets.running_clock("two-day", clock=lambda: "11:00")
    assert clock.day.layout.display != "none"
    day_one_titles = [b.title for b in timetable.agenda("two-day") if b.day == 1]
    day_two_titles = [b.title for b in timetable.agenda("two-day") if b.day == 2]
    assert day_one_titles[0] in clock.table.value
    assert day_two_titles[1] not in clock.table.value
    clock.day.value = 2
    assert day_two_titles[1] in clock.table.value and "Agenda, day 2" in clock.table.value


def test_outside_the_day_nothing_is_highlighted():
    clock = agenda_widgets.running_clock("one-day", clock=lambda: "07:15")
    assert 'aria-current="time"' not in clock.table.value
    assert "outside the day" in clock.summary.value
