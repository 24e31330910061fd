"""R-LOCK: days fixed in advance (a published holiday plan, a re-plan) keep their shift.

``problem.locked`` maps (person, date) to a shift id or to ``None`` for a day
off; the planner may not change those days unless the manager asks it to.
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


class Locked(Rule):
    id = "R-LOCK"
    title = "Days fixed in advance"
    personal = True

    def build(self, ctx: ModelContext) -> None:
        for (sid, day), shift in ctx.problem.locked.items():
            di = ctx.problem.horizon.index(day)
            if di is None or sid not in ctx.staff_index:
                continue
            pi = ctx.staff_index[sid]
            if shift is None:
                ctx.add_hard(ctx.model.add(ctx.work[pi][di] == 0), self, sid)
            else:
                ctx.add_hard(ctx.model.add(ctx.x[pi][di][ctx.shift_index[shift]] == 1), self, sid)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        staff = set(problem.staff_ids)  # a sub-problem of some people (model/rows.py) keeps everyone's locks
        for (sid, day), shift in sorted(problem.locked.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if problem.horizon.index(day) is None or sid not in staff:
                continue
            actual = roster.shift_on(sid, day)
            if actual != shift:
                yield self.violation(
                    f"{sid} on {day:%m-%d} was fixed to {shift or 'a day off'} but has {actual or 'a day off'}",
                    staff=sid, date=day, shift=actual,
                )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return "已提前发布的排班（如节假日排班）保持不变。"
        return "Days fixed in advance (a published holiday plan) keep their shifts."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    if problem.locked:
        register(Locked())
