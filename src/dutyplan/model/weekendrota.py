"""How many people each weekend should take, and which weekends each person should keep free (R-MAX-WEEKENDS).

Why: where the weekend allowance barely holds the weekend cover, a greedy that fills one day after
another spends weekends it cannot get back. A person on a weekend covers two shifts while both of its
days ask for people, one when only the busier day does; filling the busy Saturdays of the year's first
months as they came, Curtois-Qu 24 (150 people, at most 26 weekends each, 3,426 weekends for 6,535
weekend shifts) ran out of weekends for its December, which asks for more weekend shifts than there are
people: 643 weekend shifts open there (bench/RESULTS.md, stop 28).

So on horizons longer than a quarter (``construct.ROTA_FROM_WEEKENDS``) the weekends still to come
are planned every Monday from what is left of everybody's allowance:

- each weekend's *cap*, the people with a limit it may take: the head count of its quieter day first,
  for every weekend, then what is left of the allowance for the busier days (:meth:`WeekendRota._wants`);
- a fair share of those weekends per person, to those with the most allowance left per weekend still
  open to them, from which the construction reads the weekend days a person will keep free when it
  estimates how far behind their contract they are (:meth:`WeekendRota.kept_free`).

The construction (:mod:`dutyplan.model.construct`) closes a weekend to newcomers once the people
committed to it before the day (on its earlier days, or in a run that must go on into it) fill its
cap; those who start it on the same day are not counted against each other. Closing it within the
day too started worse on Curtois-Qu 13, 20 and 24, better on 22 (bench/RESULTS.md, stop 29).
It does not make people work the weekends of their share: tried, that left people rostered for a
weekend at the end of a run or a day into a break (R-MAX-CONSEC, R-MIN-OFF) and starts worse on every
year-long instance (bench/RESULTS.md, stop 29).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dutyplan.calendar import weekends
from dutyplan.model.rowrules import NO_LIMIT

if TYPE_CHECKING:
    from dutyplan.model.construct import _Person, _Plan


class WeekendRota:
    """Weekends (by their Saturday): the people each may take and a fair share per person, re-planned from a day on."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        days = weekends(plan.problem.dates)
        self.days = days
        """Saturday -> the day indexes of its weekend inside the horizon."""
        self.saturdays = sorted(days)
        self.rostered: dict[dt.date, set[str]] = {sat: set() for sat in self.saturdays}
        """Saturday -> the people whose fair share of weekends includes it."""
        self.cap: dict[dt.date, int] = {}
        """Saturday -> how many people with a limit the weekend should take (:meth:`_wants`)."""
        self.kept: dict[str, list[int]] = {}
        """Person -> per day, the free days from it on that fall on weekends the rota keeps free for them."""

    def replan(self, index: int) -> None:
        """Plan the weekends that begin on or after day ``index`` again, from the weekends worked so far.

        Each weekend's share goes, up to its cap, to those free on all its days first, then to those
        free on some; among them to the people with the most allowance left per weekend still open to
        them, who did not work the weekend before on a tie.
        """
        plan = self.plan
        limited = [p for p in plan.people if p.max_weekends < NO_LIMIT]
        coming = [sat for sat in self.saturdays if self.days[sat][0] >= index]
        left = {p.id: max(0, p.max_weekends - len(p.weekends)) for p in limited}
        open_ahead = {p.id: sum(self._open(p, sat) > 0 for sat in coming) for p in limited}
        previous = {p.id: bool(p.weekends) and max(p.weekends) == self._before(coming[0]) for p in limited} \
            if coming else {}
        wants = self._wants(coming, limited, left)
        self.cap.update(wants)
        for sat in coming:
            chosen: set[str] = set()
            want = wants[sat]
            for whole in (2, 1):
                if len(chosen) >= want:
                    break
                pool = [p for p in limited if p.id not in chosen and left[p.id] > 0 and self._open(p, sat) == whole]
                pool.sort(key=lambda p: (-left[p.id] / max(1, open_ahead[p.id]), previous.get(p.id, False), p.order))
                for p in pool[: want - len(chosen)]:
                    chosen.add(p.id)
            for p in limited:
                if self._open(p, sat):
                    open_ahead[p.id] -= 1
                worked = p.id in chosen
                previous[p.id] = worked
                left[p.id] -= worked
            self.rostered[sat] = chosen
        days = len(plan.problem.dates)
        for p in limited:
            weekend_free = [False] * (days + 1)
            for sat in coming:
                if p.id not in self.rostered[sat]:
                    for di in self.days[sat]:
                        weekend_free[di] = p.free_days[di]
            suffix = [0] * (days + 1)
            for di in range(days - 1, -1, -1):
                suffix[di] = suffix[di + 1] + weekend_free[di]
            self.kept[p.id] = suffix

    def _wants(self, coming: list[dt.date], limited: list[_Person], left: dict[str, int]) -> dict[dt.date, int]:
        """How many people each weekend gets: both days' cover first, then one day's, while the allowance lasts.

        A person on a weekend covers two shifts while both days ask for more people, one when only the
        busier day does; so every weekend first gets the head count of its quieter day (of those free
        on both days, less those without a limit), and what is left of the allowance goes to the busier
        days, a weekend at a time.
        """
        plan = self.plan
        unlimited = [p for p in plan.people if p.max_weekends >= NO_LIMIT]
        budget = sum(left.values())
        base: dict[dt.date, int] = {}
        extra: dict[dt.date, int] = {}
        for sat in coming:
            asked = [sum(plan.problem.cover_need(s, di).preferred for s in plan.shift_ids) for di in self.days[sat]]
            free = sum(1 for p in limited if self._open(p, sat) == 2 and left[p.id] > 0)
            others = sum(1 for p in unlimited if self._open(p, sat))
            quiet, busy = max(0, min(asked) - others), max(0, max(asked) - others)
            base[sat] = min(quiet, free)
            extra[sat] = max(0, busy - base[sat])
        total = sum(base.values())
        if total > budget:  # not even the quieter days: thin every weekend alike
            return {sat: base[sat] * budget // total for sat in coming}
        spare = budget - total
        for sat in coming:
            add = min(extra[sat], spare)
            base[sat] += add
            spare -= add
        return base

    def _open(self, p: _Person, sat: dt.date) -> int:
        """0 when the person may not work the weekend at all, 1 on some of its days, 2 on all of them."""
        free = [p.free_days[di] for di in self.days[sat]]
        return 2 if all(free) else int(any(free))

    def _before(self, sat: dt.date) -> dt.date | None:
        at = self.saturdays.index(sat)
        return self.saturdays[at - 1] if at else None

    def kept_free(self, p: _Person, index: int) -> int:
        """Free days from ``index`` on that fall on weekends outside the person's share: days they will not work."""
        suffix = self.kept.get(p.id)
        return suffix[index] if suffix is not None else 0
