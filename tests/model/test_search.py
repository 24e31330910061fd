"""The first roster: greedy construction (model/construct.py), repair (model/search.py), hints (solve.py).

On the example department (15 people, January 2027, duty rotation, meals and
the front-desk plugin) these show that the construction keeps the core rules
it knows, that a start is made whole (every variable, duty days included) and
feasible before the final solve, that a start broken on a few days is repaired
there, and that one worker with a fixed seed gives the same roster twice.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

from dutyplan.calendar import weekends
from dutyplan.check import check_roster
from dutyplan.features.duty import DutyRotation, duty_of
from dutyplan.model import solve as solve_module
from dutyplan.model.construct import construct
from dutyplan.model.result import SolveOptions
from dutyplan.model.search import Search
from dutyplan.model.solve import WEEKENDS_FROM, _weekends_bind, add_hint, build_model, roster_from_solution, solve
from dutyplan.planner import Workspace
from dutyplan.roster import Roster
from dutyplan.testing import DepartmentFactory, day, problem_for

CORE = {"R-AVAILABLE", "R-LOCK", "R-REST", "R-MAX-CONSEC", "R-WEEKLY-REST", "R-MIN-CONSEC", "R-MIN-OFF",
        "R-MAX-WEEKENDS", "R-ONE-SHIFT"}
"""The sequence and availability rules construct.py follows by itself (it may miss cover or contracts)."""


def test_construction_keeps_the_core_rules_and_is_deterministic(example_dept: Path) -> None:
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon("2027-01", None, None))
    rules = ws.rules(problem)
    first, second = construct(problem), construct(problem)
    assert first.assignments == second.assignments
    assert len(first.assignments) > 15 * 15  # everybody works most days, not an empty roster
    broken = [v for v in check_roster(first, problem, rules).violations if v.rule_id in CORE and v.severity == "hard"]
    assert broken == []


def test_duty_hint_fills_a_rotation_that_fits_the_roster(example_dept: Path) -> None:
    """D-DAILY/D-REST: the hinted rotation has the right count each day and nobody the day after a night."""
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon("2027-01", None, None))
    rules = ws.rules(problem)
    start = construct(problem)
    ctx = build_model(problem, rules)
    add_hint(ctx, start, rules)
    assert "duty" in start.extras
    rotation = next(r for r in rules if isinstance(r, DutyRotation))
    assert [str(v) for v in rotation.check(start, problem)] == []
    hinted = {(i, v) for i, v in zip(ctx.model.proto.solution_hint.vars, ctx.model.proto.solution_hint.values,
                                     strict=True)}
    duty_on = {di for di, d in enumerate(problem.dates) if duty_of(start).get(d)}
    assert len(duty_on) == problem.horizon.days and hinted


def test_a_feasible_start_is_completed_without_change(example_dept: Path) -> None:
    """A start that breaks no hard rule is fixed entirely: the sub-solve only fills the other variables."""
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon(None, dt.date(2027, 1, 4), 4))
    rules = ws.rules(problem)
    ctx = build_model(problem, rules)
    first = solve(problem, rules, SolveOptions(time_limit=3, workers=1, seed=0))
    assert first.roster is not None
    start = first.roster.replace_assignments(first.roster.assignments)
    add_hint(ctx, start, rules)
    search = Search(ctx, rules)
    found = search.repair(start, time.perf_counter() + 10)
    assert found is not None and search.sub_solves == 1
    assert roster_from_solution(ctx, found.solver).assignments == start.assignments
    assert found.objective == check_roster(start, problem, rules).objective


def _search_from_a_feasible_start(example_dept: Path) -> tuple[Search, Roster]:
    """A search on four days of the example desk, hinted with a solved roster that breaks no hard rule."""
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon(None, dt.date(2027, 1, 4), 4))
    rules = ws.rules(problem)
    first = solve(problem, rules, SolveOptions(time_limit=3, workers=1, seed=0))
    assert first.roster is not None and not check_roster(first.roster, problem, rules).hard
    ctx = build_model(problem, rules)
    add_hint(ctx, first.roster, rules)
    return Search(ctx, rules), first.roster


def test_a_feasible_start_gets_all_the_time_left_to_be_completed(example_dept: Path) -> None:
    """With nothing freed the sub-solve is presolve alone: it may not stop at a fifth of the time.

    On a year of 150 people and 32 shift types (Curtois-Qu 24) that presolve takes 12 s; cut at 6 s, the
    repair handed over no whole roster and the final solve lost its start (bench/RESULTS.md, stop 25).
    """
    search, start = _search_from_a_feasible_start(example_dept)
    limits: list[float] = []
    subsolve = search.subsolve

    def timed(assignment: list[list[int]], free: list[bytearray], time_limit: float) -> int:
        limits.append(time_limit)
        return subsolve(assignment, free, time_limit)

    search.subsolve = timed  # type: ignore[method-assign]
    assert search.repair(start, time.perf_counter() + 20) is not None
    assert len(limits) == 1 and limits[0] > 10  # a fifth of the time left would be 4 s


def test_a_start_the_model_rejects_without_a_violation_is_left_to_the_final_solve(example_dept: Path) -> None:
    """A start the checker passes but the model cannot complete: one sub-solve, then None (no wider look that
    would free every day anyway); the final solve takes the start as its hint."""
    search, start = _search_from_a_feasible_start(example_dept)
    calls: list[int] = []

    def rejected(assignment: list[list[int]], free: list[bytearray], time_limit: float) -> int:
        calls.append(sum(sum(row) for row in free))
        return int(cp_model.INFEASIBLE)

    search.subsolve = rejected  # type: ignore[method-assign]
    assert search.repair(start, time.perf_counter() + 10) is None
    assert calls == [0]  # nothing freed, asked once


def test_a_start_broken_on_one_day_is_repaired(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER: a start with nobody on day 3 is repaired around that day; the rest of the start stays."""
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 2, "preferred": 2}, "weekend": {"min": 2}}}},
         "rules": {"max_consecutive_work": 5, "min_consecutive_work": 2}},
        staff=6,
    )
    problem, rules = problem_for(ws, day(0), 14)
    good = construct(problem)
    assert not check_roster(good, problem, rules).hard
    broken = good.replace_assignments(a for a in good.assignments if a.date != day(3))
    assert any(v.rule_id == "R-COVER" for v in check_roster(broken, problem, rules).hard)
    ctx = build_model(problem, rules)
    add_hint(ctx, broken, rules)
    search = Search(ctx, rules)
    found = search.repair(broken, time.perf_counter() + 10)
    assert found is not None
    repaired = roster_from_solution(ctx, found.solver)
    assert not check_roster(repaired, problem, rules).hard
    far = {a for a in good.assignments if abs((a.date - day(3)).days) > 1}
    assert far <= set(repaired.assignments)  # outside the neighbourhood nothing moved


def test_solve_reports_the_first_roster_early_and_agrees_with_the_checker(example_dept: Path) -> None:
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon("2027-01", None, None))
    rules = ws.rules(problem)
    seen: list[float] = []
    result = solve(problem, rules, SolveOptions(time_limit=2, workers=2, seed=0),
                   lambda p: seen.append(p.seconds) if p.objective is not None else None)
    assert result.roster is not None and result.first_solution_seconds is not None
    assert result.first_solution_seconds < 2.0 and seen
    report = check_roster(result.roster, problem, rules)
    assert not report.hard and report.objective == result.objective


def test_one_worker_and_a_seed_give_the_same_roster(example_dept: Path) -> None:
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon(None, dt.date(2027, 1, 11), 4))
    rules = ws.rules(problem)
    options = SolveOptions(time_limit=10, workers=1, seed=3)
    one, two = solve(problem, rules, options), solve(problem, rules, options)
    assert one.roster is not None and two.roster is not None
    assert one.roster.assignments == two.roster.assignments
    assert one.roster.extras == two.roster.extras


def test_the_weekends_are_improved_with_every_weekday_held(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER, R-MAX-WEEKENDS: a start that leaves the weekends empty gets them filled, its weekdays kept.

    The neighbourhood ``solve`` gives the weekends of a long horizon (``WEEKENDS_FROM``): everyone free
    on Saturdays and Sundays, every weekday held as the roster has it.
    """
    cover = {"workday": {"min": 1, "preferred": 2}, "weekend": {"min": 0, "preferred": 2}}
    ws = dutyplan_department({"shifts": {"early": {"cover": cover}}, "rules": {"max_weekends": 1}}, staff=6)
    problem, rules = problem_for(ws, day(0), 14)
    weekend_days = [di for days in weekends(problem.dates).values() for di in days]
    assert len(weekend_days) == 4
    good = construct(problem)
    start = good.replace_assignments(a for a in good.assignments if a.date.weekday() < 5)
    assert not check_roster(start, problem, rules).hard
    ctx = build_model(problem, rules)
    add_hint(ctx, start, rules)
    heard: list[float] = []
    search = Search(ctx, rules, on_better=lambda objective, seconds: heard.append(objective))
    whole = search.repair(start, time.perf_counter() + 10)
    assert whole is not None and whole.objective == check_roster(start, problem, rules).objective
    assert not heard  # the repair stops at its first roster and reports it as found, not as it goes
    improved = search.improve(whole, search.days_free(weekend_days), time.perf_counter() + 10)
    assert improved.objective < whole.objective
    assert heard and min(heard) < whole.objective  # live progress heard the better rosters as they came
    roster = roster_from_solution(ctx, improved.solver)
    report = check_roster(roster, problem, rules)
    assert not report.hard and report.objective == improved.objective
    assert any(a.date.weekday() >= 5 for a in roster.assignments)
    weekdays = {a for a in roster.assignments if a.date.weekday() < 5}
    assert weekdays == set(start.assignments)  # every weekday held


def test_the_weekends_get_their_own_solve_only_on_long_horizons_with_a_limit(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-MAX-WEEKENDS binds across a long horizon: there ``solve`` gives the weekends a solve of their own.

    A month, or a department without the limit, has none.
    """
    cover = {"workday": {"min": 1, "preferred": 2}, "weekend": {"min": 0, "preferred": 2}}

    def department(rules: dict[str, Any]) -> Workspace:
        return dutyplan_department({"shifts": {"early": {"cover": cover}, "late": {"cover": cover}}, "rules": rules},
                                   staff=12, shifts=["early", "late"])

    long_days = 7 * WEEKENDS_FROM
    limited, unlimited = department({"max_weekends": 8}), department({})
    assert _weekends_bind(problem_for(limited, day(0), long_days)[0])
    assert not _weekends_bind(problem_for(limited, day(0), 28)[0])
    assert not _weekends_bind(problem_for(unlimited, day(0), long_days)[0])

    calls: list[int] = []
    improve = Search.improve

    def counted(self: Search, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return improve(self, *args, **kwargs)

    monkeypatch.setattr(Search, "improve", counted)
    problem, rules = problem_for(limited, day(0), long_days)
    result = solve(problem, rules, SolveOptions(time_limit=4, workers=1, seed=0), rules_for=limited.rules)
    assert result.roster is not None and not check_roster(result.roster, problem, rules).hard
    assert calls == [1]


def test_past_a_million_shift_variables_the_weekends_solve_has_nearly_all_the_time_left(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``WEEKENDS_ALONE_FROM``: where the final solve finds nothing, the weekends' solve keeps 0.9 of the time left.

    The same department twice, the threshold moved below it the second time: its weekends' solve is
    given more time, and the roster still keeps every rule.
    """
    cover = {"workday": {"min": 1, "preferred": 2}, "weekend": {"min": 0, "preferred": 2}}
    ws = dutyplan_department({"shifts": {"early": {"cover": cover}, "late": {"cover": cover}},
                              "rules": {"max_weekends": 8}}, staff=12, shifts=["early", "late"])
    problem, rules = problem_for(ws, day(0), 7 * WEEKENDS_FROM)
    given: list[float] = []
    improve = Search.improve

    def timed(self: Search, found: Any, free: Any, deadline: float, *args: Any) -> Any:
        given.append(deadline - time.perf_counter())
        return improve(self, found, free, deadline, *args)

    monkeypatch.setattr(Search, "improve", timed)
    for alone_from in (10**9, 0):
        monkeypatch.setattr(solve_module, "WEEKENDS_ALONE_FROM", alone_from)
        result = solve(problem, rules, SolveOptions(time_limit=6, workers=1, seed=0), rules_for=ws.rules)
        assert result.roster is not None and not check_roster(result.roster, problem, rules).hard
    half, most = given
    assert most > 1.4 * half  # 0.9 of the time left against 0.5
