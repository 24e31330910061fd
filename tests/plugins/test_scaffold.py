"""``dutyplan plugins new``: the scaffold installs into a fresh virtual environment, passes its tests,
is picked up through the ``dutyplan`` entry point group without configuration, and changes a plan.

The fresh environment is made with ``python -m venv --system-site-packages``;
dutyplan and its dependencies come from the environment running these tests
(a ``.pth`` line adds its site-packages), and the scaffold is installed with
``pip install --no-deps --no-build-isolation``, so nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import tomli_w

from dutyplan.testing import department_dict

from .test_examples import _cli


def test_plugins_new_writes_a_package(tmp_path: Path) -> None:
    code, out = _cli("plugins", "new", "night-cap", "--dir", tmp_path)
    assert code == 0, out
    root = tmp_path / "dutyplan-night-cap"
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "dutyplan-night-cap"
    assert project["project"]["entry-points"]["dutyplan"] == {"night_cap": "night_cap"}
    plugin = (root / "src" / "night_cap" / "__init__.py").read_text(encoding="utf-8")
    assert 'id = "X-NIGHT-CAP"' in plugin and 'SECTION = "night_cap"' in plugin
    assert "dutyplan.testing" in (root / "tests" / "test_night_cap.py").read_text(encoding="utf-8")
    compile(plugin, "night_cap/__init__.py", "exec")

    again = _cli("plugins", "new", "night_cap", "--dir", tmp_path)
    assert again[0] == 2 and "already exists" in again[1]
    assert _cli("plugins", "new", "Night Cap", "--dir", tmp_path)[0] == 2
    clash = _cli("plugins", "new", "json", "--dir", tmp_path)
    assert clash[0] == 2 and "already importable" in clash[1]


def test_bare_plugins_still_lists() -> None:
    code, out = _cli("plugins")
    assert code == 0 and "dutyplan.rules.coverage" in out and "hooks a plugin may implement:" in out


def _can_build_without_isolation() -> bool:
    """setuptools builds a wheel offline with the ``wheel`` package, or by itself from version 70.1."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    import setuptools

    major, minor = (int(p) for p in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1)


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=180, check=False)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.skipif(not _can_build_without_isolation(),
                    reason="building the scaffold offline needs `wheel` (or setuptools >= 70.1) in the test env")
def test_scaffold_installs_in_a_fresh_venv_and_changes_a_plan(tmp_path: Path) -> None:
    _cli("plugins", "new", "night_cap", "--dir", tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib, "_dutyplan_test_parent.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DUTYPLAN_NO_ENTRYPOINTS", "PYTHONPATH")}
    env["PYTHONIOENCODING"] = "utf-8"
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--disable-pip-version-check",
          tmp_path / "dutyplan-night-cap"], tmp_path, env)

    listed = _run([python, "-m", "dutyplan.cli.main", "plugins"], tmp_path, env).stdout
    row = next(line for line in listed.splitlines() if "night_cap" in line)
    assert "dutyplan-night-cap 0.1.0" in row and "register_rules" in row

    # Three people wanted on the early shift every day; with [night_cap] at most one.
    data = department_dict({"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 3}}}}},
                           staff=3, shifts=["early"])
    counts = {}
    for name, extra in (("plain", {}), ("capped", {"night_cap": {"shift": "early", "max_people": 1}})):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "department.toml").write_text(tomli_w.dumps({**data, **extra}), encoding="utf-8")
        _run([python, "-m", "dutyplan.cli.main", "plan", folder, "--start", "2027-01-04", "--days", "3",
              "--time-limit", "5", "--workers", "1", "--format", "csv"], tmp_path, env)
        stored = tomllib.loads(next(folder.glob("*/roster.r1.toml")).read_text(encoding="utf-8"))
        counts[name] = [sum(line.split()[d] == "early" for line in stored["assignments"].values()) for d in range(3)]
    assert counts == {"plain": [3, 3, 3], "capped": [1, 1, 1]}

    tested = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], tmp_path / "dutyplan-night-cap", env)
    assert "3 passed" in tested.stdout
