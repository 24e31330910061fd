"""The greedy start's fair shares evened out by exchange moves (model/balance.py, R-FAIR).

An exchange swaps what two people do on a few days, so head counts per shift
and day never change (R-COVER); each move is taken only when neither person's
row breaks more of the construction's rules than before (plugin rules such as
the front desk's R-KEY are left to the repair, as for the greedy start). These tests compare
the start with and without the pass on the example department and on a
factory department: same head counts, no new core violation, a lower R-FAIR
and request penalty.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dutyplan.check import check_roster
from dutyplan.model.construct import construct
from dutyplan.planner import Workspace
from dutyplan.roster import Assignment, Roster
from dutyplan.testing import DepartmentFactory, day, problem_for

from .test_search import CORE


def _heads(roster: Roster) -> Counter[tuple[object, str]]:
    return Counter((a.date, a.shift) for a in roster.assignments)


def _cost(report: object, rule_ids: set[str]) -> int:
    return sum(v.cost for v in report.soft if v.rule_id in rule_ids)  # type: ignore[attr-defined]


def _core(report: object) -> list[str]:
    return sorted(str(v) for v in report.hard if v.rule_id in CORE)  # type: ignore[attr-defined]


def test_balancing_the_example_month_keeps_cover_and_rules_and_lowers_the_penalty(example_dept: Path) -> None:
    ws = Workspace.open(example_dept)
    problem = ws.problem(ws.horizon("2027-01", None, None))
    rules = ws.rules(problem)
    greedy, balanced = construct(problem, balance=False), construct(problem)
    assert _heads(balanced) == _heads(greedy)
    before, after = check_roster(greedy, problem, rules), check_roster(balanced, problem, rules)
    assert _core(after) == []  # plugin rules (R-KEY) are the repair's business, as for the greedy start
    fair = {"R-FAIR", "R-REQUEST"}
    assert _cost(after, fair) < _cost(before, fair)


@pytest.mark.parametrize("staff", [8, 12])
def test_balancing_never_breaks_a_core_rule(dutyplan_department: DepartmentFactory, staff: int) -> None:
    """Nights (R-FAIR) on a small desk with runs, rest and weekend limits: the pass only helps."""
    ws = dutyplan_department(
        {"shifts": {"night": {"start": "22:00", "end": "07:00", "cover": {"workday": {"min": 1, "preferred": 2},
                                                                         "weekend": {"min": 1}}}},
         "rules": {"max_consecutive_work": 5, "min_consecutive_work": 2, "max_weekends": 3},
         "weights": {"fair_nights": 20, "fair_weekends": 20, "fair_shifts": 5}},
        staff=staff,
    )
    problem, rules = problem_for(ws, day(0), 28)
    greedy, balanced = construct(problem, balance=False), construct(problem)
    assert _heads(balanced) == _heads(greedy)
    before, after = check_roster(greedy, problem, rules), check_roster(balanced, problem, rules)
    assert len(_core(after)) <= len(_core(before))
    assert _cost(after, {"R-FAIR", "R-REQUEST"}) <= _cost(before, {"R-FAIR", "R-REQUEST"})


def test_a_row_check_counts_a_history_run_that_day_one_cuts_short(dutyplan_department: DepartmentFactory) -> None:
    """R-MIN-CONSEC edge: history ends with one worked day; a first day off leaves that run too short.

    The checker and the model count a run that ends on the last history day; the balancing pass's own
    row check must too, or an exchange can cut the run short (found by the property test).
    """
    from dutyplan.model.construct import _Plan
    from dutyplan.model.rowrules import RowRules

    ws = dutyplan_department(
        {"rules": {"min_consecutive_work": 2, "max_consecutive_work": 3},
         "history": {"shifts": {"E02": ["-", "early"]}}},
        staff=2,
    )
    problem, rules = problem_for(ws, day(0), 4)
    plan = _Plan(problem)
    balancer = RowRules(plan)
    continued, cut = ["early", "early", None, None], [None, None, None, None]
    assert balancer.problems(1, cut) == balancer.problems(1, continued) + 1

    def min_consec(row: list[str | None]) -> int:
        cells = [Assignment(problem.dates[di], "E02", shift) for di, shift in enumerate(row) if shift]
        roster = Roster("test-desk", problem.horizon.start, 4, cells)
        return sum(v.rule_id == "R-MIN-CONSEC" for v in check_roster(roster, problem, rules).hard)

    assert (min_consec(continued), min_consec(cut)) == (0, 1)
