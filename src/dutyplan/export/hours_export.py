"""Hours summary for HR (Labour Law): paid hours by pay rate, and overtime against the cap.

One row per person: hours worked, the horizon's standard hours (40 h a week on
average, pro-rated), overtime beyond them and whether it passes the monthly
cap (36 h), hours on rest days (200% unless time off in lieu is given) and on
statutory holidays (300%). HR reads pay from it; R-HOURS is the rule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.export.base import Exporter
from dutyplan.fileio import write_text_atomic
from dutyplan.report import person_totals
from dutyplan.roster import Roster
from dutyplan.rules.hours import overtime_cap_minutes, standard_minutes

HEADER = [
    "staff_id", "name", "shifts", "hours", "standard_hours", "overtime_hours", "overtime_cap_hours",
    "over_cap", "rest_day_hours_200pct", "holiday_hours_300pct", "rest_day_shifts", "holiday_shifts",
]


def hours_rows(roster: Roster, problem: Problem) -> list[list[str]]:
    standard = standard_minutes(problem)
    cap = overtime_cap_minutes(problem)
    rows = []
    for t in person_totals(roster, problem):
        rows.append([
            t.staff, t.name, str(t.shifts), f"{t.minutes / 60:g}", f"{standard / 60:g}",
            f"{t.overtime_minutes / 60:g}", f"{cap / 60:g}", "yes" if t.overtime_minutes > cap else "no",
            f"{t.rest_day_minutes / 60:g}", f"{t.holiday_minutes / 60:g}", str(t.rest_day_shifts),
            str(t.holiday_shifts),
        ])
    return rows


class HoursExporter(Exporter):
    name = "hours"
    description = "hours for HR: overtime against the Labour-Law cap, rest-day (200%) and holiday (300%) hours"
    default_name = "hours.csv"

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(hours_rows(roster, problem))
        write_text_atomic(target, out.getvalue())
        return [target]


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(HoursExporter())
