"""``attendance import``: clock records judged against the current revision (S-LATE, S-LEAVE, S-REQUEST)."""

from __future__ import annotations

from pathlib import Path

import pytest
from swaps.helpers import d, run

from dutyplan.ledger.chain import Ledger
from dutyplan.swaps.workspace import open_workspace

from .clock import on_time, shift_rows, write_clock

DAYS = [d(11), d(12), d(13)]
NOW = "2027-01-14T12:00:00+08:00"
# On 01-11..13 (see tests/data/swaps/roster-2027-01.toml): early 01-11 is E01 E10 E12 E13; middle 01-12 is
# E06 E12 E13; night 01-11 is E02 E09; E07 is off on 01-12.
SPECIAL = {("E01", d(11)), ("E10", d(11)), ("E12", d(11)), ("E13", d(11)), ("E06", d(12)), ("E09", d(11)),
           ("E13", d(13)), ("E01", d(13)), ("E12", d(12)), ("E12", d(13))}


def scenario(dept: Path) -> Path:
    ws = open_workspace(dept)
    rows = on_time(ws, DAYS, skip=SPECIAL)
    rows += shift_rows(ws, "E01", d(11), "early", arrive=-2)     # 06:58: after the ready time 06:55
    rows += shift_rows(ws, "E01", d(13), "early", arrive=3)      # 07:03
    rows += shift_rows(ws, "E10", d(11), "early", leave=-20)     # out 14:40
    rows += shift_rows(ws, "E12", d(11), "early")[:1]            # no clock-out
    rows += shift_rows(ws, "E12", d(12), "middle", arrive=1)     # 14:31
    rows += shift_rows(ws, "E12", d(13), "night", leave=-30)     # out 07:00 next morning
    rows += shift_rows(ws, "E07", d(12), "middle")               # E07 works E06's middle shift, no request
    rows += shift_rows(ws, "E09", d(11), "night", arrive=30)     # 22:30, half an hour late
    return write_clock(dept / "clock-0111.csv", rows)            # E13 never comes (01-11 early, 01-13 middle)


EXPECTED = {
    ("E01", "2027-01-11", "late"), ("E01", "2027-01-13", "late"), ("E10", "2027-01-11", "early-leave"),
    ("E12", "2027-01-11", "missing-clock"), ("E12", "2027-01-12", "late"), ("E12", "2027-01-13", "early-leave"),
    ("E09", "2027-01-11", "late"), ("E13", "2027-01-11", "absence"), ("E13", "2027-01-13", "absence"),
    ("E06", "2027-01-12", "unapproved-swap"), ("E07", "2027-01-12", "unrostered-work"),
    ("E12", "2027-01-13", "bonus-forfeit"), ("E13", "2027-01-13", "repeat-absence"),
}


def test_import_derives_every_event_and_nothing_else(dept: Path) -> None:
    result = run(["attendance", "import", dept, scenario(dept), "--at", NOW])
    assert result.code == 0, str(result)
    entries = Ledger(dept).entries()
    assert {(e["person"], e["date"], e["event"]) for e in entries} == EXPECTED
    by = {(e["person"], e["date"], e["event"]): e for e in entries}
    assert by[("E01", "2027-01-11", "late")]["points"] == ["-C1"]
    absence = by[("E13", "2027-01-11", "absence")]
    assert absence["pay_days"] == 1 and absence["points"] == []
    assert by[("E13", "2027-01-13", "repeat-absence")]["points"] == ["-B1"]  # P-LEAVE: the second time -B1
    assert by[("E12", "2027-01-13", "bonus-forfeit")]["bonus_forfeit"] is True  # P-LATE: three slips
    swap = by[("E06", "2027-01-12", "unapproved-swap")]
    assert swap["rule"] == "P-SWAP" and swap["pay_days"] == 1 and swap["other"] == "E07"
    assert by[("E07", "2027-01-12", "unrostered-work")]["rule"] == "S-ROSTER-ONLY"
    assert "disciplinary" in by[("E09", "2027-01-11", "late")]["detail"]  # 30 minutes: S-LATE's 20-minute line
    source = by[("E10", "2027-01-11", "early-leave")]["source"]
    assert source["type"] == "attendance" and source["file"] == "clock-0111.csv" and len(source["lines"]) == 1
    assert "unapproved-swap 1" in result.out and "13 entries added" in result.out


def test_importing_the_same_file_twice_adds_nothing(dept: Path) -> None:
    path = scenario(dept)
    assert run(["attendance", "import", dept, path, "--at", NOW]).code == 0
    size = Ledger(dept).path.stat().st_size
    again = run(["attendance", "import", dept, path, "--at", "2027-01-15T12:00:00+08:00"])
    assert again.code == 0 and "0 entries added; 11 of the events were already recorded" in again.out, str(again)
    assert Ledger(dept).path.stat().st_size == size


def test_on_time_staff_and_night_shifts_across_midnight_give_no_events(dept: Path) -> None:
    ws = open_workspace(dept)
    result = run(["attendance", "import", dept, write_clock(dept / "c.csv", on_time(ws, DAYS)), "--at", NOW])
    assert result.code == 0 and "events: none" in result.out, str(result)
    assert not Ledger(dept).path.exists() or Ledger(dept).entries() == []


@pytest.mark.parametrize(("arrive", "late"), [(-5, False), (-4, True), (25, True)])
def test_ready_time_boundary(dept: Path, arrive: int, late: bool) -> None:
    """S-LATE: ready at the post 5 minutes before the start; 06:55 is in time for 07:00, 06:56 is late."""
    ws = open_workspace(dept)
    rows = on_time(ws, [d(11)], skip={("E01", d(11))}) + shift_rows(ws, "E01", d(11), "early", arrive=arrive)
    run(["attendance", "import", dept, write_clock(dept / "c.csv", rows), "--at", NOW])
    events = {(e["person"], e["event"]) for e in Ledger(dept).entries()} if Ledger(dept).path.exists() else set()
    assert (("E01", "late") in events) is late


def test_ready_minutes_is_configurable(tmp_path: Path) -> None:
    from swaps.helpers import make_department

    dept = make_department(tmp_path, "[attendance]\nready_minutes = 0\n")
    ws = open_workspace(dept)
    rows = on_time(ws, [d(11)], skip={("E01", d(11))}) + shift_rows(ws, "E01", d(11), "early", arrive=-2)
    result = run(["attendance", "import", dept, write_clock(dept / "c.csv", rows), "--at", NOW])
    assert "events: none" in result.out, str(result)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("staff,time,kind\n", "line 1: expected the header"),
        ("staff_id,timestamp,kind\nE99,2027-01-11T06:50:00+08:00,in\n", "line 2: unknown staff id 'E99'"),
        ("staff_id,timestamp,kind\nE01,2027-01-11T06:50:00+08:00,arrive\n", "line 2: expected kind 'in' or 'out'"),
        ("staff_id,timestamp,kind\n\nE01,yesterday,in\n", "line 3: expected a timestamp"),
        ("staff_id,timestamp,kind\nE01,2027-01-11\n", "line 2: expected three columns"),
    ],
)
def test_bad_clock_files_name_the_line(dept: Path, text: str, where: str) -> None:
    path = dept / "bad.csv"
    path.write_text(text, encoding="utf-8")
    result = run(["attendance", "import", dept, path])
    assert result.code == 2 and f"bad.csv: {where}" in result.err, str(result)


def test_reversing_an_event_settles_the_escalation(dept: Path) -> None:
    """Corrections are new entries: reversing one of E12's three slips withdraws the bonus forfeit too."""
    run(["attendance", "import", dept, scenario(dept), "--at", NOW])
    ledger = Ledger(dept)
    slip = next(e for e in ledger.entries() if e["person"] == "E12" and e["event"] == "late")
    refused = run(["ledger", "reverse", dept, str(slip["id"]), "--by", "E12", "--reason", "clock was slow"])
    assert refused.code == 1 and "may not correct the ledger" in refused.err
    result = run(["ledger", "reverse", dept, str(slip["id"]), "--by", "E01", "--reason", "the clock was slow",
                  "--at", NOW])
    assert result.code == 0, str(result)
    added = ledger.entries()[-2:]
    assert added[0]["reverses"] == slip["id"] and added[0]["points"] == ["+C1"]
    assert added[1]["event"] == "reversal" and "no longer warranted" in added[1]["detail"]
    assert ledger.scan().ok
    twice = run(["ledger", "reverse", dept, str(slip["id"]), "--by", "E01", "--reason", "again"])
    assert twice.code == 1 and "already reversed" in twice.err
