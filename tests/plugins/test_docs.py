"""docs/plugins.md cannot drift: the tutorial's plugin, department and tests run as written.

The tutorial marks each code block with ``<!-- file: NAME -->``; blocks of one
file are joined in order. The plugin's own tests run in a separate pytest
process where ``dutyplan.testing`` comes only from the ``pytest11`` entry point,
as for a plugin author; the department file is planned here with the plugin
found through its ``plugin_dirs``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from dutyplan.planner import Workspace
from dutyplan.testing import plan_department

from .support import ROOT

DOCS = ROOT / "docs" / "plugins.md"


def tutorial_files() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    files: dict[str, str] = {}
    for name, code in re.findall(r"<!-- file: (\S+) -->\n```\w+\n(.*?)\n```", text, re.S):
        files[name] = files.get(name, "") + ("\n\n" if name in files else "") + code + "\n"
    return files


def test_tutorial_has_the_whole_plugin() -> None:
    files = tutorial_files()
    assert sorted(files) == ["department.toml", "design_dispatch.py", "test_design_dispatch.py"]
    plugin = files["design_dispatch.py"]
    for part in ("class DispatchSettings", "def prepare", "def build", "def extract", "def check",
                 "def register_config_sections", "def register_rules"):
        assert part in plugin


def test_tutorial_plugin_passes_its_tests_and_plans_its_department(tmp_path: Path) -> None:
    for name, code in tutorial_files().items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DUTYPLAN_NO_ENTRYPOINTS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_design_dispatch.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout

    ws = Workspace.open(tmp_path)
    outcome = plan_department(ws, "2027-01", None, time_limit=5, workers=2)
    plan = outcome.roster.extras["dispatch"]
    expected = {"mon": 4, "tue": 3, "wed": 4, "thu": 3, "fri": 5, "sat": 2, "sun": 0}
    for day in outcome.problem.dates:
        taken = plan[f"{day:%Y-%m-%d}"]
        assert sum(taken.values()) == expected[("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]]
        assert all(n <= 2 and outcome.roster.shift_on(sid, day) == "dispatch" for sid, n in taken.items())
    assert "X-DISPATCH" in {r.id for r in outcome.rules}


def test_every_key_of_the_department_plugins_is_in_the_docs() -> None:
    """Each section's top-level keys have a row in the plugin's table in docs/plugins.md."""
    from .support import load_plugin

    text = DOCS.read_text(encoding="utf-8")
    models = {"customer_service": "CustomerServiceSettings", "cashier": "CashierSettings",
              "property_desk": "PropertyDeskSettings"}
    for name, model_name in models.items():
        section = text.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        rows = set(re.findall(r"^\| `(\w+)(?:\.<\w+>)?`(?:, `(\w+)`)? \|", section, re.M))
        documented = {key for row in rows for key in row if key}
        model = getattr(load_plugin(name), model_name)
        fields = set(model.model_fields)
        assert fields <= documented, f"[{name}] keys missing from docs/plugins.md: {sorted(fields - documented)}"
        assert documented <= fields, f"[{name}] documented keys that do not exist: {documented - fields}"
