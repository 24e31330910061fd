"""R-REQUEST: staff wishes (a day off, a shift on, a shift off), each with a weight.

Soft: a request not granted costs its weight (the Curtois–Qu on/off request
semantics). Requests dated outside the horizon are simply not in play.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.config.schema import Request
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from dutyplan.model.context import ModelContext


class Requests(Rule):
    id = "R-REQUEST"
    title = "Staff requests"
    personal = True
    hard = False

    def __init__(self, requests: list[Request], default_weight: int) -> None:
        self.requests = requests
        self.default_weight = default_weight

    def _weight(self, req: Request) -> int:
        return self.default_weight if req.weight is None else req.weight

    def build(self, ctx: ModelContext) -> None:
        horizon = ctx.problem.horizon
        for req in self.requests:
            di = horizon.index(req.date)
            pi = ctx.staff_index[req.staff]
            label = f"{req.staff} {req.kind} {req.shift or ''} {req.date:%m-%d}"
            if di is None:
                continue
            if req.kind == "day_off":
                ctx.add_penalty(self, ctx.work[pi][di], self._weight(req), label)
            elif req.kind == "shift_off":
                assert req.shift is not None
                ctx.add_penalty(self, ctx.x[pi][di][ctx.shift_index[req.shift]], self._weight(req), label)
            else:
                assert req.shift is not None
                ctx.add_penalty(self, 1 - ctx.x[pi][di][ctx.shift_index[req.shift]], self._weight(req), label)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        for req in self.requests:
            if problem.horizon.index(req.date) is None or not self._weight(req):
                continue
            shifts = roster.shifts_on(req.staff, req.date)
            day = f"{req.date:%m-%d}"
            if req.kind == "day_off" and shifts:
                message = f"{req.staff} asked for {day} off but works {shifts[0]}"
            elif req.kind == "shift_off" and req.shift in shifts:
                message = f"{req.staff} asked not to work {req.shift} on {day} but does"
            elif req.kind == "shift_on" and req.shift not in shifts:
                message = f"{req.staff} asked to work {req.shift} on {day} but does not"
            else:
                continue
            yield self.violation(
                message, staff=req.staff, date=req.date, shift=req.shift, cost=self._weight(req)
            )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return f"尽量满足员工的休息和班次申请（共 {len(self.requests)} 条，未满足按权重计罚分）。"
        return f"Grant staff requests for days off and shifts where possible ({len(self.requests)} requests, weighted)."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    start, end = problem.horizon.start, problem.horizon.end
    relevant = [d for r in problem.department.spec.requests for d in r.days() if start <= d.date <= end]
    if relevant:
        register(Requests(relevant, problem.department.spec.weights.request))
