"""Run the groups phase alone from one saved roster of a Curtois-Qu instance, to compare group choices.

Why: whole solves differ run to run by several per cent on the instances the groups serve (12, 13,
15, 18, 19), so a change to how groups are chosen (``dutyplan.model.groups``) is easier to judge
from one fixed roster and a few seeds of the phase alone. Prints the penalty before and after and
the cover holes left.

Usage::

    dutyplan import curtois DIR/Instance13.txt -o /tmp/cq13
    dutyplan plan /tmp/cq13 --start 2024-01-01 --days 28 --time-limit 60
    python bench/groups_from.py --department /tmp/cq13 --days 28 \\
        --roster /tmp/cq13/2024-01-01+28d/roster.r1.toml --seconds 40 [--seed 0] [--hole-share 0.7]

``--hole-share 0`` is the staff in turns only (the choice before stop 15).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tomllib
from pathlib import Path

START = dt.date(2024, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--department", type=Path, required=True, help="an imported Curtois-Qu department")
    parser.add_argument("--days", type=int, required=True, help="the instance's horizon")
    parser.add_argument("--roster", type=Path, required=True, help="a roster file of that department")
    parser.add_argument("--seconds", type=float, default=40.0, help="time for the groups")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hole-share", type=float, default=None, help="share of groups around a hole")
    args = parser.parse_args()

    from dutyplan.check import check_roster
    from dutyplan.model import groups
    from dutyplan.planner import Workspace
    from dutyplan.roster import Roster

    if args.hole_share is not None:
        groups.HOLE_SHARE = args.hole_share
    ws = Workspace.open(args.department)
    problem = ws.problem(ws.horizon(None, START, args.days))
    rules = ws.rules(problem)
    roster = Roster.from_toml_dict(tomllib.loads(args.roster.read_text(encoding="utf-8")), args.roster)
    before = check_roster(roster, problem, rules)
    began = time.perf_counter()
    better = groups.improve_groups(problem, roster, ws.rules, began + args.seconds, args.seed, workers=args.workers)
    after = check_roster(better, problem, rules)
    holes = groups._Holes(problem).holes(better)
    print(f"hole share {groups.HOLE_SHARE}, seed {args.seed}: penalty {before.objective} -> {after.objective} "
          f"in {time.perf_counter() - began:.1f} s, {len(holes)} shift-days below their preferred cover, "
          f"{len(after.hard)} hard violations")


if __name__ == "__main__":
    main()
