"""The three example departments plan January 2027 with their plugins and pass ``dutyplan check``.

Each is copied into ``tmp_path`` first (with the plugins folder it names), so
nothing is written into the repo's ``rosters/``. ``plan`` itself proves that
solver and checker agree (exit 3 otherwise); ``check`` then re-reads the stored
revision as a manager would.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from dutyplan.cli.main import main
from dutyplan.errors import PluginError
from dutyplan.model.solve import SolveOptions
from dutyplan.planner import Workspace, plan

from .support import PLUGINS, copy_example

EXAMPLES = {
    "customer-service": ("customer_service", {"R-COVER/desk", "R-KEY", "R-HANDOVER", "X-NIGHT-PAIR", "R-MEAL"}),
    "cashier": ("cashier", {"R-COVER/tills", "X-TWO-PERSON", "R-MEAL"}),
    "property-desk": ("property_desk", {"R-COVER/24h", "D-HOLIDAY", "D-DAILY"}),
}


def _cli(*args: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    assert isinstance(code, int)
    return code, out.getvalue()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_department_plans_january_and_passes_check(name: str, tmp_path: Path) -> None:
    folder = copy_example(name, tmp_path)
    ws = Workspace.open(folder)
    options = SolveOptions(time_limit=4, workers=2, seed=1)
    outcome = plan(ws, ws.horizon("2027-01", None, None), options, formats=("csv", "duty-log"))
    assert outcome.report.ok and outcome.path is not None
    keys = {r.key for r in outcome.rules}
    assert EXAMPLES[name][1] <= keys, f"plugin rules missing: {EXAMPLES[name][1] - keys}"
    assert all(r.plugin == EXAMPLES[name][0] for r in outcome.rules if r.key in EXAMPLES[name][1]
               and not r.key.startswith(("X-NIGHT", "R-MEAL", "D-DAILY")))
    code, text = _cli("check", folder, "--month", "2027-01")
    assert code == 0, text
    assert "0 hard violation(s)" in text
    if name == "property-desk":  # inspection rounds on the duty log, every day, with the duty manager
        items = outcome.roster.extras["duty_items"]
        assert len(items) == 31 and all(len(v) == 3 and "值班检查" in v[0] for v in items.values())
        assert "14:00 值班检查" in (outcome.path.parent / "r1" / "duty-log.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_misspelt_key_in_an_example_names_the_plugin(name: str, tmp_path: Path) -> None:
    folder = copy_example(name, tmp_path)
    section = EXAMPLES[name][0]
    text = (folder / "department.toml").read_text(encoding="utf-8")
    (folder / "department.toml").write_text(text.replace(f"[{section}]\n", f"[{section}]\nbogus_key = 1\n", 1),
                                            encoding="utf-8")
    code, out = _cli("plan", folder, "--month", "2027-01", "--dry-run")
    assert code == 2, out
    assert f"{section}.bogus_key: unknown key 'bogus_key'" in out and f"plugin '{section}'" in out


@pytest.mark.parametrize("name", ["customer_service", "cashier", "property_desk"])
def test_an_unknown_hook_in_a_plugin_is_an_error_naming_it(name: str, tmp_path: Path) -> None:
    """A misspelt hook (``register_rule``) in the plugin package: an error that names the plugin."""
    from dutyplan.plugins import make_plugin_manager

    shutil.copytree(PLUGINS / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    init = tmp_path / name / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + "\n\n@hookimpl\ndef register_rule(register, problem):\n"
                    "    pass\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        make_plugin_manager([name], [tmp_path])
    message = str(caught.value)
    assert f"plugin '{name}'" in message and "register_rule (did you mean register_rules?)" in message
