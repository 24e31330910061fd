"""ICS export: one calendar file per person, so everyone has their own copy (R-MONTH, 人手一份).

``<folder>/<staff_id>.ics`` holds one VEVENT per shift, with start and end in
the department's time zone (a night shift of R-3SHIFT ends the next morning)
and a VTIMEZONE so calendar apps need not guess. Duty days that a plugin puts
in ``roster.extras["duty"]`` (D-DAILY) become all-day events.

Re-importing a new revision updates events instead of duplicating them: the UID
is the department, person and date (one shift a day, R-ONE-SHIFT), so a
changed shift replaces the old event, and SEQUENCE is the roster revision.
DTSTAMP is the roster's creation time, so the same roster gives the same files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from icalendar import Calendar, Event

from dutyplan import __version__, hookimpl
from dutyplan.domain import Problem, Shift
from dutyplan.export.base import Exporter
from dutyplan.export.grid import created_at, extras_by_day, person_day_notes, shift_times
from dutyplan.export.words import word
from dutyplan.fileio import write_bytes_atomic
from dutyplan.roster import Roster

PRODID = f"-//dutyplan//dutyplan {__version__}//EN"
EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def dtstamp(roster: Roster, problem: Problem) -> dt.datetime:
    """The roster's creation time in UTC, else midnight UTC of the horizon's first day."""
    created = created_at(roster)
    if created is None:
        return dt.datetime.combine(problem.horizon.start, dt.time(), tzinfo=dt.UTC)
    return created.astimezone(dt.UTC)


def sequence_of(roster: Roster, problem: Problem) -> int:
    """SEQUENCE for every event of this roster: minutes since 2020 of its creation.

    It only ever grows, across revisions and across a holiday plan and the
    month roster that share event UIDs, so a calendar always takes the newer copy.
    """
    return max(roster.revision, int((dtstamp(roster, problem) - EPOCH).total_seconds() // 60))


def cancelled_event(roster: Roster, problem: Problem, uid: str, day: dt.date, all_day: bool) -> Event:
    """The event of a withdrawn shift or duty day (R-REVISE), so importing the new file removes it."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dtstamp(roster, problem))
    event.add("sequence", sequence_of(roster, problem))
    event.add("status", "CANCELLED")
    event.add("dtstart", day if all_day else dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC))
    event.add("summary", f"{word('withdrawn', problem.department.locale)} · {problem.department.name}")
    return event


def event_uid(problem: Problem, staff: str, day: dt.date, suffix: str = "") -> str:
    """``customer-service-E01-20270101@dutyplan``; stable across revisions of the same month."""
    tail = f"-{suffix}" if suffix else ""
    return f"{problem.department.slug}-{staff}-{day:%Y%m%d}{tail}@dutyplan"


def shift_event(roster: Roster, problem: Problem, day: dt.date, shift: Shift, uid: str, notes: list[str]) -> Event:
    dept = problem.department
    locale = dept.locale
    start, end = shift.interval(day, dept.timezone)
    index = problem.horizon.index(day)
    day_type = problem.horizon.day_type(index) if index is not None else "workday"
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dtstamp(roster, problem))
    event.add("sequence", sequence_of(roster, problem))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{shift.label(locale)} · {dept.name}")
    lines = [f"{shift.label(locale)} {shift_times(shift, locale)}", word(day_type, locale), *notes]
    event.add("description", "\n".join(lines))
    event.add("categories", [shift.id])
    event.add("transp", "OPAQUE")
    return event


def duty_event(roster: Roster, problem: Problem, staff: str, day: dt.date) -> Event:
    """An all-day event for a day on duty (D-DAILY)."""
    dept = problem.department
    event = Event()
    event.add("uid", event_uid(problem, staff, day, "duty"))
    event.add("dtstamp", dtstamp(roster, problem))
    event.add("sequence", sequence_of(roster, problem))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", f"{word('duty', dept.locale)} · {dept.name}")
    event.add("transp", "TRANSPARENT")
    return event


def _shift_events(roster: Roster, problem: Problem, staff: str) -> list[Event]:
    shifts = problem.department.shift_by_id
    notes = person_day_notes(roster, problem.department.locale)
    events = []
    for day in problem.dates:
        worked = [s for s in roster.shifts_on(staff, day) if s in shifts]
        for shift_id in worked:
            suffix = shift_id if len(worked) > 1 else ""
            uid = event_uid(problem, staff, day, suffix)
            events.append(shift_event(roster, problem, day, shifts[shift_id], uid, notes.get((staff, day), [])))
    return events


def person_calendar(roster: Roster, problem: Problem, staff: str) -> Calendar:
    """The calendar of one person: their shifts, then their duty days, with the VTIMEZONE."""
    dept = problem.department
    person = dept.staff_by_id[staff]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{dept.name} {word('calendar_of', dept.locale)} · {person.name}")
    cal.add("x-wr-timezone", dept.timezone)
    for event in _shift_events(roster, problem, staff):
        cal.add_component(event)
    duty = extras_by_day(roster.extras.get("duty")) or {}
    for day in sorted(duty):
        if staff in duty[day] and problem.horizon.index(day) is not None:
            cal.add_component(duty_event(roster, problem, staff, day))
    for entry in (roster.extras.get("withdrawn") or {}).get(staff, []):
        day_text, _, what = str(entry).partition(" ")
        day = dt.date.fromisoformat(day_text)
        if what == "duty":
            cal.add_component(cancelled_event(roster, problem, event_uid(problem, staff, day, "duty"), day, True))
        elif not roster.shifts_on(staff, day):
            cal.add_component(cancelled_event(roster, problem, event_uid(problem, staff, day), day, False))
    horizon = problem.horizon
    cal.add_missing_timezones(dt.date(horizon.start.year, 1, 1), dt.date(horizon.end.year + 1, 1, 2))
    return cal


class IcsExporter(Exporter):
    name = "ics"
    description = "a folder of iCalendar files, one per person (<staff_id>.ics), for phones and mail clients"
    default_name = "ics"

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        written = []
        for staff in problem.staff_ids:
            path = target / f"{staff}.ics"
            write_bytes_atomic(path, person_calendar(roster, problem, staff).to_ical())
            written.append(path)
        return written


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(IcsExporter())
