"""Property-management service desk (物业客服): a 24-hour desk, two at night, holiday duty, rounds.

A plugin package of dutyplan; list it in a department file::

    [department]
    plugins = ["property_desk"]
    plugin_dirs = ["../../plugins"]

    [property_desk]
    night_min = 2
    holiday = { min = 3 }
    rounds = [{ time = "10:00", area = "大堂 lobby" }]

* ``R-COVER`` (key ``R-COVER/24h``): the desk shifts cover all 24 hours (a gap
  is a file error) and each is staffed every day, the night shift by at least
  ``night_min`` (:mod:`.rules`);
* ``D-HOLIDAY``: reinforced staffing on statutory holidays with this plugin's
  own count (:mod:`.rules`);
* inspection rounds (值班检查) at fixed times, printed on the duty-log sheet
  for the day's on-duty manager (:mod:`.rounds`, through ``roster_planned``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.features.duty import settings_of as duty_settings_of
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule

from . import rounds, rules
from .rounds import add_rounds
from .rules import HolidayReinforcement, RoundTheClock, desk_shifts, uncovered
from .settings import SECTION, PropertyDeskSettings

__version__ = "1.0"
__all__ = ["rounds", "rules"]


def settings_of(problem: Problem) -> PropertyDeskSettings:
    dept = problem.department
    section = dept.section(SECTION)
    if section is None:
        return PropertyDeskSettings()
    assert isinstance(section, PropertyDeskSettings)
    return section


def validate(settings: PropertyDeskSettings, problem: Problem) -> list[str]:
    """The desk shifts (checked: known ids, a 24-hour clock without gaps, rounds in duty hours)."""
    dept = problem.department

    def fail(message: str, where: str) -> InputError:
        return InputError(f"{message} (in the [{SECTION}] section of plugin {SECTION!r})",
                          path=dept.path, where=f"{SECTION}.{where}")

    known = ", ".join(dept.shift_by_id)
    for sid in [*(settings.desk_shifts or []), settings.night_shift]:
        if sid not in dept.shift_by_id:
            raise fail(f"unknown shift id {sid!r} (expected one of {known})",
                       "night_shift" if sid == settings.night_shift else "desk_shifts")
    shifts = desk_shifts(problem, settings)
    if settings.night_shift not in shifts:
        raise fail(f"the night shift {settings.night_shift!r} is not one of the desk shifts", "night_shift")
    for sid in settings.holiday.shifts if settings.holiday else {}:
        if sid not in shifts:
            raise fail(f"{sid!r} is not a desk shift (desk shifts: {', '.join(shifts)})", f"holiday.shifts.{sid}")
    gaps = uncovered(problem, shifts)
    if gaps:
        a, b = gaps[0]
        raise fail(f"the desk shifts ({', '.join(shifts)}) leave the desk empty {a // 60:02d}:{a % 60:02d}-"
                   f"{b // 60:02d}:{b % 60:02d}; expected shifts that together cover all 24 hours (R-COVER)",
                   "desk_shifts")
    if settings.rounds:
        duty = duty_settings_of(problem)
        if duty is None:
            raise fail("inspection rounds need the on-duty manager rotation: add a [duty] section", "rounds")
        for i, r in enumerate(settings.rounds):
            if not _within(r.time.hour * 60 + r.time.minute, duty.start, duty.end):
                raise fail(f"round at {r.time:%H:%M} is outside the duty hours {duty.start:%H:%M}-"
                           f"{duty.end:%H:%M}", f"rounds[{i}].time")
    return shifts


def _within(minute: int, start: dt.time, end: dt.time) -> bool:
    a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return a <= minute <= b if a < b else minute >= a or minute <= b


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, PropertyDeskSettings)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = settings_of(problem)
    shifts = validate(settings, problem)
    register(RoundTheClock(settings, shifts))
    if settings.holiday is not None:
        register(HolidayReinforcement(settings, shifts))


@hookimpl
def roster_planned(roster: Roster, problem: Problem) -> None:
    settings = settings_of(problem)
    if settings.rounds:
        add_rounds(roster, problem, settings)
