"""R-MAX-CONSEC, R-MIN-CONSEC, R-MIN-OFF, R-WEEKLY-REST (rules/runs.py): runs of consecutive days.

Runs continue across the month boundary through the history tail; a run that
touches the unknown start or the end of the horizon is exempt from the
*minimum* rules.
"""

from __future__ import annotations

from typing import Any

import pytest

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
    violations_of,
)


def _one_person(dutyplan_department: DepartmentFactory, rules: dict[str, Any], **extra: Any) -> Workspace:
    return dutyplan_department({"rules": rules, **extra}, staff=1)


# -- R-MAX-CONSEC ----------------------------------------------------------------------------------
def test_solver_breaks_a_week_of_requested_work(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-CONSEC: asked to work all 7 days with a limit of 3, one request is refused (WWW-WWW).

    Without the rule all seven are granted and the checker catches the run of 7.
    """
    ws = _one_person(dutyplan_department, {"max_consecutive_work": 3},
                     requests=ask("E01", "shift_on", range(7), "early"))
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-MAX-CONSEC", result.roster, rules=rules)
    assert result.objective == 10
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 7, exclude=["R-MAX-CONSEC"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-MAX-CONSEC", count=1, staff="E01", date=day(3))


def test_checker_dates_a_long_run_on_its_first_day_over_the_limit(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-CONSEC: a run of 4 with a limit of 3 is one violation on its 4th day; a run of 3 is fine."""
    ws = dutyplan_department({"rules": {"max_consecutive_work": 3}}, staff=2)
    problem, rules = problem_for(ws, day(0), 8)
    roster = roster_from_grid(problem, {"E01": "early early early early - early early early",
                                        "E02": "early early early - early early early -"})
    caught = assert_rule_catches(problem, rules, roster, "R-MAX-CONSEC", count=1)
    assert (caught[0].staff, caught[0].date) == ("E01", day(3))
    assert "4 days in a row from 01-04 to 01-07" in caught[0].message


def test_history_counts_towards_the_run(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-CONSEC (history): three days worked before the horizon and a limit of 3 make day one a day off."""
    ws = _one_person(dutyplan_department, {"max_consecutive_work": 3},
                     history={"shifts": {"E01": ["-", "early", "early", "early"]}},
                     requests=ask("E01", "shift_on", [0, 1], "early"))
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None
    assert result.roster.shift_on("E01", day(0)) is None
    assert result.objective == 10
    assert_rule_holds(problem, "R-MAX-CONSEC", result.roster, rules=rules)

    roster = roster_from_grid(problem, {"E01": "early - -"})
    caught = assert_rule_catches(problem, rules, roster, "R-MAX-CONSEC", count=1, staff="E01", date=day(0))
    assert "4 days in a row from before the horizon" in caught[0].message


# -- R-WEEKLY-REST -----------------------------------------------------------------------------------
def test_weekly_rest_needs_a_day_off_in_every_seven(dutyplan_department: DepartmentFactory) -> None:
    """R-WEEKLY-REST: 8 days of requested work with weekly rest: one refused; without it none."""
    ws = _one_person(dutyplan_department, {"weekly_rest": True, "max_consecutive_work": 20},
                     requests=ask("E01", "shift_on", range(8), "early"))
    problem, rules, result = solve_department(ws, day(0), 8)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-WEEKLY-REST", result.roster, rules=rules)
    assert result.objective == 10

    problem, rules, loose = solve_department(ws, day(0), 8, exclude=["R-WEEKLY-REST"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-WEEKLY-REST", count=1, date=day(6))
    assert "8 days in a row" in caught[0].message


def test_weekly_rest_is_checked_separately_from_max_consecutive(dutyplan_department: DepartmentFactory) -> None:
    """R-WEEKLY-REST reports under its own id, even when R-MAX-CONSEC allows the run."""
    ws = dutyplan_department({"rules": {"weekly_rest": True, "max_consecutive_work": 10}}, staff=1)
    problem, rules = problem_for(ws, day(0), 8)
    roster = roster_from_grid(problem, {"E01": "early " * 7 + "-"})
    assert_rule_catches(problem, rules, roster, "R-WEEKLY-REST", count=1, staff="E01", date=day(6))
    assert_rule_holds(problem, "R-MAX-CONSEC", roster, rules=rules)


# -- R-MIN-CONSEC --------------------------------------------------------------------------------------
def test_solver_refuses_a_lone_working_day(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-CONSEC: off Monday, work Tuesday, off Wednesday (asked) would be a run of 1 < 3: cost 10.

    Without the rule all three requests are granted and the checker catches the short run.
    """
    ws = _one_person(dutyplan_department, {"min_consecutive_work": 3},
                     requests=ask("E01", "day_off", [0, 2]) + ask("E01", "shift_on", [1], "early"))
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-MIN-CONSEC", result.roster, rules=rules)
    assert result.objective == 10
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 7, exclude=["R-MIN-CONSEC"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-MIN-CONSEC", staff="E01", date=day(1))


@pytest.mark.parametrize(
    ("history", "line", "caught_on"),
    [
        (None, "early - - - - - -", []),                  # first run: may have started before (unknown)
        (None, "- - - - - - early", []),                  # last run: may go on after the horizon
        (None, "- early - - early early early", [1]),     # interior run of 1; the last run is exempt
        (None, "- early early - - early -", [1, 5]),      # two interior runs, each dated on its first day
        (["-"], "early - - - - - -", [0]),                 # known day off before: no longer an edge run
        (["-", "early"], "early - - - - - -", [0]),        # run of 2 continued from history, dated day one
        (["early", "early"], "early - - - - - -", []),     # run of 3 continued from history
        (["early", "-", "early"], "- - early early early - -", [0]),  # history left a run of 1 open; day one closes it
    ],
)
def test_checker_exempts_edge_runs_and_continues_history(
    dutyplan_department: DepartmentFactory, history: list[str] | None, line: str, caught_on: list[int]
) -> None:
    """R-MIN-CONSEC: runs at the horizon's edges are exempt unless history shows where they began."""
    extra = {"history": {"shifts": {"E01": history}}} if history else {}
    ws = _one_person(dutyplan_department, {"min_consecutive_work": 3}, **extra)
    problem, rules = problem_for(ws, day(0), 7)
    found = violations_of("R-MIN-CONSEC", problem, rules, roster_from_grid(problem, {"E01": line}))
    assert [(v.staff, v.date) for v in found] == [("E01", day(i)) for i in caught_on]


def test_checker_counts_every_short_interior_run(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-CONSEC: two short interior runs are two violations, each dated on its first day."""
    ws = _one_person(dutyplan_department, {"min_consecutive_work": 3})
    problem, rules = problem_for(ws, day(0), 7)
    roster = roster_from_grid(problem, {"E01": "- early early - early - -"})
    assert_rule_catches(problem, rules, roster, "R-MIN-CONSEC", count=1, date=day(1), message="run of 2 working days")
    assert_rule_catches(problem, rules, roster, "R-MIN-CONSEC", count=1, date=day(4), message="run of 1 working day ")
    assert_rule_catches(problem, rules, roster, "R-MIN-CONSEC", count=2)


def test_solver_keeps_history_continued_runs_long_enough(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-CONSEC (history): a run begun the day before the horizon is not an edge run.

    E01 worked only the last day of the previous roster. Working day one too
    (asked) makes a run of 2 that must go on to day 2, which E01 asked off: one
    of the two wishes is refused (10). Without the history the run would start
    at the unknown edge, be exempt, and both wishes would be granted.
    """
    wishes = ask("E01", "shift_on", [0], "early") + ask("E01", "day_off", [1])
    ws = _one_person(dutyplan_department, {"min_consecutive_work": 3},
                     history={"shifts": {"E01": ["-", "early"]}}, requests=wishes)
    problem, rules, result = solve_department(ws, day(0), 5)
    assert result.status == "optimal" and result.roster is not None
    assert result.objective == 10
    assert_rule_holds(problem, "R-MIN-CONSEC", result.roster, rules=rules)

    fresh = _one_person(dutyplan_department, {"min_consecutive_work": 3}, requests=wishes)
    problem, rules, result = solve_department(fresh, day(0), 5)
    assert result.objective == 0 and result.roster is not None
    assert_rule_holds(problem, "R-MIN-CONSEC", result.roster, rules=rules)


def test_min_consec_of_one_registers_no_rule(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-CONSEC / R-MIN-OFF: a minimum of 1 is no rule at all (every run is at least 1 long)."""
    ws = _one_person(dutyplan_department, {"min_consecutive_work": 1, "min_consecutive_off": 1})
    _problem, rules = problem_for(ws, day(0), 3)
    assert not {"R-MIN-CONSEC", "R-MIN-OFF"} & {r.id for r in rules}


# -- R-MIN-OFF -----------------------------------------------------------------------------------------
def test_solver_gives_days_off_in_pairs(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-OFF: asked to work every day but Wednesday, a lone day off is too short: one refusal (10)."""
    ws = _one_person(dutyplan_department, {"min_consecutive_off": 2},
                     requests=ask("E01", "shift_on", [0, 1, 3, 4, 5, 6], "early") + ask("E01", "day_off", [2]))
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-MIN-OFF", result.roster, rules=rules)
    assert result.objective == 10

    problem, rules, loose = solve_department(ws, day(0), 7, exclude=["R-MIN-OFF"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-MIN-OFF", count=1, date=day(2))
    assert "run of 1 day off" in caught[0].message


@pytest.mark.parametrize(
    ("history", "line", "caught_on"),
    [
        (None, "- early early early early early early", None),   # first run exempt
        (None, "early early early early early early -", None),   # last run exempt
        (None, "early - early early - - early", 1),               # a lone day off inside
        (["early"], "- early early early early early early", 0),  # worked the day before: not an edge
        (["-"], "- early early early early early early", None),   # two days off across the boundary
    ],
)
def test_checker_min_off_edges_and_history(
    dutyplan_department: DepartmentFactory, history: list[str] | None, line: str, caught_on: int | None
) -> None:
    """R-MIN-OFF: the same edge and history semantics as R-MIN-CONSEC, for runs of days off."""
    extra = {"history": {"shifts": {"E01": history}}} if history else {}
    ws = _one_person(dutyplan_department, {"min_consecutive_off": 2}, **extra)
    problem, rules = problem_for(ws, day(0), 7)
    found = violations_of("R-MIN-OFF", problem, rules, roster_from_grid(problem, {"E01": line}))
    assert [(v.staff, v.date) for v in found] == ([] if caught_on is None else [("E01", day(caught_on))])
