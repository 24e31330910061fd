"""Time column generation's rounds on a Curtois-Qu instance: the master LP, the pricing, the bound.

Why: the column path (``dutyplan.model.columns``) has a fixed share of the time limit, so how
many rounds fit in it decides how close its LP (and the dive that starts from it) gets. This
prints each round's seconds, split into the master LP and the pricing of every person, with
the LP value and the proven bound, so a change to either side is measured, not guessed.

Usage::

    python bench/column_rounds.py --data DIR --instance 12 --seconds 40 [--workers 2] [--seed 0]

The instance is imported into a temporary department (as ``bench/curtois.py`` does) and the
rounds start from the greedy construction, without the rest of the solve. It also runs on stop
13's code (the LP built afresh each round), for a before-and-after in one command each.
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
    parser.add_argument("--seconds", type=float, default=40.0, help="time for the rounds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from dutyplan.importers.curtois import import_instance
    from dutyplan.model import columns
    from dutyplan.model.construct import construct
    from dutyplan.planner import Workspace

    lp_seconds: list[float] = []

    def timing(solve_lp: Any) -> Any:
        def timed(*a: Any) -> Any:
            began = time.perf_counter()
            try:
                return solve_lp(*a)
            finally:
                lp_seconds.append(time.perf_counter() - began)
        return timed

    if hasattr(columns, "_MasterLP"):
        setattr(columns._MasterLP, "solve", timing(columns._MasterLP.solve))  # noqa: B010
    else:  # before the LP was kept between rounds (stop 13's code): built afresh each round
        setattr(columns, "_master_lp", timing(getattr(columns, "_master_lp")))  # noqa: B009, B010
    one_round = columns._Master.round

    def reported(self: Any, fixed: dict[int, int]) -> object:
        began = time.perf_counter()
        value, weights, added, bound = one_round(self, fixed)
        took = time.perf_counter() - began
        rows = sum(len(r) for r in self.result.columns)
        print(f"round {self.result.rounds + 1:3d}  {took:5.2f} s (LP {lp_seconds[-1]:4.2f} s, {rows:5d} rows)"
              f"  LP {value:10.1f}  bound {bound if bound is not None else float('nan'):10.1f}  +{added} rows",
              flush=True)
        return value, weights, added, bound

    setattr(columns._Master, "round", reported)  # noqa: B010
    with tempfile.TemporaryDirectory(prefix="curtois-") as tmp:
        _, inst = import_instance(args.data / f"Instance{args.instance}.txt", Path(tmp) / "dept", START)
        ws = Workspace.open(Path(tmp) / "dept")
        problem = ws.problem(ws.horizon(None, START, inst.horizon))
        start = construct(problem)
        began = time.perf_counter()
        found = columns.generate(problem, start, ws.rules, began + args.seconds, args.workers, args.seed)
        if found is None:
            raise SystemExit("column generation did not run (a rule ties people together, or no row in time)")
        took = time.perf_counter() - began
        print(f"Instance{args.instance}: {found.rounds} rounds in {took:.1f} s, LP {found.lp:.1f}, bound "
              f"{found.proven}, converged {found.converged}; master LP {sum(lp_seconds):.1f} s in all")


if __name__ == "__main__":
    main()
