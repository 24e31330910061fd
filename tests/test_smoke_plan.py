"""The example department plans, and its roster passes every hard rule (R-COVER, R-REST, ...)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dutyplan.model.solve import SolveOptions
from dutyplan.planner import Workspace, plan


def test_example_department_plans_a_week_and_passes_check(example_dept: Path) -> None:
    ws = Workspace.open(example_dept)
    horizon = ws.horizon(None, dt.date(2027, 1, 4), 7)
    outcome = plan(ws, horizon, SolveOptions(time_limit=10, workers=2, seed=1), formats=("csv",))
    assert outcome.report.ok
    assert outcome.path is not None and outcome.path.exists()
    again = ws.store.load(horizon.label)
    assert again.assignments == outcome.roster.assignments
    assert ws.check(again, outcome.problem).objective == outcome.result.objective
