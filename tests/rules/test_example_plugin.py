"""X-NIGHT-PAIR (plugins/example_rule.py) through dutyplan.testing, as a plugin author would test it.

Also runs the quickstart in ``dutyplan.testing``'s docstring in a separate
pytest process, where the ``dutyplan_department`` fixture comes only from the
``pytest11`` entry point: the documented example cannot drift from the code.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import dutyplan.testing
from dutyplan.testing import (
    DepartmentFactory,
    ask,
    assert_rule_catches,
    assert_rule_holds,
    day,
    problem_for,
    roster_from_grid,
    solve_department,
)

PLUGIN_FILE = Path(__file__).resolve().parents[2] / "plugins" / "example_rule.py"


def _example_plugin() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_rule_under_test", PLUGIN_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_night_pair_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """X-NIGHT-PAIR: E01 wants Monday night and E02 does not; on Tuesday the other way round.

    The rule binds: without it every wish is granted (two lone nights, caught
    by the checker); with it each night is paired or left empty, refusing one
    wish per night (2 x 10).
    """
    plugin = _example_plugin()
    ws = dutyplan_department(
        {"requests": ask("E01", "shift_on", [0], "night") + ask("E02", "shift_on", [1], "night")
         + ask("E01", "shift_off", [1], "night", 10) + ask("E02", "shift_off", [0], "night", 10)},
        staff=2, shifts=["early", "night"], plugins=[plugin],
    )
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "X-NIGHT-PAIR", result.roster, rules=rules)
    assert result.objective == 20

    problem, rules, loose = solve_department(ws, day(0), 2, exclude=["X-NIGHT-PAIR"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "X-NIGHT-PAIR", count=2)


def test_night_pair_checker(dutyplan_department: DepartmentFactory) -> None:
    """X-NIGHT-PAIR: a night worked alone is caught on its date; an empty or a paired night is fine."""
    ws = dutyplan_department(staff=3, shifts=["early", "night"], plugins=[_example_plugin()])
    problem, rules = problem_for(ws, day(0), 3)
    roster = roster_from_grid(problem, {"E01": "night night -", "E02": "- night -", "E03": "early - night"})
    caught = assert_rule_catches(problem, rules, roster, "X-NIGHT-PAIR", count=2, shift="night")
    assert [v.date for v in caught] == [day(0), day(2)]


def test_docstring_quickstart_runs_through_the_pytest11_entry_point(tmp_path: Path) -> None:
    """dutyplan.testing: the quickstart in the module docstring passes as a plugin author's own test file."""
    doc = dutyplan.testing.__doc__ or ""
    block = re.search(r"Quickstart for plugin authors::\n\n(.*?)\n\n(?=\S)", doc, re.S)
    assert block is not None, "the quickstart block is missing from dutyplan.testing's docstring"
    code = textwrap.dedent(block.group(1)).replace("import my_plugin", "import example_rule as my_plugin")
    (tmp_path / "test_quickstart.py").write_text(code, encoding="utf-8")
    shutil.copy(PLUGIN_FILE, tmp_path / "example_rule.py")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DUTYPLAN_NO_ENTRYPOINTS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_quickstart.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
