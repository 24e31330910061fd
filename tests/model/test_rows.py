"""Re-planning one person's row alone (model/rows.py), for a start short of a horizon-wide limit.

The case it exists for: R-CONTRACT over the whole horizon, which the repair on the full model
would have to free for the whole horizon at once (Curtois-Qu 22: five such rows together get no
first solution in minutes; each alone takes seconds).
"""

from __future__ import annotations

import time

from dutyplan.check import check_roster
from dutyplan.domain import Problem
from dutyplan.model.construct import construct
from dutyplan.model.groups import improve_groups
from dutyplan.model.result import SolveOptions
from dutyplan.model.rows import alone, replan_rows, short_people
from dutyplan.model.solve import solve
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment
from dutyplan.rules.base import Rule
from dutyplan.testing import DepartmentFactory, ask, day, problem_for

RULES = {"contract_period": "horizon", "max_consecutive_work": 5, "min_consecutive_work": 2}


def _desk(dutyplan_department: DepartmentFactory) -> tuple[Workspace, Problem, list[Rule]]:
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 1, "preferred": 2}, "weekend": {"min": 1, "preferred": 2}}}},
         "rules": RULES, "staff": {"E01": {"min_shifts": 12, "max_shifts": 13}}},
        staff=5,
    )
    problem, rules = problem_for(ws, day(0), 21)
    return ws, problem, rules


def test_a_row_short_of_its_contract_is_replanned_and_the_others_stay(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT: E01 left with 2 of at least 12 shifts gets a whole row again; nobody else moves."""
    ws, problem, rules = _desk(dutyplan_department)
    good = construct(problem)
    e01 = sorted(a for a in good.assignments if a.staff == "E01")
    short = good.replace_assignments([a for a in good.assignments if a.staff != "E01"] + e01[:2])
    report = check_roster(short, problem, rules)
    assert short_people(report, problem) == ["E01"]

    fixed = replan_rows(problem, short, report, ws.rules, time.perf_counter() + 20)

    report = check_roster(fixed, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    assert 12 <= sum(1 for a in fixed.assignments if a.staff == "E01") <= 13
    others = {a for a in short.assignments if a.staff != "E01"}
    assert others == {a for a in fixed.assignments if a.staff != "E01"}


def test_alone_leaves_the_cover_the_others_do_not_give(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER: on a day two others work, E01 alone needs nobody; on a day nobody works, the full need."""
    _, problem, _ = _desk(dutyplan_department)
    roster = construct(problem)
    single = alone(problem, "E01", roster)
    assert single.staff_ids == ["E01"]
    for index, date in enumerate(problem.dates):
        others = sum(1 for a in roster.assignments if a.date == date and a.staff != "E01")
        full, left = problem.cover_need("early", index), single.cover_need("early", index)
        assert left.preferred == max(0, full.preferred - others)
        assert left.min == max(0, full.min - others)
        assert single.cover_need("early", index) is left  # worked out once: the rules ask several times


def test_a_feasible_start_is_not_touched(dutyplan_department: DepartmentFactory) -> None:
    ws, problem, rules = _desk(dutyplan_department)
    start = solve(problem, rules, SolveOptions(time_limit=3, workers=1), rules_for=ws.rules).roster
    assert start is not None
    report = check_roster(start, problem, rules)
    assert short_people(report, problem) == []
    assert replan_rows(problem, start, report, ws.rules, time.perf_counter() + 5) is start


def test_rows_improved_alone_lower_the_penalty_and_keep_the_rules(dutyplan_department: DepartmentFactory) -> None:
    """R-REQUEST/R-COVER: a start that puts E01 on the five days they asked off gets cheaper, and stays legal."""
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 2}, "weekend": {"min": 0, "preferred": 2}}}},
         "rules": RULES, "weights": {"fair_nights": 0, "fair_weekends": 0, "fair_holidays": 0, "fair_shifts": 0},
         "requests": ask("E01", "day_off", range(0, 5))},
        staff=4,
    )
    problem, rules = problem_for(ws, day(0), 21)
    good = construct(problem)
    asked_off = [Assignment(day(i), "E01", "early") for i in range(5)]  # a legal run, on the days E01 asked off
    start = good.replace_assignments(sorted([*(a for a in good.assignments if a.staff != "E01"), *asked_off]))
    before = check_roster(start, problem, rules)
    assert not before.hard and sum(v.cost for v in before.soft if v.rule_id == "R-REQUEST") >= 50

    better = improve_groups(problem, start, ws.rules, time.perf_counter() + 20)

    after = check_roster(better, problem, rules)
    assert not after.hard, [str(v) for v in after.hard]
    assert after.objective < before.objective
    full = solve(problem, rules, SolveOptions(time_limit=5, workers=1), rules_for=ws.rules)
    assert full.objective is not None and full.objective <= after.objective  # alone, rows cannot beat the optimum


def test_a_dated_violation_is_replanned_only_when_asked(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-CONSEC: E02 working one lone day is fixed alone with ``dated`` (the groups path), else left."""
    ws, problem, rules = _desk(dutyplan_department)
    good = construct(problem)
    lone = [Assignment(day(0), "E02", "early"), Assignment(day(1), "E02", "early"), Assignment(day(5), "E02", "early")]
    start = good.replace_assignments(sorted([*(a for a in good.assignments if a.staff != "E02"), *lone]))
    report = check_roster(start, problem, rules)
    assert any(v.rule_id == "R-MIN-CONSEC" and v.staff == "E02" for v in report.hard)
    assert "E02" not in short_people(report, problem) and "E02" in short_people(report, problem, dated=True)

    assert replan_rows(problem, start, report, ws.rules, time.perf_counter() + 20) is start
    fixed = replan_rows(problem, start, report, ws.rules, time.perf_counter() + 20, dated=True)

    after = check_roster(fixed, problem, rules)
    assert not any(v.staff == "E02" for v in after.hard), [str(v) for v in after.hard]
