"""Opening hours and worked shifts as intervals on one line of minutes.

The desk rules speak of moments (the desk at 12:10, the closing at 22:30); the
roster speaks of shifts on days. Here minute ``t`` counts from the midnight that
starts the horizon's first day, and a shift worked on day ``d`` is the
*instance* ``[1440 d + start, 1440 d + start + length)``. Days -1 and n, just
outside the horizon, are included so that a night shift crossing midnight is
seen from both sides; a moment that depends on such an instance is not judged
here (the neighbouring month's roster decides it), in the model and in the
checker alike.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dutyplan.calendar import classify
from dutyplan.domain import Problem
from dutyplan.features.meals import MealSpec, parse_span
from dutyplan.features.meals import settings_of as meal_settings_of

from .settings import OpeningHours

DAY = 24 * 60


@dataclass(frozen=True)
class Instance:
    """One shift type worked on one day, as an interval of minutes."""

    day: int
    shift: str
    start: int
    end: int

    def covers(self, t0: int, t1: int) -> bool:
        return self.start <= t0 and t1 <= self.end


@dataclass(frozen=True)
class OpenSpan:
    """A stretch of opening hours; ``open_day``/``close_day`` are the days whose hours open and close it."""

    start: int
    end: int
    open_day: int
    close_day: int


class Timeline:
    """Instances, opening spans and meal windows of one problem."""

    def __init__(self, problem: Problem, hours: OpeningHours) -> None:
        self.problem = problem
        self.days = problem.horizon.days
        self.instances = [
            Instance(d, s.id, d * DAY + s.start.hour * 60 + s.start.minute,
                     d * DAY + s.start.hour * 60 + s.start.minute + s.length_minutes)
            for d in range(-1, self.days + 1)
            for s in problem.department.shifts
        ]
        start = problem.horizon.start
        dates = [start + dt.timedelta(days=d) for d in range(-1, self.days + 1)]
        calendar = classify(dates, problem.department.spec.calendar)
        raw = [(d * DAY + a, d * DAY + b, d)
               for d, cal in zip(range(-1, self.days + 1), calendar, strict=True)
               for a, b in hours.spans(cal.type, cal.date)]
        self.day_types = {d: cal.type for d, cal in zip(range(-1, self.days + 1), calendar, strict=True)}
        self.spans = _merge(raw)
        """Opening hours of days -1..n, merged: where the desk opens and closes."""
        self.judged_spans = _merge([r for r in raw if 0 <= r[2] < self.days])
        """Opening hours of the horizon's own days: the minutes the desk must be staffed."""
        meals = meal_settings_of(problem)
        self.meals: dict[str, MealSpec] = dict(meals.shifts) if meals is not None else {}

    def judged(self, instance: Instance) -> bool:
        return 0 <= instance.day < self.days

    def date(self, day: int) -> dt.date:
        return self.problem.horizon.start + dt.timedelta(days=day)

    def moment(self, t: int) -> str:
        """``01-05 12:10`` for a minute on the line (24:00 is written as the next day's 00:00)."""
        return f"{self.date(t // DAY):%m-%d} {t % DAY // 60:02d}:{t % 60:02d}"

    def clock(self, t: int) -> str:
        return f"{t % DAY // 60:02d}:{t % 60:02d}"

    def covering(self, t0: int, t1: int) -> list[Instance]:
        return [i for i in self.instances if i.covers(t0, t1)]

    def meal_windows(self, instance: Instance) -> list[tuple[int, int]]:
        """The meal windows of an instance's shift ([meals.<shift>]), on the line."""
        spec = self.meals.get(instance.shift)
        if spec is None:
            return []
        begin = instance.start - instance.day * DAY
        result = []
        for text in spec.windows:
            a, b = parse_span(text)
            if a < begin:  # a window after midnight belongs to a night shift's second day
                a, b = a + DAY, b + DAY
            result.append((instance.day * DAY + a, instance.day * DAY + b))
        return result

    def in_meal_window(self, instance: Instance, t0: int, t1: int) -> bool:
        return any(a <= t0 and t1 <= b for a, b in self.meal_windows(instance))


def _merge(raw: list[tuple[int, int, int]]) -> list[OpenSpan]:
    merged: list[OpenSpan] = []
    for start, end, day in sorted(raw):
        if merged and start <= merged[-1].end:
            last = merged[-1]
            close_day = day if end > last.end else last.close_day
            merged[-1] = OpenSpan(last.start, max(last.end, end), last.open_day, close_day)
        else:
            merged.append(OpenSpan(start, end, day, day))
    return merged


def cuts(start: int, end: int, points: list[int]) -> list[tuple[int, int]]:
    """``[start, end)`` cut at every point inside it: the pieces on which nothing changes."""
    inner = sorted({p for p in points if start < p < end} | {start, end})
    return list(itertools.pairwise(inner))
