"""``dutyplan check``: a stored roster passes; a roster edited in a spreadsheet is caught (R-REST, R-COVER).

The edited rosters start from the CSV that ``plan`` exported, change one thing
by hand as a clerk would, and must be reported with the rule id, the person
and the date, with exit code 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from .support import MONTH, PlannedMonth, Result, read_department


def _rows(planned: PlannedMonth) -> list[list[str]]:
    text = (planned.folder / "r2" / "roster.csv").read_text(encoding="utf-8")
    return [row[:3] for row in csv.reader(io.StringIO(text))][1:]


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "staff_id", "shift_id"])
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_check_passes_the_stored_roster(planned_month: PlannedMonth, run_cli: Callable[..., Result]) -> None:
    result = run_cli(["check", planned_month.dept, "--month", MONTH])
    assert result.code == 0, str(result)
    assert "0 hard violation(s)" in result.out
    assert "Traceback" not in result.err


def test_check_catches_early_after_night(
    planned_month: PlannedMonth, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """R-REST: someone works night, then early the next morning (night ends 07:30, early starts 07:00)."""
    data = read_department(planned_month.dept)
    night_shifts = [sid for sid, s in data["shifts"].items() if s["end"] < s["start"]]
    early = min(data["shifts"], key=lambda sid: data["shifts"][sid]["start"])
    rows = _rows(planned_month)
    person, night = next(
        (staff, dt.date.fromisoformat(day)) for day, staff, shift in rows
        if shift in night_shifts and day < "2027-01-31"
    )
    morning = (night + dt.timedelta(days=1)).isoformat()
    rows = [r for r in rows if not (r[0] == morning and r[1] == person)] + [[morning, person, early]]
    result = run_cli(["check", planned_month.dept, "--month", MONTH, "--roster", _write(tmp_path / "e.csv", rows)])
    assert result.code == 1, str(result)
    line = next((x for x in result.out.splitlines() if "R-REST" in x), None)
    assert line is not None, result.out
    assert line.startswith("HARD") and person in line and morning in line
    assert "hard rule violation" in result.err and "Traceback" not in result.err


def test_check_catches_an_empty_shift(
    planned_month: PlannedMonth, invoke: Callable[..., Result], tmp_path: Path
) -> None:
    """R-COVER: everybody removed from one shift on one day (in this process, to save a start-up)."""
    data = read_department(planned_month.dept)
    shift = next(iter(data["shifts"]))
    rows = [r for r in _rows(planned_month) if not (r[0] == "2027-01-05" and r[2] == shift)]
    result = invoke(["check", planned_month.dept, "--month", MONTH, "--roster", _write(tmp_path / "f.csv", rows)])
    assert result.code == 1, str(result)
    cover = [x for x in result.out.splitlines() if x.startswith("HARD") and "R-COVER" in x]
    assert any("2027-01-05" in x and f"{shift} on 01-05 has 0 people" in x for x in cover), result.out


def test_check_reads_a_csv_with_names_and_a_bom(
    planned_month: PlannedMonth, invoke: Callable[..., Result], tmp_path: Path
) -> None:
    """A CSV saved by a spreadsheet (BOM, extra columns) is read exactly like the export itself."""
    export = planned_month.folder / "r2" / "roster.csv"
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + export.read_bytes())
    plain = invoke(["check", planned_month.dept, "--month", MONTH, "--roster", export])
    excel = invoke(["check", planned_month.dept, "--month", MONTH, "--roster", path])
    assert excel.code in (0, 1) and "Traceback" not in excel.err, str(excel)
    assert (excel.code, excel.out) == (plain.code, plain.out)


def test_the_exported_csv_of_a_planned_roster_passes_check(
    planned_month: PlannedMonth, invoke: Callable[..., Result]
) -> None:
    export = planned_month.folder / "r2" / "roster.csv"
    result = invoke(["check", planned_month.dept, "--month", MONTH, "--roster", export])
    assert result.code == 0, str(result)


def test_a_csv_without_a_stored_revision_warns_once_about_the_duty_rotation(
    example_dept: Path, invoke: Callable[..., Result]
) -> None:
    """D-DAILY: a CSV carries shifts only; with nothing stored to borrow the rotation from, one warning
    says so instead of a "0 on duty" violation for every day. The shift rules are still checked."""
    published = Path(__file__).parents[2] / "rosters" / "customer-service" / "2027-01" / "r1" / "roster.csv"
    result = invoke(["check", example_dept, "--month", MONTH, "--roster", published])
    warnings = [x for x in result.out.splitlines() if "D-DAILY" in x]
    assert len(warnings) == 1 and warnings[0].startswith("WARN"), result.out
    assert "no duty rotation" in warnings[0]
    assert not [x for x in result.out.splitlines() if x.startswith("HARD") and x.split()[1].startswith("D-")]
    assert "rules checked" in result.out
