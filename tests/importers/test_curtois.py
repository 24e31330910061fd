"""The Curtois–Qu importer: imported instances solve, pass ``check``, and score as the benchmark says.

The benchmark's rules are recomputed here from first principles (a parser and
an evaluator of our own, written from the format page, sharing no code with
dutyplan), so a wrong mapping onto R-REST, R-CONTRACT, R-MAX-CONSEC,
R-MIN-CONSEC, R-MIN-OFF, R-MAX-WEEKENDS, R-AVAILABLE, R-REQUEST or R-COVER
shows up as a disagreement: on the solver's rosters, and on hundreds of
mutated rosters that break the hard rules in every way a few cell changes can.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from dutyplan.cli.main import main
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment, Roster

DATA = Path(__file__).resolve().parent.parent / "data" / "curtois"
START = dt.date(2024, 1, 1)
SHA256 = {
    1: "f982418dfd05e44e3738656d2da18e751bf9b7741d36d299dd394d79c275af64",
    2: "66f4ceb916ade9edd93eade3e858fb9e7c5586aa47be4696309a680c9f159a29",
    3: "dba847106a84a6f9dfeb282278c3668fb681c52cb353b0ebfde5195eb9e98286",
}
BEST_KNOWN = {1: 607, 2: 828, 3: 1001}
TIME_LIMIT = {1: 10, 2: 3, 3: 3}


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``dutyplan ARGS`` in-process as the console script does; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as info:
        main(list(args))
    code = info.value.code
    return (code if isinstance(code, int) else 1), out.getvalue(), err.getvalue()


# -- an independent reading of the benchmark ---------------------------------------


@dataclass
class Bench:
    horizon: int
    length: dict[str, int]
    not_follow: dict[str, set[str]]
    staff: dict[str, list[str]]  # id -> the seven remaining staff fields
    days_off: dict[str, set[int]]
    on: list[tuple[str, int, str, int]]
    off: list[tuple[str, int, str, int]]
    cover: list[tuple[int, str, int, int, int]]


def read_bench(path: Path) -> Bench:
    sections: dict[str, list[list[str]]] = {}
    name = ""
    for line in path.read_bytes().decode().replace("\r", "").split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            name = line.removeprefix("SECTION_")
            sections[name] = []
        else:
            sections[name].append([f.strip() for f in line.split(",")])
    b = Bench(int(sections["HORIZON"][0][0]), {}, {}, {}, {}, [], [], [])
    for sid, length, follow in sections["SHIFTS"]:
        b.length[sid] = int(length)
        b.not_follow[sid] = {f for f in follow.split("|") if f}
    for row in sections["STAFF"]:
        b.staff[row[0]] = row[1:]
    for row in sections["DAYS_OFF"]:
        b.days_off[row[0]] = {int(d) for d in row[1:] if d}
    b.on = [(e, int(d), s, int(w)) for e, d, s, w in sections["SHIFT_ON_REQUESTS"]]
    b.off = [(e, int(d), s, int(w)) for e, d, s, w in sections["SHIFT_OFF_REQUESTS"]]
    b.cover = [(int(d), s, int(r), int(u), int(o)) for d, s, r, u, o in sections["COVER"]]
    return b


def evaluate(b: Bench, cells: dict[tuple[str, int], list[str]]) -> tuple[set[tuple[str, str]], int]:
    """The benchmark's verdict: hard violations as (kind, staff), and the objective."""
    bad: set[tuple[str, str]] = set()
    days = range(b.horizon)
    for e, fields in b.staff.items():
        max_shifts = {k: int(v) for k, v in (p.split("=") for p in fields[0].split("|") if p)}
        max_min, min_min, max_run, min_run, min_off, max_we = (int(v) for v in fields[1:])
        shift = []
        for d in days:
            mine = cells.get((e, d), [])
            if len(mine) > 1:
                bad.add(("one-shift", e))
            shift.append(mine[0] if mine else None)
        for d in range(1, b.horizon):  # before day 0 and after the last day: off
            if shift[d - 1] and shift[d] and shift[d] in b.not_follow[shift[d - 1]]:
                bad.add(("not-follow", e))
        if any(sum(s == k for s in shift) > n for k, n in max_shifts.items()):
            bad.add(("contract", e))
        minutes = sum(b.length[s] for s in shift if s)
        if not min_min <= minutes <= max_min:
            bad.add(("contract", e))
        runs: list[tuple[bool, int, int]] = []  # (worked, first, last)
        for d in days:
            w = shift[d] is not None
            if runs and runs[-1][0] == w:
                runs[-1] = (w, runs[-1][1], d)
            else:
                runs.append((w, d, d))
        for w, first, last in runs:
            n = last - first + 1
            interior = first > 0 and last < b.horizon - 1
            if w and n > max_run:
                bad.add(("max-run", e))
            if w and interior and n < min_run:
                bad.add(("min-run", e))
            if not w and interior and n < min_off:
                bad.add(("min-off", e))
        weekends = sum(1 for sat in range(5, b.horizon, 7) if shift[sat] or (sat + 1 < b.horizon and shift[sat + 1]))
        if weekends > max_we:
            bad.add(("weekends", e))
        if any(shift[d] for d in b.days_off.get(e, ())):
            bad.add(("days-off", e))
    cost = 0
    for e, d, s, w in b.on:
        cost += w * (s not in cells.get((e, d), []))
    for e, d, s, w in b.off:
        cost += w * (s in cells.get((e, d), []))
    for d, s, r, under, over in b.cover:
        a = sum(1 for e in b.staff if s in cells.get((e, d), []))
        cost += under * max(0, r - a) + over * max(0, a - r)
    return bad, cost


KIND = {
    "R-ONE-SHIFT": "one-shift", "R-REST": "not-follow", "R-CONTRACT": "contract", "R-MAX-CONSEC": "max-run",
    "R-MIN-CONSEC": "min-run", "R-MIN-OFF": "min-off", "R-MAX-WEEKENDS": "weekends", "R-AVAILABLE": "days-off",
}


def read_csv(path: Path) -> dict[tuple[str, int], list[str]]:
    cells: dict[tuple[str, int], list[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader)[:3] == ["date", "staff_id", "shift_id"]
        for row in reader:
            day = (dt.date.fromisoformat(row[0]) - START).days
            cells.setdefault((row[1], day), []).append(row[2])
    return cells


# -- importing and planning through the command line ----------------------------------


@dataclass
class Planned:
    number: int
    folder: Path
    csv: Path
    objective: int
    status: str
    stdout: str


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Planned]]:
    root = tmp_path_factory.mktemp("curtois")
    result = {}
    for n in (1, 2, 3):
        folder = root / f"bench-{n}"
        code, out, err = run_cli("import", "curtois", str(DATA / f"Instance{n}.txt"), "-o", str(folder))
        assert code == 0, err
        assert "--days 14" in out
        days = read_bench(DATA / f"Instance{n}.txt").horizon
        code, out, err = run_cli(
            "plan", str(folder), "--start", START.isoformat(), "--days", str(days),
            "--time-limit", str(TIME_LIMIT[n]), "--workers", "2", "--format", "csv",
        )
        assert code == 0, err
        label = f"{START.isoformat()}+{days}d"
        stored = tomllib.loads((folder / label / "roster.r1.toml").read_text())
        result[n] = Planned(n, folder, folder / label / "r1" / "roster.csv", stored["solver"]["objective"],
                            stored["solver"]["status"], out)
    yield result


def test_data_files_are_the_published_instances() -> None:
    for n, digest in SHA256.items():
        assert hashlib.sha256((DATA / f"Instance{n}.txt").read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("n", [1, 2, 3])
def test_imported_instance_solves_and_check_passes(planned: dict[int, Planned], n: int) -> None:
    p = planned[n]
    days = read_bench(DATA / f"Instance{n}.txt").horizon
    code, out, err = run_cli("check", str(p.folder), "--start", START.isoformat(), "--days", str(days),
                             "--roster", str(p.csv))
    assert code == 0, out + err
    assert "0 hard violation(s)" in out
    assert f"penalty {p.objective})" in out


@pytest.mark.parametrize("n", [1, 2, 3])
def test_reported_objective_equals_independent_recomputation(planned: dict[int, Planned], n: int) -> None:
    p = planned[n]
    bad, cost = evaluate(read_bench(DATA / f"Instance{n}.txt"), read_csv(p.csv))
    assert bad == set()
    assert p.objective == cost
    assert f"penalty {cost}" in p.stdout
    assert cost >= BEST_KNOWN[n]  # a proven optimum: anything lower would mean a rule was lost


def test_instance1_reaches_its_optimum(planned: dict[int, Planned]) -> None:
    assert planned[1].objective == BEST_KNOWN[1] == 607
    assert planned[1].status == "optimal"


def test_mutated_rosters_get_the_benchmark_verdict(planned: dict[int, Planned]) -> None:
    """Rule by rule and person by person, dutyplan's check agrees with the benchmark on broken rosters."""
    rng = random.Random(6)
    kinds_seen: set[str] = set()
    feasible = 0
    for n in (1, 3):
        p = planned[n]
        bench = read_bench(DATA / f"Instance{n}.txt")
        base = read_csv(p.csv)
        ws = Workspace.open(p.folder)
        problem = ws.problem(ws.horizon(None, START, bench.horizon))
        rules = ws.rules(problem)
        staff, shifts = list(bench.staff), [*bench.length, None]
        for _ in range(150):
            cells = {k: list(v) for k, v in base.items()}
            for _ in range(rng.randint(1, 4)):
                key = (rng.choice(staff), rng.randrange(bench.horizon))
                choice = rng.choice(shifts)
                cells[key] = [] if choice is None else [choice]
            expected_bad, expected_cost = evaluate(bench, cells)
            assignments = [Assignment(START + dt.timedelta(days=d), e, s) for (e, d), ss in cells.items() for s in ss]
            roster = Roster(ws.department.slug, START, bench.horizon, sorted(assignments))
            report = ws.check(roster, problem, rules)
            got_bad = {(KIND[v.rule_id], v.staff or "") for v in report.hard}
            assert got_bad == expected_bad, (n, sorted(cells.items()))
            assert report.objective == expected_cost
            kinds_seen |= {k for k, _ in expected_bad}
            feasible += not expected_bad
    assert feasible >= 10  # the mutations are a mix of legal and illegal rosters
    assert {"not-follow", "contract", "max-run", "min-run", "min-off", "days-off"} <= kinds_seen


def test_edge_runs_are_exempt_but_interior_short_runs_are_not(tmp_path: Path) -> None:
    """R-MIN-CONSEC/R-MIN-OFF: a one-day run at day 0 or the last day is allowed; inside, it is not."""
    text = (DATA / "Instance1.txt").read_bytes().decode()
    folder = tmp_path / "b1"
    src = tmp_path / "Instance1.txt"
    src.write_text(text)
    assert run_cli("import", "curtois", str(src), "-o", str(folder))[0] == 0
    ws = Workspace.open(folder)
    problem = ws.problem(ws.horizon(None, START, 7))
    rules = ws.rules(problem)

    def verdict(pattern: str) -> set[str]:
        days = [START + dt.timedelta(days=i) for i, c in enumerate(pattern) if c == "D"]
        roster = Roster(ws.department.slug, START, 7, [Assignment(d, "E", "D") for d in days])
        return {v.rule_id for v in ws.check(roster, problem, rules).hard if v.staff == "E"} - {"R-CONTRACT"}

    assert verdict("D--DD--") == set()  # a one-day working run at the start
    assert verdict("--DD--D") == set()  # ... and at the end
    assert verdict("-DD--DD") == set()  # a one-day run of days off at the start
    assert verdict("DD--DD-") == set()  # ... and at the end
    assert verdict("DD-DD--") == {"R-MIN-OFF"}
    assert verdict("DD--D--") == {"R-MIN-CONSEC"}
    assert verdict("-DDDDDD") == {"R-MAX-CONSEC"}  # six in a row, at most 5, though it touches the end


# -- bad input --------------------------------------------------------------------------


def _instance1_lines() -> list[str]:
    return (DATA / "Instance1.txt").read_bytes().decode().split("\r\n")


def _line_of(lines: list[str], text: str) -> int:
    return lines.index(text) + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("D,480,", "D,48O,", "expected a whole number"),
        ("D,480,", "D,480,X", "unknown shift id 'X'"),
        ("D,480,", "D,1440,", "expected 1..1439"),
        ("A,D=14,4320,3360,5,2,2,1", "A,D=14,4320,3360,5,2,2", "expected 8 comma-separated fields"),
        ("A,D=14,4320,3360,5,2,2,1", "A,Q=14,4320,3360,5,2,2,1", "unknown shift id 'Q'"),
        ("A,D=14,4320,3360,5,2,2,1", "A,D=14,3000,3360,5,2,2,1", "MinTotalMinutes (3360) is above"),
        ("A,D=14,4320,3360,5,2,2,1", "A,D=14,4320,3360,-5,2,2,1", "expected 0 or more"),
        ("B,5", "B,14", "day index: expected 0..13"),
        ("B,5", "Z,5", "unknown staff id 'Z'"),
        ("A,2,D,2", "A,2,D", "expected 4 comma-separated fields"),
        ("C,12,D,1", "C,12,E,1", "unknown shift id 'E'"),
        ("1,D,7,100,1", "0,D,7,100,1", "given twice"),
        ("SECTION_COVER", "SECTION_COVERS", "unknown section 'SECTION_COVERS'"),
    ],
)
def test_bad_instance_is_an_input_error_naming_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    lines = _instance1_lines()
    number = _line_of(lines, old)
    lines[number - 1] = new
    bad = tmp_path / "Instance1.txt"
    bad.write_bytes("\r\n".join(lines).encode())
    code, out, err = run_cli("import", "curtois", str(bad), "-o", str(tmp_path / "dept"))
    assert code == 2, out + err
    assert f"{bad}: line {number}" in err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "dept" / "department.toml").exists()


def test_missing_section_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    lines = _instance1_lines()
    start = _line_of(lines, "SECTION_SHIFT_OFF_REQUESTS")
    end = _line_of(lines, "SECTION_COVER")
    bad = tmp_path / "Instance1.txt"
    bad.write_bytes("\r\n".join(lines[: start - 1] + lines[end - 1 :]).encode())
    code, _, err = run_cli("import", "curtois", str(bad), "-o", str(tmp_path / "dept"))
    assert code == 2 and "section SECTION_SHIFT_OFF_REQUESTS is missing" in err
    code, _, err = run_cli("import", "curtois", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "dept"))
    assert code == 2 and "file not found" in err


def test_start_must_be_a_monday_and_existing_department_is_kept(tmp_path: Path) -> None:
    src = DATA / "Instance1.txt"
    code, _, err = run_cli("import", "curtois", str(src), "-o", str(tmp_path / "d"), "--start", "2024-01-02")
    assert code == 2 and "Monday" in err and "Tuesday" in err
    assert run_cli("import", "curtois", str(src), "-o", str(tmp_path / "d"), "--start", "2024-01-08")[0] == 0
    before = (tmp_path / "d" / "department.toml").read_bytes()
    assert b"date = 2024-01-08" in before  # day 0 moved with --start
    code, _, err = run_cli("import", "curtois", str(src), "-o", str(tmp_path / "d"))
    assert code == 2 and "--force" in err
    assert (tmp_path / "d" / "department.toml").read_bytes() == before
    assert run_cli("import", "curtois", str(src), "-o", str(tmp_path / "d"), "--force")[0] == 0
    assert b"date = 2024-01-01" in (tmp_path / "d" / "department.toml").read_bytes()


def test_import_writes_no_file_into_the_source_folder(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(DATA / "Instance2.txt", src)
    assert run_cli("import", "curtois", str(src / "Instance2.txt"), "-o", str(tmp_path / "d"))[0] == 0
    assert sorted(p.name for p in src.iterdir()) == ["Instance2.txt"]
