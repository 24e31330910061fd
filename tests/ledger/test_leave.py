"""Leave requests: the S-LEAVE notice rules both ways, approval as a new revision, the gap it leaves."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
from swaps.helpers import MONTH, d, run, write_request

from dutyplan.errors import InputError
from dutyplan.ledger.chain import Ledger
from dutyplan.ledger.leave import check_leave, load_leave
from dutyplan.swaps.workspace import open_workspace

from .clock import on_time, write_clock

TZ = dt.timezone(dt.timedelta(hours=8))


def leave(staff: str = "E02", kind: str = "personal", start: Any = None, end: Any = None,
          asked: dt.datetime | None = None, by: str | None = None) -> dict[str, Any]:
    return {"format": "dutyplan-leave/1", "staff": staff, "type": kind, "start": start or d(10), "end": end or d(11),
            "requested_at": asked or dt.datetime(2027, 1, 8, 9, 0, tzinfo=TZ), "written_by": by or staff}


def notice(dept: Path, data: dict[str, Any]) -> list[str]:
    ws = open_workspace(dept)
    outcome = check_leave(ws, load_leave(write_request(dept, "l.toml", data, folder="leave"), ws.department))
    return [f"{v.rule_id} {v.message}" for v in outcome.notice]


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=TZ)


# E02 works night (22:00-07:30) on 01-10 and 01-11 and is on duty on 01-10.
@pytest.mark.parametrize(
    ("kind", "asked", "by", "ok"),
    [
        ("personal", at(9, 23, 59), None, True),     # the day before: in time
        ("personal", at(10, 0, 1), None, False),     # the same day: too late for ordinary leave
        ("urgent", at(10, 21, 0), None, True),       # an hour before the shift
        ("urgent", at(10, 21, 1), None, False),
        ("sick", at(10, 21, 50), "E01", True),       # sick leave: no notice, and someone else may file it
        ("personal", at(8, 9, 0), "E01", False),     # personal leave is requested by the person themself
    ],
)
def test_notice_rules(dept: Path, kind: str, asked: dt.datetime, by: str | None, ok: bool) -> None:
    problems = notice(dept, leave(kind=kind, asked=asked, by=by))
    assert (problems == []) is ok, problems
    assert all(p.startswith("S-LEAVE") for p in problems)


def test_times_instead_of_days_cover_the_overlapping_shift(dept: Path) -> None:
    ws = open_workspace(dept)
    data = leave(start=at(11, 23, 0), end=at(12, 3, 0), kind="urgent", asked=at(11, 12, 0))
    outcome = check_leave(ws, load_leave(write_request(dept, "t.toml", data, folder="leave"), ws.department))
    assert [(a.date, a.shift) for a in outcome.removed] == [(d(11), "night")]  # the night of 01-11 only


def test_bad_leave_files(dept: Path) -> None:
    ws = open_workspace(dept)
    for change, words in (({"type": "holiday"}, "type: unknown leave type 'holiday'"),
                          ({"end": d(9)}, "is before start"),
                          ({"end": dt.date(2027, 2, 2)}, "end: the leave runs into 2027-02"),
                          ({"start": at(10, 8), "end": d(11)}, "both be dates")):
        path = write_request(dept, "bad.toml", {**leave(), **change}, folder="leave")
        with pytest.raises(InputError, match=words):
            load_leave(path, ws.department)


def test_approve_removes_the_shifts_and_reports_the_gap(dept: Path) -> None:
    path = write_request(dept, "e02.toml", leave(), folder="leave")
    refused = run(["leave", "approve", path, "--by", "E03"])
    assert refused.code == 1 and "may not approve leave" in refused.err
    result = run(["leave", "approve", path, "--by", "E01", "--at", "2027-01-08T10:00:00+08:00"])
    assert result.code == 0, str(result)
    assert "revision 2 written" in result.out and "shifts removed: night 01-10, night 01-11" in result.out
    gap = result.out.split("gap left")[1]
    assert "R-COVER" in gap and "night on 01-11 has 1 people, at least 2 needed" in gap
    assert "D-DAILY" in gap and "0 on duty on 01-10" in gap  # E02's duty day goes with the leave
    ws = open_workspace(dept)
    new = ws.store.load(MONTH)
    assert new.shift_on("E02", d(10)) is None and new.shift_on("E02", d(11)) is None
    assert new.shift_on("E02", d(9)) == "early"  # nothing else moves
    assert "E02" not in new.extras["duty"]["2027-01-10"]
    assert new.extras["applied_leave"][0]["staff"] == "E02"
    moved = tomllib.loads((dept / MONTH / "leave" / "approved" / "e02.toml").read_text(encoding="utf-8"))
    assert moved["decision"]["revision"] == 2
    assert "E02.ics" in result.out


def test_late_notice_needs_accept_late(dept: Path) -> None:
    path = write_request(dept, "late.toml", leave(asked=at(10, 12, 0)), folder="leave")
    refused = run(["leave", "approve", path, "--by", "E01", "--at", "2027-01-10T12:30:00+08:00"])
    assert refused.code == 1 and "S-LEAVE" in refused.err and "--accept-late" in refused.err, str(refused)
    assert path.exists()
    result = run(["leave", "approve", path, "--by", "E01", "--accept-late", "--at", "2027-01-10T12:30:00+08:00"])
    assert result.code == 0, str(result)
    moved = tomllib.loads((dept / MONTH / "leave" / "approved" / "late.toml").read_text(encoding="utf-8"))
    assert moved["decision"]["note"].startswith("late notice accepted")
    ws = open_workspace(dept)
    assert ws.store.load(MONTH).extras["applied_leave"][0]["late_notice_accepted"] is True


def test_approved_leave_is_not_an_absence(dept: Path) -> None:
    """After the leave, E02's missing clock records on 01-11 are no 旷工; the roster no longer has the shift."""
    assert run(["leave", "approve", write_request(dept, "e02.toml", leave(), folder="leave"), "--by", "E01",
                "--at", "2027-01-08T10:00:00+08:00"]).code == 0
    ws = open_workspace(dept)
    result = run(["attendance", "import", dept, write_clock(dept / "c.csv", on_time(ws, [d(11)])),
                  "--at", "2027-01-12T12:00:00+08:00"])
    assert result.code == 0 and "events: none" in result.out, str(result)
    assert not Ledger(dept).path.exists()


def test_reject_and_approve_twice(dept: Path) -> None:
    path = write_request(dept, "x.toml", leave(), folder="leave")
    result = run(["leave", "reject", path, "--by", "E02", "--reason", "人手不足", "--at", "2027-01-08T10:00:00+08:00"])
    assert result.code == 0 and (dept / MONTH / "leave" / "rejected" / "x.toml").exists(), str(result)
    again = run(["leave", "approve", dept / MONTH / "leave" / "rejected" / "x.toml", "--by", "E01"])
    assert again.code == 1 and "already rejected" in again.err
    copy = write_request(dept, "y.toml", leave(), folder="leave")
    assert run(["leave", "approve", copy, "--by", "E01", "--at", "2027-01-08T10:00:00+08:00"]).code == 0
    same = write_request(dept, "z.toml", leave(), folder="leave")
    twice = run(["leave", "approve", same, "--by", "E01", "--at", "2027-01-08T10:00:00+08:00"])
    assert twice.code == 0 and "already applied in revision 2" in twice.out, str(twice)
    assert open_workspace(dept).store.revision_files(MONTH) == [1, 2]
