"""R-MEAL and R-COVER at meal times: staggered meals that never leave the desk empty."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from dutyplan.check import check_roster
from dutyplan.errors import InfeasibleError
from dutyplan.features.meals import MealSpec, parse_span, plan_meals, settings_of, slots
from dutyplan.model.solve import SolveOptions, solve
from dutyplan.planner import Workspace, plan

MONDAY = dt.date(2027, 1, 4)
MEALS = {"meals": {"early": {"windows": ["11:00-13:30"], "minutes": 35, "grid": 15, "min_at_post": 1,
                             "skill": "frontdesk"}}}


def _solve(ws: Workspace, days: int = 3):  # type: ignore[no-untyped-def]
    problem = ws.problem(ws.horizon(None, MONDAY, days))
    rules = ws.rules(problem)
    result = solve(problem, rules, SolveOptions(time_limit=5, workers=1, seed=0))
    return problem, rules, result


def test_desk_of_two_gets_staggered_meals(make_department: Callable[..., Workspace]) -> None:
    """R-MEAL: two people, one must stay: they eat one after the other, and check passes."""
    ws = make_department({**MEALS, "shifts": {"early": {"cover": {"workday": {"min": 2, "max": 2}}}}}, staff=2)
    problem, rules, result = _solve(ws)
    assert result.roster is not None
    meals = result.roster.extras["meals"]
    for day in problem.dates:
        spans = sorted(parse_span(s) for s in meals[f"{day:%Y-%m-%d}"].values())
        assert len(spans) == 2
        assert spans[0][1] <= spans[1][0], "the two meals overlap: the desk would be empty"
        assert all(a >= 660 and b <= 810 and b - a == 35 for a, b in spans)
    assert check_roster(result.roster, problem, rules).ok


def test_desk_of_one_is_infeasible_with_day_and_shift_named(make_department: Callable[..., Workspace]) -> None:
    """R-MEAL: a desk of one with one person required at the post cannot eat: infeasible, named."""
    ws = make_department({**MEALS, "shifts": {"early": {"cover": {"workday": {"min": 1, "max": 1}}}}}, staff=3)
    with pytest.raises(InfeasibleError) as caught:
        plan(ws, ws.horizon(None, MONDAY, 2), SolveOptions(time_limit=5, workers=1), write=False)
    message = str(caught.value)
    assert "R-MEAL" in message and "early 01-04" in message
    assert "R-COVER" in message


def test_roster_stage_plans_extra_people_for_meals(make_department: Callable[..., Workspace]) -> None:
    """R-MEAL + R-COVER: coverage asks for 1, the meal rule needs 2 at the desk: the roster has 2."""
    ws = make_department({**MEALS}, staff=3)
    problem, _rules, result = _solve(ws)
    assert result.roster is not None
    for day in problem.dates:
        assert len(result.roster.on(day, "early")) >= 2


def test_checker_catches_empty_desk_and_long_break(make_department: Callable[..., Workspace]) -> None:
    """R-MEAL: a hand-edited plan with both eating at once, or a 50-minute break, is caught."""
    ws = make_department({**MEALS, "shifts": {"early": {"cover": {"workday": {"min": 2, "max": 2}}}}}, staff=2)
    problem, rules, result = _solve(ws, days=1)
    assert result.roster is not None
    key = f"{MONDAY:%Y-%m-%d}"
    both = dataclasses.replace(result.roster)
    both.extras = {**result.roster.extras, "meals": {key: {"E01": "11:00-11:35", "E02": "11:15-11:50"}}}
    violations = [v for v in check_roster(both, problem, rules).hard if v.rule_id == "R-MEAL"]
    assert len(violations) == 1 and "only 0 frontdesk at the post" in violations[0].message
    long = dataclasses.replace(result.roster)
    long.extras = {**result.roster.extras, "meals": {key: {"E01": "11:00-11:50", "E02": "12:00-12:35"}}}
    violations = [v for v in check_roster(long, problem, rules).hard if v.rule_id == "R-MEAL"]
    assert [v.staff for v in violations] == ["E01"] and "50 min" in violations[0].message
    missing = dataclasses.replace(result.roster)
    missing.extras = {**result.roster.extras, "meals": {}}
    assert len([v for v in check_roster(missing, problem, rules).hard if v.rule_id == "R-MEAL"]) == 2


def test_max_away_limits_how_many_eat_at_once(make_department: Callable[..., Workspace]) -> None:
    """R-MEAL: with max_away 1 and a window for 3 meals, at most 3 people can work the shift."""
    meals = {"meals": {"early": {**MEALS["meals"]["early"], "max_away": 1, "min_at_post": 0}}}
    ws = make_department({**meals, "shifts": {"early": {"cover": {"workday": {"min": 1, "preferred": 5}}}}},
                         staff=5)
    problem, _rules, result = _solve(ws, days=1)
    assert result.roster is not None
    spec = settings_of(problem).shifts["early"]  # type: ignore[union-attr]
    assert len(slots(spec, problem.department.shift_by_id["early"])) == 3
    assert len(result.roster.on(MONDAY, "early")) == 3
    spans = sorted(parse_span(s) for s in result.roster.extras["meals"][f"{MONDAY:%Y-%m-%d}"].values())
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_plan_meals_spreads_skilled_people_first(make_department: Callable[..., Workspace]) -> None:
    """The constructed plan keeps min_at_post skilled people at the post at every slot."""
    ws = make_department({**MEALS, "shifts": {"early": {"cover": {"workday": {"min": 4, "max": 4}}}}}, staff=4)
    problem, rules, result = _solve(ws, days=1)
    assert result.roster is not None
    settings = settings_of(problem)
    assert settings is not None
    again = plan_meals(result.roster, problem, settings)
    assert again == result.roster.extras["meals"]
    assert check_roster(result.roster, problem, rules).ok


def test_window_too_short_for_the_meal_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="long enough"):
        MealSpec(windows=["11:00-11:20"], minutes=35)
    with pytest.raises(ValueError):
        MealSpec(windows=["11:00-13:00"], minutes=40)  # R-MEAL: at most 35 minutes


def test_overlapping_windows_are_a_config_error() -> None:
    """Two windows over the same time would count it twice in the meal capacity: refused."""
    with pytest.raises(ValueError, match="overlap"):
        MealSpec(windows=["11:00-13:30", "12:00-14:00"], minutes=30)
    assert MealSpec(windows=["11:00-12:00", "12:00-13:00"], minutes=30)  # touching is fine
