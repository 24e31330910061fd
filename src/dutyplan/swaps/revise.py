"""Turn an approved change (a swap, a leave) into the next roster revision, and hand it out (R-REVISE).

Shared by swaps and leave. The new roster keeps everything the old one carried
(the duty rotation, plugin data) except what the change touches: meal slots
are planned again only on the days whose shifts changed, so nobody else's meal
time moves. After the revision is stored, every format ``plan`` writes is
written for it (``r<N>/``), the ``roster_revised`` hook tells plugins who is
affected, and the command prints each affected person's new iCalendar file
(人手一份: everyone gets the new copy; the old revision is marked superseded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutyplan.check import check_roster
from dutyplan.domain import Problem
from dutyplan.planner import DEFAULT_EXPORTS, Workspace
from dutyplan.roster import Assignment, Roster
from dutyplan.rules.base import Rule, Violation
from dutyplan.swaps.settings import swap_settings

MEALS = "meals"


def changed_dates(old: Roster, new: Roster) -> set[dt.date]:
    return {a.date for a in set(old.assignments) ^ set(new.assignments)}


def changed_staff(old: Roster, new: Roster, problem: Problem) -> list[str]:
    """People whose shifts or duty days differ, in the department's staff order."""
    moved = {a.staff for a in set(old.assignments) ^ set(new.assignments)}
    old_duty, new_duty = old.extras.get("duty") or {}, new.extras.get("duty") or {}
    for day in set(old_duty) | set(new_duty):
        moved |= set(old_duty.get(day, [])) ^ set(new_duty.get(day, []))
    return [sid for sid in problem.staff_ids if sid in moved]


def revised(old: Roster, assignments: Iterable[Assignment], problem: Problem,
            extras: dict[str, Any] | None = None, note: str | None = None) -> Roster:
    """The roster with other assignments, the old extras (new dicts, never the old ones mutated) and fresh meals."""
    ordered = sorted(set(assignments), key=lambda a: (a.date, a.staff, a.shift))  # Assignment's order, but faster
    new = Roster(old.department, old.start, old.days, ordered, kind=old.kind, note=note)
    new.extras = {**old.extras, **(extras or {})}
    replan_meals(old, new, problem)
    return new


def replan_meals(old: Roster, new: Roster, problem: Problem) -> None:
    """Plan meals again (R-MEAL) on the days whose shifts changed; other days keep their slots."""
    from dutyplan.features.meals import plan_meals, settings_of

    settings = settings_of(problem)
    days = changed_dates(old, new)
    if settings is None or not settings.shifts or not days:
        return
    part = Roster(new.department, new.start, new.days, [a for a in new.assignments if a.date in days])
    fresh = plan_meals(part, problem, settings)
    meals: dict[str, Any] = dict(old.extras.get(MEALS) or {})
    for day in days:
        label = f"{day:%Y-%m-%d}"
        meals.pop(label, None)
        if fresh.get(label):
            meals[label] = fresh[label]
    new.extras[MEALS] = dict(sorted(meals.items()))


def _identity(v: Violation) -> tuple[str, str | None, dt.date | None, str | None, str]:
    return v.rule_id, v.staff, v.date, v.shift, v.message


def new_hard_violations(ws: Workspace, problem: Problem, rules: Sequence[Rule], before: Roster,
                        after: Roster) -> list[Violation]:
    """Hard violations of ``after`` that ``before`` does not have (a gap left earlier is not this change's).

    ``before`` is checked only when ``after`` breaks something, so an accepted
    change costs one check of the whole roster.
    """
    hard = check_roster(after, problem, rules, ws.pm).hard
    if not hard:
        return []
    old = {_identity(v) for v in check_roster(before, problem, rules, ws.pm).hard}
    return [v for v in hard if _identity(v) not in old]


@dataclass
class Published:
    folder: Path
    files: list[Path] = field(default_factory=list)
    calendars: dict[str, Path] = field(default_factory=dict)


def publish(ws: Workspace, old: Roster, new: Roster, problem: Problem, revision_path: Path) -> Published:
    """Write the new revision's exports, call ``roster_revised``, and return each changed person's calendar."""
    changed = changed_staff(old, new, problem)
    folder = revision_path.parent / f"r{new.revision}"
    available = ws.exporters()
    wanted = swap_settings(ws.department).exports
    formats = tuple(dict.fromkeys([*(wanted if wanted is not None else DEFAULT_EXPORTS), "ics"]))
    chosen = tuple(f for f in formats if f in available and available[f].applies(problem))
    result = Published(folder, ws.export(new, problem, chosen, folder))
    if "ics" in chosen:
        ics = folder / available["ics"].default_name
        result.calendars = {sid: ics / f"{sid}.ics" for sid in changed if (ics / f"{sid}.ics").exists()}
    ws.pm.hook.roster_revised(old=old, new=new, problem=problem, changed=changed)
    return result


def describe_violation(v: Violation) -> str:
    where = " ".join(x for x in (v.staff or "", f"{v.date:%Y-%m-%d}" if v.date else "") if x)
    return f"{v.rule_id:14} {where:16} {v.message}"
