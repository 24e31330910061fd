"""A concrete roster: who works which shift on which day, plus what plugins attach to it.

A roster is plain data. It knows nothing of the solver; the checker and every
export read it. It round-trips through a TOML file (written with tomli-w) and
can be read from the CSV export so that a roster made elsewhere can be checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutyplan.calendar import date_range
from dutyplan.domain import OFF, Problem
from dutyplan.errors import InputError

FORMAT = "dutyplan-roster/1"


@dataclass(frozen=True, order=True)
class Assignment:
    date: dt.date
    staff: str
    shift: str


@dataclass(frozen=True)
class _Lookup:
    stamp: tuple[int, int]
    by_staff: dict[str, list[Assignment]]
    on: dict[tuple[dt.date, str], list[str]]
    cells: dict[tuple[str, dt.date], list[str]]


@dataclass
class Roster:
    """Assignments over a horizon. ``revision`` is 0 until the roster is stored."""

    department: str
    start: dt.date
    days: int
    assignments: list[Assignment] = field(default_factory=list)
    revision: int = 0
    created: str | None = None
    solver: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    kind: str = "roster"
    """``roster`` for an ordinary plan, ``holiday-plan`` for a plan published ahead (R-HOLIDAY-PLAN)."""

    def __post_init__(self) -> None:
        self._lookup: _Lookup | None = None

    # -- lookups -----------------------------------------------------------
    @property
    def dates(self) -> list[dt.date]:
        return date_range(self.start, self.days)

    def _cells(self) -> dict[tuple[str, dt.date], list[str]]:
        return self._lookups().cells

    def shifts_on(self, staff: str, day: dt.date) -> list[str]:
        return self._cells().get((staff, day), [])

    def shift_on(self, staff: str, day: dt.date) -> str | None:
        """The person's shift that day (the first if, wrongly, there are several)."""
        cell = self._cells().get((staff, day))
        return cell[0] if cell else None

    def _lookups(self) -> _Lookup:
        """Assignments by person and by (day, shift), built once: checks ask these thousands of times.

        Rebuilt if ``assignments`` was replaced or changed length since (a roster is
        treated as read-only once built; see :meth:`replace_assignments`).
        """
        stamp = (id(self.assignments), len(self.assignments))
        if self._lookup is None or self._lookup.stamp != stamp:
            by_staff: dict[str, list[Assignment]] = {}
            on: dict[tuple[dt.date, str], list[str]] = {}
            cells: dict[tuple[str, dt.date], list[str]] = {}
            for a in self.assignments:
                by_staff.setdefault(a.staff, []).append(a)
                on.setdefault((a.date, a.shift), []).append(a.staff)
                cells.setdefault((a.staff, a.date), []).append(a.shift)
            self._lookup = _Lookup(stamp, by_staff, on, cells)
        return self._lookup

    def by_staff(self, staff: str) -> Iterator[Assignment]:
        return iter(self._lookups().by_staff.get(staff, ()))

    def on(self, day: dt.date, shift: str) -> list[str]:
        return list(self._lookups().on.get((day, shift), ()))

    def replace_assignments(self, assignments: Iterable[Assignment]) -> Roster:
        """A copy with other assignments, the same horizon, no revision yet."""
        return Roster(
            self.department, self.start, self.days, sorted(assignments),
            extras=dict(self.extras),
        )

    # -- TOML --------------------------------------------------------------
    def to_toml_dict(self, staff_order: list[str]) -> dict[str, Any]:
        grid: dict[str, str] = {}
        dates = self.dates
        others = sorted({a.staff for a in self.assignments} - set(staff_order))
        for staff in [*staff_order, *others]:
            grid[staff] = " ".join("+".join(self.shifts_on(staff, d)) or OFF for d in dates)
        data: dict[str, Any] = {
            "format": FORMAT,
            "department": self.department,
            "start": self.start,
            "days": self.days,
            "revision": self.revision,
            "kind": self.kind,
        }
        if self.created:
            data["created"] = self.created
        if self.note:
            data["note"] = self.note
        if self.solver:
            data["solver"] = self.solver
        data["assignments"] = grid
        if self.extras:
            data["extras"] = self.extras
        return data

    # The grid is one line per person: shift ids by day, separated by spaces, '-' for a day off.
    @classmethod
    def from_toml_dict(cls, data: dict[str, Any], path: Path) -> Roster:
        try:
            if data.get("format") != FORMAT:
                raise InputError(f"expected format = {FORMAT!r}", path=path, where="format")
            start, days = data["start"], data["days"]
            if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
                raise InputError(f"expected a date like 2027-01-01, found {start!r}", path=path, where="start")
            if not isinstance(days, int) or isinstance(days, bool) or days < 1:
                raise InputError(f"expected a positive whole number, found {days!r}", path=path, where="days")
            grid = data.get("assignments", {})
            if not isinstance(grid, dict):
                raise InputError("expected a table of person = \"shift shift - ...\"", path=path,
                                 where="assignments")
            for key in ("solver", "extras"):
                if not isinstance(data.get(key, {}), dict):
                    raise InputError("expected a table", path=path, where=key)
            if not isinstance(data.get("revision", 0), int):
                raise InputError("expected a whole number", path=path, where="revision")
            assignments: list[Assignment] = []
            for staff, line in grid.items():
                if not isinstance(line, str):
                    raise InputError(
                        "expected a string of shift ids separated by spaces ('-' for a day off)",
                        path=path, where=f"assignments.{staff}",
                    )
                cells = line.split()
                if len(cells) != days:
                    raise InputError(
                        f"expected {days} entries, found {len(cells)}",
                        path=path, where=f"assignments.{staff}",
                    )
                for day, cell in zip(date_range(start, days), cells, strict=True):
                    if cell != OFF:
                        assignments.extend(Assignment(day, staff, s) for s in cell.split("+"))
        except KeyError as exc:
            raise InputError(f"missing key {exc.args[0]!r}", path=path) from None
        return cls(
            department=str(data.get("department", "")),
            start=start,
            days=days,
            assignments=sorted(assignments),
            revision=int(data.get("revision", 0)),
            created=data.get("created"),
            solver=dict(data.get("solver", {})),
            extras=dict(data.get("extras", {})),
            note=data.get("note"),
            kind=str(data.get("kind", "roster")),
        )

    # -- CSV -----------------------------------------------------------------
    @classmethod
    def from_csv(cls, path: Path, problem: Problem) -> Roster:
        """Read ``date,staff_id,shift_id`` rows (more columns may follow) for ``problem``'s horizon."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            raise InputError("not UTF-8 text; save the CSV with the UTF-8 encoding", path=path,
                             where=f"line {line}") from None
        except OSError as exc:
            raise InputError(f"cannot read roster CSV: {exc.strerror}", path=path) from None
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["date", "staff_id", "shift_id"]:
            raise InputError(
                "expected the header 'date,staff_id,shift_id' on the first line", path=path, where="line 1"
            )
        staff = set(problem.staff_ids)
        shifts = set(problem.shift_ids)
        horizon = problem.horizon
        assignments: list[Assignment] = []
        for lineno, row in enumerate(reader, start=2):
            if not row or all(not c.strip() for c in row):
                continue
            where = f"line {lineno}"
            if len(row) < 3:
                raise InputError("expected three columns: date,staff_id,shift_id", path=path, where=where)
            date_s, staff_id, shift_id = (c.strip() for c in row[:3])
            try:
                day = dt.date.fromisoformat(date_s)
            except ValueError:
                raise InputError(f"expected an ISO date, found {date_s!r}", path=path, where=where) from None
            if horizon.index(day) is None:
                raise InputError(
                    f"date {day} is outside the horizon {horizon.start}..{horizon.end}",
                    path=path, where=where,
                )
            if staff_id not in staff:
                raise InputError(f"unknown staff id {staff_id!r}", path=path, where=where)
            if shift_id not in shifts:
                raise InputError(
                    f"unknown shift id {shift_id!r} (expected one of {', '.join(sorted(shifts))})",
                    path=path, where=where,
                )
            assignments.append(Assignment(day, staff_id, shift_id))
        return cls(problem.department.slug, horizon.start, horizon.days, sorted(assignments))

    def to_csv(self, problem: Problem) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "staff_id", "shift_id", "staff_name", "shift_name", "day_type"])
        dept = problem.department
        for a in sorted(self.assignments):
            index = problem.horizon.index(a.date)
            day_type = problem.horizon.day_type(index) if index is not None else ""
            person = dept.staff_by_id.get(a.staff)
            shift = dept.shift_by_id.get(a.shift)
            writer.writerow([
                a.date.isoformat(), a.staff, a.shift,
                person.name if person else "", shift.label(dept.locale) if shift else "", day_type,
            ])
        return out.getvalue()
