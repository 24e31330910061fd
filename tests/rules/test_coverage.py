"""R-COVER (rules/coverage.py): head count per shift and day (hard min/max, soft preferred) and per skill."""

from __future__ import annotations

from typing import Any

from dutyplan.planner import Workspace
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


def test_solver_keeps_the_minimum_against_day_off_requests(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER (min, hard): all three ask for Tuesday off, two must work it anyway.

    Without R-COVER all three requests are granted and the checker catches the
    empty shift; with it exactly two are refused (2 x 10).
    """
    requests = [r for sid in ("E01", "E02", "E03") for r in ask(sid, "day_off", [1])]
    ws = dutyplan_department({"shifts": {"early": {"cover": {"workday": {"min": 2}}}}, "requests": requests}, staff=3)
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-COVER", result.roster, rules=rules)
    assert len(result.roster.on(day(1), "early")) == 2
    assert result.objective == 20
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["R-COVER"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-COVER", date=day(1), shift="early")


def test_solver_keeps_the_maximum_against_shift_requests(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER (max, hard): three ask for early on Monday, at most one may have it."""
    requests = [r for sid in ("E01", "E02", "E03") for r in ask(sid, "shift_on", [0], "early")]
    ws = dutyplan_department({"shifts": {"early": {"cover": {"workday": {"max": 1}}}}, "requests": requests}, staff=3)
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-COVER", result.roster, rules=rules)
    assert result.objective == 20


def test_checker_counts_min_and_max_per_shift_and_day(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER: every shift-day under its min or over its max is one hard violation, dated."""
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 2, "max": 2}}}, "late": {"cover": {"workday": {"min": 1}}}}},
        staff=4, shifts=2,
    )
    problem, rules = problem_for(ws, day(0), 3)
    roster = roster_from_grid(problem, {
        "E01": "early early early",
        "E02": "early - early",
        "E03": "early late -",
        "E04": "late late -",
    })
    # Monday: early 3 > 2; Tuesday: early 1 < 2; Wednesday: late 0 < 1.
    assert_rule_catches(problem, rules, roster, "R-COVER", count=3, severity="hard")
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(0), shift="early", message="at most 2")
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(1), shift="early", message="at least 2")
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(2), shift="late")


def test_checker_costs_preferred_short_and_over(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER (preferred, soft): each person short costs coverage_under, each above costs coverage_over.

    Short is counted from the minimum (what is below the minimum is a hard
    violation already), over up to the maximum.
    """
    ws = dutyplan_department(
        {
            "shifts": {"early": {"cover": {"workday": {"min": 1, "preferred": 3, "max": 4}}}},
            "weights": {"coverage_under": 100, "coverage_over": 7},
        },
        staff=5,
    )
    problem, rules = problem_for(ws, day(0), 4)
    roster = roster_from_grid(problem, {
        "E01": "early early - early",
        "E02": "early early - early",
        "E03": "- early - early",
        "E04": "- early - early",
        "E05": "- - - early",
    })
    # Mon 2 people: 1 short (100). Tue 4: 1 over (7). Wed 0: below min (hard) + 2 short from min (200).
    # Thu 5: above max (hard), over counted up to max: 1 (7).
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(0), severity="soft", cost=100)
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(1), severity="soft", cost=7)
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(2), severity="soft", cost=200)
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(3), severity="soft", cost=7)
    assert_rule_catches(problem, rules, roster, "R-COVER", count=2, severity="hard")


def test_solver_penalty_for_preferred_equals_checker(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER (soft): two people cannot reach a preferred three, 100 a day; asked-for extras cost 20.

    Monday: both ask for early (weight 50) and get it, one over the preferred
    one on late (20). Every other day the two cover early and are one short of
    three (100 a day). The solver's R-COVER penalty equals the checker's.
    """
    ws = dutyplan_department(
        {
            "shifts": {
                "early": {"cover": {"workday": {"min": 1, "preferred": 3}}},
                "late": {"cover": {"workday": {"preferred": 1}}},
            },
            "weights": {"coverage_under": 100, "coverage_over": 20},
            "requests": ask("E03", "shift_on", [0], "late", 50) + ask("E04", "shift_on", [0], "late", 50),
        },
        staff=[{"id": "E01"}, {"id": "E02"}, {"id": "E03", "max_per_shift": {"early": 0}},
               {"id": "E04", "max_per_shift": {"early": 0}}],
        shifts=2,
    )
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    assert result.roster.on(day(0), "late") == ["E03", "E04"]
    assert assert_penalty_matches(problem, rules, result, "R-COVER") == 3 * 100 + 20
    assert result.objective == 320
    assert_solution_consistent(problem, rules, result)


def test_demand_override_replaces_the_day_type_level(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER: a [[demand]] entry for one date replaces the workday level for that shift."""
    ws = dutyplan_department(
        {
            "shifts": {"early": {"cover": {"workday": {"min": 1}}}},
            "demand": [{"date": day(1), "shift": "early", "min": 3}],
        },
        staff=3,
    )
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None
    assert_rule_holds(problem, "R-COVER", result.roster, rules=rules)
    assert len(result.roster.on(day(1), "early")) == 3
    roster = roster_from_grid(problem, {"E01": "early early early", "E02": "- early -"})
    assert_rule_catches(problem, rules, roster, "R-COVER", count=1, date=day(1), message="at least 3")


KEYS = {"shifts": {"early": {"cover": {"workday": {"min": 1, "max": 1}, "weekend": {"min": 1, "max": 1}}}}}


def _skill_department(dutyplan_department: DepartmentFactory, day_types: list[str] | None = None) -> Workspace:
    skill: dict[str, Any] = {"skill": "key_holder", "min": 1, "day_types": day_types}
    return dutyplan_department(
        {**KEYS, "shifts": {"early": {**KEYS["shifts"]["early"], "skill_cover": [skill]}},
         "requests": ask("E01", "day_off", [1])},
        staff=[{"id": "E01", "skills": ["key_holder"]}, {"id": "E02"}, {"id": "E03"}],
    )


def test_solver_puts_a_key_holder_on_every_early(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER (skill): the only key holder asks for Tuesday off and is refused (cost 10).

    Without the skill rule someone else covers Tuesday and the checker catches it.
    """
    ws = _skill_department(dutyplan_department)
    problem, rules, result = solve_department(ws, day(0), 4)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-COVER/early/key_holder", result.roster, rules=rules)
    assert result.roster.on(day(1), "early") == ["E01"]
    assert result.objective == 10

    problem, rules, loose = solve_department(ws, day(0), 4, exclude=["R-COVER/early/key_holder"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-COVER/early/key_holder",
                        count=1, date=day(1), shift="early")


def test_checker_catches_an_early_without_key_holder_only_on_listed_day_types(
    dutyplan_department: DepartmentFactory,
) -> None:
    """R-COVER (skill): with day_types = ["weekend"], a workday without a key holder is fine."""
    ws = _skill_department(dutyplan_department, ["weekend"])
    problem, rules = problem_for(ws, day(4), 3)  # Friday, Saturday, Sunday
    roster = roster_from_grid(problem, {"E01": "- early -", "E02": "early - early"})
    caught = assert_rule_catches(problem, rules, roster, "R-COVER/early/key_holder", count=1, date=day(6))
    assert "0 key_holder" in caught[0].message
    assert violations_of("R-COVER", problem, rules, roster) == caught  # head counts themselves are met
