"""The content loader: one loader for data/, with errors a facilitator can act on."""

from __future__ import annotations

import pytest
import yaml

from rdlearn.content import loader as content
from rdlearn.serve.cli import main


def test_workshop_has_four_sessions_and_five_outcomes():
    ws = content.workshop()
    assert [s["title"] for s in ws["sessions"]] == [
        "Experiencing relational depth, in and out of therapy",
        "The importance of relatedness to psychological wellbeing",
        "Deepening our levels of relating with clients",
        "Chronic strategies of disconnection",
    ]
    assert len(ws["learning_outcomes"]) == 5
    served = {o for s in ws["sessions"] for o in s["outcomes"]}
    assert served == {o["id"] for o in ws["learning_outcomes"]}


def test_every_content_file_is_valid():
    assert content.check_all() == []


def _edit_workshop(folder, change):
    path = folder / "workshop.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_unknown_outcome_names_file_item_and_problem(data_copy):
    _edit_workshop(data_copy, lambda d: d["sessions"][2].update(outcomes=["telepathy"]))
    with pytest.raises(content.ContentError) as err:
        content.workshop()
    assert str(err.value) == (
        "data file workshop.yaml, sessions item 3: unknown learning outcome 'telepathy'"
    )


def test_missing_key_is_named(data_copy):
    _edit_workshop(data_copy, lambda d: d["sessions"][0].pop("title"))
    with pytest.raises(content.ContentError,
                       match=r"workshop.yaml, sessions item 1: 'title' is missing"):
        content.workshop()


def test_broken_yaml_gives_the_line(data_copy):
    (data_copy / "workshop.yaml").write_text("title: [unclosed\nsummary: x\n")
    with pytest.raises(content.ContentError, match=r"workshop.yaml, line \d+: not valid YAML"):
        content.workshop()


def test_csv_rows_are_numbered_and_checked(data_copy):
    (data_copy / "example.csv").write_text("id,value\na,1\nb,\n")
    with pytest.raises(content.ContentError, match=r"example.csv, row 3: 'value' is empty"):
        content.load_csv("example.csv", required=["id", "value"])
    (data_copy / "example.csv").write_text("id,value\na,1\n")
    assert content.load_csv("example.csv", required=["id"]) == [
        {"id": "a", "value": "1", "_row": "2"}
    ]


def test_rdlearn_check_reports_a_broken_file(data_copy, capsys):
    _edit_workshop(data_copy, lambda d: d["sessions"][0].update(number=7))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "data file workshop.yaml, sessions: sessions must be numbered 1, 2, 3" in out
    assert "Traceback" not in out


def test_rdlearn_check_passes_on_the_real_data(capsys):
    assert main(["check"]) == 0
    assert "All content files are valid." in capsys.readouterr().out


def test_data_ships_inside_the_wheel(tmp_path):
    """The wheel carries data/ and the template, so an installed rdlearn finds its content."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(root)],
        check=True,
    )
    wheel = next(tmp_path.glob("rdlearn-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "rdlearn/data/workshop.yaml" in names
    assert "rdlearn/serve/share/jupyter/voila/templates/rdlearn/index.html.j2" in names
    assert any(n.startswith("rdlearn/notebooks/00_welcome") for n in names)
