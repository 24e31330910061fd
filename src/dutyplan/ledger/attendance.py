"""Clock records -> attendance events against the current roster revision (S-LATE, S-LEAVE, S-REQUEST).

The file is what a time clock exports: ``staff_id,timestamp,kind`` with kind
``in`` or ``out`` and an ISO timestamp (without an offset it is read in the
department's time zone). Each record is matched to the person's rostered shift
whose window (the shift widened by ``match_hours``) holds it; a night shift
ends the next morning (``Shift.interval``). Then, per rostered shift:

* no record at all: 旷工 (``absence``), or, if someone not rostered worked that
  shift, an ``unapproved-swap`` (S-REQUEST: a swap without an approved request
  is 旷工) and ``unrostered-work`` for the stand-in (S-ROSTER-ONLY);
* first clock-in after the ready time (``ready_minutes`` before the start,
  S-LATE: 上班时间前5分钟必须做好工作准备): ``late``;
* last clock-out before the end: ``early-leave``;
* no clock-in or no clock-out: ``missing-clock``.

Which shifts are judged: those on the days that have clock-ins in the file and
that started before its last record (an export made mid-shift does not make
anyone absent); clock-out checks only for shifts that ended before it. Event
keys are made of the person, day, shift and finding, never of the file, so
importing the same records again (or an overlapping export) adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pendulum
from pydantic import BaseModel, ConfigDict, Field

from dutyplan import hookimpl
from dutyplan.domain import Department
from dutyplan.errors import InputError
from dutyplan.ledger.points import Event
from dutyplan.roster import Assignment, Roster

SECTION = "attendance"


class AttendanceSettings(BaseModel):
    """``[attendance]``: how clock records are judged."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ready_minutes: int = Field(default=5, ge=0, description="S-LATE: clocked in this long before the start.")
    disciplinary_minutes: int = Field(default=20, ge=1, description="S-LATE: this late or early is a case.")
    match_hours: float = Field(default=3.0, gt=0, le=8, description="A record this close to a shift belongs to it.")


def attendance_settings(department: Department) -> AttendanceSettings:
    section = department.section(SECTION)
    return section if isinstance(section, AttendanceSettings) else AttendanceSettings()


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, AttendanceSettings)


@dataclass(frozen=True)
class ClockRecord:
    line: int
    staff: str
    time: pendulum.DateTime
    kind: str


@dataclass
class ClockFile:
    path: Path
    sha256: str
    records: list[ClockRecord]


def read_clock_file(path: Path, department: Department) -> ClockFile:
    """Parse the CSV; every error names the file and the line (exit 2)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the clock file: {exc.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save the file with the UTF-8 encoding", path=path) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip() for h in header[:3]] != ["staff_id", "timestamp", "kind"]:
        raise InputError("expected the header 'staff_id,timestamp,kind' on the first line", path=path, where="line 1")
    tz = department.timezone
    records = []
    for number, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        where = f"line {number}"
        if len(row) < 3:
            raise InputError("expected three columns: staff_id,timestamp,kind", path=path, where=where)
        staff, stamp, kind = (c.strip() for c in row[:3])
        if staff not in department.staff_by_id:
            raise InputError(f"unknown staff id {staff!r}", path=path, where=where)
        if kind not in ("in", "out"):
            raise InputError(f"expected kind 'in' or 'out', found {kind!r}", path=path, where=where)
        try:
            parsed = pendulum.parse(stamp, tz=tz)
        except ValueError:
            parsed = None
        if not isinstance(parsed, pendulum.DateTime) or "T" not in stamp.replace(" ", "T"):
            raise InputError(f"expected a timestamp like 2027-01-05T06:52:00+08:00, found {stamp!r}",
                             path=path, where=where)
        records.append(ClockRecord(number, staff, parsed.in_timezone(tz), kind))
    return ClockFile(path, hashlib.sha256(raw).hexdigest(), records)


@dataclass
class Slot:
    """A rostered (or worked, unrostered) shift of one person, with its clock records."""

    staff: str
    day: dt.date
    shift: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    records: list[ClockRecord] = field(default_factory=list)

    def distance(self, t: pendulum.DateTime) -> float:
        if self.start <= t <= self.end:
            return 0.0
        return min(abs((t - self.start).total_seconds()), abs((t - self.end).total_seconds()))


def _slot(department: Department, staff: str, day: dt.date, shift: str) -> Slot:
    start, end = department.shift_by_id[shift].interval(day, department.timezone)
    return Slot(staff, day, shift, start, end)


def _nearest(slots: list[Slot], t: pendulum.DateTime, reach: float) -> Slot | None:
    best = min(slots, key=lambda s: (s.distance(t), s.start), default=None)
    return best if best is not None and best.distance(t) <= reach else None


def _nearest_edge(slots: list[Slot], record: ClockRecord, reach: float) -> Slot | None:
    """For a shift nobody rostered: a clock-in belongs to the nearest start, a clock-out to the nearest end."""
    def gap(s: Slot) -> float:
        return abs((record.time - (s.start if record.kind == "in" else s.end)).total_seconds())

    best = min(slots, key=lambda s: (gap(s), s.start), default=None)
    return best if best is not None and gap(best) <= reach else None


@dataclass
class Findings:
    events: list[Event] = field(default_factory=list)
    judged: int = 0
    first: dt.date | None = None
    last: dt.date | None = None


def derive(clock: ClockFile, rosters: dict[str, Roster], department: Department,
           settings: AttendanceSettings) -> Findings:
    """Every attendance event the records show against ``rosters`` (month label -> current revision)."""
    found = Findings()
    ins = [r for r in clock.records if r.kind == "in"] or clock.records
    if not ins:
        return found
    first, last = min(r.time.date() for r in ins), max(r.time.date() for r in ins)
    found.first, found.last = first, last
    last_time = max(r.time for r in clock.records)
    reach = settings.match_hours * 3600
    assignments: list[Assignment] = [a for roster in rosters.values() for a in roster.assignments
                                     if first - dt.timedelta(days=1) <= a.date <= last + dt.timedelta(days=1)]
    slots: dict[str, list[Slot]] = {}
    for a in assignments:
        if a.shift in department.shift_by_id:
            slots.setdefault(a.staff, []).append(_slot(department, a.staff, a.date, a.shift))
    extra: dict[tuple[str, dt.date, str], Slot] = {}
    for record in sorted(clock.records, key=lambda r: (r.time, r.line)):
        slot = _nearest(slots.get(record.staff, []), record.time, reach)
        if slot is None:
            candidates = [_slot(department, record.staff, first + dt.timedelta(days=d), s.id)
                          for d in range(-1, (last - first).days + 1) for s in department.shifts]
            slot = _nearest_edge(candidates, record, reach)
            if slot is None:
                continue
            slot = extra.setdefault((slot.staff, slot.day, slot.shift), slot)
        slot.records.append(record)
    source: dict[str, object] = {"type": "attendance", "file": clock.path.name, "sha256": clock.sha256}
    judged = [s for person in slots.values() for s in person if first <= s.day <= last and s.start <= last_time]
    found.judged = len(judged)
    absent: list[Slot] = []
    for slot in sorted(judged, key=lambda s: (s.day, s.start, s.staff)):
        if not slot.records:
            absent.append(slot)
            continue
        found.events += _judge(slot, settings, source, checks_out=slot.end <= last_time)
    found.events += _pair(absent, sorted(extra.values(), key=lambda s: (s.day, s.start, s.staff)), source)
    return found


def _event(kind: str, slot: Slot, detail: str, source: dict[str, object], suffix: str = "",
           other: str | None = None, records: list[ClockRecord] | None = None) -> Event:
    lines = sorted(r.line for r in (records if records is not None else slot.records))
    key = f"att|{kind}|{slot.staff}|{slot.day:%Y-%m-%d}|{slot.shift}{suffix}"
    first = records or slot.records
    occurred = first[0].time if first else slot.start
    return Event(kind, slot.staff, slot.day, detail, {**source, "lines": lines}, key,
                 occurred=occurred.isoformat(), other=other)


def _judge(slot: Slot, settings: AttendanceSettings, source: dict[str, object], checks_out: bool) -> list[Event]:
    events = []
    ins = sorted((r for r in slot.records if r.kind == "in"), key=lambda r: r.time)
    outs = sorted((r for r in slot.records if r.kind == "out"), key=lambda r: r.time)
    what = f"{slot.shift} {slot.day:%m-%d} ({slot.start:%H:%M}-{slot.end:%H:%M})"
    if not ins:
        events.append(_event("missing-clock", slot, f"no clock-in for {what}", source, "|in"))
    else:
        ready = slot.start.subtract(minutes=settings.ready_minutes)
        if ins[0].time > ready:
            late = int((ins[0].time - slot.start).total_seconds() // 60)
            case = " (20 minutes or more: a disciplinary case, S-LATE)" if late >= settings.disciplinary_minutes else ""
            events.append(_event("late", slot, f"clocked in {ins[0].time:%H:%M} for {what}; ready by "
                                 f"{ready:%H:%M}{case}", source, records=[ins[0]]))
    if not checks_out:
        return events
    if not outs:
        events.append(_event("missing-clock", slot, f"no clock-out for {what}", source, "|out"))
    elif outs[-1].time < slot.end:
        early = int((slot.end - outs[-1].time).total_seconds() // 60)
        case = " (a disciplinary case, S-LATE)" if early >= settings.disciplinary_minutes else ""
        events.append(_event("early-leave", slot, f"clocked out {outs[-1].time:%H:%M}, {early} min before the end of "
                             f"{what}{case}", source, records=[outs[-1]]))
    return events


def _pair(absent: list[Slot], extra: list[Slot], source: dict[str, object]) -> list[Event]:
    """Absences, and shifts worked by someone not rostered: paired on the same shift, an unapproved swap."""
    events = []
    free = list(extra)
    for slot in absent:
        stand_in = next((x for x in free if x.day == slot.day and x.shift == slot.shift), None)
        what = f"{slot.shift} {slot.day:%m-%d}"
        if stand_in is None:
            events.append(_event("absence", slot, f"rostered for {what}, no clock record and no approved leave "
                                 "(旷工)", source))
            continue
        free.remove(stand_in)
        events.append(_event("unapproved-swap", slot, f"rostered for {what} but {stand_in.staff} worked it without "
                             "an approved swap request (S-REQUEST: 旷工)", source, other=stand_in.staff,
                             records=stand_in.records))
        events.append(_event("unrostered-work", stand_in, f"worked {what} in place of {slot.staff}, not on the "
                             "roster (S-ROSTER-ONLY)", source, other=slot.staff))
    for slot in free:
        events.append(_event("unrostered-work", slot, f"worked {slot.shift} {slot.day:%m-%d}, not on the roster "
                             "(S-ROSTER-ONLY)", source))
    return events
