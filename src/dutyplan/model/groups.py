"""Improve a roster by re-planning small groups of people against the rest, in turns.

Why: on a month or a quarter of a few dozen people (Curtois-Qu 12, 15, 19) CP-SAT's own
search on the whole model moves slowly: each of its neighbourhoods re-presolves the whole
model, and the LP bound stays near zero, so it mostly fills one cover hole at a time. A group
of two to four people alone, against the cover the others leave open
(:func:`dutyplan.model.rows.alone`), is a model of a few hundred literals that CP-SAT solves to
optimality in a tenth of a second with its full linearization. Measured from the same greedy
start, 30 to 50 s on one core (random groups of three; the full model had 60 s on two):
Curtois-Qu 12 from 13,582 to 5,144 (full model 5,532 to 6,141), 15 to 5,271 (5,597 to 6,487),
19 to 4,796 (6,530 to 7,081). Single rows stall early (12: 6,869), since most moves need
two people to trade a shift. On Instance 8 (four shift types) the full model stays better, so
this search runs first and hands the full model its roster as the hint (``model/solve.py``).

Scored against the cover the others leave, a group's cost in its sub-problem differs from its
cost in the whole roster by a constant, as long as no rule compares people beyond head counts
(no R-FAIR share: the caller checks), so every kept group lowers the roster's penalty by what it
saved. The group size adapts like CP-SAT's own neighbourhoods: it grows while sub-problems are
solved to optimality and shrinks when they run out of time. The time slice adapts too: it grows when
one person alone finds nothing in it (a year of 32 shift types, Curtois-Qu 24) and settles back when
sub-problems are proven quickly.

Most groups are built around a hole in the cover (:class:`_Holes`): someone off that day with room in
their contract for the shift, and people working around it to trade with. On a month where the
cover asks for more minutes than the contracts hold (Curtois-Qu 13: 120 people, 18 shift types), a
hole is filled only by someone whose minutes and per-shift maximum leave room for it, and random pairs
rarely hold one (bench/RESULTS.md, stop 15).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from dutyplan.calendar import weekends
from dutyplan.domain import Problem
from dutyplan.model.rows import RowSolve, RulesFor, rescore, solve_alone, with_rows
from dutyplan.roster import Roster
from dutyplan.rules.contract import contract_limits
from dutyplan.rules.weekends import weekend_limits

GROUP_CELLS = 800
"""Shift variables (people x days x shifts) a group starts at: three people of a 28-day, ten-shift month."""

GROW, SHRINK = 1.1, 1.3
"""How the group size moves after a sub-problem solved to optimality, and after one that ran out of time."""

STRETCH, SETTLE, LONGEST = 1.5, 1.1, 20.0
"""How the time slice grows when one person alone finds nothing in it, how it shrinks back, and its longest (s).

A year of one person with 32 shift types (Curtois-Qu 24) spends 1.2 s in presolve and finds its
first row after 1 to 3 s, its optimum after 3 to 6 s (measured on three rows): the two seconds a
row's size allows end before any row, and the whole phase would be spent for nothing. A slice the
deadline cut short does not count as running out of time.

It shrinks back by a tenth (never below the size's own slice) when a sub-problem is solved to
optimality in less than half its slice: one slow row must not slow every later one, and one fast row
must not undo what several slow ones showed.
"""


HOLE_SHARE = 0.7
"""Share of groups built around a cover hole; the rest are the staff in turns.

Whole solves, 60 s on two cores, seeds 0 and 1 (``bench/curtois.py --instances 12,13,15,18,19
--no-plain --no-write [--seed 1]``; bench/RESULTS.md, stop 15): 12 4,527 / 4,525 against 4,709 / 4,930
in turns only, 13 4,112 / 3,989 against 4,164 / 4,204, 15, 18 and 19 within their spread; the five
sum to 46,889 against 47,557. From one roster of 13 (penalty 4,095; 40 s of groups alone, four
seeds): 3,185-3,488 with 0.7, 3,484-3,606 in turns only, 3,785 with holes only (one seed): the turns
also move requests and days off no hole points at. A taker chosen as anyone off that day, without
the contract's room, was no better than turns.

Only groups of two or more form around a hole: a taker alone is one row, which the turns re-plan
too, and they reach everyone. On the year-long months, where a group is one person, holes first
(``HOLE_SHARE`` of single rows) left Curtois-Qu 23 at 43,838 in 300 s against 36,470 and 36,669 in turns.
"""

NEAR = 1
"""Days either side of a hole whose workers may join its group as trading partners."""


def _slice(cells: int) -> float:
    """Seconds for one sub-problem: half a second for a month of three, two for a year of one."""
    return max(0.5, min(2.0, cells / 1800))


class _Turns:
    """Whom to re-plan next: the staff shuffled and visited in turns, never someone already being solved."""

    def __init__(self, people: list[str], rng: random.Random) -> None:
        self.people, self.rng = people, rng
        self.queue: list[str] = []

    def next(self, k: int, busy: set[str]) -> frozenset[str]:
        if sum(p not in busy for p in self.queue) < k:
            rest = [p for p in self.people if p not in self.queue]
            self.rng.shuffle(rest)
            self.queue += rest
        group = frozenset([p for p in self.queue if p not in busy][:k])
        self.queue = [p for p in self.queue if p not in group]
        return group


class _Holes:
    """Groups around the shift-days the roster leaves below their preferred cover (R-COVER).

    A group is one taker (off that day, with room in their R-CONTRACT for one more of the shift:
    its per-shift maximum, the maximum of shifts, some minutes to spare; and in R-MAX-WEEKENDS when
    the hole is on a weekend they do not work yet) and partners working within ``NEAR`` days of the
    hole, who can trade shifts with the taker when the taker's whole row moves. Partners with
    minutes to spare come first: the minutes a hole needs may come from the group together (a
    partner 120 minutes under their maximum takes the taker's 600-minute shift for their own 480
    on a day both work). On Curtois-Qu 13 a roster's unused minutes lie in pieces of 120 to 720 with
    80 of 120 people, and a taker with the whole shift's minutes to spare is rare.
    """

    def __init__(self, problem: Problem) -> None:
        self.dates = list(problem.dates)
        self.day_index = {d: i for i, d in enumerate(self.dates)}
        self.minutes = {s.id: s.paid_minutes for s in problem.department.shifts}
        self.preferred = {
            (s, i): problem.cover_need(s, i).preferred for s in problem.shift_ids for i in range(len(self.dates))
        }
        self.limits = {p.id: contract_limits(p, problem) for p in problem.department.spec.staff}
        self.max_weekends = weekend_limits(problem)
        self.weekend_days = list(weekends(self.dates).values())
        """The day indexes of each weekend in the horizon (R-MAX-WEEKENDS)."""
        self.weekend_of = {d: days for days in self.weekend_days for d in days}
        self._seen: Roster | None = None
        self._holes: list[tuple[str, int]] = []
        self._on: dict[tuple[str, int], str] = {}
        self._worked: dict[str, int] = {}
        self._shifts: dict[tuple[str, str | None], int] = {}
        self._weekends: dict[str, int] = {}

    def _look(self, roster: Roster) -> None:
        if roster is self._seen:
            return
        count: dict[tuple[str, int], int] = {}
        self._on, self._worked, self._shifts = {}, {}, {}
        for a in roster.assignments:
            di = self.day_index.get(a.date)
            if di is None:
                continue
            count[(a.shift, di)] = count.get((a.shift, di), 0) + 1
            self._on[(a.staff, di)] = a.shift
            self._worked[a.staff] = self._worked.get(a.staff, 0) + self.minutes.get(a.shift, 0)
            for key in ((a.staff, a.shift), (a.staff, None)):
                self._shifts[key] = self._shifts.get(key, 0) + 1
        self._holes = [cell for cell, want in self.preferred.items() if count.get(cell, 0) < want]
        self._weekends = {}
        for days in self.weekend_days:
            for sid in {sid for sid in self.limits for d in days if (sid, d) in self._on}:
                self._weekends[sid] = self._weekends.get(sid, 0) + 1
        self._seen = roster

    def _spare(self, sid: str) -> float:
        """Minutes R-CONTRACT's maximum leaves ``sid`` in the roster last looked at (inf without one)."""
        limits = self.limits.get(sid)
        if limits is None or limits.max_minutes is None:
            return math.inf
        return limits.max_minutes - self._worked.get(sid, 0)

    def holes(self, roster: Roster) -> list[tuple[str, int]]:
        """The (shift, day index) cells of ``roster`` below their preferred cover."""
        self._look(roster)
        return list(self._holes)

    def group(self, roster: Roster, people: list[str], k: int, busy: set[str], rng: random.Random
              ) -> frozenset[str] | None:
        """A group of ``k`` around a random hole of ``roster``; None when there is no hole or no taker."""
        self._look(roster)
        if not self._holes:
            return None
        shift, day = rng.choice(self._holes)

        def has_room(sid: str) -> bool:
            """R-CONTRACT leaves room for one more of ``shift``: its maximum, all shifts', the minutes."""
            limits = self.limits.get(sid)
            if limits is None:
                return True
            caps = ((limits.max_per_shift.get(shift), self._shifts.get((sid, shift), 0) + 1),
                    (limits.max_shifts, self._shifts.get((sid, None), 0) + 1))
            return (all(cap is None or after <= cap for cap, after in caps) and self._spare(sid) > 0
                    and weekend_room(sid))

        def weekend_room(sid: str) -> bool:
            """R-MAX-WEEKENDS: the hole's weekend is already worked, or one more is allowed."""
            same = self.weekend_of.get(day)
            cap = self.max_weekends.get(sid)
            if same is None or cap is None or any((sid, d) in self._on for d in same):
                return True
            return self._weekends.get(sid, 0) < cap

        takers = [p for p in people if p not in busy and (p, day) not in self._on and has_room(p)]
        if not takers:
            return None
        taker = rng.choice(takers)
        around = range(max(0, day - NEAR), min(len(self.dates), day + NEAR + 1))
        partners = [p for p in people if p not in busy and p != taker and any((p, d) in self._on for d in around)]
        spare = [p for p in partners if self._spare(p) > 0]
        if len(spare) >= k - 1:
            partners = spare
        return frozenset([taker, *rng.sample(partners, min(len(partners), k - 1))])


class _Slices:
    """The time a sub-problem gets: its size's slice, stretched and settled as in ``STRETCH``."""

    def __init__(self, per_person: int) -> None:
        self.per_person = per_person
        self.stretch = 1.0

    def give(self, k: int, left: float) -> tuple[float, float]:
        """Seconds for a group of ``k``, and the slice to judge it by (inf when the deadline cut it)."""
        full = min(LONGEST, _slice(k * self.per_person) * self.stretch)
        given = min(left, full)
        return given, given if given == full else math.inf

    def heard(self, k: int, found: RowSolve | None, took: float, slice_: float) -> None:
        """Stretch after one person found nothing in (nearly) the whole slice; settle after a quick proof.

        A late infeasible or rejected sub-problem looks like running out of time; it only costs one
        longer slice.
        """
        if found is None:
            if k == 1 and took >= 0.9 * slice_:
                self.stretch = min(self.stretch * STRETCH, LONGEST / _slice(self.per_person))
        elif found.optimal and took < 0.5 * slice_:
            self.stretch = max(1.0, self.stretch / SETTLE)


def improve_groups(
    problem: Problem,
    start: Roster,
    rules_for: RulesFor,
    deadline: float,
    seed: int = 0,
    on_better: Callable[[int], None] | None = None,
    workers: int = 1,
) -> Roster:
    """``start`` with groups of people re-planned alone in turns, each kept only when it costs less.

    Most groups form around a hole in the cover (``HOLE_SHARE``); the others visit every person in
    turns (the staff shuffled and cut into groups). With more
    than one worker, that many disjoint groups are solved at once (CP-SAT releases the
    interpreter while it solves); a group that finishes after another was kept is scored again
    against the roster as it now is before it is kept. The search stops at ``deadline``, or when
    a group of everybody is solved to optimality (nothing is left to find). ``on_better`` hears
    what each kept group saved.
    """
    people = list(problem.staff_ids)
    if not people:
        return start
    per_person = max(1, problem.horizon.days * len(problem.department.shifts))
    size = float(min(len(people), max(1, round(GROUP_CELLS / per_person))))
    rng = random.Random(seed)
    turns, slices, holes = _Turns(people, rng), _Slices(per_person), _Holes(problem)
    roster = start
    busy: set[str] = set()
    running: dict[Future[RowSolve | None], tuple[frozenset[str], Roster, float, float]] = {}
    finished = False
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while True:
            while not finished and len(running) < max(1, workers):
                left = deadline - time.perf_counter()
                k = min(len(people) - len(busy), max(1, math.floor(size)))
                if left <= 0.2 or k < 1:
                    break
                around_hole = holes.group(roster, people, k, busy, rng) if k > 1 and rng.random() < HOLE_SHARE else None
                group = around_hole or turns.next(k, busy)
                busy |= group
                given, judged_by = slices.give(k, left)
                future = pool.submit(solve_alone, problem, group, roster, rules_for, given, 1, seed, False)
                running[future] = (group, roster, time.perf_counter(), judged_by)
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                group, base, submitted, judged_by = running.pop(future)
                busy -= group
                found = future.result()
                slices.heard(len(group), found, time.perf_counter() - submitted, judged_by)
                if found is None:
                    size = max(1.0, size / SHRINK)
                    continue
                size = min(float(len(people)), size * GROW) if found.optimal else max(1.0, size / SHRINK)
                if found.cost < found.before and base is not roster:
                    found = rescore(problem, group, roster, found.row, rules_for)
                if found is not None and found.cost < found.before:
                    roster = with_rows(roster, group, found.row)
                    if on_better is not None:
                        on_better(found.before - found.cost)
                elif found is not None and found.optimal and len(group) == len(people):
                    finished = True  # the whole roster is optimal on its own: nothing left for this search
    return roster


__all__ = ["GROUP_CELLS", "HOLE_SHARE", "LONGEST", "NEAR", "SETTLE", "STRETCH", "improve_groups"]
