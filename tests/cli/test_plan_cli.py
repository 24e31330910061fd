"""``dutyplan plan``, ``show``, ``export`` and ``plugins`` as a manager runs them (R-MONTH, R-REVISE).

Everything runs as a real process on a copy of the example department. The
month is planned twice once per session (:func:`planned_month`), then read.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from .support import MONTH, PlannedMonth, Result, cli_env, copy_example, read_department

ANSI = re.compile(r"\x1b\[")


# -- plan: files written, revisions kept (R-REVISE) ---------------------------------------------------
def test_first_plan_writes_revision_index_and_exports(planned_month: PlannedMonth) -> None:
    folder = planned_month.folder
    assert planned_month.r1_before, "roster.r1.toml was empty"
    r1 = tomllib.loads(planned_month.r1_before.decode("utf-8"))
    assert r1["revision"] == 1 and r1["start"].isoformat() == "2027-01-01" and r1["days"] == 31
    assert planned_month.index_after_first["current"] == 1
    assert [e["status"] for e in planned_month.index_after_first["revision"]] == ["current"]
    # exports beside the revision, in r1/, and the summary says where they are
    exports = folder / "r1"
    assert (exports / "roster.csv").is_file()
    assert f"exports in {exports}" in planned_month.first.out
    listed = planned_month.first.out.split(f"exports in {exports}: ", 1)[1].splitlines()[0]
    for name in listed.split(", "):
        assert (exports / name).exists(), f"{name} listed but not written"
    assert f"roster revision 1 written to {folder / 'roster.r1.toml'}" in planned_month.first.out


def test_second_plan_writes_r2_and_never_touches_r1(planned_month: PlannedMonth) -> None:
    folder = planned_month.folder
    assert (folder / "roster.r1.toml").read_bytes() == planned_month.r1_before
    assert (folder / "roster.r2.toml").is_file()
    assert (folder / "r2" / "roster.csv").is_file()
    assert (folder / "r1" / "roster.csv").is_file()
    index = tomllib.loads((folder / "index.toml").read_text(encoding="utf-8"))
    assert index["current"] == 2
    by_number = {e["number"]: e for e in index["revision"]}
    assert by_number[1]["status"] == "superseded" and by_number[1]["superseded_by"] == 2
    assert by_number[2]["status"] == "current"
    assert "roster revision 2 written" in planned_month.second.out


def test_summary_reports_status_penalties_people_and_time(planned_month: PlannedMonth) -> None:
    out = planned_month.first.out
    status = re.search(r"^status: (.*)$", out, re.M)
    assert status, out
    assert re.match(r"optimal \(proven\): penalty \d+$|feasible, not proven optimal: penalty \d+, .*gap \d", status[1])
    assert "penalty by rule" in out
    # a soft rule with a cost appears by its id, or the summary says that none costs anything
    assert re.search(r"\bR-[A-Z-]+\b.*\d", out) or "every soft rule fully met" in out
    data = read_department(planned_month.dept)
    for person in data["staff"]:
        assert re.search(rf"^\W*{person['id']}\b", out, re.M), f"{person['id']} missing from per-person totals"
    assert re.search(r"^wall time \d+\.\d\d s$", out, re.M)


def test_output_to_a_pipe_is_plain_text_and_progress_is_quiet(planned_month: PlannedMonth) -> None:
    """Not a terminal: no ANSI codes on stdout, and nothing at all on stderr when all goes well."""
    for result in (planned_month.first, planned_month.second):
        assert not ANSI.search(result.out), "terminal codes in piped output"
        assert result.err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_line_shows_on_a_terminal_while_stdout_stays_plain(example_dept: Path) -> None:
    """stderr a terminal, stdout a pipe (``dutyplan plan ... > summary.txt``): live line on the terminal only."""
    import pty

    controller, terminal = pty.openpty()
    args = ["plan", example_dept, "--start", "2027-01-04", "--days", "5", "--time-limit", "3", "--workers", "2",
            "--dry-run"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "dutyplan.cli.main", *map(str, args)],
        stdout=subprocess.PIPE, stderr=terminal, env=cli_env(),
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate(timeout=60)
    os.close(controller)
    assert proc.returncode == 0, shown.decode(errors="replace")
    assert b"solving" in shown or b"building model" in shown
    assert not ANSI.search(out.decode("utf-8"))
    assert b"status:" in out


def test_same_seed_with_one_worker_gives_the_same_roster(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    """``--seed 3 --workers 1`` is reproducible. A 4-day horizon is proven optimal in well under a second,
    so the time limit never cuts the search at a load-dependent point."""
    dept = copy_example(tmp_path)
    args = ["plan", dept, "--start", "2027-01-11", "--days", "4", "--seed", "3", "--workers", "1",
            "--time-limit", "20", "--format", "csv"]
    first, second = run_cli(args), run_cli(args)
    assert first.code == 0 and second.code == 0, f"{first}\n{second}"
    assert "status: optimal" in first.out, "no longer proven optimal quickly: pick a shorter horizon"
    folder = dept / "2027-01-11+4d"
    r1 = tomllib.loads((folder / "roster.r1.toml").read_text(encoding="utf-8"))
    r2 = tomllib.loads((folder / "roster.r2.toml").read_text(encoding="utf-8"))
    assert r1["assignments"] == r2["assignments"]
    assert r1["solver"]["objective"] == r2["solver"]["objective"]
    assert any(line.split() != ["-"] * 4 for line in r1["assignments"].values())


# -- show, export, plugins ------------------------------------------------------------------------------
def test_show_prints_a_grid_with_every_person(planned_month: PlannedMonth, run_cli: Callable[..., Result]) -> None:
    result = run_cli(["show", planned_month.dept, "--month", MONTH])
    assert result.code == 0, str(result)
    assert not ANSI.search(result.out)
    data = read_department(planned_month.dept)
    roster = tomllib.loads((planned_month.folder / "roster.r2.toml").read_text(encoding="utf-8"))
    lines = result.out.splitlines()
    assert "r2" in lines[0]  # the current revision
    for person in data["staff"]:
        row = next((line for line in lines if re.search(rf"\b{person['id']} ", line)), None)
        assert row is not None, f"{person['id']} missing from the grid"
        worked = sum(cell != "-" for cell in roster["assignments"][person["id"]].split())
        # the last cell of a person's row is their number of shifts: the whole grid fits, none cut off
        assert re.search(rf"\b{worked}\W*$", row), row


def test_export_csv_writes_the_columns_check_reads(
    planned_month: PlannedMonth, run_cli: Callable[..., Result], invoke: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "january.csv"
    result = run_cli(["export", planned_month.dept, "--month", MONTH, "--format", "csv", "-o", target])
    assert result.code == 0, str(result)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("date,staff_id,shift_id")
    assert re.match(r"2027-01-\d\d,E\d\d,\w+", lines[1])
    roster = tomllib.loads((planned_month.folder / "roster.r2.toml").read_text(encoding="utf-8"))
    worked = sum(cell != "-" for line in roster["assignments"].values() for cell in line.split())
    assert len(lines) - 1 == worked
    # -o FOLDER puts the format's usual file in it
    again = invoke(["export", planned_month.dept, "--month", MONTH, "--format", "csv", "-o", tmp_path])
    assert again.code == 0 and (tmp_path / "roster.csv").read_text(encoding="utf-8").splitlines() == lines


def test_plugins_lists_built_in_rules_and_hooks(run_cli: Callable[..., Result]) -> None:
    result = run_cli(["plugins"])
    assert result.code == 0, str(result)
    for module in ("dutyplan.rules.coverage", "dutyplan.rules.succession", "dutyplan.export.csv_export"):
        assert module in result.out
    assert "register_rules" in result.out and "register_exporters" in result.out
    assert "hooks a plugin may implement:" in result.out
    assert "example_rule" not in result.out


def test_plugins_for_a_department_lists_its_own_plugin(example_dept: Path, invoke: Callable[..., Result]) -> None:
    result = invoke(["plugins", example_dept])
    assert result.code == 0, str(result)
    row = next(line for line in result.out.splitlines() if "example_rule" in line)
    assert "1.0 (plugin file)" in row
    assert "register_rules" in row and "register_config_sections" in row
