"""R-CONTRACT: each person's contract limits over the horizon.

Minimum and maximum number of shifts, minimum and maximum paid minutes, and a
maximum per shift type (0 means the person never works that shift). All hard.
With ``rules.contract_period = "month"`` (the default) the limits are monthly
and are pro-rated when the horizon is not a calendar month (a one-week plan
asks a quarter of the monthly minimum, rounded down, and allows the maximum
rounded up); with ``"horizon"`` they apply to the horizon as written.
Days of leave lower the minimums in proportion (someone on leave for a third
of the month owes two thirds of the minimum); the maximums stay.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.config.schema import StaffSpec
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from dutyplan.model.context import ModelContext


def _has_limits(person: StaffSpec) -> bool:
    return any(
        v is not None
        for v in (person.min_shifts, person.max_shifts, person.min_minutes, person.max_minutes)
    ) or bool(person.max_per_shift)


@dataclass(frozen=True)
class Limits:
    min_shifts: int | None
    max_shifts: int | None
    min_minutes: int | None
    max_minutes: int | None
    max_per_shift: dict[str, int]


def contract_limits(person: StaffSpec, problem: Problem) -> Limits:
    """The person's limits for this horizon, pro-rated from monthly values when needed."""
    monthly = problem.department.spec.rules.contract_period == "month"
    factor = 1.0 if (not monthly or problem.horizon.month) else problem.horizon.days / 30.4375

    # Leave lowers the minimums in proportion (R-AVAILABLE days are not owed); maximums stay.
    present = 1 - problem.leave_days(person) / problem.horizon.days

    def low(v: int | None) -> int | None:
        return None if v is None else math.floor(v * factor * present)

    def high(v: int | None) -> int | None:
        return None if v is None else math.ceil(v * factor)

    return Limits(
        low(person.min_shifts), high(person.max_shifts), low(person.min_minutes), high(person.max_minutes),
        {s: (0 if v == 0 else math.ceil(v * factor)) for s, v in person.max_per_shift.items()},
    )


class Contract(Rule):
    id = "R-CONTRACT"
    title = "Contract limits"
    personal = True

    def build(self, ctx: ModelContext) -> None:
        m = ctx.model
        minutes = [s.paid_minutes for s in ctx.problem.department.shifts]
        for pi, person in enumerate(ctx.problem.department.staff):
            if not _has_limits(person):
                continue
            limits = contract_limits(person, ctx.problem)
            shifts = sum(ctx.work[pi])
            paid = sum(
                minutes[si] * ctx.x[pi][di][si]
                for di in range(ctx.num_days)
                for si in range(ctx.num_shifts)
            )
            sid = person.id
            if limits.min_shifts is not None:
                ctx.add_hard(m.add(shifts >= limits.min_shifts), self, sid)
            if limits.max_shifts is not None:
                ctx.add_hard(m.add(shifts <= limits.max_shifts), self, sid)
            if limits.min_minutes is not None:
                ctx.add_hard(m.add(paid >= limits.min_minutes), self, sid)
            if limits.max_minutes is not None:
                ctx.add_hard(m.add(paid <= limits.max_minutes), self, sid)
            for shift_id, limit in limits.max_per_shift.items():
                si = ctx.shift_index[shift_id]
                if limit == 0:
                    for di in range(ctx.num_days):
                        ctx.add_hard(m.add(ctx.x[pi][di][si] == 0), self, sid)
                elif limit < ctx.num_days:
                    count = sum(ctx.x[pi][di][si] for di in range(ctx.num_days))
                    ctx.add_hard(m.add(count <= limit), self, sid)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        dept = problem.department
        for person in dept.staff:
            mine = [a for a in roster.by_staff(person.id) if a.shift in dept.shift_by_id]
            n = len(mine)
            paid = sum(dept.shift_by_id[a.shift].paid_minutes for a in mine)
            sid = person.id
            limits = contract_limits(person, problem)
            bounds = (
                ("shifts", n, limits.min_shifts, limits.max_shifts),
                ("paid minutes", paid, limits.min_minutes, limits.max_minutes),
            )
            for what, value, low, high in bounds:
                if low is not None and value < low:
                    yield self.violation(f"{sid} has {value} {what}, at least {low} in the contract", staff=sid)
                if high is not None and value > high:
                    yield self.violation(f"{sid} has {value} {what}, at most {high} in the contract", staff=sid)
            for shift_id, limit in limits.max_per_shift.items():
                count = sum(1 for a in mine if a.shift == shift_id)
                if count > limit:
                    first = [a.date for a in mine if a.shift == shift_id][limit]
                    yield self.violation(
                        f"{sid} works {count} {shift_id} shifts, at most {limit}",
                        staff=sid, shift=shift_id, date=first,
                    )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return "每人的班次数、工时（分钟）及各班次上限不超出合同约定。"
        return "Each person's number of shifts, paid minutes and shifts per type stay within their contract."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    if any(_has_limits(p) for p in problem.department.staff):
        register(Contract())
