"""The month's points per person, for the manager and for payroll (``points report``).

Computed from the ledger's standing entries (reversed entries and their
reversals cancel out): net points by grade, the events that caused them,
days' pay deducted (旷工), recorded demerits, and whether the full-attendance
bonus (全勤奖) is forfeited. The report names the ledger head hash it was
computed from, so a later change to the ledger cannot go unnoticed by whoever
kept the report.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from dutyplan.domain import Department
from dutyplan.ledger.chain import Entry
from dutyplan.ledger.points import GRADES, GradePoints
from dutyplan.ledger.record import active

INFORMATIONAL = ("swap",)


@dataclass
class PersonPoints:
    staff: str
    name: str
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    events: dict[str, int] = field(default_factory=dict)
    pay_days: float = 0.0
    bonus_forfeited: bool = False
    demerits: int = 0
    entries: list[int] = field(default_factory=list)

    @property
    def points(self) -> str:
        parts = [f"{'-' if n < 0 else '+'}{g}{abs(n)}" for g, n in self.grades.items() if n]
        return " ".join(parts) or "0"

    def as_dict(self) -> dict[str, Any]:
        return {"staff": self.staff, "name": self.name, "A": self.grades["A"], "B": self.grades["B"],
                "C": self.grades["C"], "points": self.points, "events": dict(sorted(self.events.items())),
                "pay_days_deducted": self.pay_days, "full_attendance_bonus": "forfeited" if self.bonus_forfeited
                else "kept", "demerits": self.demerits, "entries": self.entries}


def month_report(entries: list[Entry], department: Department, month: str) -> list[PersonPoints]:
    """Every person of the department (those without entries too), in staff order."""
    people = {p.id: PersonPoints(p.id, p.name) for p in department.staff}
    for entry in active(entries):
        if entry.get("month") != month:
            continue
        person = people.get(str(entry.get("person")))
        if person is None:
            person = people.setdefault(str(entry.get("person")), PersonPoints(str(entry.get("person")), "?"))
        for text in entry.get("points", []):
            for p in GradePoints.parse(text):
                person.grades[p.grade] += p.count
        kind = str(entry.get("event"))
        person.events[kind] = person.events.get(kind, 0) + 1
        person.pay_days += float(entry.get("pay_days", 0))
        person.bonus_forfeited |= bool(entry.get("bonus_forfeit"))
        person.demerits += bool(entry.get("demerit"))
        person.entries.append(int(entry["id"]))
    return list(people.values())


def events_text(person: PersonPoints) -> str:
    return ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in sorted(person.events.items()))


def as_csv(rows: list[PersonPoints]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["staff_id", "name", "A", "B", "C", "points", "events", "pay_days_deducted",
                     "full_attendance_bonus", "demerits"])
    for r in rows:
        d = r.as_dict()
        writer.writerow([r.staff, r.name, d["A"], d["B"], d["C"], r.points, events_text(r), f"{r.pay_days:g}",
                         d["full_attendance_bonus"], r.demerits])
    return out.getvalue()


def as_json(rows: list[PersonPoints], month: str, department: Department, head: str, count: int) -> str:
    data = {"department": department.slug, "month": month, "ledger_entries": count, "ledger_head": head,
            "people": [r.as_dict() for r in rows]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
