"""A few weekends at a time with the days around them, everyone free (model/weekendwindows.py).

R-MAX-WEEKENDS and R-MAX-CONSEC together: a weekend day left empty is filled only when the run
before it moves, which the weekends alone (every weekday held) cannot do.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from dutyplan.calendar import weekends
from dutyplan.check import check_roster
from dutyplan.model import solve as solve_module
from dutyplan.model import weekendwindows
from dutyplan.model.result import SolveOptions
from dutyplan.model.search import Search
from dutyplan.model.solve import add_hint, build_model, roster_from_solution, solve
from dutyplan.model.weekendwindows import improve_weekend_windows, windows
from dutyplan.testing import DepartmentFactory, day, problem_for, roster_from_grid


def test_a_window_is_a_weekend_from_thursday_to_tuesday_cut_at_the_horizon() -> None:
    two_weeks = [[5, 6], [12, 13]]  # a fortnight from a Monday
    assert windows(two_weeks, [0], 14) == [3, 4, 5, 6, 7, 8]
    assert windows(two_weeks, [1], 14) == [10, 11, 12, 13]
    assert windows(two_weeks, [0, 1], 14) == [3, 4, 5, 6, 7, 8, 10, 11, 12, 13]
    assert windows([[0, 1]], [0], 7) == [0, 1, 2, 3]  # a horizon that starts on a Saturday


def test_a_sunday_hole_is_filled_by_moving_the_run_before_it(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER, R-MAX-CONSEC: Tuesday to Saturday worked, Sunday empty; dropping Thursday lets Sunday be worked.

    Held on every weekday, the weekends cannot gain: a sixth day in a row breaks R-MAX-CONSEC.
    """
    cover = {"workday": {"min": 0, "preferred": 0}, "weekend": {"min": 0, "preferred": 1}}
    ws = dutyplan_department({"shifts": {"early": {"cover": cover}},
                              "rules": {"max_consecutive_work": 5, "max_weekends": 2}}, staff=1)
    problem, rules = problem_for(ws, day(0), 14)
    assert day(0).weekday() == 0
    start = roster_from_grid(problem, {"E01": "- early early early early early - - - - - - early early"})
    report = check_roster(start, problem, rules)
    assert not report.hard and report.objective > 0
    ctx = build_model(problem, rules)
    add_hint(ctx, start, rules)
    search = Search(ctx, rules)
    whole = search.repair(start, time.perf_counter() + 10)
    assert whole is not None and whole.objective == report.objective
    all_weekends = list(weekends(problem.dates).values())
    weekend_days = [di for days in all_weekends for di in days]
    assert search.improve(whole, search.days_free(weekend_days), time.perf_counter() + 5).objective == whole.objective

    improved = improve_weekend_windows(search, whole, all_weekends, time.perf_counter() + 5)
    assert improved.objective < whole.objective
    roster = roster_from_solution(ctx, improved.solver)
    after = check_roster(roster, problem, rules)
    assert not after.hard and after.objective == improved.objective
    assert roster.shift_on("E01", day(6)) == "early"  # the first Sunday is worked now


def test_solve_gives_a_short_horizon_with_a_weekend_limit_the_windows(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the groups (forced here on a small department), a month with R-MAX-WEEKENDS gets the windows;
    without the limit it does not, nor where one weekend's window frees more than ``WINDOW_CELLS``."""
    monkeypatch.setattr(solve_module, "GROUPS_FROM", 0)
    monkeypatch.setattr(solve_module, "COLUMNS_UNTIL", 0)
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return improve_weekend_windows(*args, **kwargs)

    monkeypatch.setattr(solve_module, "improve_weekend_windows", counted)
    cover = {"workday": {"min": 1, "preferred": 2}, "weekend": {"min": 0, "preferred": 2}}
    for rules, window_cells, expected in (({"max_weekends": 2}, 2_400, [1]), ({}, 2_400, []),
                                          ({"max_weekends": 2}, 35, [])):  # 6 people x 6 days x 1 shift = 36
        monkeypatch.setattr(weekendwindows, "WINDOW_CELLS", window_cells)
        calls.clear()
        ws = dutyplan_department({"shifts": {"early": {"cover": cover}}, "rules": rules}, staff=6)
        problem, rules_ = problem_for(ws, day(0), 28)
        result = solve(problem, rules_, SolveOptions(time_limit=4, workers=1, seed=0), rules_for=ws.rules)
        assert result.roster is not None and not check_roster(result.roster, problem, rules_).hard
        assert calls == expected
