"""The XLSX workbook: grid values and fills, frozen panes, coverage (R-COVER), assignments, legend, same bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from export_support import edit_department, january, make_roster

from dutyplan.domain import Problem
from dutyplan.export.xlsx_export import XlsxExporter
from dutyplan.roster import Roster


def _export(roster: Roster, problem: Problem, target: Path) -> Any:
    assert XlsxExporter().export(roster, problem, target) == [target]
    return openpyxl.load_workbook(target)


def _row_of(ws: Any, first_column_value: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == first_column_value:
            return row
    raise AssertionError(f"no row {first_column_value!r}")


def _fill(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:]


def test_roster_sheet_grid(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    wb = _export(roster, problem, tmp_path / "roster.xlsx")
    assert wb.sheetnames == ["排班表", "排班明细", "图例"]
    ws = wb["排班表"]
    assert ws.freeze_panes == "C6"
    assert "客服部前台" in ws["A1"].value and "optimal" in ws["A2"].value
    assert [ws.cell(row=4, column=c).value for c in (3, 4, 33)] == [1, 2, 31]
    assert [ws.cell(row=5, column=c).value for c in (3, 4, 6)] == ["五", "六", "一"]
    assert "元旦" in ws["C4"].comment.text
    assert _fill(ws["C4"]) == "F6C7C3" and _fill(ws["D4"]) == "E6E6E6"
    e03 = _row_of(ws, "E03")
    assert ws.cell(row=e03, column=2).value == "张伟"
    night = ws.cell(row=e03, column=3)
    assert night.value == "夜" and _fill(night) == "B9A7E8"
    off_weekend = ws.cell(row=e03, column=4)
    assert off_weekend.value is None and _fill(off_weekend) == "E6E6E6"
    assert _fill(ws.cell(row=_row_of(ws, "E02"), column=3)) == "F6C7C3"  # off on the holiday
    assert [ws.cell(row=e03, column=c).value for c in range(34, 40)] == [2, 2, 0, 1, 16, 0]
    assert ws.cell(row=4, column=37).value == "法定节假日班"
    assert ws.column_dimensions["C"].width == 4.5
    assert len([r for r in range(6, ws.max_row + 1) if str(ws.cell(row=r, column=1).value).startswith("E")]) == 15


def test_coverage_and_duty_rows(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    ws = _export(roster, problem, tmp_path / "roster.xlsx").worksheets[0]
    early = _row_of(ws, "early")
    assert ws.cell(row=early, column=2).value == "在岗人数 · 早班"
    assert ws.cell(row=early, column=3).value == 1 and _fill(ws.cell(row=early, column=3)) == "C0392B"
    assert ws.cell(row=early, column=6).value == 3 and _fill(ws.cell(row=early, column=6)) != "C0392B"
    night = _row_of(ws, "night")
    assert ws.cell(row=night, column=6).value == 2
    duty = _row_of(ws, "duty")
    assert duty > night
    assert [ws.cell(row=duty, column=c).value for c in (2, 3, 4, 6)] == ["值班", "王芳", None, "李娜"]


def test_assignments_sheet_has_csv_columns_and_times(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    ws = _export(roster, problem, tmp_path / "roster.xlsx").worksheets[1]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("date", "staff_id", "shift_id", "staff_name", "shift_name", "day_type", "start", "end")
    assert len(rows) == 1 + len(roster.assignments)
    night = next(r for r in rows if r[1] == "E03" and r[0] == "2027-01-01")
    assert night[2:8] == ("night", "张伟", "夜班", "holiday", "2027-01-01T22:00:00+08:00", "2027-01-02T07:30:00+08:00")


def test_legend_sheet(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    ws = _export(roster, problem, tmp_path / "roster.xlsx").worksheets[2]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == ("早", "early", "早班", "07:00–15:00", 8)
    assert rows[3][:4] == ("夜", "night", "夜班", "22:00–07:30 (次日)")
    assert _fill(ws["A4"]) == "B9A7E8"
    assert ("2027-01-01", "元旦", None, None, None) in rows


def test_same_roster_same_bytes(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    XlsxExporter().export(roster, problem, a)
    XlsxExporter().export(roster, problem, b)
    assert a.read_bytes() == b.read_bytes()
    wb = openpyxl.load_workbook(a)
    assert wb.properties.created == dt.datetime(2027, 1, 5, 2, 0)  # 10:00 in Shanghai, as UTC
    other = make_roster(problem, cells={("E01", dt.date(2027, 1, 1)): "night"})
    XlsxExporter().export(other, problem, b)
    assert a.read_bytes() != b.read_bytes()


def test_english_sheet_names(example_dept: Path, tmp_path: Path) -> None:
    edit_department(example_dept, 'locale = "zh"', 'locale = "en"')
    problem = january(example_dept)
    wb = _export(make_roster(problem), problem, tmp_path / "roster.xlsx")
    assert wb.sheetnames == ["Roster", "Assignments", "Legend"]
    ws = wb["Roster"]
    assert ws.cell(row=5, column=3).value == "Fr"
    assert ws.cell(row=_row_of(ws, "early"), column=2).value == "Coverage · Early"


def test_notes_column(problem: Problem, tmp_path: Path) -> None:
    roster = make_roster(problem, meals={"2027-01-01": {"E03": "02:00-02:30"}})
    rows = list(_export(roster, problem, tmp_path / "r.xlsx").worksheets[1].iter_rows(values_only=True))
    assert rows[0][-1] == "notes"
    assert next(r for r in rows if r[1] == "E03" and r[0] == "2027-01-01")[-1] == "用餐 02:00-02:30"
    assert next(r for r in rows if r[1] == "E01" and r[0] == "2027-01-01")[-1] is None
