"""R-REST: shifts that may not follow each other on consecutive days.

Two sources, combined: each shift's ``not_followed_by`` list (e.g. no early
after night), and the department's ``min_rest_hours`` between the end of one
shift and the start of the next day's. The day before the horizon comes from
history; without history it counts as a day off (so the first day is free).
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


def forbidden_pairs(problem: Problem) -> dict[tuple[str, str], str]:
    """(earlier shift, next-day shift) -> why it is forbidden."""
    dept = problem.department
    pairs: dict[tuple[str, str], str] = {}
    for shift in dept.shifts:
        for nxt in shift.spec.not_followed_by:
            pairs[(shift.id, nxt)] = f"{nxt} may not follow {shift.id}"
    if dept.spec.rules.forbid_overlap:  # nobody starts a shift before their previous one has ended
        for a in dept.shifts:
            for b in dept.shifts:
                rest = a.rest_before(b)
                if rest < 0 and (a.id, b.id) not in pairs:
                    pairs[(a.id, b.id)] = f"the shifts overlap by {-rest:g} h"
    min_rest = dept.spec.rules.min_rest_hours
    if min_rest:
        for a in dept.shifts:
            for b in dept.shifts:
                rest = a.rest_before(b)
                if rest < min_rest and (a.id, b.id) not in pairs:
                    pairs[(a.id, b.id)] = (
                        f"only {rest:g} h rest, {min_rest:g} h needed" if rest >= 0
                        else f"the shifts overlap by {-rest:g} h"
                    )
    return pairs


class Succession(Rule):
    id = "R-REST"
    title = "Rest between shifts"
    personal = True

    def __init__(self, pairs: dict[tuple[str, str], str]) -> None:
        self.pairs = pairs

    def groups(self) -> list[tuple[list[str], list[str]]]:
        """Earlier shifts grouped by the set of shifts that may not follow them."""
        by_first: dict[str, set[str]] = {}
        for a, b in self.pairs:
            by_first.setdefault(a, set()).add(b)
        grouped: dict[frozenset[str], list[str]] = {}
        for a, following in by_first.items():
            grouped.setdefault(frozenset(following), []).append(a)
        return [(sorted(firsts), sorted(following)) for following, firsts in grouped.items()]

    def build(self, ctx: ModelContext) -> None:
        """One at-most-one per group, person and day: valid since a person works one shift a day.

        (A pairwise clause per forbidden pair would cost up to |pairs| constraints per
        person and day: 25 M on Curtois–Qu Instance 24, against 0.4 M grouped.)
        """
        m = ctx.model
        groups = [
            ([ctx.shift_index[a] for a in firsts], [ctx.shift_index[b] for b in following])
            for firsts, following in self.groups()
        ]
        for pi, sid in enumerate(ctx.staff_ids):
            for firsts, following in groups:
                for di in range(-1, ctx.num_days - 1):
                    nxt = [ctx.x[pi][di + 1][b] for b in following]
                    if di < 0:
                        before = [ctx.assigned(pi, di, a) for a in firsts]
                        if any(isinstance(v, int) and v == 1 for v in before):
                            for var in nxt:
                                ctx.add_hard(m.add(var == 0), self, sid)
                        continue
                    lits = [ctx.x[pi][di][a] for a in firsts] + nxt
                    if ctx.explain:
                        ctx.add_hard(m.add(sum(lits) <= 1), self, sid)
                    else:
                        m.add_at_most_one(lits)

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
