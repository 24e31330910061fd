"""R-HOURS (rules/hours.py): 40 h a week on average plus the monthly overtime cap, in one of four modes.

For a 7-day horizon the limit is 40 h (2400 min) plus 36 h x 7/30 (504 min):
2904 min, 48.4 h. Six 8-hour shifts (2880 min) fit; seven (3360 min) are 456
minutes over, which is 8 started hours.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutyplan.planner import Workspace
from dutyplan.rules.hours import overtime_cap_minutes, standard_minutes
from dutyplan.testing import (
    DepartmentFactory,
    ask,
    assert_penalty_matches,
    assert_rule_catches,
    assert_rule_holds,
    assert_solution_consistent,
    day,
    problem_for,
    roster_from_grid,
    solve_department,
)

SEVEN_DAYS = "early " * 7


def _department(dutyplan_department: DepartmentFactory, mode: str, weight: int = 10, **extra: Any) -> Workspace:
    return dutyplan_department({"rules": {"hours": {"mode": mode, "weight": weight}}, **extra}, staff=2)


def test_limit_is_pro_rated_for_a_week_and_a_month(dutyplan_department: DepartmentFactory) -> None:
    """R-HOURS: 2400 + 504 minutes in a week; in January 10629 + 2160 (the monthly cap unscaled)."""
    ws = _department(dutyplan_department, "hard")
    week, _ = problem_for(ws, day(0), 7)
    assert (standard_minutes(week), overtime_cap_minutes(week)) == (2400, 504)
    month, _ = problem_for(ws, "2027-01")
    assert (standard_minutes(month), overtime_cap_minutes(month)) == (10629, 2160)


def test_hard_mode_forbids_the_seventh_shift(dutyplan_department: DepartmentFactory) -> None:
    """R-HOURS (hard): seven requested shifts, one refused (10); without the rule, caught as hard."""
    ws = _department(dutyplan_department, "hard", requests=ask("E01", "shift_on", range(7), "early"))
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-HOURS", result.roster, rules=rules)
    assert result.objective == 10

    problem, rules, loose = solve_department(ws, day(0), 7, exclude=["R-HOURS"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-HOURS", count=1, staff="E01",
                        severity="hard", cost=0)


@pytest.mark.parametrize(("weight", "objective", "shifts"), [(1, 8, 7), (2, 10, 6)])
def test_soft_mode_costs_weight_per_started_hour(
    dutyplan_department: DepartmentFactory, weight: int, objective: int, shifts: int
) -> None:
    """R-HOURS (soft): 7.6 h over cost 8 started hours x weight; the solver trades it against a wish (10).

    At weight 1 the seventh shift (8) is cheaper than refusing it (10); at
    weight 2 (16) it is not. Either way the solver's R-HOURS penalty equals the
    checker's recomputation.
    """
    ws = _department(dutyplan_department, "soft", weight, requests=ask("E01", "shift_on", range(7), "early"))
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert result.objective == objective
    assert len(list(result.roster.by_staff("E01"))) == shifts
    assert assert_penalty_matches(problem, rules, result, "R-HOURS") == (8 * weight if shifts == 7 else 0)
    assert_solution_consistent(problem, rules, result)


@pytest.mark.parametrize(("paid", "cost"), [(414, 0), (415, 3), (480, 24)])
def test_checker_soft_cost_rounds_up_to_the_started_hour(
    dutyplan_department: DepartmentFactory, paid: int, cost: int
) -> None:
    """R-HOURS (soft, weight 3): 7 x 414 = 2898 min fits; 7 x 415 is one minute over and costs a whole hour."""
    ws = _department(dutyplan_department, "soft", 3, shifts={"early": {"paid_minutes": paid}})
    problem, rules = problem_for(ws, day(0), 7)
    roster = roster_from_grid(problem, {"E01": SEVEN_DAYS})
    if cost:
        assert_rule_catches(problem, rules, roster, "R-HOURS", count=1, staff="E01", severity="soft", cost=cost)
    else:
        assert_rule_holds(problem, "R-HOURS", roster, rules=rules)


def test_warn_mode_reports_without_cost_or_constraint(dutyplan_department: DepartmentFactory) -> None:
    """R-HOURS (warn): the solver ignores the limit; the checker reports a warning costing nothing."""
    ws = _department(dutyplan_department, "warn", requests=ask("E01", "shift_on", range(7), "early"))
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.objective == 0 and result.roster is not None
    assert_rule_catches(problem, rules, result.roster, "R-HOURS", count=1, staff="E01", severity="warning", cost=0)
    report = assert_solution_consistent(problem, rules, result)
    assert report.ok and len(report.warnings) == 1


def test_off_mode_registers_no_rule(dutyplan_department: DepartmentFactory) -> None:
    """R-HOURS (off): no rule at all."""
    ws = _department(dutyplan_department, "off")
    _problem, rules = problem_for(ws, day(0), 7)
    assert "R-HOURS" not in {r.id for r in rules}
