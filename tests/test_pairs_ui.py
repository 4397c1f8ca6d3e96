"""The pairs exercise's widgets in plain pytest: setting values and clicking, with a fake clock."""

from __future__ import annotations

import sqlite3
import statistics

import numpy as np
import pytest

from rdlearn import figures
from rdlearn.connection import exercise, simulation
from rdlearn.connection import figures as connection_figures
from rdlearn.connection import results as connection_results
from rdlearn.connection import widgets as connection_widgets
from rdlearn.connection.store import PairStore
from rdlearn.content import findings
from rdlearn.room import facilitator_console
from rdlearn.room import widgets as room_widgets
from rdlearn.room.store import Store

A = "browser-a-token-0001"
B = "browser-b-token-0002"


class Clock:
    def __init__(self):
        self.t = 5_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(autouse=True)
def fresh_room(monkeypatch):
    monkeypatch.setattr(room_widgets, "_ROOM", None)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def room(tmp_path, clock) -> Store:
    return Store(tmp_path / "room.sqlite3", now=clock)


def page(room, clock, token=A, **options):
    widget = connection_widgets.connection_rating(store=room, now=clock, **options)
    widget.link.token = token
    return widget


def text(widget) -> str:
    return widget.value


def paired(room, clock, *, minutes=10, spm=1.0):
    first = page(room, clock, A, seconds_per_minute=spm)
    first.role_choice.value = exercise.CLIENT
    first.length_choice.value = minutes
    first.create_button.click()
    second = page(room, clock, B, seconds_per_minute=spm)
    second.code_input.value = first.code
    second.role_choice.value = exercise.THERAPIST
    second.join_button.click()
    first.refresh(force=True)
    return first, second


def rate_all(clock, pages_and_ratings, *, spm=1.0):
    for minute in range(1, len(pages_and_ratings[0][1]) + 1):
        clock.t += spm
        for widget, ratings in pages_and_ratings:
            widget.refresh(force=True)
            if ratings[minute - 1] is None:
                continue
            assert f"during minute {minute}?" in text(widget.prompt_html)
            widget.rating.value = ratings[minute - 1]
            widget.save_button.click()
            assert widget.rating.value is None  # hidden again once saved


def test_two_partners_rate_and_see_the_same_chart_and_r(room, clock):
    client = [2, 3, 5, 6, 6, 7, 8, 7, 8, 9]
    therapist = [3, 3, 4, 6, 7, 7, 7, 8, 8, 8]
    first, second = paired(room, clock)
    assert "Your partner has joined" in text(first.partner_html)
    assert first.code in text(first.code_html)
    first.begin_button.click()
    assert first.stage == "running" and second.stage == "waiting"
    second.refresh(force=True)
    assert second.stage == "running"
    rate_all(clock, [(first, client), (second, therapist)])
    assert first.finish_button.description == "I have finished"
    first.finish_button.click()
    assert "stay hidden until they finish" in text(first.prompt_html)
    assert first.result is None
    second.finish_button.click()
    first.refresh(force=True)
    assert first.stage == second.stage == "result"
    expected = np.corrcoef(client, therapist)[0, 1]
    assert first.result.r == pytest.approx(expected)
    assert first.result.summary == second.result.summary
    view = first.result_box.children[0]
    assert f"r = {expected:.2f}" in view.children[0].value
    fig = view.figure
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert [list(t.y) for t in lines] == [client, therapist]
    assert lines[0].line.color != lines[1].line.color
    assert lines[0].line.dash != lines[1].line.dash
    assert {lines[0].line.color, lines[1].line.color} <= set(figures.OKABE_ITO.values())
    with sqlite3.connect(room.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM pair_ratings").fetchone()[0] == 0


def test_the_result_names_minutes_apart_trends_and_the_study(room, clock):
    client = [2, 2, 8, 6, 6, 7, 8, 7, 8, 9]
    therapist = [3, 3, 4, 6, 7, 7, 7, 8, 8, 8]
    first, second = paired(room, clock)
    first.begin_button.click()
    rate_all(clock, [(first, client), (second, therapist)])
    first.finish_button.click()
    second.finish_button.click()
    view = connection_results.result_view(second.result)
    words = " ".join(c.value for c in view.children if hasattr(c, "value"))
    assert "3 or more points apart: 3." in words
    assert "Client: The ratings" in words and "Therapist: The ratings" in words
    median = findings.finding("cooper2012-median-r")["value"]
    mean = findings.finding("cooper2013-review-mean-r")["value"]
    assert f"{median:.2f}" in words and f"{mean:.2f}" in words
    assert findings.cite("cooper2012-median-r") in words
    for limitation in connection_figures.LIMITATIONS:
        assert limitation.split(":")[0].split(",")[0] in words.replace("&#x27;", "'")
    assert "warm up" in figures.describe(view.figure) or "warming up" in figures.describe(
        view.figure)


def test_the_result_shows_the_change_r_beside_raw_r_with_one_sentence():
    result = simulation.demonstration_result(seed=5)
    view = connection_results.result_view(result)
    r_html = view.children[0].value
    change = np.corrcoef(np.diff(result.client), np.diff(result.therapist))[0, 1]
    assert f"raw r = {result.r:.2f}" in r_html
    assert f"change r = {round(change, 2) + 0.0:.2f}" in r_html
    assert "our own analysis" in r_html
    assert connection_figures.CHANGE_R_EXPLAINED.split(";")[0] in r_html
    assert result.change_r == pytest.approx(change)
    words = " ".join(c.value for c in view.children if hasattr(c, "value")).replace(
        "&#x27;", "'")
    assert "the paper gives no correlation of minute-to-minute changes" in words
    assert "does not report it" in words
    described = figures.describe(view.figure)
    assert "change r" in described and "shared climb" in described
    plotted = [t for t in view.figure.data if t.mode == "markers+text"][0]
    assert any("change r (our analysis)" in label for label in plotted.y)


def test_without_r_the_reason_is_given_in_plain_words(room, clock):
    first, second = paired(room, clock)
    first.begin_button.click()
    rate_all(clock, [(first, [5] * 10), (second, [3, 4, 5, 6, 7, 6, 5, 4, 3, 2])])
    first.finish_button.click()
    second.finish_button.click()
    first.refresh(force=True)
    assert "could not be computed" in first.result_box.children[0].children[0].value
    assert "same rating every minute" in first.result_box.children[0].children[0].value


def test_each_new_minute_prompts_and_sounds_a_cue(room, clock):
    first, _ = paired(room, clock, spm=60)
    first.begin_button.click()
    assert first.link.cue == 0 and first.rating_box.layout.display == "none"
    clock.t += 60
    first.refresh(force=True)
    assert first.link.cue == 1
    assert "during minute 1?" in text(first.prompt_html)
    assert first.rating_box.layout.display is None
    first.rating.value = 6
    first.save_button.click()
    assert first.rating_box.layout.display == "none"
    assert "next prompt comes at the end of minute 2" in text(first.prompt_html)
    clock.t += 60
    first.refresh(force=True)
    assert first.link.cue == 2


def test_refusals_are_shown_not_raised(room, clock):
    widget = page(room, clock)
    widget.create_button.click()
    assert "Choose your role" in text(widget.setup_message)
    widget.code_input.value = "K7M0PQ"
    widget.role_choice.value = exercise.CLIENT
    widget.join_button.click()
    assert "no 0, O, 1 or I" in text(widget.setup_message)
    widget.rating.set_state({"index": 42})  # what a tampered browser could send
    widget.role_choice.set_state({"index": -3})
    assert "not one of the buttons" in text(widget.setup_message)
    first, _ = paired(room, clock, spm=60)
    first.begin_button.click()
    clock.t += 60
    first.refresh(force=True)
    first.save_button.click()
    assert "Choose a number from 0 to 10" in text(first.rating_message)
    first.rating.value = 4
    first.save_button.click()
    first.asking = (exercise.CLIENT, 1)  # a stale page asks again
    first.rating.value = 9
    first.save_button.click()
    assert "already rated minute 1" in text(first.rating_message)


def test_a_quiet_partner_is_reported(room, clock):
    first, second = paired(room, clock, spm=60)
    first.begin_button.click()
    clock.t += 30
    first.refresh(force=True)
    assert "not been in touch" not in text(first.partner_html)
    clock.t += 40  # the second page has not been heard from for 70 s
    first.refresh(force=True)
    assert "not been in touch for over a minute" in text(first.partner_html)
    assert first.code in text(first.partner_html)
    second.refresh(force=True)  # it comes back: its heartbeat goes out
    first.refresh(force=True)
    assert "not been in touch" not in text(first.partner_html)


def test_a_reloaded_page_offers_to_rejoin_and_keeps_the_ratings(room, clock):
    first, second = paired(room, clock, spm=60)
    assert first.link.remember == first.code  # kept in the browser for a reload
    first.begin_button.click()
    clock.t += 60
    first.refresh(force=True)
    first.rating.value = 7
    first.save_button.click()
    reloaded = page(room, clock, A, seconds_per_minute=60)
    assert reloaded.rejoin_button.layout.display == "none"
    reloaded.link.remembered = first.code
    assert reloaded.rejoin_button.layout.display is None
    assert first.code in reloaded.rejoin_button.description
    reloaded.rejoin_button.click()
    assert reloaded.stage == "running"
    assert reloaded.tokens == {exercise.CLIENT: A}
    assert room_status(room, clock, first.code, A).my_ratings[0] == 7


def room_status(room, clock, code, token):
    return PairStore(room, now=clock).status(code, token=token)


def test_one_device_takes_turns_and_hides_each_rating(room, clock):
    widget = page(room, clock, seconds_per_minute=1)
    widget.length_choice.value = 10
    widget.one_device_button.click()
    assert widget.stage == "waiting"
    widget.begin_button.click()
    client, therapist = [1, 2, 3, 4, 5, 6, 7, 7, 8, 8], [2, 2, 3, 5, 5, 7, 6, 8, 8, 9]
    for minute in range(1, 11):
        clock.t += 1
        widget.refresh(force=True)
        for role, series in ((exercise.CLIENT, client), (exercise.THERAPIST, therapist)):
            prompt = text(widget.prompt_html)
            assert prompt.startswith(f"<p role=\"status\">{role.capitalize()}, your turn")
            assert f"minute {minute}?" in prompt
            widget.rating.value = series[minute - 1]
            widget.save_button.click()
            assert widget.rating.value is None and "hidden" in text(widget.rating_message)
    widget.finish_button.click()
    assert widget.stage == "result"
    assert widget.result.r == pytest.approx(np.corrcoef(client, therapist)[0, 1])


def test_sharing_r_needs_both_ticks_and_a_room(room, clock):
    room.create_workshop("ROOM01")
    room_widgets.participant_room().code = "ROOM01"
    first, second = paired(room, clock)
    assert not first.consent.disabled
    first.consent.value = True
    second.consent.value = True
    first.begin_button.click()
    rate_all(clock, [(first, [1, 2, 4, 4, 5, 6, 7, 8, 8, 9]),
                     (second, [2, 2, 3, 5, 5, 7, 6, 8, 8, 9])])
    first.finish_button.click()
    second.finish_button.click()
    first.refresh(force=True)
    assert first.result.shared
    assert [a["value"] for a in room.answers("ROOM01", exercise.ROOM_QUESTION_ID)] == [
        f"{first.result.r:.3f}"]


def test_without_a_room_the_sharing_box_is_off(room, clock):
    first, _ = paired(room, clock)
    assert first.consent.disabled


def test_a_bad_minute_length_is_explained_and_a_minute_stays_a_minute(room, clock):
    with pytest.raises(exercise.PairError, match="0.5 to 60"):
        connection_widgets.connection_rating(store=room, now=clock, seconds_per_minute=0.01)
    widget = connection_widgets.connection_rating(store=room, now=clock)
    assert widget.seconds_per_minute == 60.0
    assert text(widget.setup_message) == ""
    fast = connection_widgets.connection_rating(store=room, now=clock, seconds_per_minute=1)
    assert fast.seconds_per_minute == 1.0 and fast.link.interval_ms == 250
    with pytest.raises(exercise.PairError):
        connection_widgets.connection_rating(store=room, now=clock, seconds_per_minute=0.1)


def test_the_browser_link_accepts_only_valid_values():
    link = connection_widgets.PairLink()
    link.set_state({"token": "<script>", "remembered": "K7M0PQ", "tick": -1})
    assert (link.token, link.remembered, link.tick) == ("", "", 0)
    link.set_state({"token": A, "remembered": "k7m3pq", "tick": 3})
    assert (link.token, link.remembered, link.tick) == (A, "K7M3PQ", 3)


def test_the_demonstration_is_labelled_simulated_and_repeatable():
    demo = connection_results.demonstration(seed=11)
    banner = demo.children[1].value
    assert "SIMULATED DATA" in banner and "seed 11" in banner
    client, therapist = simulation.simulated_ratings(seed=11)
    assert demo.result.r == pytest.approx(np.corrcoef(client, therapist)[0, 1])
    assert "simulated" in demo.figure.layout.title.text.lower()
    assert all("(simulated)" in t.name for t in demo.figure.data if t.mode == "lines+markers")
    assert "Simulated ratings" in figures.describe(demo.figure) or "SIMULATED" in str(
        demo.figure.layout.annotations)
    assert connection_results.demonstration(seed=11).result == demo.result


# --------------------------------------------------------------------------- the room's picture

KEY = "facilitator-key-for-pairs-tests"


def shared_pair(pair_store, clock, n: int):
    """One pair plays 10 one-second minutes through the rules, both agree to share."""
    client, therapist = simulation.simulated_ratings(seed=n, minutes=10)
    tokens = {exercise.CLIENT: f"room-pair-{n:03d}-client",
              exercise.THERAPIST: f"room-pair-{n:03d}-other"}
    code = pair_store.create(token=tokens[exercise.CLIENT], role=exercise.CLIENT, minutes=10,
                             seconds_per_minute=1, workshop="ROOM01")
    pair_store.join(code, token=tokens[exercise.THERAPIST], role=exercise.THERAPIST)
    for token in tokens.values():
        pair_store.set_consent(code, token=token, consent=True)
    pair_store.begin(code, token=tokens[exercise.CLIENT])
    for minute in range(1, 11):
        clock.t += 1
        for role, series in ((exercise.CLIENT, client), (exercise.THERAPIST, therapist)):
            pair_store.rate(code, token=tokens[role], minute=minute, rating=series[minute - 1])
    for token in tokens.values():
        pair_store.finish(code, token=token)
    results = [pair_store.result(code, token=token) for token in tokens.values()]
    assert results[0].shared and results[0].r is not None
    return {"code": code, "tokens": list(tokens.values()), "r": results[0].r,
            "client": client, "therapist": therapist}


def view_text(view) -> str:
    return " ".join([view.message.value, view.summary_html.value,
                     view.figure.to_json() if view.figure is not None else ""])


def test_the_room_sees_the_pairs_r_only_after_the_reveal_and_from_five(room, clock, monkeypatch):
    monkeypatch.setenv("RDLEARN_FACILITATOR_KEY", KEY)
    room.create_workshop("ROOM01")
    room_widgets.participant_room().code = "ROOM01"
    pair_store = PairStore(room, now=clock)
    view = connection_results.room_connection_view(store=room, now=clock)
    console = facilitator_console.console(store=room, clock=clock)
    assert console.unlock(KEY) and console.open_workshop("ROOM01")
    played = [shared_pair(pair_store, clock, n) for n in range(4)]
    console.pairs_reveal_button.click()
    assert "at least 5" in console.pairs_message.value
    view.refresh(force=True)
    assert "Waiting for the facilitator" in view.message.value
    assert view.figure is None

    played.append(shared_pair(pair_store, clock, 4))
    console.pairs_reveal_button.click()
    clock.t += 1
    view.link.tick += 1
    stored = [float(f"{p['r']:.3f}") for p in played]  # r is shared to three places
    expected = statistics.median(stored)
    summary = view.summary_html.value
    assert f"{len(played)} pairs in this room shared their r" in summary
    assert f"The median is {expected:.2f}" in summary
    assert f"lowest is {min(stored):.2f}" in summary and f"highest {max(stored):.2f}" in summary
    published = findings.finding("cooper2012-median-r")
    assert f"{published['value']:.2f}" in summary
    assert findings.cite("cooper2012-median-r") in summary
    fig = view.figure
    assert fig.layout.meta["median"] == pytest.approx(expected)
    assert "cooper2012-median-r" in fig.layout.meta["finding_ids"]
    bars = fig.data[0]
    assert sum(bars.y) == len(played)
    assert bars.marker.color in figures.OKABE_ITO.values()
    assert {s.line.color for s in fig.layout.shapes} <= set(figures.OKABE_ITO.values())
    assert sorted(s.x0 for s in fig.layout.shapes) == pytest.approx(
        sorted([expected, published["value"]]))

    # Nothing of any one pair: no ratings, no tokens, no codes, only counts per band of r.
    shown = view_text(view)
    for pair in played:
        assert pair["code"] not in shown
        assert all(token not in shown for token in pair["tokens"])
    assert set(fig.layout.meta) >= {"table"} and not {"client", "therapist"} & set(
        fig.layout.meta)
    assert all(set(row) == {"r from", "r to", "pairs"} for row in fig.layout.meta["table"])
    assert [t.type for t in fig.data] == ["bar"]


def test_a_reveal_below_five_pairs_still_shows_nothing(room, clock):
    room.create_workshop("ROOM01")
    room_widgets.participant_room().code = "ROOM01"
    pair_store = PairStore(room, now=clock)
    view = connection_results.room_connection_view(store=pair_store)
    for n in range(3):
        shared_pair(pair_store, clock, n)
    pair_store.reveal_room("ROOM01")  # not through the console, which would refuse
    view.refresh(force=True)
    assert "at least 5 pairs (3 so far)" in view.message.value
    assert view.figure is None and view.summary_html.value == ""


def test_the_room_view_asks_to_join_first(room, clock):
    view = connection_results.room_connection_view(store=room, now=clock)
    assert "Join the room" in view.message.value
    assert view.figure is None
