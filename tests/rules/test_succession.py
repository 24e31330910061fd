"""R-REST (rules/succession.py): shifts that may not follow each other on consecutive days.

Shift times (DEFAULT_SHIFTS): early 07-15, late 15-23, night 23-07. With
min_rest_hours = 11 this forbids late->early (8 h), night->early (0 h) and
night->late (8 h).
"""

from __future__ import annotations

from dutyplan.rules.succession import forbidden_pairs
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


def test_min_rest_hours_forbids_the_short_turnarounds(dutyplan_department: DepartmentFactory) -> None:
    """R-REST: 11 hours of rest forbid exactly the three pairs with less rest."""
    ws = dutyplan_department({"rules": {"min_rest_hours": 11}}, shifts=3)
    problem, _rules = problem_for(ws, day(0), 2)
    assert set(forbidden_pairs(problem)) == {("late", "early"), ("night", "early"), ("night", "late")}


def test_solver_respects_not_followed_by(dutyplan_department: DepartmentFactory) -> None:
    """R-REST (not_followed_by): asked for late then early, one of the two is refused (cost 10)."""
    ws = dutyplan_department(
        {"shifts": {"late": {"not_followed_by": ["early"]}},
         "requests": ask("E01", "shift_on", [0], "late") + ask("E01", "shift_on", [1], "early")},
        staff=1, shifts=2,
    )
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-REST", result.roster, rules=rules)
    assert result.objective == 10

    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["R-REST"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-REST", count=1, staff="E01", date=day(1))


def test_solver_respects_min_rest_hours(dutyplan_department: DepartmentFactory) -> None:
    """R-REST (min_rest_hours): night, late, early asked on three days; refusing the late suffices (10)."""
    ws = dutyplan_department(
        {"rules": {"min_rest_hours": 11},
         "requests": ask("E01", "shift_on", [0], "night") + ask("E01", "shift_on", [1], "late")
         + ask("E01", "shift_on", [2], "early")},
        staff=1, shifts=3,
    )
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-REST", result.roster, rules=rules)
    assert result.objective == 10
    assert [result.roster.shift_on("E01", d) for d in problem.dates] == ["night", None, "early"]
    assert_solution_consistent(problem, rules, result)


def test_checker_catches_forbidden_pairs(dutyplan_department: DepartmentFactory) -> None:
    """R-REST: each forbidden pair is one violation, dated on the second day, naming the reason."""
    ws = dutyplan_department({"rules": {"min_rest_hours": 11}, "shifts": {"early": {"not_followed_by": ["night"]}}},
                             staff=2, shifts=3)
    problem, rules = problem_for(ws, day(0), 5)
    roster = roster_from_grid(problem, {
        "E01": "night early - late early",   # 0 h rest on Tuesday, 8 h on Friday
        "E02": "early night night - late",   # early->night forbidden by not_followed_by on Tuesday
    })
    assert_rule_catches(problem, rules, roster, "R-REST", count=3)
    assert_rule_catches(problem, rules, roster, "R-REST", count=1, staff="E01", date=day(1), shift="early",
                        message="only 0 h rest, 11 h needed")
    assert_rule_catches(problem, rules, roster, "R-REST", count=1, staff="E01", date=day(4), message="8 h rest")
    assert_rule_catches(problem, rules, roster, "R-REST", count=1, staff="E02", date=day(1),
                        message="night may not follow early")


HISTORY = {"shifts": {"E01": ["early", "night"], "E02": ["night", "-"]}}


def test_solver_continues_across_the_month_boundary(dutyplan_department: DepartmentFactory) -> None:
    """R-REST (history): E01 worked a night on the day before the horizon, so no early on day one.

    E02's night was two days before: an early on day one is fine. The solver
    refuses E01's request only (cost 10).
    """
    ws = dutyplan_department(
        {"rules": {"min_rest_hours": 11}, "history": HISTORY,
         "requests": ask("E01", "shift_on", [0], "early") + ask("E02", "shift_on", [0], "early")},
        staff=2, shifts=3,
    )
    problem, rules, result = solve_department(ws, day(0), 3)
    assert problem.history == {"E01": ["early", "night"], "E02": ["night", None]}
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-REST", result.roster, rules=rules)
    assert result.roster.shift_on("E01", day(0)) is None
    assert result.roster.shift_on("E02", day(0)) == "early"
    assert result.objective == 10


def test_checker_uses_history_only_when_it_reaches_the_day_before(dutyplan_department: DepartmentFactory) -> None:
    """R-REST (history): the night before day one counts; a history ending earlier says nothing."""
    ws = dutyplan_department({"rules": {"min_rest_hours": 11}, "history": HISTORY}, staff=2, shifts=3)
    problem, rules = problem_for(ws, day(0), 2)
    roster = roster_from_grid(problem, {"E01": "early -", "E02": "early -"})
    assert_rule_catches(problem, rules, roster, "R-REST", count=1, staff="E01", date=day(0),
                        message="night then early")

    gap = dutyplan_department({"rules": {"min_rest_hours": 11},
                               "history": {**HISTORY, "end": day(-2)}}, staff=2, shifts=3)
    problem, rules = problem_for(gap, day(0), 2)
    assert problem.history == {}
    assert_rule_holds(problem, "R-REST", roster_from_grid(problem, {"E01": "early -"}), rules=rules)
