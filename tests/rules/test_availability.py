"""R-AVAILABLE (rules/availability.py): nobody works on leave, when unavailable, or on a fixed day off."""

from __future__ import annotations

from typing import Any

from dutyplan.planner import Workspace
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

# Monday 01-04 .. Friday 01-08: one blocked day of each kind, and a request to work exactly then.
STAFF: list[dict[str, Any]] = [
    {"id": "E01", "leave": [{"start": day(0), "end": day(1), "type": "annual"}], "weekly_days_off": ["fri"]},
    {"id": "E02", "unavailable": [day(2)]},
    {"id": "E03", "days_off": [day(3)]},
]
WISHES = (
    ask("E01", "shift_on", [0, 1, 4], "early")
    + ask("E02", "shift_on", [2], "early")
    + ask("E03", "shift_on", [3], "early")
)


def _department(dutyplan_department: DepartmentFactory) -> Workspace:
    return dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 1}}}}, "requests": WISHES}, staff=STAFF
    )


def test_solver_keeps_everyone_off_when_unavailable(dutyplan_department: DepartmentFactory) -> None:
    """R-AVAILABLE: five requests to work on blocked days (leave, unavailable, fixed and weekly day off).

    The solver refuses all five (5 x 10); without the rule it grants them and
    the checker catches five violations.
    """
    ws = _department(dutyplan_department)
    problem, rules, result = solve_department(ws, day(0), 5)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-AVAILABLE", result.roster, rules=rules)
    assert result.objective == 50
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 5, exclude=["R-AVAILABLE"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-AVAILABLE", count=5)


def test_checker_names_each_reason(dutyplan_department: DepartmentFactory) -> None:
    """R-AVAILABLE: each blocked day worked is one violation, with the person, date and reason."""
    ws = _department(dutyplan_department)
    problem, rules = problem_for(ws, day(0), 5)
    roster = roster_from_grid(problem, {
        "E01": "- early early - early",  # leave on Tuesday, weekly day off on Friday
        "E02": "early - early - -",      # unavailable on Wednesday
        "E03": "- - - early -",          # fixed day off on Thursday
    })
    assert_rule_catches(problem, rules, roster, "R-AVAILABLE", count=4)
    assert_rule_catches(problem, rules, roster, "R-AVAILABLE", count=1, staff="E01", date=day(1),
                        shift="early", message="annual leave")
    assert_rule_catches(problem, rules, roster, "R-AVAILABLE", count=1, staff="E01", date=day(4),
                        message="weekly day off")
    assert_rule_catches(problem, rules, roster, "R-AVAILABLE", count=1, staff="E02", date=day(2),
                        message="unavailable")
    assert_rule_catches(problem, rules, roster, "R-AVAILABLE", count=1, staff="E03", date=day(3),
                        message="fixed day off")


def test_checker_accepts_work_around_the_blocked_days(dutyplan_department: DepartmentFactory) -> None:
    """R-AVAILABLE: the day after leave ends and the other weekdays are free to work."""
    ws = _department(dutyplan_department)
    problem, rules = problem_for(ws, day(0), 5)
    roster = roster_from_grid(problem, {"E01": "- - early early -", "E02": "early early - early early"})
    assert_rule_holds(problem, "R-AVAILABLE", roster, rules=rules)
