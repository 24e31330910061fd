"""R-3SHIFT / R-ONE-SHIFT: a person works at most one shift a day.

The model enforces this structurally (``work[p, d]`` is the sum of the day's
shift variables and is boolean), so :meth:`OneShiftPerDay.build` adds nothing;
the rule exists so that ``check`` catches a roster from elsewhere (a CSV) that
gives someone two shifts on one day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from dutyplan.model.context import ModelContext


class OneShiftPerDay(Rule):
    id = "R-ONE-SHIFT"
    title = "One shift a day"
    personal = True

    def build(self, ctx: ModelContext) -> None:
        """Nothing to add: the context's ``work`` variables already allow one shift a day."""

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        cells: dict[tuple[str, dt.date], list[str]] = {}
        for a in roster.assignments:
            cells.setdefault((a.staff, a.date), []).append(a.shift)
        for (staff, day), shifts in sorted(cells.items()):
            if len(shifts) > 1:
                yield self.violation(
                    f"{staff} has {len(shifts)} shifts on {day:%m-%d} ({', '.join(shifts)}); at most one a day",
                    staff=staff, date=day,
                )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return "每人每天最多一个班次。"
        return "Each person works at most one shift a day."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    register(OneShiftPerDay())

