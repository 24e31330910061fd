"""The greedy start (model/construct.py) where R-MAX-WEEKENDS barely holds the weekend cover.

Eleven people may each work two of the four weekends of a month, and each weekend day asks for five:
the twenty-two weekends allowed are two more than the twenty the cover needs, so three weekends
worked on one day only, or surplus weekend shifts, leave a hole on a later weekend. The
construction starts weekends its runs can finish and fills a weekend with the people already on it
(``_Day.weekend_cost``); before, the first Sunday had two of its five.
"""

from __future__ import annotations

from collections import Counter

from dutyplan.calendar import weekends
from dutyplan.check import check_roster
from dutyplan.model.construct import construct
from dutyplan.testing import DepartmentFactory, ask, day, problem_for


def test_a_tight_weekend_allowance_is_spent_on_whole_weekends(dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 4}, "weekend": {"min": 0, "preferred": 5}}}},
         "rules": {"max_consecutive_work": 5, "min_consecutive_work": 2, "min_consecutive_off": 2,
                   "max_weekends": 2},
         "weights": {"coverage_under": 100, "coverage_over": 1}},
        staff=11,
    )
    problem, rules = problem_for(ws, day(0), 28)
    roster = construct(problem)
    heads = Counter(a.date for a in roster.assignments)
    weekend_days = [d for days in weekends(problem.dates).values() for d in (problem.dates[i] for i in days)]
    assert len(weekend_days) == 8
    assert [heads[d] for d in weekend_days] == [5] * 8  # R-COVER on every weekend day, nobody spare
    report = check_roster(roster, problem, rules)
    assert not [v for v in report.hard if v.rule_id == "R-MAX-WEEKENDS"]


def test_a_weekend_is_finished_by_whoever_started_it(dutyplan_department: DepartmentFactory) -> None:
    """R-MAX-WEEKENDS 1: Saturday's worker goes on on Sunday, before someone who asked for Sunday.

    Filling Sunday by its ranking alone, E02's request came first and two people each spent their one
    weekend on a single day; with weekends a budget, the one who worked Saturday finishes it.
    """
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 0},
                                        "weekend": {"min": 0, "preferred": 1}}}},
         "rules": {"max_weekends": 1},
         "requests": ask("E02", "shift_on", [6], shift="early", weight=1)},
        staff=2,
    )
    problem, _rules = problem_for(ws, day(0), 7)
    assert [d.weekday() for d in problem.dates[5:]] == [5, 6]
    roster = construct(problem)
    workers = {a.date: a.staff for a in roster.assignments}
    assert workers[day(5)] == workers[day(6)]  # one whole weekend, not two halves


def test_busy_sundays_do_not_spend_the_weekends_the_last_weekends_need(
    dutyplan_department: DepartmentFactory,
) -> None:
    """R-MAX-WEEKENDS 8 for three over 14 weeks: 24 weekends for 14 of one Saturday and two Sunday shifts each.

    A person on a weekend covers both its days while both ask for someone, only one when just the
    Sunday does: the weekend rota (model/weekendrota.py, on horizons longer than a quarter) gives every
    weekend one person first (14 of the 24) and the ten left over to the first Sundays, and a later
    Sunday takes no newcomer once its Saturday has the weekend's cap. Filling the days as they came,
    the first twelve Sundays took two people each and the last two weekends had nobody: six holes,
    two Saturdays among them; now four, on Sundays.
    """
    sundays = [6 + 7 * week for week in range(14)]
    ws = dutyplan_department(
        {"shifts": {"early": {"cover": {"workday": {"min": 0, "preferred": 0},
                                        "weekend": {"min": 0, "preferred": 1}}}},
         "demand": [{"date": day(d), "shift": "early", "min": 0, "preferred": 2} for d in sundays],
         "rules": {"max_weekends": 8},
         "weights": {"coverage_under": 100, "coverage_over": 1}},
        staff=3,
    )
    problem, rules = problem_for(ws, day(0), 7 * 14)
    assert {problem.dates[d].weekday() for d in sundays} == {6}
    roster = construct(problem)
    heads = Counter(a.date for a in roster.assignments)
    assert [heads[day(d - 1)] for d in sundays] == [1] * 14  # R-COVER on every Saturday
    assert sum(2 - heads[day(d)] for d in sundays) == 4  # four Sunday holes, not six holes
    report = check_roster(roster, problem, rules)
    assert not [v for v in report.hard if v.rule_id == "R-MAX-WEEKENDS"]
