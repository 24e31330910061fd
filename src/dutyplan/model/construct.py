"""A fast greedy roster to start the search from (a solution hint).

CP-SAT finds a first roster for a large department slowly when it must
discover on its own how runs, rest and contracts fit together (200 people: no
roster in 30 s; 1,000 people: not even the end of presolve). This builds one day
by day in well under a second, following the core rules the department file
states: availability and locked days (R-AVAILABLE, R-LOCK), rest between shifts
(R-REST), run lengths with their edge exemptions (R-MAX-CONSEC, R-MIN-CONSEC,
R-MIN-OFF, R-WEEKLY-REST), weekends (R-MAX-WEEKENDS), contract limits in shifts
and minutes (R-CONTRACT), and coverage by head count and skill (R-COVER); among
the candidates for a shift it prefers whoever asked for it, whoever is behind
on their contract, and whoever has had fewer nights or rest-day shifts (R-FAIR).

People it leaves below their contract minimum are then given shifts where the cover has a hole
or a colleague has one to spare (:mod:`dutyplan.model.topup`). It does not know plugin rules and
need not be perfect: :mod:`dutyplan.model.search` repairs what it breaks and the solver improves
on it. Nothing here decides the final roster, and it is deterministic (the same problem gives the
same roster).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from dutyplan.calendar import REST_DAY_TYPES, weekends
from dutyplan.domain import CoverNeed, Problem
from dutyplan.model.balance import Balancer
from dutyplan.model.rowrules import NO_LIMIT, Row
from dutyplan.model.topup import TopUp
from dutyplan.model.weekendrota import WeekendRota
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.contract import contract_limits
from dutyplan.rules.succession import forbidden_pairs

WEEKEND_ROTA = True
"""Hand out the weekends ahead of the days where R-MAX-WEEKENDS limits someone (model/weekendrota.py)."""

ROTA_FROM_WEEKENDS = 14
"""The rota plans horizons of at least this many weekends (longer than a quarter). On a month or a
quarter the solver moves weekends between people itself and started from the rota's roster did worse
in 60 s (Curtois-Qu 8: 1,312 -> 1,402-1,404, 19: 4,072-4,153 -> 4,268-4,282); on half a year and
more its caps keep the last weekends covered (24: 78,504 -> 73,232 in 300 s; bench/RESULTS.md, stop 29)."""

TOPUP_SECONDS = 10.0
"""At most this long making up contract minimums after the days are filled (2 s on Curtois-Qu 24, a
year of 150 people with 82 short, on a 2-core machine; a month of a real department: milliseconds)."""


@dataclass
class _Person:
    id: str
    order: int
    skills: frozenset[str]
    min_shifts: int
    max_shifts: int
    min_minutes: int
    max_minutes: int
    max_per_shift: dict[str, int]
    max_run: int
    min_run: int
    min_off: int
    max_weekends: int
    free_days: list[bool]
    """Per day: may work at all (not unavailable, not locked to a day off)."""
    free_after: list[int]
    """Per day: free days from this day to the end of the horizon (for contract urgency)."""
    wishes: dict[tuple[int, str | None], int] = field(default_factory=dict)
    """(day, shift or None for the whole day) -> +weight for "work it", -weight for "keep it free"."""
    last: str | None = None
    run_work: int = 0
    run_off: int = 0
    interior: bool = False
    """A run of days off now would be interior (bounded by known work on the left), so R-MIN-OFF binds."""
    worked: int = 0
    minutes: int = 0
    nights: int = 0
    rest_days: int = 0
    per_shift: dict[str, int] = field(default_factory=dict)
    weekends: set[dt.date] = field(default_factory=set)

    def advance(self, shift: str | None) -> None:
        if shift is None:
            self.run_off, self.run_work = self.run_off + 1, 0
        else:
            self.run_work, self.run_off = self.run_work + 1, 0
            self.interior = True
        self.last = shift


def _limit(value: int | None, default: int | None) -> int | None:
    return value if value is not None else default


def _people(problem: Problem) -> list[_Person]:
    rules = problem.department.spec.rules
    days = problem.horizon.days
    staff = problem.department.staff
    result = []
    for order, spec in enumerate(staff):
        limits = contract_limits(spec, problem)
        max_run = _limit(spec.max_consecutive_work, rules.max_consecutive_work)
        if rules.weekly_rest:
            max_run = min(max_run if max_run is not None else 6, 6)
        free = []
        for di, day in enumerate(problem.dates):
            lock = problem.locked.get((spec.id, day), "")
            free.append(lock is not None and problem.unavailable_reason(spec, di) is None)
        after = [0] * (days + 1)
        for di in range(days - 1, -1, -1):
            after[di] = after[di + 1] + free[di]
        max_weekends = _limit(spec.max_weekends, rules.max_weekends)
        person = _Person(
            spec.id, order, frozenset(spec.skills),
            limits.min_shifts or 0,
            limits.max_shifts if limits.max_shifts is not None else NO_LIMIT,
            limits.min_minutes or 0,
            limits.max_minutes if limits.max_minutes is not None else NO_LIMIT,
            dict(limits.max_per_shift),
            max_run if max_run is not None else NO_LIMIT,
            _limit(spec.min_consecutive_work, rules.min_consecutive_work) or 1,
            _limit(spec.min_consecutive_off, rules.min_consecutive_off) or 1,
            max_weekends if max_weekends is not None else NO_LIMIT,
            free, after,
        )
        counts = problem.counts.get(spec.id)
        if counts is not None:
            person.nights, person.rest_days = counts.nights, counts.weekends
        tail = problem.history.get(spec.id, [])
        for shift in tail:
            person.advance(shift)
        result.append(person)
    by_id = {p.id: p for p in result}
    for request in problem.department.spec.requests:
        for req in request.days():
            when = problem.horizon.index(req.date)
            wisher = by_id.get(req.staff)
            if when is None or wisher is None:
                continue
            weight = req.weight if req.weight is not None else problem.department.spec.weights.request
            sign = 1 if req.kind == "shift_on" else -1
            key = (when, None if req.kind == "day_off" else req.shift)
            wisher.wishes[key] = wisher.wishes.get(key, 0) + sign * max(1, weight)
    return result


class _Day:
    """One day's choices: who works which shift, who may not work at all."""

    def __init__(self, plan: _Plan, index: int) -> None:
        self.plan, self.index = plan, index
        problem = plan.problem
        self.day = problem.dates[index]
        self.left = problem.horizon.days - index
        self.weekend = plan.weekend_of.get(self.day)
        self.next_weekend = plan.weekend_of.get(problem.dates[index + 1]) if index + 1 < len(problem.dates) else None
        """The weekend tomorrow belongs to (None on a weekday or past the horizon)."""
        self.rest_day = problem.horizon.calendar[index].type in REST_DAY_TYPES
        self.needs: dict[str, CoverNeed] = {s: problem.cover_need(s, index) for s in plan.shift_ids}
        self.chosen: dict[str, str] = {}
        self.counts = dict.fromkeys(plan.shift_ids, 0)
        self.blocked: set[str] = set()
        for p in plan.people:
            if not p.free_days[index] or self._must_rest(p):
                self.blocked.add(p.id)
            else:
                locked = problem.locked.get((p.id, self.day))
                if locked:
                    self.put(p, locked)

    def _must_rest(self, p: _Person) -> bool:
        if p.run_work >= p.max_run or p.worked >= p.max_shifts:
            return True
        if p.interior and 0 < p.run_off < p.min_off:
            return True  # an interior run of days off must reach R-MIN-OFF
        if not self._weekend_open(p, self.index):
            return True
        if p.run_work == 0 and p.min_run > 1:
            # A new run must be able to last R-MIN-CONSEC days, unless it reaches the end of the horizon:
            # the days must be free and the contract must have room for them.
            stop = min(self.index + p.min_run, len(p.free_days))
            length = stop - self.index
            if not all(p.free_days[self.index:stop]) or p.worked + length > p.max_shifts:
                return True
            if any(not self._weekend_open(p, di) for di in range(self.index, stop)):
                return True
            if p.minutes + length * self.plan.shortest > p.max_minutes:
                return True
        return False

    def _weekend_open(self, p: _Person, index: int) -> bool:
        """The person may work this day as far as R-MAX-WEEKENDS goes (given the weekends worked so far).

        With the weekend rota, a person not yet committed to the day's weekend may not start it once
        those committed before today fill its cap (model/weekendrota.py).
        """
        weekend = self.plan.weekend_of.get(self.plan.problem.dates[index])
        if weekend is None or weekend in p.weekends:
            return True
        if len(p.weekends) >= p.max_weekends:
            return False
        rota = self.plan.rota
        if rota is not None and p.max_weekends < NO_LIMIT:  # the rota's cap for this weekend (R-MAX-WEEKENDS)
            committed = self.plan.committed.get(weekend, set())
            if p.id not in committed and len(committed) >= rota.cap.get(weekend, NO_LIMIT):
                return False
        return True

    def put(self, p: _Person, shift_id: str) -> None:
        self.chosen[p.id] = shift_id
        self.counts[shift_id] = self.counts.get(shift_id, 0) + 1
        weekend = self._commits_to(p) if self.plan.rota is not None else None
        if weekend is not None:
            self.plan.committed.setdefault(weekend, set()).add(p.id)

    def _commits_to(self, p: _Person) -> dt.date | None:
        """The weekend working today spends for the person: today's, or tomorrow's for a run too short to end."""
        if p.max_weekends >= NO_LIMIT:
            return None
        if self.weekend is not None:
            return self.weekend
        if self.next_weekend is not None and p.run_work + 1 < p.min_run:
            return self.next_weekend
        return None

    def free(self, p: _Person, shift_id: str) -> bool:
        if p.id in self.chosen or p.id in self.blocked or (p.last, shift_id) in self.plan.pairs:
            return False
        if p.minutes + self.plan.minutes[shift_id] > p.max_minutes:
            return False
        if p.per_shift.get(shift_id, 0) >= p.max_per_shift.get(shift_id, NO_LIMIT):
            return False
        return p.run_work != 0 or p.min_run < 2 or self._can_continue(p, shift_id)

    def _can_continue(self, p: _Person, shift_id: str) -> bool:
        """A run started with ``shift_id`` today can go on tomorrow (R-MIN-CONSEC), or tomorrow is past the horizon.

        Tomorrow needs a shift that may follow this one (R-SUCCESSION), that the person still has
        room for (R-CONTRACT per-shift maxima and minutes).
        """
        if self.index + 1 >= len(p.free_days):
            return True
        room = p.max_minutes - p.minutes - self.plan.minutes[shift_id]
        for after in self.plan.shift_ids:
            used = p.per_shift.get(after, 0) + (after == shift_id)
            if (shift_id, after) in self.plan.pairs or used >= p.max_per_shift.get(after, NO_LIMIT):
                continue
            if self.plan.minutes[after] <= room:
                return True
        return False

    def deficit(self, p: _Person) -> float:
        """Share of what the person can still work that they must work to reach their contract minimum.

        What they can still work: the free days left, less the weekends beyond their R-MAX-WEEKENDS
        allowance or thinned by the pattern of the longest run and the shortest break (R-MAX-CONSEC,
        R-MIN-OFF), whichever binds more. Not both: the pattern's days off can fall on the weekends kept
        free. Subtracting both made everybody look at least 90% behind from the first day of a year
        (Curtois-Qu 24), so people worked every day they could early and the cover of the last months
        went short; the shortfalls this estimate leaves at the end are made up afterwards
        (:mod:`dutyplan.model.topup`; bench/RESULTS.md, stop 28).
        """
        owed = max(p.min_shifts - p.worked, math.ceil((self._minutes_goal(p) - p.minutes) / self.plan.typical_minutes))
        if owed <= 0:
            return 0.0
        free = p.free_after[self.index]
        rota = self.plan.rota
        if rota is not None:
            kept_free = rota.kept_free(p, self.index)  # the weekends the rota keeps free for the person
        else:
            ahead = self.plan.weekends_after[self.index]  # weekends still to come; those beyond the limit stay free
            kept_free = 2 * max(0, ahead - max(0, p.max_weekends - len(p.weekends)))
        run = min(p.max_run, max(1, free))
        return owed / max(1.0, min(free - kept_free, free * run / (run + p.min_off)))

    def _minutes_goal(self, p: _Person) -> int:
        """The minutes to aim for: half-way into the contract's window, at most one typical shift above its minimum.

        Aiming at the minimum itself ends a long horizon a shift or two short (Curtois-Qu 22: 13 of 50
        people a year under their minimum when the goal was the minimum, 5 with this margin).
        """
        if not p.min_minutes:
            return 0
        return p.min_minutes + min(self.plan.typical_minutes, (p.max_minutes - p.min_minutes) // 2)

    def urgency(self, p: _Person, shift_id: str) -> tuple[float, ...]:
        """Lower is more urgent: asked for it, behind on contract, same shift as yesterday, fewer nights."""
        wish = p.wishes.get((self.index, shift_id), 0) + p.wishes.get((self.index, None), 0)
        plan = self.plan
        load = 0.0  # ahead of the person's pro-rata share of nights and rest-day shifts (R-FAIR)
        if shift_id in plan.nights:
            load += p.nights - plan.night_share * self.index
        if self.rest_day:
            load += p.rest_days - plan.rest_share * plan.rest_days_before[self.index]
        behind = self.deficit(p)
        urgent = round(behind, 1) if behind >= 0.75 else 0.0  # the contract minimum is hard: it comes first
        return (-wish, *self.weekend_cost(p), -urgent, round(load), -int(p.last == shift_id), p.worked, p.order)

    def weekend_cost(self, p: _Person) -> tuple[int, int]:
        """What working today spends of the person's R-MAX-WEEKENDS allowance; lower is cheaper.

        (0, 0) spends nothing: no limit, a weekday, or a weekend they already work. (1, -left) starts
        a weekend (today, or tomorrow when a run started today must go on into it, R-MIN-CONSEC),
        people with more weekends left first; (2, -left) starts one they cannot finish, their run
        reaching R-MAX-CONSEC today so that its other day stays unworked.

        Why: where the allowance barely holds the weekend cover, every weekend worked on one day only
        or over-covered is a hole on a later weekend. Curtois-Qu 24 (150 people, at most 26 weekends
        each: 3,426 weekends for 6,535 weekend shifts) started with 1,072 weekends worked on one day,
        1,201 surplus weekend shifts and 2,820 cover holes, nearly all on the weekends of its last four
        months (bench/RESULTS.md, stop 27).
        """
        if p.max_weekends >= NO_LIMIT:
            return (0, 0)
        spends = 0
        if self.weekend is not None and self.weekend not in p.weekends:
            spends = 2 if self.next_weekend == self.weekend and p.run_work + 1 >= p.max_run else 1
        elif self.weekend is None and self.next_weekend is not None and self.next_weekend not in p.weekends:
            spends = int(p.run_work + 1 < p.min_run)
        return (spends, len(p.weekends) - p.max_weekends) if spends else (0, 0)

    def ahead(self, p: _Person) -> bool:
        """The person has worked at least their pro-rata share of their contract's goal by the end of today.

        The deficit (:meth:`deficit`) estimates what is left to work from the free days and the run
        pattern; when it undercounted (before stop 28), on Curtois-Qu 24 everybody seemed at least 90%
        behind from the first day and worked every day they could (about 600 surplus shifts in each of
        the year's first two four-week blocks), and by the year's last weeks people were at their
        minute and per-shift maxima with the cover still open (bench/RESULTS.md, stop 27).
        """
        share = (self.index + 1) / len(p.free_days)
        return p.worked >= p.min_shifts * share and p.minutes >= self._minutes_goal(p) * share

    def ranked(self, shift_id: str, pool: list[_Person]) -> list[_Person]:
        return sorted((p for p in pool if self.free(p, shift_id)), key=lambda p: self.urgency(p, shift_id))

    def fill_to(self, shift_id: str, target: int, pool: list[_Person], count: list[_Person] | None = None) -> None:
        """Add people from ``pool`` until ``target`` of them (or of ``count``) work ``shift_id``."""
        have = sum(1 for p in count if self.chosen.get(p.id) == shift_id) if count is not None else None
        top = self.needs[shift_id].max
        for p in self.ranked(shift_id, pool):
            current = have if have is not None else self.counts[shift_id]
            if current >= target or (top is not None and self.counts[shift_id] >= top):
                return
            if self.free(p, shift_id):
                self.put(p, shift_id)
                if have is not None:
                    have += 1

    def _finish_weekend(self) -> None:
        """People who worked yesterday, the same weekend, take today's open shifts first (R-MAX-WEEKENDS).

        Why: the ranking puts a request before a weekend's cost (:meth:`urgency`) and the day is
        filled one shift after another, so a Sunday shift someone asked for went to them, or to a
        skilled newcomer, while a Saturday worker who could follow on only that shift (R-SUCCESSION)
        was left out: two weekends spent on one day each where one whole weekend would do. Curtois-Qu
        24: weekends worked on one day 754 -> 639, start 91,417 -> 88,164 (bench/RESULTS.md, stop 28).
        The people with the fewest shifts open to them go first, each on the open shift with the most
        places left (yesterday's on a tie).
        """
        if self.index == 0 or self.plan.weekend_of.get(self.plan.problem.dates[self.index - 1]) != self.weekend:
            return
        options: list[tuple[_Person, list[str]]] = []
        for p in self.plan.people:
            if p.last is None or self.weekend not in p.weekends or p.id in self.chosen:
                continue
            open_ = [s for s in self.plan.shift_ids if self.counts[s] < self.needs[s].preferred and self.free(p, s)]
            if open_:
                options.append((p, open_))
        options.sort(key=lambda item: (len(item[1]), item[0].order))
        for p, open_ in options:
            left = [s for s in open_ if self.counts[s] < self.needs[s].preferred]
            if left:
                self.put(p, max(left, key=lambda s: (self.needs[s].preferred - self.counts[s], s == p.last)))

    def fill(self) -> dict[str, str]:
        plan, people = self.plan, self.plan.people
        # 1. people in a run that is still too short keep working.
        for p in people:
            if 0 < p.run_work < p.min_run:
                # A shift the cover still asks for first, yesterday's before others (less to change).
                for s in sorted(plan.shift_ids, key=lambda s: (self.counts[s] >= self.needs[s].preferred, s != p.last)):
                    if self.free(p, s):
                        self.put(p, s)
                        break
        # 1b. on a weekend's second day, those who worked its first day go on where the cover asks.
        if self.weekend is not None and self.plan.weekends_limited:
            self._finish_weekend()
        # 2. skills, 3. minimum head count, 4. preferred head count.
        for s in plan.shift_ids:
            for skill, minimum in plan.skill_cover.get((s, self.index), []):
                skilled = [p for p in people if skill in p.skills]
                self.fill_to(s, minimum, skilled, count=skilled)
        for level in ("min", "preferred"):
            for s in plan.shift_ids:
                self.fill_to(s, getattr(self.needs[s], level), people)
        # 5. people who fall behind their contract minimum go where there is room.
        for p in sorted(people, key=lambda p: -self.deficit(p)):
            behind = self.deficit(p)
            if behind < 0.9:
                break
            if behind < 1.0 and (self.ahead(p) or (self.weekend is not None and self.weekend_cost(p)[0])):
                # Unless every day left counts: on pace, minutes spent early on surplus shifts are missing
                # from the last weeks; a surplus shift that starts a weekend spends one a later weekend's cover needs.
                continue
            for s in sorted(plan.shift_ids, key=lambda s: self.counts[s] - self.needs[s].preferred):
                top = self.needs[s].max
                if (top is None or self.counts[s] < top) and self.free(p, s):
                    self.put(p, s)
                    break
        return self.chosen


class _Plan:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        dept = problem.department
        self.pairs = set(forbidden_pairs(problem))
        self.people = _people(problem)
        self.shift_ids = [s.id for s in sorted(dept.shifts, key=lambda s: (s.start.hour, s.start.minute))]
        self.minutes = {s.id: s.paid_minutes for s in dept.shifts}
        paid = [m for m in self.minutes.values() if m]
        self.typical_minutes = max(1, round(sum(paid) / len(paid))) if paid else 480
        self.shortest = min(paid) if paid else 0
        self.nights = {s.id for s in dept.shifts if s.is_night}
        self.weekend_of = {problem.dates[i]: sat for sat, days in weekends(problem.dates).items() for i in days}
        self.weekends_limited = any(p.max_weekends < NO_LIMIT for p in self.people)
        """Some R-MAX-WEEKENDS limit binds: weekends are a budget worth spending whole."""
        self.weekends_after = [len({sat for day, sat in self.weekend_of.items() if day >= d}) for d in problem.dates]
        cal = problem.horizon.calendar
        rest = [c.type in REST_DAY_TYPES for c in cal]
        self.rest_days_before = [sum(rest[:i]) for i in range(len(rest))]
        staff = max(1, len(self.people))
        nights = sum(problem.cover_need(s, i).preferred for s in self.nights for i in range(len(cal)))
        self.night_share = nights / staff / max(1, len(cal))
        rest_total = sum(problem.cover_need(s, i).preferred for s in self.shift_ids for i in range(len(cal)) if rest[i])
        self.rest_share = rest_total / staff / max(1, sum(rest))
        self.skill_cover: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for shift in dept.shifts:
            for sc in shift.spec.skill_cover:
                for di, day in enumerate(problem.horizon.calendar):
                    if day.type in sc.day_types:
                        self.skill_cover.setdefault((shift.id, di), []).append((sc.skill, sc.min))
        self.committed: dict[dt.date, set[str]] = {}
        """Saturday -> people with an R-MAX-WEEKENDS limit who work that weekend (or a run that reaches it);
        kept for the rota's caps only."""
        long = self.weekends_after[0] >= ROTA_FROM_WEEKENDS if problem.dates else False
        self.rota = WeekendRota(self) if self.weekends_limited and WEEKEND_ROTA and long else None


def construct(problem: Problem, balance: bool = True) -> Roster:
    """A greedy roster for ``problem``: a good place for the solver to start, not a promise.

    ``balance=False`` skips evening out the fair shares afterwards (model/balance.py), for tests
    that compare the two.
    """
    plan = _Plan(problem)
    rows: list[Row] = [[None] * problem.horizon.days for _ in plan.people]  # rows[person][day]
    for index in range(problem.horizon.days):
        if plan.rota is not None and (index == 0 or problem.dates[index].weekday() == 0):
            plan.rota.replan(index)  # from the weekends worked so far (someone may have worked one off the rota)
        today = _Day(plan, index)
        chosen = today.fill()
        for p in plan.people:
            shift = chosen.get(p.id)
            p.advance(shift)
            if shift is not None:
                p.worked += 1
                p.minutes += plan.minutes[shift]
                p.per_shift[shift] = p.per_shift.get(shift, 0) + 1
                p.nights += shift in plan.nights
                p.rest_days += today.rest_day
                if today.weekend is not None:
                    p.weekends.add(today.weekend)
                rows[p.order][index] = shift
    TopUp(plan, rows).run(TOPUP_SECONDS)
    if balance:
        Balancer(plan, rows).run()
    assignments = [Assignment(day, p.id, shift) for p, row in zip(plan.people, rows, strict=True)
                   for day, shift in zip(problem.dates, row, strict=True) if shift is not None]
    dept = problem.department
    return Roster(dept.slug, problem.horizon.start, problem.horizon.days, sorted(assignments))

