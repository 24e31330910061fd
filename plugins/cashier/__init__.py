"""Retail cashier desk (收银员): tills by an hourly demand curve, the gift store pair, till points.

A plugin package of dutyplan; list it in a department file::

    [department]
    plugins = ["cashier"]
    plugin_dirs = ["../../plugins"]

    [cashier]
    skill = "cashier"
    demand = [{ hours = "09:00-11:00", tills = 2 }, { days = ["weekend"], hours = "17:00-20:00", tills = 5 }]

Rules:

* ``R-COVER`` (key ``R-COVER/tills``): the tills the demand curve asks for are
  staffed at every minute, over overlapping shifts (early, middle, late, split),
  meal breaks included (:mod:`.cover`);
* ``X-TWO-PERSON``: the gift store is opened only with two authorised people
  on shift in its declared windows (两人同时进出, :mod:`.cover`);
* ``P-CASHIER`` points from a CSV of daily till results (:mod:`.tills`): till
  differences, over/under-ringing, the monthly ranking by transactions, on the
  department's point ledger like every other point.

**Split shifts** (两头班) are one shift type with two or more parts
(``[cashier.split.<id>] parts = ["10:00-14:00", "17:00-21:00"]``). The core's
shift keeps the envelope (first start to last end), so rest between days
(R-REST) and the grids stay right; only this plugin knows the person is away
between the parts, and counts them at the tills only within the parts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import click
from pydantic import BaseModel

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.rules.base import Rule

from . import cover, line, tills
from .cover import GiftStorePair, LevelCover, TillCover
from .line import Line, shift_parts
from .settings import SECTION, CashierSettings
from .tills import import_till_results, point_rules, read_till_results, till_events, tills_command

__version__ = "1.0"
__all__ = ["cover", "import_till_results", "line", "read_till_results", "till_events", "tills"]


def settings_of(problem: Problem) -> CashierSettings:
    dept = problem.department
    section = dept.section(SECTION)
    if section is None:
        raise InputError(f"plugin {SECTION!r} is listed in department.plugins but the file has no [{SECTION}] "
                         "section (expected at least one [[cashier.demand]])", path=dept.path, where=SECTION)
    assert isinstance(section, CashierSettings)
    return section


def _fail(problem: Problem, message: str, where: str) -> InputError:
    return InputError(f"{message} (in the [{SECTION}] section of plugin {SECTION!r})",
                      path=problem.department.path, where=f"{SECTION}.{where}")


def validate(settings: CashierSettings, problem: Problem) -> None:
    """Shift ids and skills the section names must exist; split parts must fill their shift's envelope."""
    dept = problem.department
    skills = {s for p in dept.staff for s in p.skills}
    for where, skill in (("skill", settings.skill),
                         ("gift_store.skill", settings.gift_store.skill if settings.gift_store else None)):
        if skill is not None and skill not in skills:
            raise _fail(problem, f"nobody has the skill {skill!r} (skills: {', '.join(sorted(skills))})", where)
    for shift_id, split in settings.split.items():
        shift = dept.shift_by_id.get(shift_id)
        if shift is None:
            raise _fail(problem, f"unknown shift id {shift_id!r} (expected one of {', '.join(dept.shift_by_id)})",
                        f"split.{shift_id}")
        parts = shift_parts(problem, settings)[shift_id]
        begin = shift.start.hour * 60 + shift.start.minute
        ordered = all(b <= c for (_a, b), (c, _d) in itertools.pairwise(parts))
        if not ordered or parts[0][0] != begin or parts[-1][1] != begin + shift.length_minutes:
            raise _fail(problem, f"parts {', '.join(split.parts)} must be in order without overlap, start when "
                        f"shift {shift_id!r} starts ({shift.start:%H:%M}) and end when it ends "
                        f"({shift.end:%H:%M}): the shift's times are the envelope of its parts",
                        f"split.{shift_id}.parts")


def _check_staffable(rule: LevelCover, problem: Problem, where: str) -> None:
    gap = rule.shortfall()
    if gap is not None:
        t0, t1, level = gap
        line = rule.line
        raise _fail(problem, f"no roster can have {level} {rule.skill or 'people'} on shift at "
                    f"{line.moment(t0)}-{line.clock(t1)} ({rule.id}): no shift covers that time or too few "
                    "people have the skill; expected shifts (or split-shift parts) covering it", where)


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, CashierSettings)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = settings_of(problem)
    validate(settings, problem)
    line = Line(problem, settings)
    tills = TillCover(line, settings)
    _check_staffable(tills, problem, "demand")
    register(tills)
    if settings.gift_store is not None:
        pair = GiftStorePair(line, settings.gift_store)
        _check_staffable(pair, problem, "gift_store")
        register(pair)


@hookimpl
def register_point_rules(register: Callable[[Any], None]) -> None:
    for rule in point_rules():
        register(rule)


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(tills_command)
