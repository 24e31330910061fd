"""R-HOLIDAY-PLAN: holiday plans laid out a week ahead and kept when the month is planned."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from dutyplan.features.duty import duty_of
from dutyplan.features.holiday_plan import deadline_for, holiday_period
from dutyplan.planner import Workspace

CLI = [sys.executable, "-m", "dutyplan.cli.main"]
ENV = {**os.environ, "DUTYPLAN_NO_ENTRYPOINTS": "1"}
DEPT = {"duty": {"pool": ["E01", "E02", "E03"], "holiday_per_day": 2}, "calendar": {"country": "CN"},
        "shifts": {"early": {"cover": {"holiday": {"min": 1}, "weekend": {"min": 1}}}}}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=ENV, timeout=120, check=False)


def test_spring_festival_period_from_the_calendar(make_department: Callable[..., Workspace]) -> None:
    ws = make_department(DEPT)
    first, last, statutory = holiday_period(ws.department, "spring-festival", 2027)
    assert next(c.date for c in statutory) == dt.date(2027, 2, 5)
    assert first <= dt.date(2027, 2, 5) and last >= dt.date(2027, 2, 8)
    assert deadline_for(statutory) == dt.date(2027, 1, 29)


def test_adjusted_workday_override_joins_the_period(make_department: Callable[..., Workspace]) -> None:
    """调休: a weekend day made a working day near the holiday is planned with it (workday coverage)."""
    ws = make_department({**DEPT, "calendar": {"country": "CN", "override": [
        {"date": "2027-02-14", "type": "adjusted_workday", "name": "调休上班"}]}})
    _first, last, _ = holiday_period(ws.department, "spring-festival", 2027)
    assert last == dt.date(2027, 2, 14)


def test_plan_is_kept_when_the_month_is_planned(make_department: Callable[..., Workspace]) -> None:
    """R-LOCK: the month's roster keeps the published holiday plan's shifts and duty."""
    ws = make_department(DEPT, staff=4)
    folder = ws.department.directory
    done = run("holiday-plan", str(folder), "--holiday", "spring-festival", "--year", "2027",
               "--time-limit", "5", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "publication deadline" in done.stdout and "2027-01-29" in done.stdout
    plan = Workspace.open(folder).store.load("2027-spring-festival")
    assert plan.kind == "holiday-plan"
    done = run("plan", str(folder), "--month", "2027-02", "--time-limit", "5", "--workers", "1")
    assert done.returncode == 0, done.stderr
    month = Workspace.open(folder).store.load("2027-02")
    for day in plan.dates:
        for sid in ("E01", "E02", "E03", "E04"):
            assert month.shift_on(sid, day) == plan.shift_on(sid, day)
        assert sorted(duty_of(month)[day]) == sorted(duty_of(plan)[day])


def test_late_plan_warns_with_the_date(make_department: Callable[..., Workspace]) -> None:
    """R-HOLIDAY-PLAN: a plan produced after the deadline warns, naming the deadline."""
    ws = make_department(DEPT)
    done = run("holiday-plan", str(ws.department.directory), "--start", "2026-10-01", "--end", "2026-10-03",
               "--time-limit", "3", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "after the publication deadline 2026-09-24" in done.stderr


def test_unknown_holiday_year_is_bad_input(make_department: Callable[..., Workspace], tmp_path: Path) -> None:
    ws = make_department({**DEPT, "calendar": {"country": "none"}})
    done = run("holiday-plan", str(ws.department.directory), "--holiday", "national-day", "--year", "2027")
    assert done.returncode == 2
    assert "calendar.override" in done.stderr and "Traceback" not in done.stderr


def test_replan_holidays_frees_the_plan_days(make_department: Callable[..., Workspace]) -> None:
    """R-LOCK is the default; --replan-holidays plans the holiday days anew."""
    ws = make_department(DEPT, staff=4)
    folder = ws.department.directory
    assert run("holiday-plan", str(folder), "--holiday", "spring-festival", "--year", "2027",
               "--time-limit", "3", "--workers", "1").returncode == 0
    kept = run("plan", str(folder), "--month", "2027-02", "--time-limit", "3", "--workers", "1", "--dry-run")
    assert kept.returncode == 0 and "kept the published holiday plan days" in kept.stdout
    free = run("plan", str(folder), "--month", "2027-02", "--time-limit", "3", "--workers", "1", "--dry-run",
               "--replan-holidays")
    assert free.returncode == 0 and "kept the published holiday plan days" not in free.stdout


def test_home_for_spring_festival_is_one_request_over_several_days(
    make_department: Callable[..., Workspace],
) -> None:
    """R-REQUEST with ``until``: one wish covers each day of the period, weighted per day."""
    wish = {"requests": [{"staff": "E01", "date": "2027-02-05", "until": "2027-02-08", "kind": "day_off",
                          "weight": 50, "note": "home for 春节"}]}
    ws = make_department({**DEPT, **wish}, staff=4)
    first, last, _ = holiday_period(ws.department, "spring-festival", 2027)
    from dutyplan.features.holiday_plan import plan_horizon
    from dutyplan.model.solve import SolveOptions, solve

    problem = ws.problem(plan_horizon(ws.department, "sf", first, last))
    rules = ws.rules(problem)
    requests = next(r for r in rules if r.id == "R-REQUEST")
    assert len(requests.requests) == 4  # type: ignore[attr-defined]
    result = solve(problem, rules, SolveOptions(time_limit=5, workers=1))
    assert result.roster is not None
    assert all(result.roster.shift_on("E01", dt.date(2027, 2, d)) is None for d in range(5, 9))


def test_keep_until_keeps_the_worked_days_of_a_replan(make_department: Callable[..., Workspace]) -> None:
    """A re-plan with --keep-until keeps the current revision's days (and duty) before that date."""
    ws = make_department(DEPT, staff=4)
    folder = ws.department.directory
    assert run("plan", str(folder), "--start", "2027-03-01", "--days", "10", "--time-limit", "3",
               "--workers", "1").returncode == 0
    first = Workspace.open(folder).store.load("2027-03-01+10d")
    done = run("plan", str(folder), "--start", "2027-03-01", "--days", "10", "--time-limit", "3", "--workers", "1",
               "--seed", "7", "--keep-until", "2027-03-06")
    assert done.returncode == 0, done.stderr
    assert "kept the current revision's days before 2027-03-06" in done.stdout
    second = Workspace.open(folder).store.load("2027-03-01+10d")
    assert second.revision == 2
    for day in first.dates[:5]:
        for sid in ("E01", "E02", "E03", "E04"):
            assert second.shift_on(sid, day) == first.shift_on(sid, day)
        assert duty_of(second)[day] == duty_of(first)[day]
