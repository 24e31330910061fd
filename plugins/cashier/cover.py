"""Coverage over time rather than per shift: the till demand curve (R-COVER) and the gift store pair.

The day's demand (``[[cashier.demand]]``: 2 tills 09:00-11:00, 5 tills
17:00-20:00 at weekends...) is cut into pieces at every demand change, shift
start or end (each part of a split shift) and meal-window edge. On a piece the
same shift instances are on, each in its meal window or not, so "at least
``level`` people with the skill at the tills" is one linear constraint over
the head counts of those instances:

* an instance outside its meal window brings everyone with the skill on it;
* an instance inside its meal window brings what the core meal feature
  guarantees (``min_at_post`` people with the meal's skill stay at the post:
  R-MEAL), counted when that skill is the one needed here, else nothing.

The checker walks the same pieces with the roster's actual meal plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from dutyplan.domain import Problem
from dutyplan.features.meals import meal_plan, parse_span
from dutyplan.features.meals import settings_of as meal_settings_of
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

from .line import DAY, Instance, Line, cut
from .settings import CashierSettings, GiftStore


def skilled(problem: Problem, skill: str | None) -> list[str]:
    return [p.id for p in problem.department.staff if skill is None or skill in p.skills]


class LevelCover(Rule):
    """At least ``level`` people with ``skill`` on shift at every minute of each demand piece."""

    id = "R-COVER"
    title = "Coverage over time"
    what = "people"

    def __init__(self, line: Line, skill: str | None, levels: list[tuple[int, int, int]]) -> None:
        self.line, self.skill, self.levels = line, skill, levels
        self.staff = skilled(line.problem, skill)

    def meal_share(self, shift: str) -> int:
        spec = self.line.meals.get(shift)
        if spec is None:
            return 0
        return spec.min_at_post if self.skill is None or spec.skill == self.skill else 0

    def pieces(self) -> Iterator[tuple[int, int, int, list[tuple[Instance, bool]]]]:
        line = self.line
        for t0, t1, level in cut(self.levels, line.boundaries()):
            yield t0, t1, level, [(i, line.in_meal_window(i, t0, t1)) for i in line.covering(t0, t1)]

    def shortfall(self) -> tuple[int, int, int] | None:
        """The first piece no roster can staff (nobody on, or too few people with the skill): a file error."""
        for t0, t1, level, on in self.pieces():
            if not on or level > len(self.staff):
                return t0, t1, level
        return None

    def build(self, ctx: ModelContext) -> None:
        people = [ctx.staff_index[s] for s in self.staff]
        seen: set[tuple[int, frozenset[tuple[int, str, bool]]]] = set()
        for t0, t1, level, on in self.pieces():
            if not all(self.line.judged(i) for i, _meal in on):
                continue
            signature = (level, frozenset((i.day, i.shift, meal) for i, meal in on))
            if signature in seen:
                continue
            seen.add(signature)
            fixed = sum(self.meal_share(i.shift) for i, meal in on if meal)
            there = [ctx.x[pi][i.day][ctx.shift_index[i.shift]] for i, meal in on if not meal for pi in people]
            if fixed >= level:
                continue
            scope = f"{self.line.moment(t0)}-{self.line.clock(t1)}"
            ctx.add_hard(ctx.model.add(sum(there) >= level - fixed), self, scope)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        line = self.line
        staff = set(self.staff)
        eating = meals_on_line(roster, problem, line)
        points = line.boundaries() + [p for span in eating.values() for p in span]
        short: list[tuple[int, int, int, int]] = []
        for t0, t1, level in cut(self.levels, points):
            on = line.covering(t0, t1)
            if not all(line.judged(i) for i in on):
                continue
            present = sum(
                1 for i in on for sid in roster.on(line.date(i.day), i.shift)
                if sid in staff and not _eats(eating.get((i.day, i.shift, sid)), t0, t1)
            )
            if present >= level:
                continue
            if short and short[-1][1] == t0 and short[-1][3] == level:
                first = short.pop()
                short.append((first[0], t1, min(first[2], present), level))
            else:
                short.append((t0, t1, present, level))
        for t0, t1, present, level in short:
            yield self.violation(self.message(line.moment(t0), line.clock(t1), present, level),
                                 date=line.date(t0 // DAY))

    def message(self, start: str, end: str, present: int, level: int) -> str:
        return f"{present} {self.skill or self.what} on shift at {start}-{end}, at least {level} needed"

    def describe(self, locale: str = "en") -> str:
        return self.title


def _eats(meal: tuple[int, int] | None, t0: int, t1: int) -> bool:
    return meal is not None and meal[0] <= t0 and t1 <= meal[1]


def meals_on_line(roster: Roster, problem: Problem, line: Line) -> dict[tuple[int, str, str], tuple[int, int]]:
    """Each person's meal on the line, from the roster's meal plan (or the one R-MEAL would make)."""
    settings = meal_settings_of(problem)
    if settings is None or not settings.shifts:
        return {}
    plan = meal_plan(roster, problem, settings)
    result = {}
    for inst in line.instances:
        if inst.shift not in settings.shifts or not line.judged(inst):
            continue
        date = line.date(inst.day)
        day_plan = plan.get(f"{date:%Y-%m-%d}", {})
        for sid in roster.on(date, inst.shift):
            try:
                a, b = parse_span(str(day_plan[sid]))
            except (KeyError, ValueError):
                continue  # R-MEAL reports a missing or malformed meal
            if a < line.begin[inst.shift]:
                a, b = a + DAY, b + DAY
            result[(inst.day, inst.shift, sid)] = (inst.day * DAY + a, inst.day * DAY + b)
    return result


class TillCover(LevelCover):
    """R-COVER: enough cashiers at the tills at every minute, following the hourly demand curve."""

    title = "Till demand curve"
    what = "cashiers"

    def __init__(self, line: Line, settings: CashierSettings) -> None:
        entries = [(d.days, d.hours, d.tills) for d in settings.demand]
        super().__init__(line, settings.skill, line.levels(entries))

    @property
    def key(self) -> str:
        return "R-COVER/tills"

    def message(self, start: str, end: str, present: int, level: int) -> str:
        return f"{present} {self.skill or 'cashiers'} at the tills at {start}-{end}, {level} tills to staff"

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return "收银台按营业时段的客流需求安排收银员：每个时段在岗人数不少于需开的收银台数（含用餐时间）。"
        return "At every minute the tills the hourly demand curve asks for are staffed, meal breaks included."


class GiftStorePair(LevelCover):
    """X-TWO-PERSON: the gift store is opened only with two authorised people there (两人同时进出)."""

    id = "X-TWO-PERSON"
    title = "Gift store opened by two"

    def __init__(self, line: Line, store: GiftStore) -> None:
        self.store = store
        super().__init__(line, store.skill, line.levels([(store.days, w, store.people) for w in store.windows]))

    def message(self, start: str, end: str, present: int, level: int) -> str:
        who = f"{self.skill} people" if self.skill else "people"
        return f"gift store window {start}-{end} has {present} {who} on shift, {level} must enter together"

    def describe(self, locale: str = "en") -> str:
        windows = ", ".join(self.store.windows)
        if locale == "zh":
            return f"赠品库在 {windows} 开库时至少 {self.store.people} 名授权人员同时在岗（两人同时进出）。"
        return f"While the gift store is open ({windows}) at least {self.store.people} authorised people are on."
