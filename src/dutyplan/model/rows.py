"""Re-plan one person's whole horizon alone, when the greedy start leaves them short of a horizon-wide limit.

Why: a contract that spans the horizon (R-CONTRACT minutes over a year, say 232 to 234
eight-hour shifts out of 328 free days, with runs of two to five, two days off between runs
and at most 26 weekends) is a tight packing problem for one person. The day-by-day
construction ends a few shifts short on some people, and the repair on the full model
cannot fix it: it must free those people's whole year together, and CP-SAT finds no first
solution for five such rows at once within minutes (Curtois-Qu Instance 22, measured), while
each row alone takes about two seconds (its feasibility-jump worker finds it).

So each such person is solved alone: a copy of the problem with that one person, whose cover
need is what the others, as they stand, leave open (``min``, ``preferred`` and ``max`` minus the
people already there), and their own requests. The rules come from the same registration as
the department's (``rules_for``), so the row keeps every personal rule, core or plugin. Rules
that tie people together beyond head counts (a duty rotation, skill cover) may make the
one-person problem infeasible or its row clash with others; then the row stays as it was, and
what is left goes to the repair on the full model (:mod:`dutyplan.model.search`) as before.

The same sub-problem, for a group of people against the rest, is the neighbourhood of the
improvement search in :mod:`dutyplan.model.groups`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from dutyplan.check import CheckReport, check_roster
from dutyplan.domain import CoverNeed, Department, Problem
from dutyplan.errors import DutyplanError
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule

RulesFor = Callable[[Problem], Sequence[Rule]]

BROKEN = 10**9
"""What a row that breaks a hard rule costs when rows are compared: more than any soft penalty."""


@dataclass
class _Residual(Problem):
    """The problem for one person: cover need less the people already on each shift."""

    taken: dict[tuple[str, int], int] = field(default_factory=dict)
    needs: dict[tuple[str, int], CoverNeed] = field(default_factory=dict, repr=False, compare=False)
    """Each shift-day's need once worked out: the cover rule asks for it several times per shift-day, and on
    a year of 32 shift types (Curtois-Qu 24, 11,648 of them) that was almost half of a row's Python time."""

    def cover_need(self, shift_id: str, index: int) -> CoverNeed:
        known = self.needs.get((shift_id, index))
        if known is not None:
            return known
        need = super().cover_need(shift_id, index)
        on = self.taken.get((shift_id, index), 0)
        if on:
            need = dataclasses.replace(
                need,
                min=max(0, need.min - on),
                preferred=max(0, need.preferred - on),
                max=None if need.max is None else max(0, need.max - on),
            )
        self.needs[(shift_id, index)] = need
        return need


def short_people(report: CheckReport, problem: Problem, dated: bool = False) -> list[str]:
    """People with a hard violation over their whole horizon (named, no date): the rows to re-plan.

    ``dated`` adds people named in a dated hard violation (a run too short on one day, say).
    """
    named = {v.staff for v in report.hard if v.staff and (dated or v.date is None)}
    return [sid for sid in problem.staff_ids if sid in named]


def alone(problem: Problem, staff: str | Collection[str], roster: Roster) -> _Residual:
    """``problem`` with only ``staff`` (one id or a group), and the cover the rest of ``roster`` leaves open."""
    group = _group(staff)
    dept = problem.department
    spec = dept.spec.model_copy(update={
        "staff": [p for p in dept.spec.staff if p.id in group],
        "requests": [r for r in dept.spec.requests if r.staff in group],
    })
    day_index = {d: i for i, d in enumerate(problem.dates)}
    taken: dict[tuple[str, int], int] = {}
    for a in roster.assignments:
        di = day_index.get(a.date)
        if a.staff not in group and di is not None:
            taken[(a.shift, di)] = taken.get((a.shift, di), 0) + 1
    fields = {f.name: getattr(problem, f.name) for f in dataclasses.fields(Problem)}
    fields.update(department=Department(dept.path, spec, dept.sections), stash={})
    return _Residual(**fields, taken=taken)


def _group(staff: str | Collection[str]) -> frozenset[str]:
    return frozenset([staff]) if isinstance(staff, str) else frozenset(staff)


def _rows_of(roster: Roster, group: Collection[str]) -> list[Assignment]:
    return [a for a in roster.assignments if a.staff in group]


def with_rows(roster: Roster, group: Collection[str], rows: Sequence[Assignment]) -> Roster:
    """``roster`` with the rows of ``group`` replaced by ``rows``."""
    return roster.replace_assignments(sorted([*(a for a in roster.assignments if a.staff not in group), *rows]))


@dataclass
class RowSolve:
    """People re-planned alone: their new rows, what they cost in the sub-problem, and before."""

    row: list[Assignment]
    cost: int
    before: int
    optimal: bool = False
    """The sub-problem was solved to optimality (no better rows exist for these people alone)."""


def solve_alone(
    problem: Problem,
    staff: str | Collection[str],
    roster: Roster,
    rules_for: RulesFor,
    time_limit: float,
    workers: int = 1,
    seed: int = 0,
    first_only: bool = True,
) -> RowSolve | None:
    """Re-plan the rows of ``staff`` (one id or a group) of ``roster`` alone, from those rows as the hint.

    None if it cannot be done: no solution in time, or a plugin's rule that needs the whole
    department. With one worker the sub-model uses CP-SAT's full linearization: on a three-person
    month of Curtois-Qu 12 it proves the optimum in 0.05 s where the default takes 2 s.
    """
    from dutyplan.model.solve import add_hint, build_model, roster_from_solution

    sub = _sub_problem(problem, staff, roster, rules_for)
    if sub is None:
        return None
    single, single_rules, current = sub
    try:
        ctx = build_model(single, single_rules)
    except (DutyplanError, KeyError, ValueError):
        return None  # a plugin's rule needs the whole department: leave these rows to the full repair
    add_hint(ctx, current, single_rules)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = first_only
    if workers == 1:
        solver.parameters.linearization_level = 2
    code = solver.solve(ctx.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    # A hard violation here means the model and the checker disagree: keep what we had (plan()'s check says so).
    return _scored(single, single_rules, current, roster_from_solution(ctx, solver), code == cp_model.OPTIMAL)


def rescore(
    problem: Problem, staff: Collection[str], roster: Roster, rows: Sequence[Assignment], rules_for: RulesFor
) -> RowSolve | None:
    """What ``rows`` for ``staff`` cost against ``roster`` as it is now, and what their rows there cost.

    For rows found against an older roster (others changed meanwhile): None when they now break a rule.
    """
    sub = _sub_problem(problem, staff, roster, rules_for)
    if sub is None:
        return None
    single, single_rules, current = sub
    return _scored(single, single_rules, current, roster.replace_assignments(sorted(rows)))


def _sub_problem(
    problem: Problem, staff: str | Collection[str], roster: Roster, rules_for: RulesFor
) -> tuple[_Residual, list[Rule], Roster] | None:
    """The problem of ``staff`` alone, its rules, and their current rows; None when a rule needs everybody."""
    group = _group(staff)
    single = alone(problem, group, roster)
    try:
        single_rules = list(rules_for(single))
    except (DutyplanError, KeyError, ValueError):
        return None  # a plugin's rule needs the whole department: leave these rows to the full repair
    return single, single_rules, roster.replace_assignments(_rows_of(roster, group))


def _scored(single: Problem, rules: Sequence[Rule], current: Roster, new: Roster, optimal: bool = False
            ) -> RowSolve | None:
    """``new`` rows against ``current`` ones in the sub-problem; None when ``new`` breaks a hard rule."""
    before = check_roster(current, single, rules)
    after = check_roster(new, single, rules)
    if after.hard:
        return None
    return RowSolve(list(new.assignments), after.objective, before.objective + BROKEN * len(before.hard), optimal)


def replan_rows(
    problem: Problem,
    start: Roster,
    report: CheckReport,
    rules_for: RulesFor,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
    dated: bool = False,
) -> Roster:
    """``start`` with the rows of people short of a horizon-wide limit re-planned alone, one at a time.

    ``report`` is the check of ``start``; without a row to re-plan, ``start`` itself comes back.
    ``dated`` also re-plans people with a dated hard violation (see :func:`short_people`).
    """
    roster = start
    for staff_id in short_people(report, problem, dated):
        left = deadline - time.perf_counter()
        if left <= 0.5:
            break
        found = solve_alone(problem, staff_id, roster, rules_for, min(left, 30.0), workers, seed)
        if found is not None:
            roster = with_rows(roster, [staff_id], found.row)
    return roster


__all__ = ["RowSolve", "RulesFor", "alone", "replan_rows", "rescore", "short_people", "solve_alone", "with_rows"]
