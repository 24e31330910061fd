"""Leave requests (请假, S-LEAVE): the notice rules, and approved leave as a new roster revision.

A request is a TOML file in ``rosters/<dept>/<YYYY-MM>/leave/``::

    format = "dutyplan-leave/1"
    staff = "E08"
    type = "personal"                  # personal, urgent, sick, annual... ([leave] notice)
    start = 2027-01-20                 # whole days (inclusive), or times:
    end = 2027-01-21                   #   start = 2027-01-20T07:00:00+08:00, end = ...T15:00:00+08:00
    requested_at = 2027-01-18T09:00:00+08:00
    written_by = "E08"
    reason = "..."

S-LEAVE: leave is asked for in writing in advance (ordinary personal leave
one day ahead, urgent leave at least an hour before the shift), by the person
themself (sick leave excepted). A request that misses its notice is approved
only with ``--accept-late`` (如不能提前请假需经管理人员批准后方可生效). Approval
removes the person's shifts (and duty days) in the leave from the roster as a
new revision and reports the gap it leaves (R-COVER and every other hard rule
the revision now breaks); filling the gap is a re-plan, not done here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dutyplan import hookimpl
from dutyplan.domain import Department, Horizon, Problem
from dutyplan.errors import InputError, RuleViolationError
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Violation
from dutyplan.swaps.approve import ensure_approver, settle
from dutyplan.swaps.files import Decision, RequestFile, RequestModel, aware, decide, known_staff, load_request
from dutyplan.swaps.revise import Published, new_hard_violations, publish, revised
from dutyplan.swaps.workspace import month_problem

SECTION = "leave"
APPLIED = "applied_leave"
_NOTICE = re.compile(r"^(none|\d+[dh])$")

DEFAULT_NOTICE = {
    "personal": "1d", "annual": "1d", "compensatory": "1d", "marriage": "1d", "maternity": "1d",
    "urgent": "1h", "bereavement": "1h", "sick": "none",
}
"""S-LEAVE (第8篇 考勤请假 5): 一般事假需在提前一天提出，特殊事假需在班前一个小时提出; sick leave is exempt."""


class LeaveSettings(BaseModel):
    """``[leave]``: leave types and their notice (``"1d"`` a calendar day before, ``"1h"`` an hour, ``"none"``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    notice: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_NOTICE))
    others_may_file: list[str] = Field(default_factory=lambda: ["sick"],
                                       description="Types someone else may request for the person.")

    @field_validator("notice")
    @classmethod
    def _notice(cls, value: dict[str, str]) -> dict[str, str]:
        for kind, text in value.items():
            if not _NOTICE.match(text):
                raise ValueError(f"notice for {kind!r}: expected '1d', '1h' or 'none', found {text!r}")
        return value


def leave_settings(department: Department) -> LeaveSettings:
    section = department.section(SECTION)
    return section if isinstance(section, LeaveSettings) else LeaveSettings()


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, LeaveSettings)


class LeaveRequest(RequestModel):
    FORMAT = "dutyplan-leave/1"
    staff: str = Field(min_length=1)
    type: str = Field(min_length=1)
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    requested_at: dt.datetime
    written_by: str = Field(min_length=1)
    reason: str | None = None

    @model_validator(mode="after")
    def _span(self) -> LeaveRequest:
        if isinstance(self.start, dt.datetime) != isinstance(self.end, dt.datetime):
            raise ValueError("start and end must both be dates (whole days) or both be times")
        if isinstance(self.start, dt.datetime) and isinstance(self.end, dt.datetime) and (
            (self.start.tzinfo is None) != (self.end.tzinfo is None)
        ):
            raise ValueError("start and end must both have a UTC offset (+08:00) or both have none "
                             "(then they are read in the department's time zone)")
        if self.end < self.start:  # type: ignore[operator]
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self

    @property
    def whole_days(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"


LeaveFile = RequestFile[LeaveRequest]


def load_leave(path: Path, department: Department) -> LeaveFile:
    loaded = load_request(path, LeaveRequest)
    req = loaded.model
    known_staff(department, req.staff, path, "staff")
    known_staff(department, req.written_by, path, "written_by")
    types = leave_settings(department).notice
    if req.type not in types:
        raise InputError(f"unknown leave type {req.type!r} (expected one of {', '.join(types)}; [leave] notice)",
                         path=path, where="type")
    if f"{req.end:%Y-%m}" != req.month:
        raise InputError(f"the leave runs into {req.end:%Y-%m}; one request changes one month's roster: file one "
                         "request per month", path=path, where="end")
    return loaded


def affected(req: LeaveRequest, roster: Roster, department: Department) -> list[Assignment]:
    """The person's shifts the leave covers: on its days, or overlapping its times."""
    mine = list(roster.by_staff(req.staff))
    if req.whole_days:
        return [a for a in mine if req.start <= a.date <= req.end]  # type: ignore[operator]
    tz = department.timezone
    start, end = aware(req.start, tz), aware(req.end, tz)  # type: ignore[arg-type]
    result = []
    for a in mine:
        s, e = department.shift_by_id[a.shift].interval(a.date, tz)
        if s < end and start < e:
            result.append(a)
    return result


def notice_problems(req: LeaveRequest, shifts: list[Assignment], department: Department) -> list[Violation]:
    """S-LEAVE: in writing, in advance, by the person themself (sick leave excepted)."""
    settings = leave_settings(department)
    tz = department.timezone
    problems = []
    if req.written_by != req.staff and req.type not in settings.others_may_file:
        problems.append(Violation("S-LEAVE", f"requested by {req.written_by} for {req.staff}: {req.type} leave is "
                                  "requested by the person themself", staff=req.staff))
    notice = settings.notice[req.type]
    if notice == "none" or not shifts:
        return problems
    first = min(shifts, key=lambda a: (a.date, department.shift_by_id[a.shift].start))
    start = department.shift_by_id[first.shift].interval(first.date, tz)[0]
    asked = aware(req.requested_at, tz)
    amount, unit = int(notice[:-1]), notice[-1]
    if unit == "d" and asked.date() > start.date() - dt.timedelta(days=amount):
        problems.append(Violation("S-LEAVE", f"{req.type} leave requested {asked:%m-%d %H:%M}; it must be requested "
                                  f"{amount} day(s) before the shift on {start:%m-%d}", staff=req.staff,
                                  date=first.date))
    if unit == "h" and asked > start.subtract(hours=amount):
        problems.append(Violation("S-LEAVE", f"{req.type} leave requested {asked:%m-%d %H:%M}; it must be requested "
                                  f"{amount} hour(s) before the shift starts ({start:%m-%d %H:%M})",
                                  staff=req.staff, date=first.date))
    return problems


@dataclass
class LeaveOutcome:
    request: LeaveFile
    label: str
    problem: Problem
    before: Roster
    removed: list[Assignment] = field(default_factory=list)
    notice: list[Violation] = field(default_factory=list)
    gap: list[Violation] = field(default_factory=list)
    after: Roster | None = None
    already: int | None = None
    revision_path: Path | None = None
    decided: Path | None = None
    published: Published | None = None


def check_leave(ws: Workspace, request: LeaveFile, roster: Roster | None = None,
                problem: Problem | None = None) -> LeaveOutcome:
    """The notice check, and the roster without the person's shifts, with the gap that leaves."""
    req = request.model
    label = req.month
    before = roster if roster is not None else ws.store.load(label)
    problem = problem if problem is not None else month_problem(ws, label)
    result = LeaveOutcome(request, label, problem, before)
    for record in before.extras.get(APPLIED) or []:
        if isinstance(record, dict) and record.get("key") == request.key:
            result.already = int(record.get("revision", before.revision))
            return result
    result.removed = affected(req, before, ws.department)
    result.notice = notice_problems(req, result.removed, ws.department)
    days = {a.date for a in result.removed} | ({d for d in problem.dates if req.start <= d <= req.end}  # type: ignore[operator]
                                               if req.whole_days else set())
    duty = {k: [p for p in v if not (p == req.staff and dt.date.fromisoformat(k) in days)]
            for k, v in (before.extras.get("duty") or {}).items()}
    extras: dict[str, Any] = {"duty": duty} if "duty" in before.extras else {}
    result.after = revised(before, set(before.assignments) - set(result.removed), problem, extras=extras)
    result.gap = new_hard_violations(ws, problem, ws.rules(problem), before, result.after)
    return result


def approve_leave(ws: Workspace, request: LeaveFile, by: str, at: dt.datetime, accept_late: bool) -> LeaveOutcome:
    req = request.model
    problem = month_problem(ws, req.month)
    ensure_approver(ws, by, req, problem, "approve leave")
    if request.decision is not None:
        raise RuleViolationError(f"{request.name} was already {request.decision.state} by {request.decision.by}")
    store = ws.store
    with store.locked(req.month):
        before = store.load(req.month)
        outcome = check_leave(ws, request, before, problem)
        if outcome.already is None:
            if outcome.notice and not accept_late:
                lines = "\n".join(f"  {v.rule_id} {v.staff or ''} {v.message}" for v in outcome.notice)
                raise RuleViolationError(f"leave {request.name} refused:\n{lines}\n(an approver may still accept it "
                                         "with --accept-late: S-LEAVE, 需经管理人员批准后方可生效)")
            assert outcome.after is not None
            number = store.next_number(req.month)
            record = {"key": request.key, "file": request.name, "staff": req.staff, "type": req.type,
                      "approved_by": by, "approved_at": dt.datetime.fromisoformat(at.isoformat()),
                      "revision": number, "late_notice_accepted": bool(outcome.notice)}
            outcome.after.extras[APPLIED] = [*(before.extras.get(APPLIED) or []), record]
            outcome.after.note = f"leave {request.name} approved by {by}"
            outcome.revision_path = store.write_revision_locked(req.month, outcome.after,
                                                                reason=f"leave {request.name} approved by {by}")
        revision = outcome.already or (outcome.after.revision if outcome.after else None)
        note = f"late notice accepted: {'; '.join(v.message for v in outcome.notice)}" if outcome.notice else None
        outcome.decided = settle(request, Decision(state="approved", by=by, at=at, revision=revision,
                                                   key=request.key, note=note))
    if outcome.already is None and outcome.after is not None and outcome.revision_path is not None:
        outcome.published = publish(ws, before, outcome.after, problem, outcome.revision_path)
    return outcome


def reject_leave(ws: Workspace, request: LeaveFile, by: str, at: dt.datetime, reason: str) -> Path:
    if not reason.strip():
        raise InputError("give the reason for the rejection", where="--reason")
    month = request.model.month
    ensure_approver(ws, by, request.model, month_problem(ws, month), "reject leave")
    if request.decision is not None:
        raise RuleViolationError(f"{request.name} was already {request.decision.state} by {request.decision.by}")
    with ws.store.locked(month):  # not while an approval of the same request is writing its revision
        current = ws.store.load(month) if ws.store.current_number(month) is not None else None
        records = (current.extras.get(APPLIED) or []) if current is not None else []
        if any(isinstance(r, dict) and r.get("key") == request.key for r in records):
            raise RuleViolationError(f"{request.name} was already approved; it cannot be rejected now")
        return decide(request, Decision(state="rejected", by=by, at=at, reason=reason, key=request.key))


@hookimpl
def register_absences(register: Callable[[str, dt.date, str], None], department: Department,
                      horizon: Horizon) -> None:
    """Approved leave (``<month>/leave/approved/*.toml``) keeps people off the roster when it is re-planned."""
    months = {f"{day:%Y-%m}" for day in horizon.dates}
    for month in sorted(months):
        folder = department.directory / month / "leave" / "approved"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            req = load_leave(path, department).model
            tz = department.timezone
            first = aware(req.start, tz).date() if isinstance(req.start, dt.datetime) else req.start
            last = aware(req.end, tz).date() if isinstance(req.end, dt.datetime) else req.end
            day = first
            while day <= last:
                register(req.staff, day, f"on {req.type} leave ({path.name})")
                day += dt.timedelta(days=1)
