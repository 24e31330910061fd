"""R-ONE-SHIFT (rules/structure.py): at most one shift a person a day."""

from __future__ import annotations

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


def test_solver_never_gives_two_shifts_a_day(dutyplan_department: DepartmentFactory) -> None:
    """R-ONE-SHIFT: asked for both early and late on the same days, one person gets one of them.

    Without the structural rule the solver would grant both requests each day;
    with it exactly one request a day is refused, so the optimum is 3 x 10.
    """
    ws = dutyplan_department(
        {"requests": ask("E01", "shift_on", range(3), "early") + ask("E01", "shift_on", range(3), "late")},
        staff=1, shifts=2,
    )
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal"
    assert result.roster is not None
    assert_rule_holds(problem, "R-ONE-SHIFT", result.roster, rules=rules)
    assert [len(result.roster.shifts_on("E01", d)) for d in problem.dates] == [1, 1, 1]
    assert result.objective == 30
    assert_solution_consistent(problem, rules, result)


def test_checker_catches_two_shifts_on_one_day(dutyplan_department: DepartmentFactory) -> None:
    """R-ONE-SHIFT: a roster from elsewhere (a CSV) with early+late on Tuesday is caught once."""
    ws = dutyplan_department(staff=2, shifts=3)
    problem, rules = problem_for(ws, day(0), 3)
    roster = roster_from_grid(problem, {"E01": "early early+late -", "E02": "night - early+late+night"})
    assert_rule_catches(problem, rules, roster, "R-ONE-SHIFT", count=1, staff="E01", date=day(1))
    caught = assert_rule_catches(problem, rules, roster, "R-ONE-SHIFT", count=1, staff="E02", date=day(2))
    assert "3 shifts" in caught[0].message
    assert_rule_catches(problem, rules, roster, "R-ONE-SHIFT", count=2, severity="hard")


def test_checker_accepts_one_shift_a_day(dutyplan_department: DepartmentFactory) -> None:
    """R-ONE-SHIFT: a shift every day (even back to back) is not a second shift."""
    ws = dutyplan_department(staff=2, shifts=3)
    problem, _rules = problem_for(ws, day(0), 3)
    roster = roster_from_grid(problem, {"E01": "early late night", "E02": "night night -"})
    assert_rule_holds(ws, "R-ONE-SHIFT", roster)
