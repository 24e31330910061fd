"""Column generation over people's rows: a proven lower bound, and rows to recombine.

Why: on rosters whose only tie between people is the head count per shift (R-COVER), CP-SAT's
own bound stays far below the best roster (Curtois-Qu 5: 780 against 1,143 after a minute),
so the gap a manager is shown says little, and nothing tells a good roster from an optimal one.
The classic decomposition of staff rostering gives a bound that is nearly tight: a master
problem picks one row (one person's whole horizon) per person and pays the cover penalties;
its linear relaxation is solved over a growing set of rows, and each person's best new row
for the current cover prices (the LP duals) comes from a one-person CP-SAT model. On
Curtois-Qu 5 it proves 1,141 in 6 s of two cores (optimum 1,143), on 7 1,055 in 15 s (1,056).

The bound is Lagrangian, valid at every round, not only at the end: for any cover prices, the
sum over people of their best priced row (CP-SAT's proven bound of each one-person model) plus
the best the cover slack can do at those prices bounds every roster from below. So a round cut
short by the deadline still gives a proven bound, as long as each one-person model found a row
(one stopped inside its presolve proves nothing, and neither does its round).

The LP's rows then become a roster by diving (:func:`dive`): people are fixed to the row the LP
is surest of a few at a time, the others re-priced against them, and the last few planned together
by CP-SAT; on Curtois-Qu 10 and 11 that reaches the optimum. :func:`recombine` (CP-SAT picks one
known row per person, the dive's among them) polishes the result. Either is a whole roster free of
personal violations and a start for the search that follows.

The decomposition is exact only when every rule but the shift cover concerns one person at a
time (``Rule.personal``): a duty rotation, a skill cover or a fairness share ties people
together, and then this phase does not run (:func:`decomposable`). The one-person models are
built from the department's own rules (``rules_for``) with the cover taken out
(:class:`_Uncovered`); the cover itself is the master's, read from ``Problem.cover_need`` with
R-COVER's semantics (hard ``min``/``max``, ``preferred`` with a weight per person short or over).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from dutyplan.check import check_roster
from dutyplan.domain import CoverNeed, Problem
from dutyplan.errors import DutyplanError
from dutyplan.model.rows import RulesFor, alone, solve_alone, with_rows
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule
from dutyplan.rules.coverage import ShiftCover

SCALE = 1000
"""Cover prices are rounded to thousandths of a penalty point: the one-person objective is integral."""

PRICE_SECONDS = 1.0
"""Longest a one-person model may take in one round; its proven bound still counts when it is cut short
after finding a row."""

LEAST_PRICE_SECONDS = 0.05
"""Shortest time a one-person model gets, even when the deadline is nearer: usually enough to find a row.

Too short to count on a bound: a model stopped inside its presolve reports "unknown" with a bound of 0,
which is no bound at all when its priced optimum is negative (:meth:`_Pricer._solve`).
"""

BEYOND = 10**4
"""What the LP pays per person outside a hard cover limit, so that it is never infeasible on the first rows.

Only shift-days with a hard limit get such a slack: a million made GLOP's simplex fail on Curtois-Qu 5.
"""

Cell = tuple[int, int]
"""(day index, shift index)."""


def decomposable(rules: Sequence[Rule]) -> bool:
    """True when the shift cover is the only rule that ties people together."""
    return any(isinstance(r, ShiftCover) for r in rules) and all(
        isinstance(r, ShiftCover) or r.personal for r in rules
    )


@dataclass(frozen=True)
class Column:
    """One person's row: the shifts they work, and what their personal rules charge for it."""

    cells: frozenset[Cell]
    cost: int


@dataclass
class _Uncovered(Problem):
    """One person's problem with no cover at all: the cover belongs to the master."""

    def cover_need(self, shift_id: str, index: int) -> CoverNeed:
        return CoverNeed(0, 0, None, 0, 0)


def uncovered(problem: Problem, staff: str) -> Problem:
    """``problem`` with ``staff`` alone and no cover: what their personal rules alone ask of their row."""
    single = alone(problem, staff, Roster(problem.department.slug, problem.horizon.start, problem.horizon.days, []))
    fields = {f.name: getattr(single, f.name) for f in dataclasses.fields(Problem)}
    return _Uncovered(**fields)


def _cells_of(problem: Problem, roster: Roster, staff: str) -> frozenset[Cell]:
    """The (day index, shift index) cells ``staff`` works in ``roster``, inside ``problem``'s horizon."""
    day = {d: i for i, d in enumerate(problem.dates)}
    shift = {s: i for i, s in enumerate(problem.shift_ids)}
    return frozenset((day[a.date], shift[a.shift]) for a in roster.assignments if a.staff == staff and a.date in day)


WITHOUT_CUTS_SECONDS = 0.25
"""How long a one-person model may take without CP-SAT's cuts before that person is priced with them."""


class _Pricer:
    """One person's CP-SAT model, built once; each round only its objective changes.

    It runs with the full linearization but, at first, without CP-SAT's cuts: on one round's prices of
    Curtois-Qu 8, 12, 15 and 17 the same optima are proven in 0.4-0.6 of the time (0.9 s against
    1.5 s for 12's sixty people, 2.2 s against 4.6 s for 15's forty-five; ``bench/pricing_params.py``),
    so the rounds converge sooner: 12 at its optimum of 4,040 in 17.5 s of two cores, was 28.5 s. On
    9, though, half the models of a late round need the MIR cuts to be proven at all (19 of 36 in a
    second each without them, every one in 0.03 s with them). So a model that takes longer than
    ``WITHOUT_CUTS_SECONDS`` without cuts is solved again with them, from the best row found, and that
    person keeps the cuts from then on (bench/RESULTS.md, stop 21).
    """

    def __init__(self, problem: Problem, staff: str, rules_for: RulesFor) -> None:
        from dutyplan.model.solve import build_model

        self.problem = uncovered(problem, staff)
        self.rules = list(rules_for(self.problem))
        self.ctx = build_model(self.problem, self.rules)
        self.terms = [(t.expr, t.weight) for t in self.ctx.penalties]
        self.days, self.shifts = self.ctx.num_days, self.ctx.num_shifts
        self.cuts = False

    def cost_of(self, roster: Roster) -> Column | None:
        """This person's row in ``roster`` as a column; None when it breaks one of their hard rules."""
        sid = self.problem.staff_ids[0]
        row = roster.replace_assignments([a for a in roster.assignments if a.staff == sid])
        report = check_roster(row, self.problem, self.rules)
        if report.hard:
            return None
        return Column(_cells_of(self.problem, row, sid), report.objective)

    def price(self, prices: dict[Cell, int], hint: Column | None, seconds: float, seed: int
              ) -> tuple[list[tuple[Column, int]], float]:
        """Rows found at these cover prices (with their priced value) and the proven bound, both scaled."""
        self.set_prices(prices)
        found: list[tuple[Column, int]] = []
        bound = -math.inf
        if not self.cuts:
            began = time.perf_counter()
            code, bound = self._solve(hint, min(seconds, WITHOUT_CUTS_SECONDS), seed, False, found)
            if code == cp_model.OPTIMAL or seconds <= WITHOUT_CUTS_SECONDS:
                return found, bound
            self.cuts = True  # unproven in its time: this person's models need the cuts
            seconds -= time.perf_counter() - began
            hint = found[-1][0] if found else hint
        _, with_cuts = self._solve(hint, seconds, seed, True, found)
        return found, max(bound, with_cuts)

    def set_prices(self, prices: dict[Cell, int]) -> None:
        """The model's objective: this person's penalties less what the cover pays for their shifts."""
        x = self.ctx.x[0]
        exprs = [e for e, _ in self.terms] + [x[d][s] for (d, s), p in prices.items() if p]
        weights = [SCALE * w for _, w in self.terms] + [-p for p in prices.values() if p]
        self.ctx.model.minimize(cp_model.LinearExpr.weighted_sum(exprs, weights))

    def set_hint(self, hint: Column | None) -> None:
        """Start the next solve from ``hint`` (none at all when None)."""
        model, x = self.ctx.model, self.ctx.x[0]
        model.proto.solution_hint.vars.clear()
        model.proto.solution_hint.values.clear()
        if hint is not None:
            for d in range(self.days):
                for s in range(self.shifts):
                    model.add_hint(x[d][s], (d, s) in hint.cells)

    def _solve(self, hint: Column | None, seconds: float, seed: int, cuts: bool,
               found: list[tuple[Column, int]]) -> tuple[cp_model.CpSolverStatus, float]:
        """Solve the model as it stands from ``hint``, adding every improving row to ``found``: status, bound."""
        model, x = self.ctx.model, self.ctx.x[0]
        self.set_hint(hint)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
        if not cuts:
            solver.parameters.cut_level = 0
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(LEAST_PRICE_SECONDS, seconds)
        terms, days, shifts = self.terms, self.days, self.shifts

        class Collect(cp_model.CpSolverSolutionCallback):
            """Every improving row CP-SAT meets is a column, not only the last."""

            def on_solution_callback(self) -> None:
                cells = frozenset((d, s) for d in range(days) for s in range(shifts) if self.boolean_value(x[d][s]))
                cost = sum(w * int(self.value(e)) for e, w in terms)
                found.append((Column(cells, cost), round(self.objective_value)))

        code = solver.solve(model, Collect())
        if code == cp_model.INFEASIBLE:
            raise _NoRow(self.problem.staff_ids[0])
        # Stopped before its search started (inside presolve, on a short time or a busy machine), CP-SAT
        # reports "unknown" with a bound of 0: on Curtois-Qu 15 that put the rounds' bound at 4,020 over a
        # proven optimum of 3,828 and ended them as converged. Only a model that found a row has a bound.
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return code, -math.inf
        return code, solver.best_objective_bound


class _NoRow(Exception):
    """A person has no row at all that keeps their own hard rules."""


class _Unsolved(Exception):
    """GLOP gave no optimal LP (numerical trouble): the rounds stop with the bound proven so far."""


@dataclass
class Decomposition:
    """What column generation found: every person's rows, and the proven lower bound."""

    staff: list[str]
    columns: list[list[Column]]
    bound: float = -math.inf
    lp: float = math.inf
    rounds: int = 0
    converged: bool = False
    master: _Master | None = field(default=None, repr=False, compare=False)
    """What :func:`dive` goes on with: the one-person models and the cover, already built."""

    @property
    def proven(self) -> int | None:
        """The bound on a roster's (integral) penalty, or None before one was proven."""
        return None if self.bound == -math.inf else math.ceil(self.bound - 1e-6)


@dataclass
class _Cover:
    """The master's view of R-COVER on every shift-day: preferred count, weights, slack ranges."""

    needs: dict[Cell, CoverNeed]
    staff: int
    short: dict[Cell, tuple[int, int]] = field(default_factory=dict)
    over: dict[Cell, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cell, n in self.needs.items():
            top = n.max if n.max is not None else self.staff
            self.short[cell] = (max(0, n.preferred - top), max(0, n.preferred - n.min))
            self.over[cell] = (max(0, n.min - n.preferred), max(0, top - n.preferred))

    def best_slack(self, prices: dict[Cell, int]) -> float:
        """The least the cover part of the Lagrangian can be at these (scaled) prices."""
        total = 0.0
        for cell, n in self.needs.items():
            price = prices.get(cell, 0) / SCALE
            under, over = n.under_weight - price, n.over_weight + price
            (slo, shi), (olo, ohi) = self.short[cell], self.over[cell]
            total += price * n.preferred + min(under * slo, under * shi) + min(over * olo, over * ohi)
        return total


def _cover(problem: Problem) -> _Cover:
    needs = {
        (d, s): problem.cover_need(shift, d)
        for d in range(problem.horizon.days) for s, shift in enumerate(problem.shift_ids)
    }
    return _Cover(needs, len(problem.staff_ids))


class _MasterLP:
    """The restricted master's LP, kept from round to round: new rows only add their variables.

    Why: rebuilt from scratch each round, the LP of Curtois-Qu 12 (60 people, 3,500 rows by round
    20) took a second of a two-second round, most of it setting coefficients from Python and
    GLOP's presolve; kept, with presolve off, it takes a quarter of that (measured in bench/RESULTS.md).
    Fixing a person to one row (diving) sets the bounds of their other rows to zero.
    """

    def __init__(self, cover: _Cover, people: int, solver: pywraplp.Solver | None = None) -> None:
        """``solver`` a MIP solver makes the same master integral (:func:`recombine`): rows are picked
        whole and R-COVER's hard limits hold, so no slack goes past them."""
        self.solver = solver if solver is not None else pywraplp.Solver.CreateSolver("GLOP")
        self.integral = solver is not None
        self.objective = self.solver.Objective()
        self.one = [self.solver.Constraint(1, 1) for _ in range(people)]
        self.heads: dict[Cell, pywraplp.Constraint] = {}
        self.rows: list[list[pywraplp.Variable]] = [[] for _ in range(people)]
        self.fixed: dict[int, int] = {}
        for cell, n in cover.needs.items():
            ct = self.solver.Constraint(n.preferred, n.preferred)
            (slo, shi), (olo, ohi) = cover.short[cell], cover.over[cell]
            for sign, (lo, hi), weight, limited in ((1, (slo, shi), n.under_weight, n.min > 0),
                                                    (-1, (olo, ohi), n.over_weight, n.max is not None)):
                inside = self.solver.NumVar(lo, hi, "")
                ct.SetCoefficient(inside, sign)
                self.objective.SetCoefficient(inside, weight)
                if limited and not self.integral:  # past a hard limit: only while the rows force it
                    beyond = self.solver.NumVar(0, cover.staff, "")
                    ct.SetCoefficient(beyond, sign)
                    self.objective.SetCoefficient(beyond, BEYOND)
            self.heads[cell] = ct
        self.objective.SetMinimization()
        self.params = pywraplp.MPSolverParameters()
        self.params.SetIntegerParam(self.params.PRESOLVE, self.params.PRESOLVE_OFF)

    def add(self, columns: list[list[Column]], top: Callable[[int, int], int] = lambda person, k: 1) -> None:
        """A variable for every row of ``columns`` not in the master yet, at most ``top(person, k)``."""
        for person, rows in enumerate(columns):
            for k in range(len(self.rows[person]), len(rows)):
                column = rows[k]
                weight = (self.solver.IntVar if self.integral else self.solver.NumVar)(0, top(person, k), "")
                self.one[person].SetCoefficient(weight, 1)
                self.objective.SetCoefficient(weight, column.cost)
                for cell in column.cells:
                    self.heads[cell].SetCoefficient(weight, 1)
                self.rows[person].append(weight)

    def solve(self, columns: list[list[Column]], fixed: dict[int, int]
              ) -> tuple[float, list[float], dict[Cell, float], list[list[float]]]:
        """The LP over ``columns`` with ``fixed`` people held to one row: value, duals of one-row-per-person
        and of the cover, and the weights of every row."""

        def top(person: int, k: int) -> int:
            return 1 if person not in fixed or k == fixed[person] else 0

        for person in self.fixed.keys() | fixed.keys():
            if self.fixed.get(person) != fixed.get(person):
                for k, weight in enumerate(self.rows[person]):
                    weight.SetUb(top(person, k))
        self.fixed = dict(fixed)
        self.add(columns, top)
        if self.solver.Solve(self.params) != pywraplp.Solver.OPTIMAL:
            raise _Unsolved()
        return (
            self.objective.Value(),
            [ct.dual_value() for ct in self.one],
            {cell: ct.dual_value() for cell, ct in self.heads.items()},
            [[w.solution_value() for w in rows] for rows in self.rows],
        )


def _seconds(deadline: float) -> float:
    """A one-person model's time in a round: ``PRICE_SECONDS``, less when the deadline is nearer."""
    return max(LEAST_PRICE_SECONDS, min(PRICE_SECONDS, deadline - time.perf_counter()))


class _Master:
    """Rounds of column generation: the master LP, then every free person's pricing at its duals.

    People may be fixed to one of their rows (diving, :func:`dive`): the LP then offers them that
    row alone and they are not priced, and the round's Lagrangian bound no longer holds.
    """

    def __init__(self, cover: _Cover, pricers: list[_Pricer], result: Decomposition, deadline: float,
                 workers: int, seed: int, rules_for: RulesFor) -> None:
        self.cover, self.pricers, self.result, self.rules_for = cover, pricers, result, rules_for
        self.deadline, self.workers, self.seed = deadline, workers, seed
        self.master_lp = _MasterLP(cover, len(pricers))

    def lp(self, fixed: dict[int, int]) -> tuple[float, list[float], dict[Cell, float], list[list[float]]]:
        """The master LP with ``fixed`` people (person -> row index) held to one row; weights over every row."""
        return self.master_lp.solve(self.result.columns, fixed)

    def round(self, fixed: dict[int, int]) -> tuple[float, list[list[float]], int, float | None]:
        """One round: the LP's value and weights, how many rows were added, and the bound (None if anyone is fixed)."""
        value, own_duals, cover_duals, weights = self.lp(fixed)
        prices = {cell: round(SCALE * d) for cell, d in cover_duals.items()}
        columns, deadline, seed = self.result.columns, self.deadline, self.seed

        def price(person: int) -> tuple[list[tuple[Column, int]], float]:
            rows = columns[person]
            hint = rows[max(range(len(rows)), key=lambda k: weights[person][k])]
            return self.pricers[person].price(prices, hint, _seconds(deadline), seed)

        free = [p for p in range(len(self.pricers)) if p not in fixed]
        added, bound = 0, self.cover.best_slack(prices)
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for person, (found, best) in zip(free, pool.map(price, free), strict=True):
                bound += best / SCALE
                for column, priced in found:
                    if priced / SCALE < own_duals[person] - 1e-6 and column not in columns[person]:
                        columns[person].append(column)
                        added += 1
        return value, weights, added, None if fixed else bound


def generate(
    problem: Problem,
    start: Roster,
    rules_for: RulesFor,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
) -> Decomposition | None:
    """Column generation until the bound cannot rise any more or ``deadline``; None if it cannot run.

    ``start``'s rows that keep their person's hard rules are the first columns, with each
    person's best row at the cover's own weights as prices.
    """
    try:
        pricers = [_Pricer(problem, sid, rules_for) for sid in problem.staff_ids]
    except (DutyplanError, KeyError, ValueError):
        return None  # a plugin's rule needs the whole department
    cover = _cover(problem)
    result = Decomposition(list(problem.staff_ids), [[] for _ in pricers])
    master = _Master(cover, pricers, result, deadline, workers, seed, rules_for)
    result.master = master
    first = {cell: SCALE * n.under_weight for cell, n in cover.needs.items() if n.preferred > 0}
    try:
        for person, pricer in enumerate(pricers):
            own = pricer.cost_of(start)
            if own is not None:
                result.columns[person].append(own)
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            firsts = list(pool.map(lambda p: p.price(first, None, _seconds(deadline), seed), pricers))
        for person, (found, _) in enumerate(firsts):
            if not found and not result.columns[person]:
                return None  # no row in time: no master without one
            for column, _ in found[-1:]:
                if column not in result.columns[person]:
                    result.columns[person].append(column)
        while time.perf_counter() < deadline:
            try:
                value, _, added, bound = master.round({})
            except _Unsolved:
                break
            result.lp = value
            result.rounds += 1
            result.bound = max(result.bound, bound if bound is not None else -math.inf)
            if result.proven is not None and result.proven >= math.ceil(value - 1e-6):
                result.converged = True  # the LP's value caps the bound: more rounds cannot raise it
                break
            if not added:
                break
    except _NoRow:
        return None
    return result


DIVE_ROUNDS = 3
"""Rounds of pricing after each fixing while diving: enough to mend the LP, few enough to reach the bottom."""

FINISH_PEOPLE = 8
"""Most people still free when the dive hands them to one CP-SAT sub-problem, solved to optimality.

One worker with full linearization proves four to eight people of Curtois-Qu 5 to 7 in 0.2 to 6 s.
"""

FINISH_PERSON_DAYS = 8 * 28
"""Person-days that sub-problem may hold: what a longer horizon leaves free is fewer people.

Eight people of a four-week month are proven in seconds; eight of Curtois-Qu 16's eight weeks were not
in the finish's 7 s (3,434 against an LP of 3,224). With four people at 56 days the whole solve, seeds
0 / 1, gave 16 3,225 / 3,227 (was 3,437 / 3,229) and 17 5,746 / 5,748 (5,746 / 5,752), with five at 42
days 14 1,278 both and 15 4,434 / 4,301 (4,203 / 4,405, its usual spread). A fixed share of the people
instead (15%, at least four) helped 16 as much and cost 7 and 10 (1,062, 4,633 against 1,056, 4,631) and
8 in one run (bench/RESULTS.md, stop 23).
"""


def finish_people(days: int) -> int:
    """How many people the dive leaves to CP-SAT on a horizon of ``days``: as many as ``FINISH_PERSON_DAYS``
    hold, one at least (a horizon past 224 days), ``FINISH_PEOPLE`` at most."""
    return max(1, min(FINISH_PEOPLE, FINISH_PERSON_DAYS // max(1, days)))


FINISH_SHARE = 1 / 3
"""Share of the dive's time kept for that sub-problem: the dive stops fixing when only this is left."""


def dive(problem: Problem, found: Decomposition, deadline: float) -> Roster | None:
    """A roster by diving: fix the person the LP is surest of to their row, re-price the rest, repeat.

    Why: the rows column generation leaves behind are the LP's, and one row per person picked from
    them (:func:`recombine`) often covers badly (Curtois-Qu 7: 3,124 against an LP of 1,054; 5:
    1,259 against 1,141), since no row was priced against the others' final choice. Diving prices
    every later row against the rows already fixed, the usual primal heuristic of branch-and-price.
    Each step fixes every person whose row the LP already picks whole, and the one it is surest of
    besides, or as many of the surest as it takes to reach the last few in the time left (a step's
    rounds take 0.3 s at 20 people, about a second at 40). The last :func:`finish_people` (or everyone left
    when the time to dive is up) are planned together by CP-SAT against the fixed rows
    (:func:`dutyplan.model.rows.solve_alone`), from their heaviest rows. Their rows join the columns, so
    :func:`recombine` may start from this roster.
    None when column generation did not run or the LP failed.
    """
    return _dive(problem, found, deadline, {}, finish_people(problem.horizon.days))


def _dive(problem: Problem, found: Decomposition, deadline: float, fixed: dict[int, int], finish: int
          ) -> Roster | None:
    """Dive from ``fixed`` (person -> row index) until ``finish`` people are left, then plan those together.

    From a partial fixing it re-dives part of a roster (``bench/polish_from.py``).
    """
    master = found.master
    if master is None:
        return None
    now = time.perf_counter()  # the rounds below end where the dive stops fixing people
    master.deadline = now + (1 - FINISH_SHARE) * max(0.0, deadline - now)
    people = range(len(found.staff))
    fixed = dict(fixed)
    try:
        while True:
            began = time.perf_counter()
            weights: list[list[float]] | None = None
            for _ in range(DIVE_ROUNDS):
                if time.perf_counter() >= master.deadline:
                    break
                _, weights, added, _ = master.round(fixed)
                if not added:
                    break
            if weights is None:
                weights = master.lp(fixed)[3]
            free = [p for p in people if p not in fixed]
            heaviest = {p: max(range(len(weights[p])), key=weights[p].__getitem__) for p in free}
            if time.perf_counter() >= master.deadline or len(free) <= finish:
                fixed.update(heaviest)
                break
            whole = [p for p in free if weights[p][heaviest[p]] > 1 - 1e-6]
            rest = [p for p in free if p not in whole]
            # As many at once as it takes to reach the last few in the time left, at this step's pace.
            steps = max(1.0, (master.deadline - time.perf_counter()) / max(1e-3, time.perf_counter() - began))
            count = max(1, math.ceil((len(rest) - finish) / steps))
            surest = sorted(rest, key=lambda p: -weights[p][heaviest[p]])[:count]
            fixed.update({p: heaviest[p] for p in whole + surest})
    except (_Unsolved, _NoRow):
        return None
    roster = _roster(problem, found.staff, [found.columns[p][fixed[p]] for p in people])
    if free and time.perf_counter() < deadline:
        group = [found.staff[p] for p in free]
        finished = solve_alone(problem, group, roster, master.rules_for, deadline - time.perf_counter(),
                               1, master.seed, first_only=False)
        if finished is not None and finished.cost < finished.before:
            roster = with_rows(roster, group, finished.row)
            for person in free:
                column = master.pricers[person].cost_of(roster)
                if column is not None and column not in found.columns[person]:
                    found.columns[person].append(column)
    return roster


RECOMBINE_SOLVERS = ("CBC", "SCIP")
"""The MIP solvers (shipped with OR-Tools) that :func:`recombine` tries, in this order.

Picking one known row per person is a set-partitioning problem, which LP-based branch and bound
solves far better than CP-SAT: from the rows of Curtois-Qu 5 after a dive to 1,146-1,147, CBC proves
the pool's best (1,144-1,145) in about 1 s, where SCIP stays at its hint in 3 s and CP-SAT stayed at
the dive's roster in 20 s. CBC ignores the hint, so on pools with no better roster (8, 16: dives of
1,407-1,515 and 3,541) it returns a worse one and the caller keeps the dive (bench/RESULTS.md, stop 18).
"""


def recombine(
    problem: Problem,
    found: Decomposition,
    incumbent: Roster | None,
    deadline: float,
) -> Roster | None:
    """The best roster a MIP solver makes of one known row per person by ``deadline`` (None if none in time).

    The restricted master of column generation solved with integral row choices: ``incumbent``'s rows
    (where they keep their person's rules) are among the rows it chooses from and are its hint
    (SCIP starts from it, CBC does not), so the caller keeps whichever of the two costs less. CBC
    runs on one thread, deterministically.
    """
    solver = next((s for s in map(pywraplp.Solver.CreateSolver, RECOMBINE_SOLVERS) if s is not None), None)
    if solver is None:
        return None
    columns = found.columns
    master = _MasterLP(_cover(problem), len(columns), solver)
    master.add(columns)
    if incumbent is not None:
        mine = [_cells_of(problem, incumbent, sid) for sid in found.staff]
        solver.SetHint([var for pick in master.rows for var in pick],
                       [float(column.cells == mine[person])
                        for person, rows in enumerate(columns) for column in rows])
    solver.SetTimeLimit(max(100, round(1000 * (deadline - time.perf_counter()))))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    return _roster(problem, found.staff, [
        next(column for column, var in zip(rows, pick, strict=True) if var.solution_value() > 0.5)
        for rows, pick in zip(columns, master.rows, strict=True)
    ])


def _roster(problem: Problem, staff: Sequence[str], rows: Sequence[Column]) -> Roster:
    """The roster in which each of ``staff`` works their row of ``rows`` (the same order)."""
    assignments = [
        Assignment(problem.dates[d], sid, problem.shift_ids[s])
        for sid, row in zip(staff, rows, strict=True)
        for d, s in row.cells
    ]
    horizon = problem.horizon
    return Roster(problem.department.slug, horizon.start, horizon.days, sorted(assignments))


__all__ = ["Column", "Decomposition", "decomposable", "dive", "generate", "recombine", "uncovered"]
