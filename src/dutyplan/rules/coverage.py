"""R-COVER: enough people on every shift of every day, by day type, and by skill.

``min`` and ``max`` are hard; ``preferred`` is a soft target: each person short
costs ``under_weight`` and each person above it ``over_weight`` (the Curtois–Qu
cover semantics when ``min`` is 0).
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

    def build(self, ctx: ModelContext) -> None:
        m, problem = ctx.model, ctx.problem
        for si, shift in enumerate(ctx.shift_ids):
            for di, day in enumerate(ctx.dates):
                need = problem.cover_need(shift, di)
                people = [ctx.x[pi][di][si] for pi in range(ctx.num_staff)]
                count = sum(people)
                scope = f"{shift} {day:%m-%d}"
                if need.min > 0:
                    ctx.add_hard(m.add(count >= need.min), self, scope)
                if need.max is not None:
                    ctx.add_hard(m.add(count <= need.max), self, scope)
                if need.preferred > need.min and need.under_weight:
                    # Exactly max(0, preferred - count), so a time-limited roster's penalty is its true cost.
                    short = m.new_int_var(0, need.preferred, f"short[{shift},{day:%m-%d}]")
                    m.add_max_equality(short, [0, need.preferred - count])
                    ctx.add_penalty(self, short, need.under_weight, f"{shift} {day:%m-%d} short")
                if need.over_weight:
                    top = ctx.num_staff  # not need.max: the maximum is R-COVER's hard part, via add_hard
                    if top > need.preferred:
                        extra = m.new_int_var(0, top - need.preferred, f"extra[{shift},{day:%m-%d}]")
                        m.add_max_equality(extra, [0, count - need.preferred])
                        ctx.add_penalty(self, extra, need.over_weight, f"{shift} {day:%m-%d} over")

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

    def __init__(self, shift: str, skill: str, minimum: int, day_types: list[str]) -> None:
        self.shift, self.skill, self.minimum, self.day_types = shift, skill, minimum, set(day_types)

    @property
    def key(self) -> str:
        return f"R-COVER/{self.shift}/{self.skill}"

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
        for sc in shift.spec.skill_cover:
            register(SkillCover(shift.id, sc.skill, sc.min, list(sc.day_types)))
