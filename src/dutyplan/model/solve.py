"""Build the CP-SAT model from the rules, solve it, and turn the answer into a roster.

When the model is infeasible, it is rebuilt with one assumption literal per
hard rule and person (or shift-day) and solved for feasibility alone; the
solver's sufficient set of assumptions names the rules that clash.
"""
# Progress, SolveOptions, SolveResult and gap live in dutyplan.model.result (no OR-Tools import)
# and are re-exported here.

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from dutyplan.domain import Problem
from dutyplan.model.context import ModelContext
from dutyplan.model.result import Progress, SolveOptions, SolveResult, gap
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.first: float | None = None
        self.count = 0
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        self.count += 1
        self.best = self.objective_value
        if self.first is None:
            self.first = self.wall_time
        if self.on_progress:
            self.on_progress(Progress(self.objective_value, self.best_objective_bound, self.wall_time, self.count))


def build_model(problem: Problem, rules: Sequence[Rule], explain: bool = False) -> ModelContext:
    ctx = ModelContext(problem, explain=explain)
    for rule in rules:
        rule.prepare(ctx)
    for rule in rules:
        rule.build(ctx)
    if not explain and ctx.penalties:
        ctx.model.minimize(
            cp_model.LinearExpr.weighted_sum([t.expr for t in ctx.penalties], [t.weight for t in ctx.penalties])
        )
    return ctx


def roster_from_solution(ctx: ModelContext, solver: cp_model.CpSolver) -> Roster:
    assignments = []
    for pi, sid in enumerate(ctx.staff_ids):
        for di, day in enumerate(ctx.dates):
            for si, shift in enumerate(ctx.shift_ids):
                if solver.boolean_value(ctx.x[pi][di][si]):
                    assignments.append(Assignment(day, sid, shift))
    horizon = ctx.problem.horizon
    return Roster(ctx.problem.department.slug, horizon.start, horizon.days, sorted(assignments))


def add_hint(ctx: ModelContext, roster: Roster) -> None:
    """Start the search from an existing roster (a previous revision, a construction)."""
    for pi, sid in enumerate(ctx.staff_ids):
        for di, day in enumerate(ctx.dates):
            shift = roster.shift_on(sid, day)
            for si, sh in enumerate(ctx.shift_ids):
                ctx.model.add_hint(ctx.x[pi][di][si], sh == shift)


def _solver(options: SolveOptions, workers: int | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = options.time_limit
    params.num_workers = workers or options.effective_workers()
    params.random_seed = options.seed
    params.log_search_progress = options.log
    return solver


_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}


def solve(
    problem: Problem,
    rules: Sequence[Rule],
    options: SolveOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    hint: Roster | None = None,
) -> SolveResult:
    options = options or SolveOptions()
    started = time.perf_counter()
    ctx = build_model(problem, rules)
    if hint is not None:
        add_hint(ctx, hint)
    build_seconds = time.perf_counter() - started
    solver = _solver(options)
    watcher = _Watcher(on_progress)
    if on_progress is not None:
        solve_started = time.perf_counter()
        solver.best_bound_callback = lambda bound: on_progress(
            Progress(watcher.best, bound, time.perf_counter() - solve_started, watcher.count)
        )
    code = solver.solve(ctx.model, watcher)
    status = _STATUS.get(code, "unknown")
    result = SolveResult(
        status=status,
        roster=None,
        objective=None,
        bound=solver.best_objective_bound,
        build_seconds=build_seconds,
        solve_seconds=solver.wall_time,
        first_solution_seconds=watcher.first,
        solutions=watcher.count,
        model_stats=f"{len(ctx.model.proto.variables)} variables, {len(ctx.model.proto.constraints)} constraints",
    )
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.roster = roster_from_solution(ctx, solver)
        for rule in rules:
            rule.extract(ctx, solver, result.roster)
        by_rule: dict[str, int] = {}
        for term in ctx.penalties:
            by_rule[term.rule_id] = by_rule.get(term.rule_id, 0) + term.weight * int(solver.value(term.expr))
        result.penalty_by_rule = by_rule
        # The objective evaluated on the returned assignment. CP-SAT's own objective_value can be
        # higher for a non-optimal roster: presolve may leave penalty variables slack, and postsolve
        # then recomputes them exactly. The returned roster costs what its variables say.
        result.objective = sum(by_rule.values())
        if not ctx.penalties:
            result.bound = 0
        result.roster.solver = {
            "status": status,
            "objective": result.objective,
            "bound": float(result.bound),
            "gap": round(result.gap or 0.0, 6),
            "seconds": round(solver.wall_time, 3),
            "workers": solver.parameters.num_workers,
            "seed": options.seed,
        }
    elif code == cp_model.INFEASIBLE:
        result.conflicts = explain_infeasible(problem, rules, options)
    return result


def explain_infeasible(
    problem: Problem, rules: Sequence[Rule], options: SolveOptions
) -> list[tuple[str, str | None]]:
    """A set of (rule, scope) hard-rule parts that cannot all hold (empty if none was found)."""
    ctx = build_model(problem, rules, explain=True)
    literals = ctx.assumption_literals
    if not literals:
        return []
    ctx.model.add_assumptions(literals)
    solver = _solver(options, workers=1)
    solver.parameters.max_time_in_seconds = max(5.0, min(60.0, options.time_limit))
    code = solver.solve(ctx.model)
    if code != cp_model.INFEASIBLE:
        return []
    core = solver.sufficient_assumptions_for_infeasibility()
    return sorted(
        (ctx.assumptions[i] for i in core if i in ctx.assumptions), key=lambda k: (k[0], k[1] or "")
    )


__all__ = ["Progress", "SolveOptions", "SolveResult", "add_hint", "build_model", "explain_infeasible", "gap",
           "roster_from_solution", "solve"]
