"""Column generation over rows (model/columns.py) on Curtois-Qu 2 and 3, whose optima are proven (828, 1001).

The Lagrangian bound must never pass the optimum (that it is a bound at all is the property test in
tests/test_property.py); here it must also be tight, since that is why it exists: on these two the
linear relaxation over rows closes the whole gap. Recombined rows must make a roster that keeps every
rule, diving must reach the optimum on both, and ``solve`` must report the bound, at the end and live,
even when CP-SAT's own is weak.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

from dutyplan.check import check_roster
from dutyplan.domain import Problem
from dutyplan.importers.curtois import import_instance
from dutyplan.model import columns
from dutyplan.model import solve as solve_module
from dutyplan.model.columns import _MasterLP, decomposable, dive, generate, recombine
from dutyplan.model.construct import construct
from dutyplan.model.result import Progress, SolveOptions
from dutyplan.model.solve import solve
from dutyplan.planner import Workspace
from dutyplan.rules.base import Rule
from dutyplan.rules.coverage import ShiftCover

DATA = Path(__file__).resolve().parent.parent / "data" / "curtois"
START = dt.date(2024, 1, 1)
OPTIMUM = {2: 828, 3: 1001}
EXAMPLE = Path(__file__).resolve().parents[2] / "rosters" / "customer-service"


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Workspace, Problem, list[Rule]]]:
    root = tmp_path_factory.mktemp("columns")
    loaded = {}
    for n in OPTIMUM:
        folder = root / f"bench-{n}"
        import_instance(DATA / f"Instance{n}.txt", folder, START)
        ws = Workspace.open(folder)
        problem = ws.problem(ws.horizon(None, START, 14))
        loaded[n] = (ws, problem, ws.rules(problem))
    return loaded


@pytest.mark.parametrize("n", sorted(OPTIMUM))
def test_the_bound_over_rows_reaches_the_proven_optimum(instances: dict[int, Any], n: int) -> None:
    ws, problem, rules = instances[n]
    assert decomposable(rules)
    found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 30, workers=2)
    assert found is not None and found.converged
    assert found.proven == OPTIMUM[n]
    assert found.bound <= found.lp + 1e-6


@pytest.mark.parametrize("n", sorted(OPTIMUM))
def test_recombined_rows_keep_every_rule_and_beat_the_greedy_start(instances: dict[int, Any], n: int) -> None:
    """R-COVER and every personal rule: the picked rows make a whole roster no hard rule objects to.

    Once the dive's rows are in the pool, the MIP picks the optimum out of them, though still hinted
    with the greedy start.
    """
    ws, problem, rules = instances[n]
    start = construct(problem)
    found = generate(problem, start, ws.rules, time.perf_counter() + 30, workers=2)
    assert found is not None
    roster = recombine(problem, found, start, time.perf_counter() + 10)
    assert roster is not None
    report, greedy = check_roster(roster, problem, rules), check_roster(start, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    assert OPTIMUM[n] <= report.objective
    assert greedy.hard or report.objective <= greedy.objective
    assert dive(problem, found, time.perf_counter() + 20) is not None
    roster = recombine(problem, found, start, time.perf_counter() + 10)
    assert roster is not None
    report = check_roster(roster, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    assert report.objective == OPTIMUM[n]


@pytest.mark.parametrize("n", sorted(OPTIMUM))
@pytest.mark.parametrize("seed", [0, 1])
def test_diving_reaches_the_optimum_and_leaves_its_rows_to_recombine(
    instances: dict[int, Any], n: int, seed: int
) -> None:
    """Rows priced against the rows already fixed, the last people planned together: 828 and 1,001 exactly."""
    ws, problem, rules = instances[n]
    found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 30, workers=2, seed=seed)
    assert found is not None
    roster = dive(problem, found, time.perf_counter() + 20)
    assert roster is not None
    report = check_roster(roster, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    assert report.objective == OPTIMUM[n]
    for person, sid in enumerate(found.staff):  # every dived row is a column recombining can start from
        cells = {(problem.dates.index(a.date), problem.shift_ids.index(a.shift))
                 for a in roster.assignments if a.staff == sid}
        assert any(column.cells == cells for column in found.columns[person]), sid


def test_a_dive_from_a_partial_fixing_keeps_the_fixed_rows(instances: dict[int, Any]) -> None:
    """``_dive`` from half the people fixed (bench/polish_from.py re-dives the other half) leaves them as they were.

    They are fixed to the greedy start's rows (penalty 1,758 in all), not the rows a dive to 828 ends on.
    """
    ws, problem, rules = instances[2]
    start = construct(problem)
    found = generate(problem, start, ws.rules, time.perf_counter() + 30, workers=2)
    assert found is not None and found.master is not None
    fixed = {}
    for person, pricer in enumerate(found.master.pricers):
        row = pricer.cost_of(start)
        if row is not None and person % 2 == 0:
            if row not in found.columns[person]:
                found.columns[person].append(row)
            fixed[person] = found.columns[person].index(row)
    assert fixed
    again = columns._dive(problem, found, time.perf_counter() + 10, fixed, 2)
    assert again is not None
    report = check_roster(again, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    for person in fixed:
        sid = found.staff[person]
        assert {a for a in again.assignments if a.staff == sid} == {a for a in start.assignments if a.staff == sid}


def test_diving_needs_column_generation_first(instances: dict[int, Any]) -> None:
    ws, problem, _ = instances[2]
    found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 30, workers=2)
    assert found is not None
    found.master = None
    assert dive(problem, found, time.perf_counter() + 5) is None


def test_the_master_lp_kept_between_rounds_equals_one_built_afresh(instances: dict[int, Any]) -> None:
    """Rows added, a person fixed to one row and let go again: the kept LP always solves what a new one does."""
    ws, problem, _ = instances[3]
    found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 30, workers=2)
    assert found is not None and found.master is not None
    kept = found.master.master_lp
    columns = found.columns
    person = max(range(len(columns)), key=lambda p: len(columns[p]))
    for fixed in ({}, {person: 0}, {person: len(columns[person]) - 1}, {}):
        afresh = _MasterLP(found.master.cover, len(columns)).solve(columns, fixed)
        value, _, _, weights = kept.solve(columns, fixed)
        assert value == pytest.approx(afresh[0], abs=1e-6)
        for k in fixed.values():
            assert weights[person][k] == pytest.approx(1.0)
    first = _MasterLP(found.master.cover, len(columns)).solve([rows[:1] for rows in columns], {})
    assert first[0] >= kept.solve(columns, {})[0] - 1e-6  # more rows never raise the LP


def test_a_rule_that_ties_people_together_turns_the_decomposition_off() -> None:
    """The example desk's duty rotation (D-DAILY), meal breaks (R-MEAL), skill and desk cover tie people."""
    ws = Workspace.open(EXAMPLE)
    problem = ws.problem(ws.horizon(None, dt.date(2027, 1, 1), 7))
    rules = ws.rules(problem)
    ties = {r.key for r in rules if not r.personal}
    assert {"D-DAILY", "R-MEAL", "R-COVER/desk", "R-COVER/early/key_holder", "R-FAIR/nights"} <= ties
    assert not decomposable(rules)
    assert decomposable([r for r in rules if r.personal or isinstance(r, ShiftCover)])
    assert not decomposable([r for r in rules if r.personal])  # no cover: nothing for the master to price


def test_solve_reports_the_bound_over_rows_when_cp_sat_has_none(
    instances: dict[int, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CP-SAT stopped at its first roster proves little; the bound ``solve`` reports is the rows' 828."""
    ws, problem, rules = instances[2]
    make = solve_module._solver

    def first_only(options: SolveOptions, workers: int | None = None) -> Any:
        solver = make(options, workers)
        solver.parameters.stop_after_first_solution = True
        return solver

    monkeypatch.setattr(solve_module, "_solver", first_only)
    seen: list[Progress] = []
    result = solve(problem, rules, SolveOptions(time_limit=20, workers=2), on_progress=seen.append,
                   rules_for=ws.rules)
    assert result.objective is not None
    assert result.bound == OPTIMUM[2]
    assert result.status == ("optimal" if result.objective == OPTIMUM[2] else "feasible")
    # The live status line shows it too, from the moment it is proven: never a lower bound after it.
    proven = next(i for i, p in enumerate(seen) if p.bound == OPTIMUM[2])
    assert all(p.bound == OPTIMUM[2] for p in seen[proven:])


@pytest.mark.parametrize("unfinished", [False, True])
def test_the_groups_mend_the_dived_roster_only_when_it_is_provably_far_from_the_optimum(
    instances: dict[int, Any], monkeypatch: pytest.MonkeyPatch, unfinished: bool
) -> None:
    """POLISH_FROM: a bound far below the roster (rounds cut short) gives the groups time; at the optimum, none."""
    ws, problem, rules = instances[3]
    generate_rows, improve = solve_module.generate, solve_module.improve_groups
    calls: list[int] = []

    def generate_then_stop(*args: Any, **kwargs: Any) -> Any:
        found = generate_rows(*args, **kwargs)
        if found is not None and unfinished:
            found.bound = found.lp * (1 - 2 * solve_module.POLISH_FROM)  # as if the rounds had been cut short
        return found

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return improve(*args, **kwargs)

    monkeypatch.setattr(solve_module, "generate", generate_then_stop)
    monkeypatch.setattr(solve_module, "improve_groups", counted)
    start = construct(problem)
    options = SolveOptions(time_limit=20, workers=2)
    found, roster = solve_module._columns(problem, start, rules, ws.rules, options, 2, time.perf_counter() + 20)
    assert found is not None and roster is not None
    assert len(calls) == (1 if unfinished else 0)
    report = check_roster(roster, problem, rules)
    assert not report.hard, [str(v) for v in report.hard]
    assert OPTIMUM[3] <= report.objective <= check_roster(start, problem, rules).objective


def test_a_person_whose_model_is_slow_without_cuts_is_priced_with_them_from_then_on(
    instances: dict[int, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """WITHOUT_CUTS_SECONDS: an unproven model without cuts is solved again with them, and stays so."""
    ws, problem, _ = instances[2]
    pricer = columns._Pricer(problem, problem.staff_ids[0], ws.rules)
    prices = {(d, 0): 50 * columns.SCALE for d in range(problem.horizon.days)}
    exact, exact_bound = pricer.price(prices, None, 5.0, 0)
    assert not pricer.cuts  # a one-person fortnight is proven at once without cuts
    calls: list[bool] = []
    solve_for_real = columns._Pricer._solve

    def slow_without_cuts(self: Any, hint: Any, seconds: float, seed: int, cuts: bool, found: list[Any]) -> Any:
        calls.append(cuts)
        if not cuts:
            return cp_model.FEASIBLE, -math.inf  # as if the time ran out before the proof
        return solve_for_real(self, hint, seconds, seed, cuts, found)

    monkeypatch.setattr(columns._Pricer, "_solve", slow_without_cuts)
    found, bound = pricer.price(prices, None, 5.0, 0)
    assert calls == [False, True] and pricer.cuts
    assert bound == exact_bound and found[-1][1] == exact[-1][1]  # the same optimum, proven with cuts
    pricer.price(prices, None, 5.0, 0)
    assert calls == [False, True, True]  # from then on straight with cuts


def test_a_one_person_model_stopped_before_its_search_proves_no_bound(
    instances: dict[int, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CP-SAT stopped inside presolve says "unknown" with a bound of 0: not a bound on a negative optimum.

    Counted as one, it lifted the rounds' Lagrangian bound over the optimum (Curtois-Qu 15: 4,020 against
    3,828) and ended column generation as converged.
    """
    ws, problem, _ = instances[2]
    pricer = columns._Pricer(problem, problem.staff_ids[0], ws.rules)
    prices = {(d, 0): 50 * columns.SCALE for d in range(problem.horizon.days)}
    _, exact = pricer.price(prices, None, 5.0, 0)
    assert exact < 0  # the cover pays more than this person's rules charge: 0 would be above the optimum
    monkeypatch.setattr(columns, "LEAST_PRICE_SECONDS", 0.0)  # no time at all: stopped before it starts
    code, bound = pricer._solve(None, 0.0, 0, False, [])
    assert code not in (cp_model.OPTIMAL, cp_model.FEASIBLE)  # really stopped before any row
    assert bound == -math.inf
    _, bound = pricer.price(prices, None, 0.0, 0)
    assert bound <= exact


def test_rounds_whose_pricing_is_cut_short_prove_nothing_and_go_on(
    instances: dict[int, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round with a model stopped before its search has no bound (-inf): the rounds go on without one."""
    ws, problem, _ = instances[2]
    price_for_real = columns._Pricer.price

    def unproven(self: Any, prices: Any, hint: Any, seconds: float, seed: int) -> Any:
        found, _ = price_for_real(self, prices, hint, seconds, seed)
        return found, -math.inf

    monkeypatch.setattr(columns._Pricer, "price", unproven)
    found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 10, workers=2)
    assert found is not None and found.rounds >= 2, found.rounds
    assert found.proven is None and not found.converged
    assert found.lp < math.inf


def test_the_dive_leaves_the_same_person_days_to_cp_sat_on_any_horizon() -> None:
    """FINISH_PERSON_DAYS: eight people of a 28-day month, four of an 8-week horizon (Curtois-Qu 16, 17)."""
    assert columns.finish_people(28) == 8
    assert columns.finish_people(42) == 5
    assert columns.finish_people(56) == 4
    assert columns.finish_people(14) == columns.FINISH_PEOPLE  # never more than that
    assert columns.finish_people(365) == 1


def test_a_dive_hands_cp_sat_no_more_people_than_its_person_days_allow(
    instances: dict[int, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, problem, rules = instances[3]
    found = generate(problem, construct(problem), ws.rules, time.perf_counter() + 30, workers=2)
    assert found is not None
    monkeypatch.setattr(columns, "FINISH_PERSON_DAYS", 3 * problem.horizon.days)
    finishes: list[int] = []
    dive_for_real = columns._dive

    def spy(problem: Problem, found: Any, deadline: float, fixed: dict[int, int], finish: int) -> Any:
        finishes.append(finish)
        return dive_for_real(problem, found, deadline, fixed, finish)

    monkeypatch.setattr(columns, "_dive", spy)
    roster = dive(problem, found, time.perf_counter() + 20)
    assert finishes == [3]
    assert roster is not None and not check_roster(roster, problem, rules).hard
