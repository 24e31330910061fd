"""R-AVAILABLE: nobody works while on leave, unavailable, or on a fixed day off.

Approved leave, dates a person cannot work, fixed days off (a date) and weekly
days off (R-WEEKLY-REST's fixed rotating day, e.g. every Wednesday) all come
from the staff entry in the department file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from dutyplan.model.context import ModelContext


class Availability(Rule):
    id = "R-AVAILABLE"
    title = "Leave and days off"
    personal = True

    def build(self, ctx: ModelContext) -> None:
        for pi, person in enumerate(ctx.problem.department.staff):
            for di in range(ctx.num_days):
                if ctx.problem.unavailable_reason(person, di) is not None:
                    ctx.add_hard(ctx.model.add(ctx.work[pi][di] == 0), self, person.id)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        staff = problem.department.staff_by_id
        for a in roster.assignments:
            person = staff.get(a.staff)
            index = problem.horizon.index(a.date)
            if person is None or index is None:
                continue
            reason = problem.unavailable_reason(person, index)
            if reason is not None:
                yield self.violation(
                    f"{a.staff} works {a.shift} on {a.date:%m-%d} but is {reason}",
                    staff=a.staff, date=a.date, shift=a.shift,
                )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return "休假、不可排班日和固定休息日不排班。"
        return "Nobody works on leave, on a date they are unavailable, or on a fixed day off."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    register(Availability())
