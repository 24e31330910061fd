"""plugins/cashier: the till demand curve (R-COVER), split shifts, the gift store pair (X-TWO-PERSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dutyplan.errors import InputError
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

from .support import uses

SHIFTS = {"early": {"start": dt.time(8, 0), "end": dt.time(16, 0)},
          "late": {"start": dt.time(14, 0), "end": dt.time(22, 0)}}
CASHIER = {"skills": ["cashier"]}
GIFT = {"skills": ["cashier", "gift_store"]}


def _tills(demand: list[dict[str, Any]], section: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    return uses("cashier", {"skill": "cashier", "demand": demand, **(section or {})}, **more)


def test_tills_follow_the_demand_curve_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/tills: 2 tills 09-12 (early only), 1 till 17-20 (late only): 3 of 4 cashiers work each day."""
    demand = [{"hours": "09:00-12:00", "tills": 2}, {"hours": "17:00-20:00", "tills": 1}]
    wishes = [r for sid in ("E01", "E02", "E03", "E04") for r in ask(sid, "day_off", range(2))]
    ws = dutyplan_department(_tills(demand, requests=wishes, shifts=SHIFTS), staff=[CASHIER] * 4,
                             shifts=["early", "late"])
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-COVER/tills", result.roster, rules=rules)
    assert result.objective == 2 * 3 * 10
    for d in problem.dates:
        assert len(result.roster.on(d, "early")) == 2 and len(result.roster.on(d, "late")) == 1
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 2, exclude=["R-COVER/tills"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-COVER/tills", count=4)
    assert "0 cashier at the tills at 01-04 09:00-12:00, 2 tills to staff" in caught[0].message
    assert "01-04 17:00-20:00, 1 tills" in caught[1].message


def test_overlapping_demand_takes_the_highest_and_days_select(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/tills: entries overlap (the highest counts) and apply on their days only (weekend here)."""
    demand = [{"hours": "09:00-20:00", "tills": 1}, {"days": ["sat", "sun"], "hours": "10:00-12:00", "tills": 3}]
    ws = dutyplan_department(_tills(demand, shifts=SHIFTS), staff=[CASHIER] * 4, shifts=["early", "late"])
    problem, rules = problem_for(ws, day(4), 3)  # Friday, Saturday, Sunday
    roster = roster_from_grid(problem, {"E01": "early early early", "E02": "late late early",
                                        "E03": "- early early"})
    caught = assert_rule_catches(problem, rules, roster, "R-COVER/tills", count=1, date=day(5))
    assert "2 cashier at the tills at 01-09 10:00-12:00, 3 tills" in caught[0].message


def test_split_shift_counts_only_in_its_parts(dutyplan_department: DepartmentFactory) -> None:
    """A split shift 10-21 with parts 10-14 and 17-21 is away 14-17: the late shift must cover then."""
    shifts = {"split": {"start": dt.time(10, 0), "end": dt.time(21, 0)},
              "late": {"start": dt.time(14, 0), "end": dt.time(22, 0)}}
    demand = [{"hours": "10:00-21:00", "tills": 1}]
    split = {"split": {"parts": ["10:00-14:00", "17:00-21:00"]}}
    wishes = [r for sid in ("E01", "E02") for r in ask(sid, "shift_off", range(2), "late")]
    ws = dutyplan_department(_tills(demand, {"split": split}, requests=wishes, shifts=shifts),
                             staff=[CASHIER] * 2, shifts=["split", "late"])
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.roster is not None and result.objective == 2 * 10  # a late shift each day after all
    assert_rule_holds(problem, "R-COVER/tills", result.roster, rules=rules)
    roster = roster_from_grid(problem, {"E01": "split split", "E02": "- late"})
    caught = assert_rule_catches(problem, rules, roster, "R-COVER/tills", count=1, date=day(0))
    assert "01-04 14:00-17:00" in caught[0].message


@pytest.mark.parametrize(("section", "where", "words"), [
    ({"demand": [{"hours": "10:00-12:00", "tills": 1}], "split": {"split": {"parts": ["10:00-13:00", "17:00-20:00"]}}},
     "cashier.split.split.parts", "the envelope of its parts"),
    ({"demand": [{"hours": "09:00-12:00", "tills": 1}], "split": {"lunch": {"parts": ["10:00-13:00", "17:00-21:00"]}}},
     "cashier.split.lunch", "unknown shift id 'lunch'"),
    ({"demand": [{"hours": "14:00-17:00", "tills": 1}], "split": {"split": {"parts": ["10:00-14:00", "17:00-21:00"]}}},
     "cashier.demand", "no roster can have 1 cashier on shift at 01-04 14:00-17:00"),
    ({"demand": [{"hours": "10:00-12:00", "tills": 3}]}, "cashier.demand", "too few people have the skill"),
    ({"demand": [{"hours": "10:00-12:00", "till": 1}]}, "cashier.demand[0].till", "did you mean 'tills'?"),
    ({"demand": [{"days": ["weekday"], "hours": "10:00-12:00", "tills": 1}]}, "cashier.demand[0].days",
     "unknown day 'weekday'"),
    ({"demand": [{"hours": "10:00-12:00", "tills": 1}], "gift_store": {"windows": ["09:00-09:30"], "skill": "gift"}},
     "cashier.gift_store.skill", "nobody has the skill 'gift'"),
])
def test_bad_section_names_the_key_and_the_plugin(
    dutyplan_department: DepartmentFactory, section: dict[str, Any], where: str, words: str
) -> None:
    shifts = {"split": {"start": dt.time(10, 0), "end": dt.time(21, 0)}}
    with pytest.raises(InputError) as caught:
        ws = dutyplan_department(uses("cashier", {"skill": "cashier", **section}, shifts=shifts),
                                 staff=[CASHIER] * 2, shifts=["split"])
        problem_for(ws, day(0), 1)
    message = str(caught.value)
    assert where in message and words in message and "plugin 'cashier'" in message


def test_gift_store_opened_by_two_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """X-TWO-PERSON: only E01 and E02 may open the gift store at 09:00; E02 wants two days off."""
    demand = [{"hours": "09:00-12:00", "tills": 1}]
    store = {"windows": ["09:00-09:30"], "people": 2, "skill": "gift_store"}
    ws = dutyplan_department(_tills(demand, {"gift_store": store}, requests=ask("E02", "day_off", range(2)),
                                    shifts=SHIFTS), staff=[GIFT, GIFT, CASHIER], shifts=["early", "late"])
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.roster is not None and result.objective == 2 * 10
    assert_rule_holds(problem, "X-TWO-PERSON", result.roster, rules=rules)
    assert all({"E01", "E02"} <= set(result.roster.on(d, "early")) for d in problem.dates)

    problem, rules, loose = solve_department(ws, day(0), 2, exclude=["X-TWO-PERSON"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "X-TWO-PERSON", count=2)
    assert "gift store window 01-04 09:00-09:30 has 1 gift_store people on shift, 2 must enter together" \
        in caught[0].message


def test_meals_at_the_tills_are_counted_from_the_meal_plan(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/tills with R-MEAL: in its meal window a shift counts for what R-MEAL keeps at the post.

    The early shift's meals keep ``min_at_post = 1`` cashier at the tills, so
    the second till at lunch needs the late shift (10-18); and a meal plan that
    sends two cashiers to eat at once leaves a till empty, which the checker sees.
    """
    shifts = {**SHIFTS, "late": {"start": dt.time(10, 0), "end": dt.time(18, 0)}}
    demand = [{"hours": "09:00-15:00", "tills": 1}, {"hours": "11:00-13:00", "tills": 2}]
    meals = {"early": {"windows": ["11:00-13:00"], "minutes": 30, "min_at_post": 1, "skill": "cashier"}}
    wishes = [r for sid in ("E01", "E02", "E03", "E04") for r in ask(sid, "shift_off", [0], "late")]
    ws = dutyplan_department(_tills(demand, meals=meals, requests=wishes, shifts=shifts), staff=[CASHIER] * 4,
                             shifts=["early", "late"])
    problem, rules, result = solve_department(ws, day(0), 1)
    assert result.roster is not None and result.objective == 10
    assert_rule_holds(problem, "R-COVER/tills", result.roster, rules=rules)
    assert len(result.roster.on(day(0), "early")) >= 2 and len(result.roster.on(day(0), "late")) == 1

    roster = roster_from_grid(problem, {"E01": "early", "E02": "early", "E03": "late"})
    roster.extras["meals"] = {f"{day(0)}": {"E01": "11:00-11:30", "E02": "11:00-11:30"}}
    caught = assert_rule_catches(problem, rules, roster, "R-COVER/tills", count=1)
    assert "1 cashier at the tills at 01-04 11:00-11:30, 2 tills" in caught[0].message
