"""R-MAX-WEEKENDS (rules/weekends.py): at most N weekends worked; either day worked counts the weekend."""

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
    violations_of,
)

# day(0) is Monday 01-04: days 5, 6 are the first weekend (01-09, 01-10), days 12, 13 the second.


def test_solver_keeps_to_one_weekend(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-WEEKENDS: asked for Saturday and Sunday of one weekend and Saturday of the next, with 1 allowed.

    Both days of the first weekend count once, so only the second Saturday is
    refused (10). Without the rule all three are granted and the checker
    catches the second weekend.
    """
    ws = dutyplan_department({"rules": {"max_weekends": 1},
                              "requests": ask("E01", "shift_on", [5, 6, 12], "early")}, staff=1)
    problem, rules, result = solve_department(ws, day(0), 14)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-MAX-WEEKENDS", result.roster, rules=rules)
    assert result.objective == 10
    assert result.roster.shift_on("E01", day(12)) is None
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 14, exclude=["R-MAX-WEEKENDS"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-MAX-WEEKENDS", count=1, staff="E01", date=day(12))


def test_checker_counts_weekends_not_days(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-WEEKENDS: per-person limits override the default; dated on a day worked in the first weekend over."""
    ws = dutyplan_department({"rules": {"max_weekends": 1}, "staff": {"E02": {"max_weekends": 2}}}, staff=2)
    problem, rules = problem_for(ws, day(0), 14)
    weekdays = "- - - - - "
    roster = roster_from_grid(problem, {
        "E01": weekdays + "early early " + weekdays + "- early",   # 2 weekends (the second one by Sunday)
        "E02": weekdays + "early - " + weekdays + "early early",   # 2 weekends, E02 may work 2
    })
    caught = assert_rule_catches(problem, rules, roster, "R-MAX-WEEKENDS", count=1, staff="E01", date=day(13))
    assert "works 2 weekends (01-09, 01-16), at most 1" in caught[0].message
    assert violations_of("R-MAX-WEEKENDS", problem, rules, roster) == caught


def test_weekends_cut_by_the_horizon_count_with_their_days_inside(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-WEEKENDS: a horizon from Sunday to Saturday holds two (partial) weekends."""
    ws = dutyplan_department({"rules": {"max_weekends": 1}}, staff=1)
    problem, rules = problem_for(ws, day(-1), 7)  # Sunday 01-03 .. Saturday 01-09
    roster = roster_from_grid(problem, {"E01": "early - - - - - early"})
    assert_rule_catches(problem, rules, roster, "R-MAX-WEEKENDS", count=1, staff="E01", date=day(5))
    assert_rule_holds(problem, "R-MAX-WEEKENDS", roster_from_grid(problem, {"E01": "early early - - - - -"}),
                      rules=rules)


def test_violation_is_dated_inside_the_horizon(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-WEEKENDS (max 0): a Sunday worked at the start of the horizon is dated on that Sunday.

    Its weekend's Saturday lies before the horizon; the violation used to carry that date.
    """
    ws = dutyplan_department({"rules": {"max_weekends": 0}}, staff=1)
    problem, rules = problem_for(ws, day(-1), 7)  # Sunday 01-03 .. Saturday 01-09
    roster = roster_from_grid(problem, {"E01": "early - - - - - -"})
    caught = assert_rule_catches(problem, rules, roster, "R-MAX-WEEKENDS", count=1, staff="E01", date=day(-1))
    assert caught[0].message.endswith("at most 0")
