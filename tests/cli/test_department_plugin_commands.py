"""A plugin loaded from a department's plugin folder adds its commands when the department is named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cashier_commands_appear_for_the_cashier_department(tmp_path: Path) -> None:
    dept = tmp_path / "rosters" / "cashier"
    dept.mkdir(parents=True)
    shutil.copy(ROOT / "rosters" / "cashier" / "department.toml", dept / "department.toml")
    shutil.copytree(ROOT / "plugins", tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "DUTYPLAN_NO_ENTRYPOINTS": "1"}
    cli = [sys.executable, "-m", "dutyplan.cli.main"]
    without = subprocess.run([*cli, "cashier", "--help"], capture_output=True, text=True, env=env, check=False)
    assert without.returncode == 2 and "No such command 'cashier'" in without.stderr
    done = subprocess.run([*cli, "cashier", "tills", "--help", str(dept)], capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "till" in done.stdout.lower() and "Traceback" not in done.stderr
