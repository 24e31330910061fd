"""The shared state rules build the CP-SAT model through.

The context owns the decision variables (``x[person, day, shift]`` and the
derived ``work[person, day]``), collects named penalty terms for the objective,
and wraps every hard constraint so that, when a department turns out
infeasible, the same model can be rebuilt with one assumption literal per rule
and person and the solver can name the rules that clash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from dutyplan.domain import Problem

if TYPE_CHECKING:
    from dutyplan.rules.base import Rule

Literalish = cp_model.IntVar | int
"""A decision variable, or a constant 0/1 when the day lies in the known history."""


@dataclass
class PenaltyTerm:
    """One named, weighted part of the objective (``R-COVER early 2027-01-03 under``)."""

    rule_key: str
    rule_id: str
    weight: int
    expr: cp_model.LinearExprT
    label: str


@dataclass
class ModelContext:
    problem: Problem
    explain: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    penalties: list[PenaltyTerm] = field(default_factory=list)
    assumptions: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    stash: dict[str, Any] = field(default_factory=dict)
    extra_minutes: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    """Paid minutes beyond shifts, per person index: (minutes, literal) pairs (e.g. duty days)."""

    def __post_init__(self) -> None:
        p = self.problem
        self.staff_ids = p.staff_ids
        self.shift_ids = p.shift_ids
        self.dates = p.dates
        self.num_staff, self.num_days, self.num_shifts = len(self.staff_ids), len(self.dates), len(self.shift_ids)
        self.staff_index = {sid: i for i, sid in enumerate(self.staff_ids)}
        self.shift_index = {sid: i for i, sid in enumerate(self.shift_ids)}
        self._lits: dict[tuple[str, str | None], cp_model.IntVar] = {}
        m = self.model
        self.x: list[list[list[cp_model.IntVar]]] = [
            [
                [m.new_bool_var(f"x[{sid},{day:%m-%d},{sh}]") for sh in self.shift_ids]
                for day in self.dates
            ]
            for sid in self.staff_ids
        ]
        self.work: list[list[cp_model.IntVar]] = []
        for pi, sid in enumerate(self.staff_ids):
            row = []
            for di, day in enumerate(self.dates):
                w = m.new_bool_var(f"work[{sid},{day:%m-%d}]")
                # Structural: work is the number of shifts that day, so at most one (R-ONE-SHIFT).
                m.add(sum(self.x[pi][di]) == w)
                row.append(w)
            self.work.append(row)

    # -- variables, including the known history before the horizon ----------
    def worked(self, person: int, day: int) -> Literalish | None:
        """``work`` for a day; before the horizon a constant from history, or None if unknown."""
        if day >= 0:
            return self.work[person][day]
        hist = self.problem.history_shift(self.staff_ids[person], -day)
        if hist is False:
            return None
        return 0 if hist is None else 1

    def assigned(self, person: int, day: int, shift: int) -> Literalish | None:
        """``x`` for a day; before the horizon a constant from history, or None if unknown."""
        if day >= 0:
            return self.x[person][day][shift]
        hist = self.problem.history_shift(self.staff_ids[person], -day)
        if hist is False:
            return None
        return 1 if hist == self.shift_ids[shift] else 0

    def date(self, day: int) -> dt.date:
        return self.dates[day]

    def paid_minutes(self, person: int) -> cp_model.LinearExprT:
        """Paid minutes of a person over the horizon: shifts plus ``extra_minutes`` (e.g. duty)."""
        minutes = [s.paid_minutes for s in self.problem.department.shifts]
        terms = [
            (self.x[person][di][si], minutes[si])
            for di in range(self.num_days)
            for si in range(self.num_shifts)
            if minutes[si]
        ]
        terms += [(lit, extra) for extra, lit in self.extra_minutes.get(person, [])]
        return cp_model.LinearExpr.weighted_sum([t[0] for t in terms], [t[1] for t in terms])

    # -- hard constraints and penalties --------------------------------------
    def add_hard(self, constraint: cp_model.Constraint, rule: Rule, scope: str | None = None) -> None:
        """Register a hard constraint of ``rule``; in explain mode it gets an assumption literal."""
        if not self.explain:
            return
        key = (rule.key, scope)
        lit = self._lits.get(key)
        if lit is None:
            lit = self.model.new_bool_var(f"assume[{rule.key},{scope}]")
            self._lits[key] = lit
            self.assumptions[lit.index] = key
        constraint.only_enforce_if(lit)

    def add_penalty(self, rule: Rule, expr: cp_model.LinearExprT, weight: int, label: str) -> None:
        if weight:
            self.penalties.append(PenaltyTerm(rule.key, rule.id, weight, expr, label))

    def objective(self) -> cp_model.LinearExprT:
        return sum((t.weight * t.expr for t in self.penalties), start=cp_model.LinearExpr.constant(0))

    @property
    def assumption_literals(self) -> list[cp_model.IntVar]:
        return list(self._lits.values())
