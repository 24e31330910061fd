"""Assemble a :class:`~dutyplan.domain.Problem`: a department, a horizon and what came before.

History comes from two places. The department file's ``[history]`` says what
the manager knows (the tail of a roster made elsewhere, running counts). Stored
rosters of earlier horizons in the department folder say the rest: the last
days before the horizon (rest and run rules hold across the month boundary)
and the counts of nights, rest-day and holiday shifts so far (fairness across
months). Stored rosters win where both speak of the same day.
"""

from __future__ import annotations

import datetime as dt

from dutyplan.calendar import REST_DAY_TYPES, classify, month_bounds
from dutyplan.config.schema import HistoryCounts
from dutyplan.domain import OFF, Department, Horizon, Problem, make_horizon
from dutyplan.errors import InputError
from dutyplan.roster import Roster
from dutyplan.store import RosterStore

HISTORY_DAYS = 14
"""How many days before the horizon are carried as history (enough for every run rule here)."""


def horizon_for(department: Department, month: str | None, start: dt.date | None, days: int | None) -> Horizon:
    """The horizon from ``--month`` or ``--start/--days``."""
    if month is not None:
        try:
            first, length = month_bounds(month)
        except ValueError:
            raise InputError(f"expected a month like 2027-01, found {month!r}", where="--month") from None
        return make_horizon(department, first, length, month=f"{first:%Y-%m}")
    if start is None or days is None:
        raise InputError("give --month, or both --start and --days", where="horizon")
    if days < 1 or days > 400:
        raise InputError(f"expected 1 to 400 days, found {days}", where="--days")
    return make_horizon(department, start, days)


def _file_history(department: Department, start: dt.date) -> dict[str, dict[dt.date, str | None]]:
    hist = department.spec.history
    end = hist.end or (start - dt.timedelta(days=1))
    if end >= start:
        return {}  # the file's history describes a later boundary: not this horizon's
    result: dict[str, dict[dt.date, str | None]] = {}
    for sid, cells in hist.shifts.items():
        days = {}
        for back, cell in enumerate(reversed(cells)):
            days[end - dt.timedelta(days=back)] = None if cell == OFF else cell
        result[sid] = days
    return result


def _add_counts(counts: dict[str, HistoryCounts], roster: Roster, department: Department) -> None:
    calendar = {c.date: c for c in classify(roster.dates, department.spec.calendar)}
    shifts = department.shift_by_id
    for a in roster.assignments:
        if a.staff not in counts or a.shift not in shifts:
            continue
        c = counts[a.staff]
        day = calendar[a.date]
        counts[a.staff] = HistoryCounts(
            shifts=c.shifts + 1,
            nights=c.nights + shifts[a.shift].is_night,
            weekends=c.weekends + (day.type in REST_DAY_TYPES),
            holidays=c.holidays + (day.type == "holiday"),
        )


def _authoritative_days(rosters: list[Roster], before: dt.date | None = None) -> dict[dt.date, Roster]:
    """For each stored day, the roster that speaks for it: month rosters over plans, newer over older."""
    ranked = sorted(rosters, key=lambda r: (r.kind == "roster", r.created or "", r.revision))
    days: dict[dt.date, Roster] = {}
    for roster in ranked:
        for day in roster.dates:
            if before is None or day < before:
                days[day] = roster
    return days


def _cut(roster: Roster, until: dt.date) -> Roster:
    """The part of a roster before ``until``, with its duty days (a re-plan keeps them)."""
    days = max(0, min(roster.days, (until - roster.start).days))
    part = Roster(roster.department, roster.start, days, [a for a in roster.assignments if a.date < until],
                  revision=roster.revision, kind="kept")
    duty = roster.extras.get("duty")
    if isinstance(duty, dict):
        part.extras["duty"] = {k: v for k, v in duty.items() if str(k) < until.isoformat()}
    return part


def _check_plan_ids(plan: Roster, department: Department, horizon: Horizon) -> None:
    """A published plan whose shifts the department no longer has cannot be kept: say so, plainly."""
    shifts = department.shift_by_id
    for a in plan.assignments:
        if horizon.index(a.date) is not None and a.shift not in shifts:
            raise InputError(
                f"the holiday plan {plan.start}..{plan.dates[-1]} (revision {plan.revision}) gives {a.staff} the "
                f"shift {a.shift!r} on {a.date}, which the department file no longer has; plan the holiday again "
                "or plan the month with --replan-holidays",
                path=department.directory,
            )


def build_problem(
    department: Department,
    horizon: Horizon,
    store: RosterStore | None = None,
    locked: dict[tuple[str, dt.date], str | None] | None = None,
    keep_plans: bool = True,
    absences: dict[tuple[str, dt.date], str] | None = None,
    keep_until: dt.date | None = None,
) -> Problem:
    """The problem for ``horizon``, with history from the file and the store.

    With ``keep_plans``, days of stored holiday plans inside the horizon are
    locked (R-LOCK): a plan published a week ahead is not changed by the
    month's roster unless the manager asks for it (``--replan-holidays``).
    With ``keep_until``, a re-plan keeps the current revision's days before
    that date (days already worked, swaps already approved), duty included.
    """
    staff_ids = [p.id for p in department.staff]
    by_day = _file_history(department, horizon.start)
    counts = {sid: department.spec.history.counts.get(sid, HistoryCounts()) for sid in staff_ids}
    stored = store.current_rosters() if store is not None else []
    past = _authoritative_days(stored, before=horizon.start)
    for day, roster in sorted(past.items()):
        single = Roster(roster.department, day, 1, [a for a in roster.assignments if a.date == day])
        _add_counts(counts, single, department)
        for sid in staff_ids:
            by_day.setdefault(sid, {})[day] = roster.shift_on(sid, day)
    history: dict[str, list[str | None]] = {}
    for sid, days in by_day.items():
        tail: list[str | None] = []
        day = horizon.start - dt.timedelta(days=1)
        while day in days and len(tail) < HISTORY_DAYS:
            tail.append(days[day])
            day -= dt.timedelta(days=1)
        if tail:
            history[sid] = list(reversed(tail))
    all_locks = dict(locked or {})
    plans: dict[dt.date, Roster] = {}
    kept = [r for r in stored if r.kind == "holiday-plan"] if keep_plans else []
    if keep_until is not None:
        current = [r for r in stored if r.kind == "roster" and r.start == horizon.start and r.days == horizon.days]
        kept += [_cut(r, keep_until) for r in current]
    for plan in kept:
        _check_plan_ids(plan, department, horizon)
        for day in plan.dates:
            if horizon.index(day) is not None:
                plans[day] = plan
                for sid in staff_ids:
                    all_locks[(sid, day)] = plan.shift_on(sid, day)
    return Problem(
        department, horizon, history=history, counts=counts, locked=all_locks, past=past, plans=plans,
        absences=dict(absences or {}),
    )
