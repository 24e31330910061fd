"""Rules on runs of consecutive days: R-MAX-CONSEC, R-MIN-CONSEC, R-MIN-OFF, R-WEEKLY-REST.

Runs continue across the month boundary through the history tail. Where
nothing is known (no history), days before the horizon count as days off, and
a run that touches the unknown start or the end of the horizon is exempt from
the *minimum* rules: it may continue into days this roster does not decide
(the Curtois–Qu semantics, and what a clerk does at a month's edge).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

if TYPE_CHECKING:
    from ortools.sat.python import cp_model
    from ortools.sat.python.cp_model_helper import Literal

    from dutyplan.model.context import ModelContext


@dataclass(frozen=True)
class Run:
    worked: bool
    start: int
    end: int  # inclusive; indexes relative to the horizon (negative = history)

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def known_days(problem: Problem, roster: Roster, staff: str) -> tuple[list[bool], int]:
    """Worked/off for the known history tail and the horizon; second item: history length."""
    tail = problem.history.get(staff, [])
    values = [s is not None for s in tail]
    values += [bool(roster.shifts_on(staff, d)) for d in problem.dates]
    return values, len(tail)


def runs(problem: Problem, roster: Roster, staff: str) -> list[Run]:
    values, offset = known_days(problem, roster, staff)
    result: list[Run] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            result.append(Run(values[start], start - offset, i - 1 - offset))
            start = i
    return result


class MaxRun(Rule):
    """At most ``limit`` consecutive worked days (any window of limit+1 days has a day off)."""

    id = "R-MAX-CONSEC"
    title = "Maximum consecutive working days"
    personal = True

    def __init__(self, limits: dict[str, int], rule_id: str | None = None) -> None:
        self.limits = limits
        if rule_id:
            self.id = rule_id  # type: ignore[misc]

    def build(self, ctx: ModelContext) -> None:
        for sid, limit in self.limits.items():
            pi = ctx.staff_index[sid]
            hist = len(ctx.problem.history.get(sid, []))
            for first in range(max(-hist, -limit), ctx.num_days - limit):
                window = [ctx.worked(pi, d) for d in range(first, first + limit + 1)]
                if any(w is None or (isinstance(w, int) and w == 0) for w in window):
                    continue
                ones = sum(1 for w in window if isinstance(w, int))
                variables = [w for w in window if w is not None and not isinstance(w, int)]
                ctx.add_hard(ctx.model.add(sum(variables) <= limit - ones), self, sid)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        for sid, limit in self.limits.items():
            for run in runs(problem, roster, sid):
                if run.worked and run.end >= 0 and run.length > limit:
                    first_bad = max(run.start + limit, 0)
                    dates = problem.dates
                    start = dates[run.start] if run.start >= 0 else None
                    span = f"{start:%m-%d}" if start else "before the horizon"
                    yield self.violation(
                        f"{sid} works {run.length} days in a row from {span} to "
                        f"{dates[run.end]:%m-%d} (at most {limit})",
                        staff=sid, date=dates[first_bad],
                    )

    def describe(self, locale: str = "en") -> str:
        values = sorted(set(self.limits.values()))
        limit = "/".join(str(v) for v in values)
        if self.id == "R-WEEKLY-REST":
            if locale == "zh":
                return "每连续 7 天至少休息 1 天（每周轮休）。"
            return "At least one day off in every 7 consecutive days (weekly rest)."
        if locale == "zh":
            return f"连续上班不超过 {limit} 天。"
        return f"No more than {limit} working days in a row."


class MinRun(Rule):
    """Runs of worked days (or of days off) are at least ``limit`` long, edges exempt."""

    id = "R-MIN-CONSEC"
    title = "Minimum consecutive working days"
    personal = True

    def __init__(self, limits: dict[str, int], worked: bool = True) -> None:
        self.limits = limits
        self.worked = worked
        if not worked:
            self.id = "R-MIN-OFF"  # type: ignore[misc]
            self.title = "Minimum consecutive days off"  # type: ignore[misc]

    def build(self, ctx: ModelContext) -> None:
        """One three-literal clause per run start and day of the run's minimum length.

        "A run that starts on ``s`` (off on ``s-1``, on on ``s``) is still on at ``s+j``" for
        ``j < limit`` while ``s+j`` lies in the horizon: a run that reaches the end of the
        horizon is exempt, one that starts on the first known day (the unknown before it) too,
        and a run that ended inside the history is not this roster's business. These clauses say
        the same as forbidding each too-short run pattern, with fewer literals and a tighter LP
        relaxation (``w[s] - w[s-1] <= w[s+j]``).
        """
        history = ctx.problem.history
        for sid, limit in self.limits.items():
            pi = ctx.staff_index[sid]
            first = -len(history.get(sid, []))
            for start in range(first + 1, ctx.num_days):
                before, on = self._day(ctx, pi, start - 1), self._day(ctx, pi, start)
                if before is None or on is None or (isinstance(before, bool) and before) \
                        or (isinstance(on, bool) and not on):
                    continue  # no run of the rule's kind starts here
                for j in range(1, limit):
                    day = start + j
                    if day >= ctx.num_days:
                        break  # the run reaches the end of the horizon: exempt
                    later = self._day(ctx, pi, day)
                    if later is None:
                        break
                    if isinstance(later, bool):
                        if later:
                            continue  # history says the run goes on
                        break  # the run ended inside the history: not checked
                    literals: list[cp_model.LiteralT] = []
                    if not isinstance(before, bool):
                        literals.append(before)
                    if not isinstance(on, bool):
                        literals.append(on.Not())
                    literals.append(later)
                    ctx.add_hard(ctx.model.add_bool_or(literals), self, sid)

    def _day(self, ctx: ModelContext, pi: int, day: int) -> cp_model.IntVar | Literal | bool | None:
        """"In a run of the rule's kind" on ``day``: worked (R-MIN-CONSEC) or off (R-MIN-OFF).

        A literal for a horizon day, True/False from history, None where nothing is known.
        """
        w = ctx.worked(pi, day)
        if w is None:
            return None
        if isinstance(w, int):
            return bool(w) == self.worked
        return w if self.worked else w.Not()

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        days = problem.horizon.days
        for sid, limit in self.limits.items():
            all_runs = runs(problem, roster, sid)
            for i, run in enumerate(all_runs):
                interior = 0 < i < len(all_runs) - 1 and run.end < days - 1
                if run.worked == self.worked and run.end >= -1 and interior and run.length < limit:
                    what = "working day" if self.worked else "day off"
                    start = problem.dates[max(run.start, 0)]
                    yield self.violation(
                        f"{sid} has a run of {run.length} {what}{'s' if run.length > 1 else ''} "
                        f"from {start:%m-%d} (at least {limit})",
                        staff=sid, date=start,
                    )

    def describe(self, locale: str = "en") -> str:
        limit = "/".join(str(v) for v in sorted(set(self.limits.values())))
        if locale == "zh":
            return f"连续{'上班' if self.worked else '休息'}至少 {limit} 天（月初月末的连续段除外）。"
        what = "working days" if self.worked else "days off"
        return f"Runs of {what} are at least {limit} days long (runs at the horizon's edges exempt)."


def _limits(problem: Problem, field: str) -> dict[str, int]:
    default = getattr(problem.department.spec.rules, field)
    result = {}
    for person in problem.department.staff:
        value = getattr(person, field)
        value = default if value is None else value
        if value is not None:
            result[person.id] = value
    return result


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    if limits := _limits(problem, "max_consecutive_work"):
        register(MaxRun(limits))
    if (limits := _limits(problem, "min_consecutive_work")) and max(limits.values()) > 1:
        register(MinRun(limits, worked=True))
    if (limits := _limits(problem, "min_consecutive_off")) and max(limits.values()) > 1:
        register(MinRun(limits, worked=False))
    if problem.department.spec.rules.weekly_rest:
        register(MaxRun({sid: 6 for sid in problem.staff_ids}, rule_id="R-WEEKLY-REST"))
