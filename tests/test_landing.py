"""The landing page is built from data/workshop.yaml, and shows data as text."""

from __future__ import annotations

import yaml

from rdlearn.content import loader as content
from rdlearn.sessions import landing


def test_landing_shows_every_session_and_outcome():
    html = landing.welcome_html()
    ws = content.workshop()
    for sess in ws["sessions"]:
        assert sess["title"] in html.replace("&#x27;", "'")
    for outcome in ws["learning_outcomes"]:
        assert outcome["text"].replace("'", "&#x27;") in html


def test_landing_escapes_text_from_data(data_copy):
    path = data_copy / "workshop.yaml"
    data = yaml.safe_load(path.read_text())
    data["audience"] = "<script>alert(1)</script> counsellors"
    path.write_text(yaml.safe_dump(data))
    html = landing.welcome_html()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; counsellors" in html


def test_sessions_link_only_to_pages_that_exist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "href=" not in landing.welcome_html()
    (tmp_path / "02_relatedness-and-wellbeing.ipynb").write_text("{}")
    html = landing.welcome_html()
    assert html.count("href=") == 1
    assert 'href="02_relatedness-and-wellbeing.ipynb"' in html
