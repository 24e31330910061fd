"""The construction's rules for one person's row of days, as a count of what a row breaks.

Why: the passes that improve the greedy start after it is built (:mod:`dutyplan.model.topup`,
:mod:`dutyplan.model.balance`) change one or two people's rows at a time and must not break what
the construction kept. The rule objects check a whole roster and report in words; these passes
compare thousands of candidate rows, so they need one number per row, quickly. The count covers
the rules :mod:`dutyplan.model.construct` follows for a person: availability and locks
(R-AVAILABLE, R-LOCK), rest between shifts (R-SUCCESSION), run lengths with their edge exemptions
(R-MAX-CONSEC, R-MIN-CONSEC, R-MIN-OFF), weekends (R-MAX-WEEKENDS) and contract limits (R-CONTRACT).
A move is taken when no row's count grows; the rule objects still judge the result (the repair and
the solver).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyplan.model.construct import _Plan

Row = list[str | None]
NO_LIMIT = 10**9
"""A limit nobody set (R-CONTRACT maxima, run lengths, weekends): larger than any horizon's count."""


class RowRules:
    """The people's limits as the construction read them, and a count of the rules a row breaks."""

    def __init__(self, plan: _Plan) -> None:
        problem = plan.problem
        self.pairs, self.minutes = plan.pairs, plan.minutes
        day_index = {d: i for i, d in enumerate(problem.dates)}
        self.weekend_of = {day_index[d]: sat for d, sat in plan.weekend_of.items()}
        """Day index -> the Saturday of its weekend (R-MAX-WEEKENDS)."""
        self.people = plan.people  # their limits (R-CONTRACT, runs, weekends, skills)
        self.movable = [[(p.id, day) not in problem.locked for day in problem.dates] for p in plan.people]
        self.tails = [list(problem.history.get(p.id, [])) for p in plan.people]

    def problems(self, pi: int, row: Row) -> int:
        """How many of the construction's rules the row breaks (a count, compared before and after)."""
        lim = self.people[pi]
        bad = 0
        worked = minutes = 0
        per_shift: dict[str, int] = {}
        weekends = set()
        for di, shift in enumerate(row):
            if shift is None:
                continue
            if not lim.free_days[di]:
                bad += 1
            worked += 1
            minutes += self.minutes[shift]
            per_shift[shift] = per_shift.get(shift, 0) + 1
            if di in self.weekend_of:
                weekends.add(self.weekend_of[di])
        bad += worked < lim.min_shifts or worked > lim.max_shifts
        bad += minutes < lim.min_minutes or minutes > lim.max_minutes
        bad += sum(n > lim.max_per_shift.get(s, n) for s, n in per_shift.items())
        bad += len(weekends) > lim.max_weekends
        tail = self.tails[pi]
        full = tail + row
        known = len(tail)
        for i in range(max(1, known), len(full)):
            if full[i - 1] is not None and full[i] is not None and (full[i - 1], full[i]) in self.pairs:
                bad += 1
        # Runs: too long when they reach into the horizon; too short when bounded on both sides inside the
        # known days and ending on the last history day or later (the edge exemptions of R-MIN-CONSEC /
        # R-MIN-OFF: a history run that ends the day before the horizon is too short when day 0 ends it).
        start = 0
        for i in range(1, len(full) + 1):
            if i < len(full) and (full[i] is None) == (full[start] is None):
                continue
            length, working = i - start, full[start] is not None
            if working and length > lim.max_run and i > known:
                bad += 1
            limit = lim.min_run if working else lim.min_off
            if length < limit and start > 0 and i < len(full) and i >= known:
                bad += 1
            start = i
        return bad
