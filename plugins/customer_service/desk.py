"""R-COVER at the front desk: someone at the desk at every minute of opening hours, meals included.

The desk is open at hours of its own (``[customer_service.hours]``), not per
shift. The opening hours are cut into pieces at every shift start and end and
every meal-window edge; on each piece the same shift instances are on and
each is either in its meal window or not. A piece needs ``min_at_desk`` people
with ``desk_skill``:

* an instance outside its meal window brings everyone with the skill on it;
* an instance inside its meal window brings what the core meal feature
  guarantees there (R-MEAL plans staggered meals so that ``min_at_post`` people
  with the meal's skill stay at the post at every minute, and requires that
  many on the shift every day): ``min_at_post`` when that skill is the desk's
  skill (or the desk takes anyone), else nothing. The meal plan itself stays
  the meal feature's; this rule only relies on its guarantee.

That is a lower bound, linear in the head counts, so the model needs no meal
variables. The checker does not trust the bound: it walks the opening hours
minute by minute (piece by piece) with the roster's actual meal plan and
reports every stretch with too few people at the desk.
"""

from __future__ import annotations

from collections.abc import Iterator

from dutyplan.domain import Problem
from dutyplan.features.meals import meal_plan, parse_span
from dutyplan.features.meals import settings_of as meal_settings_of
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

from .settings import CustomerServiceSettings
from .timeline import DAY, Instance, Timeline, cuts


def desk_staff(problem: Problem, settings: CustomerServiceSettings) -> list[str]:
    skill = settings.desk_skill
    return [p.id for p in problem.department.staff if skill is None or skill in p.skills]


class DeskCover(Rule):
    """R-COVER: the front desk is never without a receptionist while it is open (总台不得无人接待)."""

    id = "R-COVER"
    title = "Front desk staffed at every open minute"

    def __init__(self, settings: CustomerServiceSettings, timeline: Timeline) -> None:
        self.settings, self.timeline = settings, timeline
        self.staff = desk_staff(timeline.problem, settings)

    @property
    def key(self) -> str:
        return "R-COVER/desk"

    def meal_share(self, shift: str) -> int:
        """What an instance in its meal window is guaranteed to keep at the desk (see the module doc)."""
        spec = self.timeline.meals.get(shift)
        if spec is None:
            return 0
        skill = self.settings.desk_skill
        return spec.min_at_post if skill is None or spec.skill == skill else 0

    def pieces(self) -> Iterator[tuple[int, int, list[tuple[Instance, bool]]]]:
        """Each piece of opening hours with the instances on it and whether each is in its meal window."""
        tl = self.timeline
        for span in tl.judged_spans:
            points = [p for i in tl.instances for p in (i.start, i.end)]
            points += [p for i in tl.instances for w in tl.meal_windows(i) for p in w]
            for t0, t1 in cuts(span.start, span.end, points):
                yield t0, t1, [(i, tl.in_meal_window(i, t0, t1)) for i in tl.covering(t0, t1)]

    def unstaffable(self) -> tuple[int, int] | None:
        """The first piece no roster can staff (no shift on at all, or only ones at meals): a file error."""
        for t0, t1, on in self.pieces():
            if not any(not meal for _i, meal in on) and sum(self.meal_share(i.shift) for i, _m in on) < \
                    self.settings.min_at_desk:
                return t0, t1
        return None

    def build(self, ctx: ModelContext) -> None:
        need = self.settings.min_at_desk
        people = [ctx.staff_index[s] for s in self.staff]
        seen: set[frozenset[tuple[int, str, bool]]] = set()
        for t0, t1, on in self.pieces():
            if not all(self.timeline.judged(i) for i, _meal in on):
                continue
            signature = frozenset((i.day, i.shift, meal) for i, meal in on)
            if signature in seen:
                continue
            seen.add(signature)
            fixed = sum(self.meal_share(i.shift) for i, meal in on if meal)
            if fixed >= need:
                continue
            at_desk = [ctx.x[pi][i.day][ctx.shift_index[i.shift]] for i, meal in on if not meal for pi in people]
            scope = f"desk {self.timeline.moment(t0)}-{self.timeline.clock(t1)}"
            ctx.add_hard(ctx.model.add(sum(at_desk) >= need - fixed), self, scope)

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        tl, need = self.timeline, self.settings.min_at_desk
        staff = set(self.staff)
        eating = self._meals(roster, problem)
        gap: list[tuple[int, int, int, set[str]]] = []
        for span in tl.judged_spans:
            points = [p for i in tl.instances for p in (i.start, i.end)]
            points += [p for spans in eating.values() for span_ in spans.values() for p in span_]
            for t0, t1 in cuts(span.start, span.end, points):
                on = tl.covering(t0, t1)
                if not all(tl.judged(i) for i in on):
                    continue
                present, away = 0, set()
                for inst in on:
                    for sid in roster.on(tl.date(inst.day), inst.shift):
                        if sid not in staff:
                            continue
                        meal = eating.get((inst.day, inst.shift), {}).get(sid)
                        if meal is not None and meal[0] <= t0 and t1 <= meal[1]:
                            away.add(sid)
                        else:
                            present += 1
                if present >= need:
                    continue
                if gap and gap[-1][1] == t0:
                    first = gap.pop()
                    gap.append((first[0], t1, min(first[2], present), first[3] | away))
                else:
                    gap.append((t0, t1, present, away))
        for t0, t1, present, away in gap:
            eats = f"; {', '.join(sorted(away))} at meal" if away else ""
            who = self.settings.desk_skill or "people"
            yield self.violation(
                f"front desk has {present} {who} at {tl.moment(t0)}-{tl.clock(t1)}, at least {need} needed "
                f"while open{eats}", date=tl.date(t0 // DAY),
            )

    def _meals(self, roster: Roster, problem: Problem) -> dict[tuple[int, str], dict[str, tuple[int, int]]]:
        """Each instance's meals on the line, from the roster's meal plan (or the one R-MEAL would make)."""
        settings = meal_settings_of(problem)
        if settings is None or not settings.shifts:
            return {}
        plan = meal_plan(roster, problem, settings)
        result: dict[tuple[int, str], dict[str, tuple[int, int]]] = {}
        for inst in self.timeline.instances:
            if inst.shift not in settings.shifts or not self.timeline.judged(inst):
                continue
            day_plan = plan.get(f"{self.timeline.date(inst.day):%Y-%m-%d}", {})
            begin = inst.start - inst.day * DAY
            for sid in roster.on(self.timeline.date(inst.day), inst.shift):
                text = day_plan.get(sid)
                if text is None:
                    continue
                try:
                    a, b = parse_span(str(text))
                except ValueError:
                    continue  # R-MEAL reports a malformed meal
                if a < begin:
                    a, b = a + DAY, b + DAY
                result.setdefault((inst.day, inst.shift), {})[sid] = (inst.day * DAY + a, inst.day * DAY + b)
        return result

    def describe(self, locale: str = "en") -> str:
        need, skill = self.settings.min_at_desk, self.settings.desk_skill
        if locale == "zh":
            return f"营业时间内（含用餐时间）前台每一分钟至少 {need} 名{skill or ''}人员在岗（总台不得无人接待）。"
        return (f"At every minute of opening hours, meal breaks included, at least {need} "
                f"{skill or 'person'} at the front desk.")
