"""Shared fixtures: copies of the example departments in a temp dir, so tests never write into the repo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "rosters"
PLUGINS = ROOT / "plugins"

os.environ.setdefault("DUTYPLAN_NO_ENTRYPOINTS", "1")


def copy_department(name: str, tmp_path: Path) -> Path:
    """Copy ``rosters/<name>`` (department file only, no stored rosters) and the plugins folder."""
    target = tmp_path / "rosters" / name
    target.mkdir(parents=True)
    shutil.copy(EXAMPLES / name / "department.toml", target / "department.toml")
    shutil.copytree(PLUGINS, tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def example_dept(tmp_path: Path) -> Path:
    return copy_department("customer-service", tmp_path)
