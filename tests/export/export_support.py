"""Helpers of the export tests: a hand-made January 2027 roster (no solver, so the tests stay fast)
and a small HTML table reader."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

from dutyplan.domain import Problem
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment, Roster

CREATED = "2027-01-05T10:00:00+08:00"

JAN1, JAN2, JAN4 = dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 4)
CELLS: dict[tuple[str, dt.date], str] = {
    # 2027-01-01, New Year's Day (statutory holiday): early is short of its minimum of 2 (R-COVER).
    ("E01", JAN1): "early",
    ("E03", JAN1): "night",
    ("E06", JAN1): "middle",
    ("E07", JAN1): "middle",
    ("E02", JAN2): "early",
    # 2027-01-04, a workday covered exactly at the minimum: early 3, middle 3, night 2.
    ("E01", JAN4): "early",
    ("E02", JAN4): "early",
    ("E04", JAN4): "early",
    ("E06", JAN4): "middle",
    ("E07", JAN4): "middle",
    ("E08", JAN4): "middle",
    ("E03", JAN4): "night",
    ("E05", JAN4): "night",
}
DUTY = {"2027-01-01": ["E01"], "2027-01-04": ["E02"]}


def edit_department(dept: Path, old: str, new: str) -> None:
    """Replace text in the copied department file (the copy, never the repo's)."""
    path = dept / "department.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_override(dept: Path, day: str, kind: str, name: str) -> None:
    with (dept / "department.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[[calendar.override]]\ndate = {day}\ntype = "{kind}"\nname = "{name}"\n')


def january(dept: Path) -> Problem:
    ws = Workspace.open(dept)
    return ws.problem(ws.horizon("2027-01", None, None))


def make_roster(problem: Problem, cells: dict[tuple[str, dt.date], str] | None = None, **extras: object) -> Roster:
    horizon = problem.horizon
    assignments = sorted(Assignment(day, staff, shift) for (staff, day), shift in (cells or CELLS).items())
    return Roster(
        problem.department.slug, horizon.start, horizon.days, assignments, revision=2, created=CREATED,
        solver={"status": "optimal", "objective": 123}, extras=dict(extras),
    )


class Table(HTMLParser):
    """Rows of ``<tr>`` as lists of (tag, attributes, text) for the cells, plus each row's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[dict[str, str], list[tuple[str, dict[str, str], str]]]] = []
        self._cell: tuple[str, dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "tr":
            self.rows.append((values, []))
        elif tag in ("td", "th") and self.rows:
            self._cell = (tag, values, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            name, values, text = self._cell
            self.rows[-1][1].append((name, values, "".join(text).strip()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[2].append(data)


def parse_table(html_text: str) -> Table:
    table = Table()
    table.feed(html_text)
    return table

