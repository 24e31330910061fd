"""Time the groups' sub-problems under CP-SAT parameter sets, on the groups a real run chose.

Why: on the departments the groups serve (Curtois-Qu 13, 18, 19, 20-24) most of a solve is spent in
CP-SAT on one small group of people against the rest (``dutyplan.model.rows.solve_alone``, one
worker, full linearization), so what a parameter does to those sub-problems decides how many groups
fit in the time. Timing whole solves mixes that with which groups happened to be drawn; this fixes
the groups instead: it runs the groups phase from the greedy start for ``--seconds`` and keeps every
group it submitted with the roster it was submitted against, then solves the last ``--count`` of
them (the phase's later, harder part) under each parameter set, one after the other, with the time
slice the run gave each.

Usage::

    python bench/group_params.py --data DIR --instance 19 --seconds 20 --count 60 base cut_level=0 \\
        "symmetry_level=0,cp_model_probing_level=0"

A parameter set is ``base`` (what ``solve_alone`` sets: one worker, full linearization, stop at the
slice) or comma-separated ``name=value`` pairs of CP-SAT's ``SatParameters`` set on top of it (an
upper-case value names an enum constant). Each line prints the total seconds, how many sub-problems
were proven optimal, and the sum of their objectives (lower is better where not all are proven).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

START = dt.date(2024, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with Instance1.txt .. Instance24.txt")
    parser.add_argument("--instance", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=20.0, help="groups phase before the groups are kept")
    parser.add_argument("--count", type=int, default=60, help="how many of the last groups to time")
    parser.add_argument("--workers", type=int, default=2, help="workers for the groups phase (the timing uses one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("sets", nargs="+", help="parameter sets: base, or name=value[,name=value...]")
    args = parser.parse_args()

    from ortools.sat.python import cp_model
    from pricing_params import _apply  # type: ignore[import-not-found]  # bench/ is on sys.path when run

    from dutyplan.check import check_roster
    from dutyplan.importers.curtois import import_instance
    from dutyplan.model import groups, rows
    from dutyplan.model.construct import construct
    from dutyplan.model.solve import add_hint, build_model
    from dutyplan.planner import Workspace

    kept: list[tuple[frozenset[str], Any, float]] = []
    solve_alone = rows.solve_alone

    def keeping(problem: Any, staff: Any, roster: Any, rules_for: Any, time_limit: float, *rest: Any) -> Any:
        kept.append((frozenset(staff), roster, time_limit))
        return solve_alone(problem, staff, roster, rules_for, time_limit, *rest)

    setattr(groups, "solve_alone", keeping)  # noqa: B010
    with tempfile.TemporaryDirectory(prefix="curtois-") as tmp:
        _, inst = import_instance(args.data / f"Instance{args.instance}.txt", Path(tmp) / "dept", START)
        ws = Workspace.open(Path(tmp) / "dept")
        problem = ws.problem(ws.horizon(None, START, inst.horizon))
        rules = ws.rules(problem)
        start = construct(problem)
        start = rows.replan_rows(problem, start, check_roster(start, problem, rules), ws.rules,
                                 time.perf_counter() + args.seconds / 2, args.workers, args.seed, dated=True)
        reached = groups.improve_groups(problem, start, ws.rules, time.perf_counter() + args.seconds, args.seed,
                                        workers=args.workers)
        last = kept[-args.count:]
        print(f"Instance{args.instance}: {len(kept)} groups in {args.seconds:g} s (penalty "
              f"{check_roster(reached, problem, rules).objective}); timing the last {len(last)}, "
              f"{sum(len(g) for g, _, _ in last) / max(1, len(last)):.1f} people on average")
        built = []
        for group, roster, slice_ in last:
            sub = rows._sub_problem(problem, group, roster, ws.rules)
            if sub is None:
                continue
            single, single_rules, current = sub
            built.append((single, single_rules, current, slice_))
        for spec in args.sets:
            seconds, optimal, total = 0.0, 0, 0.0
            for single, single_rules, current, slice_ in built:
                ctx = build_model(single, single_rules)
                add_hint(ctx, current, single_rules)
                solver = cp_model.CpSolver()
                solver.parameters.num_workers = 1
                solver.parameters.linearization_level = 2
                solver.parameters.max_time_in_seconds = slice_
                solver.parameters.random_seed = args.seed
                _apply(solver.parameters, spec)
                began = time.perf_counter()
                code = solver.solve(ctx.model)
                seconds += time.perf_counter() - began
                optimal += code == cp_model.OPTIMAL
                total += solver.objective_value if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
            print(f"{spec:50s} {seconds:6.2f} s  optimal {optimal}/{len(built)}  objectives {total:.0f}", flush=True)


if __name__ == "__main__":
    main()
