"""R-MIN-CONSEC / R-MIN-OFF (rules/runs.py): the start-of-run clauses mean exactly what ``check`` says.

``MinRun.build`` states "a run that starts on s is still on at s+j" instead of
forbidding each too-short run pattern. That is only a change of formulation if,
for every worked/off pattern and every history tail, the clauses admit the
pattern exactly when the checker finds no violation. This test proves it
exhaustively on a short horizon: all 2^6 patterns, histories that leave a run
open or closed, both rules, limits 2 and 3.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from ortools.sat.python import cp_model

from dutyplan.model.solve import build_model
from dutyplan.testing import DepartmentFactory, day, problem_for, roster_from_grid

DAYS = 6
HISTORIES: list[list[str] | None] = [None, ["-"], ["early"], ["-", "early"], ["early", "-"],
                                     ["early", "early", "-"], ["-", "-", "early", "early"]]


def _department(factory: DepartmentFactory, rule: str, limit: int, history: list[str] | None) -> Any:
    extra: dict[str, Any] = {"rules": {rule: limit}}
    if history is not None:
        extra["history"] = {"shifts": {"E01": history}}
    return factory(extra, staff=1)


@pytest.mark.parametrize("rule", ["min_consecutive_work", "min_consecutive_off"])
@pytest.mark.parametrize("limit", [2, 3])
def test_clauses_admit_exactly_what_the_checker_accepts(
    dutyplan_department: DepartmentFactory, rule: str, limit: int
) -> None:
    rule_id = "R-MIN-CONSEC" if rule == "min_consecutive_work" else "R-MIN-OFF"
    for history in HISTORIES:
        ws = _department(dutyplan_department, rule, limit, history)
        problem, rules = problem_for(ws, day(0), DAYS)
        chosen = [r for r in rules if r.id == rule_id]
        assert len(chosen) == 1
        ctx = build_model(problem, chosen)
        domains = [ctx.model.proto.variables[w.index].domain for w in ctx.work[0]]
        for pattern in itertools.product((0, 1), repeat=DAYS):
            for domain, value in zip(domains, pattern, strict=True):
                domain[0] = domain[1] = value
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            feasible = solver.solve(ctx.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            line = " ".join("early" if v else "-" for v in pattern)
            roster = roster_from_grid(problem, {"E01": line})
            caught = list(chosen[0].check(roster, problem))
            assert feasible == (not caught), (history, line, [str(v) for v in caught])
