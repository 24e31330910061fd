"""What a solve produces and is asked for, importable without loading OR-Tools.

The CLI and the swap commands show results and build options; only planning
itself needs the solver, so they import from here and start fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from dutyplan.roster import Roster


@dataclass(frozen=True)
class Progress:
    """One step of the search, for the live status line."""

    objective: float | None
    bound: float
    seconds: float
    solutions: int

    @property
    def gap(self) -> float | None:
        if self.objective is None:
            return None
        return gap(self.objective, self.bound)


def gap(objective: float, bound: float) -> float:
    """Relative distance between the best roster and the proven bound (0 = proven optimal)."""
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1.0, abs(objective))


@dataclass
class SolveOptions:
    time_limit: float = 10.0
    workers: int = 0
    seed: int = 0
    log: bool = False

    def effective_workers(self) -> int:
        return self.workers or max(1, min(8, os.cpu_count() or 1) * 4)


@dataclass
class SolveResult:
    status: str  # optimal | feasible | infeasible | unknown
    roster: Roster | None
    objective: int | None
    bound: float
    build_seconds: float
    solve_seconds: float
    first_solution_seconds: float | None
    solutions: int
    penalty_by_rule: dict[str, int] = field(default_factory=dict)
    conflicts: list[tuple[str, str | None]] = field(default_factory=list)
    model_stats: str = ""

    @property
    def gap(self) -> float | None:
        return None if self.objective is None else gap(self.objective, self.bound)


