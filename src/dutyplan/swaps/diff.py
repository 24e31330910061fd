"""What changed between two revisions of a month, person by person (R-REVISE: tell everyone affected)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dutyplan.domain import OFF, Problem
from dutyplan.roster import Roster


@dataclass
class PersonChange:
    staff: str
    name: str
    days: list[tuple[dt.date, str, str]] = field(default_factory=list)
    """(date, before, after): shift ids joined by '+', ``-`` for a day off."""
    duty: list[tuple[dt.date, bool]] = field(default_factory=list)
    """(date, on duty after): duty days gained (True) or lost (False)."""


def _cell(roster: Roster, staff: str, day: dt.date) -> str:
    return "+".join(roster.shifts_on(staff, day)) or OFF


def _duty(roster: Roster) -> dict[str, list[str]]:
    raw = roster.extras.get("duty") or {}
    return {str(k): [str(p) for p in v] for k, v in raw.items()}


def roster_diff(old: Roster, new: Roster, problem: Problem) -> list[PersonChange]:
    """Every person whose shifts or duty days differ, in staff order, with each changed day."""
    dept = problem.department
    touched = {a.staff for a in set(old.assignments) ^ set(new.assignments)}
    old_duty, new_duty = _duty(old), _duty(new)
    result = []
    for person in dept.staff:
        change = PersonChange(person.id, person.name)
        if person.id in touched:
            for day in problem.dates:
                before, after = _cell(old, person.id, day), _cell(new, person.id, day)
                if before != after:
                    change.days.append((day, before, after))
        for key in sorted(set(old_duty) | set(new_duty)):
            was, now = person.id in old_duty.get(key, []), person.id in new_duty.get(key, [])
            if was != now:
                change.duty.append((dt.date.fromisoformat(key), now))
        if change.days or change.duty:
            result.append(change)
    return result


def diff_lines(changes: list[PersonChange], locale: str = "en") -> list[str]:
    lines = []
    for c in changes:
        parts = [f"{d:%m-%d} {a} → {b}" for d, a, b in c.days]
        parts += [f"{d:%m-%d} duty {'added' if on else 'removed'}" for d, on in c.duty]
        lines.append(f"{c.staff} {c.name}: " + "; ".join(parts))
    return lines
