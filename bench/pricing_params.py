"""Time column generation's one-person models under CP-SAT parameter sets, on one round's real prices.

Why: a round of the column path is one CP-SAT model per person (``dutyplan.model.columns._Pricer``),
each solved to a proven optimum, so what a parameter does to those models decides how many rounds
fit in the path's share of a minute. Timing whole rounds mixes that with the master LP and with how
the rounds happen to go; this fixes the prices instead: it runs the rounds for ``--seconds``, keeps
the last round's cover prices and hints, and solves every person's model at those prices under each
parameter set, one after the other, on one worker as the rounds do.

Usage::

    python bench/pricing_params.py --data DIR --instance 15 --seconds 25 base cut_level=0 \\
        "cut_level=0,add_cg_cuts=False"

A parameter set is ``base`` (one worker, full linearization, CP-SAT's defaults otherwise) or
comma-separated ``name=value`` pairs of CP-SAT's ``SatParameters`` set on top of them (an upper-case
value names an enum constant, ``search_branching=LP_SEARCH``). Each line prints the total seconds,
how many models were proven optimal, and the sum of the objectives, which must agree between sets
that prove every model.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

START = dt.date(2024, 1, 1)


def _apply(params: Any, spec: str) -> None:
    """Set ``spec``'s ``name=value`` pairs on ``params`` (CP-SAT's SatParameters)."""
    from ortools.sat.python import cp_model_helper

    for pair in spec.split(","):
        if not pair or pair == "base":
            continue
        name, value = pair.split("=", 1)
        parsed = getattr(cp_model_helper.SatParameters, value) if value.isupper() else ast.literal_eval(value)
        setattr(params, name, parsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with Instance1.txt .. Instance24.txt")
    parser.add_argument("--instance", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=25.0, help="rounds before the prices are kept")
    parser.add_argument("--workers", type=int, default=2, help="workers for the rounds (the timing uses one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("sets", nargs="+", help="parameter sets: base, or name=value[,name=value...]")
    args = parser.parse_args()

    from ortools.sat.python import cp_model

    from dutyplan.importers.curtois import import_instance
    from dutyplan.model import columns
    from dutyplan.model.construct import construct
    from dutyplan.planner import Workspace

    kept: list[tuple[Any, dict[tuple[int, int], int], Any]] = []
    price = columns._Pricer.price

    def keeping(self: Any, prices: dict[tuple[int, int], int], hint: Any, seconds: float, seed: int) -> Any:
        kept.append((self, dict(prices), hint))
        return price(self, prices, hint, seconds, seed)

    setattr(columns._Pricer, "price", keeping)  # noqa: B010
    with tempfile.TemporaryDirectory(prefix="curtois-") as tmp:
        _, inst = import_instance(args.data / f"Instance{args.instance}.txt", Path(tmp) / "dept", START)
        ws = Workspace.open(Path(tmp) / "dept")
        problem = ws.problem(ws.horizon(None, START, inst.horizon))
        found = columns.generate(problem, construct(problem), ws.rules, time.perf_counter() + args.seconds,
                                 args.workers, args.seed)
        if found is None:
            raise SystemExit("column generation did not run (a rule ties people together, or no row in time)")
        last = kept[-len(problem.staff_ids):]
        print(f"Instance{args.instance}: prices of round {found.rounds} (LP {found.lp:.1f}), "
              f"{len(last)} one-person models")
        for spec in args.sets:
            seconds, optimal, total = 0.0, 0, 0.0
            for pricer, prices, hint in last:
                pricer.set_prices(prices)
                pricer.set_hint(hint)
                solver = cp_model.CpSolver()
                solver.parameters.num_workers = 1
                solver.parameters.linearization_level = 2
                solver.parameters.max_time_in_seconds = columns.PRICE_SECONDS
                _apply(solver.parameters, spec)
                began = time.perf_counter()
                code = solver.solve(pricer.ctx.model)
                seconds += time.perf_counter() - began
                optimal += code == cp_model.OPTIMAL
                total += solver.objective_value
            print(f"{spec:50s} {seconds:6.2f} s  optimal {optimal}/{len(last)}  objectives {total:.0f}", flush=True)


if __name__ == "__main__":
    main()
