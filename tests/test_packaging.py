"""The project's own files install everything: pyproject.toml and environment.yml agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    return requirement.strip()[len(_name(requirement)):].replace(" ", "")


def test_the_conda_environment_lists_every_dependency_of_the_package_with_its_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    wanted = {_name(r): _spec(r) for r in project["dependencies"]}
    listed = {_name(d): _spec(d) for d in conda if _name(d) not in {"python", "pip"}}
    assert listed == wanted
    assert "-e ." in pip, "the environment installs rdlearn itself from the checkout"
    python = next(d for d in conda if _name(d) == "python")
    assert _spec(python) == project["requires-python"]


def test_handouts_need_only_their_own_extra_not_the_test_tools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert any(_name(r) == "playwright" for r in extras["handouts"])
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^handouts: (.*)$", makefile, re.M).group(1)
    assert ".test-installed" not in recipe and ".handouts-installed" in recipe


def test_nothing_declared_goes_unused_by_the_package():
    """pandas was a dependency nothing imported; every runtime dependency is used somewhere."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    modules = {"jupyterlab": None, "voila": "voila", "jupyter-server": "jupyter_server",
               "ipykernel": None, "ipywidgets": "ipywidgets", "plotly": "plotly",
               "anywidget": "anywidget", "pyyaml": "yaml", "platformdirs": "platformdirs",
               "segno": "segno", "jsonschema": "jsonschema", "numpy": "numpy",
               "tornado": "tornado", "traitlets": "traitlets",
               "sqlalchemy": "sqlalchemy", "alembic": "alembic"}
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "rdlearn").rglob("*.py"))
    for requirement in project["dependencies"]:
        name = _name(requirement)
        assert name in modules, f"{name}: say which module uses it"
        module = modules[name]
        if module:  # jupyterlab and ipykernel are what Voilà runs, not imported by rdlearn
            assert re.search(rf"^\s*(import|from) {module}\b", source, re.M), name


def test_every_package_rdlearn_imports_is_declared():
    """A fresh install has what the code imports (numpy once came only through pandas)."""
    import ast
    import sys

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for r in project["optional-dependencies"]["handouts"]}
    provided_by = {"yaml": "pyyaml", "jupyter_server": "jupyter-server",
                   # IPython comes with ipykernel, markupsafe with jupyter_server's jinja2
                   "IPython": "ipykernel", "markupsafe": "jupyter-server"}
    imported = set()
    for path in (ROOT / "src" / "rdlearn").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported
                   if m not in sys.stdlib_module_names and m not in {"rdlearn", "__future__"}}
    missing = {m for m in third_party if provided_by.get(m, m.lower()) not in declared}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
