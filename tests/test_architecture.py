"""The package's shape holds: one-way imports, small modules, browser code in its own files.

These are the rules ARCHITECTURE.md states; each test names what broke it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rdlearn"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
#: Imports go one way: serve -> features -> figures/web/content (content.checks, which runs
#: the cross-checks of `rdlearn check`, is the one content module that reads features).
LAYERS = {"serve": 3, "handouts": 2, "keynote": 2, "room": 1, "connection": 1, "selfcheck": 1,
          "journal": 1, "sessions": 1, "agenda": 1, "timer": 1, "grouping": 1,
          "figures": 0, "web": 0, "content": 0}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every rdlearn module ``path`` imports, at any depth (function-level imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("rdlearn")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rdlearn"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                where = PACKAGE.parent / sub.replace(".", "/")
                is_module = where.with_suffix(".py").exists() or where.is_dir()
                found.add(sub if is_module else node.module)
    return found


GRAPH = {_name(p): _imports(p) for p in MODULES}


def test_no_import_cycle_between_rdlearn_modules():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH:
                continue
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_imports_go_one_way_between_features():
    wrong = []
    for module, targets in GRAPH.items():
        parts = module.split(".")
        if len(parts) < 2 or module == "rdlearn.content.checks":
            continue
        here = parts[1]
        for target in targets:
            there = target.split(".")[1] if target.count(".") else None
            if there and there != here and here in LAYERS and there in LAYERS:
                if LAYERS[there] > LAYERS[here] or (LAYERS[there] == LAYERS[here] == 0):
                    if not (here == "figures" and there in ("web", "content")) and not (
                            here in ("web", "content") and there in ("web", "content")):
                        wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, long


def test_nothing_in_the_package_imports_the_test_harness():
    users = [m for m, targets in GRAPH.items()
             if "tests" in " ".join(targets) or "_harness" in " ".join(targets)]
    text_users = [str(p) for p in MODULES if re.search(r"^\s*(from|import) tests\b",
                                                         p.read_text(encoding="utf-8"), re.M)]
    assert not users and not text_users


#: Inline browser code: a <style> or <script> element with its content in the same string,
#: JavaScript statements, or CSS rules. A tag that wraps a file's content is not inline code.
_BROWSER_CODE = re.compile(
    r"<style[^>]*>\s*[^\s<]|<script[^>]*>\s*[^\s<]|addEventListener|=>\s*\{|function\s*\(|"
    r"document\.|window\.|^\s*[.#][\w-]+\s*\{|;\s*\}", re.M)
#: One-expression predicates that Playwright evaluates while printing handouts: run by the
#: print tool in its own page, never shipped to a participant's page.
_ALLOWED = {("handouts/build.py", "() => window.Plotly !== undefined")}


def _strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_javascript_or_css_in_python_strings(path):
    docstrings = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                getattr(body[0], "value", None), ast.Constant):
            docstrings.add(body[0].value.lineno)
    name = str(path.relative_to(PACKAGE))
    found = [(line, text[:60]) for line, text in _strings(path)
             if line not in docstrings and _BROWSER_CODE.search(text)
             and (name, text) not in _ALLOWED]
    assert not found, f"JavaScript or CSS in a Python string: {found}"


def test_every_feature_has_a_short_public_list():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        text = init.read_text(encoding="utf-8")
        assert "__all__" in text, init
        assert len(text.splitlines()) <= 40, f"{init}: keep __init__ small"
