"""R-LOCK (rules/locks.py): days fixed in advance keep their shift, or their day off."""

from __future__ import annotations

import datetime as dt

from dutyplan.model.rows import alone
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

LOCKED: dict[tuple[str, dt.date], str | None] = {
    ("E01", day(1)): "early",
    ("E02", day(1)): None,
    ("E02", day(2)): "late",
    ("E01", day(30)): "early",  # outside the horizon: ignored
}


def test_solver_keeps_locked_days_against_wishes(dutyplan_department: DepartmentFactory) -> None:
    """R-LOCK: E01 asks Tuesday off and E02 asks to work it, both locked the other way: 2 x 10.

    Without the rule both wishes are granted and the checker catches both locked days.
    """
    ws = dutyplan_department({"requests": ask("E01", "day_off", [1]) + ask("E02", "shift_on", [1], "early")},
                             staff=2, shifts=2)
    problem, rules, result = solve_department(ws, day(0), 3, locked=LOCKED)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-LOCK", result.roster, rules=rules)
    assert result.roster.shift_on("E02", day(2)) == "late"
    assert result.objective == 20
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 3, locked=LOCKED, exclude=["R-LOCK"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-LOCK", date=day(1))
    assert {v.staff for v in caught} == {"E01", "E02"}


def test_checker_reports_each_changed_day(dutyplan_department: DepartmentFactory) -> None:
    """R-LOCK: a changed shift and a worked locked day off are one violation each, in date order."""
    ws = dutyplan_department(staff=2, shifts=2)
    problem, rules = problem_for(ws, day(0), 3, locked=LOCKED)
    roster = roster_from_grid(problem, {"E01": "- late -", "E02": "- early late"})
    caught = assert_rule_catches(problem, rules, roster, "R-LOCK", count=2)
    assert [(v.staff, v.date, v.shift) for v in caught] == [("E01", day(1), "late"), ("E02", day(1), "early")]
    assert caught[0].message == "E01 on 01-05 was fixed to early but has late"
    assert caught[1].message == "E02 on 01-05 was fixed to a day off but has early"


def test_no_locks_no_rule(dutyplan_department: DepartmentFactory) -> None:
    """R-LOCK is only registered when something is locked."""
    ws = dutyplan_department(staff=2, shifts=2)
    _problem, rules = problem_for(ws, day(0), 3)
    assert "R-LOCK" not in {r.id for r in rules}
    problem, rules = problem_for(ws, day(0), 3, locked=LOCKED)
    assert_rule_holds(problem, "R-LOCK", roster_from_grid(problem, {"E01": "- early -", "E02": "- - late"}),
                      rules=rules)


def test_a_sub_problem_answers_only_for_its_own_people(dutyplan_department: DepartmentFactory) -> None:
    """R-LOCK: E02 re-planned alone (model/rows.py) is not blamed for E01's locked early shift.

    The model of such a sub-problem never held E01's lock; its checker did, so every row of E02
    broke a hard rule there and was thrown away (found by the property test in tests/test_property.py).
    """
    ws = dutyplan_department(staff=2, shifts=2)
    problem, _rules = problem_for(ws, day(0), 3, locked=LOCKED)
    roster = roster_from_grid(problem, {"E01": "- early -", "E02": "- - late"})
    e02 = alone(problem, "E02", roster)
    assert e02.locked == problem.locked  # the copy keeps everyone's locks ...
    row = roster.replace_assignments([a for a in roster.assignments if a.staff == "E02"])
    assert_rule_holds(e02, "R-LOCK", row, rules=ws.rules(e02))  # ... but answers for E02 only
    moved = row.replace_assignments([a for a in row.assignments if a.date != day(2)])
    assert [v.staff for v in assert_rule_catches(e02, ws.rules(e02), moved, "R-LOCK")] == ["E02"]
