"""Polish one dived roster of a Curtois-Qu instance several ways, to compare what mends a dive best.

Why: a whole 60 s solve dives differently each run (Curtois-Qu 16's dive ends anywhere from 3,225
to 3,538 from the same rows), so a change to what follows the dive is judged far better from one
dived roster, polished each way for the same time. This runs column generation until it
converges (or ``--columns`` seconds), dives (``--dive`` seconds, as in a 60 s solve), then from
that one roster: the groups alone (``dutyplan.model.groups``), new dives of half the people
alone (:func:`redive` below), and each followed by the other for half the time each.
The ways run one after the other on the same rows, so a later way also has the rows an earlier one
found.

Usage::

    python bench/polish_from.py --data DIR --instance 16 [--columns 40] [--dive 21] [--polish 20] [--seed 0]

The instance is imported into a temporary department, as ``bench/curtois.py`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

START = dt.date(2024, 1, 1)

REDIVE_PEOPLE = 0.5
"""Share of the people freed, at random, for each new dive from a roster."""

REDIVE_SECONDS = 4.0
"""Longest one new dive may take."""

REDIVE_FINISH = 4
"""People left for CP-SAT at the end of a new dive: with eight, the finish took the whole four seconds."""


def redive(problem: Any, found: Any, roster: Any, deadline: float, cost: Callable[[Any], float], seed: int) -> Any:
    """``roster`` improved by dives of half the people against the others' rows, until ``deadline``.

    Freeing half the people and diving again (``dutyplan.model.columns._dive`` from a partial fixing),
    the others fixed to their rows in ``roster``, re-prices the freed half against the rest: a
    neighbourhood guided by the LP and far larger than a group of two to four. A new roster costing no
    more (``cost``, the checker's penalty, ``model.solve._cost``) is kept, so equal ones let the search
    drift. Tried in the solve after the dive (stop 22) and not kept: bench/RESULTS.md.
    """
    from dutyplan.model.columns import _dive

    rng = random.Random(seed)
    people = range(len(found.staff))
    size = max(1, round(REDIVE_PEOPLE * len(found.staff)))
    best, best_cost = roster, cost(roster)
    rows: dict[int, int] = {}  # person -> index of their row in ``best`` among their columns
    while time.perf_counter() < deadline - 0.2:
        if not rows:
            for person in people:
                column = found.master.pricers[person].cost_of(best)
                if column is None:
                    continue  # a row that breaks its own rules is always free
                if column not in found.columns[person]:
                    found.columns[person].append(column)
                rows[person] = found.columns[person].index(column)
        freed = set(rng.sample(list(people), size))
        fixed = {person: row for person, row in rows.items() if person not in freed}
        tried = _dive(problem, found, min(deadline, time.perf_counter() + REDIVE_SECONDS), fixed, REDIVE_FINISH)
        if tried is None:
            break
        if (tried_cost := cost(tried)) <= best_cost:
            best, best_cost, rows = tried, tried_cost, {}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with Instance1.txt .. Instance24.txt")
    parser.add_argument("--instance", type=int, required=True)
    parser.add_argument("--columns", type=float, default=40.0, help="longest time for column generation")
    parser.add_argument("--dive", type=float, default=21.0, help="time for the dive (35%% of a minute)")
    parser.add_argument("--polish", type=float, default=20.0, help="time for each way of polishing")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from dutyplan.importers.curtois import import_instance
    from dutyplan.model.columns import dive, generate
    from dutyplan.model.construct import construct
    from dutyplan.model.groups import improve_groups
    from dutyplan.model.solve import _cost
    from dutyplan.planner import Workspace
    from dutyplan.roster import Roster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"bench-{args.instance}"
        _, instance = import_instance(args.data / f"Instance{args.instance}.txt", folder, START)
        ws = Workspace.open(folder)
        problem = ws.problem(ws.horizon(None, START, instance.horizon))
        rules = ws.rules(problem)

        def cost(roster: Roster) -> float:
            return _cost(roster, problem, rules)

        def groups(roster: Roster, seconds: float) -> Roster:
            return improve_groups(problem, roster, ws.rules, time.perf_counter() + seconds, args.seed,
                                  workers=args.workers)

        def dives(roster: Roster, seconds: float) -> Roster:
            return redive(problem, found, roster, time.perf_counter() + seconds, cost, args.seed)

        began = time.perf_counter()
        found = generate(problem, construct(problem), ws.rules, began + args.columns, args.workers, args.seed)
        if found is None:
            raise SystemExit("column generation does not run on this instance")
        print(f"instance {args.instance}, seed {args.seed}: {found.rounds} rounds in "
              f"{time.perf_counter() - began:.1f} s, LP {found.lp:.1f}, bound {found.bound:.1f}, "
              f"converged {found.converged}")
        dived = dive(problem, found, time.perf_counter() + args.dive)
        if dived is None:
            raise SystemExit("the dive failed")
        half = args.polish / 2
        ways = {
            "groups": lambda: groups(dived, args.polish),
            "redive": lambda: dives(dived, args.polish),
            "redive, then groups": lambda: groups(dives(dived, half), half),
            "groups, then redive": lambda: dives(groups(dived, half), half),
        }
        print(f"dive {cost(dived):.0f}; polished {args.polish:.0f} s each way:")
        for name, way in ways.items():
            print(f"  {name}: {cost(way()):.0f}", flush=True)


if __name__ == "__main__":
    main()
