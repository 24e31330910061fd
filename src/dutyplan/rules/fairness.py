"""R-FAIR: nights, rest-day shifts, holiday shifts and total shifts spread evenly.

Measure: for each category, the gap between the most and the least loaded
person in the pool (max minus min of their counts), each unit of gap costing
the category's weight. Counts include the running totals from history, so
whoever worked many nights last month is first in line for fewer this month.
The pool is everyone who may work a shift of the category and is available on
at least one day of the horizon, except people marked ``fairness = false``
(part-timers, whose smaller counts are by contract, not by unfairness).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.calendar import REST_DAY_TYPES
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from dutyplan.model.context import ModelContext

CATEGORIES = {
    "nights": ("night shifts", "夜班"),
    "weekends": ("rest-day shifts", "周末/休息日班次"),
    "holidays": ("statutory-holiday shifts", "法定节假日班次"),
    "shifts": ("shifts", "班次总数"),
}


@dataclass(frozen=True)
class Category:
    name: str
    shifts: frozenset[str]
    days: frozenset[dt.date]


def categories(problem: Problem) -> list[Category]:
    cal = problem.horizon.calendar
    all_shifts = frozenset(problem.shift_ids)
    all_days = frozenset(c.date for c in cal)
    return [
        Category("nights", frozenset(s.id for s in problem.department.shifts if s.is_night), all_days),
        Category("weekends", all_shifts, frozenset(c.date for c in cal if c.type in REST_DAY_TYPES)),
        Category("holidays", all_shifts, frozenset(c.date for c in cal if c.type == "holiday")),
        Category("shifts", all_shifts, all_days),
    ]


class Fairness(Rule):
    id = "R-FAIR"
    title = "Fair shares"
    hard = False

    def __init__(self, category: Category, weight: int, pool: list[str], base: dict[str, int]) -> None:
        self.category, self.weight, self.pool, self.base = category, weight, pool, base

    @property
    def key(self) -> str:
        return f"R-FAIR/{self.category.name}"

    def build(self, ctx: ModelContext) -> None:
        m = ctx.model
        cat = self.category
        shift_idx = [ctx.shift_index[s] for s in cat.shifts]
        day_idx = [i for i, d in enumerate(ctx.dates) if d in cat.days]
        counts = []
        top = max(self.base.values(), default=0) + len(day_idx)
        for sid in self.pool:
            pi = ctx.staff_index[sid]
            if len(shift_idx) == ctx.num_shifts:
                expr = sum(ctx.work[pi][di] for di in day_idx)
            else:
                expr = sum(ctx.x[pi][di][si] for di in day_idx for si in shift_idx)
            count = m.new_int_var(0, top, f"{cat.name}[{sid}]")
            m.add(count == expr + self.base.get(sid, 0))
            counts.append(count)
        high = m.new_int_var(0, top, f"max_{cat.name}")
        low = m.new_int_var(0, top, f"min_{cat.name}")
        m.add_max_equality(high, counts)
        m.add_min_equality(low, counts)
        # Redundant, for a stronger bound: the largest count is at least the average, the smallest at most.
        m.add(len(counts) * high >= sum(counts))
        m.add(len(counts) * low <= sum(counts))
        ctx.add_penalty(self, high - low, self.weight, f"{cat.name} spread")
        self._parity_cut(ctx, high - low, shift_idx, day_idx)

    def _parity_cut(
        self, ctx: ModelContext, spread: cp_model.LinearExpr, shift_idx: list[int], day_idx: list[int]
    ) -> None:
        """Redundant, for a stronger bound: an uneven total cannot be spread evenly for free.

        The pool's counts add up to ``T = base + preferred cover + over - under - (category shifts
        of people outside the pool)``, when every shift-day of the category measures its distance
        to the preferred head count exactly (R-COVER's under/over terms, see ``coverage.Slack``).
        Let ``P = base + preferred`` and ``d`` its distance to the nearest multiple of the pool
        size ``n``. If ``d > 0``, either ``T`` is not a multiple of ``n`` (then someone has one more
        than someone else: spread >= 1) or ``T`` differs from ``P`` by at least ``d`` (then the
        under, over and outside terms add up to at least ``d``). So
        ``d * spread + under + over + outside >= d``.
        The LP relaxation cannot see this integer argument; without the cut the bound stays at 0
        for every spread term while the best roster pays each of them. (With ``1`` instead of
        ``d`` one extra person on a holiday night would satisfy the night, holiday and shift cuts
        at once in the LP.)
        """
        from dutyplan.rules.coverage import SLACK, Slack

        slack: dict[tuple[int, int], Slack] | None = ctx.stash.get(SLACK)
        if slack is None:
            return
        cells = [slack[(si, di)] for si in shift_idx for di in day_idx]
        if not cells or not all(c.exact for c in cells):
            return
        total = sum(c.preferred for c in cells) + sum(self.base.get(sid, 0) for sid in self.pool)
        n = len(self.pool)
        distance = min(total % n, n - total % n)
        if distance == 0:
            return
        in_pool = {ctx.staff_index[sid] for sid in self.pool}
        shifts = {ctx.shift_ids[si] for si in shift_idx}
        outside: list[cp_model.IntVar] = []
        for pi, person in enumerate(ctx.problem.department.staff):
            barred = {s for s, limit in person.max_per_shift.items() if limit == 0}
            if pi not in in_pool and not shifts <= barred:
                outside += [ctx.x[pi][di][si] for di in day_idx for si in shift_idx]
        terms = [c.short for c in cells if c.short is not None] + [c.extra for c in cells if c.extra is not None]
        from ortools.sat.python import cp_model as cp

        slack_sum = cp.LinearExpr.sum([*terms, *outside])
        ctx.model.add(distance * spread + slack_sum >= distance)

    def counts(self, roster: Roster) -> dict[str, int]:
        cat = self.category
        result = {sid: self.base.get(sid, 0) for sid in self.pool}
        for a in roster.assignments:
            if a.staff in result and a.date in cat.days and a.shift in cat.shifts:
                result[a.staff] += 1
        return result

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        counts = self.counts(roster)
        high, low = max(counts.values()), min(counts.values())
        if high > low:
            most = [s for s, c in counts.items() if c == high]
            least = [s for s, c in counts.items() if c == low]
            label = CATEGORIES[self.category.name][0]
            yield self.violation(
                f"{label} range from {low} ({', '.join(least[:3])}) to {high} ({', '.join(most[:3])})",
                cost=(high - low) * self.weight, severity="soft",
            )

    def describe(self, locale: str = "en") -> str:
        en, zh = CATEGORIES[self.category.name]
        if locale == "zh":
            return f"{zh}在 {len(self.pool)} 人中尽量平均（最多与最少之差每 1 次计 {self.weight} 分，含历史累计）。"
        return (
            f"Spread {en} evenly over {len(self.pool)} people: each unit between the most and the "
            f"least loaded costs {self.weight} (running totals from history included)."
        )


@dataclass(frozen=True)
class Share:
    """One category's fair-share setting for a problem: who shares it, at what weight, from what base."""

    category: Category
    weight: int
    pool: list[str]
    base: dict[str, int]


def shares(problem: Problem) -> list[Share]:
    """The categories R-FAIR weighs for ``problem`` (weight set, two or more people to share them).

    The pool is everyone who may work a shift of the category and is available on at least one day
    of the horizon, except people marked ``fairness = false``. Used by the rule and by the greedy
    start's balancing pass (model/balance.py), so both weigh the same thing.
    """
    weights = problem.department.spec.weights
    result = []
    for cat in categories(problem):
        weight = getattr(weights, f"fair_{cat.name}")
        if not weight or not cat.shifts or not cat.days:
            continue
        pool = []
        for person in problem.department.staff:
            if not person.fairness:
                continue
            barred = {s for s, limit in person.max_per_shift.items() if limit == 0}
            available = any(
                problem.unavailable_reason(person, i) is None for i in range(problem.horizon.days)
            )
            if available and cat.shifts - barred:
                pool.append(person.id)
        if len(pool) < 2:
            continue
        base = {sid: getattr(problem.counts[sid], cat.name) for sid in pool if sid in problem.counts}
        result.append(Share(cat, weight, pool, base))
    return result


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    for share in shares(problem):
        register(Fairness(share.category, share.weight, share.pool, share.base))
