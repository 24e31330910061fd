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

On a large model the same one-person solve also improves the start (:func:`improve_rows`): every
row in turns, kept when it costs less alone. The caller (``model/solve.py``) decides when:
from 50,000 shift variables and only when no R-FAIR share compares people.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
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

    def cover_need(self, shift_id: str, index: int) -> CoverNeed:
        need = super().cover_need(shift_id, index)
        on = self.taken.get((shift_id, index), 0)
        if not on:
            return need
        return dataclasses.replace(
            need,
            min=max(0, need.min - on),
            preferred=max(0, need.preferred - on),
            max=None if need.max is None else max(0, need.max - on),
        )


def short_people(report: CheckReport, problem: Problem) -> list[str]:
    """People with a hard violation over their whole horizon (named, no date): the rows to re-plan."""
    named = {v.staff for v in report.hard if v.staff and v.date is None}
    return [sid for sid in problem.staff_ids if sid in named]


def alone(problem: Problem, staff_id: str, roster: Roster) -> _Residual:
    """``problem`` with only ``staff_id``, and the cover the rest of ``roster`` leaves open."""
    dept = problem.department
    spec = dept.spec.model_copy(update={
        "staff": [p for p in dept.spec.staff if p.id == staff_id],
        "requests": [r for r in dept.spec.requests if r.staff == staff_id],
    })
    day_index = {d: i for i, d in enumerate(problem.dates)}
    taken: dict[tuple[str, int], int] = {}
    for a in roster.assignments:
        di = day_index.get(a.date)
        if a.staff != staff_id and di is not None:
            taken[(a.shift, di)] = taken.get((a.shift, di), 0) + 1
    fields = {f.name: getattr(problem, f.name) for f in dataclasses.fields(Problem)}
    fields.update(department=Department(dept.path, spec, dept.sections), stash={})
    return _Residual(**fields, taken=taken)


def _row_of(roster: Roster, staff_id: str) -> list[Assignment]:
    return [a for a in roster.assignments if a.staff == staff_id]


def _with_row(roster: Roster, staff_id: str, row: Sequence[Assignment]) -> Roster:
    return roster.replace_assignments(sorted([*(a for a in roster.assignments if a.staff != staff_id), *row]))


@dataclass
class RowSolve:
    """One person re-planned alone: the new row and what it costs in the one-person problem."""

    row: list[Assignment]
    cost: int
    before: int


def solve_alone(
    problem: Problem,
    staff_id: str,
    roster: Roster,
    rules_for: RulesFor,
    time_limit: float,
    workers: int = 1,
    seed: int = 0,
    first_only: bool = True,
) -> RowSolve | None:
    """Re-plan ``staff_id``'s row of ``roster`` alone, from that row as the hint; None if it cannot be done."""
    from dutyplan.model.solve import add_hint, build_model, roster_from_solution

    single = alone(problem, staff_id, roster)
    try:
        single_rules = list(rules_for(single))
        ctx = build_model(single, single_rules)
    except (DutyplanError, KeyError, ValueError):
        return None  # a plugin's rule needs the whole department: leave this row to the full repair
    current = roster.replace_assignments(_row_of(roster, staff_id))
    add_hint(ctx, current, single_rules)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = first_only
    if solver.solve(ctx.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    new = roster_from_solution(ctx, solver)
    before = check_roster(current, single, single_rules)
    after = check_roster(new, single, single_rules)
    if after.hard:
        return None  # the model and the checker disagree: keep what we had (the check in plan() would say so)
    return RowSolve(new.assignments, after.objective, before.objective + BROKEN * len(before.hard))


def replan_rows(
    problem: Problem,
    start: Roster,
    report: CheckReport,
    rules_for: RulesFor,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
) -> Roster:
    """``start`` with the rows of people short of a horizon-wide limit re-planned alone, one at a time.

    ``report`` is the check of ``start``; without a row to re-plan, ``start`` itself comes back.
    """
    roster = start
    for staff_id in short_people(report, problem):
        left = deadline - time.perf_counter()
        if left <= 0.5:
            break
        found = solve_alone(problem, staff_id, roster, rules_for, min(left, 30.0), workers, seed)
        if found is not None:
            roster = _with_row(roster, staff_id, found.row)
    return roster


def improve_rows(
    problem: Problem,
    start: Roster,
    rules_for: RulesFor,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
    slice_seconds: float = 2.0,
    on_better: Callable[[int], None] | None = None,
) -> Roster:
    """Re-plan every row alone against the others, in turns, keeping a row only when it costs less.

    Why: on a large, long horizon CP-SAT's own search improves the whole model slowly (a year of
    50 people: 210,000 variables, presolve alone several seconds per neighbourhood), while one
    person's year is a small model it optimises within a second or two. Scored against the cover
    the others leave, a row's cost in the one-person problem differs from its cost in the whole
    roster by a constant, as long as the rules compare nobody with anybody (no R-FAIR shares:
    the caller checks), so every kept row lowers the roster's penalty by what it saves alone.
    Rounds go on until a round keeps nothing or ``deadline`` passes. ``on_better`` hears what
    each kept row saved.
    """
    roster = start
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for staff_id in problem.staff_ids:
            left = deadline - time.perf_counter()
            if left <= 0.2:
                break
            found = solve_alone(problem, staff_id, roster, rules_for, min(left, slice_seconds), workers, seed,
                                first_only=False)
            if found is not None and found.cost < found.before:
                roster = _with_row(roster, staff_id, found.row)
                improved = True
                if on_better is not None:
                    on_better(found.before - found.cost)
    return roster


__all__ = ["RowSolve", "RulesFor", "alone", "improve_rows", "replan_rows", "short_people", "solve_alone"]
