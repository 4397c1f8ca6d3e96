"""The private journal: prompts, the widgets' privacy guarantees, and the browser store."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil

import pytest
import traitlets
import yaml

from rdlearn.content import loader as content
from rdlearn.journal import reflection

SESSIONS = [1, 2, 3, 4]
# content caches files by name and modification time: each broken file gets its own time
_MTIMES = itertools.count(1_600_000_000)


def esm_text() -> str:
    return str(reflection.JournalEntry._esm)


def css_text() -> str:
    return str(reflection.JournalEntry._css)


# --------------------------------------------------------------------------- prompts


def test_prompts_cover_all_four_sessions_with_known_outcomes():
    prompts = reflection.load_prompts()
    outcomes = {o["id"] for o in content.learning_outcomes()}
    assert sorted({p["session"] for p in prompts}) == SESSIONS
    for p in prompts:
        assert p["outcome"] in outcomes, p["id"]
        assert p["title"] and p["prompt"], p["id"]
    for number in SESSIONS:
        assert [p["session"] for p in reflection.session_prompts(number)] == [number] * len(
            reflection.session_prompts(number)
        )


def test_session_one_walks_through_the_four_domains_in_order():
    domains = [p["domain"] for p in reflection.session_prompts(1) if p["domain"]]
    assert domains == list(reflection.DOMAINS)
    titles = [p["title"] for p in reflection.session_prompts(1) if p["domain"]]
    assert titles == list(reflection.DOMAINS.values())


def test_sessions_three_and_four_serve_their_outcomes():
    assert {p["outcome"] for p in reflection.session_prompts(3)} == {"deepening"}
    assert {p["outcome"] for p in reflection.session_prompts(4)} == {"disconnection"}


def test_prompt_ids_are_unique_and_safe_as_storage_keys():
    ids = [p["id"] for p in reflection.load_prompts()]
    assert len(ids) == len(set(ids))
    for pid in ids:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", pid)
        assert reflection.storage_key(pid) == f"rdlearn:v1:reflection:{pid}"


def _broken(tmp_path, monkeypatch, change):
    real = content.data_dir()
    shutil.copy(real / "workshop.yaml", tmp_path / "workshop.yaml")
    data = yaml.safe_load((real / "prompts.yaml").read_text(encoding="utf-8"))
    text = change(data)
    target = tmp_path / "prompts.yaml"
    target.write_text(text if isinstance(text, str) else yaml.safe_dump(data), encoding="utf-8")
    stamp = next(_MTIMES) * 1_000_000_000
    os.utime(target, ns=(stamp, stamp))
    monkeypatch.setattr(content, "data_dir", lambda: tmp_path)


def _set(index, key, value):
    def change(data):
        data["prompts"][index][key] = value

    return change


def _delete(index, key):
    def change(data):
        del data["prompts"][index][key]

    return change


def _drop_session(number):
    def change(data):
        data["prompts"] = [p for p in data["prompts"] if p["session"] != number]

    return change


def _duplicate_first(data):
    data["prompts"].append(dict(data["prompts"][0]))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set(2, "outcome", "kindness"),
         ["prompts item 3", "'outcome'", "unknown learning outcome"]),
        (_delete(0, "prompt"), ["prompts item 1", "'prompt' is missing"]),
        (_set(1, "session", 9), ["prompts item 2", "'session'", "session number"]),
        (_set(0, "id", "Has Spaces"), ["prompts item 1", "'id'", "lower-case"]),
        (_set(3, "domain", "body"), ["prompts item 4", "'domain'", "self, other"]),
        (_duplicate_first, ["'id'", "duplicate id"]),
        (_drop_session(3), ["no prompt for session(s) 3"]),
        (lambda data: "prompts: [unclosed", ["not valid YAML"]),
    ],
)
def test_a_broken_prompts_file_names_the_file_the_item_and_the_problem(
    tmp_path, monkeypatch, change, expected
):
    _broken(tmp_path, monkeypatch, change)
    with pytest.raises(content.ContentError) as caught:
        reflection.load_prompts()
    message = str(caught.value)
    assert message.startswith("data file prompts.yaml")
    for part in expected:
        assert part in message, message


def test_a_missing_prompts_file_is_reported(tmp_path, monkeypatch):
    shutil.copy(content.data_dir() / "workshop.yaml", tmp_path / "workshop.yaml")
    monkeypatch.setattr(content, "data_dir", lambda: tmp_path)
    with pytest.raises(content.ContentError, match="prompts.yaml: file not found"):
        reflection.load_prompts()


# --------------------------------------------------------------------------- journal entries

PROMPT_TRAITS = {"kind", "prompt_id", "session", "title", "prompt", "hint", "storage_key",
                 "max_chars"}


def _own_synced_traits(widget) -> set[str]:
    base = set(reflection.anywidget.AnyWidget().keys)
    return set(widget.keys) - base - {"_esm", "_css"}


def test_an_entry_sends_only_the_prompt_and_has_no_trait_for_the_answer():
    item = reflection.prompt("s1-domain-self")
    entry = reflection.journal("s1-domain-self")
    assert _own_synced_traits(entry) == PROMPT_TRAITS
    state = entry.get_state()
    assert state["prompt"] == item["prompt"]
    assert state["title"] == item["title"]
    assert state["session"] == 1
    assert state["storage_key"] == "rdlearn:v1:reflection:s1-domain-self"
    for name in entry.trait_names(sync=lambda v: v):
        assert name not in {"text", "value", "answer", "content"}


def test_an_entry_ignores_anything_the_browser_sends():
    entry = reflection.journal("s4-my-strategy")
    before = json.dumps(entry.get_state(), sort_keys=True, default=str)
    secret = "my private words 7c1f"
    entry.set_state({"text": secret, "value": secret, "prompt": secret, "tooltip": secret,
                     "max_chars": 10**9})
    after = json.dumps(entry.get_state(), sort_keys=True, default=str)
    assert after == before
    assert secret not in after
    assert not any(secret in str(v) for v in vars(entry).values())


def test_the_browser_code_loads_nothing_from_outside_and_sends_nothing_away():
    for text in (esm_text(), css_text()):
        assert not re.search(r"https?://|//cdn|@import", text)
    esm = esm_text()
    for call in ("fetch(", "XMLHttpRequest", "WebSocket", "sendBeacon", "model.send(",
                 "innerHTML", "insertAdjacentHTML", "eval("):
        assert call not in esm, call
    assert esm.strip().endswith("export default { render };")


def test_the_character_limit_is_20000_and_the_browser_uses_what_python_sends():
    assert reflection.MAX_CHARS == 20_000
    entry = reflection.journal("s2-sustaining-relationships")
    assert entry.get_state()["max_chars"] == reflection.MAX_CHARS
    esm = esm_text()
    assert 'model.get("max_chars")' in esm
    assert "20000" not in esm and "20,000" not in esm and "20_000" not in esm


def test_the_entry_is_labelled_for_screen_readers_and_handles_right_to_left_text():
    esm = esm_text()
    assert re.search(r'h\("label", \{[^}]*for: ids\.text', esm)
    assert 'dir: "auto"' in esm
    assert '"aria-live": "polite"' in esm
    assert "journal-text-${pid}" in esm
    assert ":focus-visible" in css_text()


def test_a_session_journal_stacks_that_sessions_prompts_in_order():
    box = reflection.session_journal(3)
    assert [child.prompt_id for child in box.children] == [
        p["id"] for p in reflection.session_prompts(3)
    ]
    assert all(isinstance(child, reflection.JournalEntry) for child in box.children)
    with pytest.raises(KeyError):
        reflection.session_journal(7)


def test_an_unknown_prompt_is_refused():
    with pytest.raises(KeyError, match="no reflection prompt"):
        reflection.journal("s9-nothing")


# --------------------------------------------------------------------------- the workbook


def test_the_workbook_knows_every_session_and_its_prompts_in_order():
    book = reflection.workbook()
    state = book.get_state()
    assert state["title"] == "My relational depth workbook"
    assert state["prefix"] == reflection.STORAGE_PREFIX
    assert [s["number"] for s in state["sessions"]] == SESSIONS
    assert [s["title"] for s in state["sessions"]] == [
        content.session(n)["title"] for n in SESSIONS
    ]
    for sess in state["sessions"]:
        assert [p["id"] for p in sess["prompts"]] == [
            p["id"] for p in reflection.session_prompts(sess["number"])
        ]
    book.set_state({"sessions": [], "title": "changed"})
    assert book.title == "My relational depth workbook" and len(book.sessions) == 4


def test_the_workbook_offers_the_three_buttons_and_escapes_the_printable_page():
    esm = esm_text()
    for label, testid in [
        ("Download my workbook (Markdown)", "workbook-download-md"),
        ("Download printable page (HTML)", "workbook-download-html"),
        ("Erase my answers", "workbook-erase"),
    ]:
        assert f'button("{label}", "{testid}"' in esm
    assert "window.confirm" not in esm and ".confirm(" not in esm
    assert "@media print" in esm
    assert "esc(e.text)" in esm


# --------------------------------------------------------------------------- browser store


def test_browser_store_round_trips_a_value():
    item = {
        "type": "selfcheck",
        "instrument": "disconnection",
        "title": "My strategies of disconnection",
        "lines": ["Going quiet: often", "Keeping busy: sometimes ☕ عربى"],
        "answers": {"quiet": 4, "busy": 2},
        "updated": "2025-03-05T14:03:00+00:00",
    }
    saving = reflection.BrowserStore("selfcheck:disconnection")
    assert saving.key == "rdlearn:v1:selfcheck:disconnection"
    assert saving.value is None
    saving.value = item
    sent = json.loads(json.dumps(saving.get_state()["value"]))
    assert sent == item

    restoring = reflection.BrowserStore("rdlearn:v1:selfcheck:disconnection")
    seen = []
    restoring.observe(lambda change: seen.append(change["new"]), names="value")
    restoring.set_state({"value": sent})
    assert restoring.value == item
    assert seen == [item]


def test_browser_store_refuses_bad_values_and_keys():
    store = reflection.BrowserStore("selfcheck:x")
    store.set_state({"value": ["not", "an", "object"]})
    store.set_state({"key": "rdlearn:v1:reflection:s1-domain-self"})
    assert store.value is None and store.key == "rdlearn:v1:selfcheck:x"
    with pytest.raises(traitlets.TraitError, match="dict"):
        store.value = ["a list"]
    with pytest.raises(traitlets.TraitError, match="JSON values"):
        store.value = {"when": object()}
    with pytest.raises(traitlets.TraitError, match="smaller than"):
        store.value = {"text": "x" * 300_000}
    with pytest.raises(ValueError, match="storage key"):
        reflection.BrowserStore("has spaces")
    store.value = None
    assert store.get_state()["value"] is None
