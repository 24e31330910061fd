"""Trace one solve of a Curtois-Qu instance stage by stage: when each stage ran and what it handed on.

Why: a whole solve's objective mixes its stages (the rows and groups, the repair into a whole
solution, column generation and the dive, the final CP-SAT solve), and which of them a change helped
is what decides whether to keep it. This wraps the stages of ``dutyplan.model.solve`` without
changing them, runs one solve as ``bench/curtois.py`` does, and prints per stage its start and end
(seconds from the call of ``solve``, the model's build included) and its roster's penalty, then the
best penalty at thirty evenly spaced moments (seconds from the solve's own start, after the build).
Penalties of the stages' rosters are computed after the solve, so tracing takes none of its time.

Usage::

    python bench/stages.py --data DIR --instance 24 [--time-limit 300] [--seed 0] [--set NAME=VALUE ...]

``--set dutyplan.model.solve.ROWS_SHARE=0.35`` changes a module constant for this run (to try a value
without editing the source).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START = dt.date(2024, 1, 1)

STAGES = ("replan_rows", "improve_groups", "generate", "dive", "recombine", "improve_weekend_windows")
"""Functions of ``dutyplan.model.solve`` whose calls are traced (the repair is ``Search.repair``, the
weekends' solve ``Search.improve``, whose calls inside the weekend windows are not listed one by one);
the final CP-SAT solve runs from the last stage's end to the time limit."""


def set_constant(assignment: str) -> None:
    """Set a module constant from ``MODULE.NAME=VALUE`` (converted to the constant's own type) and say so."""
    name, value = assignment.split("=", 1)
    module_name, attribute = name.rsplit(".", 1)
    module = importlib.import_module(module_name)
    kind = type(getattr(module, attribute))
    setattr(module, attribute, value.lower() in ("1", "true", "yes") if kind is bool else kind(value))
    print(f"# {name} = {getattr(module, attribute)}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with Instance1.txt .. Instance24.txt")
    parser.add_argument("--instance", type=int, required=True)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    for assignment in args.set:
        set_constant(assignment)

    from dutyplan.importers.curtois import import_instance
    from dutyplan.model import solve as S
    from dutyplan.model.result import Progress, SolveOptions
    from dutyplan.planner import Workspace

    calls: list[tuple[str, float, float, Any]] = []
    origin = [0.0]

    def traced(name: str, function: Any) -> Any:
        def call(*a: Any, **k: Any) -> Any:
            began = time.perf_counter() - origin[0]
            result = function(*a, **k)
            calls.append((name, began, time.perf_counter() - origin[0], result))
            return result
        return call

    for name in STAGES:
        setattr(S, name, traced(name, getattr(S, name)))
    S.Search.repair = traced("repair", S.Search.repair)  # type: ignore[method-assign]
    S.Search.improve = traced("improve", S.Search.improve)  # type: ignore[method-assign]

    with tempfile.TemporaryDirectory() as tmp:
        _, instance = import_instance(args.data / f"Instance{args.instance}.txt", Path(tmp) / "dept", START)
        ws = Workspace.open(Path(tmp) / "dept")
        problem = ws.problem(ws.horizon(None, START, instance.horizon))
        rules = ws.rules(problem)
        timeline: list[tuple[float, float]] = []

        def heard(p: Progress) -> None:
            if p.objective is not None:
                timeline.append((p.seconds, p.objective))

        origin[0] = time.perf_counter()
        result = S.solve(problem, rules, SolveOptions(time_limit=args.time_limit, workers=args.workers,
                                                     seed=args.seed), heard, rules_for=ws.rules)
        print(f"Instance{args.instance} seed {args.seed}: {result.objective} (bound {result.bound}, "
              f"{result.status}) after {result.solve_seconds:.1f} s; the model's build took "
              f"{result.build_seconds:.1f} s of the stages' times")
        windows = [(began, ended) for name, began, ended, _ in calls if name == "improve_weekend_windows"]
        for name, began, ended, value in calls:
            if name == "improve" and any(low <= began and ended <= high for low, high in windows):
                continue
            if value is None:
                what = "nothing"
            elif name == "generate":
                what = f"LP {value.lp:.1f}, bound {value.bound:.1f}, converged {value.converged}"
            elif name in ("repair", "improve", "improve_weekend_windows"):
                what = f"whole solution, penalty {value.objective}"
            else:
                what = f"penalty {S._cost(value, problem, rules):.0f}"
            print(f"  {name:15s} {began:7.1f} - {ended:7.1f} s  {what}")
        if timeline:
            # The best penalty at thirty evenly spaced moments (a roster's last report before each).
            moments = [args.time_limit * (i + 1) / 30 for i in range(30)]
            points = []
            for moment in moments:
                before = [objective for seconds, objective in timeline if seconds <= moment]
                if before:
                    points.append((moment, min(before)))
            digits = 0 if args.time_limit >= 60 else 1
            print("  best penalty by then: " + ", ".join(f"{s:.{digits}f} s {o:.0f}" for s, o in points))


if __name__ == "__main__":
    main()
