"""The room's widgets in plain pytest: joining, answering, the console and the reveal."""

from __future__ import annotations

import csv
import io

import pytest

from rdlearn import figures
from rdlearn.connection import results as connection_results
from rdlearn.content import findings
from rdlearn.room import facilitator_console
from rdlearn.room import figures as room_figures
from rdlearn.room import questions as room_questions
from rdlearn.room import widgets as room_widgets
from rdlearn.room.store import Store

KEY = "right-key-for-tests"
OFTEN = "how-often-at-depth"
EVER = "ever-met-at-depth"
LINE = "what-helps-depth"


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(autouse=True)
def fresh_room(monkeypatch):
    monkeypatch.setattr(room_widgets, "_ROOM", None)
    monkeypatch.setenv("RDLEARN_FACILITATOR_KEY", KEY)
    for name in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "room.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


def text_of(html_widget) -> str:
    return html_widget.value


def unlocked_console(store, clock, code="ROOM01"):
    con = facilitator_console.console(store=store, clock=clock)
    assert con.unlock(KEY)
    assert con.open_workshop(code)
    return con


def participant(store, clock, n: int, question_id=None):
    page = room_widgets.ask(question_id, store=store, clock=clock)
    page.link.token = f"participant-token-{n:04d}"
    return page


def answer(page, value) -> bool:
    control = page.answer_input
    getattr(control, "answer", control).value = value
    return page.send()


# --------------------------------------------------------------------------- the console


def test_the_console_refuses_every_action_without_the_key(store, clock):
    con = facilitator_console.console(store=store, clock=clock)
    assert con.panel.layout.display == "none"
    actions = [
        lambda: con.open_workshop("ROOM01"),
        lambda: con.set_question(open_=True),
        lambda: con.reveal(True),
        lambda: con.moderate(1, approve=True),
        lambda: con.export(),
        lambda: con.purge(),
    ]
    for action in actions:
        assert action() is False
        assert "facilitator key" in text_of(con.message)
    assert not con.unlock("wrong-key")
    assert "not the facilitator key" in text_of(con.key_message)
    assert con.panel.layout.display == "none"
    for action in actions:
        assert action() is False
    assert store.workshops() == []


def test_the_console_refuses_when_the_server_has_no_key(store, clock, monkeypatch):
    monkeypatch.delenv("RDLEARN_FACILITATOR_KEY")
    con = facilitator_console.console(store=store, clock=clock)
    assert not con.unlock("")
    assert "No facilitator key is set" in text_of(con.key_message)
    assert not con.open_workshop("ROOM01")


def test_on_the_laptop_the_console_asks_no_login_for_the_key(store, clock, monkeypatch):
    monkeypatch.delenv("RDLEARN_HUB_LOGIN", raising=False)
    con = facilitator_console.console(store=store, clock=clock)
    assert con.key_from_login is None
    assert not any(isinstance(c, facilitator_console.KeyFromLogin) for c in con.children)


def test_behind_a_hub_login_the_key_the_server_gives_unlocks_the_console(store, clock,
                                                                          monkeypatch):
    monkeypatch.setenv("RDLEARN_HUB_LOGIN", "1")
    con = facilitator_console.console(store=store, clock=clock)
    assert con.key_from_login in con.children
    assert con.panel.layout.display == "none"
    con.key_from_login.set_state({"key": KEY})  # as the browser sends it
    assert con.panel.layout.display is None
    assert "Console unlocked (you are a facilitator of this room" in text_of(
        con.key_message)
    assert con.key_from_login.key == ""  # not kept in the widget's state
    assert con.key_row.layout.display == "none"  # nothing left to type
    assert con.open_workshop("ROOM01")


def test_behind_a_hub_login_a_wrong_key_from_the_browser_changes_nothing(store, clock,
                                                                         monkeypatch):
    monkeypatch.setenv("RDLEARN_HUB_LOGIN", "1")
    con = facilitator_console.console(store=store, clock=clock)
    for sent in ("wrong-key", KEY + "x" * 300, 12345):
        con.key_from_login.set_state({"key": sent})
        assert con.panel.layout.display == "none"
        assert not con.open_workshop("ROOM01")
    assert text_of(con.key_message) == ""  # the prompt stays as it is
    assert con.unlock(KEY)  # the facilitator can still type the key


def test_a_changed_server_key_locks_the_console_again(store, clock, monkeypatch):
    con = unlocked_console(store, clock)
    monkeypatch.setenv("RDLEARN_FACILITATOR_KEY", "another-key")
    assert not con.set_question(open_=True)


def test_the_key_opens_the_console_and_a_workshop(store, clock):
    con = unlocked_console(store, clock, code=" rd7 k3q ")
    assert con.panel.layout.display is None
    assert store.workshops() == ["RD7K3Q"]
    assert "?workshop=RD7K3Q" in text_of(con.workshop_message)
    assert not con.open_workshop("no!")
    assert "4 to 12 letters" in text_of(con.workshop_message)


# --------------------------------------------------------------------------- joining


def test_a_wrong_or_unknown_code_gives_a_clear_message(store, clock):
    unlocked_console(store, clock, code="REAL01")
    room_widgets._ROOM = None  # a participant's page is another kernel
    page = room_widgets.join(query_string="workshop=NOPE99", store=store)
    assert "no workshop with the code NOPE99" in text_of(page.message)
    assert room_widgets.participant_room().code == ""
    assert not page.join("<b>bad</b>")
    assert "<b>" not in text_of(page.message)
    assert "4 to 12 letters" in text_of(page.message)
    page.code_input.value = "real01"
    page.join_button.click()
    assert room_widgets.participant_room().code == "REAL01"
    assert "You are in the room REAL01" in text_of(page.message)


def test_the_code_in_the_page_address_joins_the_room(store, clock):
    unlocked_console(store, clock, code="REAL01")
    room_widgets._ROOM = None
    page = room_widgets.join(query_string="workshop=real01&x=1", store=store)
    assert page.code_input.value == "real01"
    assert room_widgets.participant_room().code == "REAL01"


def test_the_code_in_the_page_address_joins_when_the_browser_sends_it(store, clock):
    unlocked_console(store, clock, code="REAL01")
    room_widgets._ROOM = None
    page = room_widgets.join(store=store)
    assert room_widgets.participant_room().code == ""  # nothing blocks while the kernel preheats
    page.address.set_state({"code": "real01"})
    assert room_widgets.participant_room().code == "REAL01"


def test_an_oversized_address_code_from_the_browser_is_ignored(store, clock):
    room_widgets._ROOM = None
    page = room_widgets.join(store=store)
    page.address.set_state({"code": "X" * 5000})
    assert page.address.code == ""
    assert room_widgets.participant_room().code == ""


# --------------------------------------------------------------------------- answering


def test_a_page_without_a_room_or_an_open_question_says_so(store, clock):
    page = participant(store, clock, 1)
    assert "Join the room first" in text_of(page.message)
    unlocked_console(store, clock)
    page.refresh(force=True)
    assert "No question is open" in text_of(page.message)
    assert page.send_button.layout.display == "none"


def test_nothing_shows_until_five_answers_and_the_reveal(store, clock):
    con = unlocked_console(store, clock)
    con.question_picker.value = OFTEN
    assert con.set_question(open_=True)
    pages = [participant(store, clock, n) for n in range(5)]
    votes = [7, 5, 5, 3, 6]
    for page, vote in zip(pages[:4], votes[:4], strict=True):
        assert answer(page, str(vote)), text_of(page.message)
    con.refresh(force=True)
    assert "4 answers" in text_of(con.status)
    assert "4 so far" in text_of(con.preview)
    assert con.reveal(True)
    for page in pages:
        page.refresh(force=True)
        assert "Waiting for at least 5 answers (4 so far)" in text_of(page.results)
        assert "<table" not in text_of(page.results)
    assert con.reveal(False)

    assert answer(pages[4], str(votes[4]))
    for page in pages:
        page.refresh(force=True)
        assert "<table" not in text_of(page.results)
        assert "reveals them" in text_of(page.results)
    assert con.reveal(True)
    shown = set()
    for page in pages:
        clock.t += 1.0  # the browser's timer ticks about once a second
        page.link.tick += 1
        html = text_of(page.results)
        for point in range(1, 8):
            count = votes.count(point)
            assert f"<th scope=\"row\">{point}</th>" in html
            assert f"<td>{count}</td>" in html
        shown.add(html)
    assert len(shown) == 1, "every page shows the same counts"


def test_ticks_faster_than_the_refresh_interval_are_ignored(store, clock):
    con = unlocked_console(store, clock)
    con.question_picker.value = OFTEN
    con.set_question(open_=True)
    page = participant(store, clock, 1)
    con.set_question(open_=False)
    page.link.tick += 1  # same instant: ignored
    assert page.send_button.layout.display is None
    clock.t += 1.0
    page.link.tick += 1
    assert page.send_button.layout.display == "none"


def test_changing_an_answer_replaces_it(store, clock):
    con = unlocked_console(store, clock)
    con.question_picker.value = OFTEN
    con.set_question(open_=True)
    page = participant(store, clock, 1)
    assert answer(page, "2")
    assert answer(page, "6")
    assert store.count("ROOM01", OFTEN) == 1
    assert [a["value"] for a in store.answers("ROOM01", OFTEN)] == ["6"]


def test_a_reloaded_page_shows_the_answer_given_before(store, clock):
    con = unlocked_console(store, clock)
    con.question_picker.value = EVER
    con.set_question(open_=True)
    first = participant(store, clock, 1)
    assert answer(first, "unsure")
    assert "Thank you" in text_of(first.message)
    reloaded = participant(store, clock, 1)  # same browser, same token
    clock.t += 1.0
    reloaded.link.tick += 1
    assert reloaded.answer_input.value == "unsure"
    assert "You have answered" in text_of(reloaded.message)
    other = participant(store, clock, 2)
    clock.t += 1.0
    other.link.tick += 1
    assert other.answer_input.value is None


def test_bad_values_from_the_browser_are_refused_with_a_message(store, clock):
    con = unlocked_console(store, clock)
    con.question_picker.value = LINE
    con.set_question(open_=True)
    page = participant(store, clock, 1)
    assert not answer(page, "x" * 201)
    assert "200 characters or fewer" in text_of(page.message)
    assert not answer(page, "   ")
    assert "write something" in text_of(page.message)
    page.link.token = ""
    assert not answer(page, "fine")
    assert "still connecting" in text_of(page.message)
    assert store.count("ROOM01", LINE) == 0


def test_the_browser_link_accepts_only_a_valid_token_and_tick():
    link = room_widgets.RoomLink()
    link.set_state({"token": "<script>", "tick": "many", "wants_token": False})
    assert link.token == "" and link.tick == 0 and link.wants_token is True
    link.set_state({"token": "abcdef0123456789abcdef", "tick": 3})
    assert link.token == "abcdef0123456789abcdef" and link.tick == 3


def test_shared_text_is_moderated_and_shown_as_text(store, clock):
    con = unlocked_console(store, clock)
    con.question_picker.value = LINE
    con.set_question(open_=True)
    payload = "<img src=x onerror=alert(1)>"
    pages = [participant(store, clock, n) for n in range(5)]
    for n, page in enumerate(pages):
        assert answer(page, payload if n == 0 else f"staying with silence {n}")
    con.refresh(force=True)
    assert len(con.queue_box.children) == 5
    first = con.queue_box.children[0]
    assert "<img" not in first.children[0].value
    assert "&lt;img src=x onerror=alert(1)&gt;" in first.children[0].value
    first.children[1].click()  # Approve
    con.queue_box.children[0].children[2].click()  # Reject the next one
    assert len(con.queue_box.children) == 3
    con.reveal(True)
    pages[1].refresh(force=True)
    html = text_of(pages[1].results)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "staying with silence 1" not in html  # rejected
    assert "staying with silence 2" not in html  # still waiting


# --------------------------------------------------------------------------- the research


def _reveal_votes(store, clock, question_id, votes):
    con = unlocked_console(store, clock)
    con.question_picker.value = question_id
    con.set_question(open_=True)
    for n, vote in enumerate(votes):
        assert answer(participant(store, clock, n, question_id), vote)
    return con


def test_room_vs_research_puts_the_room_beside_the_published_figures(store, clock):
    votes = ["yes", "yes", "yes", "no", "unsure", "no-clients"]
    _reveal_votes(store, clock, EVER, votes)
    q = room_questions.question(EVER)
    summary = room_questions.aggregate(q, store.answers("ROOM01", EVER))
    fig = room_figures.room_vs_research_figure(q, summary)
    rows = figures.data_table(fig)
    assert rows[0]["value"] == pytest.approx(100 * 3 / 5, abs=0.01)
    assert "n = 5" in rows[0]["group"]
    published = [findings.finding(fid)["value"] for fid in q.research["findings"]]
    assert [r["value"] for r in rows[1:]] == published
    meta = fig.layout.meta
    assert findings.cite(q.research["findings"][0]) in meta["citation"]
    assert "Source:" in figures.describe(fig)


def test_room_vs_research_compares_the_mean_of_a_scale(store, clock):
    votes = ["4", "5", "6", "7", "3"]
    _reveal_votes(store, clock, OFTEN, votes)
    q = room_questions.question(OFTEN)
    summary = room_questions.aggregate(q, store.answers("ROOM01", OFTEN))
    fig = room_figures.room_vs_research_figure(q, summary)
    rows = figures.data_table(fig)
    assert rows[0]["value"] == pytest.approx(sum(map(int, votes)) / len(votes))
    assert rows[1]["value"] == findings.finding("leung2008-therapists-frequency")["value"]
    assert room_figures.room_vs_research_figure(q, room_questions.aggregate(q, votes[:4])) is None


def test_room_vs_research_waits_for_the_reveal(store, clock):
    con = _reveal_votes(store, clock, OFTEN, ["4", "5", "6", "7", "3"])
    box = room_widgets.room_vs_research(OFTEN, store=store)
    box.show()
    assert "not revealed" in box.children[1].value
    con.reveal(True)
    box.show()
    assert box.children[1].value == ""


# --------------------------------------------------------------------------- export


def test_the_export_holds_counts_only(store, clock):
    con = _reveal_votes(store, clock, EVER, ["yes", "yes", "no", "unsure", "yes"])
    con.question_picker.value = LINE
    con.set_question(open_=True)
    for n, text in enumerate(["=HYPERLINK(1)", "two", "three"]):
        answer(participant(store, clock, 100 + n, LINE), text)
    text = facilitator_console.export_csv("ROOM01", store=store)
    assert "participant-token" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    ever = {r["answer"]: int(r["count"]) for r in rows if r["question_id"] == EVER}
    assert ever == {"Yes, at least once": 3, "No, not that I can recall": 1,
                    "I am not sure": 1, "I have not yet worked with clients": 0}
    line_rows = [r for r in rows if r["question_id"] == LINE]
    assert len(line_rows) == 1 and "fewer than 5" in line_rows[0]["answer"]
    html = facilitator_console.summary_html("ROOM01", store=store)
    assert "participant-token" not in html and "Workshop ROOM01" in html
    assert con.export()
    assert "data:text/csv;base64," in con.export_box.value


def test_the_export_keeps_formulas_as_text(store, clock):
    con = _reveal_votes(store, clock, LINE, ["=HYPERLINK(1)", "b line", "c", "d", "e"])
    for item in store.moderation_queue("ROOM01"):
        con.moderate(item["id"], approve=True)
    rows = list(csv.DictReader(io.StringIO(facilitator_console.export_csv("ROOM01", store=store))))
    assert "'=HYPERLINK(1)" in [r["answer"] for r in rows]


def test_the_console_deletes_a_workshop_only_after_confirmation(store, clock):
    con = _reveal_votes(store, clock, OFTEN, ["4", "5"])
    assert not con.purge()
    assert "confirmation" in text_of(con.message)
    con.purge_confirm.value = True
    assert con.purge()
    assert store.workshops() == []


# --------------------------------------------------------------------------- the pairs' results


def share_r(store, code: str, values) -> None:
    """Pairs who agreed to share: their r goes in as the pairs exercise puts it (3 places)."""
    from rdlearn.connection import exercise

    start = store.count(code, exercise.ROOM_QUESTION_ID)
    store.open_question(code, exercise.ROOM_QUESTION_ID)  # the pairs' store writes it directly
    for n, r in enumerate(values, start=start):
        store.record_answer(code, exercise.ROOM_QUESTION_ID, token=f"shared-pair-{n:06d}",
                            value=f"{r:.3f}")
    store.close_question(code, exercise.ROOM_QUESTION_ID)


def test_the_pairs_reveal_needs_the_key(store, clock):
    from rdlearn.connection import exercise

    store.create_workshop("ROOM01")
    share_r(store, "ROOM01", [0.4, 0.55, 0.7, 0.8, 0.9])
    con = facilitator_console.console(store=store, clock=clock)
    room_widgets.participant_room().code = "ROOM01"
    con.pairs_reveal_button.click()
    assert "facilitator key" in text_of(con.message)
    assert con.reveal_pairs() is False
    assert not con.unlock("wrong-key")
    assert con.reveal_pairs() is False
    assert not store.question_state("ROOM01", exercise.ROOM_QUESTION_ID)["revealed"]
    assert text_of(con.pairs_status) == ""  # no counts before the key


def test_the_pairs_reveal_waits_for_five_pairs_and_counts_only(store, clock):
    from rdlearn.connection import exercise

    con = unlocked_console(store, clock)
    view = connection_results.room_connection_view(store=store, now=clock)
    values = [0.31, 0.62, 0.88, 0.47]
    share_r(store, "ROOM01", values)
    con.refresh(force=True)
    assert "4 pairs have shared their r" in text_of(con.pairs_status)
    assert "hidden from the room" in text_of(con.pairs_status)
    con.pairs_reveal_button.click()
    assert f"at least {room_questions.MIN_ANSWERS} pairs" in text_of(con.pairs_message)
    assert "4 so far" in text_of(con.pairs_message)
    assert not store.question_state("ROOM01", exercise.ROOM_QUESTION_ID)["revealed"]
    view.refresh(force=True)
    assert "Waiting for the facilitator" in text_of(view.message)
    assert view.figure is None and text_of(view.summary_html) == ""

    values.append(0.74)
    share_r(store, "ROOM01", values[-1:])
    assert con.reveal_pairs()
    assert "5 pairs have shared their r" in text_of(con.pairs_status)
    assert "shown to the room" in text_of(con.pairs_status)
    for value in values:  # the console gives counts, never a pair's r
        assert f"{value:.2f}" not in text_of(con.pairs_status) + text_of(con.pairs_message)
    clock.t += 1.0
    view.link.tick += 1  # the browser's timer: the view looks again
    ordered = sorted(values)
    assert f"The median is {ordered[len(ordered) // 2]:.2f}" in text_of(view.summary_html)
    assert view.figure is not None


def test_each_scale_button_says_where_it_sits_on_the_scale():
    q = room_questions.question("how-often-at-depth")
    box = room_widgets._answer_input(q)
    buttons = box.answer
    assert list(buttons.options) == [str(p) for p in range(1, 8)]
    assert buttons.tooltips[0] == "1 on a scale from 1 (Not at all) to 7 (All the time)"
    assert buttons.tooltips[-1] == "7 on a scale from 1 (Not at all) to 7 (All the time)"
    assert len(buttons.tooltips) == len(buttons.options)
