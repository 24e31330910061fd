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
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from dutyplan.check import check_roster
from dutyplan.domain import CoverNeed, Department, Problem
from dutyplan.errors import DutyplanError
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule

RulesFor = Callable[[Problem], Sequence[Rule]]


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


def short_people(roster: Roster, problem: Problem, rules: Sequence[Rule]) -> list[str]:
    """People with a hard violation over their whole horizon (named, no date): the rows to re-plan."""
    report = check_roster(roster, problem, rules)
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


def replan_rows(
    problem: Problem,
    start: Roster,
    rules: Sequence[Rule],
    rules_for: RulesFor,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
) -> Roster:
    """``start`` with the rows of people short of a horizon-wide limit re-planned alone, one at a time."""
    from dutyplan.model.solve import add_hint, build_model, roster_from_solution

    roster = start
    for staff_id in short_people(start, problem, rules):
        left = deadline - time.perf_counter()
        if left <= 0.5:
            break
        single = alone(problem, staff_id, roster)
        try:
            single_rules = rules_for(single)
            ctx = build_model(single, single_rules)
        except (DutyplanError, KeyError, ValueError):
            continue  # a plugin's rule needs the whole department: leave this row to the full repair
        add_hint(ctx, roster.replace_assignments([a for a in roster.assignments if a.staff == staff_id]),
                 single_rules)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = min(left, 30.0)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.stop_after_first_solution = True  # a feasible row; the final solve improves it
        if solver.solve(ctx.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        row = roster_from_solution(ctx, solver).assignments
        kept: list[Assignment] = [a for a in roster.assignments if a.staff != staff_id]
        roster = roster.replace_assignments(sorted([*kept, *row]))
    return roster


__all__ = ["RulesFor", "alone", "replan_rows", "short_people"]
