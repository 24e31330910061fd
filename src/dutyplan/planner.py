"""The plan pipeline in one place: department file -> problem -> model -> roster -> checks -> files.

The CLI, the tests and the benchmarks call these functions; each step is a
module of its own and this one only wires them together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from dutyplan.check import CheckReport, assert_consistent, check_roster, collect_rules
from dutyplan.config.load import load_department
from dutyplan.domain import Department, Horizon, Problem, make_horizon
from dutyplan.errors import DutyplanError, InfeasibleError, InputError
from dutyplan.export.base import Exporter
from dutyplan.model.result import Progress, SolveOptions, SolveResult
from dutyplan.plugins import collect
from dutyplan.problem import build_problem, horizon_for
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule
from dutyplan.store import RosterStore

DEFAULT_EXPORTS = ("csv", "html", "xlsx", "ics", "hours", "day-sheets", "duty-log", "duty-log-xlsx")


@dataclass
class Workspace:
    """A loaded department with its plugins and its roster store."""

    department: Department
    pm: pluggy.PluginManager
    store: RosterStore

    @classmethod
    def open(cls, target: Path) -> Workspace:
        department, pm = load_department(target)
        store = RosterStore(department.directory, [p.id for p in department.staff], department.timezone)
        return cls(department, pm, store)

    def horizon(self, month: str | None, start: dt.date | None, days: int | None) -> Horizon:
        return horizon_for(self.department, month, start, days)

    def stored_horizon(self, label: str) -> Horizon:
        """The horizon of a stored roster folder (a month, a holiday plan such as ``2027-spring-festival``)."""
        if self.store.current_number(label) is None:
            known = ", ".join(self.store.labels()) or "none yet"
            raise InputError(f"no stored roster {label!r} (stored: {known})", path=self.store.folder(label),
                             where="--horizon")
        roster = self.store.load(label)
        horizon = make_horizon(self.department, roster.start, roster.days)
        return dataclasses.replace(horizon, name=label)

    def problem(
        self,
        horizon: Horizon,
        locked: dict[tuple[str, dt.date], str | None] | None = None,
        keep_plans: bool = True,
        keep_until: dt.date | None = None,
    ) -> Problem:
        absences: dict[tuple[str, dt.date], str] = {}

        def register(staff: str, day: dt.date, reason: str) -> None:
            if horizon.index(day) is not None:
                absences.setdefault((staff, day), reason)

        self.pm.hook.register_absences(register=register, department=self.department, horizon=horizon)
        return build_problem(self.department, horizon, self.store, locked, keep_plans=keep_plans, absences=absences,
                             keep_until=keep_until)

    def rules(self, problem: Problem) -> list[Rule]:
        return collect_rules(self.pm, problem)

    def exporters(self) -> dict[str, Exporter]:
        def stamp(item: Exporter, plugin: str) -> None:
            item.plugin = plugin

        found = collect(self.pm, "register_exporters", key=lambda e: e.name, what="export format", stamp=stamp)
        return {e.name: e for e in found}

    def check(self, roster: Roster, problem: Problem, rules: list[Rule] | None = None) -> CheckReport:
        return check_roster(roster, problem, rules if rules is not None else self.rules(problem), self.pm)

    def export(self, roster: Roster, problem: Problem, formats: tuple[str, ...], folder: Path) -> list[Path]:
        exporters = self.exporters()
        written: list[Path] = []
        for fmt in formats:
            if fmt not in exporters:
                raise InputError(f"unknown format {fmt!r} (expected one of {', '.join(sorted(exporters))})",
                                 where="--format")
            exporter = exporters[fmt]
            written.extend(exporter.export(roster, problem, folder / exporter.default_name))
        return written


def solver_options(time_limit: float, workers: int, seed: int) -> SolveOptions:
    """Solver options from the command line, checked (exit 2 for nonsense, before any work)."""
    if not (math.isfinite(time_limit) and time_limit > 0):
        raise InputError(f"expected a positive number of seconds, found {time_limit}", where="--time-limit")
    if workers < 0:
        raise InputError(f"expected 0 (automatic) or more, found {workers}", where="--workers")
    if seed < 0:
        raise InputError(f"expected 0 or more, found {seed}", where="--seed")
    return SolveOptions(time_limit=time_limit, workers=workers, seed=seed)


@dataclass
class PlanOutcome:
    problem: Problem
    rules: list[Rule]
    result: SolveResult
    report: CheckReport
    roster: Roster
    path: Path | None = None
    exports: list[Path] = field(default_factory=list)


def infeasible_message(problem: Problem, result: SolveResult) -> str:
    lines = [f"no roster for {problem.horizon.label} satisfies every hard rule."]
    if result.conflicts:
        lines.append("These hard rules cannot all hold together:")
        grouped: dict[str, list[str]] = {}
        for key, scope in result.conflicts:
            grouped.setdefault(key, []).append(scope or "")
        for key, scopes in grouped.items():
            shown = ", ".join(s for s in scopes[:12] if s)
            more = f" (+{len(scopes) - 12} more)" if len(scopes) > 12 else ""
            lines.append(f"  {key}: {shown}{more}" if shown else f"  {key}")
        lines.append("Relax one of them (more staff, lower minimums, fewer days off) and plan again.")
    else:
        lines.append("The solver could not isolate the rules involved within its time limit.")
    return "\n".join(lines)


def plan(
    workspace: Workspace,
    horizon: Horizon,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
    *,
    write: bool = True,
    formats: tuple[str, ...] = DEFAULT_EXPORTS,
    locked: dict[tuple[str, dt.date], str | None] | None = None,
    keep_plans: bool = True,
    kind: str = "roster",
    extras: dict[str, Any] | None = None,
    keep_until: dt.date | None = None,
) -> PlanOutcome:
    """Solve, check (solver and checker must agree), and store the roster as the next revision.

    ``keep_plans`` keeps the days of published holiday plans (R-LOCK); ``kind``
    and ``extras`` mark what the roster is (``holiday-plan`` and its deadline).
    """
    from dutyplan.model.solve import solve  # OR-Tools loads only when something is solved

    available = workspace.exporters()
    unknown = [f for f in formats if f not in available]
    if unknown:
        raise InputError(f"unknown format {unknown[0]!r} (expected one of {', '.join(sorted(available))})",
                         where="--format")
    problem = workspace.problem(horizon, locked, keep_plans=keep_plans, keep_until=keep_until)
    rules = workspace.rules(problem)
    result = solve(problem, rules, options, on_progress, rules_for=workspace.rules)
    if result.status == "infeasible":
        raise InfeasibleError(infeasible_message(problem, result))
    if result.roster is None:
        raise DutyplanError(
            f"no roster found within {options.time_limit:g} s (status {result.status}); "
            "allow more time with --time-limit"
        )
    roster = result.roster
    roster.kind = kind
    roster.extras.update(extras or {})
    report = workspace.check(roster, problem, rules)
    assert result.objective is not None
    assert_consistent(result.penalty_by_rule, result.objective, report)
    workspace.pm.hook.roster_planned(roster=roster, problem=problem)
    outcome = PlanOutcome(problem, rules, result, report, roster)
    if write:
        outcome.path = workspace.store.write_revision(horizon.label, roster, reason="plan")
        folder = outcome.path.parent / f"r{roster.revision}"
        wanted = tuple(f for f in formats if f in available and available[f].applies(problem))
        outcome.exports = workspace.export(roster, problem, wanted, folder)
    return outcome
