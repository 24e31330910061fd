"""The export formats from the command line, on a roster the solver really made (a short plan)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
from export_support import parse_table
from icalendar import Calendar

DUTYPLAN = str(Path(sys.executable).parent / "dutyplan")


def _run(*args: str) -> str:
    done = subprocess.run([DUTYPLAN, *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_plan_writes_every_format_and_export_rewrites_html(example_dept: Path, tmp_path: Path) -> None:
    _run("plan", str(example_dept), "--month", "2027-01", "--time-limit", "3", "--workers", "2")
    folder = example_dept / "2027-01" / "r1"
    page = (folder / "roster.html").read_text(encoding="utf-8")
    covers = [cells for attrs, cells in parse_table(page).rows if attrs.get("class") == "cover"]
    assert len(covers) == 3
    assert not any("short" in c[1].get("class", "").split() for cells in covers for c in cells[1:])  # R-COVER holds
    wb = openpyxl.load_workbook(folder / "roster.xlsx")
    assert wb.worksheets[1].max_row > 200  # about 15 people x 19 shifts
    if "[duty]" in (example_dept / "department.toml").read_text(encoding="utf-8"):  # D-DAILY rotation planned
        duty = [cells for attrs, cells in parse_table(page).rows if attrs.get("data-key") == "duty"]
        assert len(duty) == 1 and all(c[2] for c in duty[0][1:32])
    ics = sorted((folder / "ics").glob("*.ics"))
    assert len(ics) == 15
    assert all(len(Calendar.from_ical(p.read_bytes()).walk("VEVENT")) >= 10 for p in ics)  # min_shifts >= 10

    target = tmp_path / "printed" / "january.html"
    out = _run("export", str(example_dept), "--month", "2027-01", "--format", "html", "-o", str(target))
    assert out.strip() == str(target)
    exported = target.read_text(encoding="utf-8")
    for name in ("王芳", "李娜", "胡斌"):
        assert name in exported
    assert "<b>版本</b>: 1" in exported
