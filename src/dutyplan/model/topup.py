"""Make up the contract minimums the greedy start leaves short (R-CONTRACT), before the solver sees it.

Why: the greedy construction decides each day as it comes and cannot know that a person it spared
early will find no room late (their weekends spent, their runs blocked by days off they asked for).
A person short of their contract minimum is a hard violation, and the repair re-plans each such
person's whole horizon alone before the roster is whole again: on a year of 150 people (Curtois-Qu
24) with eighty people short, the first whole roster came after 273 s of a 300 s limit
(bench/RESULTS.md, stop 27). Most shortfalls are a shift or two, and there is nearly always a day
where the cover still has a hole, or a colleague above their own minimum works a shift the short
person could take. This pass makes those moves in plain Python.

A move gives the short person a window of one to R-MIN-CONSEC days off, all on one shift, filling
a cover hole or above the cover (R-COVER); takes a colleague's shift on one day, or exchanges a
shift for a colleague's longer one, when the colleague stays at or above their own minimum (the head
count is unchanged); or makes one of their shifts a longer one. Each changed row is re-checked with
the construction's own row rules (:meth:`RowRules.problems`, after a quicker look at the window's
neighbourhood); a move is taken only when no row breaks more of them, apart from the shortfall it
makes up. Cheaper kinds of move come first (:meth:`TopUp._step`), and within a kind the one that
helps the cover and grants requests most (R-REQUEST). What is still short after this pass is the
repair's (:mod:`dutyplan.model.search`): mostly people whose weekends are all spent and whose runs
all sit at their limits, who need a weekend moved (Curtois-Qu 22: 13 of 50).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from dutyplan.model.rowrules import NO_LIMIT, Row, RowRules

if TYPE_CHECKING:
    from dutyplan.model.construct import _Person, _Plan

IMPOSSIBLE = 10**9
"""The cover cost of a change R-COVER's hard bounds forbid (above the maximum, below the minimum)."""


class TopUp:
    """Moves on a grid ``rows[person][day]`` (shift id or None), in place, for people below their minimum."""

    def __init__(self, plan: _Plan, rows: list[Row]) -> None:
        self.plan, self.rows = plan, rows
        self.rules = RowRules(plan)
        problem = plan.problem
        self.days = problem.horizon.days
        self.people = plan.people
        self.minutes = plan.minutes
        self.needs = [{s: problem.cover_need(s, di) for s in plan.shift_ids} for di in range(self.days)]
        self.heads = [dict.fromkeys(plan.shift_ids, 0) for _ in range(self.days)]
        for row in rows:
            for di, shift in enumerate(row):
                if shift is not None:
                    self.heads[di][shift] += 1
        self.skilled = set(plan.skill_cover)  # shift-days with a skill minimum: left alone
        # Per person, kept up to date by _apply: shifts worked, paid minutes, shifts of each type, weekends.
        self.worked = [0] * len(rows)
        self.spent = [0] * len(rows)
        for pi, row in enumerate(rows):
            self.worked[pi], self.spent[pi] = self._totals(row)
        self.per_shift = [{s: row.count(s) for s in plan.shift_ids} for row in rows]
        self.weekend_of = self.rules.weekend_of
        self.weekends = [self._weekends(row) for row in rows]
        self.cached: dict[int, int] = {}  # person -> _others of their current row

    # -- what a row owes ------------------------------------------------------------------------------
    def _totals(self, row: Row) -> tuple[int, int]:
        return sum(s is not None for s in row), sum(self.minutes[s] for s in row if s is not None)

    def short(self, pi: int, worked: int, minutes: int) -> int:
        """Minutes (shifts counted at a typical shift's minutes) below the person's contract minimum."""
        lim: _Person = self.people[pi]
        return max(0, lim.min_shifts - worked) * self.plan.typical_minutes + max(0, lim.min_minutes - minutes)

    def _base(self, pi: int) -> int:
        """The current row's rule problems apart from the contract minimum's (cached until the row changes)."""
        if pi not in self.cached:
            self.cached[pi] = self._others(pi, self.rows[pi])
        return self.cached[pi]

    def _others(self, pi: int, row: Row) -> int:
        """The row's rule problems apart from the contract minimum's."""
        lim = self.people[pi]
        worked, minutes = self._totals(row)
        return self.rules.problems(pi, row) - (worked < lim.min_shifts) - (minutes < lim.min_minutes)

    # -- moves ----------------------------------------------------------------------------------------
    def _cover_cost(self, di: int, shift: str, change: int) -> int:
        """What adding (+1) or removing (-1) one person on ``shift`` that day costs the cover; < 0 helps."""
        need, have = self.needs[di][shift], self.heads[di][shift]
        if change > 0:
            if need.max is not None and have >= need.max:
                return IMPOSSIBLE
            return -need.under_weight if have < need.preferred else need.over_weight
        if have <= need.min:
            return IMPOSSIBLE
        return need.under_weight if have <= need.preferred else -need.over_weight

    def _windows(self, pi: int) -> list[tuple[int, int, int, str]]:
        """(cost, first day, length, shift) for windows of days off the person could work, cheapest first.

        The cost is what the cover gains or loses (R-COVER's weights) less the request weight granted.
        """
        row, lim = self.rows[pi], self.people[pi]
        movable = self.rules.movable[pi]
        found: list[tuple[int, int, int, str]] = []
        for first in range(self.days):
            for length in range(1, max(1, lim.min_run) + 1):
                last = first + length - 1
                if last >= self.days or row[last] is not None or not lim.free_days[last] or not movable[last]:
                    break
                joins = (first > 0 and row[first - 1] is not None) or \
                    (last + 1 < self.days and row[last + 1] is not None)
                if length < lim.min_run and not joins and first > 0 and last + 1 < self.days:
                    continue
                room = self._room(pi, first, length)
                if room is None:
                    continue
                for shift in self.plan.shift_ids:
                    if (shift, first) in self.skilled or not self._fits(pi, length, shift, *room):
                        continue
                    cost = sum(self._cover_cost(di, shift, +1) - self._wish(pi, di, shift)
                               for di in range(first, last + 1))
                    if cost < IMPOSSIBLE:
                        found.append((cost, first, length, shift))
        found.sort()
        return found

    def _room(self, pi: int, first: int, length: int) -> tuple[str | None, str | None] | None:
        """A quick look at whether the person can work ``length`` days off from ``first``, on any shift.

        Only the neighbourhood of the window is looked at: run lengths (R-MAX-CONSEC, R-MIN-OFF),
        shifts and weekends left in the contract. None where the window cannot be worked; otherwise the
        shifts worked the day before and the day after it, for :meth:`_fits`. Like :meth:`_fits` it
        may pass a window the whole row's check then refuses (:meth:`RowRules.problems` decides); it
        refuses none that check would take without breaking something else.
        """
        lim, tail, row = self.people[pi], self.rules.tails[pi], self.rows[pi]
        if self.worked[pi] + length > lim.max_shifts:
            return None
        known = len(tail)

        def at(i: int) -> str | None:
            return tail[i + known] if i < 0 else row[i]

        def stretch(i: int, step: int, worked: bool) -> int:
            count = 0
            while -known <= i < self.days and (at(i) is not None) == worked:
                count += 1
                i += step
            return count

        last = first + length - 1
        left, right = stretch(first - 1, -1, True), stretch(last + 1, +1, True)
        if left + length + right > lim.max_run:
            return None
        off_left = stretch(first - 1, -1, False)
        if 0 < off_left < lim.min_off and first - off_left > -known:
            return None
        off_right = stretch(last + 1, +1, False)
        if 0 < off_right < lim.min_off and last + off_right + 1 < self.days:
            return None
        new = {self.weekend_of[di] for di in range(first, last + 1) if di in self.weekend_of}
        if new and len(self.weekends[pi] | new) > lim.max_weekends:
            return None
        return (at(first - 1) if first > -known else None), (row[last + 1] if last + 1 < self.days else None)

    def _fits(self, pi: int, length: int, shift: str, before: str | None, after: str | None) -> bool:
        """Whether ``shift`` may come between ``before`` and ``after`` (R-SUCCESSION), within the contract's maxima."""
        lim, pairs = self.people[pi], self.plan.pairs
        if (before, shift) in pairs or (shift, after) in pairs or (length > 1 and (shift, shift) in pairs):
            return False
        return self.spent[pi] + length * self.minutes[shift] <= lim.max_minutes and \
            self.per_shift[pi].get(shift, 0) + length <= lim.max_per_shift.get(shift, NO_LIMIT)

    def _try_window(self, pi: int, first: int, length: int, shift: str) -> bool:
        row = self.rows[pi]
        new = list(row)
        for di in range(first, first + length):
            new[di] = shift
        if self._others(pi, new) > self._base(pi):
            return False
        self._apply(pi, new)
        return True

    def _try_take(self, pi: int) -> bool:
        """Take one shift from a colleague above their minimum, on a day the short person is off.

        The head count stays as it is; among the days that pass, the one that grants the most of the
        two people's requests (R-REQUEST) comes first.
        """
        row, lim = self.rows[pi], self.people[pi]
        movable = self.rules.movable[pi]
        options: list[tuple[int, int, int]] = []
        for di in range(self.days):
            if row[di] is not None or not lim.free_days[di] or not movable[di]:
                continue
            room = self._room(pi, di, 1)
            if room is None:
                continue
            for qi, other in enumerate(self.rows):
                shift = other[di]
                if qi == pi or shift is None or not self.rules.movable[qi][di] or (shift, di) in self.skilled:
                    continue
                if self.short(qi, self.worked[qi] - 1, self.spent[qi] - self.minutes[shift]):
                    continue
                if self._fits(pi, 1, shift, *room):
                    options.append((self._wish(qi, di, shift) - self._wish(pi, di, shift), di, qi))
        options.sort()
        before = self._base(pi)
        for _cost, di, qi in options:
            shift = self.rows[qi][di]
            new = list(row)
            new[di] = shift
            if self._others(pi, new) > before:
                continue
            theirs = list(self.rows[qi])
            theirs[di] = None
            if self._others(qi, theirs) > self._base(qi):
                continue
            self._apply(pi, new)
            self._apply(qi, theirs)
            return True
        return False

    def _wish(self, pi: int, di: int, shift: str | None) -> int:
        """The request weight working ``shift`` on day ``di`` grants (> 0) or breaks (< 0); 0 for a day off."""
        if shift is None:
            return 0
        wishes = self.people[pi].wishes
        return wishes.get((di, shift), 0) + wishes.get((di, None), 0)

    def _try_longer(self, pi: int, colleagues: bool) -> bool:
        """A longer shift on a day the person works: a colleague's, exchanged for theirs, or one the cover has room for.

        Why: a person short by less than a shift often has no day left where a run may grow, but works
        shifts of several lengths (Curtois-Qu 13: seven people 120 to 720 minutes short with every run
        at its limits).
        """
        row, lim = self.rows[pi], self.people[pi]
        if self.spent[pi] >= lim.min_minutes:
            return False  # short of shifts, not minutes: a longer shift does not help
        movable = self.rules.movable[pi]
        before = self._base(pi)
        options: list[tuple[int, int, str]] = []
        for di, mine in enumerate(row):
            if mine is None or not movable[di] or (mine, di) in self.skilled:
                continue
            for shift in self.plan.shift_ids:
                if self.minutes[shift] <= self.minutes[mine] or (shift, di) in self.skilled:
                    continue
                if colleagues:
                    options.append((0, di, shift))
                else:
                    cost = self._cover_cost(di, shift, +1) + self._cover_cost(di, mine, -1) \
                        - self._wish(pi, di, shift) + self._wish(pi, di, mine)
                    if cost < IMPOSSIBLE:
                        options.append((cost, di, shift))
        options.sort()
        who: dict[int, dict[str, list[int]]] = {}
        for _cost, di, shift in options:
            mine = row[di]
            assert mine is not None
            if not self._swaps(pi, di, shift):
                continue
            new = list(row)
            new[di] = shift
            if not colleagues:
                if self._others(pi, new) > before:
                    continue
                self._apply(pi, new)
                return True
            if di not in who:
                who[di] = {}
                for qi, other in enumerate(self.rows):
                    theirs_then = other[di]
                    if theirs_then is not None and qi != pi and self.rules.movable[qi][di]:
                        who[di].setdefault(theirs_then, []).append(qi)
            gives = self.minutes[shift] - self.minutes[mine]
            for qi in who[di].get(shift, []):
                if self.short(qi, self.worked[qi], self.spent[qi] - gives) or not self._swaps(qi, di, mine):
                    continue
                theirs = list(self.rows[qi])
                theirs[di] = mine
                if self._others(qi, theirs) > self._base(qi) or self._others(pi, new) > before:
                    continue
                self._apply(pi, new)
                self._apply(qi, theirs)
                return True
        return False

    def _swaps(self, pi: int, di: int, shift: str) -> bool:
        """Whether the person's shift on day ``di`` may become ``shift`` as far as its neighbours and maxima go."""
        lim, row, tail = self.people[pi], self.rows[pi], self.rules.tails[pi]
        old = row[di]
        before = row[di - 1] if di > 0 else (tail[-1] if tail else None)
        after = row[di + 1] if di + 1 < self.days else None
        if (before, shift) in self.plan.pairs or (shift, after) in self.plan.pairs:
            return False
        spent = self.spent[pi] - (self.minutes[old] if old is not None else 0) + self.minutes[shift]
        room_for_one = self.per_shift[pi].get(shift, 0) + 1 <= lim.max_per_shift.get(shift, NO_LIMIT)
        return spent <= lim.max_minutes and room_for_one

    def _apply(self, pi: int, new: Row) -> None:
        for di, (old, shift) in enumerate(zip(self.rows[pi], new, strict=True)):
            if old != shift:
                if old is not None:
                    self.heads[di][old] -= 1
                if shift is not None:
                    self.heads[di][shift] += 1
        self.rows[pi][:] = new
        self.worked[pi], self.spent[pi] = self._totals(new)
        self.per_shift[pi] = {s: new.count(s) for s in self.plan.shift_ids}
        self.cached.pop(pi, None)
        self.weekends[pi] = self._weekends(new)

    def _weekends(self, row: Row) -> set[object]:
        return {self.weekend_of[di] for di, s in enumerate(row) if s is not None and di in self.weekend_of}

    def _step(self, pi: int) -> bool:
        """One move that makes up part of the person's shortfall, the kinds in order of what they cost.

        Filling a cover hole, then a colleague's shift or a longer one exchanged with a colleague (the
        head count unchanged), then a shift above the cover or a longer shift of one's own.
        """
        windows = self._windows(pi)
        return (any(self._try_window(pi, first, length, shift) for cost, first, length, shift in windows if cost < 0)
                or self._try_take(pi) or self._try_longer(pi, colleagues=True)
                or any(self._try_window(pi, first, length, shift) for cost, first, length, shift in windows
                       if cost >= 0)
                or self._try_longer(pi, colleagues=False))

    def run(self, seconds: float = 10.0) -> int:
        """Make up shortfalls until none is left, no move helps, or ``seconds`` pass; the moves made.

        The people furthest below their minimum go first: they have the fewest ways left.
        """
        deadline = time.perf_counter() + seconds
        moves = 0

        def owed(pi: int) -> int:
            return self.short(pi, self.worked[pi], self.spent[pi])

        for pi in sorted((pi for pi in range(len(self.rows)) if owed(pi)), key=lambda pi: -owed(pi)):
            while owed(pi) and time.perf_counter() < deadline and self._step(pi):
                moves += 1
        return moves
