"""Staggered meal breaks that never empty the desk (R-MEAL, R-COVER).

Each shift type may declare meal windows (``[meals.early] windows = ["11:00-13:30"]``),
a meal length (at most 35 minutes, R-MEAL), a start-time grid, how many people
with a skill must stay at the post at every minute (``min_at_post``, R-COVER:
总台不得无人接待) and how many may be away at once (``max_away``).

Why the roster model needs no meal variables (a proven-sound decomposition):
meals on one shift-day are intervals of equal length whose starts lie on a
grid inside the windows. A set of intervals in which at most ``c`` overlap at
any moment splits into ``c`` "lanes" of disjoint intervals (interval graphs are
perfect), and one lane holds at most ``cap`` meals, the number that fit back to
back on the grid. So with ``n_s`` skilled people among ``n`` on the shift, a meal
plan exists exactly when ``n_s >= N`` (the post is staffed), ``n_s <= (n_s - N)
* cap`` (at most ``n_s - N`` skilled may eat at once), and ``n_s, n <= K * cap``
(at most ``K`` away). These are linear in the head counts, so the roster stage
plans enough people for meals, and the meal plan itself is then built lane by
lane without a solver. A shift-day where no plan can exist is an infeasibility
naming the shift and the day.

The roster carries the plan in ``roster.extras["meals"]``:
``{"2027-01-05": {"E01": "11:00-11:35", ...}}``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dutyplan import hookimpl
from dutyplan.domain import Problem, Shift
from dutyplan.errors import InputError
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from dutyplan.model.context import ModelContext

SECTION = "meals"
MAX_MEAL_MINUTES = 35
"""R-MEAL: a meal break lasts at most 35 minutes (第2篇 四.7)."""

_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _minutes(hour: str, minute: str) -> int:
    h, m = int(hour), int(minute)
    if h > 24 or m > 59:
        raise ValueError(f"{hour}:{minute} is not a time of day")
    return h * 60 + m


def parse_span(text: str) -> tuple[int, int]:
    """``"11:00-13:30"`` -> (660, 810) minutes after midnight; the end may pass midnight."""
    match = _SPAN.match(text.strip())
    if not match:
        raise ValueError(f"expected a span like '11:00-13:30', found {text!r}")
    start, end = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
    if end <= start:
        end += 24 * 60
    return start, end


def fmt(minute: int) -> str:
    minute %= 24 * 60
    return f"{minute // 60:02d}:{minute % 60:02d}"


class MealSpec(BaseModel):
    """``[meals.<shift id>]``: when and how the people on that shift eat."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    windows: list[str] = Field(min_length=1)
    minutes: int = Field(default=MAX_MEAL_MINUTES, ge=5, le=MAX_MEAL_MINUTES)
    grid: int = Field(default=15, ge=1, le=60)
    min_at_post: int = Field(default=1, ge=0)
    skill: str | None = None
    max_away: int | None = Field(default=None, ge=1)

    @field_validator("windows")
    @classmethod
    def _spans(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_span(text)
        return value

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: int) -> int:
        if 60 % value:
            raise ValueError(f"grid must divide an hour (5, 10, 15, 30...), found {value}")
        return value

    @model_validator(mode="after")
    def _fits(self) -> MealSpec:
        spans = sorted(map(parse_span, self.windows))
        if all(end - start < self.minutes for start, end in spans):
            raise ValueError(f"no window is long enough for a {self.minutes}-minute meal")
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start < end:  # overlapping windows would count one stretch of time twice (see slots)
                raise ValueError(f"meal windows overlap ({fmt(start)} starts before {fmt(end)}); "
                                 "merge them into one window")
        return self


class MealSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    shifts: dict[str, MealSpec] = Field(default_factory=dict)


def slots(spec: MealSpec, shift: Shift) -> list[int]:
    """Meal start minutes (after the shift day's midnight), back to back on the grid, window by window."""
    step = math.ceil(spec.minutes / spec.grid) * spec.grid
    shift_start = shift.start.hour * 60 + shift.start.minute
    result: list[int] = []
    for text in spec.windows:
        start, end = parse_span(text)
        if start < shift_start:  # a window after midnight belongs to a night shift's second day
            start, end = start + 24 * 60, end + 24 * 60
        first = math.ceil(start / spec.grid) * spec.grid
        result.extend(range(first, end - spec.minutes + 1, step))
    return result


def _skilled(problem: Problem, spec: MealSpec) -> set[str]:
    return {p.id for p in problem.department.staff if spec.skill is None or spec.skill in p.skills}


def plan_meals(roster: Roster, problem: Problem, settings: MealSettings) -> dict[str, dict[str, str]]:
    """A meal slot for everyone on a shift with meal windows, staggered lane by lane (see module doc)."""
    shifts = problem.department.shift_by_id
    plan: dict[str, dict[str, str]] = {}
    for shift_id, spec in settings.shifts.items():
        starts = slots(spec, shifts[shift_id])
        skilled = _skilled(problem, spec)
        for day in problem.dates:
            people = roster.on(day, shift_id)
            ordered = [p for p in people if p in skilled] + [p for p in people if p not in skilled]
            load = [0] * len(starts)
            day_plan = plan.setdefault(f"{day:%Y-%m-%d}", {})
            for i, sid in enumerate(ordered):
                # Skilled people go round-robin over the slots (fewest away at once), the rest to the emptiest.
                k = i % len(starts) if sid in skilled else min(range(len(starts)), key=lambda j: (load[j], j))
                load[k] += 1
                day_plan[sid] = f"{fmt(starts[k])}-{fmt(starts[k] + spec.minutes)}"
    return {day: people for day, people in plan.items() if people}


def meal_plan(roster: Roster, problem: Problem, settings: MealSettings) -> dict[str, dict[str, str]]:
    """The roster's meal plan, or the one planning would make when it carries none (a roster from a CSV)."""
    plan = roster.extras.get(SECTION)
    return plan if isinstance(plan, dict) else plan_meals(roster, problem, settings)


class MealBreaks(Rule):
    """R-MEAL: every person on the shift eats once, in a window, within the limit, never emptying the post."""

    id = "R-MEAL"
    title = "Staggered meal breaks"

    def __init__(self, settings: MealSettings) -> None:
        self.settings = settings

    def build(self, ctx: ModelContext) -> None:
        m, problem = ctx.model, ctx.problem
        for shift_id, spec in self.settings.shifts.items():
            si = ctx.shift_index[shift_id]
            cap = len(slots(spec, problem.department.shift_by_id[shift_id]))
            skilled = [ctx.staff_index[s] for s in problem.staff_ids if s in _skilled(problem, spec)]
            for di, day in enumerate(ctx.dates):
                n_s = sum(ctx.x[pi][di][si] for pi in skilled)
                n = sum(ctx.x[pi][di][si] for pi in range(ctx.num_staff))
                scope = f"{shift_id} {day:%m-%d}"
                if spec.min_at_post:
                    ctx.add_hard(m.add(n_s >= spec.min_at_post), self, scope)
                    ctx.add_hard(m.add((cap - 1) * n_s >= spec.min_at_post * cap), self, scope)
                if spec.max_away is not None:
                    ctx.add_hard(m.add(n <= spec.max_away * cap), self, scope)

    def extract(self, ctx: ModelContext, solver: cp_model.CpSolver, roster: Roster) -> None:
        roster.extras[SECTION] = plan_meals(roster, ctx.problem, self.settings)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        plan = meal_plan(roster, problem, self.settings)
        shifts = problem.department.shift_by_id
        for shift_id, spec in self.settings.shifts.items():
            shift = shifts[shift_id]
            skilled = _skilled(problem, spec)
            for day in problem.dates:
                people = roster.on(day, shift_id)
                day_plan = plan.get(f"{day:%Y-%m-%d}", {})
                meals: dict[str, tuple[int, int]] = {}
                for sid in people:
                    span = day_plan.get(sid)
                    if span is None:
                        yield self.violation(f"{sid} has no meal slot on {shift_id} {day:%m-%d}", staff=sid, date=day)
                        continue
                    try:
                        start, end = parse_span(span)
                    except ValueError:
                        yield self.violation(f"{sid}'s meal {span!r} on {day:%m-%d} is not a time span",
                                             staff=sid, date=day)
                        continue
                    if start < shift.start.hour * 60 + shift.start.minute:
                        start, end = start + 24 * 60, end + 24 * 60
                    meals[sid] = (start, end)
                    if end - start > MAX_MEAL_MINUTES:
                        yield self.violation(
                            f"{sid}'s meal on {day:%m-%d} lasts {end - start} min, at most {MAX_MEAL_MINUTES}",
                            staff=sid, date=day)
                    elif not _inside_window(spec, shift, start, end):
                        yield self.violation(f"{sid}'s meal {span} on {day:%m-%d} is outside the meal windows",
                                             staff=sid, date=day)
                yield from self._at_post(day, shift_id, spec, people, skilled, meals)

    def _at_post(self, day: dt.date, shift_id: str, spec: MealSpec, people: list[str], skilled: set[str],
                 meals: dict[str, tuple[int, int]]) -> Iterator[Violation]:
        on_post = sum(1 for p in people if p in skilled)
        if on_post < spec.min_at_post:
            yield self.violation(f"{shift_id} on {day:%m-%d} has {on_post} at the post, "
                                 f"at least {spec.min_at_post} needed", date=day, shift=shift_id)
            return
        for t in sorted({s for s, _ in meals.values()}):
            away = [p for p, (s, e) in meals.items() if s <= t < e]
            left = on_post - sum(1 for p in away if p in skilled)
            if left < spec.min_at_post:
                yield self.violation(
                    f"{shift_id} on {day:%m-%d} at {fmt(t)}: only {left} {spec.skill or 'people'} at the post "
                    f"while {', '.join(away)} eat (at least {spec.min_at_post})", date=day, shift=shift_id)
            if spec.max_away is not None and len(away) > spec.max_away:
                yield self.violation(f"{shift_id} on {day:%m-%d} at {fmt(t)}: {len(away)} away at once, "
                                     f"at most {spec.max_away}", date=day, shift=shift_id)

    def describe(self, locale: str = "en") -> str:
        parts = []
        for shift_id, spec in self.settings.shifts.items():
            windows = ", ".join(spec.windows)
            if locale == "zh":
                parts.append(f"{shift_id} 班在 {windows} 轮流用餐，每次不超过 {spec.minutes} 分钟，"
                             f"始终至少 {spec.min_at_post} 人在岗")
            else:
                parts.append(f"{shift_id}: meals in {windows}, {spec.minutes} min each, at least "
                             f"{spec.min_at_post} {spec.skill or 'people'} at the post at every minute")
        return ("；".join(parts) + "。") if locale == "zh" else "; ".join(parts) + "."


def _inside_window(spec: MealSpec, shift: Shift, start: int, end: int) -> bool:
    """A meal (perhaps hand-edited, off the grid) lies inside one of the windows."""
    shift_start = shift.start.hour * 60 + shift.start.minute
    for text in spec.windows:
        a, b = parse_span(text)
        if a < shift_start:
            a, b = a + 24 * 60, b + 24 * 60
        if a <= start and end <= b:
            return True
    return False


def settings_of(problem: Problem) -> MealSettings | None:
    section = problem.department.section(SECTION)
    return section if isinstance(section, MealSettings) else None


class _MealSection(MealSettings):
    """``[meals.<shift>]`` tables are read as ``shifts``."""

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: object) -> object:
        if isinstance(data, dict) and "shifts" not in data:
            return {"shifts": data}
        return data


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, _MealSection)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = settings_of(problem)
    if settings is None or not settings.shifts:
        return
    dept = problem.department
    for shift_id, spec in settings.shifts.items():
        if shift_id not in dept.shift_by_id:
            raise InputError(f"unknown shift id {shift_id!r} (expected one of {', '.join(dept.shift_by_id)})",
                             path=dept.path, where=f"meals.{shift_id}")
        shift = dept.shift_by_id[shift_id]
        begin = shift.start.hour * 60 + shift.start.minute
        for text in spec.windows:
            a, b = parse_span(text)
            if a < begin:
                a, b = a + 24 * 60, b + 24 * 60
            if a < begin or b > begin + shift.length_minutes:
                raise InputError(f"window {text} lies outside the shift {fmt(begin)}-{shift.end:%H:%M}",
                                 path=dept.path, where=f"meals.{shift_id}.windows")
    register(MealBreaks(settings))
