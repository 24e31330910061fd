"""Validated domain objects: the department, the horizon being planned, and the problem.

The flow is one way: TOML file -> :class:`Department` (validated) ->
:class:`Problem` (a department plus a horizon, its calendar and its history) ->
CP-SAT model -> :class:`~dutyplan.roster.Roster`. Rules read a ``Problem``;
nothing here knows about the solver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pendulum
from pydantic import BaseModel

from dutyplan.calendar import CalendarDay, classify, date_range
from dutyplan.config.schema import (
    WEEKDAYS,
    CoverageLevel,
    DayType,
    DepartmentFile,
    HistoryCounts,
    ShiftSpec,
    StaffSpec,
)

OFF = "-"
"""How a day off is written in history lists and roster grids."""

_COVER_FALLBACK: dict[DayType, tuple[DayType, ...]] = {
    "workday": ("workday",),
    "adjusted_workday": ("adjusted_workday", "workday"),
    "weekend": ("weekend", "workday"),
    "holiday_break": ("holiday_break", "weekend", "workday"),
    "holiday": ("holiday", "weekend", "workday"),
}
"""Where a missing coverage level for a day type is looked up instead."""


@dataclass(frozen=True)
class Shift:
    """A shift type with its clock times; ``end`` before ``start`` means the next morning."""

    id: str
    spec: ShiftSpec

    @property
    def start(self) -> dt.time:
        return self.spec.start

    @property
    def end(self) -> dt.time:
        return self.spec.end

    @property
    def crosses_midnight(self) -> bool:
        return self.spec.end <= self.spec.start

    @property
    def length_minutes(self) -> int:
        start = self.spec.start.hour * 60 + self.spec.start.minute
        end = self.spec.end.hour * 60 + self.spec.end.minute
        return (end - start) % (24 * 60)

    @property
    def paid_minutes(self) -> int:
        return self.spec.paid_minutes if self.spec.paid_minutes is not None else self.length_minutes

    @property
    def is_night(self) -> bool:
        return self.spec.night if self.spec.night is not None else self.crosses_midnight

    def code(self, locale: str) -> str:
        """A one-to-three character label for grids: ``code``, else the name's first character."""
        if self.spec.code:
            return self.spec.code
        if locale == "zh" and self.spec.name:
            return self.spec.name[0]
        return self.id[:1].upper()

    def label(self, locale: str) -> str:
        if locale == "en":
            return self.spec.name_en or self.spec.name or self.id
        return self.spec.name or self.spec.name_en or self.id

    def interval(self, day: dt.date, tz: str) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """Start and end of this shift worked on ``day``, in the department's time zone."""
        start = pendulum.datetime(
            day.year, day.month, day.day, self.start.hour, self.start.minute, tz=tz
        )
        return start, start.add(minutes=self.length_minutes)

    def rest_before(self, following: Shift) -> float:
        """Hours between the end of this shift and ``following`` worked the next day."""
        end = self.start.hour * 60 + self.start.minute + self.length_minutes
        nxt = 24 * 60 + following.start.hour * 60 + following.start.minute
        return (nxt - end) / 60


@dataclass(frozen=True)
class Department:
    """A validated department file, with the plugin sections validated by their plugins."""

    path: Path
    spec: DepartmentFile
    sections: Mapping[str, BaseModel] = field(default_factory=dict)

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def name(self) -> str:
        return self.spec.department.name

    @property
    def slug(self) -> str:
        return self.spec.department.id or self.directory.name

    @property
    def timezone(self) -> str:
        return self.spec.department.timezone

    @property
    def locale(self) -> str:
        return self.spec.department.locale

    @cached_property
    def shifts(self) -> tuple[Shift, ...]:
        return tuple(Shift(sid, spec) for sid, spec in self.spec.shifts.items())

    @cached_property
    def shift_by_id(self) -> dict[str, Shift]:
        return {s.id: s for s in self.shifts}

    @property
    def staff(self) -> list[StaffSpec]:
        return self.spec.staff

    @cached_property
    def staff_by_id(self) -> dict[str, StaffSpec]:
        return {p.id: p for p in self.spec.staff}

    def section(self, name: str) -> Any:
        """A plugin's validated section, or None when the file has none."""
        return self.sections.get(name)


@dataclass(frozen=True)
class Horizon:
    """The days being planned, with their calendar types, in the department's time zone."""

    start: dt.date
    days: int
    calendar: tuple[CalendarDay, ...]
    month: str | None = None
    name: str | None = None
    """A name for horizons that are neither a month nor ad hoc, e.g. ``2027-spring-festival``."""

    @property
    def dates(self) -> list[dt.date]:
        return [c.date for c in self.calendar]

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    @property
    def label(self) -> str:
        """Folder name for this horizon's rosters: ``2027-01``, ``2027-spring-festival`` or ``2027-01-01+31d``."""
        return self.name or self.month or f"{self.start.isoformat()}+{self.days}d"

    def index(self, day: dt.date) -> int | None:
        offset = (day - self.start).days
        return offset if 0 <= offset < self.days else None

    def day_type(self, index: int) -> DayType:
        return self.calendar[index].type


def make_horizon(department: Department, start: dt.date, days: int, month: str | None = None) -> Horizon:
    cal = classify(date_range(start, days), department.spec.calendar, department.locale)
    return Horizon(start=start, days=days, calendar=tuple(cal), month=month)


@dataclass(frozen=True)
class CoverNeed:
    """People needed on one shift on one day: ``min``/``max`` are hard, ``preferred`` soft."""

    min: int
    preferred: int
    max: int | None
    under_weight: int
    over_weight: int


@dataclass
class Problem:
    """Everything the model and the checker need: department, horizon, history, locks.

    ``history`` maps a person to their shifts on the days just before the
    horizon, most recent last (``None`` for a day off). ``locked`` fixes a
    person's day to a shift (or to ``None``, a day off): published holiday
    plans and re-plans keep these days.
    """

    department: Department
    horizon: Horizon
    history: dict[str, list[str | None]] = field(default_factory=dict)
    counts: dict[str, HistoryCounts] = field(default_factory=dict)
    locked: dict[tuple[str, dt.date], str | None] = field(default_factory=dict)
    past: dict[dt.date, Any] = field(default_factory=dict)
    """Stored rosters before the horizon: date -> the roster that speaks for that day (for counts)."""
    absences: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    """Days people cannot work beyond the department file (approved leave requests), with the reason."""
    plans: dict[dt.date, Any] = field(default_factory=dict)
    """Stored holiday plans inside the horizon: date -> plan roster (its days are locked)."""
    stash: dict[str, Any] = field(default_factory=dict)

    @property
    def staff_ids(self) -> list[str]:
        return [p.id for p in self.department.staff]

    @property
    def shift_ids(self) -> list[str]:
        return [s.id for s in self.department.shifts]

    @property
    def dates(self) -> list[dt.date]:
        return self.horizon.dates

    def history_shift(self, staff_id: str, days_before: int) -> str | bool | None:
        """Shift worked ``days_before`` days before the horizon (1 = the day before).

        Returns the shift id, ``None`` for a known day off, or ``False`` when
        history does not reach back that far (unknown).
        """
        tail = self.history.get(staff_id)
        if tail is None or days_before > len(tail):
            return False
        return tail[-days_before]

    def cover_need(self, shift_id: str, index: int) -> CoverNeed:
        """Coverage for a shift on a day: a date override, else the day type's level."""
        day = self.horizon.calendar[index]
        weights = self.department.spec.weights
        override = self._demand.get((day.date, shift_id))
        if override is not None:
            pref = override.preferred if override.preferred is not None else override.min
            return CoverNeed(
                override.min,
                pref,
                override.max,
                weights.coverage_under if override.under_weight is None else override.under_weight,
                weights.coverage_over if override.over_weight is None else override.over_weight,
            )
        cover = self.department.shift_by_id[shift_id].spec.cover
        level: CoverageLevel | None = None
        for kind in _COVER_FALLBACK[day.type]:
            level = getattr(cover, kind)
            if level is not None:
                break
        if level is None:
            return CoverNeed(0, 0, None, weights.coverage_under, 0)  # no cover set: extra people cost nothing
        pref = level.preferred if level.preferred is not None else level.min
        return CoverNeed(level.min, pref, level.max, weights.coverage_under, weights.coverage_over)

    @cached_property
    def _demand(self) -> dict[tuple[dt.date, str], Any]:
        return {(d.date, d.shift): d for d in self.department.spec.demand}

    def leave_days(self, staff: StaffSpec) -> int:
        """Days of leave in the horizon (file leave and registered absences): they lower contract minimums."""
        return sum(
            1 for day in self.dates
            if (staff.id, day) in self.absences or any(lv.start <= day <= lv.end for lv in staff.leave)
        )

    def unavailable_reason(self, staff: StaffSpec, index: int) -> str | None:
        """Why a person cannot work on a day (leave, fixed day off...), or None."""
        day = self.horizon.calendar[index].date
        absent = self.absences.get((staff.id, day))
        if absent is not None:
            return absent
        for leave in staff.leave:
            if leave.start <= day <= leave.end:
                return f"on {leave.type} leave"
        if day in staff.unavailable:
            return "unavailable"
        if day in staff.days_off:
            return "fixed day off"
        if any(WEEKDAYS[w.lower()] == day.weekday() for w in staff.weekly_days_off):
            return "weekly day off"
        return None
