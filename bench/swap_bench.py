"""``swap check`` latency for a 200-person month: in-process (median of repeated checks) and whole process.

Why a constructed roster: solving a 200-person month would take the solver far
longer than the check being measured. A rotation ``early early middle middle
night night off off`` started at eight staggered offsets meets every hard rule
of the generated department by construction (no night->early, runs of 2..6, a
day off in every seven, a quarter of the staff on each shift), so the roster is
built in milliseconds and then *checked* with dutyplan's own rules before use.
The request measured is an exchange that is accepted (the common case: one
full check of the roster after the swap); a refused one (two checks) is timed too.

    python bench/swap_bench.py [--staff 200] [--repeat 30] [--processes 5] [--write]

``--write`` replaces the "### swap check" part of the "## Swaps and ledger"
section of bench/RESULTS.md (other sections are left alone).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dutyplan.roster import Assignment, Roster

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Swaps and ledger"
MONTH = "2027-03"
START = dt.date(2027, 3, 1)
DAYS = 31
CYCLE = ("early", "early", "middle", "middle", "night", "night", None, None)
WINDOWS = {"early": "11:00-13:30", "middle": "17:00-19:30", "night": "02:00-04:00"}
TIMES = {"early": ("07:00", "15:00"), "middle": ("14:30", "22:30"), "night": ("22:00", "07:30")}


def department_toml(staff: int) -> str:
    """Three shifts with meals (R-MEAL), a duty pool of ten (D-DAILY), rest and run rules, approvers S001/S002."""
    per_shift = staff // len(CYCLE) * 2
    lines = ["[department]", 'id = "big-desk"', 'name = "Generated desk"', 'timezone = "Asia/Shanghai"',
             'locale = "en"', 'approvers = ["S001", "S002"]', "", "[calendar]", 'country = "none"', "",
             "[rules]", "min_rest_hours = 11", "max_consecutive_work = 6", "min_consecutive_work = 2",
             "weekly_rest = true", ""]
    for sid, (start, end) in TIMES.items():
        lines += [f"[shifts.{sid}]", f'start = "{start}"', f'end = "{end}"', "paid_minutes = 480",
                  f"cover.workday = {{ min = {per_shift - 2}, preferred = {per_shift} }}", "",
                  f"[meals.{sid}]", f'windows = ["{WINDOWS[sid]}"]', "minutes = 30", "min_at_post = 1", ""]
    lines += ["[duty]", "pool = [" + ", ".join(f'"S{i:03d}"' for i in range(1, 11)) + "]", "per_day = 1", ""]
    for i in range(1, staff + 1):
        lines += ["[[staff]]", f'id = "S{i:03d}"', f'name = "Person {i}"', "min_shifts = 18", "max_shifts = 26", ""]
    return "\n".join(lines)


def rotation(staff: int) -> Roster:
    """The staggered rotation over March 2027, with a duty rotation."""
    assignments = []
    for i in range(staff):
        for d in range(DAYS):
            shift = CYCLE[(d + i) % len(CYCLE)]
            if shift is not None:
                assignments.append(Assignment(START + dt.timedelta(days=d), f"S{i + 1:03d}", shift))
    roster = Roster("big-desk", START, DAYS, sorted(assignments))
    roster.extras["duty"] = {f"{START + dt.timedelta(days=d):%Y-%m-%d}": [f"S{d % 10 + 1:03d}"] for d in range(DAYS)}
    return roster


def make_department(folder: Path, staff: int) -> Path:
    """Write the department and its March roster (revision 1, meals planned, checked clean) under ``folder``."""
    from dutyplan.features.meals import plan_meals, settings_of
    from dutyplan.planner import Workspace

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.toml").write_text(department_toml(staff), encoding="utf-8")
    ws = Workspace.open(folder)
    problem = ws.problem(ws.horizon(MONTH, None, None))
    roster = rotation(staff)
    settings = settings_of(problem)
    assert settings is not None
    roster.extras["meals"] = plan_meals(roster, problem, settings)
    hard = ws.check(roster, problem).hard
    if hard:
        raise SystemExit("generated roster breaks hard rules:\n" + "\n".join(map(str, hard[:10])))
    ws.store.write_revision(MONTH, roster, reason="generated")
    return folder


def write_request(folder: Path, name: str, counterpart: str, give: str, take: str) -> Path:
    """S001 and ``counterpart`` trade shifts on 03-02."""
    path = folder / MONTH / "swaps" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'format = "dutyplan-swap/1"\nkind = "exchange"\nrequester = "S001"\ncounterpart = "{counterpart}"\n'
        f'give = {{ date = 2027-03-02, shift = "{give}" }}\ntake = {{ date = 2027-03-02, shift = "{take}" }}\n'
        'written_by = "S001"\nwritten_at = 2027-02-20T09:00:00+08:00\n\n'
        f'[consent]\nby = "{counterpart}"\nagreed = true\nat = 2027-02-20T10:00:00+08:00\n', encoding="utf-8")
    return path


def in_process(folder: Path, path: Path, repeat: int) -> dict[str, float]:
    """Seconds: the first check in a fresh workspace (cold: parses the roster) and the median of the next ones."""
    from dutyplan.swaps.request import load_swap
    from dutyplan.swaps.validate import check_swap
    from dutyplan.swaps.workspace import open_workspace

    t0 = time.perf_counter()
    ws = open_workspace(folder)
    opened = time.perf_counter() - t0
    times, accepted = [], None
    for _ in range(repeat + 1):
        t = time.perf_counter()
        result = check_swap(ws, load_swap(path, ws.department))
        times.append(time.perf_counter() - t)
        accepted = result.accepted
    return {"open": opened, "cold": times[0], "median": statistics.median(times[1:]), "max": max(times[1:]),
            "accepted": float(bool(accepted))}


def whole_process(path: Path, runs: int) -> tuple[float, float, int]:
    """Median wall seconds of ``dutyplan swap check FILE`` and of ``dutyplan --help`` (the import floor)."""
    env = {**os.environ, "DUTYPLAN_NO_ENTRYPOINTS": "1"}
    exe = [sys.executable, "-m", "dutyplan.cli.main"]
    checks, floors, code = [], [], 0
    for _ in range(runs):
        t = time.perf_counter()
        code = subprocess.run([*exe, "swap", "check", str(path)], capture_output=True, env=env).returncode
        checks.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([*exe, "--help"], capture_output=True, env=env, check=True)
        floors.append(time.perf_counter() - t)
    return statistics.median(checks), statistics.median(floors), code


def preamble(script: str) -> list[str]:
    """When and where a run was made, and the command line, for RESULTS.md."""
    load = os.getloadavg()
    return [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load[0]:.1f} / {load[1]:.1f} at the end: "
        "**the machine was shared with other jobs**, so these are upper bounds.",
        "",
        f"    python bench/{script} " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    ]


def update_results(subsection: str, body: str) -> None:
    """Replace ``subsection`` (a ``### `` heading) inside ``## Swaps and ledger`` of RESULTS.md, or append it."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# dutyplan benchmark results\n"
    block = f"{subsection}\n\n{body.strip()}\n"
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{block}"
    else:
        head, _, rest = text.partition(SECTION)
        end = rest.find("\n## ")
        mine, tail = (rest, "") if end < 0 else (rest[:end + 1], rest[end + 1:])
        if subsection in mine:
            before, _, after = mine.partition(subsection)
            nxt = after.find("\n### ")
            mine = before + block + ("" if nxt < 0 else "\n" + after[nxt + 1:])
        else:
            mine = mine.rstrip("\n") + f"\n\n{block}"
        text = head + SECTION + mine.rstrip("\n") + "\n" + ("\n" + tail if tail else "")
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="record the numbers in bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_department(Path(tmp) / "big-desk", args.staff)
        # S001 early early middle -> early middle middle; S002 early middle middle -> early early middle: accepted.
        ok = write_request(folder, "accepted.toml", "S002", "early", "middle")
        # S001 would work night on 03-02 and middle on 03-03 (R-REST): refused after checking both rosters.
        bad = write_request(folder, "refused.toml", "S005", "early", "night")
        accepted = in_process(folder, ok, args.repeat)
        refused = in_process(folder, bad, args.repeat)
        wall, floor, code = whole_process(ok, args.processes)
    assert accepted["accepted"] and not refused["accepted"] and code == 0
    rows = [
        (f"in process, median of {args.repeat} checks (workspace open, revision parsed)",
         f"{accepted['median'] * 1000:.0f} ms", f"{refused['median'] * 1000:.0f} ms"),
        ("in process, first check (parses the revision)", f"{accepted['cold'] * 1000:.0f} ms", "-"),
        ("`Workspace.open` (department file, plugins)", f"{accepted['open'] * 1000:.0f} ms", "-"),
        (f"whole process `dutyplan swap check FILE`, median of {args.processes}", f"{wall:.2f} s", "-"),
        (f"whole process `dutyplan --help` (imports only), median of {args.processes}", f"{floor:.2f} s", "-"),
    ]
    table = [f"| {args.staff}-person month, one exchange | accepted (1 full check) | refused (2 full checks) |",
             "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    body = "\n".join([*preamble("swap_bench.py"), "", *table]) + "\n"
    print(body)
    if args.write:
        update_results("### swap check", body)


if __name__ == "__main__":
    main()
