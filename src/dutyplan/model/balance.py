"""Even out the greedy start's fair shares by exchanging two people's days (R-FAIR).

Why: the greedy construction fills each day as it comes, so by the end of the
month its nights and rest-day shifts are spread unevenly (200 people: nights
from 4 to 9). CP-SAT's large-neighbourhood search improves a max-minus-min
objective over hundreds of people slowly, because lowering the maximum needs
everyone at it to move at once. This pass does the obvious moves first, in
plain Python, before the solver sees the start.

A move exchanges what two people do on a window of one to three days. Head
counts per shift and day stay as they are (R-COVER), so only the two people's
own rows can break a rule: each row is re-checked with the construction's row
rules (:mod:`dutyplan.model.rowrules`), and a move is taken only when
neither row gets worse and skill cover still holds. It is taken when it lowers
the sum of squared distances from the category means (weighted like R-FAIR),
plus the weight of requests it breaks minus those it grants; a first round
tries to grant the requests the greedy start breaks. A department without fair
shares (the Curtois–Qu instances) skips the pass. Like the
construction, it knows no plugin rule; the repair and the solver handle those.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from dutyplan.model.rowrules import Row, RowRules
from dutyplan.rules.fairness import shares

if TYPE_CHECKING:
    from dutyplan.model.construct import _Plan


class Balancer:
    """Exchange moves on a grid ``rows[person][day]`` (shift id or None), in place."""

    def __init__(self, plan: _Plan, rows: list[Row]) -> None:
        problem = plan.problem
        self.problem, self.rows = problem, rows
        self.rules = RowRules(plan)
        people = plan.people
        self.ids = [p.id for p in people]
        self.index = {sid: i for i, sid in enumerate(self.ids)}
        self.days = problem.horizon.days
        self.people = people
        self.movable = self.rules.movable
        self.wishes = [dict(p.wishes) for p in people]
        self.skill_need = plan.skill_cover
        self.shares = []
        for share in shares(problem):
            members = [self.index[s] for s in share.pool if s in self.index]
            days = [di for di, d in enumerate(problem.dates) if d in share.category.days]
            self.shares.append((share, members, set(days)))
        self._recount()

    def _recount(self) -> None:
        self.counts = [self._counts(k) for k in range(len(self.shares))]
        self.sums = [sum(self.counts[k][m] for m in members) for k, (_s, members, _d) in enumerate(self.shares)]
        self.member_sets = [set(members) for _s, members, _d in self.shares]

    def _counts(self, k: int) -> list[int]:
        share, members, _days = self.shares[k]
        counts = [0] * len(self.ids)
        for pi in members:
            counts[pi] = share.base.get(self.ids[pi], 0) + self._count(k, self.rows[pi])
        return counts

    def _count(self, k: int, row: Row) -> int:
        return sum(self._in(k, shift, di) for di, shift in enumerate(row))

    def _wish(self, pi: int, row: Row, window: range) -> int:
        """Granted request weight on the window (higher is better)."""
        wishes = self.wishes[pi]
        total = 0
        for di in window:
            shift = row[di]
            total += wishes.get((di, shift), 0) if shift is not None else 0
            if shift is not None:
                total += wishes.get((di, None), 0)
        return total

    # -- moves ----------------------------------------------------------------------------------------
    def _skills_hold(self, a: int, b: int, window: range, new_a: Row, new_b: Row) -> bool:
        la, lb = self.people[a].skills, self.people[b].skills
        if la == lb:
            return True
        for di in window:
            for shift in {s for s in (self.rows[a][di], self.rows[b][di]) if s is not None}:
                for skill, minimum in self.skill_need.get((shift, di), []):
                    if (skill in la) == (skill in lb):
                        continue
                    have = self._skilled(shift, di, skill)
                    change = ((new_a[di] == shift) - (self.rows[a][di] == shift)) * (skill in la) + \
                        ((new_b[di] == shift) - (self.rows[b][di] == shift)) * (skill in lb)
                    if have + change < minimum:
                        return False
        return True

    def _skilled(self, shift: str, di: int, skill: str) -> int:
        return sum(1 for pi, r in enumerate(self.rows) if r[di] == shift and skill in self.people[pi].skills)

    def _in(self, k: int, shift: str | None, day: int) -> int:
        share, _members, days = self.shares[k]
        return int(shift is not None and day in days and shift in share.category.shifts)

    def _gain(self, a: int, b: int, new_a: Row, new_b: Row, window: range) -> float:
        """How much the move lowers the weighted squared spread plus the broken requests (> 0: better)."""
        gain = 0.0
        ra, rb = self.rows[a], self.rows[b]
        for k, (share, members, _days) in enumerate(self.shares):
            in_a, in_b = a in self.member_sets[k], b in self.member_sets[k]
            if not in_a and not in_b:
                continue
            counts = self.counts[k]
            mean = self.sums[k] / len(members)
            for pi, old, new, inside in ((a, ra, new_a, in_a), (b, rb, new_b, in_b)):
                if not inside:
                    continue
                change = sum(self._in(k, new[d], d) - self._in(k, old[d], d) for d in window)
                if change:
                    before = counts[pi] - mean
                    gain += share.weight * (before ** 2 - (before + change) ** 2)
        gain += (self._wish(a, new_a, window) - self._wish(a, ra, window)) * 2
        gain += (self._wish(b, new_b, window) - self._wish(b, rb, window)) * 2
        return gain

    def try_exchange(self, a: int, b: int, first: int, length: int) -> bool:
        window = range(first, min(self.days, first + length))
        ra, rb = self.rows[a], self.rows[b]
        if all(ra[d] == rb[d] for d in window):
            return False
        if not all(self.movable[a][d] and self.movable[b][d] for d in window):
            return False
        new_a, new_b = list(ra), list(rb)
        for d in window:
            new_a[d], new_b[d] = rb[d], ra[d]
        if self._gain(a, b, new_a, new_b, window) <= 1e-9:
            return False
        problems = self.rules.problems
        if problems(a, new_a) > problems(a, ra) or problems(b, new_b) > problems(b, rb):
            return False
        if not self._skills_hold(a, b, window, new_a, new_b):
            return False
        self.rows[a], self.rows[b] = new_a, new_b
        self._recount()
        return True

    def grant(self, deadline: float) -> int:
        """Requests the greedy start breaks: exchange the day with someone placed as the request asks."""
        moves = 0
        for a, wishes in enumerate(self.wishes):
            for (day, shift), weight in sorted(wishes.items(), key=lambda kv: str(kv[0])):
                if _as_asked(weight, shift, self.rows[a][day]):
                    continue
                for b in range(len(self.rows)):
                    if b == a or not _as_asked(weight, shift, self.rows[b][day]):
                        continue
                    if any(self.try_exchange(a, b, first, length)
                           for first, length in ((day, 1), (day, 2), (day - 1, 2), (day, 3), (day - 1, 3))
                           if first >= 0):
                        moves += 1
                        break
                if time.perf_counter() >= deadline:
                    return moves
        return moves

    def run(self, seconds: float = 3.0, extremes: int = 24) -> int:
        """Improve until no move helps or ``seconds`` pass; the number of moves made.

        For each category, the most loaded people try to hand a day of it to the least loaded: an
        exchange on a window that starts on a day where the first works the category and the second
        does not.
        """
        if not self.shares:
            return 0  # nothing to even out: requests alone are left to the repair and the solver
        deadline = time.perf_counter() + seconds
        moves = self.grant(time.perf_counter() + seconds / 3)
        improved = True
        while improved and time.perf_counter() < deadline:
            improved = False
            for k, (_share, members, days) in enumerate(self.shares):
                counts = self.counts[k]
                ordered = sorted(members, key=lambda m: counts[m])
                low, high = ordered[:extremes], ordered[-extremes:][::-1]
                for a in high:
                    for b in low:
                        if self.counts[k][a] - self.counts[k][b] <= 1:
                            continue
                        for first in sorted(days):
                            if not self._in(k, self.rows[a][first], first) or self._in(k, self.rows[b][first], first):
                                continue
                            for length in (1, 2, 3):
                                if self.try_exchange(a, b, first, length):
                                    moves += 1
                                    improved = True
                                    break
                            if self.counts[k][a] - self.counts[k][b] <= 1:
                                break
                        if time.perf_counter() >= deadline:
                            return moves
        return moves


def _as_asked(weight: int, shift: str | None, placed: str | None) -> bool:
    """Whether someone placed on ``placed`` that day meets a request (R-REQUEST) of this weight and shift.

    Positive weight: "work ``shift``"; negative: "not ``shift``", or the whole day off when ``shift`` is None.
    """
    if weight > 0:
        return placed == shift
    if shift is None:
        return placed is None
    return placed != shift
