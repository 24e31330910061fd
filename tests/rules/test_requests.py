"""R-REQUEST (rules/requests.py): staff wishes, each not granted costing its weight (soft)."""

from __future__ import annotations

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
    violations_of,
)

WISHES = (
    ask("E01", "day_off", [0], weight=None)            # the department's default weight (weights.request = 5)
    + ask("E01", "shift_on", [1], "late", weight=7)
    + ask("E02", "shift_off", [2], "early", weight=3)
    + ask("E02", "day_off", [3], weight=0)              # weight 0: a note, never a cost
    + ask("E02", "day_off", [9])                        # outside the horizon: not in play
)


def test_checker_costs_each_request_not_granted(dutyplan_department: DepartmentFactory) -> None:
    """R-REQUEST: day_off, shift_on and shift_off not granted cost their weights (5, 7, 3); weight 0 nothing."""
    ws = dutyplan_department({"requests": WISHES}, staff=2, shifts=2)
    problem, rules = problem_for(ws, day(0), 4)
    roster = roster_from_grid(problem, {"E01": "early early - -", "E02": "- - early early"})
    assert_rule_catches(problem, rules, roster, "R-REQUEST", count=3, severity="soft", cost=15)
    assert_rule_catches(problem, rules, roster, "R-REQUEST", count=1, staff="E01", date=day(0), cost=5,
                        message="asked for 01-04 off but works early")
    assert_rule_catches(problem, rules, roster, "R-REQUEST", count=1, staff="E01", date=day(1), shift="late", cost=7)
    assert_rule_catches(problem, rules, roster, "R-REQUEST", count=1, staff="E02", date=day(2), shift="early", cost=3)


def test_checker_accepts_granted_requests(dutyplan_department: DepartmentFactory) -> None:
    """R-REQUEST: working another shift than the one asked off grants a shift_off request."""
    ws = dutyplan_department({"requests": WISHES}, staff=2, shifts=2)
    problem, rules = problem_for(ws, day(0), 4)
    roster = roster_from_grid(problem, {"E01": "- late - -", "E02": "- - late -"})
    assert_rule_holds(problem, "R-REQUEST", roster, rules=rules)
    assert len(rules[[r.id for r in rules].index("R-REQUEST")].requests) == 4  # type: ignore[attr-defined]


def test_solver_grants_the_heavier_of_two_clashing_wishes(dutyplan_department: DepartmentFactory) -> None:
    """R-REQUEST: clashing wishes cost the lighter one; solver penalty equals the checker's (3 + 4)."""
    wishes = (
        ask("E01", "shift_on", [0], "early", 7) + ask("E01", "day_off", [0], weight=3)
        + ask("E01", "shift_off", [1], "early", 4) + ask("E01", "shift_on", [1], "early", 6)
        + ask("E01", "shift_on", [2], "late", 2)
    )
    ws = dutyplan_department({"requests": wishes}, staff=1, shifts=2)
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    assert [result.roster.shift_on("E01", d) for d in problem.dates] == ["early", "early", "late"]
    assert assert_penalty_matches(problem, rules, result, "R-REQUEST") == 7
    assert result.objective == 7
    assert_solution_consistent(problem, rules, result)
    assert {v.cost for v in violations_of("R-REQUEST", problem, rules, result.roster)} == {3, 4}
