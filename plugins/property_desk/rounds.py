"""Inspection rounds (值班检查) on the duty-log sheet (D-LOG).

The daily on-duty manager (the core's ``[duty]`` rotation, D-DAILY) walks the
rounds at fixed times. After a roster is planned, the ``roster_planned`` hook
writes them into ``roster.extras["duty_items"]``, which the duty log (HTML and
Excel) prints in its "scheduled" column: ``10:00 值班检查 大堂及电梯厅 (E01 王芳)``.
Items already there (from another plugin) are kept.
"""

from __future__ import annotations

from typing import Any

from dutyplan.domain import Problem
from dutyplan.features.duty import duty_of
from dutyplan.roster import Roster

from .settings import PropertyDeskSettings

ITEMS = "duty_items"
WORD = {"zh": "值班检查", "en": "inspection round"}


def round_items(roster: Roster, problem: Problem, settings: PropertyDeskSettings) -> dict[str, list[str]]:
    """The rounds of each day, with the people on duty that day."""
    rotation = duty_of(roster)
    staff = problem.department.staff_by_id
    word = WORD.get(problem.department.locale, WORD["en"])
    items: dict[str, list[str]] = {}
    for cal in problem.horizon.calendar:
        people = "、".join(f"{sid} {staff[sid].name}" if sid in staff else sid for sid in rotation.get(cal.date, []))
        for r in sorted(settings.rounds, key=lambda r: r.time):
            if cal.type in r.days:
                who = f" ({people})" if people else ""
                items.setdefault(f"{cal.date:%Y-%m-%d}", []).append(f"{r.time:%H:%M} {word} {r.area}{who}")
    return items


def add_rounds(roster: Roster, problem: Problem, settings: PropertyDeskSettings) -> None:
    existing: dict[str, Any] = dict(roster.extras.get(ITEMS) or {})
    for day, items in round_items(roster, problem, settings).items():
        kept = [str(i) for i in existing.get(day, [])]
        existing[day] = kept + [i for i in items if i not in kept]
    roster.extras[ITEMS] = existing
