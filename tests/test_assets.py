"""Widget code sent once per browser: the stub a served kernel sends instead of the code."""

from __future__ import annotations

import re

import pytest

from rdlearn.web import assets


def test_a_served_widget_sends_a_stub_that_imports_the_versioned_file():
    stub = assets.esm("journal.js", css=("journal.css",), served=True)
    source = assets.path("journal.js").read_text(encoding="utf-8")
    assert len(stub) < 1000 < len(source)
    assert f'"journal.js?v={assets.version("journal.js")}"' in stub
    assert '"journal.css": "' + assets.version("journal.css") + '"' in stub
    assert "export default module.default" in stub
    assert "http://" not in stub and "https://" not in stub  # the page's own address only
    assert assets.css("journal.css", served=True) == ""


def test_run_anywhere_else_a_widget_carries_its_own_code():
    assert assets.esm("hall.js", served=False) == assets.path("hall.js").read_text(encoding="utf-8")
    assert assets.css("journal.css", served=False).strip()


def test_run_anywhere_else_a_module_carries_the_kit_it_imports_inside_it():
    import base64

    code = assets.esm("timer.js", served=False)
    assert 'from "./widgetkit.js"' not in code
    inlined = re.search(r'from "data:text/javascript;base64,([A-Za-z0-9+/=]+)"', code)
    assert inlined, "the kit travels inside the module, so no server is needed"
    assert base64.b64decode(inlined.group(1)).decode() == assets.source("widgetkit.js")


def test_served_imports_of_the_kit_carry_its_version():
    assert f'from "./widgetkit.js?v={assets.version("widgetkit.js")}"' in assets.source("timer.js")


def test_the_version_changes_when_the_file_does(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "path", lambda name: tmp_path / name)
    assets.version.cache_clear()
    try:
        (tmp_path / "code.js").write_text("export default {};")
        first = assets.version("code.js")
        assets.version.cache_clear()
        (tmp_path / "code.js").write_text("export default { render() {} };")
        assert assets.version("code.js") != first
    finally:
        assets.version.cache_clear()


@pytest.mark.parametrize("name", ["../app.py", "audience/vote.js", "journal.py", "x.js?"])
def test_only_plain_script_and_style_names_are_assets(name):
    assert not re.fullmatch(assets.ASSET_PATTERN, name)
    with pytest.raises(ValueError):
        assets.esm(name, served=True)


def test_a_served_stub_preloads_what_its_module_imports_beside_it():
    stub = assets.esm("journal.js", css=("journal.css",), served=True)
    assert f'{{"widgetkit.js": "{assets.version("widgetkit.js")}"}}' in stub
    assert "modulepreload" in stub
    assert "//" not in stub.split("\n")[0], "the template's comments are not sent"
    assert "modulepreload" in assets.esm("hall.js", served=True)
    assert assets.imports("hall.js") == []
