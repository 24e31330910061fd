"""Groups of people re-planned alone against the rest (model/groups.py).

What the search promises: kept groups never break a rule, each kept group lowers the whole
roster's penalty by exactly what it saved alone (R-COVER scored against the cover the others
leave, R-REQUEST per person), and the group size grows past single rows when a move needs two
people at once.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from dutyplan.check import check_roster
from dutyplan.model import groups
from dutyplan.model.construct import construct
from dutyplan.model.groups import improve_groups
from dutyplan.model.rows import RowSolve
from dutyplan.roster import Assignment
from dutyplan.testing import DepartmentFactory, ask, day, problem_for, roster_from_grid

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


@pytest.mark.parametrize("stretch", [1.0, groups.STRETCH])
def test_the_time_slice_grows_when_one_person_alone_finds_nothing_in_it(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch, stretch: float
) -> None:
    """R-REQUEST, R-COVER: a row that needs more time than its slice is re-planned once the slice has grown.

    The sub-solve is made to find nothing in less than 50 ms (as a year of 32 shift types finds
    nothing in its two seconds, Curtois-Qu 24); the slice starts at 10 ms. Without stretching,
    the request is never met; with it, the slice passes 50 ms and the row is re-planned.
    """
    monkeypatch.setattr(groups, "GROUP_CELLS", 1)
    monkeypatch.setattr(groups, "STRETCH", stretch)
    monkeypatch.setattr(groups, "_slice", lambda cells: 0.01)
    real_solve = groups.solve_alone
    limits: list[float] = []

    def slow_solve(*args: Any) -> RowSolve | None:
        time_limit = args[4]
        limits.append(time_limit)
        if time_limit < 0.05:
            time.sleep(time_limit)  # ran out of time without a row
            return None
        return real_solve(*args)

    monkeypatch.setattr(groups, "solve_alone", slow_solve)
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 1, "max": 2},
                                        "weekend": {"min": 0, "preferred": 1, "max": 2}}}},
         "weights": {**NO_FAIR, "coverage_under": 50, "coverage_over": 50},
         "requests": ask("E01", "day_off", [3])},
        staff=2,
    )
    problem, rules = problem_for(ws, day(0), 14)
    rows = [Assignment(day(i), "E01", "early") for i in range(7)] + [Assignment(day(i), "E02", "early")
                                                                     for i in range(3, 14)]
    start = construct(problem).replace_assignments(sorted(rows))
    before = check_roster(start, problem, rules)
    assert not before.hard and any(v.rule_id == "R-REQUEST" for v in before.soft)

    better = improve_groups(problem, start, ws.rules, time.perf_counter() + 3)

    after = check_roster(better, problem, rules)
    met = not any(v.rule_id == "R-REQUEST" for v in after.soft)
    assert met == (stretch > 1.0)
    assert (max(limits) >= 0.05) == (stretch > 1.0)


def test_a_sub_problem_that_fails_at_once_leaves_the_slice_as_it_is(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only running out of time stretches the slice: a row refused at once (a plugin's rule) does not."""
    monkeypatch.setattr(groups, "GROUP_CELLS", 1)
    monkeypatch.setattr(groups, "_slice", lambda cells: 0.01)
    limits: list[float] = []

    def refused(*args: Any) -> RowSolve | None:
        limits.append(args[4])
        return None

    monkeypatch.setattr(groups, "solve_alone", refused)
    ws = dutyplan_department({"weights": NO_FAIR}, staff=2)
    problem, _ = problem_for(ws, day(0), 7)
    start = construct(problem)

    assert improve_groups(problem, start, ws.rules, time.perf_counter() + 0.5) is start
    assert limits and set(limits) == {0.01}


def test_a_group_around_a_hole_holds_someone_with_room_to_fill_it(dutyplan_department: DepartmentFactory) -> None:
    """R-COVER, R-CONTRACT: the taker is off that day, may work the shift, and has minutes to spare.

    The late shift is one short on day 3. E01 is off but never works late, E02 is off but at their
    minute maximum, E06 at their maximum of lates, E07 at their maximum of shifts; E03 is off with
    room, and so is E08, whose 120 spare minutes are less than the shift (a partner may trade a
    shorter one for it): E03 or E08 take it. The partners work within a day of the hole with minutes
    to spare (E01, E05); E04 works there too but at their maximum, and E02, E06 and E07 work on days
    0 and 6 only: none of them joins.
    """
    cover = {"cover": {"workday": {"min": 0, "preferred": 1}, "weekend": {"min": 0, "preferred": 1}}}
    ws = dutyplan_department(
        {"shifts": {"early": cover, "late": cover},
         "rules": {"contract_period": "horizon"},
         "staff": {"E01": {"max_per_shift": {"late": 0}}, "E02": {"max_minutes": 2 * 480},
                   "E04": {"max_minutes": 6 * 480}, "E06": {"max_per_shift": {"late": 1}},
                   "E07": {"max_shifts": 1}, "E08": {"max_minutes": 480 + 120}}},
        staff=8, shifts=["early", "late"],
    )
    problem, _ = problem_for(ws, day(0), 7)
    assert {s.paid_minutes for s in problem.department.shifts} == {480}
    roster = roster_from_grid(problem, {
        "E01": "early early early - early early early",
        "E02": "early - - - - - early",
        "E03": "- - - - - - -",
        "E04": "late late late - late late late",
        "E05": "early - - early - - -",
        "E06": "late - - - - - -",
        "E07": "- - - - - - late",
        "E08": "early - - - - - -",
    })
    holes = groups._Holes(problem)
    seen: set[frozenset[str]] = set()
    for seed in range(40):
        group = holes.group(roster, problem.staff_ids, 2, set(), random.Random(seed))
        assert group is not None and len(group) == 2 and len(group & {"E03", "E08"}) == 1
        seen.add(group)
    assert {p for g in seen for p in g} == {"E01", "E03", "E05", "E08"}
    assert holes.group(roster, problem.staff_ids, 2, {"E03", "E08"}, random.Random(0)) is None  # takers busy
    # With fewer partners to spare than the group needs, anyone working near the hole joins.
    assert "E04" in (holes.group(roster, problem.staff_ids, 2, {"E01", "E05"}, random.Random(0)) or ())

    assert holes.holes(roster) == [("late", 3)]
    covered = roster.replace_assignments(sorted([*roster.assignments, Assignment(day(3), "E03", "late")]))
    assert holes.holes(covered) == []
    assert holes.group(covered, problem.staff_ids, 2, set(), random.Random(0)) is None  # no hole left


def test_a_weekend_hole_is_taken_by_someone_whose_weekends_allow_it(
    dutyplan_department: DepartmentFactory,
) -> None:
    """R-MAX-WEEKENDS: a hole on a Saturday goes to someone who works that Sunday, or has a weekend left.

    Each may work one weekend of two. The early shift is one short on the second Saturday (day 12).
    E01 worked the first weekend and is off the second; E02 works the second Sunday (that weekend is
    theirs already); E03 worked no weekend: E02 or E03 take it, never E01.
    """
    cover = {"cover": {"workday": {"min": 0, "preferred": 0}, "weekend": {"min": 0, "preferred": 1}}}
    ws = dutyplan_department(
        {"shifts": {"early": cover}, "rules": {"max_weekends": 1, "min_consecutive_off": 1}},
        staff=4, shifts=["early"],
    )
    problem, _ = problem_for(ws, day(0), 14)
    assert day(12).weekday() == 5
    roster = roster_from_grid(problem, {
        "E01": "- - - - - early early - - - - - - -",
        "E02": "- - - - - - - - - - - early - early",
        "E03": "- - - - - - - - - - - - - -",
        "E04": "- - - - - - - - - - - - - -",
    })
    holes = groups._Holes(problem)
    assert holes.holes(roster) == [("early", 12)]
    takers = {p for seed in range(40) for p in holes.group(roster, ["E01", "E02", "E03"], 1, set(),
                                                            random.Random(seed)) or ()}
    assert takers == {"E02", "E03"}


@pytest.mark.parametrize(("cells", "around_holes"), [(28 * 2, False), (2 * 28 * 2, True)])
def test_only_groups_of_two_or_more_form_around_a_hole(
    dutyplan_department: DepartmentFactory, monkeypatch: pytest.MonkeyPatch, cells: int, around_holes: bool
) -> None:
    """A lone taker is one row, which the turns re-plan anyway: holes choose groups of two or more only."""
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 3}, "weekend": {"min": 0, "preferred": 3}}}},
         "rules": {"contract_period": "horizon"}, "weights": NO_FAIR},
        staff=4, shifts=["early", "late"],
    )
    problem, _ = problem_for(ws, day(0), 28)
    monkeypatch.setattr(groups, "GROUP_CELLS", cells)
    monkeypatch.setattr(groups, "GROW", 1.0)  # the group size stays where it starts
    asked: list[int] = []
    real_group = groups._Holes.group
    monkeypatch.setattr(groups._Holes, "group", lambda self, r, people, k, *a: asked.append(k) or real_group(
        self, r, people, k, *a))
    improve_groups(problem, construct(problem), ws.rules, time.perf_counter() + 2)
    assert bool(asked) == around_holes
    assert all(k >= 2 for k in asked)
