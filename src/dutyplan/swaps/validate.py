"""Check a swap request against the current revision, without the solver.

In order: the request is not already applied; the shifts it names are really
on the current revision; the counterpart agreed and the request was written
before the first shift it moves (S-REQUEST), and an approval given at ``at``
comes before it too (R-FIXED: approved in advance); neither party has used
the month's cap (S-MONTHLY-CAP); and the roster *as it would be after the
swap* breaks no hard rule that the current one does not already break, checked
with the very rule objects the solver builds its model from. Every problem is
a :class:`~dutyplan.rules.base.Violation` naming the rule, the person and the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.planner import Workspace
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation
from dutyplan.swaps.files import aware, load_request
from dutyplan.swaps.request import SwapFile, SwapRequest
from dutyplan.swaps.revise import new_hard_violations, revised
from dutyplan.swaps.settings import swap_settings
from dutyplan.swaps.workspace import month_problem

APPLIED = "applied_swaps"
"""``roster.extras["applied_swaps"]``: one record per approved swap, with its content key (never applied twice)."""


@dataclass
class SwapCheck:
    request: SwapFile
    label: str
    problem: Problem
    before: Roster
    after: Roster | None = None
    problems: list[Violation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cap: int = 2
    applied_in: int | None = None
    """The revision that already carries this request, if any."""

    @property
    def accepted(self) -> bool:
        return not self.problems and self.applied_in is None


def applied_swaps(roster: Roster) -> list[dict[str, Any]]:
    records = roster.extras.get(APPLIED) or []
    return [r for r in records if isinstance(r, dict)]


def approved_files(folder: Path) -> list[dict[str, Any]]:
    """Records of the requests decided "approved" in ``<month>/swaps/approved/``.

    They outlive the revision that applied them: if the month is planned
    again, the new roster has no ``applied_swaps``, but the approved files
    still count towards the cap and still stop a copy from being applied twice.
    """
    records = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            loaded = load_request(path, SwapRequest)
        except InputError:
            continue
        if loaded.decision is not None and loaded.decision.state == "approved":
            records.append({"key": loaded.key, "file": path.name, "requester": loaded.model.requester,
                            "counterpart": loaded.model.counterpart, "revision": loaded.decision.revision})
    return records


def approved_swaps(roster: Roster, folder: Path) -> list[dict[str, Any]]:
    """The month's approved swaps: those the revision carries, and approved files it does not."""
    records = applied_swaps(roster)
    keys = {r.get("key") for r in records}
    return records + [r for r in approved_files(folder) if r["key"] not in keys]


def swap_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    """Approved swaps per person (each party of each swap counts one)."""
    counts: dict[str, int] = {}
    for record in records:
        for person in (record.get("requester"), record.get("counterpart")):
            if isinstance(person, str):
                counts[person] = counts.get(person, 0) + 1
    return counts


def _hard(rule: str, message: str, staff: str | None = None, date: dt.date | None = None,
          shift: str | None = None) -> Violation:
    return Violation(rule, message, "hard", staff=staff, date=date, shift=shift)


def first_start(request: SwapRequest, problem: Problem) -> dt.datetime:
    """When the first shift the swap moves begins (the request and the approval must come before)."""
    dept = problem.department
    removed, _ = request.moves()
    return min(dept.shift_by_id[a.shift].interval(a.date, dept.timezone)[0] for a in removed)


def _presence(request: SwapRequest, roster: Roster) -> list[Violation]:
    problems = []
    removed, _ = request.moves()
    for a in removed:
        worked = roster.shifts_on(a.staff, a.date)
        if a.shift not in worked:
            has = "+".join(worked) or "a day off"
            problems.append(_hard("S-REQUEST", f"{a.staff} does not work {a.shift} on {a.date:%m-%d} in revision "
                                  f"{roster.revision} (has {has}); the request names a shift that is not on the roster",
                                  staff=a.staff, date=a.date, shift=a.shift))
    return problems


def _paperwork(request: SwapRequest, problem: Problem, consent_required: bool,
               at: dt.datetime | None) -> list[Violation]:
    """S-REQUEST: a written request with the counterpart's consent, filed before the swap."""
    tz = problem.department.timezone
    start = first_start(request, problem)
    day = request.dates[0]
    problems = []
    approvers = problem.department.spec.department.approvers
    if request.written_by not in (*request.parties, *approvers):
        parties = f"{request.requester}, {request.counterpart}"
        problems.append(_hard("S-REQUEST", f"written by {request.written_by}, who is neither party ({parties}) "
                              "nor an approver", staff=request.written_by))
    if aware(request.written_at, tz) >= start:
        problems.append(_hard("S-REQUEST", f"written at {aware(request.written_at, tz):%m-%d %H:%M}, not before the "
                              f"first shift it moves ({start:%m-%d %H:%M}): a swap is requested in advance",
                              staff=request.requester, date=day))
    if consent_required:
        consent = request.consent
        if consent is None:
            problems.append(_hard("S-REQUEST", f"{request.counterpart} has not consented: the file has no "
                                  "[consent] (by, agreed, at)", staff=request.counterpart, date=day))
        elif consent.by != request.counterpart:
            problems.append(_hard("S-REQUEST", f"consent.by is {consent.by}, expected the counterpart "
                                  f"{request.counterpart}", staff=request.counterpart, date=day))
        elif not consent.agreed:
            problems.append(_hard("S-REQUEST", f"{request.counterpart} declined (consent.agreed = false)",
                                  staff=request.counterpart, date=day))
        elif aware(consent.at, tz) >= start:
            problems.append(_hard("S-REQUEST", f"{request.counterpart} consented at {aware(consent.at, tz):%m-%d %H:%M}"
                                  f", not before the first shift it moves ({start:%m-%d %H:%M})",
                                  staff=request.counterpart, date=day))
    if at is not None and at >= start:
        problems.append(_hard("R-FIXED", f"decided at {at:%m-%d %H:%M}, not before the first shift it moves "
                              f"({start:%m-%d %H:%M}): a roster change is approved in advance", date=day))
    return problems


def check_swap(
    ws: Workspace,
    request: SwapFile,
    *,
    roster: Roster | None = None,
    problem: Problem | None = None,
    rules: Sequence[Rule] | None = None,
    at: dt.datetime | None = None,
) -> SwapCheck:
    """Everything ``swap check`` reports; ``roster`` defaults to the current revision of the request's month."""
    req = request.model
    label = req.month
    before = roster if roster is not None else ws.store.load(label)
    problem = problem if problem is not None else month_problem(ws, label)
    settings = swap_settings(ws.department)
    records = approved_swaps(before, ws.store.folder(label) / "swaps" / "approved")
    result = SwapCheck(request, label, problem, before, cap=settings.monthly_cap, counts=swap_counts(records))
    for record in records:
        if record.get("key") == request.key:
            result.applied_in = int(record.get("revision", before.revision))
            return result
    result.problems += _paperwork(req, problem, settings.consent_required, at)
    for person in req.parties:
        used = result.counts.get(person, 0)
        if used >= settings.monthly_cap:
            result.problems.append(_hard("S-MONTHLY-CAP", f"{person} already has {used} approved swap(s) in {label}; "
                                         f"at most {settings.monthly_cap} a month", staff=person))
    missing = _presence(req, before)
    result.problems += missing
    if missing:
        return result
    removed, added = req.moves()
    kept = set(before.assignments) - set(removed)
    after = revised(before, [*kept, *added], problem)
    result.after = after
    rules = rules if rules is not None else ws.rules(problem)
    result.problems += new_hard_violations(ws, problem, rules, before, after)
    return result
