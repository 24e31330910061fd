"""D-DAILY, D-HOLIDAY, D-REST and D-FAIR: the on-duty manager rotation."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from dutyplan.check import check_roster
from dutyplan.features.duty import duty_of
from dutyplan.features.holiday_plan import holiday_period, plan_horizon
from dutyplan.model.solve import SolveOptions, solve
from dutyplan.planner import Workspace

POOL = ["E01", "E02", "E03", "E04", "E05"]


def _solve(ws: Workspace, horizon, seconds: float = 8):  # type: ignore[no-untyped-def]
    problem = ws.problem(horizon)
    rules = ws.rules(problem)
    result = solve(problem, rules, SolveOptions(time_limit=seconds, workers=1, seed=0))
    assert result.roster is not None
    return problem, rules, result


def test_duty_counts_differ_by_at_most_one_over_a_month(make_department: Callable[..., Workspace]) -> None:
    """D-FAIR: 31 duty days over a pool of 5, nothing else in the way: 6 or 7 each."""
    ws = make_department({"duty": {"pool": POOL}}, staff=6)
    problem, rules, result = _solve(ws, ws.horizon("2027-01", None, None))
    rotation = duty_of(result.roster)
    counts = {sid: sum(sid in people for people in rotation.values()) for sid in POOL}
    assert sum(counts.values()) == 31
    assert max(counts.values()) - min(counts.values()) <= 1
    assert check_roster(result.roster, problem, rules).ok


def test_reinforced_duty_on_every_statutory_day_of_spring_festival_2027(
    make_department: Callable[..., Workspace],
) -> None:
    """D-HOLIDAY: two on duty on each statutory day of the 2027 Spring Festival, one on the other days."""
    ws = make_department({"duty": {"pool": POOL, "holiday_per_day": 2}, "calendar": {"country": "CN"}}, staff=6)
    first, last, statutory = holiday_period(ws.department, "spring-festival", 2027)
    problem, rules, result = _solve(ws, plan_horizon(ws.department, "2027-spring-festival", first, last))
    rotation = duty_of(result.roster)
    holidays = {c.date for c in statutory}
    assert holidays and holidays <= set(problem.dates)
    for day in problem.dates:
        assert len(rotation[day]) == (2 if day in holidays else 1), day
    assert check_roster(result.roster, problem, rules).ok


def test_no_duty_on_leave_or_after_a_night(make_department: Callable[..., Workspace]) -> None:
    """D-DAILY / D-REST: the solver never puts someone on duty on leave or the day after a night."""
    extra = {
        "shifts": {"night": {"start": "22:00", "end": "07:00", "cover": {"workday": {"min": 1}}}},
        "duty": {"pool": ["E01", "E02"], "not_after": ["night"]},
        "staff": [
            {"id": "E01", "name": "A", "leave": [{"start": "2027-01-05", "end": "2027-01-06"}]},
            {"id": "E02", "name": "B"},
            {"id": "E03", "name": "C"},
            {"id": "E04", "name": "D"},
        ],
    }
    ws = make_department(extra)
    problem, rules, result = _solve(ws, ws.horizon(None, dt.date(2027, 1, 4), 7))
    roster = result.roster
    rotation = duty_of(roster)
    assert rotation[dt.date(2027, 1, 5)] == ["E02"] and rotation[dt.date(2027, 1, 6)] == ["E02"]
    for day, people in rotation.items():
        for sid in people:
            assert roster.shift_on(sid, day - dt.timedelta(days=1)) != "night"
    assert check_roster(roster, problem, rules).ok


def test_checker_catches_broken_rotations(make_department: Callable[..., Workspace]) -> None:
    """D-DAILY / D-HOLIDAY: a missing duty day, someone outside the pool, someone on leave, is caught."""
    extra = {"duty": {"pool": ["E01", "E02"]},
             "staff": [{"id": "E01", "name": "A", "leave": [{"start": "2027-01-05", "end": "2027-01-05"}]},
                       {"id": "E02", "name": "B"}, {"id": "E03", "name": "C"}]}
    ws = make_department(extra)
    problem, rules, result = _solve(ws, ws.horizon(None, dt.date(2027, 1, 4), 3))
    broken = dataclasses.replace(result.roster)
    broken.extras = {**result.roster.extras,
                     "duty": {"2027-01-04": [], "2027-01-05": ["E01"], "2027-01-06": ["E03"]}}
    found = [v for v in check_roster(broken, problem, rules).hard if v.rule_id == "D-DAILY"]
    messages = " | ".join(v.message for v in found)
    assert "0 on duty on 01-04" in messages
    assert "E01 is on duty on 01-05 but is on annual leave" in messages
    assert "E03 is on duty on 01-06 but not in the duty pool" in messages


def test_history_puts_last_years_holiday_duty_last_in_line(make_department: Callable[..., Workspace]) -> None:
    """D-FAIR: whoever did holiday duty before (history) is not on duty on this holiday."""
    extra = {"duty": {"pool": ["E01", "E02", "E03"], "history": {"E01": {"holidays": 3}}},
             "calendar": {"country": "CN"}}
    ws = make_department(extra)
    _problem, _rules, result = _solve(ws, ws.horizon(None, dt.date(2026, 12, 30), 4))
    assert duty_of(result.roster)[dt.date(2027, 1, 1)] != ["E01"]
