"""What a manager reads after a plan: per-person totals and the objective explained by rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dutyplan.calendar import REST_DAY_TYPES, classify
from dutyplan.domain import Problem, Shift
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


def paid_minutes_by_day(shift: Shift, day: dt.date) -> list[tuple[dt.date, int]]:
    """A shift's paid minutes split over the calendar days it spans (a night: most on the next day).

    Paid time is shared in proportion to clock time, so a night from the eve
    of a statutory holiday pays its after-midnight hours at the holiday rate.
    """
    start = shift.start.hour * 60 + shift.start.minute
    first = min(shift.length_minutes, 24 * 60 - start)
    if first >= shift.length_minutes:
        return [(day, shift.paid_minutes)]
    on_first = round(shift.paid_minutes * first / shift.length_minutes)
    return [(day, on_first), (day + dt.timedelta(days=1), shift.paid_minutes - on_first)]


def person_totals(roster: Roster, problem: Problem) -> list[PersonTotals]:
    """Shifts, nights, rest-day and holiday shifts, paid hours and overtime per person.

    Overtime is paid time beyond the standard hours of the horizon (40 h a week
    on average, pro-rated); holiday and rest-day minutes (split by the calendar
    day they fall on, see :func:`paid_minutes_by_day`) let HR apply 300% and
    200% pay. Shifts are counted on the day they start.
    """
    dept = problem.department
    totals = {p.id: PersonTotals(p.id, p.name) for p in dept.staff}
    after = problem.horizon.end + dt.timedelta(days=1)
    day_after = classify([after], dept.spec.calendar, dept.locale)[0].type

    def type_of(day: dt.date) -> str:
        index = problem.horizon.index(day)
        return problem.horizon.day_type(index) if index is not None else day_after

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
        t.rest_day_shifts += day_type in REST_DAY_TYPES
        t.holiday_shifts += day_type == "holiday"
        for day, minutes in paid_minutes_by_day(shift, a.date):
            kind = type_of(day)
            t.rest_day_minutes += minutes if kind in REST_DAY_TYPES else 0
            t.holiday_minutes += minutes if kind == "holiday" else 0
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
