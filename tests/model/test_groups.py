"""Groups of people re-planned alone against the rest (model/groups.py).

What the search promises: kept groups never break a rule, each kept group lowers the whole
roster's penalty by exactly what it saved alone (R-COVER scored against the cover the others
leave, R-REQUEST per person), and the group size grows past single rows when a move needs two
people at once.
"""

from __future__ import annotations

import time

import pytest

from dutyplan.check import check_roster
from dutyplan.model import groups
from dutyplan.model.construct import construct
from dutyplan.model.groups import improve_groups
from dutyplan.roster import Assignment
from dutyplan.testing import DepartmentFactory, ask, day, problem_for

NO_FAIR = {"fair_nights": 0, "fair_weekends": 0, "fair_holidays": 0, "fair_shifts": 0}


@pytest.mark.parametrize("workers", [1, 2])
def test_every_kept_group_lowers_the_roster_by_what_it_saved(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """R-COVER, R-REQUEST, R-MIN-CONSEC: a greedy start gets cheaper, stays legal, and the savings add up.

    With two workers two groups are solved at once; one kept after the other is scored again, so
    the savings still add up exactly.
    """
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 1, "preferred": 3}, "weekend": {"min": 1, "preferred": 2}}},
                    "late": {"cover": {"workday": {"min": 1, "preferred": 2}, "weekend": {"min": 1, "preferred": 1}}}},
         "rules": {"max_consecutive_work": 5, "min_consecutive_work": 2, "contract_period": "horizon"},
         "weights": NO_FAIR,
         "requests": ask("E01", "day_off", range(0, 4)) + ask("E03", "shift_off", range(5, 9), shift="late")},
        staff=8, shifts=["early", "late"],
    )
    problem, rules = problem_for(ws, day(0), 28)
    monkeypatch.setattr(groups, "GROUP_CELLS", 2 * 28 * 2)  # groups of two: several at once on two workers
    rescored: list[int] = []
    real_rescore = groups.rescore
    monkeypatch.setattr(groups, "rescore", lambda *a: rescored.append(1) or real_rescore(*a))
    good = construct(problem)
    asked_off = [Assignment(day(i), "E01", "early") for i in range(4)]  # a legal run on the days E01 asked off
    start = good.replace_assignments(sorted([*(a for a in good.assignments if a.staff != "E01"), *asked_off]))
    before = check_roster(start, problem, rules)
    assert not before.hard and before.objective > 0
    saved: list[int] = []

    better = improve_groups(problem, start, ws.rules, time.perf_counter() + 5, on_better=saved.append,
                            workers=workers)

    after = check_roster(better, problem, rules)
    assert not after.hard, [str(v) for v in after.hard]
    assert saved and after.objective < before.objective
    assert before.objective - after.objective == sum(saved)
    assert bool(rescored) == (workers == 2)  # a group solved beside a kept one is scored again


def test_a_trade_two_people_must_make_together_is_found(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-REQUEST vs R-COVER and R-CONTRACT: E01's day off needs E02 to take that day and give one back.

    Seven shifts each, exactly one person wanted a day: alone, E01 can only move the shift onto a day
    E02 already works (over cover and a hole, 100 against the request's 10), so no single row improves.
    Starting from single rows, the group size grows to two and the trade is made.
    """
    monkeypatch.setattr(groups, "GROUP_CELLS", 1)
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 1, "max": 2},
                                        "weekend": {"min": 0, "preferred": 1, "max": 2}}}},
         "rules": {"contract_period": "horizon"},
         "staff": {"E01": {"min_shifts": 7, "max_shifts": 7}, "E02": {"min_shifts": 7, "max_shifts": 7}},
         "weights": {**NO_FAIR, "coverage_under": 50, "coverage_over": 50},
         "requests": ask("E01", "day_off", [3])},
        staff=2,
    )
    problem, rules = problem_for(ws, day(0), 14)
    start_rows = [Assignment(day(i), "E01" if i < 7 else "E02", "early") for i in range(14)]
    start = construct(problem).replace_assignments(start_rows)
    before = check_roster(start, problem, rules)
    assert not before.hard and before.objective == 10

    better = improve_groups(problem, start, ws.rules, time.perf_counter() + 10)

    after = check_roster(better, problem, rules)
    assert not after.hard and after.objective == 0
    assert not any(a.staff == "E01" and a.date == day(3) for a in better.assignments)
