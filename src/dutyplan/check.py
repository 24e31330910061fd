"""Check a concrete roster against every rule, and recompute its objective without the solver.

The same rule objects that built the model do the checking. ``plan`` runs this
on its own output and compares the objective the solver reports with the sum of
the checker's costs, rule by rule: any difference is a bug and stops the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pluggy

from dutyplan.domain import Problem
from dutyplan.errors import ConsistencyError
from dutyplan.plugins import collect
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation


@dataclass
class CheckReport:
    violations: list[Violation] = field(default_factory=list)

    @property
    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "hard"]

    @property
    def soft(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "soft"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "warning"]

    @property
    def objective(self) -> int:
        return sum(v.cost for v in self.violations)

    @property
    def by_rule(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for v in self.violations:
            if v.cost:
                totals[v.rule_id] = totals.get(v.rule_id, 0) + v.cost
        return totals

    @property
    def ok(self) -> bool:
        return not self.hard


def collect_rules(pm: pluggy.PluginManager, problem: Problem) -> list[Rule]:
    """Every rule that applies to ``problem``, from built-in and third-party plugins alike."""

    def stamp(rule: Rule, plugin: str) -> None:
        rule.plugin = plugin

    return collect(pm, "register_rules", key=lambda r: r.key, what="rule", stamp=stamp, problem=problem)


def check_roster(
    roster: Roster, problem: Problem, rules: Sequence[Rule], pm: pluggy.PluginManager | None = None
) -> CheckReport:
    violations: list[Violation] = []
    for rule in rules:
        violations.extend(rule.check(roster, problem))
    if pm is not None:
        for extra in pm.hook.check_roster(roster=roster, problem=problem):
            violations.extend(extra or [])
    return CheckReport(violations)


def assert_consistent(solver_by_rule: dict[str, int], solver_objective: int, report: CheckReport) -> None:
    """Raise :class:`ConsistencyError` if solver and checker disagree (full-assert mode)."""
    problems = []
    if report.hard:
        problems.append("the solver's roster breaks hard rules:\n  " + "\n  ".join(map(str, report.hard[:10])))
    checker = report.by_rule
    for rule_id in sorted(set(solver_by_rule) | set(checker)):
        s, c = solver_by_rule.get(rule_id, 0), checker.get(rule_id, 0)
        if s != c:
            problems.append(f"{rule_id}: solver says {s}, checker recomputes {c}")
    if solver_objective != report.objective and not problems:
        problems.append(f"objective: solver says {solver_objective}, checker recomputes {report.objective}")
    if problems:
        raise ConsistencyError(
            "BUG: solver and checker disagree; nothing was written. Please report this.\n"
            + "\n".join(problems)
        )
