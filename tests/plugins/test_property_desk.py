"""plugins/property_desk: the 24-hour desk (R-COVER), holiday reinforcement (D-HOLIDAY), inspection rounds."""

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
    day,
    plan_department,
    problem_for,
    roster_from_grid,
    solve_department,
)

from .support import load_plugin, uses

THREE = ["early", "late", "night"]  # 07-15, 15-23, 23-07: the whole day


def _desk(section: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    return uses("property_desk", section or {}, **more)


def test_round_the_clock_desk_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER/24h: 1 + 1 + 2 at night: all four people work every day, whatever they ask."""
    wishes = [r for sid in ("E01", "E02", "E03", "E04") for r in ask(sid, "day_off", range(2))]
    ws = dutyplan_department(_desk(requests=wishes), staff=4, shifts=THREE)
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.status == "optimal" and result.roster is not None
    assert_rule_holds(problem, "R-COVER/24h", result.roster, rules=rules)
    assert result.objective == 2 * 4 * 10
    assert all(len(result.roster.on(d, "night")) == 2 for d in problem.dates)

    problem, rules, loose = solve_department(ws, day(0), 2, exclude=["R-COVER/24h"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "R-COVER/24h", count=6)


def test_nobody_alone_at_night(dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department(_desk(), staff=4, shifts=THREE)
    problem, rules = problem_for(ws, day(0), 2)
    roster = roster_from_grid(problem, {"E01": "early early", "E02": "late late", "E03": "night night",
                                        "E04": "- night"})
    caught = assert_rule_catches(problem, rules, roster, "R-COVER/24h", count=1, date=day(0), shift="night")
    assert "has 1 people, at least 2 (nobody alone at night)" in caught[0].message


def test_statutory_holiday_reinforced_both_ways(dutyplan_department: DepartmentFactory) -> None:
    """D-HOLIDAY: day 1 is a statutory holiday: two on every shift (night too) instead of 1/1/2."""
    calendar = {"override": [{"date": day(1), "type": "holiday", "name": "test holiday"}]}
    wishes = [r for sid in ("E01", "E02", "E03", "E04", "E05", "E06") for r in ask(sid, "day_off", [1])]
    ws = dutyplan_department(_desk({"holiday": {"min": 2}}, calendar=calendar, requests=wishes), staff=6,
                             shifts=THREE)
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None and result.objective == 6 * 10
    assert_rule_holds(problem, "D-HOLIDAY", result.roster, rules=rules)

    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["D-HOLIDAY"])
    assert loose.roster is not None and loose.objective == 4 * 10  # 1 + 1 + 2 is enough without it
    caught = assert_rule_catches(problem, ws.rules(problem), loose.roster, "D-HOLIDAY", count=2, date=day(1))
    assert {v.shift for v in caught} == {"early", "late"}
    assert "statutory holiday, reinforced duty" in caught[0].message


def test_holiday_count_per_shift(dutyplan_department: DepartmentFactory) -> None:
    calendar = {"override": [{"date": day(0), "type": "holiday"}]}
    ws = dutyplan_department(_desk({"holiday": {"min": 2, "shifts": {"night": 3}}}, calendar=calendar),
                             staff=7, shifts=THREE)
    problem, rules = problem_for(ws, day(0), 1)
    roster = roster_from_grid(problem, {"E01": "early", "E02": "early", "E03": "late", "E04": "late",
                                        "E05": "night", "E06": "night"})
    caught = assert_rule_catches(problem, rules, roster, "D-HOLIDAY", count=1, shift="night")
    assert "2 people, at least 3 needed" in caught[0].message


def test_inspection_rounds_on_the_duty_log(dutyplan_department: DepartmentFactory) -> None:
    """Rounds (值班检查) reach the duty log through roster_planned, with the day's duty manager."""
    duty = {"pool": ["E01", "E02"], "start": dt.time(8, 30), "end": dt.time(17, 30), "fair_days": 0,
            "fair_weekends": 0, "fair_holidays": 0}
    rounds = [{"time": dt.time(14, 0), "area": "car park"}, {"time": dt.time(9, 0), "area": "lobby"}]
    ws = dutyplan_department(_desk({"rounds": rounds}, duty=duty), staff=4, shifts=THREE)
    outcome = plan_department(ws, day(0), 2, write=True, formats=("duty-log",))
    roster = outcome.roster
    items = roster.extras["duty_items"]
    assert sorted(items) == [f"{day(0)}", f"{day(1)}"]
    for date, people in roster.extras["duty"].items():
        who = f"{people[0]} Staff {people[0][1:]}"
        assert items[date] == [f"09:00 inspection round lobby ({who})", f"14:00 inspection round car park ({who})"]
    stored = ws.store.load(outcome.problem.horizon.label)
    assert stored.extras["duty_items"] == items
    log = next(p for p in outcome.exports if p.name == "duty-log.html").read_text(encoding="utf-8")
    assert "09:00 inspection round lobby" in log


def test_rounds_keep_other_plugins_items(dutyplan_department: DepartmentFactory) -> None:
    """The rounds are added to ``duty_items``, never replacing what is there, and never twice."""
    duty = {"pool": ["E01"], "start": dt.time(8, 0), "end": dt.time(18, 0)}
    rounds = [{"time": dt.time(10, 0), "area": "lobby", "days": ["workday"]}]
    ws = dutyplan_department(_desk({"rounds": rounds}, duty=duty), staff=4, shifts=THREE)
    problem, _rules = problem_for(ws, day(4), 2)  # Friday and Saturday
    plugin = load_plugin("property_desk")
    roster = roster_from_grid(problem, {})
    roster.extras["duty"] = {f"{day(4)}": ["E01"], f"{day(5)}": ["E01"]}
    roster.extras["duty_items"] = {f"{day(4)}": ["08:00 fire drill"]}
    for _ in range(2):
        plugin.rounds.add_rounds(roster, problem, plugin.settings_of(problem))
    want = ["08:00 fire drill", "10:00 inspection round lobby (E01 Staff 01)"]
    assert roster.extras["duty_items"] == {f"{day(4)}": want}  # Saturday has no workday round


@pytest.mark.parametrize(("section", "more", "where", "words"), [
    ({"desk_shifts": ["early", "late"], "night_shift": "late"}, {}, "property_desk.desk_shifts",
     "leave the desk empty 23:00-07:00"),
    ({"night_shift": "nite"}, {}, "property_desk.night_shift", "unknown shift id 'nite'"),
    ({"night_min": 0}, {}, "property_desk.night_min", "expected 1 or more"),
    ({"holiday": {"min": 2, "shifts": {"nite": 3}}}, {}, "property_desk.holiday.shifts.nite", "not a desk shift"),
    ({"rounds": [{"time": dt.time(10, 0), "area": "lobby"}]}, {}, "property_desk.rounds",
     "need the on-duty manager rotation"),
    ({"rounds": [{"time": dt.time(22, 0), "area": "lobby"}]}, {"duty": {"pool": ["E01"]}},
     "property_desk.rounds[0].time", "outside the duty hours 08:30-17:30"),
    ({"round": []}, {}, "property_desk.round", "did you mean 'rounds'?"),
])
def test_bad_section_names_the_key_and_the_plugin(
    dutyplan_department: DepartmentFactory, section: dict[str, Any], more: dict[str, Any], where: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        ws = dutyplan_department(_desk(section, **more), staff=4, shifts=THREE)
        problem_for(ws, day(0), 1)
    message = str(caught.value)
    assert where in message and words in message and "plugin 'property_desk'" in message
