"""R-COVER: enough people on every shift of every day, by day type, and by skill.

``min`` and ``max`` are hard; ``preferred`` is a soft target: each person short
costs ``under_weight`` and each person above it ``over_weight`` (the Curtois–Qu
cover semantics when ``min`` is 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from dutyplan.model.context import ModelContext

SLACK = "R-COVER/slack"
"""``ctx.stash`` key: ``(shift index, day index) -> Slack`` for every shift-day, set by ShiftCover.prepare."""


@dataclass(frozen=True)
class Slack:
    """How far a shift-day's head count is from its preferred count, as model variables.

    ``exact`` says the head count is always ``preferred + extra - short`` (absent variables are 0):
    below and above the preferred count are each either impossible or measured exactly.
    """

    preferred: int
    short: cp_model.IntVar | None
    extra: cp_model.IntVar | None
    exact: bool


def _headcount(roster: Roster) -> dict[tuple[object, str], list[str]]:
    on: dict[tuple[object, str], list[str]] = {}
    for a in roster.assignments:
        on.setdefault((a.date, a.shift), []).append(a.staff)
    return on


class ShiftCover(Rule):
    """Head count per shift and day: hard min/max, soft preferred."""

    id = "R-COVER"
    title = "Shift coverage"

    def __init__(self, problem: Problem) -> None:
        needs = [
            problem.cover_need(s, d) for s in problem.shift_ids for d in range(problem.horizon.days)
        ]
        self.hard = any(n.min > 0 or n.max is not None for n in needs)

    def prepare(self, ctx: ModelContext) -> None:
        """Create the under/over variables per shift-day and share them (``cover_slack``) before any build.

        R-FAIR reads them for its redundant parity cut (see :mod:`dutyplan.rules.fairness`).
        """
        m, problem = ctx.model, ctx.problem
        slack: dict[tuple[int, int], Slack] = {}
        for si, shift in enumerate(ctx.shift_ids):
            for di, day in enumerate(ctx.dates):
                need = problem.cover_need(shift, di)
                short = extra = None
                if need.preferred > need.min and need.under_weight:
                    short = m.new_int_var(0, need.preferred, f"short[{shift},{day:%m-%d}]")
                top = ctx.num_staff  # not need.max: the maximum is R-COVER's hard part, via add_hard
                if need.over_weight and top > need.preferred:
                    extra = m.new_int_var(0, top - need.preferred, f"extra[{shift},{day:%m-%d}]")
                below = short is not None or need.preferred <= need.min
                above = extra is not None or (need.max is not None and need.max <= need.preferred)
                slack[(si, di)] = Slack(need.preferred, short, extra, below and above)
        ctx.stash[SLACK] = slack

    def build(self, ctx: ModelContext) -> None:
        from ortools.sat.python import cp_model

        m, problem = ctx.model, ctx.problem
        slack: dict[tuple[int, int], Slack] = ctx.stash[SLACK]
        for si, shift in enumerate(ctx.shift_ids):
            for di, day in enumerate(ctx.dates):
                need = problem.cover_need(shift, di)
                count = cp_model.LinearExpr.sum([ctx.x[pi][di][si] for pi in range(ctx.num_staff)])
                scope = f"{shift} {day:%m-%d}"
                if need.min > 0:
                    ctx.add_hard(m.add(count >= need.min), self, scope)
                if need.max is not None:
                    ctx.add_hard(m.add(count <= need.max), self, scope)
                s = slack[(si, di)]
                # Exactly max(0, preferred - count) and max(0, count - preferred), so a time-limited
                # roster's penalty is its true cost.
                if s.short is not None:
                    m.add_max_equality(s.short, [0, need.preferred - count])
                    ctx.add_penalty(self, s.short, need.under_weight, f"{shift} {day:%m-%d} short")
                if s.extra is not None:
                    m.add_max_equality(s.extra, [0, count - need.preferred])
                    ctx.add_penalty(self, s.extra, need.over_weight, f"{shift} {day:%m-%d} over")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        on = _headcount(roster)
        for shift in problem.shift_ids:
            for di, day in enumerate(problem.dates):
                need = problem.cover_need(shift, di)
                n = len(on.get((day, shift), []))
                if n < need.min:
                    yield self.violation(
                        f"{shift} on {day:%m-%d} has {n} people, at least {need.min} needed",
                        date=day, shift=shift, severity="hard",
                    )
                if need.max is not None and n > need.max:
                    yield self.violation(
                        f"{shift} on {day:%m-%d} has {n} people, at most {need.max} allowed",
                        date=day, shift=shift, severity="hard",
                    )
                if n < need.preferred and need.under_weight:
                    short = need.preferred - max(n, need.min)
                    if short > 0:
                        yield self.violation(
                            f"{shift} on {day:%m-%d} is {short} short of the preferred {need.preferred}",
                            date=day, shift=shift, severity="soft", cost=short * need.under_weight,
                        )
                if n > need.preferred and need.over_weight:
                    extra = min(n, need.max if need.max is not None else n) - need.preferred
                    if extra > 0:
                        yield self.violation(
                            f"{shift} on {day:%m-%d} has {extra} more than the preferred {need.preferred}",
                            date=day, shift=shift, severity="soft", cost=extra * need.over_weight,
                        )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return "每个班次每天的在岗人数不少于最低要求（硬性），尽量达到期望人数（缺一人或多一人都计罚分）。"
        return (
            "Every shift of every day has at least its minimum and at most its maximum head count "
            "(hard), and as close as possible to the preferred count (soft, per person short or over)."
        )


class SkillCover(Rule):
    """At least N people with a skill on a shift (e.g. a key holder on early and night)."""

    id = "R-COVER"
    title = "Skill coverage"

    def __init__(self, shift: str, skill: str, minimum: int, day_types: list[str], index: int = 0) -> None:
        self.shift, self.skill, self.minimum, self.day_types = shift, skill, minimum, set(day_types)
        self.index = index

    @property
    def key(self) -> str:
        """``R-COVER/early/key_holder``; a second entry for the same skill (other day types) gets ``/2``."""
        suffix = f"/{self.index + 1}" if self.index else ""
        return f"R-COVER/{self.shift}/{self.skill}{suffix}"

    def _days(self, problem: Problem) -> list[int]:
        return [i for i, c in enumerate(problem.horizon.calendar) if c.type in self.day_types]

    def _skilled(self, problem: Problem) -> list[str]:
        return [p.id for p in problem.department.staff if self.skill in p.skills]

    def build(self, ctx: ModelContext) -> None:
        si = ctx.shift_index[self.shift]
        skilled = [ctx.staff_index[s] for s in self._skilled(ctx.problem)]
        for di in self._days(ctx.problem):
            ct = ctx.model.add(sum(ctx.x[pi][di][si] for pi in skilled) >= self.minimum)
            ctx.add_hard(ct, self, f"{ctx.dates[di]:%m-%d}")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        skilled = set(self._skilled(problem))
        on = _headcount(roster)
        for di in self._days(problem):
            day = problem.dates[di]
            n = sum(1 for s in on.get((day, self.shift), []) if s in skilled)
            if n < self.minimum:
                yield self.violation(
                    f"{self.shift} on {day:%m-%d} has {n} {self.skill}, at least {self.minimum} needed",
                    date=day, shift=self.shift,
                )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return f"{self.shift} 班每天至少 {self.minimum} 名具备 {self.skill} 的人员。"
        return f"At least {self.minimum} {self.skill} on every {self.shift} shift."


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    register(ShiftCover(problem))
    for shift in problem.department.shifts:
        seen: dict[str, int] = {}
        for sc in shift.spec.skill_cover:
            seen[sc.skill] = seen.get(sc.skill, -1) + 1
            register(SkillCover(shift.id, sc.skill, sc.min, list(sc.day_types), seen[sc.skill]))
