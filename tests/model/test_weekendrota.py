"""The weekend rota (model/weekendrota.py) on random small departments over 14 to 20 weeks.

Whatever the department, the rota hands out no more weekends than the allowance left (R-MAX-WEEKENDS):
its caps add up to at most what everybody may still work, nobody's share exceeds their own allowance,
a weekend's share stays within its cap and goes only to people who may work one of its days; and the
greedy start built with it breaks no R-MAX-WEEKENDS limit. A month stays without a rota
(``construct.ROTA_FROM_WEEKENDS``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutyplan.check import check_roster
from dutyplan.model.construct import ROTA_FROM_WEEKENDS, _Plan, construct
from dutyplan.model.rowrules import NO_LIMIT
from dutyplan.model.weekendrota import WeekendRota
from dutyplan.testing import DEFAULT_START, DepartmentFactory, make_department, problem_for

ROTA = settings(
    max_examples=30, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def long_departments(draw: st.DrawFn) -> tuple[dict[str, Any], int, int]:
    """A department file (overrides), its staff count and a horizon of 14-20 whole weeks."""
    weeks = draw(st.integers(ROTA_FROM_WEEKENDS, 20))
    staff = draw(st.integers(2, 6))
    level = st.integers(0, 3)
    weekday_min, weekend_min = draw(st.integers(0, 1)), draw(st.integers(0, 1))
    overrides: dict[str, Any] = {
        "shifts": {"early": {"cover": {
            "workday": {"min": weekday_min, "preferred": weekday_min + draw(level)},
            "weekend": {"min": weekend_min, "preferred": weekend_min + draw(level)},
        }}},
        "rules": {
            "max_weekends": draw(st.integers(1, weeks)),
            "max_consecutive_work": draw(st.integers(2, 6)),
            "min_consecutive_work": draw(st.integers(1, 2)),
            "min_consecutive_off": draw(st.integers(1, 2)),
        },
        "weights": {"coverage_under": 100, "coverage_over": 1},
    }
    busy = draw(st.sets(st.integers(0, weeks - 1), max_size=4))
    overrides["demand"] = [
        {"date": DEFAULT_START + dt.timedelta(7 * week + draw(st.sampled_from([5, 6]))),
         "shift": "early", "min": 0, "preferred": draw(st.integers(1, staff))}
        for week in sorted(busy)
    ]
    return overrides, staff, 7 * weeks


@ROTA
@given(long_departments())
def test_the_rota_hands_out_no_more_weekends_than_are_left(case: tuple[dict[str, Any], int, int]) -> None:
    overrides, staff, days = case
    with tempfile.TemporaryDirectory() as folder:
        ws = make_department(Path(folder) / "dept", overrides, staff=staff)
        problem, rules = problem_for(ws, DEFAULT_START, days)
        plan = _Plan(problem)
        rota = plan.rota
        assert isinstance(rota, WeekendRota)
        rota.replan(0)
        limited = [p for p in plan.people if p.max_weekends < NO_LIMIT]
        assert sum(rota.cap.values()) <= sum(p.max_weekends for p in limited)
        for sat in rota.saturdays:
            share = rota.rostered[sat]
            assert 0 <= len(share) <= rota.cap[sat]
            assert all(any(p.free_days[d] for d in rota.days[sat]) for p in limited if p.id in share)
        for p in limited:
            assert sum(p.id in rota.rostered[sat] for sat in rota.saturdays) <= p.max_weekends
            assert 0 <= rota.kept_free(p, 0) <= p.free_after[0]
        roster = construct(problem)
        report = check_roster(roster, problem, rules)
        assert not [v for v in report.hard if v.rule_id == "R-MAX-WEEKENDS"], report.hard


def test_a_month_is_planned_without_a_rota(dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department({"rules": {"max_weekends": 2}}, staff=3)
    problem, _rules = problem_for(ws, DEFAULT_START, 28)
    assert _Plan(problem).rota is None
    longer, _rules = problem_for(ws, DEFAULT_START, 7 * ROTA_FROM_WEEKENDS)
    assert _Plan(longer).rota is not None
