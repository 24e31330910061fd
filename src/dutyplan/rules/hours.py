"""R-HOURS: Labour-Law working time: 40 h a week on average, overtime capped.

Over the horizon a person may work ``weekly_average x days / 7`` standard hours
plus the monthly overtime cap (36 h by law; pro-rated by days/30 when the
horizon is not a calendar month). ``mode`` decides what a breach is: ``hard``
forbids it, ``soft`` costs ``weight`` per started hour over, ``warn`` only
reports it (for departments on a comprehensive working-hours system that
average over a longer period), ``off`` disables the rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.config.schema import HoursRule
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from dutyplan.model.context import ModelContext


def paid_minutes(roster: Roster, problem: Problem, staff: str) -> int:
    """Paid minutes of a person in a roster: shifts plus extras such as duty."""
    shifts = problem.department.shift_by_id
    total = sum(shifts[a.shift].paid_minutes for a in roster.by_staff(staff) if a.shift in shifts)
    return total + extra_minutes(roster, problem).get(staff, 0)


def extra_minutes(roster: Roster, problem: Problem) -> dict[str, int]:
    """Minutes beyond shifts per person (e.g. duty days), from ``problem.stash["extra_minutes"]``.

    A feature that adds paid time registers ``name -> function(roster, problem) -> {staff: minutes}``
    there when its rules are registered, and adds the same minutes to ``ctx.extra_minutes`` in the model.
    """
    result: dict[str, int] = {}
    for contribute in problem.stash.get("extra_minutes", {}).values():
        for staff, minutes in contribute(roster, problem).items():
            result[staff] = result.get(staff, 0) + minutes
    return result


def standard_minutes(problem: Problem) -> int:
    """Standard (non-overtime) minutes in the horizon: the weekly average pro-rated."""
    settings = problem.department.spec.rules.hours
    return round(settings.weekly_average * 60 * problem.horizon.days / 7)


def overtime_cap_minutes(problem: Problem) -> int:
    settings = problem.department.spec.rules.hours
    factor = 1.0 if problem.horizon.month else problem.horizon.days / 30
    return round(settings.overtime_cap * 60 * factor)


class LabourHours(Rule):
    id = "R-HOURS"
    title = "Labour-Law hours"
    personal = True

    def __init__(self, settings: HoursRule, limit_minutes: int) -> None:
        self.settings = settings
        self.limit = limit_minutes
        self.hard = settings.mode == "hard"

    @property
    def severity(self):  # type: ignore[no-untyped-def]
        return {"hard": "hard", "soft": "soft"}.get(self.settings.mode, "warning")

    def build(self, ctx: ModelContext) -> None:
        if self.settings.mode not in ("hard", "soft"):
            return
        m = ctx.model
        minutes = [s.paid_minutes for s in ctx.problem.department.shifts]
        for pi, sid in enumerate(ctx.staff_ids):
            extra = sum(e for e, _ in ctx.extra_minutes.get(pi, []))
            most = max(minutes) * ctx.num_days + extra
            if most <= self.limit:
                continue
            paid = ctx.paid_minutes(pi)
            if self.settings.mode == "hard":
                ctx.add_hard(m.add(paid <= self.limit), self, sid)
            else:
                # Exactly the started hours over the limit: ceil(max(0, paid - limit) / 60).
                over = m.new_int_var(0, most - self.limit, f"over_minutes[{sid}]")
                m.add_max_equality(over, [0, paid - self.limit])
                hours_over = m.new_int_var(0, math.ceil((most - self.limit) / 60), f"overtime[{sid}]")
                m.add(60 * hours_over >= over)
                m.add(60 * hours_over <= over + 59)
                ctx.add_penalty(self, hours_over, self.settings.weight, f"{sid} over hours")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        if self.settings.mode == "off":
            return
        for sid in problem.staff_ids:
            paid = paid_minutes(roster, problem, sid)
            if paid > self.limit:
                hours = math.ceil((paid - self.limit) / 60)
                cost = hours * self.settings.weight if self.settings.mode == "soft" else 0
                yield self.violation(
                    f"{sid} works {paid / 60:g} h, {(paid - self.limit) / 60:g} h over the "
                    f"Labour-Law limit of {self.limit / 60:g} h",
                    staff=sid, cost=cost,
                )

    def describe(self, locale: str = "en") -> str:
        s = self.settings
        if locale == "zh":
            return (
                f"平均每周不超过 {s.weekly_average:g} 小时，每月加班不超过 {s.overtime_cap:g} 小时"
                f"（本期上限 {self.limit / 60:g} 小时）。"
            )
        return (
            f"At most {s.weekly_average:g} h a week on average plus {s.overtime_cap:g} h overtime a month "
            f"({self.limit / 60:g} h in this horizon; {s.mode})."
        )


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = problem.department.spec.rules.hours
    if settings.mode != "off":
        register(LabourHours(settings, standard_minutes(problem) + overtime_cap_minutes(problem)))
