"""R-HANDOVER: nobody leaves the desk before the next person has arrived to take over.

At the change of shift the leaving person waits for the next one and hands
over in writing (接班人尚未来时不得离岗, 交接班记录: 第7篇 2.4). So wherever a
shift ends while the desk is open, some shift must already have been on for
``handover_minutes`` and go on past that end: the overlap in which the
hand-over happens.

Two parts:

* **At load**, from the shift times alone: a shift that ends inside opening
  hours with no shift overlapping it by ``handover_minutes`` cannot ever hand
  over. With ``handover_check = "error"`` (the default) that is a file error
  naming both shifts; with ``"warn"`` the rule reports it as a warning on every
  check; ``"off"`` says nothing.
* **In the roster** (hard): if someone with the desk skill works the leaving
  shift, someone with the desk skill works one of the overlapping shifts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dutyplan.domain import Problem
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

from .desk import desk_staff
from .settings import CustomerServiceSettings
from .timeline import DAY, Instance, Timeline


@dataclass(frozen=True)
class Change:
    """A shift instance ending while the desk is open, and the instances that can take over from it."""

    leaving: Instance
    taking_over: tuple[Instance, ...]


@dataclass(frozen=True)
class Gap:
    """A shift that ends inside opening hours without an overlap: found from the shift times alone."""

    shift: str
    end: str
    day_type: str
    next_start: str | None

    def __str__(self) -> str:
        after = f" (the next shift starts at {self.next_start})" if self.next_start else ""
        return (f"shift {self.shift!r} ends at {self.end} while the desk is open ({self.day_type}), "
                f"but no shift overlaps it{after}")


def changes(timeline: Timeline, minutes: int) -> tuple[list[Change], list[Gap]]:
    found: list[Change] = []
    gaps: dict[tuple[str, str], Gap] = {}
    for span in timeline.spans:
        for leaving in timeline.instances:
            if not (span.start < leaving.end < span.end) or not timeline.judged(leaving):
                continue
            e = leaving.end
            over = tuple(i for i in timeline.instances
                         if i is not leaving and i.start <= e - minutes and i.end > e)
            if over:
                found.append(Change(leaving, over))
                continue
            later = [i.start for i in timeline.instances if e - minutes < i.start and i.end > e]
            day_type = timeline.day_types.get(e // DAY, "workday")
            key = (leaving.shift, day_type)
            gaps.setdefault(key, Gap(leaving.shift, timeline.clock(e), day_type,
                                     timeline.clock(min(later)) if later else None))
    return found, list(gaps.values())


class Handover(Rule):
    """R-HANDOVER: a shift leaving while the desk is open hands over to someone already there."""

    id = "R-HANDOVER"
    title = "Hand-over in person at the change of shift"

    def __init__(self, settings: CustomerServiceSettings, timeline: Timeline) -> None:
        self.settings, self.timeline = settings, timeline
        self.staff = desk_staff(timeline.problem, settings)
        self.changes, self.gaps = changes(timeline, settings.handover_minutes)

    def _judged(self) -> Iterator[Change]:
        for change in self.changes:
            if all(self.timeline.judged(i) for i in change.taking_over):
                yield change

    def build(self, ctx: ModelContext) -> None:
        people = [ctx.staff_index[s] for s in self.staff]
        for change in self._judged():
            leaving = change.leaving
            out = [ctx.x[pi][leaving.day][ctx.shift_index[leaving.shift]] for pi in people]
            there = [ctx.x[pi][i.day][ctx.shift_index[i.shift]] for i in change.taking_over for pi in people]
            ct = ctx.model.add(sum(out) <= len(people) * sum(there))
            scope = f"{leaving.shift} {self.timeline.moment(leaving.end)}"
            ctx.add_hard(ct, self, scope)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        staff = set(self.staff)
        tl = self.timeline
        if self.settings.handover_check == "warn":
            for gap in self.gaps:
                yield self.violation(f"{gap}; hand-overs need {self.settings.handover_minutes} minutes",
                                     shift=gap.shift, severity="warning")
        for change in self._judged():
            leaving = change.leaving
            day = tl.date(leaving.day)
            out = [s for s in roster.on(day, leaving.shift) if s in staff]
            if not out:
                continue
            if any(s in staff for i in change.taking_over for s in roster.on(tl.date(i.day), i.shift)):
                continue
            shifts = ", ".join(sorted({i.shift for i in change.taking_over}))
            yield self.violation(
                f"{', '.join(out)} leave {leaving.shift} at {tl.moment(leaving.end)} with the desk open and "
                f"nobody on {shifts} to take over (hand-over needs {self.settings.handover_minutes} min overlap)",
                date=day, shift=leaving.shift,
            )

    def describe(self, locale: str = "en") -> str:
        h = self.settings.handover_minutes
        if locale == "zh":
            return f"营业时间内交接班：下一班已在岗至少 {h} 分钟，上一班才可离岗（接班人未到不得离岗）。"
        return (f"While the desk is open nobody leaves before the next shift has been on for {h} minutes "
                "to take over in person.")
