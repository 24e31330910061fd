"""Helpers of the plugin tests: the repo's plugin packages named in small departments, example copies.

The small departments are written by :mod:`dutyplan.testing` in the test's
``tmp_path`` and name a plugin exactly as a manager's file does
(``department.plugins`` and ``plugin_dirs``), so the plugin is loaded by the
real loader. The repo's ``plugins/`` folder is only read; the example
departments are copied before they are planned (nothing is written into the
repo's ``rosters/``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
EXAMPLES = ROOT / "rosters"


def uses(plugin: str, section: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    """Overrides for :func:`dutyplan.testing.department_dict`: the plugin listed, its section, anything else."""
    data: dict[str, Any] = {"department": {"plugins": [plugin], "plugin_dirs": [str(PLUGINS)]}}
    if section is not None:
        data[plugin] = section
    data.update(more)
    return data


def copy_example(name: str, tmp_path: Path) -> Path:
    """``rosters/<name>/department.toml`` and the plugins folder it names, copied under ``tmp_path``."""
    target = tmp_path / "rosters" / name
    target.mkdir(parents=True)
    shutil.copy(EXAMPLES / name / "department.toml", target / "department.toml")
    if not (tmp_path / "plugins").exists():
        shutil.copytree(PLUGINS, tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def load_plugin(name: str) -> Any:
    """A plugin package of the repo as the loader imports it (to reach its functions)."""
    from dutyplan.plugins import _import_file

    return _import_file(name, PLUGINS / name)


def load_cashier() -> Any:
    return load_plugin("cashier")
