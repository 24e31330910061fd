"""Record events in the ledger: point rules applied, each event once, escalations kept in step.

Recording happens under the ledger lock: read every entry (the chain must be
intact; nothing is built on a damaged ledger), turn each event into one entry
per point rule that awards it, skip entries whose key is already there (the
same clock file imported twice adds nothing), then let the escalation rules
look at each affected person's month: an escalation that should stand and
does not is appended, one that no longer should (an event was reversed) is
reversed. Corrections are reversing entries (``reverses = <id>``), never edits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dutyplan.errors import InputError, RuleViolationError
from dutyplan.ledger.chain import Entry, Ledger
from dutyplan.ledger.points import Award, Event, GradePoints, PointRule, PointSettings
from dutyplan.planner import Workspace
from dutyplan.plugins import collect

EVENT_SOURCES = ("attendance", "swap", "manual", "leave")


@dataclass
class RuleBook:
    """The department's point rules: built-in and plugin rules with ``[points]`` applied."""

    rules: list[PointRule]
    settings: PointSettings

    def for_event(self, kind: str) -> list[PointRule]:
        return [r for r in self.rules if kind in r.events]

    @property
    def escalations(self) -> list[PointRule]:
        return [r for r in self.rules if type(r).escalate is not PointRule.escalate]

    @property
    def events(self) -> list[str]:
        return sorted({e for r in self.rules for e in r.events})

    @property
    def manual_events(self) -> list[str]:
        return sorted({e for r in self.rules if r.manual for e in r.events})


def rule_book(ws: Workspace) -> RuleBook:
    dept = ws.department
    section = dept.section("points")
    settings = section if isinstance(section, PointSettings) else PointSettings()

    def stamp(rule: PointRule, plugin: str) -> None:
        rule.plugin = plugin

    found: list[PointRule] = collect(ws.pm, "register_point_rules", key=lambda r: r.key, what="point rule",
                                     stamp=stamp)
    known = {e for r in found for e in r.events}
    for name in [*settings.award, *settings.pay_days]:
        if name not in known:
            raise InputError(f"unknown event {name!r} (expected one of {', '.join(sorted(known))})",
                             path=dept.path, where=f"points.award.{name}")
    off = set(settings.off)
    return RuleBook([r.configure(settings) for r in found if r.key not in off and r.id not in off], settings)


def active(entries: Iterable[Entry]) -> list[Entry]:
    """Entries that stand: not reversals, and not reversed."""
    entries = list(entries)
    reversed_ids = {e.get("reverses") for e in entries if e.get("reverses") is not None}
    return [e for e in entries if e.get("reverses") is None and e.get("id") not in reversed_ids]


def _draft(event: Event, person: str, rule: PointRule, award: Award, now: dt.datetime) -> Entry:
    entry: Entry = {
        "time": now.isoformat(), "person": person, "date": event.date.isoformat(),
        "month": f"{event.date:%Y-%m}", "event": event.kind, "rule": rule.id, "rule_key": rule.key,
        "points": [str(p) for p in award.points], "pay_days": award.pay_days,
        "bonus_forfeit": award.forfeits_bonus, "demerit": award.demerit, "detail": event.detail,
        "source": event.source, "key": f"{event.key}|{rule.key}|{person}",
    }
    other = event.other if event.other != person else event.person
    if other and other != person:
        entry["other"] = other
    if event.occurred:
        entry["occurred"] = event.occurred
    return entry


def reversal(entry: Entry, reason: str, source: dict[str, Any], now: dt.datetime) -> Entry:
    """An entry that cancels ``entry``: the same rule, the points negated."""
    points = [str(p.negated()) for text in entry.get("points", []) for p in GradePoints.parse(text)]
    return {
        "time": now.isoformat(), "person": entry["person"], "date": entry["date"], "month": entry["month"],
        "event": "reversal", "rule": entry["rule"], "rule_key": entry.get("rule_key", entry["rule"]),
        "points": points, "pay_days": -float(entry.get("pay_days", 0)), "bonus_forfeit": False, "demerit": False,
        "detail": f"reverses entry {entry['id']} ({entry['event']}): {reason}", "source": source,
        "key": f"rev|{entry['id']}", "reverses": entry["id"],
    }


def reconcile(entries: Sequence[Entry], touched: Iterable[tuple[str, str]], book: RuleBook,
              now: dt.datetime, next_id: int) -> list[Entry]:
    """Escalation entries to add or reverse so that exactly the warranted ones stand for each (person, month)."""
    out: list[Entry] = []
    standing_all = active(entries)
    for person, month in sorted(set(touched)):
        mine = [e for e in standing_all if e.get("person") == person and e.get("month") == month]
        base = [e for e in mine if e.get("source", {}).get("type") != "escalation"]
        standing = {e["key"]: e for e in mine if e.get("source", {}).get("type") == "escalation"}
        by_id = {e["id"]: e for e in base}
        desired: dict[str, Entry] = {}
        for rule in book.escalations:
            for esc in rule.escalate(person, month, base):
                key = f"esc|{esc.key}|{person}|{month}"
                cause = by_id.get(esc.causes[-1]) if esc.causes else None
                desired[key] = {
                    "time": now.isoformat(), "person": person, "date": cause["date"] if cause else f"{month}-01",
                    "month": month, "event": esc.event, "rule": rule.id, "rule_key": rule.key,
                    "points": [str(p) for p in esc.award.points], "pay_days": esc.award.pay_days,
                    "bonus_forfeit": esc.award.forfeits_bonus, "demerit": esc.award.demerit, "detail": esc.detail,
                    "source": {"type": "escalation", "causes": list(esc.causes)}, "key": key,
                }
        for key, draft in desired.items():
            if key not in standing:
                out.append(draft)
        for key, entry in standing.items():
            if key not in desired:
                out.append(reversal(entry, "no longer warranted (an event it counted was reversed)",
                                    {"type": "escalation"}, now))
    for offset, entry in enumerate(out):
        entry["id"] = next_id + offset
    return out


@dataclass
class Recorded:
    added: list[Entry] = field(default_factory=list)
    skipped: int = 0
    """Entries already in the ledger (same key): not added again."""
    unrated: list[str] = field(default_factory=list)
    """Event kinds no rule awards (switched off in ``[points]``): not recorded."""


def record(ledger: Ledger, book: RuleBook, events: Sequence[Event], now: dt.datetime) -> Recorded:
    """Append the entries for ``events`` (idempotent by key) and the escalations they bring."""
    result = Recorded()
    with ledger.locked():
        entries = ledger.entries()
        keys = {e.get("key") for e in entries}
        next_id = int(entries[-1]["id"]) + 1 if entries else 1
        drafts: list[Entry] = []
        touched: set[tuple[str, str]] = set()
        for event in events:
            rules = book.for_event(event.kind)
            if not rules:
                result.unrated.append(event.kind)
            for rule in rules:
                award = rule.award(event)
                if award is None:
                    continue
                people = [event.person]
                if getattr(rule, "both", False) and event.other:
                    people.append(event.other)
                for person in people:
                    draft = _draft(event, person, rule, award, now)
                    if draft["key"] in keys:
                        result.skipped += 1
                        continue
                    keys.add(draft["key"])
                    draft["id"] = next_id + len(drafts)
                    drafts.append(draft)
                    touched.add((person, draft["month"]))
        drafts += reconcile([*entries, *drafts], touched, book, now, next_id + len(drafts))
        result.added = ledger.append_locked(drafts, entries[-1] if entries else None)
    return result


def reverse(ledger: Ledger, book: RuleBook, entry_id: int, by: str, reason: str, now: dt.datetime) -> list[Entry]:
    """Cancel entry ``entry_id`` with a reversing entry (and re-settle the month's escalations)."""
    if not reason.strip():
        raise InputError("give the reason for the correction", where="--reason")
    with ledger.locked():
        entries = ledger.entries()
        target = next((e for e in entries if e.get("id") == entry_id), None)
        if target is None:
            raise InputError(f"no entry {entry_id} (the ledger has {len(entries)})", where="ENTRY_ID")
        if target.get("reverses") is not None:
            raise RuleViolationError(f"entry {entry_id} is itself a reversal; record the event again instead")
        if target not in active(entries):
            raise RuleViolationError(f"entry {entry_id} is already reversed")
        next_id = int(entries[-1]["id"]) + 1
        drafts = [reversal(target, reason, {"type": "manual", "by": by}, now)]
        drafts[0]["id"] = next_id
        drafts += reconcile([*entries, *drafts], [(target["person"], target["month"])], book, now, next_id + 1)
        return ledger.append_locked(drafts, entries[-1])


def record_events(ws: Workspace, events: Sequence[Event], now: dt.datetime) -> list[Entry]:
    """:func:`record` in the department's ledger with its rule book; returns the entries added."""
    return record(Ledger(ws.department.directory), rule_book(ws), events, now).added


def swap_events(ws: Workspace, request: Any, by: str, at: dt.datetime, revision: int | None) -> list[Event]:
    """The ledger's record of an approved swap: a 0-point ``swap`` event for each party."""
    req = request.model
    source = {"type": "swap", "file": request.name, "request": request.key, "approved_by": by,
              "approved_at": at.isoformat(), "revision": revision}
    return [
        Event("swap", person, req.give.date, f"{req.summary()}; approved by {by}", source,
              f"swap|{request.key}|{person}", occurred=at.isoformat(), other=other)
        for person, other in ((req.requester, req.counterpart), (req.counterpart, req.requester))
    ]
