"""XLSX export: the roster as a workbook the attendance clerk can file, sum and send on (R-MONTH).

Three sheets: the grid (same content as the HTML page, from
:mod:`dutyplan.export.grid`: shift codes on their colours, rest days and
statutory holidays filled, totals, coverage against the R-COVER minimum), the
assignments one per row (the CSV columns plus start and end in the department's
time zone, so pay can be computed from them), and a legend.

The same roster gives the same bytes: the document times are the roster's
``created`` time and the zip entries carry a fixed date, so a stored export can
be compared with a fresh one.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from dutyplan.domain import Problem
from dutyplan.export.grid import TOTAL_COLUMNS, Cell, Day, Grid, build_grid, created_at, person_day_notes, total_values
from dutyplan.export.words import word
from dutyplan.roster import Roster

SHADE_FILL = {"rest": "E6E6E6", "holiday": "F6C7C3", "adjusted": "D6E4F0"}
"""Fills of off cells and day headers by :attr:`Day.shade` (workdays stay white)."""
SHORT_FILL, OVER_FILL = "C0392B", "F0AD4E"
HEADER_ROW = 4
"""Row of the day numbers; the weekday row follows and people start after it."""
FIRST_DAY_COLUMN = 3
"""Columns A and B hold the staff id and name; days start at C (where panes freeze)."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_THIN = Side(style="thin", color="BBBBBB")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTRE = Alignment(horizontal="center", vertical="center")


def fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _put(ws: Worksheet, row: int, column: int, value: Any, *, colour: str | None = None,
         ink: str | None = None, bold: bool = False) -> None:
    """Write one bordered, centred grid cell."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.border = BORDER
    cell.alignment = CENTRE
    if colour:
        cell.fill = fill(colour)
    if ink or bold:
        cell.font = Font(color=ink, bold=bold)


def _header(ws: Worksheet, grid: Grid) -> None:
    locale = grid.locale
    ws.cell(row=1, column=1, value=grid.title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value="   ".join(f"{k}: {v}" for k, v in grid.meta))
    _put(ws, HEADER_ROW, 1, word("staff_id", locale), bold=True)
    _put(ws, HEADER_ROW, 2, word("name", locale), bold=True)
    for offset, day in enumerate(grid.days):
        column = FIRST_DAY_COLUMN + offset
        colour = SHADE_FILL.get(day.shade)
        _put(ws, HEADER_ROW, column, day.date.day, colour=colour, bold=True)
        mark = f" {word('adjusted_mark', locale)}" if day.shade == "adjusted" else ""
        _put(ws, HEADER_ROW + 1, column, day.weekday + mark, colour=colour)
        if day.name:
            note = f"{word(day.type, locale)}: {day.name}"
            ws.cell(row=HEADER_ROW, column=column).comment = Comment(note, "dutyplan")
    totals_at = FIRST_DAY_COLUMN + len(grid.days)
    for offset, key in enumerate(TOTAL_COLUMNS):
        _put(ws, HEADER_ROW, totals_at + offset, word(key, locale), bold=True)


def _grid_cell(ws: Worksheet, row: int, column: int, cells: Sequence[Cell], day: Day) -> None:
    if not cells:
        _put(ws, row, column, None, colour=SHADE_FILL.get(day.shade))
        return
    _put(ws, row, column, "+".join(c.code for c in cells), colour=cells[0].colour, ink=cells[0].ink)


def _people(ws: Worksheet, grid: Grid, first_row: int) -> int:
    totals_at = FIRST_DAY_COLUMN + len(grid.days)
    row = first_row
    for person in grid.rows:
        ws.cell(row=row, column=1, value=person.staff).border = BORDER
        ws.cell(row=row, column=2, value=person.name).border = BORDER
        for offset, (cells, day) in enumerate(zip(person.cells, grid.days, strict=True)):
            _grid_cell(ws, row, FIRST_DAY_COLUMN + offset, cells, day)
        for offset, value in enumerate(total_values(person.totals)):
            _put(ws, row, totals_at + offset, value)
        row += 1
    return row


def _coverage(ws: Worksheet, grid: Grid, first_row: int) -> int:
    locale = grid.locale
    row = first_row
    for cover in grid.coverage:
        ws.cell(row=row, column=1, value=cover.shift.shift_id)
        ws.cell(row=row, column=2, value=f"{word('coverage', locale)} · {cover.shift.label}").font = Font(bold=True)
        for offset, (c, day) in enumerate(zip(cover.counts, grid.days, strict=True)):
            colour = SHORT_FILL if c.short else OVER_FILL if c.over else SHADE_FILL.get(day.shade)
            _put(ws, row, FIRST_DAY_COLUMN + offset, c.count, colour=colour,
                 ink="FFFFFF" if c.short else None, bold=c.short)
        row += 1
    for extra in grid.day_rows:
        ws.cell(row=row, column=1, value=extra.key)
        ws.cell(row=row, column=2, value=extra.label).font = Font(bold=True)
        for offset, (value, day) in enumerate(zip(extra.values, grid.days, strict=True)):
            _put(ws, row, FIRST_DAY_COLUMN + offset, value or None, colour=SHADE_FILL.get(day.shade))
        row += 1
    return row


def roster_sheet(ws: Worksheet, grid: Grid) -> None:
    ws.title = word("roster", grid.locale)
    _header(ws, grid)
    first = HEADER_ROW + 2
    _coverage(ws, grid, _people(ws, grid, first))
    ws.freeze_panes = ws.cell(row=first, column=FIRST_DAY_COLUMN)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 16
    for offset in range(len(grid.days)):
        ws.column_dimensions[get_column_letter(FIRST_DAY_COLUMN + offset)].width = 4.5
    for offset in range(len(TOTAL_COLUMNS)):
        ws.column_dimensions[get_column_letter(FIRST_DAY_COLUMN + len(grid.days) + offset)].width = 9
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


ASSIGNMENT_HEADER = ("date", "staff_id", "shift_id", "staff_name", "shift_name", "day_type", "start", "end", "notes")
"""The CSV export's columns, then the shift's start and end (ISO, department time zone) and plugin notes."""


def assignment_rows(roster: Roster, problem: Problem) -> list[tuple[str, ...]]:
    dept = problem.department
    notes = person_day_notes(roster, dept.locale)
    rows: list[tuple[str, ...]] = []
    for a in sorted(roster.assignments):
        index = problem.horizon.index(a.date)
        person = dept.staff_by_id.get(a.staff)
        shift = dept.shift_by_id.get(a.shift)
        start, end = shift.interval(a.date, dept.timezone) if shift else (None, None)
        rows.append((
            a.date.isoformat(), a.staff, a.shift, person.name if person else "",
            shift.label(dept.locale) if shift else "",
            problem.horizon.day_type(index) if index is not None else "",
            start.isoformat() if start else "", end.isoformat() if end else "",
            "; ".join(notes.get((a.staff, a.date), [])),
        ))
    return rows


def assignments_sheet(ws: Worksheet, roster: Roster, problem: Problem) -> None:
    ws.title = word("assignments", problem.department.locale)
    ws.append(ASSIGNMENT_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in assignment_rows(roster, problem):
        ws.append(row)
    ws.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (12, 9, 9, 12, 10, 16, 26, 26, 24), strict=True):
        ws.column_dimensions[column].width = width


def legend_sheet(ws: Worksheet, grid: Grid) -> None:
    locale = grid.locale
    ws.title = word("legend", locale)
    ws.append([word("code", locale), word("shift_id", locale), word("shift", locale), word("time", locale),
               word("paid_hours", locale)])
    for cell in grid.shifts:
        ws.append([cell.code, cell.shift_id, cell.label, cell.times, round(cell.paid_minutes / 60, 2)])
        code = ws.cell(row=ws.max_row, column=1)
        code.fill, code.font, code.alignment = fill(cell.colour), Font(color=cell.ink, bold=True), CENTRE
    ws.append([])
    ws.append([word("day_types", locale)])
    for shade, key in (("rest", "rest_day"), ("holiday", "holiday"), ("adjusted", "adjusted_workday")):
        ws.append([word("adjusted_mark", locale) if shade == "adjusted" else None, word(key, locale)])
        ws.cell(row=ws.max_row, column=1).fill = fill(SHADE_FILL[shade])
    if grid.holidays:
        ws.append([])
        ws.append([word("holidays", locale)])
        for day in grid.holidays:
            ws.append([day.date.isoformat(), day.name or ""])
    for column, width in zip("ABCDE", (12, 10, 30, 22, 10), strict=True):
        ws.column_dimensions[column].width = width


def stamp_of(roster: Roster, problem: Problem) -> dt.datetime:
    """Document time: the roster's creation (UTC, naive as openpyxl wants), else the horizon start."""
    created = created_at(roster)
    if created is None:
        return dt.datetime.combine(problem.horizon.start, dt.time())
    return created.astimezone(dt.UTC).replace(tzinfo=None)


def workbook_bytes(wb: Workbook, stamp: dt.datetime) -> bytes:
    """Serialise with fixed document and zip-entry times, so equal rosters give equal bytes."""
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "dutyplan"
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def build_workbook(roster: Roster, problem: Problem) -> Workbook:
    grid = build_grid(roster, problem)
    wb = Workbook()
    roster_sheet(wb.active, grid)
    assignments_sheet(wb.create_sheet(), roster, problem)
    legend_sheet(wb.create_sheet(), grid)
    return wb
