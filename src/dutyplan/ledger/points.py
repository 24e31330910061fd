"""Point rules (P-*): what an event costs or earns in A/B/C grade points, and the escalations.

The departments grade rewards and penalties as A (heaviest), B, C with a count,
signed: ``-B1`` is a B-grade penalty of one, ``+A2`` an A-grade reward of two.
A :class:`PointRule` turns an event (``late``, ``absence``, ``praise-letter``...)
into an :class:`Award`: grade points, days' pay deducted (旷工 loses the day's
pay), whether the full-attendance bonus (全勤奖) is forfeited, a recorded
demerit. Escalations are rules too: they look at a person's events in a month
and say which extra awards should stand (the second 旷工 is -B1; the third
late/early/missing clock forfeits the bonus). The defaults below encode
DOMAIN.md's P-* table; ``[points]`` in the department file changes them and
plugins add rules through the ``register_point_rules`` hook.
"""

from __future__ import annotations

import dataclasses
import re
from abc import ABC
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dutyplan import hookimpl

_POINT = re.compile(r"^([+-]?)([ABC])(\d+)$")
GRADES = ("A", "B", "C")
Entry = dict[str, Any]


@dataclass(frozen=True, order=True)
class GradePoints:
    grade: str
    count: int

    @classmethod
    def parse(cls, text: str) -> tuple[GradePoints, ...]:
        """``"-B1"``, ``"+A2"``, ``"A1"`` (a reward), ``"-B1 -C1"``, or ``"0"`` / ``""`` for none."""
        parts = text.replace(",", " ").split()
        if parts in ([], ["0"]):
            return ()
        result = []
        for part in parts:
            match = _POINT.match(part.strip().upper())
            if not match:
                raise ValueError(f"expected grade points like -B1, +A2 or 0, found {text!r}")
            sign = -1 if match.group(1) == "-" else 1
            result.append(cls(match.group(2), sign * int(match.group(3))))
        return tuple(result)

    def __str__(self) -> str:
        return f"{'-' if self.count < 0 else '+'}{self.grade}{abs(self.count)}"

    def negated(self) -> GradePoints:
        return GradePoints(self.grade, -self.count)


def points_text(points: Sequence[GradePoints | str]) -> str:
    return " ".join(map(str, points)) or "0"


@dataclass(frozen=True)
class Award:
    points: tuple[GradePoints, ...] = ()
    pay_days: float = 0.0
    forfeits_bonus: bool = False
    demerit: bool = False


@dataclass(frozen=True)
class Event:
    """Something that happened to a person, before points: the input of the point rules.

    ``key`` identifies the event by content (the same clock records give the
    same key), so recording it again adds nothing.
    """

    kind: str
    person: str
    date: Any  # dt.date
    detail: str
    source: dict[str, Any]
    key: str
    occurred: str | None = None
    other: str | None = None


@dataclass(frozen=True)
class Escalation:
    """An award an escalation rule says should stand for a person's month (``key`` unique per month)."""

    key: str
    event: str
    award: Award
    detail: str
    causes: tuple[int, ...] = ()


class PointRule(ABC):  # noqa: B024 - every method has a sensible default
    """Base of point rules. ``id`` cites DOMAIN.md (``P-LATE``); ``key`` is unique among registered rules."""

    id: str = ""
    plugin: str = ""
    events: tuple[str, ...] = ()
    """Event kinds this rule awards points for (``award`` is called for each)."""
    manual: bool = False
    """Whether an approver may record these events with ``dutyplan points add``."""

    @property
    def key(self) -> str:
        return self.id

    def award(self, event: Event) -> Award | None:
        return None

    def escalate(self, person: str, month: str, entries: Sequence[Entry]) -> list[Escalation]:
        """Extra awards that should stand, given the person's active (unreversed) entries of the month."""
        return []

    def configure(self, settings: PointSettings) -> PointRule:
        """This rule with the department's ``[points]`` settings applied (default: unchanged)."""
        return self

    def describe(self, locale: str = "en") -> str:
        return self.key


@dataclass
class EventRule(PointRule):
    """One row of the P-* table: an event kind and what it costs or earns."""

    id: str = ""
    event: str = ""
    award_: Award = field(default_factory=Award)
    manual: bool = False
    both: bool = False
    """The award goes to both people named (P-PROXY: the one who clocked in and the card holder)."""
    en: str = ""
    zh: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}/{self.event}"

    @property
    def events(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.event,)

    def award(self, event: Event) -> Award | None:
        return self.award_

    def configure(self, settings: PointSettings) -> PointRule:
        changes: dict[str, Any] = {}
        if self.event in settings.award:
            changes["points"] = GradePoints.parse(settings.award[self.event])
        if self.event in settings.pay_days:
            changes["pay_days"] = settings.pay_days[self.event]
        if not changes:
            return self
        return dataclasses.replace(self, award_=dataclasses.replace(self.award_, **changes))

    def describe(self, locale: str = "en") -> str:
        a = self.award_
        extra = [f"{a.pay_days:g} day's pay deducted" if a.pay_days else "",
                 "recorded demerit" if a.demerit else "", "to both people" if self.both else ""]
        text = self.zh if locale == "zh" and self.zh else self.en
        return f"{text}: {points_text(a.points)}" + "".join(f", {x}" for x in extra if x)


def _row(rule_id: str, event: str, points: str, en: str, zh: str, *, pay: float = 0, manual: bool = True,
         both: bool = False, demerit: bool = False) -> EventRule:
    award = Award(GradePoints.parse(points), pay, False, demerit)
    return EventRule(id=rule_id, event=event, award_=award, manual=manual, both=both, en=en, zh=zh)


DEFAULT_RULES: tuple[EventRule, ...] = (
    _row("P-LATE", "late", "-C1", "late (迟到): not clocked in by the ready time, 5 min before the start", "迟到"),
    _row("P-LATE", "early-leave", "-C1", "early leave (早退): clocked out before the end of the shift", "早退"),
    _row("P-LATE", "missing-clock", "-C1", "missing clock-in or clock-out (未打卡)", "未打卡"),
    _row("P-LEAVE", "absence", "0", "absence without approved leave (旷工)", "旷工（未请假）", pay=1),
    _row("P-SWAP", "unapproved-swap", "0", "rostered shift worked by someone else without an approved swap "
         "request: 旷工", "未经批准换班，按旷工处理", pay=1),
    _row("S-ROSTER-ONLY", "unrostered-work", "-C1", "worked a shift that is not on the roster (随意换班)",
         "不按排班表上班（随意换班）"),
    _row("S-REQUEST", "swap", "0", "approved swap (record only; counts towards S-MONTHLY-CAP)", "已批准换班",
         manual=False),
    _row("P-PROXY", "proxy-clock", "-B1", "clocking in for someone else (代打卡)", "代打卡", both=True),
    _row("P-UNIFORM", "no-uniform", "-C1", "on duty without uniform or badge", "未穿制服或未佩戴识别卡"),
    _row("P-LEFT-POST", "left-post", "-B1", "leaving the post without approval (擅离职守)", "擅自离岗、脱岗"),
    _row("P-MEAL", "meal-overrun", "-C1", "meal break over 35 minutes", "用餐超过35分钟"),
    _row("P-MEAL", "desk-empty", "-C1", "front desk left empty", "总台无人接待"),
    _row("P-MEETING", "meeting-late", "-B1", "late for an all-hands call", "重大会议迟到"),
    _row("P-MEETING", "meeting-absent", "-A1", "absent from an all-hands call", "重大会议未到", demerit=True),
    _row("P-PRAISE", "praise-letter", "+A1", "written praise from a customer", "顾客表扬信"),
    _row("P-PRAISE", "bore-wrong", "+B1", "bore a wrong for the company's sake", "顾全大局受委屈"),
    _row("P-PRAISE", "saved-loss", "+A1", "saved the company a loss", "为公司挽回损失"),
    _row("P-PRAISE", "saved-large-loss", "+A2", "saved the company a large loss", "为公司挽回巨大损失"),
    _row("P-CASHIER", "till-exact", "+B1", "till difference within 1 yuan for the month", "当月正负差异1元以内"),
    _row("P-CASHIER", "ring-error", "0", "over- or under-ringing (counted: see the P-CASHIER escalation)",
         "多打、漏打（按月累计）"),
    _row("P-CASHIER", "rank-first", "+B1", "first in the monthly transaction ranking", "月排名第一"),
    _row("P-CASHIER", "rank-second", "+C1", "second in the monthly transaction ranking", "月排名第二"),
    _row("P-CASHIER", "rank-second-last", "-C1", "second to last in the monthly ranking", "月排名倒数第二"),
    _row("P-CASHIER", "rank-last", "-B1", "last in the monthly ranking", "月排名倒数第一"),
)

ATTENDANCE_SLIPS = ("late", "early-leave", "missing-clock")
ABSENCES = ("absence", "unapproved-swap")


def _count(entries: Sequence[Entry], kinds: Sequence[str]) -> list[Entry]:
    return sorted((e for e in entries if e.get("event") in kinds), key=lambda e: (str(e.get("date")), e["id"]))


@dataclass
class RepeatAbsence(PointRule):
    """P-LEAVE: 旷工 (an absence or an unapproved swap) from the second time in a month on costs -B1 each."""

    id: str = "P-LEAVE"
    start: int = 2
    points: tuple[GradePoints, ...] = (GradePoints("B", -1),)

    @property
    def key(self) -> str:
        return "P-LEAVE/repeat"

    def escalate(self, person: str, month: str, entries: Sequence[Entry]) -> list[Escalation]:
        found = _count(entries, ABSENCES)
        return [Escalation(f"P-LEAVE/repeat/{n}", "repeat-absence", Award(self.points),
                           f"旷工 number {n} in {month} (from number {self.start} on: {points_text(self.points)})",
                           (int(e["id"]),))
                for n, e in enumerate(found, start=1) if n >= self.start]

    def configure(self, settings: PointSettings) -> PointRule:
        return dataclasses.replace(self, start=settings.repeat_absence_from,
                                   points=GradePoints.parse(settings.repeat_absence))

    def describe(self, locale: str = "en") -> str:
        return (f"the {self.start}. and every later 旷工 (absence or unapproved swap) in a month: "
                f"{points_text(self.points)}")


@dataclass
class AttendanceBonus(PointRule):
    """P-LATE: three or more late / early-leave / missing-clock events in a month forfeit the 全勤奖."""

    id: str = "P-LATE"
    after: int = 3

    @property
    def key(self) -> str:
        return "P-LATE/bonus"

    def escalate(self, person: str, month: str, entries: Sequence[Entry]) -> list[Escalation]:
        found = _count(entries, ATTENDANCE_SLIPS)
        if len(found) < self.after:
            return []
        causes = tuple(int(e["id"]) for e in found[: self.after])
        return [Escalation("P-LATE/bonus", "bonus-forfeit", Award(forfeits_bonus=True),
                           f"{len(found)} late/early/missing-clock events in {month} (forfeit from {self.after})",
                           causes)]

    def configure(self, settings: PointSettings) -> PointRule:
        return dataclasses.replace(self, after=settings.bonus_forfeit_after)

    def describe(self, locale: str = "en") -> str:
        return (f"{self.after} or more late, early-leave or missing-clock events in a month: "
                "full-attendance bonus forfeited")


@dataclass
class RingErrorTiers(PointRule):
    """P-CASHIER: over/under-ringing in a month: 3 times -C1, 5 times -B1, more than 10 -A1 (the highest tier)."""

    id: str = "P-CASHIER"
    tiers: tuple[tuple[int, str], ...] = ((3, "-C1"), (5, "-B1"), (11, "-A1"))

    @property
    def key(self) -> str:
        return "P-CASHIER/ring-errors"

    def escalate(self, person: str, month: str, entries: Sequence[Entry]) -> list[Escalation]:
        found = _count(entries, ("ring-error",))
        reached = [(n, pts) for n, pts in self.tiers if len(found) >= n]
        if not reached:
            return []
        n, pts = reached[-1]
        return [Escalation(f"P-CASHIER/ring-errors/{n}", "ring-errors", Award(GradePoints.parse(pts)),
                           f"{len(found)} ring errors in {month} (tier {n}: {pts})", (int(found[n - 1]["id"]),))]

    def describe(self, locale: str = "en") -> str:
        return "ring errors in a month: " + ", ".join(f"{n}+ {p}" for n, p in self.tiers) + " (highest tier stands)"


class PointSettings(BaseModel):
    """``[points]``: change the defaults of the P-* table for this department."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    award: dict[str, str] = Field(default_factory=dict, description='Event -> points, e.g. late = "-C1".')
    pay_days: dict[str, float] = Field(default_factory=dict, description="Event -> days' pay deducted.")
    off: list[str] = Field(default_factory=list, description='Rules switched off, by key or id ("P-MEAL").')
    repeat_absence_from: int = Field(default=2, ge=1)
    repeat_absence: str = "-B1"
    bonus_forfeit_after: int = Field(default=3, ge=1)

    @field_validator("award")
    @classmethod
    def _points(cls, value: dict[str, str]) -> dict[str, str]:
        for text in value.values():
            GradePoints.parse(text)
        return value

    @field_validator("repeat_absence")
    @classmethod
    def _repeat(cls, value: str) -> str:
        GradePoints.parse(value)
        return value


SECTION = "points"


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, PointSettings)


@hookimpl
def register_point_rules(register: Callable[[Any], None]) -> None:
    for rule in DEFAULT_RULES:
        register(rule)
    register(RepeatAbsence())
    register(AttendanceBonus())
    register(RingErrorTiers())
