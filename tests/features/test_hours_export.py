"""R-HOURS for HR: the hours summary marks holiday (300%), rest-day (200%) and overtime hours."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from dutyplan.export.hours_export import HoursExporter
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment, Roster


def test_hours_summary_splits_pay_rates(make_department: Callable[..., Workspace], tmp_path: Path) -> None:
    ws = make_department({"calendar": {"country": "CN"}}, staff=2)
    horizon = ws.horizon("2027-01", None, None)
    problem = ws.problem(horizon)
    days = [dt.date(2027, 1, d) for d in range(1, 32)]
    # E01 works every day: 31 x 8 h = 248 h; 01-01 is a statutory holiday, 10 weekend days.
    roster = Roster("t", horizon.start, horizon.days, [Assignment(d, "E01", "early") for d in days])
    target = tmp_path / "hours.csv"
    HoursExporter().export(roster, problem, target)
    rows = {r["staff_id"]: r for r in csv.DictReader(target.open(encoding="utf-8"))}
    e01 = rows["E01"]
    assert float(e01["hours"]) == 248
    assert float(e01["holiday_hours_300pct"]) == 8
    assert float(e01["rest_day_hours_200pct"]) == 80
    standard = round(40 * 60 * 31 / 7) / 60
    assert float(e01["standard_hours"]) == round(standard, 4) or abs(float(e01["standard_hours"]) - standard) < 0.01
    assert abs(float(e01["overtime_hours"]) - (248 - standard)) < 0.01
    assert float(e01["overtime_cap_hours"]) == 36 and e01["over_cap"] == "yes"
    assert rows["E02"]["hours"] == "0" and rows["E02"]["over_cap"] == "no"


def test_night_hours_are_paid_on_the_day_they_fall(make_department: Callable[..., Workspace], tmp_path: Path) -> None:
    """A night from the eve into 春节 pays its after-midnight hours at the holiday rate (300%)."""
    ws = make_department({"calendar": {"country": "CN"},
                          "shifts": {"night": {"start": "22:00", "end": "07:30", "paid_minutes": 570}}}, staff=1)
    horizon = ws.horizon(None, dt.date(2027, 2, 3), 2)  # 02-03 workday, 02-04 workday; 02-05 除夕 is statutory
    problem = ws.problem(horizon)
    roster = Roster("t", horizon.start, horizon.days, [Assignment(dt.date(2027, 2, 4), "E01", "night")])
    target = tmp_path / "hours.csv"
    HoursExporter().export(roster, problem, target)
    row = next(csv.DictReader(target.open(encoding="utf-8")))
    assert float(row["holiday_hours_300pct"]) == 7.5  # 00:00-07:30 on 02-05
    assert row["holiday_shifts"] == "0"  # the shift itself starts on a workday
