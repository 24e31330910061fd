"""Which kind of day each date is: workday, weekend, statutory holiday, holiday break, 调休 workday.

The Chinese plan comes from the ``holidays`` package, which knows the statutory
days, the extra days off that come with them and the weekend days the State
Council turns into working days. The package lags when a new year's plan is
published late, so a department file's ``[[calendar.override]]`` entries win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import holidays as holidays_lib

from dutyplan.config.schema import CalendarSettings, DayType

_BREAK_MARKERS = ("(observed)", "Day off", "(substituted", "调休", "补休", "补假", "休息日")
"""Names the ``holidays`` package gives to days off that are not statutory holidays."""

REST_DAY_TYPES: frozenset[DayType] = frozenset({"weekend", "holiday_break"})
WORK_DAY_TYPES: frozenset[DayType] = frozenset({"workday", "adjusted_workday"})


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    type: DayType
    name: str | None = None

    @property
    def is_rest_day(self) -> bool:
        """A rest day (weekend or holiday break): work on it is paid 200% without time off in lieu."""
        return self.type in REST_DAY_TYPES

    @property
    def is_holiday(self) -> bool:
        """A statutory holiday (法定节假日): work on it is paid 300%."""
        return self.type == "holiday"


@lru_cache(maxsize=32)
def _china(years: tuple[int, ...], locale: str) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    language = "zh_CN" if locale == "zh" else "en_US"
    cal = holidays_lib.country_holidays("CN", years=list(years), language=language)
    names = {day: str(name) for day, name in cal.items()}
    workdays = frozenset(getattr(cal, "weekend_workdays", ()) or ())
    return names, workdays


def classify(
    dates: Sequence[dt.date], settings: CalendarSettings | None = None, locale: str = "en"
) -> list[CalendarDay]:
    """Day type of every date, overrides first, then the national calendar, then the weekday.

    Holiday names come in the department's language (``locale`` zh or en).
    """
    settings = settings or CalendarSettings()
    overrides = {o.date: o for o in settings.override}
    names: dict[dt.date, str] = {}
    workdays: frozenset[dt.date] = frozenset()
    if settings.country == "CN" and dates:
        names, workdays = _china(tuple(sorted({d.year for d in dates})), locale)
    result: list[CalendarDay] = []
    for day in dates:
        if day in overrides:
            o = overrides[day]
            result.append(CalendarDay(day, o.type, o.name or names.get(day)))
        elif day in names:
            name = names[day]
            kind: DayType = "holiday_break" if any(m in name for m in _BREAK_MARKERS) else "holiday"
            result.append(CalendarDay(day, kind, name))
        elif day in workdays:
            result.append(CalendarDay(day, "adjusted_workday", "调休上班"))
        elif day.weekday() >= 5:
            result.append(CalendarDay(day, "weekend"))
        else:
            result.append(CalendarDay(day, "workday"))
    return result


def date_range(start: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(days)]


def month_bounds(month: str) -> tuple[dt.date, int]:
    """``"2027-01"`` -> (2027-01-01, 31). Raises ValueError on a malformed month."""
    year_s, _, month_s = month.partition("-")
    first = dt.date(int(year_s), int(month_s), 1)
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, (nxt - first).days


def next_month(today: dt.date) -> str:
    nxt = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return f"{nxt:%Y-%m}"


def weekends(dates: Iterable[dt.date]) -> dict[dt.date, list[int]]:
    """Group day indexes of Saturdays and Sundays by the Saturday of their weekend."""
    groups: dict[dt.date, list[int]] = {}
    for i, day in enumerate(dates):
        if day.weekday() >= 5:
            saturday = day - dt.timedelta(days=day.weekday() - 5)
            groups.setdefault(saturday, []).append(i)
    return groups
