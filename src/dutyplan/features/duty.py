"""The on-duty manager rotation (D-DAILY, D-HOLIDAY, D-REST, D-FAIR).

Every day ``per_day`` people from the duty pool are on duty (部门每天安排管理员值班,
D-DAILY); statutory holidays get the reinforced ``holiday_per_day`` (D-HOLIDAY).
Nobody is on duty while on leave or unavailable, or on a day the department
forbids (the day after a night shift, a day they work a given shift: D-REST).
Duty days, rest-day duties and holiday duties are spread evenly over the pool,
counted with the duties of stored earlier rosters and the file's baseline, so
last year's Spring Festival duty counts this year (D-FAIR).

The roster carries the rotation in ``roster.extras["duty"]``: ``{"2027-01-01": ["E01"]}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dutyplan import hookimpl
from dutyplan.calendar import REST_DAY_TYPES
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from dutyplan.model.context import ModelContext

SECTION = "duty"
NEEDED = "duty/needed"
"""``ctx.stash`` key: people on duty per day index, set by DutyRotation.prepare (read by D-FAIR)."""


class DutyCounts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    days: int = Field(default=0, ge=0)
    weekends: int = Field(default=0, ge=0)
    holidays: int = Field(default=0, ge=0)


class DutySettings(BaseModel):
    """``[duty]`` in the department file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    pool: list[str] = Field(min_length=1, description="Managers or senior staff who take duty (D-DAILY).")
    per_day: int = Field(default=1, ge=1)
    holiday_per_day: int | None = Field(default=None, ge=1, description="Reinforced count on statutory holidays.")
    start: dt.time = dt.time(8, 30)
    end: dt.time = dt.time(17, 30)
    not_after: list[str] = Field(default_factory=list, description="No duty the day after these shifts.")
    not_with: list[str] = Field(default_factory=list, description="No duty on a day the person works these.")
    counts_hours: bool = Field(default=False, description="Duty time adds to the person's paid hours (R-HOURS).")
    fair_days: int = Field(default=20, ge=0)
    fair_weekends: int = Field(default=20, ge=0)
    fair_holidays: int = Field(default=30, ge=0)
    history: dict[str, DutyCounts] = Field(default_factory=dict, description="Duties before stored rosters.")

    @model_validator(mode="after")
    def _distinct(self) -> DutySettings:
        if len(set(self.pool)) != len(self.pool):
            raise ValueError("a person appears twice in pool")
        if max(self.per_day, self.holiday_per_day or 0) > len(self.pool):
            raise ValueError(f"more people on duty per day than the pool has ({len(self.pool)})")
        return self

    @property
    def minutes(self) -> int:
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) % (24 * 60) or 24 * 60


def settings_of(problem: Problem) -> DutySettings | None:
    section = problem.department.section(SECTION)
    return section if isinstance(section, DutySettings) else None


def duty_of(roster: Roster) -> dict[dt.date, list[str]]:
    """The rotation stored in a roster, keyed by date."""
    raw = roster.extras.get(SECTION) or {}
    result: dict[dt.date, list[str]] = {}
    for key, people in raw.items():
        try:
            result[dt.date.fromisoformat(str(key))] = [str(p) for p in people]
        except ValueError:
            continue
    return result


def needed(problem: Problem, settings: DutySettings, index: int) -> int:
    if problem.horizon.day_type(index) == "holiday" and settings.holiday_per_day:
        return settings.holiday_per_day
    return settings.per_day


def duty_vars(ctx: ModelContext, settings: DutySettings) -> dict[tuple[str, int], cp_model.IntVar]:
    """``duty[person, day]`` for pool members, created once per model and shared by the duty rules."""
    if SECTION not in ctx.stash:
        ctx.stash[SECTION] = {
            (sid, di): ctx.model.new_bool_var(f"duty[{sid},{day:%m-%d}]")
            for sid in settings.pool
            for di, day in enumerate(ctx.dates)
        }
    result: dict[tuple[str, int], cp_model.IntVar] = ctx.stash[SECTION]
    return result


class DutyRotation(Rule):
    """D-DAILY/D-HOLIDAY and D-REST: the right number on duty, and only when they may be."""

    id = "D-DAILY"
    title = "On-duty manager rotation"

    def __init__(self, settings: DutySettings) -> None:
        self.settings = settings

    def prepare(self, ctx: ModelContext) -> None:
        duty = duty_vars(ctx, self.settings)
        # The exact number on duty per day (D-DAILY/D-HOLIDAY), for D-FAIR's rounded totals.
        ctx.stash[NEEDED] = [needed(ctx.problem, self.settings, di) for di in range(ctx.num_days)]
        if self.settings.counts_hours:
            for (sid, _di), var in duty.items():
                ctx.extra_minutes.setdefault(ctx.staff_index[sid], []).append((self.settings.minutes, var))

    def build(self, ctx: ModelContext) -> None:
        m, problem, s = ctx.model, ctx.problem, self.settings
        duty = duty_vars(ctx, s)
        locked = _locked_duty(problem)
        staff = problem.department.staff_by_id
        for di, day in enumerate(ctx.dates):
            count = sum(duty[(sid, di)] for sid in s.pool)
            ctx.add_hard(m.add(count == needed(problem, s, di)), self, f"{day:%m-%d}")
            if day in locked:
                for sid in s.pool:
                    ctx.add_hard(m.add(duty[(sid, di)] == int(sid in locked[day])), self, f"{day:%m-%d} plan")
            for sid in s.pool:
                pi = ctx.staff_index[sid]
                var = duty[(sid, di)]
                if problem.unavailable_reason(staff[sid], di) is not None:
                    ctx.add_hard(m.add(var == 0), self, sid)
                    continue
                for shift in s.not_with:
                    ctx.add_hard(m.add_bool_or([var.Not(), ctx.x[pi][di][ctx.shift_index[shift]].Not()]), self, sid)
                for shift in s.not_after:
                    before = ctx.assigned(pi, di - 1, ctx.shift_index[shift])
                    if isinstance(before, int):
                        if before:
                            ctx.add_hard(m.add(var == 0), self, sid)
                    elif before is not None:
                        ctx.add_hard(m.add_bool_or([var.Not(), before.Not()]), self, sid)

    def hint(self, ctx: ModelContext, roster: Roster) -> None:
        """Hint the rotation ``roster`` carries, or else one that fits it (and record that one in its extras).

        The greedy rotation takes, day by day, the eligible pool members with the fewest duties.
        """
        duty = duty_vars(ctx, self.settings)
        if SECTION in roster.extras:
            rotation = duty_of(roster)
            chosen = {(sid, di): sid in rotation.get(day, []) for di, day in enumerate(ctx.dates)
                      for sid in self.settings.pool}
        else:
            chosen = self.greedy(ctx.problem, roster)
            roster.extras[SECTION] = {
                f"{day:%Y-%m-%d}": [sid for sid in self.settings.pool if chosen[(sid, di)]]
                for di, day in enumerate(ctx.dates)
            }
        for (sid, di), on in chosen.items():
            ctx.model.add_hint(duty[(sid, di)], on)

    def greedy(self, problem: Problem, roster: Roster) -> dict[tuple[str, int], bool]:
        """A rotation for ``roster`` day by day (D-DAILY, D-REST, plans kept), fewest duties first (D-FAIR)."""
        s = self.settings
        locked = _locked_duty(problem)
        base = past_counts(problem, s)
        rest_days = duty_categories(problem)["weekends"]
        counts = {sid: [base[sid]["days"], base[sid]["weekends"], base[sid]["holidays"]] for sid in s.pool}
        chosen: dict[tuple[str, int], bool] = {}
        for di, day in enumerate(problem.dates):
            holiday = problem.horizon.day_type(di) == "holiday"
            if day in locked:
                today = [sid for sid in s.pool if sid in locked[day]]
            else:
                eligible = [sid for sid in s.pool if next(self._clashes(roster, problem, sid, di), None) is None]
                key = 2 if holiday else 1 if day in rest_days else 0
                eligible.sort(key=lambda sid: (counts[sid][key], counts[sid][0], s.pool.index(sid)))
                today = eligible[: needed(problem, s, di)]
            for sid in s.pool:
                on = sid in today
                chosen[(sid, di)] = on
                if on:
                    counts[sid][0] += 1
                    counts[sid][1] += day in rest_days
                    counts[sid][2] += holiday
        return chosen

    def extract(self, ctx: ModelContext, solver: cp_model.CpSolver, roster: Roster) -> None:
        duty = duty_vars(ctx, self.settings)
        roster.extras[SECTION] = {
            f"{day:%Y-%m-%d}": [sid for sid in self.settings.pool if solver.boolean_value(duty[(sid, di)])]
            for di, day in enumerate(ctx.dates)
        }

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        s = self.settings
        if SECTION not in roster.extras:
            # A CSV carries shifts only; with no stored revision to borrow the rotation from there is
            # nothing to check, and 31 "0 on duty" violations would bury the shift rules' findings.
            yield self.violation("the roster carries no duty rotation (a CSV has shifts only): D-DAILY, "
                                 "D-REST and D-FAIR not checked", severity="warning")
            return
        rotation = duty_of(roster)
        for di, day in enumerate(problem.dates):
            people = rotation.get(day, [])
            want = needed(problem, s, di)
            if len(people) != want:
                kind = "statutory holiday, reinforced duty (D-HOLIDAY)" if want != s.per_day else "D-DAILY"
                yield self.violation(f"{len(people)} on duty on {day:%m-%d}, {want} needed ({kind})", date=day)
            for sid in people:
                if sid not in s.pool:
                    yield self.violation(f"{sid} is on duty on {day:%m-%d} but not in the duty pool",
                                         staff=sid, date=day)
                    continue
                for clash in self._clashes(roster, problem, sid, di):
                    yield self.violation(f"{sid} is on duty on {day:%m-%d}{clash}", staff=sid, date=day)
        for day, people in sorted(_locked_duty(problem).items()):
            if problem.horizon.index(day) is not None and sorted(rotation.get(day, [])) != sorted(people):
                yield self.violation(f"duty on {day:%m-%d} differs from the published plan ({', '.join(people)})",
                                     date=day)

    def _clashes(self, roster: Roster, problem: Problem, sid: str, di: int) -> Iterator[str]:
        """Why ``sid`` may not be on duty on day ``di`` of ``roster`` (D-REST), in words; nothing if they may.

        The checker reports each; the greedy rotation (``greedy``) only picks people with none.
        """
        s = self.settings
        day = problem.dates[di]
        reason = problem.unavailable_reason(problem.department.staff_by_id[sid], di)
        if reason:
            yield f" but is {reason}"
        shift = roster.shift_on(sid, day)
        if shift in s.not_with:
            yield f" while working {shift}"
        before = _shift_before(roster, problem, sid, di)
        if before in s.not_after:
            yield f", the day after a {before} shift"

    def describe(self, locale: str = "en") -> str:
        s = self.settings
        reinforced = s.holiday_per_day or s.per_day
        if locale == "zh":
            after_zh = f"；{'、'.join(s.not_after)} 班次后一天不值班" if s.not_after else ""
            return (f"每天从 {len(s.pool)} 人值班池中安排 {s.per_day} 人值班，法定节假日加强为 {reinforced} 人；"
                    f"休假或不可排班时不值班{after_zh}。")
        after = f"; no duty the day after {', '.join(s.not_after)}" if s.not_after else ""
        return (f"{s.per_day} of the {len(s.pool)}-person duty pool on duty every day, {reinforced} on statutory "
                f"holidays; nobody on duty while on leave or unavailable{after}.")


def _shift_before(roster: Roster, problem: Problem, sid: str, index: int) -> str | None:
    if index > 0:
        return roster.shift_on(sid, problem.dates[index - 1])
    hist = problem.history_shift(sid, 1)
    return hist if isinstance(hist, str) else None


def _locked_duty(problem: Problem) -> dict[dt.date, list[str]]:
    """Duty days fixed by a published holiday plan inside the horizon."""
    result: dict[dt.date, list[str]] = {}
    for day, plan in problem.plans.items():
        rotation = duty_of(plan)
        if day in rotation:
            result[day] = rotation[day]
    return result


def duty_categories(problem: Problem) -> dict[str, frozenset[dt.date]]:
    cal = problem.horizon.calendar
    return {
        "days": frozenset(c.date for c in cal),
        "weekends": frozenset(c.date for c in cal if c.type in REST_DAY_TYPES),
        "holidays": frozenset(c.date for c in cal if c.type == "holiday"),
    }


def past_counts(problem: Problem, settings: DutySettings) -> dict[str, dict[str, int]]:
    """Duties per person before the horizon: the file's baseline plus stored rosters."""
    counts = {sid: settings.history.get(sid, DutyCounts()).model_dump() for sid in settings.pool}
    from dutyplan.calendar import classify

    days = sorted(problem.past)
    calendar = {c.date: c for c in classify(days, problem.department.spec.calendar)}
    for day in days:
        for sid in duty_of(problem.past[day]).get(day, []):
            if sid in counts:
                counts[sid]["days"] += 1
                counts[sid]["weekends"] += calendar[day].type in REST_DAY_TYPES
                counts[sid]["holidays"] += calendar[day].type == "holiday"
    return counts


class DutyFairness(Rule):
    """D-FAIR: duty days, rest-day and holiday duties spread evenly (max minus min), history included."""

    id = "D-FAIR"
    title = "Fair duty rotation"
    hard = False

    def __init__(self, settings: DutySettings, category: str, weight: int, base: dict[str, int]) -> None:
        self.settings, self.category, self.weight, self.base = settings, category, weight, base

    @property
    def key(self) -> str:
        return f"D-FAIR/{self.category}"

    def build(self, ctx: ModelContext) -> None:
        m = ctx.model
        duty = duty_vars(ctx, self.settings)
        days = duty_categories(ctx.problem)[self.category]
        indexes = [i for i, d in enumerate(ctx.dates) if d in days]
        top = max(self.base.values(), default=0) + len(indexes)
        counts = []
        for sid in self.settings.pool:
            count = m.new_int_var(0, top, f"duty_{self.category}[{sid}]")
            m.add(count == sum(duty[(sid, di)] for di in indexes) + self.base.get(sid, 0))
            counts.append(count)
        high, low = m.new_int_var(0, top, f"max_duty_{self.category}"), m.new_int_var(0, top, "min")
        m.add_max_equality(high, counts)
        m.add_min_equality(low, counts)
        m.add(len(counts) * high >= sum(counts))
        m.add(len(counts) * low <= sum(counts))
        ctx.add_penalty(self, high - low, self.weight, f"duty {self.category} spread")
        self._totals(ctx, high, low, indexes)

    def _totals(self, ctx: ModelContext, high: cp_model.IntVar, low: cp_model.IntVar, indexes: list[int]) -> None:
        """Redundant, for the bound: with D-DAILY the pool's total is fixed, so round its average.

        D-DAILY puts exactly ``needed`` people on duty each day, so the counts add up to a known
        ``T`` and the most loaded has at least ``ceil(T / n)``, the least at most ``floor(T / n)``.
        The LP only sees ``n * high >= T`` (a fraction); without the rounding a pool whose duties
        cannot split evenly shows a bound of 0 for a spread it always pays.
        """
        per_day: list[int] | None = ctx.stash.get(NEEDED)
        if per_day is None:  # D-DAILY is not in the model (a test without it): the total is free
            return
        n = len(self.settings.pool)
        total = sum(per_day[di] for di in indexes) + sum(self.base.get(sid, 0) for sid in self.settings.pool)
        ctx.model.add(high >= -(-total // n))
        ctx.model.add(low <= total // n)

    def counts(self, roster: Roster, problem: Problem) -> dict[str, int]:
        days = duty_categories(problem)[self.category]
        result = {sid: self.base.get(sid, 0) for sid in self.settings.pool}
        for day, people in duty_of(roster).items():
            if day in days:
                for sid in people:
                    if sid in result:
                        result[sid] += 1
        return result

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        if SECTION not in roster.extras:
            return  # no rotation to weigh; DutyRotation.check warns once
        counts = self.counts(roster, problem)
        high, low = max(counts.values()), min(counts.values())
        if high > low:
            most = [s for s, c in counts.items() if c == high][:3]
            least = [s for s, c in counts.items() if c == low][:3]
            yield self.violation(
                f"duty {self.category} range from {low} ({', '.join(least)}) to {high} ({', '.join(most)})",
                cost=(high - low) * self.weight,
            )

    def describe(self, locale: str = "en") -> str:
        words = {"days": ("duty days", "值班天数"), "weekends": ("rest-day duties", "休息日值班"),
                 "holidays": ("statutory-holiday duties", "法定节假日值班")}[self.category]
        if locale == "zh":
            return f"{words[1]}在值班池中尽量平均（含历史累计），差 1 次计 {self.weight} 分。"
        return f"Spread {words[0]} evenly over the duty pool, history included ({self.weight} per unit of range)."


def duty_minutes(roster: Roster, problem: Problem) -> dict[str, int]:
    settings = settings_of(problem)
    result: dict[str, int] = {}
    if settings is None or not settings.counts_hours:
        return result
    for people in duty_of(roster).values():
        for sid in people:
            result[sid] = result.get(sid, 0) + settings.minutes
    return result


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, DutySettings)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = settings_of(problem)
    if settings is None:
        return
    _validate_ids(settings, problem)
    problem.stash.setdefault("extra_minutes", {})[SECTION] = duty_minutes
    register(DutyRotation(settings))
    base = past_counts(problem, settings)
    categories = duty_categories(problem)
    for category in ("days", "weekends", "holidays"):
        weight = getattr(settings, f"fair_{category}")
        if weight and categories[category] and len(settings.pool) > 1:
            register(DutyFairness(settings, category, weight, {s: c[category] for s, c in base.items()}))


def _validate_ids(settings: DutySettings, problem: Problem) -> None:
    from dutyplan.errors import InputError

    dept = problem.department
    for i, sid in enumerate(settings.pool):
        if sid not in dept.staff_by_id:
            raise InputError(f"unknown staff id {sid!r}", path=dept.path, where=f"duty.pool[{i}]")
    for key in ("not_after", "not_with"):
        for shift in getattr(settings, key):
            if shift not in dept.shift_by_id:
                raise InputError(f"unknown shift id {shift!r}", path=dept.path, where=f"duty.{key}")
    for sid in settings.history:
        if sid not in settings.pool:
            raise InputError(f"{sid!r} is not in the duty pool", path=dept.path, where=f"duty.history.{sid}")


def rotation_table(roster: Roster, problem: Problem) -> list[dict[str, Any]]:
    """Rows for the duty log (D-LOG): date, people, from, to; the rest is filled in by hand."""
    settings = settings_of(problem)
    rotation = duty_of(roster)
    rows = []
    for day in problem.dates:
        people = rotation.get(day, [])
        rows.append({
            "date": day,
            "people": people,
            "start": settings.start if settings else None,
            "end": settings.end if settings else None,
        })
    return rows
