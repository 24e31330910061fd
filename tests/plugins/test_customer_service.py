"""plugins/customer_service: R-COVER at the desk, R-KEY and R-HANDOVER, each both ways.

"Both ways": the solver never breaks the rule, and it *binds* (staff ask for
exactly what the rule forbids, so the optimum refuses a known number of
requests; without the rule every request is granted and the checker catches
the roster that comes back); and the checker catches a hand-made roster.
"""

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

EARLY, LATE = {"start": dt.time(7, 0), "end": dt.time(15, 30)}, {"start": dt.time(15, 0), "end": dt.time(23, 0)}
DESK = ["frontdesk"]
KEY = ["frontdesk", "key_holder"]


def _desk(section: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    base = {"desk_skill": "frontdesk", "hours": {"workday": "08:00-22:00"}}
    return uses("customer_service", {**base, **(section or {})}, **more)


def test_desk_staffed_every_open_minute_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/desk: four people want three days off; two at the desk at every open minute needs all four.

    R-KEY and R-HANDOVER alone need only one person on each shift: without the
    desk rule two of the four get their day off each day.
    """
    wishes = [r for sid in ("E01", "E02", "E03", "E04") for r in ask(sid, "day_off", range(3))]
    ws = dutyplan_department(_desk({"min_at_desk": 2}, requests=wishes, shifts={"early": EARLY, "late": LATE}),
                             staff=[{"skills": KEY}] * 4, shifts=["early", "late"])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.status == "optimal" and result.roster is not None
    for rule in ("R-COVER/desk", "R-KEY", "R-HANDOVER"):
        assert_rule_holds(problem, rule, result.roster, rules=rules)
    assert result.objective == 3 * 4 * 10  # nobody gets a day off
    assert_solution_consistent(problem, rules, result)

    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["R-COVER/desk"])
    assert loose.objective == 3 * 2 * 10 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-COVER/desk", count=6)
    assert [v.date for v in caught] == [day(0), day(0), day(1), day(1), day(2), day(2)]
    # alone all day but for the half hour at 15:00 when the two shifts overlap
    assert "1 frontdesk at 01-04 08:00-15:00" in caught[0].message
    assert "1 frontdesk at 01-04 15:30-22:00" in caught[1].message


def test_desk_checker_counts_only_the_desk_skill_and_merges_a_gap(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/desk: a back-office person on the late shift does not staff the desk."""
    ws = dutyplan_department(_desk(shifts={"early": EARLY, "late": LATE}),
                             staff=[{"skills": KEY}, {"skills": ["backoffice", "key_holder"]}],
                             shifts=["early", "late"])
    problem, rules = problem_for(ws, day(0), 2)
    roster = roster_from_grid(problem, {"E01": "early early", "E02": "late -"})
    caught = assert_rule_catches(problem, rules, roster, "R-COVER/desk", count=2)
    assert "01-04 15:30-22:00" in caught[0].message
    assert "01-05 15:30-22:00" in caught[1].message


def test_meal_breaks_count_at_the_desk(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/desk with R-MEAL: the solver staffs meals; a lone person at lunch leaves the desk empty."""
    meals = {"early": {"windows": ["11:00-13:00"], "minutes": 30, "min_at_post": 1, "skill": "frontdesk"}}
    ws = dutyplan_department(_desk({"hours": {"workday": "07:00-15:00"}}, meals=meals),
                             staff=[{"skills": KEY}] * 3, shifts=["early"])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None
    assert_rule_holds(problem, "R-COVER/desk", result.roster, rules=rules)
    assert all(len(result.roster.on(d, "early")) >= 2 for d in problem.dates)

    lone = roster_from_grid(problem, {"E01": "early - -", "E02": "- early early", "E03": "- early early"})
    lone.extras["meals"] = {f"{day(0)}": {"E01": "11:00-11:30"},
                            f"{day(1)}": {"E02": "11:00-11:30", "E03": "11:30-12:00"},
                            f"{day(2)}": {"E02": "11:00-11:30", "E03": "11:00-11:30"}}
    caught = assert_rule_catches(problem, rules, lone, "R-COVER/desk", count=2)
    assert caught[0].date == day(0) and "11:00-11:30" in caught[0].message and "E01 at meal" in caught[0].message
    assert caught[1].date == day(2) and "E02, E03 at meal" in caught[1].message


def test_meals_without_the_desk_skill_cannot_keep_the_desk(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/desk: meals that guarantee *anyone* at the post do not guarantee a receptionist: a file error."""
    meals = {"early": {"windows": ["11:00-13:00"], "minutes": 30, "min_at_post": 1}}
    with pytest.raises(InputError) as caught:
        ws = dutyplan_department(_desk({"hours": {"workday": "07:00-15:00"}}, meals=meals),
                                 staff=[{"skills": KEY}] * 3, shifts=["early"])
        problem_for(ws, day(0), 1)
    assert "no roster can staff the front desk at 01-04 11:00-13:00" in str(caught.value)
    assert "plugin 'customer_service'" in str(caught.value)


def test_key_holder_opens_and_closes_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """R-KEY: E03 (no key) wants every early shift; a key holder must open anyway."""
    wishes = (ask("E03", "shift_on", range(3), "early") + ask("E01", "shift_off", range(3), "early")
              + ask("E02", "shift_off", range(3), "early"))
    ws = dutyplan_department(_desk(requests=wishes, shifts={"early": EARLY, "late": LATE}),
                             staff=[{"skills": KEY}, {"skills": KEY}, {"skills": DESK}],
                             shifts=["early", "late"])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None
    assert_rule_holds(problem, "R-KEY", result.roster, rules=rules)
    assert result.objective == 3 * 10  # a key holder on every early shift: one refused wish a day
    key = next(r for r in rules if r.id == "R-KEY")
    assert [(m.kind, m.instance.shift) for m in key.moments[:2]] == [("opening", "early"), ("closing", "late")]

    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["R-KEY"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-KEY", count=3, shift="early")
    assert all("opens the desk at 08:00" in v.message for v in caught)


def test_a_named_key_hand_over_lets_someone_else_open(dutyplan_department: DepartmentFactory) -> None:
    """R-KEY: on day 1 the key was handed to E03, so E03 may open alone that day (one refusal fewer)."""
    wishes = (ask("E03", "shift_on", range(3), "early") + ask("E01", "shift_off", range(3), "early")
              + ask("E02", "shift_off", range(3), "early"))
    handover = [{"date": day(1), "from": "E01", "to": "E03", "when": "opening"}]
    ws = dutyplan_department(_desk({"key_handover": handover}, requests=wishes, shifts={"early": EARLY, "late": LATE}),
                             staff=[{"skills": KEY}, {"skills": KEY}, {"skills": DESK}], shifts=["early", "late"])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None and result.objective == 2 * 10
    assert_rule_holds(problem, "R-KEY", result.roster, rules=rules)
    roster = roster_from_grid(problem, {"E01": "late late late", "E03": "early early early"})
    caught = assert_rule_catches(problem, rules, roster, "R-KEY", count=2)
    assert [v.date for v in caught] == [day(0), day(2)]


def test_handover_needs_the_next_shift_there_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """R-HANDOVER: early ends at 15:00; only the middle shift overlaps it by 30 minutes (late starts at 15:00)."""
    shifts = {"early": {"start": dt.time(7, 0), "end": dt.time(15, 0)},
              "middle": {"start": dt.time(11, 0), "end": dt.time(19, 0)},
              "late": {"start": dt.time(15, 0), "end": dt.time(23, 0)}}
    wishes = [r for sid in ("E01", "E02", "E03") for r in ask(sid, "shift_off", range(3), "middle")]
    ws = dutyplan_department(_desk({"hours": {"workday": "07:00-23:00"}}, requests=wishes, shifts=shifts),
                             staff=[{"skills": KEY}] * 3, shifts=["early", "middle", "late"])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None and result.objective == 3 * 10
    assert_rule_holds(problem, "R-HANDOVER", result.roster, rules=rules)

    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["R-HANDOVER"])
    assert loose.objective == 0 and loose.roster is not None
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-HANDOVER", count=3, shift="early")
    assert "at 01-04 15:00" in caught[0].message and "nobody on middle" in caught[0].message


def test_shifts_without_overlap_are_a_file_error_or_a_warning(dutyplan_department: DepartmentFactory) -> None:
    """R-HANDOVER at load: early 07-15 and late 15-23 never overlap; the file says so, or the check warns."""
    shifts = {"early": {"start": dt.time(7, 0), "end": dt.time(15, 0)},
              "late": {"start": dt.time(15, 0), "end": dt.time(23, 0)}}
    section = {"hours": {"workday": "07:00-23:00"}}
    ws = dutyplan_department(_desk(section, shifts=shifts), staff=[{"skills": KEY}] * 2, shifts=["early", "late"])
    with pytest.raises(InputError) as caught:
        problem_for(ws, day(0), 2)
    message = str(caught.value)
    assert "shift 'early' ends at 15:00" in message and "the next shift starts at 15:00" in message
    assert "customer_service.handover_minutes" in message and "handover_check" in message

    ws = dutyplan_department(_desk({**section, "handover_check": "warn"}, shifts=shifts),
                             staff=[{"skills": KEY}] * 2, shifts=["early", "late"])
    problem, rules = problem_for(ws, day(0), 2)
    roster = roster_from_grid(problem, {"E01": "early early", "E02": "late late"})
    warned = assert_rule_catches(problem, rules, roster, "R-HANDOVER", count=1, severity="warning")
    assert "overlaps" in warned[0].message


def test_the_example_desk_opens_with_early_and_closes_with_middle(dutyplan_department: DepartmentFactory) -> None:
    """R-KEY: with a night shift still on at 07:00, the opening shift is the early one that starts then."""
    shifts = {"early": {"start": dt.time(7, 0), "end": dt.time(15, 0)},
              "middle": {"start": dt.time(14, 30), "end": dt.time(22, 30)},
              "night": {"start": dt.time(22, 0), "end": dt.time(7, 30)}}
    ws = dutyplan_department(_desk({"hours": {"workday": "07:00-22:30", "weekend": "closed"}}, shifts=shifts),
                             staff=[{"skills": KEY}] * 6, shifts=["early", "middle", "night"])
    _problem, rules = problem_for(ws, day(0), 7)
    key = next(r for r in rules if r.id == "R-KEY")
    assert {(m.kind, m.instance.shift) for m in key.moments} == {("opening", "early"), ("closing", "middle")}
    assert sorted({m.date for m in key.moments}) == [day(i) for i in range(5)]  # closed at the weekend


@pytest.mark.parametrize(("section", "where", "words"), [
    ({"hours": {"workday": "08:00-22:00"}, "handover_minute": 30}, "customer_service.handover_minute",
     "did you mean 'handover_minutes'?"),
    ({"hours": {"workday": "8-22"}}, "customer_service.hours.workday", "expected a span like '11:00-13:30'"),
    ({"hours": {"workday": "08:00-22:00"}, "key_handover": [{"date": dt.date(2027, 1, 4), "to": "E09"}]},
     "customer_service.key_handover[0].to", "unknown staff id 'E09'"),
    ({"hours": {"workday": "08:00-22:00"}, "key_skills": ["keys"]}, "customer_service.key_skills",
     "nobody holds a key"),
    ({"hours": {"workday": "08:00-22:00"}, "closing_shift": "lat"}, "customer_service.closing_shift",
     "unknown shift id 'lat'"),
])
def test_bad_section_names_the_key_and_the_plugin(
    dutyplan_department: DepartmentFactory, section: dict[str, Any], where: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        ws = dutyplan_department(uses("customer_service", section, shifts={"early": EARLY, "late": LATE}),
                                 staff=[{"skills": KEY}] * 2, shifts=["early", "late"])
        problem_for(ws, day(0), 1)
    message = str(caught.value)
    assert where in message and words in message and "plugin 'customer_service'" in message
