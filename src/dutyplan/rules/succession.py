"""R-REST: shifts that may not follow each other on consecutive days.

Two sources, combined: each shift's ``not_followed_by`` list (e.g. no early
after night), and the department's ``min_rest_hours`` between the end of one
shift and the start of the next day's. The day before the horizon comes from
history; without history it counts as a day off (so the first day is free).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation


def forbidden_pairs(problem: Problem) -> dict[tuple[str, str], str]:
    """(earlier shift, next-day shift) -> why it is forbidden."""
    dept = problem.department
    pairs: dict[tuple[str, str], str] = {}
    for shift in dept.shifts:
        for nxt in shift.spec.not_followed_by:
            pairs[(shift.id, nxt)] = f"{nxt} may not follow {shift.id}"
    min_rest = dept.spec.rules.min_rest_hours
    if min_rest:
        for a in dept.shifts:
            for b in dept.shifts:
                rest = a.rest_before(b)
                if rest < min_rest and (a.id, b.id) not in pairs:
                    pairs[(a.id, b.id)] = f"only {rest:g} h rest, {min_rest:g} h needed"
    return pairs


class Succession(Rule):
    id = "R-REST"
    title = "Rest between shifts"

    def __init__(self, pairs: dict[tuple[str, str], str]) -> None:
        self.pairs = pairs

    def build(self, ctx: ModelContext) -> None:
        m = ctx.model
        for pi, sid in enumerate(ctx.staff_ids):
            for di in range(-1, ctx.num_days - 1):
                for a, b in self.pairs:
                    first = ctx.assigned(pi, di, ctx.shift_index[a])
                    second = ctx.x[pi][di + 1][ctx.shift_index[b]]
                    if first is None or (isinstance(first, int) and first == 0):
                        continue
                    if isinstance(first, int):
                        ctx.add_hard(m.add(second == 0), self, sid)
                    else:
                        ctx.add_hard(m.add_bool_or([first.Not(), second.Not()]), self, sid)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        dates = problem.dates
        for sid in problem.staff_ids:
            before = problem.history_shift(sid, 1)
            previous = before if isinstance(before, str) else None
            for day in dates:
                current = roster.shift_on(sid, day)
                if previous and current and (previous, current) in self.pairs:
                    yield self.violation(
                        f"{sid} works {previous} then {current} on {day:%m-%d}: "
                        f"{self.pairs[(previous, current)]}",
                        staff=sid, date=day, shift=current,
                    )
                previous = current

    def describe(self, locale: str = "en") -> str:
        pairs = ", ".join(f"{a}->{b}" for a, b in sorted(self.pairs))
        if locale == "zh":
            return f"相邻两天不得出现以下班次衔接：{pairs}。"
        return f"No one works these shifts on consecutive days: {pairs}."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    pairs = forbidden_pairs(problem)
    if pairs:
        register(Succession(pairs))
