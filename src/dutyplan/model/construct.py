"""A fast greedy roster to start the search from (a solution hint).

CP-SAT finds a first roster for a large department slowly when it must
discover on its own how runs, rest and contracts fit together. This builds one
day by day in milliseconds, following the core rules the department file
states (availability, locked days, rest between shifts, run lengths, weekly
rest, weekends, contract limits, coverage by head count and skill). It does not
know plugin rules and need not be perfect: the solver starts from it and
repairs what it breaks. Nothing here decides the final roster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dutyplan.calendar import weekends
from dutyplan.domain import Problem
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.contract import contract_limits
from dutyplan.rules.succession import forbidden_pairs

NO_LIMIT = 10**6


@dataclass
class _Person:
    id: str
    skills: frozenset[str]
    min_shifts: int
    max_shifts: int
    max_per_shift: dict[str, int]
    max_run: int
    min_run: int
    min_off: int
    max_weekends: int
    last: str | None = None
    run_work: int = 0
    run_off: int = 0
    run_known: bool = False
    worked: int = 0
    per_shift: dict[str, int] = field(default_factory=dict)
    weekends: set[dt.date] = field(default_factory=set)


def _people(problem: Problem) -> list[_Person]:
    rules = problem.department.spec.rules
    result = []
    for spec in problem.department.staff:
        limits = contract_limits(spec, problem)
        max_run = spec.max_consecutive_work if spec.max_consecutive_work is not None else rules.max_consecutive_work
        if rules.weekly_rest:
            max_run = min(max_run if max_run is not None else 6, 6)
        person = _Person(
            spec.id, frozenset(spec.skills),
            limits.min_shifts or 0,
            limits.max_shifts if limits.max_shifts is not None else NO_LIMIT,
            dict(limits.max_per_shift),
            max_run if max_run is not None else NO_LIMIT,
            (spec.min_consecutive_work if spec.min_consecutive_work is not None else rules.min_consecutive_work) or 1,
            (spec.min_consecutive_off if spec.min_consecutive_off is not None else rules.min_consecutive_off) or 1,
            spec.max_weekends if spec.max_weekends is not None else (rules.max_weekends or NO_LIMIT),
        )
        tail = problem.history.get(spec.id, [])
        for shift in tail:
            _advance(person, shift)
        person.run_known = bool(tail)
        result.append(person)
    return result


def _advance(person: _Person, shift: str | None) -> None:
    if shift is None:
        person.run_off, person.run_work = person.run_off + 1, 0
    else:
        person.run_work, person.run_off = person.run_work + 1, 0
    person.last = shift


class _Day:
    """One day's choices: who works which shift, who may not work at all."""

    def __init__(self, problem: Problem, people: list[_Person], index: int, pairs: set[tuple[str, str]],
                 weekend: dt.date | None) -> None:
        self.problem, self.people, self.index, self.pairs = problem, people, index, pairs
        self.day = problem.dates[index]
        self.left = problem.horizon.days - index
        self.shifts = sorted(problem.department.shifts, key=lambda s: (s.start.hour, s.start.minute))
        self.chosen: dict[str, str] = {}
        self.counts = {s.id: 0 for s in self.shifts}
        self.blocked: set[str] = set()
        staff = problem.department.staff_by_id
        for p in people:
            locked = problem.locked.get((p.id, self.day), "")
            must_rest = (p.run_work >= p.max_run or p.worked >= p.max_shifts
                         or (0 < p.run_off < p.min_off and p.run_known)
                         or (weekend is not None and weekend not in p.weekends and len(p.weekends) >= p.max_weekends))
            if locked is None or problem.unavailable_reason(staff[p.id], index) is not None or must_rest:
                self.blocked.add(p.id)
            elif locked:
                self.put(p, locked)

    def put(self, p: _Person, shift_id: str) -> None:
        self.chosen[p.id] = shift_id
        self.counts[shift_id] = self.counts.get(shift_id, 0) + 1

    def free(self, p: _Person, shift_id: str) -> bool:
        if p.id in self.chosen or p.id in self.blocked or (p.last, shift_id) in self.pairs:
            return False
        return p.per_shift.get(shift_id, 0) < p.max_per_shift.get(shift_id, NO_LIMIT)

    def urgency(self, p: _Person, shift_id: str) -> tuple[int, int, float, int]:
        """Lower is more urgent: a run still too short, the same shift as yesterday, behind on contract."""
        continuing = 1 if 0 < p.run_work < p.min_run else 0
        return (-continuing, -int(p.last == shift_id), -(p.min_shifts - p.worked) / self.left, p.worked)

    def take(self, shift_id: str, pool: list[_Person]) -> bool:
        candidates = [p for p in pool if self.free(p, shift_id)]
        if not candidates:
            return False
        self.put(min(candidates, key=lambda p: self.urgency(p, shift_id)), shift_id)
        return True

    def fill(self) -> dict[str, str]:
        # 1. people in a run that is still too short keep working, on yesterday's shift if they can.
        for p in self.people:
            if 0 < p.run_work < p.min_run:
                for s in sorted(self.shifts, key=lambda s: s.id != p.last):
                    if self.free(p, s.id):
                        self.put(p, s.id)
                        break
        # 2. skills, 3. minimum head count, 4. preferred head count.
        for s in self.shifts:
            for sc in s.spec.skill_cover:
                skilled = [p for p in self.people if sc.skill in p.skills]
                while sum(1 for p in skilled if self.chosen.get(p.id) == s.id) < sc.min and self.take(s.id, skilled):
                    pass
        needs = {s.id: self.problem.cover_need(s.id, self.index) for s in self.shifts}
        for level in ("min", "preferred"):
            for s in self.shifts:
                while self.counts[s.id] < getattr(needs[s.id], level) and self.take(s.id, self.people):
                    pass
        # 5. people who must work every remaining day to reach their contract minimum go where there is room.
        for p in self.people:
            if p.min_shifts - p.worked < self.left:
                continue
            for s in self.shifts:
                top = needs[s.id].max
                if (top is None or self.counts[s.id] < top) and self.free(p, s.id):
                    self.put(p, s.id)
                    break
        return self.chosen


def construct(problem: Problem) -> Roster:
    """A greedy roster for ``problem``: a good place for the solver to start, not a promise."""
    pairs = set(forbidden_pairs(problem))
    people = _people(problem)
    weekend_of = {problem.dates[i]: sat for sat, days in weekends(problem.dates).items() for i in days}
    assignments: list[Assignment] = []
    for index, day in enumerate(problem.dates):
        chosen = _Day(problem, people, index, pairs, weekend_of.get(day)).fill()
        for p in people:
            shift = chosen.get(p.id)
            _advance(p, shift)
            if shift is not None:
                p.worked += 1
                p.per_shift[shift] = p.per_shift.get(shift, 0) + 1
                if day in weekend_of:
                    p.weekends.add(weekend_of[day])
                assignments.append(Assignment(day, p.id, shift))
    dept = problem.department
    return Roster(dept.slug, problem.horizon.start, problem.horizon.days, sorted(assignments))
