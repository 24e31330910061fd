"""R-MAX-WEEKENDS: at most N weekends worked in the horizon.

A weekend (Saturday and Sunday) counts as worked when the person works on
either day; weekends cut by the horizon's edges count with the days inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.calendar import weekends
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from dutyplan.model.context import ModelContext


class MaxWeekends(Rule):
    id = "R-MAX-WEEKENDS"
    title = "Maximum weekends worked"
    personal = True

    def __init__(self, limits: dict[str, int]) -> None:
        self.limits = limits

    def build(self, ctx: ModelContext) -> None:
        m = ctx.model
        groups = weekends(ctx.dates)
        for sid, limit in self.limits.items():
            if limit >= len(groups):
                continue
            pi = ctx.staff_index[sid]
            worked = []
            for saturday, days in groups.items():
                if len(days) == 1:
                    worked.append(ctx.work[pi][days[0]])
                    continue
                w = m.new_bool_var(f"weekend[{sid},{saturday:%m-%d}]")
                m.add_max_equality(w, [ctx.work[pi][d] for d in days])
                worked.append(w)
            ctx.add_hard(m.add(sum(worked) <= limit), self, sid)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        groups = weekends(problem.dates)
        dates = problem.dates
        for sid, limit in self.limits.items():
            worked = [
                sat for sat, days in groups.items() if any(roster.shifts_on(sid, dates[d]) for d in days)
            ]
            if len(worked) > limit:
                # Dated on a day worked in the first weekend over the limit: its Saturday may lie
                # before the horizon (or be a day off), when the horizon starts on a Sunday.
                first = next(dates[d] for d in groups[worked[limit]] if roster.shifts_on(sid, dates[d]))
                yield self.violation(
                    f"{sid} works {len(worked)} weekends ({', '.join(f'{s:%m-%d}' for s in worked)}), "
                    f"at most {limit}",
                    staff=sid, date=first,
                )

    def describe(self, locale: str = "en") -> str:
        limit = "/".join(str(v) for v in sorted(set(self.limits.values())))
        if locale == "zh":
            return f"每人在本期内最多上 {limit} 个周末（周六或周日上班即算）。"
        return f"Each person works at most {limit} weekends (a weekend counts if either day is worked)."


def weekend_limits(problem: Problem) -> dict[str, int]:
    """Each person's maximum of weekends: their own, else the department's (no entry without either)."""
    default = problem.department.spec.rules.max_weekends
    limits = {}
    for person in problem.department.staff:
        value = person.max_weekends if person.max_weekends is not None else default
        if value is not None:
            limits[person.id] = value
    return limits


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    if limits := weekend_limits(problem):
        register(MaxWeekends(limits))
