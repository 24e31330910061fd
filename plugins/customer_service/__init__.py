"""Customer-service front desk (客服部前台): opening hours, key holders, hand-overs.

A plugin package of dutyplan; list it in a department file::

    [department]
    plugins = ["customer_service"]
    plugin_dirs = ["../../plugins"]

    [customer_service]
    desk_skill = "frontdesk"
    hours = { workday = "07:00-22:30", weekend = "08:00-22:00" }

Rules (DOMAIN.md ids):

* ``R-COVER`` (key ``R-COVER/desk``): the desk is staffed at every minute of
  its opening hours, meal breaks included (:mod:`.desk`);
* ``R-KEY``: a key holder on the opening and on the closing shift every day,
  or a named key hand-over (:mod:`.keys`);
* ``R-HANDOVER``: nobody leaves before the next shift is there to take over;
  shifts without the overlap are a file error or a warning (:mod:`.handover`).

Everything the plugin reads is in its own ``[customer_service]`` section
(:mod:`.settings`), validated strictly; the core is not changed.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.rules.base import Rule

from . import desk, keys, timeline
from .desk import DeskCover
from .handover import Handover
from .keys import KeyHolder
from .settings import SECTION, CustomerServiceSettings
from .timeline import Timeline

__version__ = "1.0"
__all__ = ["desk", "keys", "timeline"]


def settings_of(problem: Problem) -> CustomerServiceSettings:
    dept = problem.department
    section = dept.section(SECTION)
    if section is None:
        raise InputError(
            f"plugin {SECTION!r} is listed in department.plugins but the file has no [{SECTION}] section "
            "(expected at least [customer_service.hours] with workday = \"HH:MM-HH:MM\")",
            path=dept.path, where=SECTION,
        )
    assert isinstance(section, CustomerServiceSettings)
    return section


def validate(settings: CustomerServiceSettings, problem: Problem) -> None:
    """Ids the section names must exist (the loader knows only the core's ids)."""
    dept = problem.department

    def fail(message: str, where: str) -> InputError:
        return InputError(f"{message} (in the [{SECTION}] section of plugin {SECTION!r})",
                          path=dept.path, where=f"{SECTION}.{where}")

    for key in ("opening_shift", "closing_shift"):
        shift = getattr(settings, key)
        if shift is not None and shift not in dept.shift_by_id:
            raise fail(f"unknown shift id {shift!r} (expected one of {', '.join(dept.shift_by_id)})", key)
    skills = {s for p in dept.staff for s in p.skills}
    if settings.desk_skill is not None and settings.desk_skill not in skills:
        raise fail(f"nobody has the skill {settings.desk_skill!r} (skills: {', '.join(sorted(skills))})",
                   "desk_skill")
    if not any(set(settings.key_skills) & set(p.skills) for p in dept.staff):
        raise fail(f"nobody holds a key: no person has any of the skills {', '.join(settings.key_skills)} "
                   "(R-KEY needs a key holder to open and close)", "key_skills")
    for i, handover in enumerate(settings.key_handover):
        for key, sid in (("to", handover.to), ("from", handover.giver)):
            if sid is not None and sid not in dept.staff_by_id:
                raise fail(f"unknown staff id {sid!r}", f"key_handover[{i}].{key}")


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, CustomerServiceSettings)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = settings_of(problem)
    validate(settings, problem)
    timeline = Timeline(problem, settings.hours)
    desk = DeskCover(settings, timeline)
    hole = desk.unstaffable()
    if hole is not None:
        raise InputError(
            f"no roster can staff the front desk at {timeline.moment(hole[0])}-{timeline.clock(hole[1])}: "
            f"no shift is on then, or only shifts at meals (R-COVER, plugin {SECTION!r}); expected shifts "
            "that cover the opening hours",
            path=problem.department.path, where=f"{SECTION}.hours",
        )
    handover = Handover(settings, timeline)
    if handover.gaps and settings.handover_check == "error":
        raise InputError(
            f"{handover.gaps[0]}; expected consecutive shifts to overlap by {settings.handover_minutes} minutes "
            f"for the hand-over (R-HANDOVER, plugin {SECTION!r}), or set handover_check = \"warn\"",
            path=problem.department.path, where=f"{SECTION}.handover_minutes",
        )
    register(desk)
    register(KeyHolder(settings, timeline))
    register(handover)
