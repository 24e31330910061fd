"""Run Curtois–Qu benchmark instances through dutyplan and through a plain CP-SAT model; write a table.

Why: the issue's targets (best-known value on 1–12 within 60 s, within 2% on
13–19, a feasible roster on 20–24) are measured here, on this machine, beside a
hand-written model of the same instance (``bench/curtois_plain.py``) with the
same time limit and workers, so the table also shows what the rule framework
costs or gains.

Each instance is imported with ``dutyplan.importers.curtois`` into a temporary
department folder and planned through the planner API (``plan(..., write=False)``:
solve, check every rule, and assert that the solver's objective equals the
checker's). Every run (dutyplan, plain) is a subprocess of its own, so its peak
memory (``ru_maxrss``, reported by the child for itself) is its own. The plain
model's roster is re-checked with dutyplan's checker: both must agree on the
objective, or the two models do not mean the same thing.

Usage::

    python bench/curtois.py --data DIR --instances 1-6 --time-limit 20 --workers 2
    python bench/curtois.py --data DIR --instances 1,12,24 --stats-only   # model sizes, build time, no solve
    python bench/curtois.py --data DIR --instances 18 --set dutyplan.model.solve.ROWS_SHARE=0.8

``--set MODULE.NAME=VALUE`` (repeatable) changes a module constant in the dutyplan child, where the
solve runs (to try a value without editing the source; the parent's modules never solve anything).

``--data`` is the folder holding ``Instance1.txt`` .. ``Instance24.txt``
(default: ``tests/data/curtois``, which has only 1–3). Results go to the
"Curtois–Qu benchmark" section of ``bench/RESULTS.md`` (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Curtois–Qu benchmark"
START = dt.date(2024, 1, 1)

BEST_KNOWN = {
    1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439, 10: 4631, 11: 3443, 12: 4040,
    13: 1348, 14: 1278, 15: 3828, 16: 3225, 17: 5746, 18: 4459, 19: 3149, 20: 4769, 21: 21133, 22: 30241,
    23: 17285, 24: 40439,
}
"""Best-known objective (Instances 1–23 proven optimal; 24 has lower bound 40438).

From the benchmark's best-known table as transcribed in the project's
shared/benchmarks/curtois/BEST_KNOWN.md (schedulingbenchmarks.org/nrp).
"""


def parse_instances(text: str) -> list[int]:
    """``"1-6"``, ``"1,3,5-7"`` -> sorted instance numbers in 1..24."""
    numbers: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 24:
            raise SystemExit(f"--instances: expected numbers 1..24 like 1-6 or 1,12,24, found {part!r}")
        numbers.update(range(first, last + 1))
    return sorted(numbers)


# -- children: one run each, result as JSON on stdout ----------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_dutyplan(instance: Path, time_limit: float, workers: int, seed: int, stats_only: bool,
                   constants: list[str] | None = None) -> dict[str, Any]:
    from stages import set_constant  # type: ignore[import-not-found]  # bench/ is on sys.path when run

    from dutyplan.importers.curtois import import_instance
    from dutyplan.model.solve import Progress, SolveOptions, build_model
    from dutyplan.planner import Workspace, plan
    from dutyplan.plugins import make_plugin_manager

    for assignment in constants or []:
        set_constant(assignment)
    make_plugin_manager()  # import every built-in plugin now, so "load" times the department, not imports
    with tempfile.TemporaryDirectory(prefix="curtois-") as tmp:
        started = time.perf_counter()
        _, inst = import_instance(instance, Path(tmp) / "dept", START)
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ws = Workspace.open(Path(tmp) / "dept")
        horizon = ws.horizon(None, START, inst.horizon)
        load_seconds = time.perf_counter() - started
        out: dict[str, Any] = {"import_seconds": import_seconds, "load_seconds": load_seconds}
        if stats_only:
            started = time.perf_counter()
            problem = ws.problem(horizon)
            rules = ws.rules(problem)
            ctx = build_model(problem, rules)
            out["build_seconds"] = time.perf_counter() - started
            out["variables"] = len(ctx.model.proto.variables)
            out["constraints"] = len(ctx.model.proto.constraints)
            out["peak_mb"] = _peak_mb()
            return out
        best: list[float] = []
        best_time: list[float] = []

        def progress(p: Progress) -> None:
            if p.objective is not None and (not best or p.objective < best[-1]):
                best.append(p.objective)
                best_time.append(p.seconds)

        options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
        started = time.perf_counter()
        try:
            outcome = plan(ws, horizon, options, progress, write=False)
        except Exception as exc:  # no roster in time is a result, not a crash of the harness
            out.update(status=f"error: {type(exc).__name__}: {str(exc).splitlines()[0]}", peak_mb=_peak_mb())
            return out
        result = outcome.result
        stats = result.model_stats.split()
        out.update(
            status=result.status,
            objective=result.objective,
            bound=float(result.bound),
            build_seconds=result.build_seconds,
            solve_seconds=result.solve_seconds,
            first_seconds=result.first_solution_seconds,
            best_seconds=best_time[-1] if best_time else result.first_solution_seconds,
            check_seconds=time.perf_counter() - started - result.build_seconds - result.solve_seconds,
            variables=int(stats[0]),
            constraints=int(stats[2]),
            checker_objective=outcome.report.objective,
            peak_mb=_peak_mb(),
        )
        return out


def child_plain(instance: Path, time_limit: float, workers: int, seed: int, stats_only: bool) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import curtois_plain

    from dutyplan.importers.curtois import parse_instance

    inst = parse_instance(instance)
    if stats_only:
        started = time.perf_counter()
        pm = curtois_plain.build(inst)
        return {
            "build_seconds": time.perf_counter() - started,
            "variables": len(pm.model.proto.variables),
            "constraints": len(pm.model.proto.constraints),
            "peak_mb": _peak_mb(),
        }
    out = curtois_plain.solve(inst, time_limit, workers, seed)
    out["peak_mb"] = _peak_mb()
    return out


def run_child(kind: str, instance: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, str(Path(__file__).resolve()), "--child", kind, "--child-instance", str(instance),
        "--time-limit", str(args.time_limit), "--workers", str(args.workers), "--seed", str(args.seed),
    ]
    if args.stats_only:
        command.append("--stats-only")
    if kind == "dutyplan":
        command += [f"--set={assignment}" for assignment in args.set]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "DUTYPLAN_NO_ENTRYPOINTS": "1"})
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"status": f"crashed: {tail}", "wall_seconds": wall}
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall_seconds"] = wall
    return data


def verify_plain(instance: Path, plain: dict[str, Any]) -> int | None:
    """dutyplan's checker on the plain model's roster: its objective (hard violations raise)."""
    from dutyplan.importers.curtois import import_instance
    from dutyplan.planner import Workspace
    from dutyplan.roster import Assignment, Roster

    if not plain.get("assignments"):
        return None
    with tempfile.TemporaryDirectory(prefix="curtois-") as tmp:
        _, inst = import_instance(instance, Path(tmp) / "dept", START)
        ws = Workspace.open(Path(tmp) / "dept")
        problem = ws.problem(ws.horizon(None, START, inst.horizon))
        roster = Roster(ws.department.slug, START, inst.horizon, sorted(
            Assignment(START + dt.timedelta(days=d), e, s) for d, e, s in plain["assignments"]))
        report = ws.check(roster, problem)
        if report.hard:
            raise SystemExit(f"{instance.name}: the plain model's roster breaks dutyplan's hard rules: "
                             f"{report.hard[0]}")
        return report.objective


# -- the table ------------------------------------------------------------------------------------


def _num(value: Any, fmt: str = "{:.1f}") -> str:
    if value is None:
        return "–"
    return fmt.format(value)


def _gap(objective: Any, target: int) -> str:
    if objective is None:
        return "–"
    return f"{(objective - target) / target:.1%}"


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| inst | best known | dutyplan | gap to BK | bound | status | first feasible s | best at s "
        "| load s | build s | build % | peak MB | plain | plain gap | plain bound | plain first s "
        "| plain best at s | plain build s | plain peak MB |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        d, p, bk = r["dutyplan"], r["plain"], BEST_KNOWN[r["n"]]
        total = (d.get("load_seconds") or 0) + (d.get("build_seconds") or 0) + (d.get("solve_seconds") or 0)
        build_share = ((d.get("load_seconds") or 0) + (d.get("build_seconds") or 0)) / total if total else None
        lines.append(
            f"| {r['n']} | {bk} | {_num(d.get('objective'), '{}')} | {_gap(d.get('objective'), bk)} "
            f"| {_num(d.get('bound'), '{:.0f}')} | {d.get('status', '?')} | {_num(d.get('first_seconds'), '{:.2f}')} "
            f"| {_num(d.get('best_seconds'), '{:.1f}')} | {_num(d.get('load_seconds'), '{:.2f}')} "
            f"| {_num(d.get('build_seconds'), '{:.2f}')} | {_num(build_share, '{:.1%}')} "
            f"| {_num(d.get('peak_mb'), '{:.0f}')} | {_num(p.get('objective'), '{}')} "
            f"| {_gap(p.get('objective'), bk)} | {_num(p.get('bound'), '{:.0f}')} "
            f"| {_num(p.get('first_seconds'), '{:.2f}')} | {_num(p.get('best_seconds'), '{:.1f}')} "
            f"| {_num(p.get('build_seconds'), '{:.2f}')} | {_num(p.get('peak_mb'), '{:.0f}')} |"
        )
    return "\n".join(lines)


def stats_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| inst | dutyplan variables | dutyplan constraints | dutyplan load s | dutyplan build s | dutyplan peak MB "
        "| plain variables | plain constraints | plain build s | plain peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        d, p = r["dutyplan"], r["plain"]
        lines.append(
            f"| {r['n']} | {d.get('variables', '–')} | {d.get('constraints', '–')} "
            f"| {_num(d.get('load_seconds'), '{:.2f}')} | {_num(d.get('build_seconds'), '{:.2f}')} "
            f"| {_num(d.get('peak_mb'), '{:.0f}')} | {p.get('variables', '–')} | {p.get('constraints', '–')} "
            f"| {_num(p.get('build_seconds'), '{:.2f}')} | {_num(p.get('peak_mb'), '{:.0f}')} |"
        )
    return "\n".join(lines)


def write_section(block: str, path: Path = RESULTS) -> None:
    """Put ``block`` under the Curtois–Qu heading of RESULTS.md, keeping every other section as it is."""
    from dutyplan.fileio import write_text_atomic

    text = path.read_text(encoding="utf-8") if path.exists() else "# dutyplan benchmark results\n"
    lines = text.split("\n")
    try:
        start = lines.index(SECTION)
    except ValueError:
        text = text.rstrip("\n") + "\n\n" + SECTION + "\n\n" + block.rstrip("\n") + "\n"
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        rest = "\n".join(lines[end:])
        text = "\n".join(lines[: start + 1]) + "\n\n" + block.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
    write_text_atomic(path, text)


def run_block(rows: list[dict[str, Any]], args: argparse.Namespace, command: str) -> str:
    """The markdown kept for one run: how it was made, the table, and a note per instance."""
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    heading = "Model size and build time (no solve)" if args.stats_only else (
        f"Instances {args.instances}, {args.time_limit:g} s per instance, {args.workers} workers")
    out = [f"### {heading}", "", f"Run {when} on {os.cpu_count()} cores:", "", f"    {command}", ""]
    if args.note:
        out += [args.note, ""]
    out.append(stats_table(rows) if args.stats_only else table(rows))
    if not args.stats_only:
        out += ["", "Columns: *dutyplan* is the objective of `plan(..., write=False)` (solve + full check; "
                "the checker's recomputation always equalled it); *bound* is the proven lower bound plan reports "
                "(CP-SAT's, or column generation's when larger); "
                "*first feasible*/*best at* are seconds from the start of the solve; *load* reads and validates "
                "the department file, *build* builds the CP-SAT model from the rules; *build %* is "
                "(load + build) / (load + build + solve); *peak MB* is the child process's max RSS. The plain "
                "model's rosters were re-checked with dutyplan's checker and scored the same."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Curtois–Qu benchmark: dutyplan vs a plain CP-SAT model.")
    parser.add_argument("--instances", default="1-3")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "curtois")
    parser.add_argument("--stats-only", action="store_true", help="Build the models and report sizes; no solve.")
    parser.add_argument("--no-plain", action="store_true", help="Skip the plain model.")
    parser.add_argument("--no-write", action="store_true", help="Print the table; leave RESULTS.md alone.")
    parser.add_argument("--append", action="store_true", help="Add this run under the section; keep earlier ones.")
    parser.add_argument("--note", default="", help="A sentence printed above the table (e.g. 'preliminary').")
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE",
                        help="Change a module constant of dutyplan in its child (repeatable).")
    parser.add_argument("--child", choices=("dutyplan", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--child-instance", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child == "dutyplan":
            out = child_dutyplan(args.child_instance, args.time_limit, args.workers, args.seed, args.stats_only,
                                 args.set)
        else:
            out = child_plain(args.child_instance, args.time_limit, args.workers, args.seed, args.stats_only)
        print(json.dumps(out))
        return 0

    numbers = parse_instances(args.instances)
    rows = []
    for n in numbers:
        instance = args.data / f"Instance{n}.txt"
        if not instance.exists():
            raise SystemExit(f"{instance}: not found (give --data, the folder with Instance1.txt .. Instance24.txt)")
        print(f"Instance{n}: dutyplan ...", file=sys.stderr, flush=True)
        d = run_child("dutyplan", instance, args)
        p: dict[str, Any] = {}
        if not args.no_plain:
            print(f"Instance{n}: plain ...", file=sys.stderr, flush=True)
            p = run_child("plain", instance, args)
            if not args.stats_only:
                checked = verify_plain(instance, p)
                if checked is not None and checked != p.get("objective"):
                    raise SystemExit(f"Instance{n}: plain model says {p['objective']}, dutyplan's checker {checked}")
        if d.get("checker_objective") is not None and d["checker_objective"] != d.get("objective"):
            raise SystemExit(f"Instance{n}: dutyplan solver says {d['objective']}, checker {d['checker_objective']}")
        p.pop("assignments", None)
        rows.append({"n": n, "dutyplan": d, "plain": p})
        print(json.dumps({"n": n, "dutyplan": d, "plain": p}), flush=True)
    command = "python bench/curtois.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    block = run_block(rows, args, command)
    print(block)
    if not args.no_write:
        if args.append and RESULTS.exists() and SECTION in RESULTS.read_text(encoding="utf-8"):
            text = RESULTS.read_text(encoding="utf-8")
            lines = text.split("\n")
            start = lines.index(SECTION)
            end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
            current = "\n".join(lines[start + 1 : end]).strip("\n")
            block = current + "\n\n" + block
        write_section(block)
        print(f"wrote the Curtois–Qu section of {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
