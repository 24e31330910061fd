"""The greedy start of Curtois-Qu instances: its penalty, and where its cover holes and weekends go.

Why: on the year-long instances (20-24) the search after the start is slow enough that the start
decides much of the final roster, and a start's faults are cheaper to see here than in a whole solve.
For each instance this builds the start ``dutyplan.model.construct`` gives (deterministic, a few
seconds) and prints its penalty and hard violations, the shifts below and above the cover (R-COVER),
the holes per quarter of the horizon, and how the weekends are spent (R-MAX-WEEKENDS): weekends
worked on both days, on one day only, and surplus shifts on weekend days, beside the weekend cover
asked and the weekends the contracts allow.

Usage::

    python bench/start.py --data DIR --instances 13,20-24
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path

START = dt.date(2024, 1, 1)


def describe(data: Path, number: int) -> str:
    from dutyplan.calendar import weekends
    from dutyplan.check import check_roster
    from dutyplan.importers.curtois import import_instance
    from dutyplan.model.construct import construct
    from dutyplan.planner import Workspace
    from dutyplan.rules.weekends import weekend_limits

    with tempfile.TemporaryDirectory() as tmp:
        _, instance = import_instance(data / f"Instance{number}.txt", Path(tmp) / "dept", START)
        ws = Workspace.open(Path(tmp) / "dept")
        problem = ws.problem(ws.horizon(None, START, instance.horizon))
        rules = ws.rules(problem)
        began = time.perf_counter()
        roster = construct(problem)
        seconds = time.perf_counter() - began
        report = check_roster(roster, problem, rules)
    days = problem.horizon.days
    day_index = {d: i for i, d in enumerate(problem.dates)}
    heads = Counter((a.shift, day_index[a.date]) for a in roster.assignments)
    under, over = Counter[int](), 0
    spans = list(weekends(problem.dates).values())
    weekend_days = {i for span in spans for i in span}
    weekend_surplus = weekend_ask = 0
    for shift in problem.shift_ids:
        for di in range(days):
            want, have = problem.cover_need(shift, di).preferred, heads[(shift, di)]
            under[4 * di // days] += max(0, want - have)
            over += max(0, have - want)
            if di in weekend_days:
                weekend_surplus += max(0, have - want)
                weekend_ask += want
    worked = {(a.staff, day_index[a.date]) for a in roster.assignments}
    whole = split = 0
    for span in spans:
        for sid in problem.staff_ids:
            on = sum((sid, di) in worked for di in span)
            whole += on == len(span) > 1
            split += on == 1  # one day of a two-day weekend, or a weekend the horizon cuts to one day
    allowed = sum(weekend_limits(problem).values())
    return (f"| {number} | {days} | {report.objective} | {len(report.hard)} | {sum(under.values())} | "
            f"{' / '.join(str(under[q]) for q in range(4))} | {over} | {whole} | {split} | {weekend_surplus} | "
            f"{weekend_ask} | {allowed} | {seconds:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with Instance1.txt .. Instance24.txt")
    parser.add_argument("--instances", default="13,20-24")
    args = parser.parse_args()
    from curtois import parse_instances  # type: ignore[import-not-found]  # bench/ is on sys.path when run

    print("| inst | days | penalty | hard | holes | holes by quarter | surplus | weekends whole | weekends on "
          "one day | weekend surplus | weekend shifts asked | weekends allowed | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for number in parse_instances(args.instances):
        print(describe(args.data, number), flush=True)


if __name__ == "__main__":
    main()
