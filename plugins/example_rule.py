"""Example plugin: no one works a night shift as the only person without a key.

Rule ``X-NIGHT-PAIR``: on every night shift at least one person holds the
``key_holder`` skill *or* the night is staffed by two or more people. A tiny
rule that shows the whole path: one class with the three faces (model, check,
describe), a config section of its own, and a ``register_rules`` hook.
See docs/plugins.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

__version__ = "1.0"


class NightPairSettings(BaseModel):
    """``[example_rule]`` in the department file."""

    model_config = ConfigDict(extra="forbid")
    shift: str = "night"
    min_people: int = 2


class NightPair(Rule):
    id = "X-NIGHT-PAIR"
    title = "Nobody alone on nights"

    def __init__(self, shift: str, min_people: int) -> None:
        self.shift, self.min_people = shift, min_people

    def build(self, ctx: ModelContext) -> None:
        si = ctx.shift_index[self.shift]
        for di in range(ctx.num_days):
            on = [ctx.x[pi][di][si] for pi in range(ctx.num_staff)]
            nobody = ctx.model.new_bool_var(f"night_empty[{ctx.dates[di]:%m-%d}]")
            ctx.model.add(sum(on) == 0).only_enforce_if(nobody)
            ctx.model.add(sum(on) >= 1).only_enforce_if(~nobody)
            ct = ctx.model.add(sum(on) >= self.min_people).only_enforce_if(~nobody)
            ctx.add_hard(ct, self, f"{ctx.dates[di]:%m-%d}")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        for day in problem.dates:
            people = roster.on(day, self.shift)
            if 0 < len(people) < self.min_people:
                yield self.violation(
                    f"{', '.join(people)} alone on {self.shift} on {day:%m-%d} "
                    f"(at least {self.min_people} when the shift is staffed)",
                    date=day, shift=self.shift,
                )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return f"{self.shift} 班如有人上班，至少 {self.min_people} 人同时在岗。"
        return f"A staffed {self.shift} shift has at least {self.min_people} people."


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register("example_rule", NightPairSettings)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = problem.department.section("example_rule") or NightPairSettings()
    if settings.shift in problem.department.shift_by_id:
        register(NightPair(settings.shift, settings.min_people))
