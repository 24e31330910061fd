"""Properties over random small departments: the solver and the checker never disagree.

For every department hypothesis makes up (2-6 staff, 1-3 shifts at random
times, random coverage, run limits, rest, weekends, contracts, hours, requests,
leave, locks and history tails), one of three things holds:

* a roster comes back: it breaks no hard rule, and the solver's objective and
  its penalty per rule equal the checker's recomputation (``assert_consistent``,
  the same proof ``dutyplan plan`` runs);
* the solver proves no roster exists: ``explain_infeasible`` names a non-empty
  set of clashing hard-rule parts. It may only be empty when the explanation
  solve itself runs out of time (never for departments this small), since with
  every assumption literal off the model has the all-days-off solution;
* the solver runs out of time without either (counted, not failed).

The greedy start's balancing pass (model/balance.py) on the same random
departments: head counts per shift and day stay, and no core rule is broken
more often than in the greedy roster it starts from.

Plus round trips: the roster TOML (to_toml_dict -> tomli_w -> tomllib ->
from_toml_dict) and the CSV export (to_csv -> Roster.from_csv).
Examples are derandomized so that the suite is deterministic.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from dutyplan.check import assert_consistent, check_roster
from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.model.columns import decomposable, generate, uncovered
from dutyplan.model.construct import construct
from dutyplan.model.solve import build_model
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule
from dutyplan.testing import DEFAULT_START, make_department, problem_for, solve_department

SOLVER = settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BALANCE = settings(
    max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
ROUND_TRIP = settings(max_examples=60, deadline=None, derandomize=True, database=None)
SHIFT_IDS = ("s1", "s2", "s3")
WEIGHTS = ("coverage_under", "coverage_over", "request", "fair_nights", "fair_weekends", "fair_holidays", "fair_shifts")
DAY_TYPES = ("workday", "weekend", "holiday", "holiday_break", "adjusted_workday")


# -- strategies ---------------------------------------------------------------------------------------
@st.composite
def cover_levels(draw: st.DrawFn, most: int) -> dict[str, int]:
    low = draw(st.integers(0, min(2, most)))
    level = {"min": low, "preferred": draw(st.integers(low, low + 2))}
    if draw(st.booleans()):
        level["max"] = level["preferred"] + draw(st.integers(0, 2))
    return level


@st.composite
def shift_specs(draw: st.DrawFn, ids: list[str], staff: int) -> dict[str, dict[str, Any]]:
    # Minimums that leave someone off each day, so that infeasible departments are the minority.
    most = (staff - 1) // len(ids)
    shifts: dict[str, dict[str, Any]] = {}
    for sid in ids:
        start = draw(st.integers(0, 23))
        length = draw(st.integers(4, 12))
        spec: dict[str, Any] = {
            "start": dt.time(start), "end": dt.time((start + length) % 24),
            "cover": {"workday": draw(cover_levels(most)), "weekend": draw(st.none() | cover_levels(most))},
            "not_followed_by": draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)),
        }
        if draw(st.booleans()):
            spec["paid_minutes"] = draw(st.integers(0, 12)) * 60
        if most and draw(st.integers(0, 3)) == 0:
            spec["skill_cover"] = [{"skill": "key", "min": 1}]
        shifts[sid] = spec
    return shifts


@st.composite
def staff_specs(draw: st.DrawFn, index: int, ids: list[str], days: int) -> dict[str, Any]:
    person: dict[str, Any] = {"id": f"E{index:02d}", "name": f"Staff {index}", "fairness": draw(st.booleans())}
    if index == 1 or draw(st.booleans()):
        person["skills"] = ["key"]
    if draw(st.integers(0, 2)) == 0:
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, min(days - 1, first + 3)))
        person["leave"] = [{"start": DEFAULT_START + dt.timedelta(first), "end": DEFAULT_START + dt.timedelta(last)}]
    person["unavailable"] = [
        DEFAULT_START + dt.timedelta(d) for d in draw(st.sets(st.integers(0, days - 1), max_size=1))
    ]
    if draw(st.integers(0, 3)) == 0:
        person["weekly_days_off"] = [draw(st.sampled_from(["mon", "wed", "sat"]))]
    if draw(st.integers(0, 2)) == 0:
        low = draw(st.integers(0, days // 3))
        person["min_shifts"], person["max_shifts"] = low, draw(st.integers(max(low, days // 2), days))
    if index > 1 and draw(st.integers(0, 3)) == 0:  # E01 may work every shift: the loader rejects unstaffable ones
        person["max_per_shift"] = {draw(st.sampled_from(ids)): draw(st.integers(0, 3))}
    for key, low, high in (("max_consecutive_work", 2, 6), ("min_consecutive_work", 1, 3), ("max_weekends", 0, 2)):
        if draw(st.integers(0, 4)) == 0:
            person[key] = draw(st.integers(low, high))
    return person


@st.composite
def departments(draw: st.DrawFn) -> tuple[dict[str, Any], int, dict[tuple[str, dt.date], str | None]]:
    days = draw(st.integers(4, 10))
    ids = list(SHIFT_IDS[: draw(st.integers(1, 3))])
    staff = [draw(staff_specs(i, ids, days)) for i in range(1, draw(st.integers(2, 6)) + 1)]
    staff_ids = [p["id"] for p in staff]
    day_index = st.integers(0, days - 1)
    cells = st.sampled_from([*ids, "-"])
    requests = [
        {"staff": draw(st.sampled_from(staff_ids)), "date": DEFAULT_START + dt.timedelta(draw(day_index)),
         "kind": kind, "shift": None if kind == "day_off" else draw(st.sampled_from(ids)),
         "weight": draw(st.none() | st.integers(0, 20))}
        for kind in draw(st.lists(st.sampled_from(["day_off", "shift_on", "shift_off"]), max_size=6))
    ]
    history = {
        "shifts": {
            sid: draw(st.lists(cells, min_size=1, max_size=4)) for sid in draw(st.sets(st.sampled_from(staff_ids)))
        },
        "counts": {sid: {"shifts": draw(st.integers(0, 6)), "nights": draw(st.integers(0, 3)),
                         "weekends": draw(st.integers(0, 3)), "holidays": draw(st.integers(0, 2))}
                   for sid in draw(st.sets(st.sampled_from(staff_ids), max_size=3))},
    }
    overrides = [
        {"date": DEFAULT_START + dt.timedelta(d), "type": draw(st.sampled_from(DAY_TYPES))}
        for d in draw(st.sets(day_index, max_size=3))
    ]
    hours_mode = draw(st.sampled_from(["off", "warn", "soft", "hard"]))
    data: dict[str, Any] = {
        "department": {"id": "prop", "name": "Property desk", "locale": "en"},
        "calendar": {"country": "none", "override": overrides},
        "shifts": draw(shift_specs(ids, len(staff))),
        "staff": staff,
        "requests": requests,
        "history": history,
        "rules": {
            "min_rest_hours": draw(st.none() | st.integers(8, 12)),
            "max_consecutive_work": draw(st.integers(2, 7)),
            "min_consecutive_work": draw(st.none() | st.integers(1, 3)),
            "min_consecutive_off": draw(st.none() | st.integers(1, 2)),
            "weekly_rest": draw(st.booleans()),
            "max_weekends": draw(st.none() | st.integers(0, 2)),
            "contract_period": draw(st.sampled_from(["month", "horizon"])),
            "hours": {"mode": hours_mode, "weight": draw(st.integers(0, 5)),
                      "weekly_average": draw(st.sampled_from([20, 40])), "overtime_cap": draw(st.integers(0, 36))},
        },
        "weights": {name: draw(st.integers(0, 30)) for name in WEIGHTS},
    }
    locked = {
        (draw(st.sampled_from(staff_ids)), DEFAULT_START + dt.timedelta(draw(day_index))):
            draw(st.sampled_from([*ids, None]))
        for _ in range(draw(st.sampled_from([0, 0, 1])))
    }
    return data, days, locked


def _load(folder: Path, data: dict[str, Any]) -> Workspace:
    """Write and load the department; a file the loader's sanity checks refuse is not the test's subject."""
    try:  # the builder fills in nothing here (quiet=False, every key given)
        return make_department(folder, data, staff=data["staff"], shifts=list(data["shifts"]), quiet=False)
    except InputError as exc:
        event(f"rejected by the loader: {exc.where}")
        reject()


# -- the solver and the checker agree -------------------------------------------------------------------
@pytest.mark.slow
@SOLVER
@given(departments())
def test_solver_and_checker_agree_on_random_departments(
    case: tuple[dict[str, Any], int, dict[tuple[str, dt.date], str | None]],
) -> None:
    """R-COVER, R-REST, R-MAX-CONSEC ... every built-in rule: a solved roster passes check and costs the same."""
    data, days, locked = case
    with tempfile.TemporaryDirectory() as folder:
        ws = _load(Path(folder), data)
        problem, rules, result = solve_department(ws, DEFAULT_START, days, time_limit=2, locked=locked)
    event(f"status {result.status}")
    if result.roster is not None:
        assert result.objective is not None
        report = check_roster(result.roster, problem, rules)
        assert_consistent(result.penalty_by_rule, result.objective, report)
    elif result.status == "infeasible":
        assert result.conflicts, "infeasible, but no clashing hard rules were named"
        for rule_id in sorted({key.split("/")[0] for key, _scope in result.conflicts}):
            event(f"clash involves {rule_id}")
        active = {r.key for r in rules}
        assert {key for key, _scope in result.conflicts} <= active
    else:
        assert result.status == "unknown"


# -- the balancing pass keeps what the greedy start got right -------------------------------------------
CORE = {"R-AVAILABLE", "R-LOCK", "R-REST", "R-MAX-CONSEC", "R-WEEKLY-REST", "R-MIN-CONSEC", "R-MIN-OFF",
        "R-MAX-WEEKENDS", "R-ONE-SHIFT", "R-CONTRACT", "R-COVER"}


@BALANCE
@given(departments())
def test_balancing_keeps_head_counts_and_breaks_no_more_core_rules(
    case: tuple[dict[str, Any], int, dict[tuple[str, dt.date], str | None]],
) -> None:
    """R-FAIR exchanges: R-COVER head counts unchanged, R-REST/R-MIN-CONSEC/... never worse than the greedy start."""
    data, days, locked = case
    with tempfile.TemporaryDirectory() as folder:
        problem, rules = problem_for(_load(Path(folder), data), DEFAULT_START, days, locked=locked)
        greedy, balanced = construct(problem, balance=False), construct(problem)

    def heads(roster: Roster) -> Counter[tuple[dt.date, str]]:
        return Counter((a.date, a.shift) for a in roster.assignments)

    def broken(roster: Roster) -> Counter[str]:
        return Counter(v.rule_id for v in check_roster(roster, problem, rules).hard if v.rule_id in CORE)

    event("the pass moved someone" if balanced.assignments != greedy.assignments else "nothing to move")
    assert heads(balanced) == heads(greedy)
    before, after = broken(greedy), broken(balanced)
    assert sum(after.values()) <= sum(before.values()), (before, after)


# -- round trips -------------------------------------------------------------------------------------------
STAFF_IDS = st.from_regex(r"\A[A-Za-z0-9_.\-]{1,8}\Z").filter(lambda s: s != "-")


@st.composite
def rosters(draw: st.DrawFn) -> tuple[Roster, list[str]]:
    start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))
    days = draw(st.integers(1, 40))
    staff = draw(st.lists(STAFF_IDS, min_size=1, max_size=5, unique=True))
    shifts = draw(st.lists(st.from_regex(r"\A[a-z][a-z0-9_]{0,5}\Z"), min_size=1, max_size=3, unique=True))
    cells = st.tuples(st.integers(0, days - 1), st.sampled_from(staff), st.sampled_from(shifts))
    assignments = [
        Assignment(start + dt.timedelta(d), person, shift) for d, person, shift in draw(st.lists(cells, max_size=40))
    ]
    roster = Roster(
        "dept", start, days, sorted(assignments), revision=draw(st.integers(0, 9)),
        note=draw(st.none() | st.text(max_size=20)),
    )
    order = draw(st.permutations(staff))[: draw(st.integers(0, len(staff)))]
    return roster, order


@ROUND_TRIP
@given(rosters())
def test_roster_toml_round_trips(case: tuple[Roster, list[str]]) -> None:
    """R-REVISE: a stored revision reads back with the same assignments (two shifts a day too, as ``a+b``)."""
    roster, staff_order = case
    text = tomli_w.dumps(roster.to_toml_dict(staff_order))
    again = Roster.from_toml_dict(tomllib.loads(text), Path("roster.r1.toml"))
    assert again.assignments == roster.assignments
    assert (again.start, again.days, again.revision) == (roster.start, roster.days, roster.revision)
    assert again.note == (roster.note or None)  # an empty note is not written


@pytest.fixture(scope="module")
def csv_problem(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    """A department whose names need CSV quoting (commas, quotes, a line break)."""
    ws = make_department(
        tmp_path_factory.mktemp("csv"),
        {"shifts": {"early": {"name": 'Early, "A"'}, "night": {"name": "夜班\nnight"}}},
        staff=[{"name": '王 "芳", Wang'}, {"name": "李娜"}, {"name": "Zhao,\nLei"}],
        shifts=["early", "late", "night"],
    )
    return problem_for(ws, DEFAULT_START, 10)[0]


@ROUND_TRIP
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["E01", "E02", "E03"]),
                          st.sampled_from(["early", "late", "night"])), max_size=40))
def test_csv_export_round_trips(csv_problem: Problem, cells: list[tuple[int, str, str]]) -> None:
    """The CSV export reads back through ``Roster.from_csv`` (what ``dutyplan check --roster x.csv`` does)."""
    assignments = sorted(Assignment(DEFAULT_START + dt.timedelta(d), s, sh) for d, s, sh in cells)
    roster = Roster("test-desk", DEFAULT_START, 10, assignments)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_text(roster.to_csv(csv_problem), encoding="utf-8")
        again = Roster.from_csv(path, csv_problem)
    assert again.assignments == roster.assignments
    assert (again.start, again.days) == (roster.start, roster.days)


# -- column generation: rows plus cover, and a bound that never passes the optimum -------------------------
def _only_cover_ties(
    folder: str, case: tuple[dict[str, Any], int, dict[tuple[str, dt.date], str | None]]
) -> tuple[Workspace, Problem, list[Rule]] | None:
    """The department with no R-FAIR share, loaded; None (and why) when a rule still ties people together."""
    data, days, locked = case
    data["weights"].update({name: 0 for name in WEIGHTS if name.startswith("fair_")})
    ws = _load(Path(folder), data)
    problem, rules = problem_for(ws, DEFAULT_START, days, locked=locked)
    if decomposable(rules):
        return ws, problem, rules
    event(f"ties people: {sorted({r.id for r in rules if not r.personal})}")
    return None


@SOLVER
@given(departments())
def test_a_roster_costs_its_rows_plus_its_cover_when_only_the_cover_ties_people(
    case: tuple[dict[str, Any], int, dict[tuple[str, dt.date], str | None]],
) -> None:
    """Rules marked ``personal`` see one row alone: R-REST, R-CONTRACT, R-REQUEST ... add up per person."""
    with tempfile.TemporaryDirectory() as folder:
        loaded = _only_cover_ties(folder, case)
        if loaded is None:
            return
        ws, problem, rules = loaded
        roster = construct(problem)
        whole = check_roster(roster, problem, rules)
        cover = [v for v in whole.violations if v.rule_id == "R-COVER"]
        rows = []
        for sid in problem.staff_ids:
            single = uncovered(problem, sid)
            row = roster.replace_assignments([a for a in roster.assignments if a.staff == sid])
            rows.append(check_roster(row, single, ws.rules(single)))
    assert sum(r.objective for r in rows) + sum(v.cost for v in cover) == whole.objective
    assert sum(len(r.hard) for r in rows) + sum(1 for v in cover if v.severity == "hard") == len(whole.hard)


@SOLVER
@given(departments())
def test_the_column_bound_never_passes_a_proven_optimum(
    case: tuple[dict[str, Any], int, dict[tuple[str, dt.date], str | None]],
) -> None:
    """R-COVER with every personal rule: column generation's Lagrangian bound <= CP-SAT's proven optimum."""
    with tempfile.TemporaryDirectory() as folder:
        loaded = _only_cover_ties(folder, case)
        if loaded is None:
            return
        ws, problem, rules = loaded
        ctx = build_model(problem, rules)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers, solver.parameters.max_time_in_seconds = 1, 5.0
        if solver.solve(ctx.model) != cp_model.OPTIMAL:
            event("no proven optimum")
            return
        optimum = round(solver.objective_value) if ctx.penalties else 0
        found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 5)
    if found is None or found.proven is None:
        event("no bound")
        return
    event("bound equals the optimum" if found.proven == optimum else "bound below the optimum")
    assert found.proven <= optimum
