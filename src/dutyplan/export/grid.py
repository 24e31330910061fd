"""The roster as a grid (people down, days across) that the HTML and XLSX exports both draw.

Everything a printed roster shows is computed here once, so the web page and
the workbook cannot disagree: day types and holiday names (R-HOLIDAY pay
marks), each cell's shift code and colour, per-person totals from
:func:`dutyplan.report.person_totals`, coverage per shift and day against the
hard minimum (R-COVER), and rows that plugins attach to ``roster.extras`` keyed
by date (the on-duty manager of D-DAILY: ``extras["duty"] = {"2027-01-01": ["E01"]}``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pendulum

from dutyplan.config.schema import DayType
from dutyplan.domain import CoverNeed, Problem, Shift
from dutyplan.export.words import word
from dutyplan.labels import WEEKDAY_SHORT
from dutyplan.report import PersonTotals, person_totals
from dutyplan.roster import Roster

DEFAULT_COLOUR = "DDDDDD"
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def hex_colour(value: str | None, default: str = DEFAULT_COLOUR) -> str:
    """``#ffe08a`` -> ``FFE08A``; ``#abc`` is expanded; anything else (a CSS name) gives ``default``.

    Only plain hex reaches the HTML style attribute or an XLSX fill, so a colour
    from the department file can neither break the page nor the workbook.
    """
    match = _HEX.fullmatch((value or "").strip())
    if match is None:
        return default
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return digits.upper()


def ink_for(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (``RRGGBB``)."""
    r, g, b = (int(background[i:i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.299 * r + 0.587 * g + 0.114 * b >= 140 else "FFFFFF"


def shift_times(shift: Shift, locale: str) -> str:
    """``07:00–15:00``; a shift that crosses midnight says so (R-3SHIFT night shift)."""
    text = f"{shift.start:%H:%M}–{shift.end:%H:%M}"
    return f"{text} ({word('next_day', locale)})" if shift.crosses_midnight else text


@dataclass(frozen=True)
class Day:
    date: dt.date
    type: DayType
    name: str | None
    weekday: str

    @property
    def shade(self) -> str:
        """How the column is shaded: ``holiday`` (300% pay), ``rest`` (200%), ``adjusted`` or ``workday``."""
        if self.type == "holiday":
            return "holiday"
        if self.type in ("weekend", "holiday_break"):
            return "rest"
        return "adjusted" if self.type == "adjusted_workday" else "workday"


@dataclass(frozen=True)
class Cell:
    """One shift worked in a grid cell, ready to draw."""

    shift_id: str
    code: str
    label: str
    colour: str
    ink: str
    times: str
    paid_minutes: int = 0


@dataclass(frozen=True)
class Row:
    staff: str
    name: str
    cells: tuple[tuple[Cell, ...], ...]
    totals: PersonTotals
    notes: tuple[str, ...] = ()
    """Per day, what plugins noted for this person that day (meal times), ``""`` for nothing."""


@dataclass(frozen=True)
class Cover:
    count: int
    need: CoverNeed

    @property
    def short(self) -> bool:
        """Fewer people than the hard minimum (R-COVER)."""
        return self.count < self.need.min

    @property
    def over(self) -> bool:
        return self.need.max is not None and self.count > self.need.max


@dataclass(frozen=True)
class CoverRow:
    shift: Cell
    counts: tuple[Cover, ...]


@dataclass(frozen=True)
class DayRow:
    """A row a plugin attached to the roster, one text per day (e.g. the duty manager)."""

    key: str
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    locale: str
    title: str
    meta: tuple[tuple[str, str], ...]
    days: tuple[Day, ...]
    rows: tuple[Row, ...]
    coverage: tuple[CoverRow, ...]
    day_rows: tuple[DayRow, ...]
    shifts: tuple[Cell, ...]

    @property
    def holidays(self) -> list[Day]:
        return [d for d in self.days if d.type == "holiday"]


def make_cell(shift: Shift, locale: str) -> Cell:
    colour = hex_colour(shift.spec.colour)
    return Cell(
        shift.id, shift.code(locale), shift.label(locale), colour, ink_for(colour), shift_times(shift, locale),
        shift.paid_minutes,
    )


def _unknown_cell(shift_id: str) -> Cell:
    return Cell(shift_id, shift_id, shift_id, DEFAULT_COLOUR, "000000", "")


def created_at(roster: Roster) -> dt.datetime | None:
    """When the roster was made, time-zone aware, or None when unknown or unreadable."""
    if not roster.created:
        return None
    try:
        parsed = pendulum.parse(roster.created)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dt.datetime) and parsed.tzinfo is not None else None


def _meta(roster: Roster, problem: Problem, locale: str) -> tuple[tuple[str, str], ...]:
    horizon = problem.horizon
    status = str(roster.solver.get("status", word("not_solved", locale)))
    objective = roster.solver.get("objective")
    created = created_at(roster)
    tz = problem.department.timezone
    generated = "-" if created is None else f"{pendulum.instance(created).in_timezone(tz):%Y-%m-%d %H:%M} ({tz})"
    return (
        (word("horizon", locale), f"{horizon.start}–{horizon.end} ({horizon.days} {word('days', locale)})"),
        (word("revision", locale), str(roster.revision) if roster.revision else "-"),
        (word("status", locale), status),
        (word("objective", locale), "-" if objective is None else str(objective)),
        (word("generated", locale), generated),
    )


def _parse_day(key: Any) -> dt.date | None:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key)
        except ValueError:
            return None
    return None


def extras_by_day(value: Any) -> dict[dt.date, list[str]] | None:
    """Read an extras entry shaped ``{date: id or [ids]}`` (dates as ISO text); None for any other shape."""
    if not isinstance(value, Mapping) or not value:
        return None
    by_day: dict[dt.date, list[str]] = {}
    for raw_day, who in value.items():
        day = _parse_day(raw_day)
        items = [who] if isinstance(who, str) else who
        if day is None or not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            return None
        by_day[day] = list(items)
    return by_day


def _day_row(key: str, value: Any, dates: list[dt.date], names: Mapping[str, str], locale: str) -> DayRow | None:
    by_day = extras_by_day(value)
    if by_day is None:
        return None
    texts = tuple(", ".join(names.get(i, i) for i in by_day.get(d, [])) for d in dates)
    return DayRow(key, word(key, locale), texts)


def day_rows(roster: Roster, problem: Problem, locale: str) -> tuple[DayRow, ...]:
    """Rows for every extras entry keyed by date (``duty`` first), in a stable order."""
    names = {p.id: p.name for p in problem.department.staff}
    keys = sorted(roster.extras, key=lambda k: (k != "duty", k))
    rows = (_day_row(k, roster.extras[k], problem.dates, names, locale) for k in keys)
    return tuple(r for r in rows if r is not None)


def person_day_notes(roster: Roster, locale: str) -> dict[tuple[str, dt.date], list[str]]:
    """Texts plugins attach per person and day, shaped ``{date: {staff: text}}`` (R-MEAL meal times)."""
    notes: dict[tuple[str, dt.date], list[str]] = {}
    for key in sorted(roster.extras):
        value = roster.extras[key]
        for raw_day, people in value.items() if isinstance(value, Mapping) else ():
            day = _parse_day(raw_day)
            if day is None or not isinstance(people, Mapping):
                continue
            for staff, text in people.items():
                if isinstance(staff, str) and isinstance(text, str | int | float):
                    notes.setdefault((staff, day), []).append(f"{word(key, locale)} {text}")
    return notes


def _rows(roster: Roster, problem: Problem, cells: Mapping[str, Cell]) -> tuple[Row, ...]:
    totals = {t.staff: t for t in person_totals(roster, problem)}
    known = [p.id for p in problem.department.staff]
    others = sorted({a.staff for a in roster.assignments} - set(known))
    names = {p.id: p.name for p in problem.department.staff}
    notes = person_day_notes(roster, problem.department.locale)
    rows = []
    for staff in [*known, *others]:
        line = tuple(
            tuple(cells.get(s) or _unknown_cell(s) for s in roster.shifts_on(staff, day)) for day in problem.dates
        )
        texts = tuple("; ".join(notes.get((staff, day), [])) for day in problem.dates)
        rows.append(Row(staff, names.get(staff, staff), line, totals.get(staff) or PersonTotals(staff, staff), texts))
    return tuple(rows)


def _coverage(roster: Roster, problem: Problem, cells: Mapping[str, Cell]) -> tuple[CoverRow, ...]:
    counts: dict[tuple[dt.date, str], int] = {}
    for a in roster.assignments:
        counts[a.date, a.shift] = counts.get((a.date, a.shift), 0) + 1
    return tuple(
        CoverRow(cells[shift.id], tuple(
            Cover(counts.get((day, shift.id), 0), problem.cover_need(shift.id, i))
            for i, day in enumerate(problem.dates)
        ))
        for shift in problem.department.shifts
    )


def build_grid(roster: Roster, problem: Problem) -> Grid:
    dept = problem.department
    locale = dept.locale
    weekdays = WEEKDAY_SHORT.get(locale, WEEKDAY_SHORT["en"])
    cells = {s.id: make_cell(s, locale) for s in dept.shifts}
    days = tuple(Day(c.date, c.type, c.name, weekdays[c.date.weekday()]) for c in problem.horizon.calendar)
    return Grid(
        locale=locale,
        title=f"{dept.name} · {word('roster', locale)} {problem.horizon.label}",
        meta=_meta(roster, problem, locale),
        days=days,
        rows=_rows(roster, problem, cells),
        coverage=_coverage(roster, problem, cells),
        day_rows=day_rows(roster, problem, locale),
        shifts=tuple(cells.values()),
    )


def hours_text(minutes: int) -> str:
    """Paid minutes as hours for people: ``480`` -> ``8``, ``450`` -> ``7.5``."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


TOTAL_COLUMNS: tuple[str, ...] = ("shifts", "nights", "rest_day_shifts", "holiday_shifts", "hours", "overtime")
"""Label keys of the per-person totals, in the order both exports print them."""


def total_values(totals: PersonTotals) -> tuple[int | float, ...]:
    """The numbers under :data:`TOTAL_COLUMNS` (hours as numbers, so a spreadsheet can sum them)."""
    return (
        totals.shifts, totals.nights, totals.rest_day_shifts, totals.holiday_shifts,
        round(totals.minutes / 60, 2), round(totals.overtime_minutes / 60, 2),
    )
