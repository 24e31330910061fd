"""``points report``: per person points by grade, events, pay days, the full-attendance bonus; csv and json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from swaps.helpers import run

from dutyplan.ledger.chain import Ledger

from .test_attendance import NOW, scenario


def test_report_formats(dept: Path) -> None:
    assert run(["attendance", "import", dept, scenario(dept), "--at", NOW]).code == 0
    assert run(["points", "add", dept, "--staff", "E12", "--event", "praise-letter", "--date", "2027-01-14",
                "--by", "E01", "--at", NOW]).code == 0
    table = run(["points", "report", dept, "--month", "2027-01"])
    assert table.code == 0, str(table)
    row = next(line for line in table.out.splitlines() if "E13" in line)
    assert "-1" in row and "absence ×2" in row and "repeat-absence" in row
    assert "forfeited" in next(line for line in table.out.splitlines() if "E12" in line)

    rows = {r["staff_id"]: r for r in csv.DictReader(io.StringIO(run(["points", "report", dept, "--month",
                                                                        "2027-01", "--format", "csv"]).out))}
    assert len(rows) == 15  # everyone, with or without events (payroll needs the whole list)
    assert rows["E12"]["A"] == "1" and rows["E12"]["C"] == "-3" and rows["E12"]["full_attendance_bonus"] == "forfeited"
    assert rows["E13"]["B"] == "-1" and rows["E13"]["pay_days_deducted"] == "2"
    assert rows["E06"]["pay_days_deducted"] == "1" and rows["E06"]["events"] == "unapproved-swap"
    assert rows["E03"]["events"] == "" and rows["E03"]["full_attendance_bonus"] == "kept"

    data = json.loads(run(["points", "report", dept, "--month", "2027-01", "--format", "json"]).out)
    assert data["ledger_head"] == Ledger(dept).entries()[-1]["hash"] and data["ledger_entries"] == 14
    e12 = next(p for p in data["people"] if p["staff"] == "E12")
    assert e12["points"] == "+A1 -C3" and e12["events"]["late"] == 1

    empty = run(["points", "report", dept, "--month", "2027-02", "--format", "json"])
    assert all(p["points"] == "0" for p in json.loads(empty.out)["people"])


def test_reversed_entries_leave_the_report(dept: Path) -> None:
    run(["attendance", "import", dept, scenario(dept), "--at", NOW])
    entry = next(e for e in Ledger(dept).entries() if e["person"] == "E09")
    run(["ledger", "reverse", dept, str(entry["id"]), "--by", "E01", "--reason", "traffic accident, excused",
         "--at", NOW])
    rows = {r["staff_id"]: r for r in csv.DictReader(io.StringIO(run(["points", "report", dept, "--month",
                                                                        "2027-01", "--format", "csv"]).out))}
    assert rows["E09"]["C"] == "0" and rows["E09"]["events"] == ""


def test_report_refuses_a_damaged_ledger(dept: Path) -> None:
    run(["attendance", "import", dept, scenario(dept), "--at", NOW])
    path = Ledger(dept).path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")
    result = run(["points", "report", dept, "--month", "2027-01"])
    assert result.code == 1 and "line 4" in result.err and "ledger verify" in result.err, str(result)
