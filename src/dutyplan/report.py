"""What a manager reads after a plan: per-person totals and the objective explained by rule."""

from __future__ import annotations

from dataclasses import dataclass

from dutyplan.calendar import REST_DAY_TYPES
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Violation
from dutyplan.rules.hours import extra_minutes, standard_minutes


@dataclass
class PersonTotals:
    staff: str
    name: str
    shifts: int = 0
    nights: int = 0
    rest_day_shifts: int = 0
    holiday_shifts: int = 0
    minutes: int = 0
    holiday_minutes: int = 0
    rest_day_minutes: int = 0
    overtime_minutes: int = 0

    @property
    def hours(self) -> float:
        return self.minutes / 60


def person_totals(roster: Roster, problem: Problem) -> list[PersonTotals]:
    """Shifts, nights, rest-day and holiday shifts, paid hours and overtime per person.

    Overtime is paid time beyond the standard hours of the horizon (40 h a week
    on average, pro-rated); holiday and rest-day minutes let HR apply 300% and
    200% pay.
    """
    dept = problem.department
    totals = {p.id: PersonTotals(p.id, p.name) for p in dept.staff}
    for a in roster.assignments:
        t = totals.get(a.staff)
        index = problem.horizon.index(a.date)
        shift = dept.shift_by_id.get(a.shift)
        if t is None or index is None or shift is None:
            continue
        day_type = problem.horizon.day_type(index)
        t.shifts += 1
        t.minutes += shift.paid_minutes
        t.nights += shift.is_night
        if day_type in REST_DAY_TYPES:
            t.rest_day_shifts += 1
            t.rest_day_minutes += shift.paid_minutes
        if day_type == "holiday":
            t.holiday_shifts += 1
            t.holiday_minutes += shift.paid_minutes
    for staff, minutes in extra_minutes(roster, problem).items():
        if staff in totals:
            totals[staff].minutes += minutes
    standard = standard_minutes(problem)
    for t in totals.values():
        t.overtime_minutes = max(0, t.minutes - standard)
    return list(totals.values())


def top_offenders(violations: list[Violation], limit: int = 5) -> dict[str, list[Violation]]:
    """The costliest soft violations of each rule, for the objective breakdown."""
    by_rule: dict[str, list[Violation]] = {}
    for v in sorted(violations, key=lambda v: -v.cost):
        if v.cost:
            by_rule.setdefault(v.rule_id, [])
            if len(by_rule[v.rule_id]) < limit:
                by_rule[v.rule_id].append(v)
    return by_rule
