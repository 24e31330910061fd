"""The property desk's rules: a desk staffed around the clock, two at night, more on holidays.

* ``R-COVER`` (key ``R-COVER/24h``): the desk shifts together cover all 24
  hours (checked when the file is loaded: a gap is a file error naming it),
  and every desk shift has at least ``desk_min`` people every day; the night
  shift at least ``night_min`` (物业客服: the night desk is never one person
  alone).
* ``D-HOLIDAY``: on statutory holidays duty is reinforced (另做加强值班安排,
  第7篇 1.9): every desk shift has at least ``holiday.min`` people (or the
  count given for it in ``holiday.shifts``). The duty manager rotation's own
  holiday count is the core's ``[duty] holiday_per_day``.

Both are per-shift head counts, so each is a linear constraint per shift-day
and the checker counts the roster's people.
"""

from __future__ import annotations

from collections.abc import Iterator

from dutyplan.domain import Problem
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

from .settings import PropertyDeskSettings

DAY = 24 * 60


def desk_shifts(problem: Problem, settings: PropertyDeskSettings) -> list[str]:
    return list(settings.desk_shifts) if settings.desk_shifts is not None else problem.shift_ids


def uncovered(problem: Problem, shifts: list[str]) -> list[tuple[int, int]]:
    """Stretches of the 24-hour clock (minutes after midnight) that no desk shift covers.

    A stretch across midnight is one gap, ``(1380, 420)`` for 23:00-07:00.
    """
    covered = [False] * DAY
    for sid in shifts:
        shift = problem.department.shift_by_id[sid]
        begin = shift.start.hour * 60 + shift.start.minute
        for minute in range(begin, begin + shift.length_minutes):
            covered[minute % DAY] = True
    gaps: list[tuple[int, int]] = []
    for minute, ok in enumerate(covered):
        if ok:
            continue
        if gaps and gaps[-1][1] == minute:
            gaps[-1] = (gaps[-1][0], minute + 1)
        else:
            gaps.append((minute, minute + 1))
    if len(gaps) > 1 and gaps[0][0] == 0 and gaps[-1][1] == DAY:  # one gap across midnight
        gaps = [(gaps[-1][0], gaps[0][1]), *gaps[1:-1]]
    return gaps


class CountRule(Rule):
    """At least ``need(shift, day)`` people on each shift-day where it is above zero."""

    def needs(self, problem: Problem) -> Iterator[tuple[int, str, int]]:
        raise NotImplementedError

    def build(self, ctx: ModelContext) -> None:
        for di, shift, need in self.needs(ctx.problem):
            si = ctx.shift_index[shift]
            ct = ctx.model.add(sum(ctx.x[pi][di][si] for pi in range(ctx.num_staff)) >= need)
            ctx.add_hard(ct, self, f"{shift} {ctx.dates[di]:%m-%d}")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        for di, shift, need in self.needs(problem):
            day = problem.dates[di]
            on = roster.on(day, shift)
            if len(on) < need:
                yield self.violation(self.message(shift, day.strftime("%m-%d"), len(on), need),
                                     date=day, shift=shift)

    def message(self, shift: str, day: str, found: int, need: int) -> str:
        return f"{shift} on {day} has {found} people, at least {need} needed"


class RoundTheClock(CountRule):
    """R-COVER: the desk never closes: every desk shift staffed, the night shift by at least two."""

    id = "R-COVER"
    title = "24-hour desk"

    def __init__(self, settings: PropertyDeskSettings, shifts: list[str]) -> None:
        self.settings, self.shifts = settings, shifts

    @property
    def key(self) -> str:
        return "R-COVER/24h"

    def needs(self, problem: Problem) -> Iterator[tuple[int, str, int]]:
        s = self.settings
        for di in range(problem.horizon.days):
            for shift in self.shifts:
                yield di, shift, s.night_min if shift == s.night_shift else s.desk_min

    def message(self, shift: str, day: str, found: int, need: int) -> str:
        alone = " (nobody alone at night)" if shift == self.settings.night_shift else ""
        return f"desk shift {shift} on {day} has {found} people, at least {need}{alone}"

    def describe(self, locale: str = "en") -> str:
        s = self.settings
        if locale == "zh":
            return f"服务台24小时有人：每个班次至少 {s.desk_min} 人，{s.night_shift} 班至少 {s.night_min} 人。"
        return (f"The desk is staffed around the clock: at least {s.desk_min} on every desk shift and "
                f"{s.night_min} on {s.night_shift}.")


class HolidayReinforcement(CountRule):
    """D-HOLIDAY: reinforced desk staffing on statutory holidays, with this plugin's own counts."""

    id = "D-HOLIDAY"
    title = "Reinforced holiday duty"

    def __init__(self, settings: PropertyDeskSettings, shifts: list[str]) -> None:
        assert settings.holiday is not None
        self.holiday, self.shifts = settings.holiday, shifts

    def needs(self, problem: Problem) -> Iterator[tuple[int, str, int]]:
        h = self.holiday
        for di, cal in enumerate(problem.horizon.calendar):
            if cal.type in h.day_types:
                for shift in self.shifts:
                    yield di, shift, h.shifts.get(shift, h.min)

    def message(self, shift: str, day: str, found: int, need: int) -> str:
        return f"{shift} on {day} (statutory holiday, reinforced duty) has {found} people, at least {need} needed"

    def describe(self, locale: str = "en") -> str:
        h = self.holiday
        counts = ", ".join(f"{s} {h.shifts.get(s, h.min)}" for s in self.shifts)
        if locale == "zh":
            return f"法定节假日加强值班：{counts} 人。"
        return f"Reinforced duty on statutory holidays: {counts} people."
