"""Fixtures of the command-line tests: the runners, a department to edit, and one planned month to share.

See :mod:`.support` for why most bad-input cases run ``main()`` in this process.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .support import (
    FAST,
    MONTH,
    PlannedMonth,
    Result,
    copy_example,
    invoke_main,
    read_department,
    run_process,
    write_department,
)


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    return run_process


@pytest.fixture
def invoke() -> Callable[..., Result]:
    return invoke_main


@pytest.fixture
def edit_dept(example_dept: Path) -> Callable[[Callable[[dict[str, Any]], object]], Path]:
    """Change the example department's data (a function mutating the parsed TOML) and write it back."""

    def edit(change: Callable[[dict[str, Any]], object]) -> Path:
        data = read_department(example_dept)
        change(data)
        write_department(example_dept, data)
        return example_dept

    return edit


@pytest.fixture(scope="session")
def planned_month(tmp_path_factory: pytest.TempPathFactory) -> PlannedMonth:
    """Plan January 2027 twice through the real command line; shared by the read-only tests."""
    dept = copy_example(tmp_path_factory.mktemp("planned"))
    first = run_process(["plan", dept, "--month", MONTH, *FAST])
    assert first.code == 0, str(first)
    r1 = (dept / MONTH / "roster.r1.toml").read_bytes()
    index = tomllib.loads((dept / MONTH / "index.toml").read_text(encoding="utf-8"))
    second = run_process(["plan", dept, "--month", MONTH, *FAST])
    assert second.code == 0, str(second)
    return PlannedMonth(dept, first, second, r1, index)
