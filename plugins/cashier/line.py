"""Shifts as intervals of minutes, split shifts as several, and demand as levels over time.

Minute ``t`` counts from the midnight starting the horizon's first day. A
shift worked on day ``d`` is an *instance*: the interval
``[1440 d + start, 1440 d + start + length)``, or for a split shift
(``[cashier.split.<id>]``) its parts only. Days -1 and n are included so that
shifts crossing midnight are seen from both sides; a moment that depends on an
instance outside the horizon is not judged (the neighbouring roster decides it).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from dutyplan.domain import Problem
from dutyplan.features.meals import MealSpec, parse_span
from dutyplan.features.meals import settings_of as meal_settings_of

from .settings import CashierSettings, matches

DAY = 24 * 60


@dataclass(frozen=True)
class Instance:
    day: int
    shift: str
    parts: tuple[tuple[int, int], ...]

    def covers(self, t0: int, t1: int) -> bool:
        return any(a <= t0 and t1 <= b for a, b in self.parts)


def shift_parts(problem: Problem, settings: CashierSettings) -> dict[str, list[tuple[int, int]]]:
    """Each shift's presence in minutes after its day's midnight: one interval, or a split shift's parts."""
    result = {}
    for shift in problem.department.shifts:
        begin = shift.start.hour * 60 + shift.start.minute
        split = settings.split.get(shift.id)
        if split is None:
            result[shift.id] = [(begin, begin + shift.length_minutes)]
            continue
        parts = []
        for text in split.parts:
            a, b = parse_span(text)
            if a < begin:
                a, b = a + DAY, b + DAY
            parts.append((a, b))
        result[shift.id] = parts
    return result


class Line:
    """Instances, day types and meal windows of one problem."""

    def __init__(self, problem: Problem, settings: CashierSettings) -> None:
        self.problem = problem
        self.days = problem.horizon.days
        parts = shift_parts(problem, settings)
        self.instances = [
            Instance(d, sid, tuple((d * DAY + a, d * DAY + b) for a, b in spans))
            for d in range(-1, self.days + 1)
            for sid, spans in parts.items()
        ]
        meals = meal_settings_of(problem)
        self.meals: dict[str, MealSpec] = dict(meals.shifts) if meals is not None else {}
        self.begin = {s.id: s.start.hour * 60 + s.start.minute for s in problem.department.shifts}

    def judged(self, instance: Instance) -> bool:
        return 0 <= instance.day < self.days

    def date(self, day: int) -> dt.date:
        return self.problem.horizon.start + dt.timedelta(days=day)

    def moment(self, t: int) -> str:
        return f"{self.date(t // DAY):%m-%d} {self.clock(t)}"

    @staticmethod
    def clock(t: int) -> str:
        return f"{t % DAY // 60:02d}:{t % 60:02d}"

    def covering(self, t0: int, t1: int) -> list[Instance]:
        return [i for i in self.instances if i.covers(t0, t1)]

    def levels(self, entries: list[tuple[list[str], str, int]]) -> list[tuple[int, int, int]]:
        """``(days, "HH:MM-HH:MM", level)`` entries -> pieces ``(t0, t1, level)`` of the horizon's days.

        Where entries overlap on a day the highest level applies.
        """
        calendar = self.problem.horizon.calendar
        raw: list[tuple[int, int, int]] = []
        for d, cal in enumerate(calendar):
            for days, hours, level in entries:
                if matches(days, cal.type, cal.date):
                    a, b = parse_span(hours)
                    raw.append((d * DAY + a, d * DAY + b, level))
        points = sorted({p for a, b, _ in raw for p in (a, b)})
        result: list[tuple[int, int, int]] = []
        for t0, t1 in itertools.pairwise(points):
            level = max((lv for a, b, lv in raw if a <= t0 and t1 <= b), default=0)
            if level:
                result.append((t0, t1, level))
        return result

    def meal_windows(self, instance: Instance) -> list[tuple[int, int]]:
        spec = self.meals.get(instance.shift)
        if spec is None:
            return []
        begin = self.begin[instance.shift]
        spans = []
        for text in spec.windows:
            a, b = parse_span(text)
            if a < begin:
                a, b = a + DAY, b + DAY
            spans.append((instance.day * DAY + a, instance.day * DAY + b))
        return spans

    def in_meal_window(self, instance: Instance, t0: int, t1: int) -> bool:
        return any(a <= t0 and t1 <= b for a, b in self.meal_windows(instance))

    def boundaries(self) -> list[int]:
        points = [p for i in self.instances for part in i.parts for p in part]
        return points + [p for i in self.instances for w in self.meal_windows(i) for p in w]


def cut(pieces: list[tuple[int, int, int]], points: list[int]) -> Iterator[tuple[int, int, int]]:
    """Each piece cut further at ``points`` inside it."""
    ordered = sorted(set(points))
    for t0, t1, level in pieces:
        inner = [t0, *(p for p in ordered if t0 < p < t1), t1]
        for a, b in itertools.pairwise(inner):
            yield a, b, level

