"""Helpers of the command-line tests: run ``dutyplan`` as a user does, in a process or in this one.

``run_cli`` starts a real process (``python -m dutyplan.cli.main``) with stdout
and stderr as pipes, so what is tested is what a shell script or a cron job
sees: exit code, plain text (no terminal codes) and never a traceback.
``invoke`` calls the same ``main()`` in this process: the bad-input matrix uses
it because a process start costs about 1.5 s (importing OR-Tools) and the
matrix has some 30 cases; a handful of them also go through ``run_cli``.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from dutyplan.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
MONTH = "2027-01"
FAST = ("--time-limit", "3", "--workers", "2")
"""Solver options that keep a month's plan to about three seconds on two shared cores."""

_TERMINAL_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE", "NO_COLOR", "COLUMNS")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def __str__(self) -> str:  # shown by pytest when an assertion fails
        return f"exit {self.code}\n--- stdout ---\n{self.out}\n--- stderr ---\n{self.err}"


def cli_env() -> dict[str, str]:
    """The environment of a plain shell: no colour forced, no width forced, no installed plugins."""
    env = {k: v for k, v in os.environ.items() if k not in _TERMINAL_ENV}
    env["DUTYPLAN_NO_ENTRYPOINTS"] = "1"
    env["TERM"] = "xterm-256color"  # a colour-capable terminal type: pipes must still get plain text
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_process(args: Sequence[str | Path], cwd: Path | None = None, timeout: float = 120) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "dutyplan.cli.main", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=cli_env(), cwd=cwd, timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def invoke_main(args: Sequence[str | Path]) -> Result:
    """``main()`` in this process, its output captured; any exception other than SystemExit propagates."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    assert isinstance(code, int), f"exit code {code!r} is not a number"
    return Result(code, out.getvalue(), err.getvalue())


def copy_example(tmp_path: Path) -> Path:
    """The example department (file only) and the plugins folder it names, copied under ``tmp_path``."""
    target = tmp_path / "rosters" / "customer-service"
    target.mkdir(parents=True)
    shutil.copy(ROOT / "rosters" / "customer-service" / "department.toml", target / "department.toml")
    shutil.copytree(ROOT / "plugins", tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def read_department(folder: Path) -> dict[str, Any]:
    return tomllib.loads((folder / "department.toml").read_text(encoding="utf-8"))


def write_department(folder: Path, data: dict[str, Any]) -> None:
    (folder / "department.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


@dataclass
class PlannedMonth:
    """The example department after ``plan --month 2027-01`` twice (revisions r1 and r2)."""

    dept: Path
    first: Result
    second: Result
    r1_before: bytes
    """``roster.r1.toml`` as it was right after the first plan."""
    index_after_first: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.dept / MONTH
