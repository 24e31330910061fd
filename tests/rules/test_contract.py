"""R-CONTRACT (rules/contract.py): min/max shifts, min/max paid minutes and a maximum per shift type.

Limits are monthly by default and pro-rated when the horizon is not a calendar
month: a 7-day horizon is 7 / 30.4375 of a month, minimums rounded down,
maximums rounded up.
"""

from __future__ import annotations

from dutyplan.rules.contract import contract_limits
from dutyplan.testing import (
    DepartmentFactory,
    ask,
    assert_rule_catches,
    assert_rule_holds,
    assert_solution_consistent,
    day,
    problem_for,
    roster_from_grid,
    solve_department,
)


def test_limits_are_pro_rated_for_a_week_and_kept_for_a_month(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT: 20..22 shifts a month is 4..6 in a week (4.6 down, 5.06 up); a month keeps 20..22."""
    ws = dutyplan_department({"staff": {"E01": {"min_shifts": 20, "max_shifts": 22, "min_minutes": 9000,
                                                "max_per_shift": {"early": 10, "late": 0}}}}, staff=1, shifts=2)
    week, _ = problem_for(ws, day(0), 7)
    limits = contract_limits(ws.department.staff[0], week)
    assert (limits.min_shifts, limits.max_shifts, limits.min_minutes) == (4, 6, 2069)
    assert limits.max_per_shift == {"early": 3, "late": 0}
    month, _ = problem_for(ws, "2027-01")
    limits = contract_limits(ws.department.staff[0], month)
    assert (limits.min_shifts, limits.max_shifts, limits.max_per_shift) == (20, 22, {"early": 10, "late": 0})

    per_horizon = dutyplan_department({"rules": {"contract_period": "horizon"},
                                       "staff": {"E01": {"min_shifts": 5, "max_shifts": 6}}}, staff=1)
    week, _ = problem_for(per_horizon, day(0), 7)
    limits = contract_limits(per_horizon.department.staff[0], week)
    assert (limits.min_shifts, limits.max_shifts) == (5, 6)


def test_solver_keeps_the_pro_rated_maximum(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT (max_shifts): 18 a month is at most 5 in a week: two of seven wishes refused (20).

    Without the rule all seven are granted and the checker catches 7 > 5.
    """
    ws = dutyplan_department({"staff": {"E01": {"max_shifts": 18}},
                              "requests": ask("E01", "shift_on", range(7), "early")}, staff=1)
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-CONTRACT", result.roster, rules=rules)
    assert result.objective == 20
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 7, exclude=["R-CONTRACT"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-CONTRACT", count=1, staff="E01",
                        message="has 7 shifts, at most 5")


def test_solver_keeps_the_pro_rated_minimum(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT (min_shifts): 20 a month is at least 4 in a week: four day-off wishes refused (40)."""
    ws = dutyplan_department({"staff": {"E01": {"min_shifts": 20}}, "requests": ask("E01", "day_off", range(7))},
                             staff=1)
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-CONTRACT", result.roster, rules=rules)
    assert result.objective == 40


def test_solver_keeps_paid_minutes_within_the_contract(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT (max_minutes, per horizon): 1000 paid minutes allow two 8-hour shifts of five asked (30)."""
    ws = dutyplan_department({"rules": {"contract_period": "horizon"}, "staff": {"E01": {"max_minutes": 1000}},
                              "requests": ask("E01", "shift_on", range(5), "early")}, staff=1)
    problem, rules, result = solve_department(ws, day(0), 5)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-CONTRACT", result.roster, rules=rules)
    assert result.objective == 30


def test_max_per_shift_zero_bars_the_shift(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT (max_per_shift = 0): never a night, even when asked for one (10); early is still allowed."""
    ws = dutyplan_department({"staff": {"E01": {"max_per_shift": {"night": 0}}},
                              "requests": ask("E01", "shift_on", [0], "night") + ask("E01", "shift_on", [1], "early")},
                             staff=1, shifts=["early", "night"])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-CONTRACT", result.roster, rules=rules)
    assert result.objective == 10
    assert result.roster.shift_on("E01", day(1)) == "early"


def test_checker_reports_each_broken_limit(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT: shifts, minutes and per-shift limits are separate violations, per person."""
    ws = dutyplan_department(
        {"rules": {"contract_period": "horizon"},
         "shifts": {"late": {"paid_minutes": 300}},
         "staff": {"E01": {"min_shifts": 3, "min_minutes": 1300},
                   "E02": {"max_shifts": 2, "max_per_shift": {"late": 0, "early": 1}}}},
        staff=2, shifts=2,
    )
    problem, rules = problem_for(ws, day(0), 4)
    roster = roster_from_grid(problem, {"E01": "early late - -", "E02": "early late early -"})
    # E01: 2 shifts < 3, 480 + 300 = 780 minutes < 1300. E02: 3 > 2 shifts, a late (0 allowed), 2 earlies (1).
    assert_rule_catches(problem, rules, roster, "R-CONTRACT", count=2, staff="E01")
    assert_rule_catches(problem, rules, roster, "R-CONTRACT", count=1, staff="E01", message="780 paid minutes")
    assert_rule_catches(problem, rules, roster, "R-CONTRACT", count=3, staff="E02")
    assert_rule_catches(problem, rules, roster, "R-CONTRACT", count=1, staff="E02", shift="late", date=day(1))
    assert_rule_catches(problem, rules, roster, "R-CONTRACT", count=1, staff="E02", shift="early", date=day(2),
                        message="works 2 early shifts, at most 1")


def test_checker_uses_monthly_limits_for_a_calendar_month(dutyplan_department: DepartmentFactory) -> None:
    """R-CONTRACT: in January (31 days) a minimum of 18 shifts is not pro-rated: 17 is one short."""
    ws = dutyplan_department({"staff": {"E01": {"min_shifts": 18}}}, staff=1)
    problem, rules = problem_for(ws, "2027-01")
    short = roster_from_grid(problem, {"E01": "early " * 17 + "- " * 14})
    assert_rule_catches(problem, rules, short, "R-CONTRACT", count=1, staff="E01", message="has 17 shifts, at least 18")
    assert_rule_holds(ws, "R-CONTRACT", roster_from_grid(problem, {"E01": "early " * 18 + "- " * 13}))
