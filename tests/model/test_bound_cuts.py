"""Redundant constraints for the bound (rules/fairness.py, features/duty.py) never cut off the optimum.

R-FAIR's parity cut and D-FAIR's rounded totals are there for CP-SAT's bound
only: proving them valid means the proven optimum is the same with and without
them. Each case here is small enough to solve to optimality in well under a
second, and is chosen so that the cut is active (the preferred total does not
split evenly over the pool) and the optimum pays for it in different ways.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutyplan.features.duty import DutyFairness
from dutyplan.model.solve import SolveOptions, solve
from dutyplan.rules.fairness import Fairness
from dutyplan.testing import DepartmentFactory, day, problem_for


def _optimum(ws: Any, days: int) -> int:
    problem, rules = problem_for(ws, day(0), days)
    result = solve(problem, rules, SolveOptions(time_limit=20, workers=1, seed=0))
    assert result.status == "optimal", result.status
    assert result.objective is not None
    return result.objective


@pytest.mark.parametrize("over", [1, 3, 30])
@pytest.mark.parametrize("outside", [False, True])
def test_fairness_parity_cut_keeps_the_optimum(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch, over: int, outside: bool
) -> None:
    """R-FAIR: 14 preferred early shifts over a pool of 5 (or 4 plus a part-timer) split unevenly.

    An extra person (cost ``over``) can make the total even; a short one costs 100.
    """
    staff: list[dict[str, Any]] = [{} for _ in range(5)]
    if outside:
        staff[4] = {"fairness": False}
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 1, "preferred": 2},
                                        "weekend": {"min": 1, "preferred": 2}}}},
         "weights": {"fair_shifts": 5, "coverage_over": over, "coverage_under": 100}},
        staff=staff,
    )
    with_cut = _optimum(ws, 7)
    monkeypatch.setattr(Fairness, "_parity_cut", lambda *args, **kwargs: None)
    assert _optimum(ws, 7) == with_cut


def test_duty_totals_keep_the_optimum(dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """D-FAIR: 7 duty days over a pool of 3 cannot be even; the rounded bounds keep the optimum (20)."""
    ws = dutyplan_department({"duty": {"pool": ["E01", "E02", "E03"], "fair_days": 20, "fair_weekends": 0,
                                       "fair_holidays": 0}}, staff=3)
    with_totals = _optimum(ws, 7)
    assert with_totals == 20
    monkeypatch.setattr(DutyFairness, "_totals", lambda *args, **kwargs: None)
    assert _optimum(ws, 7) == with_totals
