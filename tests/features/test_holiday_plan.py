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
