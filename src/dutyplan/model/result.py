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

    def effective_workers(self, cells: int = 0) -> int:
        """The CP-SAT workers to use: the caller's number, or a default by model size.

        ``cells`` is staff x days x shifts. A small model gains from many workers time-sharing the
        cores (more diverse bound-proving workers: the 15-person example reaches a 3.4% gap in 10 s
        with 8 workers on 2 cores, 24% with 2); from ``LARGE_FOR_WORKERS`` cells one worker per core
        does better, because the large-neighbourhood search that improves the roster gets whole
        cores (200 people, 60 s on 2 cores: penalty 175 with 2 workers, 255 with 8; 1,000 people
        x 4 shifts, 120 s: 530 with 2, 1280 with 8, and half the memory). bench/RESULTS.md.
        """
        if self.workers:
            return self.workers
        cores = os.cpu_count() or 1
        if cells >= LARGE_FOR_WORKERS:
            return max(1, cores)
        return max(1, min(8, cores) * 4)


LARGE_FOR_WORKERS = 10_000
"""Shift variables from which the default is one CP-SAT worker per core (see effective_workers)."""


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


