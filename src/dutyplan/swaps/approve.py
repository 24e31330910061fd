"""Approve or reject a swap request: who may, under one lock, exactly once.

Approval is read-check-write under the month's store lock: the current
revision is read *inside* the lock, so two approvals racing on one roster
apply one after the other, each on the revision the other produced (the second
is re-checked against the first: the cap, the shifts still being there). The
request's content key goes into the new revision (``extras["applied_swaps"]``)
in the same atomic file write as the roster change, so approving the same
request twice (the same file, or a copy under another name) finds it there and
applies nothing. Only after ``index.toml`` names the new revision is the
request moved to ``swaps/approved/``; a crash before that leaves the old
revision current and the request pending, and a crash after it is finished by
approving again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutyplan.domain import Problem
from dutyplan.errors import InputError, RuleViolationError
from dutyplan.planner import Workspace
from dutyplan.roster import Roster
from dutyplan.swaps.files import Decision, RequestFile, decide, find_decided
from dutyplan.swaps.request import SwapFile
from dutyplan.swaps.revise import Published, describe_violation, publish
from dutyplan.swaps.validate import APPLIED, SwapCheck, applied_swaps, check_swap
from dutyplan.swaps.workspace import month_problem


@dataclass
class Approval:
    check: SwapCheck
    decided: Path | None = None
    revision_path: Path | None = None
    new: Roster | None = None
    already: int | None = None
    """Set when the request had been applied before: the revision that carries it."""
    published: Published | None = None
    ledger_entries: list[dict[str, Any]] = field(default_factory=list)


def ensure_approver(ws: Workspace, approver: str, request: Any, problem: Problem, what: str) -> None:
    """``may_approve`` (plugins first, then the built-in ``department.approvers``) or a refusal (exit 1)."""
    if approver not in ws.department.staff_by_id:
        raise InputError(f"unknown staff id {approver!r} (expected an approver: "
                         f"{', '.join(ws.department.spec.department.approvers) or 'none listed'})", where="--by")
    allowed = ws.pm.hook.may_approve(approver=approver, request=request, problem=problem)
    if not allowed:
        listed = ", ".join(ws.department.spec.department.approvers) or "nobody"
        raise RuleViolationError(f"{approver} may not {what} (R-FIXED: a roster change needs the supervisor's "
                                 f"approval; department.approvers: {listed})")


def refusal(check: SwapCheck) -> RuleViolationError:
    lines = [f"swap {check.request.name} refused: {len(check.problems)} problem(s)"]
    lines += [f"  {describe_violation(v)}" for v in check.problems]
    return RuleViolationError("\n".join(lines))


def _pending(request: SwapFile) -> None:
    if request.decision is not None:
        d = request.decision
        raise RuleViolationError(f"{request.name} was already {d.state} by {d.by} at {d.at:%Y-%m-%d %H:%M}"
                                 + (f" (revision {d.revision})" if d.revision else ""))


def approve_swap(ws: Workspace, request: SwapFile, by: str, at: dt.datetime) -> Approval:
    """Re-check and apply the swap as the next revision; record it in the ledger; publish the new copy."""
    label = request.model.month
    problem = month_problem(ws, label)
    ensure_approver(ws, by, request.model, problem, "approve swaps")
    if request.decision is not None and request.decision.state == "approved":
        return Approval(SwapCheck(request, label, problem, ws.store.load(label)), request.path,
                        already=request.decision.revision)
    _pending(request)
    store = ws.store
    with store.locked(label):
        before = store.load(label)
        check = check_swap(ws, request, roster=before, problem=problem, at=at)
        if check.applied_in is not None:
            outcome = Approval(check, already=check.applied_in)
        else:
            if check.problems:
                raise refusal(check)
            assert check.after is not None
            number = store.next_number(label)
            record = {
                "key": request.key, "file": request.name, "kind": request.model.kind,
                "requester": request.model.requester, "counterpart": request.model.counterpart,
                "summary": request.model.summary(), "approved_by": by,
                "approved_at": dt.datetime.fromisoformat(at.isoformat()), "revision": number,
            }
            new = check.after
            new.extras[APPLIED] = [*applied_swaps(before), record]
            new.note = f"swap {request.name} approved by {by}"
            path = store.write_revision_locked(label, new, reason=f"swap {request.name} approved by {by}")
            outcome = Approval(check, revision_path=path, new=new)
        revision = outcome.already or (outcome.new.revision if outcome.new else None)
        outcome.decided = settle(request, Decision(
            state="approved", by=by, at=at, revision=revision, key=request.key,
            note="already applied; not applied again" if outcome.already else None))
    outcome.ledger_entries = _record_in_ledger(ws, request, by, at, revision)
    if outcome.new is not None and outcome.revision_path is not None:
        outcome.published = publish(ws, before, outcome.new, problem, outcome.revision_path)
    return outcome


def settle(request: RequestFile[Any], decision: Decision) -> Path:
    """Move the request to its decided state, unless a decided copy of it exists (then drop the pending one)."""
    existing = find_decided(request)
    if existing is None:
        return decide(request, decision)
    if request.path.exists() and request.path.resolve() != existing.path.resolve():
        request.path.unlink()
    return existing.path


def _record_in_ledger(ws: Workspace, request: SwapFile, by: str, at: dt.datetime,
                      revision: int | None) -> list[dict[str, Any]]:
    """One 0-point ``swap`` entry per party (S-REQUEST), keyed by the request: the ledger's record of the swap."""
    from dutyplan.ledger.record import record_events, swap_events

    return record_events(ws, swap_events(ws, request, by, at, revision), now=at)


def reject_swap(ws: Workspace, request: RequestFile[Any], by: str, at: dt.datetime, reason: str,
                month: str) -> Path:
    """Move the request to ``swaps/rejected/`` with who, when and why; the roster is untouched."""
    if not reason.strip():
        raise InputError("give the reason for the rejection", where="--reason")
    problem = month_problem(ws, month)
    ensure_approver(ws, by, request.model, problem, "reject requests")
    _pending(request)
    with ws.store.locked(month):
        current = ws.store.load(month) if ws.store.current_number(month) is not None else None
        applied = [r for r in applied_swaps(current) if r.get("key") == request.key] if current else []
        if applied or find_decided(request) is not None:
            where = f" in revision {applied[0].get('revision')}" if applied else ""
            raise RuleViolationError(f"{request.name} was already decided{where}; it cannot be rejected now")
        return decide(request, Decision(state="rejected", by=by, at=at, reason=reason, key=request.key))
