"""The final CP-SAT solve after the groups: neighbourhoods on both workers past ``LNS_ONLY_FROM`` (R-COVER)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

from dutyplan.check import check_roster
from dutyplan.importers.curtois import import_instance
from dutyplan.model import solve as solve_module
from dutyplan.model.result import SolveOptions
from dutyplan.model.solve import solve
from dutyplan.planner import Workspace

DATA = Path(__file__).resolve().parent.parent / "data" / "curtois"
START = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def instance3(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Any, Any]:
    folder = tmp_path_factory.mktemp("final") / "bench-3"
    import_instance(DATA / "Instance3.txt", folder, START)
    ws = Workspace.open(folder)
    problem = ws.problem(ws.horizon(None, START, 14))
    return ws, problem, ws.rules(problem)


def _final_solves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, list[int]]]:
    """Record the parameters of every solver ``solve`` makes for its final solve, and what it returned."""
    made: list[tuple[Any, list[int]]] = []
    make = solve_module._solver

    def recorded(options: SolveOptions, workers: int | None = None) -> Any:
        solver = make(options, workers)
        codes: list[int] = []
        run = solver.solve

        def solved(*args: Any, **kwargs: Any) -> Any:
            codes.append(run(*args, **kwargs))
            return codes[-1]

        solver.solve = solved
        made.append((solver.parameters, codes))
        return solver

    monkeypatch.setattr(solve_module, "_solver", recorded)
    return made


@pytest.mark.parametrize(("lns_from", "workers", "lns_only"), [(0, 2, True), (10**9, 2, False), (0, 1, False)])
def test_the_final_solve_after_the_groups_runs_only_neighbourhoods_on_a_large_model(
    instance3: tuple[Workspace, Any, Any], monkeypatch: pytest.MonkeyPatch, lns_from: int, workers: int,
    lns_only: bool,
) -> None:
    """Past ``LNS_ONLY_FROM`` shift variables, with two workers and the repair's whole roster as the hint,
    CP-SAT's whole-model worker gives its core to the neighbourhoods; the roster still keeps every rule."""
    ws, problem, rules = instance3
    monkeypatch.setattr(solve_module, "COLUMNS_UNTIL", 0)  # the groups' path, as on a large department
    monkeypatch.setattr(solve_module, "GROUPS_FROM", 0)
    monkeypatch.setattr(solve_module, "LNS_ONLY_FROM", lns_from)
    made = _final_solves(monkeypatch)
    result = solve(problem, rules, SolveOptions(time_limit=8, workers=workers, seed=0), rules_for=ws.rules)
    assert [p.use_lns_only for p, _ in made] == [lns_only]
    # The final solve itself ends with a roster (not only the repair's, kept as a fallback).
    assert [codes for _, codes in made] in ([[cp_model.FEASIBLE]], [[cp_model.OPTIMAL]])
    assert result.roster is not None and result.objective is not None
    report = check_roster(result.roster, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    assert report.objective == result.objective


@pytest.mark.parametrize("missing", ["start", "repair"])
def test_without_a_whole_roster_to_start_from_the_final_solve_keeps_its_whole_model_worker(
    instance3: tuple[Workspace, Any, Any], monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    """Neighbourhoods work from a whole roster: with no start, or a repair that found none, CP-SAT's own search
    must find one, and keeps its whole-model worker to do so."""
    ws, problem, rules = instance3
    monkeypatch.setattr(solve_module, "COLUMNS_UNTIL", 0)
    monkeypatch.setattr(solve_module, "GROUPS_FROM", 0)
    monkeypatch.setattr(solve_module, "LNS_ONLY_FROM", 0)
    if missing == "start":
        monkeypatch.setattr(solve_module, "_start", lambda problem, hint: None)
    else:
        monkeypatch.setattr(solve_module.Search, "repair", lambda self, start, deadline: None)
    made = _final_solves(monkeypatch)
    result = solve(problem, rules, SolveOptions(time_limit=8, workers=2, seed=0), rules_for=ws.rules)
    assert [p.use_lns_only for p, _ in made] == [False]
    assert result.roster is not None
    assert not check_roster(result.roster, problem, rules).hard
