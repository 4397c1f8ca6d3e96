"""The deployment files: the Dockerfile and the Binder link point at things that exist.

Docker cannot run here, so the Dockerfile is checked as text: every file it copies is in the
repository and in the wheel's build, the extra it installs is declared, its command is one
``rdlearn serve`` accepts, and it never runs as root.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_dockerfile_copies_what_the_package_build_needs_and_nothing_missing():
    copied = []
    for op, args in _instructions():
        if op == "COPY":
            *sources, _ = args.split()
            copied += sources
    for source in copied:
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is not here"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    needed = {project["project"]["readme"], *project["project"]["license-files"]}
    needed |= set(project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"])
    needed.add(project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"][0].split("/")[0])
    assert needed <= set(copied), f"not copied: {needed - set(copied)}"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not needed & set(ignored)


def test_the_dockerfile_installs_a_declared_extra_and_serves_as_a_user():
    steps = _instructions()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runs = " ".join(args for op, args in steps if op == "RUN")
    extras = re.findall(r'pip install "\.\[([a-z,]+)\]"', runs)
    assert extras and set(extras[0].split(",")) <= set(project["optional-dependencies"])
    assert "psycopg" in " ".join(project["optional-dependencies"]["postgres"])
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert steps[-1][0] == "CMD"


def test_the_container_command_is_one_rdlearn_serve_accepts_on_its_exposed_port():
    from rdlearn.serve.cli import build_parser

    steps = _instructions()
    command = json.loads(steps[-1][1])
    assert command[:2] == ["rdlearn", "serve"]
    args = build_parser().parse_args(command[1:])
    assert args.lan, "a container must listen beyond its own loopback"
    exposed = [args_ for op, args_ in steps if op == "EXPOSE"]
    assert exposed == [str(args.port)]


def test_the_readme_has_a_binder_link_for_solo_study_and_says_there_is_no_shared_room():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    link = re.search(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
    assert link, "the README has a Binder launch link"
    assert "notebooks%2F00_welcome.ipynb" in link.group(1)
    assert (ROOT / "notebooks" / "00_welcome.ipynb").is_file()
    assert "no shared room" in readme
