"""Making up contract minimums after the greedy start (model/topup.py, R-CONTRACT).

Each test hands :class:`TopUp` a grid by hand, one row a person, and looks at what it moved: a
person below their minimum fills a cover hole first (R-COVER), takes a colleague's shift where the
colleague stays at or above their own minimum, and never breaks a row rule to do either.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutyplan.model.construct import _Plan
from dutyplan.model.topup import TopUp
from dutyplan.testing import DepartmentFactory, day, problem_for

Grid = list[list[str | None]]


def _grid(text: str) -> list[str | None]:
    return [None if cell == "-" else cell for cell in text.split()]


def _top_up(ws: Any, days: int, rows: list[str]) -> tuple[TopUp, Grid]:
    problem, _rules = problem_for(ws, day(0), days)
    grid = [_grid(row) for row in rows]
    topup = TopUp(_Plan(problem), grid)
    topup.run()
    return topup, grid


def _heads(grid: Grid) -> list[int]:
    return [sum(row[d] is not None for row in grid) for d in range(len(grid[0]))]


def test_a_short_person_takes_a_shift_from_a_colleague_above_their_minimum(
        dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 1},
                                        "weekend": {"min": 0, "preferred": 1}}}},
         "rules": {"contract_period": "horizon"},
         "staff": {"E01": {"min_shifts": 4}, "E02": {"min_shifts": 1}}},
        staff=2,
    )
    _topup, grid = _top_up(ws, 6, ["early early - - - -", "- - early early early early"])
    assert sum(s is not None for s in grid[0]) == 4  # made up
    assert sum(s is not None for s in grid[1]) == 2  # still at least E02's minimum of one
    assert _heads(grid) == [1] * 6  # nobody added: the cover was full


def test_a_cover_hole_comes_before_a_colleague_s_shift(dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 1},
                                        "weekend": {"min": 0, "preferred": 1}}}},
         "rules": {"contract_period": "horizon"},
         "staff": {"E01": {"min_shifts": 3}}},
        staff=2,
    )
    _topup, grid = _top_up(ws, 6, ["early early - - - -", "- - early - early early"])
    assert grid[0] == _grid("early early - early - -")  # the hole on day 3, not E02's days
    assert _heads(grid) == [1] * 6


def test_nobody_is_taken_below_their_own_minimum(dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 1, "max": 1},
                                        "weekend": {"min": 0, "preferred": 1, "max": 1}}}},
         "rules": {"contract_period": "horizon"},
         "staff": {"E01": {"min_shifts": 4}, "E02": {"min_shifts": 4}}},
        staff=2,
    )
    topup, grid = _top_up(ws, 6, ["early early - - - -", "- - early early early early"])
    assert grid == [_grid("early early - - - -"), _grid("- - early early early early")]  # at R-COVER's max
    assert topup.short(0, 2, 0) > 0


@pytest.mark.parametrize(("min_off", "worked"), [(2, 5), (1, 6)])
def test_a_window_that_would_break_a_run_rule_is_not_worked(
        dutyplan_department: DepartmentFactory, min_off: int, worked: int) -> None:
    """R-MAX-CONSEC 3: only day 4 can make E01 up, and it leaves one day off between two runs.

    With R-MIN-OFF 2 that breaks a rule and E01 stays one short; with R-MIN-OFF 1 the day is worked.
    """
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 2},
                                        "weekend": {"min": 0, "preferred": 2}}}},
         "rules": {"max_consecutive_work": 3, "min_consecutive_off": min_off, "contract_period": "horizon"},
         "staff": {"E01": {"min_shifts": 6}}},
        staff=2,
    )
    _topup, grid = _top_up(ws, 7, ["early early early - - early early", "- - - - - - -"])
    assert sum(s is not None for s in grid[0]) == worked
    if worked == 6:
        assert grid[0] == _grid("early early early - early early early")
