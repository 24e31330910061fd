"""Time ``plan`` on generated departments: 15, 60, 200 (and 1,000) people x 31 days.

Each size runs in its own process so that peak memory (ru_maxrss) is its own.
Records model-build seconds, time to the first roster, to a 5% and a 1% gap,
the final objective, bound and gap, solve seconds and peak memory, and writes
them to the ``## Department planner`` section of bench/RESULTS.md.

    python bench/plan_bench.py                        # 15, 60, 200 staff, 60 s each
    python bench/plan_bench.py --sizes 200 --meals    # with meal breaks (issue 3)
    python bench/plan_bench.py --sizes 1000 --shifts 4 --time-limit 120
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTION = "## Department planner"


def run_one(staff: int, shifts: int, meals: bool, time_limit: float, workers: int, seed: int) -> dict[str, Any]:
    """Plan one generated department in this process and return the measurements."""
    sys.path.insert(0, str(HERE))
    from generate import write  # type: ignore[import-not-found]

    from dutyplan.model.solve import Progress, SolveOptions, gap, solve
    from dutyplan.planner import Workspace

    folder = write(Path(tempfile.mkdtemp()) / f"dept{staff}", staff=staff, shifts=shifts, meals=meals)
    started = time.perf_counter()
    ws = Workspace.open(folder)
    problem = ws.problem(ws.horizon("2027-01", None, None))
    rules = ws.rules(problem)
    load_seconds = time.perf_counter() - started
    marks: dict[str, float] = {}

    def progress(p: Progress) -> None:
        if p.objective is None:
            return
        marks.setdefault("first", p.seconds)
        g = gap(p.objective, p.bound)
        if g <= 0.05:
            marks.setdefault("gap5", p.seconds)
        if g <= 0.01:
            marks.setdefault("gap1", p.seconds)

    result = solve(problem, rules, SolveOptions(time_limit=time_limit, workers=workers, seed=seed), progress)
    report = ws.check(result.roster, problem, rules) if result.roster else None
    return {
        "staff": staff, "shifts": shifts, "meals": meals, "status": result.status,
        "objective": result.objective, "bound": result.bound, "gap": result.gap,
        "load_s": load_seconds, "build_s": result.build_seconds, "solve_s": result.solve_seconds,
        "first_s": result.first_solution_seconds, "gap5_s": marks.get("gap5"), "gap1_s": marks.get("gap1"),
        "hard_violations": len(report.hard) if report else None, "model": result.model_stats,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    head = ("| staff x shifts | meals | status | objective | bound | gap | first roster s | 5% gap s | 1% gap s "
            "| build s | build share | solve s | peak MB | hard violations | model |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        wall = r["load_s"] + r["build_s"] + r["solve_s"]
        lines.append(
            f"| {r['staff']} x {r['shifts']} | {'yes' if r['meals'] else 'no'} | {r['status']} | "
            f"{fmt(r['objective'])} | {fmt(r['bound'], 0)} | {fmt(r['gap'] * 100 if r['gap'] is not None else None)}% "
            f"| {fmt(r['first_s'], 2)} | {fmt(r['gap5_s'])} | {fmt(r['gap1_s'])} | {fmt(r['build_s'], 2)} "
            f"| {100 * (r['load_s'] + r['build_s']) / wall:.1f}% | {fmt(r['solve_s'])} | {fmt(r['maxrss_mb'], 0)} "
            f"| {fmt(r['hard_violations'])} | {r['model']} |"
        )
    return "\n".join(lines)


def write_section(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = old.find(SECTION)
    if start == -1:
        new = old.rstrip() + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + (old[end:] if end != -1 else "")
    RESULTS.write_text(new.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="15,60,200")
    parser.add_argument("--shifts", type=int, default=3)
    parser.add_argument("--meals", action="store_true")
    parser.add_argument("--both", action="store_true", help="run each size without and with meals")
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.one:
        print(json.dumps(run_one(sizes[0], args.shifts, args.meals, args.time_limit, args.workers, args.seed)))
        return
    rows = []
    for staff in sizes:
        for meals in ((False, True) if args.both else (args.meals,)):
            cmd = [sys.executable, __file__, "--one", "--sizes", str(staff), "--shifts", str(args.shifts),
                   "--time-limit", str(args.time_limit), "--workers", str(args.workers), "--seed", str(args.seed)]
            if meals:
                cmd.append("--meals")
            done = subprocess.run(cmd, capture_output=True, text=True, check=True, env={**os.environ})
            row = json.loads(done.stdout.strip().splitlines()[-1])
            print(json.dumps(row), flush=True)
            rows.append(row)
    command = "python bench/plan_bench.py " + " ".join(sys.argv[1:])
    text = (f"{SECTION}\n\nGenerated departments (bench/generate.py), January 2027, {args.time_limit:g} s limit, "
            f"workers {args.workers or 'auto'}, seed {args.seed}; {platform.machine()}, {os.cpu_count()} cores; "
            f"{dt.date.today()}.\n`{command}`{(' — ' + args.note) if args.note else ''}\n\n{table(rows)}\n")
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
