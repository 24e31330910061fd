"""Repair a greedy start into a whole roster on sub-problems of the one model.

Why: on a large department CP-SAT alone spends its time limit before it has
any roster (200 people: none in 30 s; 1,000 people: none in 60 s), and a
start that names only the shifts is a *partial* hint it does not complete
either (tried: the first roster still came from its own feasibility jump,
10 s in, at 50 times the greedy start's cost). Here the start is made whole and
feasible on sub-problems: every person-day outside a neighbourhood is fixed to
the start (one domain per cell, ``work`` or the worked shift; the model's own
constraints propagate the rest) and CP-SAT solves what is left with the
department's objective. Fixing is undone after every sub-solve, so the model
the final solve sees is unchanged.

:meth:`Search.repair` frees the people and days the checker names in the
start's hard violations (a plugin's rule included) and widens the
neighbourhood until the sub-problem is feasible. With no violation nothing is
freed and the sub-solve only completes the variables rules keep beside the
shifts (penalty terms, duty days): it is presolve and propagation, a fraction
of a second at 200 people, 12 s on a year of 150 people and 32 shift types (Curtois-Qu 24), so it
gets all the time left. A roster found here is a solution of the full model
(a sub-problem only adds fixings), so the final solve starts from it as a
complete hint.

:meth:`Search.improve` minimises within one neighbourhood from such a whole solution: on long horizons
with a weekend limit, ``solve`` gives it everyone's weekends with every weekday held
(``solve.WEEKENDS_FROM``), a neighbourhood CP-SAT's own, drawn over the whole model, rarely hits.

Large-neighbourhood search driven from here (staff, day-window and
fairness-extreme neighbourhoods, each sub-solve re-presolving the whole model)
was measured and dropped: CP-SAT's own LNS on the presolved model improved
faster on every size tried (gen200, Curtois–Qu 8, 12 and 20; bench/RESULTS.md).
One exception, where R-MAX-WEEKENDS binds on a month or a quarter: a few weekends
at a time with Thursday to Tuesday around each, everyone free
(model/weekendwindows.py), reach moves across weekends that CP-SAT's
neighbourhoods rarely draw.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from dutyplan.check import check_roster
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

OFF = -1


@dataclass
class Found:
    """A whole solution of the model: every variable's value, its objective and the solver that holds it."""

    values: list[int]
    objective: int
    solver: cp_model.CpSolver
    seconds: float


class _Better(cp_model.CpSolverSolutionCallback):
    """Passes each roster's objective and time on (``Search.on_better``)."""

    def __init__(self, hear: Callable[[float, float], None], started: float) -> None:
        super().__init__()
        self.hear, self.started = hear, started

    def on_solution_callback(self) -> None:
        self.hear(self.objective_value, time.perf_counter() - self.started)


def complete_hint(ctx: ModelContext, values: list[int]) -> None:
    """Replace the model's hint by a whole solution (every variable), so CP-SAT starts from it."""
    hint = ctx.model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


class Search:
    """Sub-solves of one model with most person-days fixed (see the module docstring)."""

    def __init__(
        self,
        ctx: ModelContext,
        rules: Sequence[Rule],
        seed: int = 0,
        workers: int = 1,
        started: float | None = None,
        on_found: Callable[[Found], None] | None = None,
        on_better: Callable[[float, float], None] | None = None,
    ) -> None:
        self.ctx, self.rules, self.workers = ctx, rules, workers
        self.seed = seed
        self.started = time.perf_counter() if started is None else started
        self.on_found = on_found
        self.on_better = on_better
        """Hears each roster CP-SAT finds inside :meth:`improve` (its objective, seconds since ``started``):
        that solve runs for minutes on a long horizon, and live progress should not go quiet meanwhile."""
        self.variables = ctx.model.proto.variables
        """The model's variables, whose domains a sub-solve narrows: looked up per fixed cell, not listed
        ahead (listing all 1.8 million of a year of 150 people and 32 shift types took 2.8 s)."""
        self.best: Found | None = None
        self.sub_solves = 0

    # -- assignments -----------------------------------------------------------------------
    def from_roster(self, roster: Roster) -> list[list[int]]:
        """Shift index (or OFF) per person and day."""
        ctx = self.ctx
        index = ctx.shift_index
        result = []
        for sid in ctx.staff_ids:
            row = []
            for day in ctx.dates:
                shift = roster.shift_on(sid, day)
                row.append(index.get(shift, OFF) if shift is not None else OFF)
            result.append(row)
        return result

    # -- one sub-solve ---------------------------------------------------------------------------
    def subsolve(self, assignment: list[list[int]], free: list[bytearray], time_limit: float,
                 first_only: bool = True, configure: Callable[[Any], None] | None = None) -> int:
        """Solve with every person-day not marked in ``free`` fixed to ``assignment``; the status code.

        By default it stops at the first solution: a whole roster is what the repair needs, and the
        final solve, which starts from it, improves it with everything free. ``first_only=False``
        minimises within the neighbourhood until ``time_limit`` (:meth:`improve`); ``configure`` sets
        CP-SAT's parameters for it as the final solve's (``solve.tune``: on a year of 150 people and 32
        shift types presolve alone took 40 s of a minute without).
        """
        fixed: list[Any] = []
        variables, work, x = self.variables, self.ctx.work, self.ctx.x
        for pi, row in enumerate(assignment):
            mask = free[pi]
            for di, shift in enumerate(row):
                if mask[di]:
                    continue
                domain = variables[(work[pi][di] if shift == OFF else x[pi][di][shift]).index].domain
                value = 0 if shift == OFF else 1
                domain[0] = value
                domain[1] = value
                fixed.append(domain)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(0.05, time_limit)
        params.num_workers = self.workers
        params.random_seed = self.seed + self.sub_solves
        params.stop_after_first_solution = first_only
        if configure is not None:
            configure(params)
        self.sub_solves += 1
        callback = _Better(self.on_better, self.started) if not first_only and self.on_better else None
        try:
            code = solver.solve(self.ctx.model, callback)
        finally:
            for domain in fixed:
                domain[0] = 0
                domain[1] = 1
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._offer(solver)
        return int(code)

    def _offer(self, solver: cp_model.CpSolver) -> bool:
        objective = self.objective_of(solver)
        if self.best is not None and objective >= self.best.objective:
            return False
        self.best = Found(list(solver.response_proto.solution), objective, solver,
                          time.perf_counter() - self.started)
        if self.on_found is not None:
            self.on_found(self.best)
        return True

    def objective_of(self, solver: cp_model.CpSolver) -> int:
        return sum(t.weight * int(solver.value(t.expr)) for t in self.ctx.penalties)

    def assignment_of(self, found: Found) -> list[list[int]]:
        """Shift index (or OFF) per person and day of a whole solution."""
        values = found.values
        return [[next((si for si, v in enumerate(cell) if values[v.index]), OFF) for cell in row] for row in self.ctx.x]

    def improve(self, found: Found, free: list[bytearray], deadline: float,
                configure: Callable[[Any], None] | None = None) -> Found:
        """``found`` improved with every person-day outside ``free`` held as it is, until ``deadline``.

        The model's hint must be ``found`` (``solve`` completes it from the repair's roster): the
        neighbourhood starts from it. Returns the better of ``found`` and what the sub-solve found.
        """
        left = deadline - time.perf_counter()
        if left > 0.5:
            self.subsolve(self.assignment_of(found), free, left, first_only=False, configure=configure)
        return self.best if self.best is not None and self.best.objective < found.objective else found

    # -- neighbourhoods ---------------------------------------------------------------------------
    def days_free(self, days: Sequence[int]) -> list[bytearray]:
        """Everyone free on ``days`` (day indexes), held on every other day."""
        free = self.none_free()
        for row in free:
            for di in days:
                row[di] = 1
        return free

    def none_free(self) -> list[bytearray]:
        return [bytearray(self.ctx.num_days) for _ in range(self.ctx.num_staff)]

    def around(self, violations: Sequence[Violation], radius: int) -> list[bytearray]:
        """The person-days a set of hard violations touches, ``radius`` days either side."""
        ctx = self.ctx
        free = self.none_free()
        days = ctx.num_days
        index = {d: i for i, d in enumerate(ctx.dates)}
        for v in violations:
            person = ctx.staff_index.get(v.staff) if v.staff else None
            day = index.get(v.date) if v.date else None
            if person is None and day is None:
                return [bytearray(b"\x01" * days) for _ in range(ctx.num_staff)]
            if person is not None:
                free[person][:] = b"\x01" * days  # the person's whole horizon
            if day is not None:
                low, high = max(0, day - radius), min(days, day + radius + 1)
                for row in free:
                    row[low:high] = b"\x01" * (high - low)
        return free

    # -- repair -----------------------------------------------------------------------------------
    def repair(self, start: Roster, deadline: float) -> Found | None:
        """Make ``start`` (hinted already) a whole feasible solution on neighbourhoods of its violations.

        Gives up (None) when the neighbourhood would cover most of the roster, or when a start with no
        hard violation cannot be completed: that is the full model, which the final solve works on
        anyway (with ``start`` as its hint).
        """
        problem = self.ctx.problem
        assignment = self.from_roster(start)
        violations = [v for v in check_roster(start, problem, self.rules).violations if v.severity == "hard"]
        if not violations:
            # Nothing to free: the sub-solve is presolve and propagation alone, with all the time there is
            # (a year of 150 people and 32 shift types, Curtois-Qu 24, needs more than 6 s of it). When it
            # finds nothing, the start breaks something the checker does not see, and freeing more is the
            # full model, which the final solve searches with the start as its hint.
            if time.perf_counter() < deadline:
                self.subsolve(assignment, self.none_free(), deadline - time.perf_counter())
            return self.best
        radius = 1
        cells = self.ctx.num_staff * self.ctx.num_days
        while time.perf_counter() < deadline:
            free = self.around(violations, radius)
            if sum(sum(row) for row in free) > 0.6 * cells:
                return None
            left = deadline - time.perf_counter()
            code = self.subsolve(assignment, free, min(left, max(1.0, 0.2 * left)))
            if self.best is not None:
                return self.best
            if code == cp_model.MODEL_INVALID:
                return None
            radius = radius * 2 + 1
        return self.best
