"""R-FAIR (rules/fairness.py): the gap between the most and least loaded person, per category, costs its weight.

Counts include the running totals from history; people with fairness = false,
people barred from every shift of the category and people unavailable all
horizon are outside the pool.
"""

from __future__ import annotations

from dutyplan.testing import (
    DepartmentFactory,
    assert_penalty_matches,
    assert_rule_catches,
    assert_rule_holds,
    assert_solution_consistent,
    day,
    problem_for,
    roster_from_grid,
    solve_department,
)

ONE_EARLY = {"shifts": {"early": {"cover": {"workday": {"min": 1, "max": 1}, "weekend": {"min": 1, "max": 1}}}}}


def test_checker_costs_the_spread_of_shifts(dutyplan_department: DepartmentFactory) -> None:
    """R-FAIR (shifts): counts 3, 1, 0 are a spread of 3, at weight 2 a cost of 6; history counts add in."""
    ws = dutyplan_department({"weights": {"fair_shifts": 2}}, staff=3)
    problem, rules = problem_for(ws, day(0), 4)
    roster = roster_from_grid(problem, {"E01": "early early early -", "E02": "- - - early"})
    assert_rule_catches(problem, rules, roster, "R-FAIR/shifts", count=1, severity="soft", cost=6,
                        message="shifts range from 0 (E03) to 3 (E01)")

    ws = dutyplan_department({"weights": {"fair_shifts": 2}, "history": {"counts": {"E03": {"shifts": 3}}}}, staff=3)
    problem, rules = problem_for(ws, day(0), 4)
    assert_rule_catches(problem, rules, roster_from_grid(problem, {"E01": "early early early -", "E02": "- - - early"}),
                        "R-FAIR/shifts", count=1, cost=4)  # 3, 1, 3


def test_pool_leaves_out_part_timers_barred_and_absent_people(dutyplan_department: DepartmentFactory) -> None:
    """R-FAIR: fairness = false, max_per_shift night = 0, or leave all horizon keep a person out of a pool."""
    ws = dutyplan_department(
        {"weights": {"fair_nights": 10, "fair_shifts": 1},
         "staff": {"E02": {"fairness": False}, "E03": {"max_per_shift": {"night": 0}},
                   "E04": {"leave": [{"start": day(0), "end": day(3)}]}}},
        staff=5, shifts=["early", "night"],
    )
    problem, rules = problem_for(ws, day(0), 4)
    pools = {r.key: getattr(r, "pool", None) for r in rules if r.id == "R-FAIR"}
    assert pools == {"R-FAIR/nights": ["E01", "E05"], "R-FAIR/shifts": ["E01", "E03", "E05"]}
    roster = roster_from_grid(problem, {
        "E01": "night night - -", "E02": "early early early early", "E03": "early early - -", "E05": "- - night night",
    })
    assert_rule_holds(problem, "R-FAIR", roster, rules=rules)  # E02 (a part-timer) works 4: not unfair

    alone = dutyplan_department({"weights": {"fair_nights": 10}, "staff": {"E02": {"fairness": False}}},
                                staff=2, shifts=["night"])
    _problem, rules = problem_for(alone, day(0), 4)
    assert "R-FAIR" not in {r.id for r in rules}  # a pool of one has nobody to be unfair to


def test_solver_penalty_equals_checker_with_history_counts(dutyplan_department: DepartmentFactory) -> None:
    """R-FAIR (shifts, history): one early a day for 7 days, E01 already 5 ahead: best is 5, 4, 3 (cost 2 x 2)."""
    ws = dutyplan_department({**ONE_EARLY, "weights": {"fair_shifts": 2},
                              "history": {"counts": {"E01": {"shifts": 5}}}}, staff=3)
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-COVER", result.roster, rules=rules)
    assert len(list(result.roster.by_staff("E01"))) == 0
    assert assert_penalty_matches(problem, rules, result, "R-FAIR") == 4
    assert result.objective == 4
    assert_solution_consistent(problem, rules, result)


def test_solver_spreads_nights_and_weekends(dutyplan_department: DepartmentFactory) -> None:
    """R-FAIR (nights, weekends): 7 nights over 3 people spread 3/2/2 (10); 2 weekend shifts 1/1/0 (20)."""
    ws = dutyplan_department(
        {"shifts": {"night": ONE_EARLY["shifts"]["early"]},
         "weights": {"fair_nights": 10, "fair_weekends": 20}},
        staff=3, shifts=["night"],
    )
    problem, rules, result = solve_department(ws, day(0), 7)
    assert result.status == "optimal" and result.roster is not None
    assert assert_penalty_matches(problem, rules, result, "R-FAIR") == 30
    assert result.objective == 30
    assert_solution_consistent(problem, rules, result)
