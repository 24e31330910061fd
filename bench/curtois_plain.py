"""A plain CP-SAT model of a Curtois–Qu instance, written directly against OR-Tools.

Why: the benchmark table compares dutyplan's rule framework with the model a
careful person writes by hand for this one problem, at the same time limit and
worker count, so it shows what the framework costs or gains. It shares only
the instance parser with dutyplan (``dutyplan.importers.curtois.parse_instance``,
plain data, no rules, no model code).

Semantics (SOURCE.md of the benchmark): one shift a day; ``NotFollow`` between
consecutive days, off outside the horizon; per-type maxima; total minutes
between the bounds; at most ``MaxConsecutiveShifts`` worked days in a row;
runs of worked days (and of days off) shorter than the minimum are forbidden
unless they touch day 0 or the last day; a weekend counts when Saturday or
Sunday is worked; fixed days off. Objective: unmet on-requests, granted
off-requests, and cover under/over weighted.

Run alone: ``python bench/curtois_plain.py Instance1.txt --time-limit 10 --workers 2``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from dutyplan.importers.curtois import Instance, parse_instance


@dataclass
class PlainModel:
    model: cp_model.CpModel
    staff: list[str]
    shifts: list[str]
    x: list[list[list[cp_model.IntVar]]]  # [employee][day][shift]
    objective: list[tuple[cp_model.LinearExprT, int]] = field(default_factory=list)


def build(inst: Instance) -> PlainModel:
    """The whole model in one function, the way the benchmark's IP formulation reads."""
    m = cp_model.CpModel()
    staff, shifts, horizon = list(inst.staff), list(inst.shifts), inst.horizon
    si = {s: i for i, s in enumerate(shifts)}
    x = [[[m.new_bool_var(f"x[{e},{d},{s}]") for s in shifts] for d in range(horizon)] for e in staff]
    work = []
    for ei, e in enumerate(staff):
        row = []
        for d in range(horizon):
            w = m.new_bool_var(f"w[{e},{d}]")
            m.add(sum(x[ei][d]) == w)  # one shift a day
            row.append(w)
        work.append(row)
    pm = PlainModel(m, staff, shifts, x)

    pairs = [(si[a.id], si[b]) for a in inst.shifts.values() for b in a.not_follow]
    weekends = [(sat, sat + 1) for sat in range(5, horizon, 7)]
    for ei, e in enumerate(staff):
        p = inst.staff[e]
        xe, we = x[ei], work[ei]
        for d in range(horizon - 1):
            for a, b in pairs:
                m.add_bool_or([xe[d][a].Not(), xe[d + 1][b].Not()])
        for s, limit in p.max_shifts.items():
            column = [xe[d][si[s]] for d in range(horizon)]
            if limit == 0:
                for v in column:
                    m.add(v == 0)
            elif limit < horizon:
                m.add(sum(column) <= limit)
        minutes = sum(inst.shifts[s].minutes * xe[d][si[s]] for d in range(horizon) for s in shifts)
        m.add(minutes <= p.max_minutes)
        m.add(minutes >= p.min_minutes)
        for first in range(horizon - p.max_consecutive):
            m.add(sum(we[first : first + p.max_consecutive + 1]) <= p.max_consecutive)
        for limit, worked in ((p.min_consecutive, True), (p.min_days_off, False)):
            for length in range(1, limit):
                # forbid: a run of exactly `length` (worked or off) on [first, first+length-1], bounded inside
                for first in range(1, horizon - length):
                    last = first + length - 1
                    run = [we[d].Not() if worked else we[d] for d in range(first, last + 1)]
                    edges = [we[first - 1], we[last + 1]] if worked else [we[first - 1].Not(), we[last + 1].Not()]
                    m.add_bool_or(run + edges)
        marks = []
        for sat, sun in weekends:
            days = [we[d] for d in (sat, sun) if d < horizon]
            k = m.new_bool_var(f"wk[{e},{sat}]")
            for v in days:
                m.add_implication(v, k)
            marks.append(k)
        if p.max_weekends < len(marks):
            m.add(sum(marks) <= p.max_weekends)
        for d in inst.days_off.get(e, []):
            m.add(we[d] == 0)

    ei_of = {e: i for i, e in enumerate(staff)}
    for r in inst.on_requests:
        pm.objective.append((1 - x[ei_of[r.staff]][r.day][si[r.shift]], r.weight))
    for r in inst.off_requests:
        pm.objective.append((x[ei_of[r.staff]][r.day][si[r.shift]], r.weight))
    for c in inst.cover:
        count = sum(x[ei][c.day][si[c.shift]] for ei in range(len(staff)))
        under = m.new_int_var(0, c.requirement, f"under[{c.day},{c.shift}]")
        over = m.new_int_var(0, max(0, len(staff) - c.requirement), f"over[{c.day},{c.shift}]")
        m.add(count + under - over == c.requirement)
        pm.objective += [(under, c.under_weight), (over, c.over_weight)]
    m.minimize(sum(w * e for e, w in pm.objective))
    return pm


class _Watch(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.first: float | None = None
        self.best_time: float | None = None
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        value = self.objective_value
        if self.first is None:
            self.first = self.wall_time
        if self.best is None or value < self.best:
            self.best, self.best_time = value, self.wall_time


def solve(inst: Instance, time_limit: float, workers: int, seed: int = 0, log: bool = False) -> dict[str, Any]:
    """Build and solve; the numbers the benchmark table needs, and the roster as (day, staff, shift)."""
    started = time.perf_counter()
    pm = build(inst)
    build_seconds = time.perf_counter() - started
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    watch = _Watch()
    code = solver.solve(pm.model, watch)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assignments = []
    if found:
        for ei, e in enumerate(pm.staff):
            for d in range(inst.horizon):
                for k, s in enumerate(pm.shifts):
                    if solver.boolean_value(pm.x[ei][d][k]):
                        assignments.append((d, e, s))
    return {
        "status": solver.status_name(code).lower(),
        "objective": round(solver.objective_value) if found else None,
        "bound": solver.best_objective_bound,
        "build_seconds": build_seconds,
        "solve_seconds": solver.wall_time,
        "first_seconds": watch.first,
        "best_seconds": watch.best_time,
        "variables": len(pm.model.proto.variables),
        "constraints": len(pm.model.proto.constraints),
        "assignments": assignments,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log", action="store_true")
    args = parser.parse_args(argv)
    result = solve(parse_instance(args.instance), args.time_limit, args.workers, args.seed, args.log)
    result.pop("assignments")
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
