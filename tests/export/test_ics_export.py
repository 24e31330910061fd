"""One iCalendar file per person (R-MONTH): zone-aware times, night shifts ending next morning, stable UIDs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from export_support import make_roster
from icalendar import Calendar, Event

from dutyplan.domain import Problem
from dutyplan.export.ics_export import IcsExporter
from dutyplan.roster import Roster

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def _events(cal: Calendar) -> list[Event]:
    return list(cal.walk("VEVENT"))


def test_one_file_per_person(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    folder = tmp_path / "ics"
    written = IcsExporter().export(roster, problem, folder)
    assert sorted(p.name for p in written) == sorted(f"{s}.ics" for s in problem.staff_ids)
    assert all(p.parent == folder and p.is_file() for p in written)
    e09 = _read(folder / "E09.ics")  # no shifts in this roster: an empty calendar, still valid
    assert _events(e09) == []
    assert "周杰" in str(e09["X-WR-CALNAME"])


def test_night_shift_ends_next_morning_in_shanghai(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    IcsExporter().export(roster, problem, tmp_path / "ics")
    cal = _read(tmp_path / "ics" / "E03.ics")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "张伟" in str(cal["X-WR-CALNAME"])
    events = sorted(_events(cal), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 2
    night = events[0]
    start, end = night.decoded("dtstart"), night.decoded("dtend")
    assert start == dt.datetime(2027, 1, 1, 22, 0, tzinfo=SHANGHAI)
    assert end == dt.datetime(2027, 1, 2, 7, 30, tzinfo=SHANGHAI)
    assert str(getattr(end.tzinfo, "key", end.tzinfo)) == "Asia/Shanghai"
    assert str(night["SUMMARY"]) == "夜班 · 客服部前台 Customer Service Desk"
    assert night.decoded("dtstamp") == dt.datetime(2027, 1, 5, 2, 0, tzinfo=dt.UTC)
    assert int(night["SEQUENCE"]) >= 2  # minutes since 2020 of the roster's creation: only ever grows
    assert b"DTEND;TZID=Asia/Shanghai:20270102T073000" in (tmp_path / "ics" / "E03.ics").read_bytes()


def test_duty_days_are_all_day_events(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    IcsExporter().export(roster, problem, tmp_path / "ics")
    events = _events(_read(tmp_path / "ics" / "E01.ics"))
    duty = [e for e in events if "值班" in str(e["SUMMARY"])]
    assert len(duty) == 1 and len(events) == 3  # early on the 1st and 4th, duty on the 1st
    assert duty[0].decoded("dtstart") == dt.date(2027, 1, 1)
    assert duty[0].decoded("dtend") == dt.date(2027, 1, 2)


def test_uids_unique_and_stable(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    first = IcsExporter().export(roster, problem, tmp_path / "a")
    second = IcsExporter().export(roster, problem, tmp_path / "b")
    uids = [str(e["UID"]) for p in first for e in _events(_read(p))]
    assert len(uids) == len(set(uids)) == len(roster.assignments) + 2  # plus two duty days
    assert "customer-service-E03-20270101@dutyplan" in uids
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_changed_shift_keeps_its_uid(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    """A new revision that moves E03 from night to middle updates the event on re-import."""
    IcsExporter().export(roster, problem, tmp_path / "a")
    changed = make_roster(problem, cells={("E03", dt.date(2027, 1, 1)): "middle"})
    IcsExporter().export(changed, problem, tmp_path / "b")
    before = _events(_read(tmp_path / "a" / "E03.ics"))[0]
    after = _events(_read(tmp_path / "b" / "E03.ics"))[0]
    assert str(before["UID"]) == str(after["UID"])
    assert after.decoded("dtstart") == dt.datetime(2027, 1, 1, 14, 30, tzinfo=SHANGHAI)


def test_notes_in_description(problem: Problem, tmp_path: Path) -> None:
    roster = make_roster(problem, meals={"2027-01-01": {"E03": "02:00-02:30"}})
    IcsExporter().export(roster, problem, tmp_path / "ics")
    night = next(e for e in _events(_read(tmp_path / "ics" / "E03.ics")) if "夜班" in str(e["SUMMARY"]))
    assert str(night["DESCRIPTION"]).splitlines() == ["夜班 22:00–07:30 (次日)", "法定节假日", "用餐 02:00-02:30"]


def test_a_revision_cancels_the_shifts_it_took_away(example_dept: Path) -> None:
    """R-REVISE: the next revision's calendar cancels a withdrawn shift, with a higher SEQUENCE."""
    from dutyplan.planner import Workspace
    from dutyplan.roster import Assignment, Roster

    ws = Workspace.open(example_dept)
    horizon = ws.horizon("2027-01", None, None)
    problem = ws.problem(horizon)
    day = horizon.start
    first = Roster("cs", horizon.start, horizon.days, [Assignment(day, "E01", "early")],
                   created="2026-12-20T09:00:00+08:00")
    ws.store.write_revision(horizon.label, first, "plan")
    second = Roster("cs", horizon.start, horizon.days, [], created="2026-12-21T09:00:00+08:00")
    ws.store.write_revision(horizon.label, second, "swap")
    assert second.extras["withdrawn"] == {"E01": [day.isoformat()]}
    old = Calendar.from_ical((IcsExporter().export(first, problem, example_dept / "a")[0]).read_bytes())
    new = Calendar.from_ical((IcsExporter().export(second, problem, example_dept / "b")[0]).read_bytes())
    (kept,) = [e for e in old.walk("VEVENT")]
    (gone,) = [e for e in new.walk("VEVENT")]
    assert str(gone["uid"]) == str(kept["uid"]) and str(gone["status"]) == "CANCELLED"
    assert int(gone["sequence"]) > int(kept["sequence"])
