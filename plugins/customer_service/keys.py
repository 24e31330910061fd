"""R-KEY: a key holder on the shift that opens the desk and on the shift that locks up, every day.

The team leader holds the front-door key and opens and locks up (班长: 第2篇
四.15). Key holders are the people with one of ``key_skills`` (``key_holder``,
``team_lead``). The opening shift is the one on duty when the desk opens that
started last (the early shift, not the night shift still finishing); the
closing shift is the one on duty at closing time that ends first. Either may
be named in the file instead (``opening_shift``, ``closing_shift``). On a day
with a ``[[customer_service.key_handover]]`` the key was handed over in advance
and the named person counts as a key holder for that opening or closing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

from .settings import SECTION, CustomerServiceSettings
from .timeline import Instance, Timeline

Kind = Literal["opening", "closing"]


@dataclass(frozen=True)
class KeyMoment:
    kind: Kind
    date: dt.date
    at: int
    instance: Instance


def key_holders(problem: Problem, settings: CustomerServiceSettings) -> list[str]:
    wanted = set(settings.key_skills)
    return [p.id for p in problem.department.staff if wanted & set(p.skills)]


def key_moments(timeline: Timeline, settings: CustomerServiceSettings) -> list[KeyMoment]:
    """Every opening and closing inside the horizon, with the shift instance that must hold the key."""
    moments = []
    for span in timeline.spans:
        if 0 <= span.open_day < timeline.days:
            inst = _pick(timeline, "opening", span.start, settings.opening_shift)
            moments.append(KeyMoment("opening", timeline.date(span.open_day), span.start, inst))
        if 0 <= span.close_day < timeline.days:
            inst = _pick(timeline, "closing", span.end, settings.closing_shift)
            moments.append(KeyMoment("closing", timeline.date(span.close_day), span.end, inst))
    return moments


def _pick(timeline: Timeline, kind: Kind, at: int, named: str | None) -> Instance:
    """The opening shift started last among those on at ``at``; the closing shift ends first."""
    t0, t1 = (at, at + 1) if kind == "opening" else (at - 1, at)
    on = [i for i in timeline.covering(t0, t1) if named is None or i.shift == named]
    if not on:
        dept = timeline.problem.department
        which = f"shift {named!r} is not on" if named else "no shift is on"
        raise InputError(
            f"{which} at {timeline.moment(at)}, when the desk {'opens' if kind == 'opening' else 'closes'} "
            f"(R-KEY, plugin {SECTION!r}); expected a shift covering the opening hours",
            path=dept.path, where=f"{SECTION}.{kind}_shift" if named else f"{SECTION}.hours",
        )
    if kind == "opening":
        return max(on, key=lambda i: (i.start, -i.end))
    return min(on, key=lambda i: (i.end, -i.start))


class KeyHolder(Rule):
    """R-KEY: a key holder (or the person the key was handed to) on every opening and closing shift."""

    id = "R-KEY"
    title = "Key holder opens and closes"

    def __init__(self, settings: CustomerServiceSettings, timeline: Timeline) -> None:
        self.settings, self.timeline = settings, timeline
        self.holders = key_holders(timeline.problem, settings)
        self.moments = key_moments(timeline, settings)

    def eligible(self, moment: KeyMoment) -> list[str]:
        extra = [h.to for h in self.settings.key_handover
                 if h.date == moment.date and h.when in (moment.kind, "both")]
        return [*self.holders, *(p for p in extra if p not in self.holders)]

    def build(self, ctx: ModelContext) -> None:
        for moment in self.moments:
            inst = moment.instance
            if not self.timeline.judged(inst):
                continue
            si = ctx.shift_index[inst.shift]
            on = [ctx.x[ctx.staff_index[s]][inst.day][si] for s in self.eligible(moment)]
            ct = ctx.model.add(sum(on) >= 1)
            ctx.add_hard(ct, self, f"{moment.kind} {moment.date:%m-%d} ({inst.shift})")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        for moment in self.moments:
            inst = moment.instance
            if not self.timeline.judged(inst):
                continue
            day = self.timeline.date(inst.day)
            if set(roster.on(day, inst.shift)) & set(self.eligible(moment)):
                continue
            verb = "opens" if moment.kind == "opening" else "closes"
            yield self.violation(
                f"no key holder on {inst.shift} {day:%m-%d}, the shift that {verb} the desk at "
                f"{self.timeline.clock(moment.at)} (key holders: {', '.join(self.holders) or 'none'}; "
                f"or plan a key hand-over)", date=moment.date, shift=inst.shift,
            )

    def describe(self, locale: str = "en") -> str:
        skills = ", ".join(self.settings.key_skills)
        if locale == "zh":
            return f"每天开门班和关门班都有持钥匙人（{skills}），或事先指定钥匙交接人。"
        return f"A key holder ({skills}) on the opening and on the closing shift every day, or a named hand-over."
