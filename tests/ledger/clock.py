"""Clock files for the attendance tests, made from the roster: everyone on time unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum

from dutyplan.planner import Workspace

Row = tuple[str, str, str]


def shift_rows(ws: Workspace, staff: str, day: dt.date, shift: str, arrive: int = -10, leave: int = 5) -> list[Row]:
    """An in and an out record: ``arrive`` minutes from the start, ``leave`` minutes from the end."""
    start, end = ws.department.shift_by_id[shift].interval(day, ws.department.timezone)
    return [(staff, start.add(minutes=arrive).isoformat(), "in"), (staff, end.add(minutes=leave).isoformat(), "out")]


def on_time(ws: Workspace, days: list[dt.date], skip: set[tuple[str, dt.date]] = frozenset()) -> list[Row]:  # type: ignore[assignment]
    roster = ws.store.load(f"{days[0]:%Y-%m}")
    rows: list[Row] = []
    for a in roster.assignments:
        if a.date in days and (a.staff, a.date) not in skip:
            rows += shift_rows(ws, a.staff, a.date, a.shift)
    return rows


def write_clock(path: Path, rows: list[Row]) -> Path:
    ordered = sorted(rows, key=lambda r: (pendulum.parse(r[1]), r[0]))
    path.write_text("staff_id,timestamp,kind\n" + "".join(f"{s},{t},{k}\n" for s, t, k in ordered), encoding="utf-8")
    return path
