"""Shared fixtures for the unit tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rdlearn.content import loader as content


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of ``data/`` that the content loader reads instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(content.data_dir(), target)
    monkeypatch.setattr(content, "data_dir", lambda: target)
    content._load_yaml_cached.cache_clear()
    yield target
    content._load_yaml_cached.cache_clear()
