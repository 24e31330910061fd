"""What a rule is: one object with three faces.

1. :meth:`Rule.build` adds the rule's constraints (hard) or weighted penalty
   terms (soft) to the CP-SAT model through a :class:`~dutyplan.model.context.ModelContext`;
2. :meth:`Rule.check` reads a concrete roster and reports each violation in
   plain words, with its cost for a soft rule, *without* the solver;
3. :meth:`Rule.describe` says what the rule demands, in the department's language.

The solver, ``dutyplan check``, swap validation and re-planning all use the same
rule objects, so what is planned and what is checked cannot drift apart. The
plan command proves it each time: the objective the solver reports must equal
the sum of the checker's costs.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from dutyplan.domain import Problem
    from dutyplan.model.context import ModelContext
    from dutyplan.roster import Roster

Severity = Literal["hard", "soft", "warning"]


@dataclass(frozen=True)
class Violation:
    """One broken rule, in words a manager understands.

    ``cost`` is the penalty a soft violation adds to the objective (0 for hard
    violations and warnings).
    """

    rule_id: str
    message: str
    severity: Severity = "hard"
    staff: str | None = None
    date: dt.date | None = None
    shift: str | None = None
    cost: int = 0

    def __str__(self) -> str:
        cost = f" (cost {self.cost})" if self.cost else ""
        return f"[{self.rule_id}] {self.message}{cost}"


class Rule(ABC):
    """Base class for every rule, built-in or from a plugin.

    ``id`` cites DOMAIN.md (``R-COVER``) or the plugin's own namespace.
    ``key`` tells two instances of one rule class apart (e.g. per shift).
    """

    id: ClassVar[str]
    title: ClassVar[str]
    hard: bool = True
    plugin: str = ""
    personal: ClassVar[bool] = False
    """Every constraint and penalty of the rule concerns one person's row alone (R-MAX-CONSEC, say).

    Then a roster's cost splits into people's rows plus the shift cover, and column generation
    (:mod:`dutyplan.model.columns`) may prove a bound over rows. A rule that ties people together
    (a duty rotation, skill cover, a fairness share) leaves it False, the safe default.
    """

    @property
    def key(self) -> str:
        return self.id

    def prepare(self, ctx: ModelContext) -> None:  # noqa: B027
        """Create variables other rules may read (called for every rule before any ``build``).

        E.g. the duty rotation creates its ``duty[p, d]`` variables and adds the
        duty minutes to ``ctx.extra_minutes`` so that R-HOURS counts them.
        """

    @abstractmethod
    def build(self, ctx: ModelContext) -> None:
        """Add constraints (via ``ctx.add_hard``) or penalties (via ``ctx.add_penalty``)."""

    @abstractmethod
    def check(self, roster: Roster, problem: Problem) -> Iterable[Violation]:
        """Every violation of this rule in ``roster``, computed from the roster alone."""

    @abstractmethod
    def describe(self, locale: str = "en") -> str:
        """One sentence: what the rule demands, with its parameters."""

    def hint(self, ctx: ModelContext, roster: Roster) -> None:  # noqa: B027
        """Suggest values for the rule's own variables to match ``roster`` (optional).

        The solver starts from a roster (a fast construction, a previous
        revision); a rule that decides more than shifts (the duty rotation)
        hints its own variables with ``ctx.model.add_hint`` so that the start is
        a whole solution, not half of one. When ``roster.extras`` lacks the
        rule's decisions, the rule records the ones it hinted there (as
        ``extract`` would), so that the start can be checked as a whole roster.
        Only a hint: it never constrains.
        """

    def extract(self, ctx: ModelContext, solver: cp_model.CpSolver, roster: Roster) -> None:  # noqa: B027
        """Copy what the rule decided beyond shifts (a duty person, meal times) into ``roster.extras``.

        Most rules decide nothing of their own and leave this empty.
        """

    @property
    def severity(self) -> Severity:
        return "hard" if self.hard else "soft"

    def violation(
        self,
        message: str,
        *,
        staff: str | None = None,
        date: dt.date | None = None,
        shift: str | None = None,
        cost: int = 0,
        severity: Severity | None = None,
    ) -> Violation:
        return Violation(
            self.id, message, severity or self.severity, staff=staff, date=date, shift=shift, cost=cost
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"
