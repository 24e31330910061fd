"""Build the CP-SAT model from the rules, solve it, and turn the answer into a roster.

When the model is infeasible, it is rebuilt with one assumption literal per
hard rule and person (or shift-day) and solved for feasibility alone; the
solver's sufficient set of assumptions names the rules that clash.
"""
# Progress, SolveOptions, SolveResult and gap live in dutyplan.model.result (no OR-Tools import)
# and are re-exported here.

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

from ortools.sat.python import cp_model

from dutyplan.calendar import weekends
from dutyplan.check import check_roster
from dutyplan.domain import Problem
from dutyplan.model.columns import Decomposition, decomposable, dive, generate, recombine
from dutyplan.model.construct import construct
from dutyplan.model.context import ModelContext
from dutyplan.model.groups import improve_groups
from dutyplan.model.result import Progress, SolveOptions, SolveResult, gap
from dutyplan.model.rows import RulesFor, replan_rows
from dutyplan.model.search import Found, Search, complete_hint
from dutyplan.model.weekendwindows import fits as fits_windows
from dutyplan.model.weekendwindows import improve_weekend_windows
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule
from dutyplan.rules.fairness import shares
from dutyplan.rules.weekends import weekend_limits

GROUPS_FROM = 2_000
"""Shift variables (staff x days x shifts) from which groups are improved alone before the full solve.

Below, CP-SAT's full model with the whole time limit does better: with the groups first it lost its
proofs or its best values on Curtois-Qu 4 to 7 (1,000 to 1,700 shift variables). At 3,360 it is a
draw on one seed: 16 better with the groups (3,644 against 4,141), 8 worse (1,644 against 1,522);
from 9 (4,000) up the groups gave every instance a better roster in the same 60 s (bench/RESULTS.md).
Where column generation runs (``COLUMNS_UNTIL``) it replaces them.
"""

ROWS_SHARE = 0.6
"""Share of the time limit for re-planning rows and groups alone (model/rows.py, model/groups.py).

The full model keeps the rest: it proves the bound and goes on from the groups' roster with its own
neighbourhoods.
"""

COLUMNS_UNTIL = 17_000
"""Shift variables below which column generation and diving (model/columns.py) replace the groups.

Below 9,000 the rounds converge in a share of a minute on two cores (Curtois-Qu 5 to 11: 5 to 15 s)
and the dive turns the LP's rows into a roster near its bound: 10 and 11 proven optimal, 9 at 441
(best known 439), 16 at 3,226 (3,225), where the groups gave 4,745, 3,450, 453 and 3,532. Since the
rows are recombined by a MIP, the groups mend a dive whose rounds did not finish and the dive has
35% of the time, the path also beats the groups on 15 (11,340: 4,437 / 4,571 against 5,061 / 4,672)
and on 12 (16,800: 4,244 / 4,146 against 4,333 / 4,331), seeds 0 / 1; bench/RESULTS.md, stop 19.
13 (60,480) and 19 (84 days) stay with the groups.
"""

ROW_DAYS_UNTIL = 84
"""Days from which the groups keep the department anyway: a long row prices slowly.

What slows the one-person pricing models is the days their sequence rules run over, not the shifts:
Curtois-Qu 18 (84 days x 3 shifts) got nine rounds in 25 s, a bound of 26 in one run, and its dive ran
out of time (5,616 and 6,034 against the groups' 5,212 to 5,428 with seed 1; 5,138 with seed 0), while
12 (28 days x 10 shifts, longer rows) converges in 24 s. 17 (56 days) and 14 (42) end as well as or
better than with the groups.
"""

COLUMNS_SHARE = 0.4
"""Longest share of the time limit for column generation (model/columns.py); it stops sooner when done.

Curtois-Qu 5, 7 and 11 converge in 6, 14 and 12 s of a minute; 8 needs about 25 s.
"""

DIVE_SHARE = 0.35
"""Longest share of the time limit for diving (model/columns.py :func:`dive`) after column generation.

The dive stops when everyone is fixed, so the share only matters where it was cut short: it then fixes
more people at once and follows the LP worse. Curtois-Qu 12 (60 people) dived to 4,608-5,390 in 12 s
(20%) and to 4,350 / 4,364 in 15-17 s; its final rosters went from 4,161-4,358 to 4,048-4,244 (best
known 4,040). 8 and 17 gained too (1,308 / 1,304, 5,757 / 5,858 against 1,412 / 1,303, 5,976 / 5,975);
bench/RESULTS.md, stop 19.
"""

RECOMBINE_SHARE = 0.05
"""Share of the time limit for recombining the rows column generation found into one roster."""

POLISH_FROM = 0.02
"""Gap between the column path's best roster and its proven bound from which the groups polish that roster.

When the rounds end far from done (Curtois-Qu 17, 56 days x 4 shifts: LP about 5,900 against a bound
of 5,000 to 5,350 after 24 s), the LP's rows guide the dive badly (6,500 to 11,700) and the groups
(model/groups.py), most around a cover hole, mend that roster better than CP-SAT's own neighbourhoods:
17 in 60 s, seeds 0-3, 5,977 / 5,990 / 6,091 / 6,102 against 6,320 / 6,185 / 6,278 / 5,977 without.
14 (LP 2-6% above its bound after 24 s) is a draw: 1,280 / 1,393 / 1,283 / 1,381 against 1,291 / 1,387 /
1,311 / 1,382 (bench/RESULTS.md, stop 17). Since stop 20 the gap is the roster's, not the LP's, so a
dive that ended a cover hole or more above a converged LP is polished too: 16, seeds 0-3, 3,329 / 3,326 /
3,226 / 3,229 against 3,325 / 3,428 / 3,225 / 3,443; 8 1,404 / 1,303 / 1,407 / 1,305 against 1,308 /
1,303 / 1,411 / 1,309 (one hole of 100 either way); 12 a draw.
"""

POLISH_SHARE = 0.8
"""Share of the time left after the recombination that the groups get when ``POLISH_FROM`` holds.

The final solve keeps the rest (at least a tenth of the time limit). On Curtois-Qu 12, whose rounds now
converge at its optimum of 4,040 before a third of the minute is out, the groups mend the dive further
than the final solve does: seeds 0-3, 4,061 / 4,054 / 4,061 / 4,067 against 4,148 / 4,043 / 4,248 /
4,075 with half. 14, 15, 16 and 17 were a draw (15: 4,506 / 4,505 / 4,515 / 3,994 against 4,194 /
4,394 / 4,816 / 4,090, each a different dive; bench/RESULTS.md, stop 21).
"""


LNS_ONLY_FROM = 10_000
"""Shift variables past which the final solve after the groups runs CP-SAT's neighbourhoods on both workers.

With two workers CP-SAT gives one of them to a search of the whole model (``default_lp``) and interleaves
its neighbourhoods (LNS) on the other. On these departments that search's LP no longer solves in time
(``SMALL_MODEL``) and its bound stays far below the optimum (Curtois-Qu 13: 211 against 1,348; 19: 23
against 3,149), while the neighbourhoods mend the groups' roster faster with both cores: from the same
roster, 24 s of the final solve on 13 (three runs each) gave 2,948 / 2,573 / 2,956 with neighbourhoods
only, 3,137 / 3,314 / 3,307 as before; 20 s on 19 (five runs) 3,969-4,160 (mean 4,069) against
3,987-4,275 (4,140) (bench/RESULTS.md, stop 24). The price: past this size the final solve proves no
bound beyond presolve's (0 on 13), so the gap shown is 100% where it was about 94%, and "optimal" is
never proven there. It works from the repair's whole roster, so it runs only when the repair hinted one;
only two workers were measured, so with more the whole-model workers stay. Below this size (18: 5,544)
the whole-model worker's bound is worth showing (3,678-4,233 against 4,459) and it keeps its core.
"""


WEEKENDS_FROM = 14
"""Weekends in the horizon from which, with an R-MAX-WEEKENDS limit, the weekends get a solve of their own.

On a long horizon the allowance of weekends binds across it: a weekend hole is filled by someone who
gives up a weekend elsewhere or works a one-day weekend whole, moves that neither a few people's rows
(model/groups.py) nor CP-SAT's neighbourhoods of the whole model reach in time. Curtois-Qu 20 (26
weekends) from a 300 s roster (5,282), 60 s more: 5,180 with every weekday held and the weekends free,
5,265 on the whole model. On a month (13, 4 weekends) the whole model did as well or better
(bench/RESULTS.md, stop 30).
"""

WEEKENDS_SHARE = 0.5
"""Share of the time left after the repair for the weekends' solve (``WEEKENDS_FROM``); the final solve has the rest.

With 0.8, Curtois-Qu 22 lost what its final solve finds (bench/RESULTS.md, stop 30).
"""

WEEKENDS_ALONE_FROM = 1_000_000
"""Shift variables from which the weekends' solve has ``WEEKENDS_ALONE_SHARE`` of the time left instead.

There the final solve finds nothing: on Curtois-Qu 24 (150 people x 364 days x 32 shift types, 1.7
million) it found no better roster in its 20 to 45 s in four runs (CP-SAT's neighbourhoods of a model
of 1.8 million variables), while the weekends' solve still gained about 600 a 10 s when its half ended.
From the groups' roster, seed 0: -4,449 with half the time left, -5,626 with 0.8, -6,340 with 0.9.
Curtois-Qu 23 (580,000) still gains 350 to 450 in its final solve (bench/RESULTS.md, stops 30 and 31).
"""

WEEKENDS_ALONE_SHARE = 0.9
"""Share of the time left for the weekends' solve past ``WEEKENDS_ALONE_FROM``: the final solve keeps a tenth."""


WINDOWS_SHARE = 0.75
"""Share of the time left after the repair for a few weekends at a time (model/weekendwindows.py).

On horizons shorter than ``WEEKENDS_FROM`` weekends with an R-MAX-WEEKENDS limit, after the groups,
where one weekend's window is small enough (``weekendwindows.fits``); the final solve has the rest.
Curtois-Qu 18 in 60 s, seeds 0-3: 5,011 / 4,986 / 4,894 / 4,980 against 5,300 / 5,300 / 5,210 / 5,002
with the final solve alone after the groups; 19 a draw inside its spread (mean 4,080 over six runs
against 4,052 over five), where the windows gained more from the groups' roster (mean -445 with the
final solve after them, against -268; bench/RESULTS.md, stop 32). A half year keeps
the weekends' solve: on Curtois-Qu 20 (seed 0, 300 s) the windows in its place ended at 5,122, against 5,050.
"""


def _weekends_bind(problem: Problem) -> bool:
    """The department limits weekends (R-MAX-WEEKENDS) and the horizon holds ``WEEKENDS_FROM`` of them."""
    return bool(weekend_limits(problem)) and len(weekends(problem.dates)) >= WEEKENDS_FROM


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports every roster of the final solve, timed from ``origin`` (the start of the whole search)."""

    def __init__(self, on_progress: Callable[[Progress], None] | None, origin: float, count: int = 0,
                 best: float | None = None, floor: float = float("-inf")) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.origin = origin
        self.first: float | None = None
        self.count = count
        self.best = best
        self.floor = floor
        """A bound proven before this solve (column generation's): CP-SAT's own may start below it."""

    def bound(self, own: float) -> float:
        return max(own, self.floor)

    def on_solution_callback(self) -> None:
        self.count += 1
        seconds = time.perf_counter() - self.origin
        if self.best is None or self.objective_value < self.best:
            self.best = self.objective_value
        if self.first is None:
            self.first = seconds
        if self.on_progress:
            self.on_progress(Progress(self.best, self.bound(self.best_objective_bound), seconds, self.count))


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


def add_hint(ctx: ModelContext, roster: Roster, rules: Sequence[Rule] = ()) -> None:
    """Start the search from an existing roster (a previous revision, a construction).

    Rules that own variables beyond shifts (the duty rotation) hint them through their ``hint`` face.
    The shift variables are written into the model's hint at once: ``CpModel.add_hint`` per variable
    took 5.8 s on a year of 150 people and 32 shift types (Curtois-Qu 24, 1.8 million variables), time
    taken from the solve; the groups' sub-models (model/rows.py) are hinted here too, thousands of times.
    """
    index, width = ctx.shift_index, ctx.num_shifts
    variables: list[int] = []
    values: list[int] = []
    for sid, x_row, work_row in zip(ctx.staff_ids, ctx.x, ctx.work, strict=True):
        for day, cell, work in zip(ctx.dates, x_row, work_row, strict=True):
            shift = roster.shift_on(sid, day)
            variables.extend([v.index for v in cell])
            values.extend([0] * width)
            on = index.get(shift) if shift is not None else None
            if on is not None:
                values[on - width] = 1
            variables.append(work.index)
            values.append(int(shift is not None))
    hint = ctx.model.proto.solution_hint
    hint.vars.extend(variables)
    hint.values.extend(values)
    for rule in rules:
        rule.hint(ctx, roster)


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


def _start(problem: Problem, hint: Roster | None) -> Roster | None:
    """The roster the search starts from: the caller's (copied, rules may add extras) or a construction."""
    if hint is not None:
        return hint.replace_assignments(hint.assignments)
    try:
        return construct(problem)
    except Exception:  # a start is only an optimisation; the solver needs none
        return None


def solve(
    problem: Problem,
    rules: Sequence[Rule],
    options: SolveOptions | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    hint: Roster | None = None,
    rules_for: RulesFor | None = None,
) -> SolveResult:
    """Solve in two steps: a whole first roster from a greedy start (repaired on sub-problems), then CP-SAT.

    The final CP-SAT solve starts from the best roster of the first step as a complete hint and
    proves the bound; whichever of the two holds the better roster returns it. ``hint`` replaces the
    greedy start (a previous revision). ``rules_for`` registers the rules of another problem (the
    department's own registration); with it, people the start leaves short of a horizon-wide limit
    are re-planned alone before the repair (model/rows.py). When only the shift cover ties people
    together, below ``COLUMNS_UNTIL`` shift variables and ``ROW_DAYS_UNTIL`` days, column generation
    over rows proves a bound and dives to a roster after the repair (model/columns.py); otherwise from
    ``GROUPS_FROM`` shift variables, when no R-FAIR share compares people, small groups are improved
    alone in turns for ``ROWS_SHARE`` of the time (model/groups.py). After the groups, on a horizon of
    ``WEEKENDS_FROM`` weekends with an R-MAX-WEEKENDS limit, the weekends get a solve of their own with
    every weekday held (``Search.improve``) before the final solve; on a shorter horizon with the limit,
    where one weekend's window is small (``weekendwindows.fits``), a few weekends at a time with Thursday to
    Tuesday around each, everyone free (model/weekendwindows.py).
    """
    options = options or SolveOptions()
    started = time.perf_counter()
    ctx = build_model(problem, rules)
    build_seconds = time.perf_counter() - started
    origin = time.perf_counter()
    deadline = origin + options.time_limit
    cells = ctx.num_staff * ctx.num_days * ctx.num_shifts
    workers = options.effective_workers(cells)
    count = 0

    repair_first: float | None = None

    def found(f: Found) -> None:
        nonlocal count, repair_first
        count += 1
        repair_first = f.seconds if repair_first is None else repair_first
        if on_progress is not None:
            on_progress(Progress(float(f.objective), 0.0, f.seconds, count))

    lowest = math.inf

    def better(objective: float, seconds: float) -> None:
        """A roster of the weekends' solve (``Search.improve``), reported as it is found.

        Its first roster is the hint, and CP-SAT's objective may sit above the penalty its roster
        has (presolve's slack, see below): progress only ever shows the lowest so far.
        """
        nonlocal count, lowest
        count += 1
        lowest = min(lowest, objective, float(search.best.objective) if search and search.best else math.inf)
        if on_progress is not None:
            on_progress(Progress(lowest, 0.0, seconds, count))

    rows_first: float | None = None

    def checked(objective: int) -> None:
        """A roster the checker passed (rows phase): reported like a solution of the model."""
        nonlocal count, rows_first
        count += 1
        seconds = time.perf_counter() - origin
        rows_first = seconds if rows_first is None else rows_first
        if on_progress is not None:
            on_progress(Progress(float(objective), 0.0, seconds, count))

    search: Search | None = None
    start = _start(problem, hint)
    decomposition: Decomposition | None = None
    columns = (cells < COLUMNS_UNTIL and ctx.num_days < ROW_DAYS_UNTIL and rules_for is not None
               and decomposable(rules) and not shares(problem))
    groups = cells >= GROUPS_FROM and not columns and not shares(problem) and rules_for is not None
    best: Found | None = None  # the repair's whole roster, the final solve's complete hint

    def whole_model_parameters(params: Any) -> None:
        """CP-SAT's parameters for the final solve, and for the weekends' solve before it (same model)."""
        tune(params, ctx, params.num_workers)
        if groups and best is not None and cells > LNS_ONLY_FROM and params.num_workers == 2:
            params.use_lns_only = True

    if start is not None and rules_for is not None:
        start = _rows(problem, start, rules, rules_for, origin + ROWS_SHARE * options.time_limit, workers,
                      options.seed, improve=groups, on_checked=checked)
    if start is not None:
        add_hint(ctx, start, rules)
        search = Search(ctx, rules, seed=options.seed, workers=workers, started=origin, on_found=found,
                        on_better=better)
        repair_until = max(origin + 0.5 * options.time_limit, time.perf_counter() + 0.1 * options.time_limit)
        best = search.repair(start, min(deadline, repair_until))
        if columns and rules_for is not None:
            incumbent = roster_from_solution(ctx, best.solver) if best is not None else start
            decomposition, combined = _columns(problem, incumbent, rules, rules_for, options, workers, deadline)
            if combined is not None:
                # Kept as the search's best when it costs less; in half of what is left, the rest is the final solve's.
                best = search.repair(combined, time.perf_counter() + 0.5 * (deadline - time.perf_counter()))
        if best is not None:
            complete_hint(ctx, best.values)
        if best is not None and groups and _weekends_bind(problem):
            share = WEEKENDS_ALONE_SHARE if cells >= WEEKENDS_ALONE_FROM else WEEKENDS_SHARE
            until = time.perf_counter() + share * max(0.0, deadline - time.perf_counter())
            weekend_days = [di for days in weekends(ctx.dates).values() for di in days]
            improved = search.improve(best, search.days_free(weekend_days), until, whole_model_parameters)
            if improved is not best:
                best = improved
                complete_hint(ctx, best.values)
        elif best is not None and groups and weekend_limits(problem) and fits_windows(ctx):
            until = time.perf_counter() + WINDOWS_SHARE * max(0.0, deadline - time.perf_counter())
            # tune alone, not whole_model_parameters: a window's sub-model is small enough to prove, and
            # neighbourhoods only would give that up. The windows keep the hint on their best roster.
            best = improve_weekend_windows(search, best, list(weekends(ctx.dates).values()), until,
                                           lambda params: tune(params, ctx, params.num_workers), options.seed)
    solver = _solver(options, workers)
    params = solver.parameters
    params.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    if params.num_workers == 1:
        # Reproducible (--seed with one worker): stop on CP-SAT's deterministic clock, not the wall
        # clock, which would cut the search at a different point on a busier machine. The wall limit
        # stays as a safety net for a machine much slower than the deterministic clock assumes.
        params.max_deterministic_time = params.max_time_in_seconds
        params.max_time_in_seconds = 3 * params.max_time_in_seconds
    whole_model_parameters(params)
    early = search.best if search is not None else None
    first = rows_first if rows_first is not None else repair_first
    floor = float(decomposition.proven) if decomposition is not None and decomposition.proven is not None else None
    watcher = _Watcher(on_progress, origin, count, float(early.objective) if early is not None else None,
                       floor if floor is not None else float("-inf"))
    if on_progress is not None:
        if floor is not None:
            on_progress(Progress(watcher.best, floor, time.perf_counter() - origin, watcher.count))
        solver.best_bound_callback = lambda bound: on_progress(
            Progress(watcher.best, watcher.bound(bound), time.perf_counter() - origin, watcher.count)
        )
    code = solver.solve(ctx.model, watcher)
    status = _STATUS.get(code, "unknown")
    holder: cp_model.CpSolver | None = solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    if search is not None and search.best is not None:
        mine = search.best
        if holder is None or search.objective_of(holder) > mine.objective:
            holder = mine.solver
            if status in ("unknown", "optimal"):
                status = "feasible"  # "optimal" proves the bound; the better roster came from the search
    bound = watcher.bound(solver.best_objective_bound)
    result = SolveResult(
        status=status,
        roster=None,
        objective=None,
        bound=bound,
        build_seconds=build_seconds,
        solve_seconds=time.perf_counter() - origin,
        first_solution_seconds=first if first is not None else watcher.first,
        solutions=watcher.count,
        model_stats=f"{len(ctx.model.proto.variables)} variables, {len(ctx.model.proto.constraints)} constraints",
    )
    if holder is not None:
        result.roster = roster_from_solution(ctx, holder)
        for rule in rules:
            rule.extract(ctx, holder, result.roster)
        by_rule: dict[str, int] = {}
        for term in ctx.penalties:
            by_rule[term.rule_id] = by_rule.get(term.rule_id, 0) + term.weight * int(holder.value(term.expr))
        result.penalty_by_rule = by_rule
        # The objective evaluated on the returned assignment. CP-SAT's own objective_value can be
        # higher for a non-optimal roster: presolve may leave penalty variables slack, and postsolve
        # then recomputes them exactly. The returned roster costs what its variables say.
        result.objective = sum(by_rule.values())
        if not ctx.penalties:
            result.bound = 0
        result.bound = min(result.bound, result.objective)
        if result.bound == result.objective:
            status = result.status = "optimal"  # column generation's bound proves it when CP-SAT's did not
        result.roster.solver = {
            "status": status,
            "objective": result.objective,
            "bound": float(result.bound),
            "gap": round(result.gap or 0.0, 6),
            "seconds": round(result.solve_seconds, 3),
            "workers": solver.parameters.num_workers,
            "seed": options.seed,
        }
    elif code == cp_model.INFEASIBLE:
        result.conflicts = explain_infeasible(problem, rules, options)
    return result


def _columns(
    problem: Problem,
    incumbent: Roster,
    rules: Sequence[Rule],
    rules_for: RulesFor,
    options: SolveOptions,
    workers: int,
    deadline: float,
) -> tuple[Decomposition | None, Roster | None]:
    """Column generation's bound, and a roster made of its rows (None unless it beats ``incumbent``).

    The roster is the dive's (model/columns.py), recombined with every row found when that picks
    better ones. All ends before ``deadline`` (the whole solve's) with a tenth of the time limit
    left for the final solve.
    """
    cores = max(1, min(workers, os.cpu_count() or 1))
    last = deadline - 0.1 * options.time_limit

    def share(part: float) -> float:
        return min(last, time.perf_counter() + part * options.time_limit)

    found = generate(problem, incumbent, rules_for, share(COLUMNS_SHARE), cores, options.seed)
    if found is None:
        return None, None
    best, cost = incumbent, _cost(incumbent, problem, rules)
    dived = dive(problem, found, share(DIVE_SHARE))
    if dived is not None and (dived_cost := _cost(dived, problem, rules)) < cost:
        best, cost = dived, dived_cost
    combined = recombine(problem, found, best, share(RECOMBINE_SHARE))  # from the best
    if combined is not None and (combined_cost := _cost(combined, problem, rules)) < cost:
        best, cost = combined, combined_cost
    if _far(found, cost):
        polish = time.perf_counter() + POLISH_SHARE * max(0.0, last - time.perf_counter())
        best = improve_groups(problem, best, rules_for, polish, options.seed, workers=cores)
    return found, None if best is incumbent else best


def _far(found: Decomposition, cost: float) -> bool:
    """A roster of ``cost`` is provably ``POLISH_FROM`` or more above the optimum, or nothing was proven:
    the groups mend it."""
    return math.isfinite(cost) and cost - found.bound > POLISH_FROM * abs(cost)


def _cost(roster: Roster, problem: Problem, rules: Sequence[Rule]) -> float:
    """A roster's penalty, or infinity when it breaks a hard rule."""
    report = check_roster(roster, problem, rules)
    return math.inf if report.hard else report.objective


def _rows(
    problem: Problem,
    start: Roster,
    rules: Sequence[Rule],
    rules_for: RulesFor,
    until: float,
    workers: int,
    seed: int,
    improve: bool,
    on_checked: Callable[[int], None],
) -> Roster:
    """The start with short rows re-planned alone (model/rows.py); when ``improve``, groups in turns.

    Before improving, the whole roster is checked once: with no hard violation it is the first
    roster (reported through ``on_checked`` with its penalty), and every group kept afterwards
    lowers that penalty by what it saved alone (the constant-offset argument in model/groups.py).
    """
    report = check_roster(start, problem, rules)
    # With the groups to follow (no share compares people), a row with a dated violation is re-planned
    # alone too: otherwise only the full repair after the groups fixes it (Curtois-Qu 24: two short runs,
    # first roster after 278 s).
    replanned = replan_rows(problem, start, report, rules_for, until, workers, seed, dated=improve)
    if not improve:
        return replanned
    if replanned is not start:
        start, report = replanned, check_roster(replanned, problem, rules)
    penalty = report.objective
    if not report.hard:
        on_checked(penalty)

    def saved(amount: int) -> None:
        nonlocal penalty
        penalty -= amount
        if not report.hard:
            on_checked(penalty)

    return improve_groups(problem, start, rules_for, until, seed, on_better=saved, workers=workers)


SMALL_MODEL = 10_000
"""Shift variables (staff x days x shifts) up to which the LP with every constraint pays off.

Observed on two cores while tuning (single runs, see bench/RESULTS.md for the recorded ones):
CP-SAT's ``max_lp`` worker (linearization level 2) proves the 15-person example optimal and
reaches best-known values on Curtois–Qu 2, 4 and 7 in 30 s where the default worker's bound
stays useless; from about 17,000 shift variables (Curtois–Qu 12, a 200-person month) its LP
no longer solves in time and the default worker does better on both bound and roster.
"""

LARGE_MODEL = 50_000
"""Shift variables from which presolve is kept short (1,000 people x 4 shifts: 37 s of presolve
with the defaults, 6 s with these settings, in one run)."""


def tune(params: Any, ctx: ModelContext, workers: int) -> None:
    """CP-SAT parameters for a roster model of this size and this many workers (see SMALL_MODEL)."""
    cells = ctx.num_staff * ctx.num_days * ctx.num_shifts
    if cells <= SMALL_MODEL:
        if workers == 1:
            params.linearization_level = 2
        elif workers <= 3:
            params.subsolvers.append("max_lp")  # replaces default_lp as the full-problem worker
    if cells >= LARGE_MODEL:
        # Probing and repeated symmetry detection take most of presolve on big models and buy little.
        params.cp_model_probing_level = 0
        params.symmetry_level = 1
        params.max_presolve_iterations = 1


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
