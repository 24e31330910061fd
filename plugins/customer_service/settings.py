"""``[customer_service]``: opening hours, the key holders and the hand-over overlap, read strictly.

Every model forbids unknown keys, so a misspelt key is an error that names the
key and this plugin (the loader adds "in the [customer_service] section of
plugin 'customer_service'").
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dutyplan.config.schema import DayType
from dutyplan.features.meals import parse_span

SECTION = "customer_service"
CLOSED = "closed"
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Spans = str | list[str]
"""``"07:00-22:30"``, a list of such spans (a desk closed at noon), or ``"closed"``."""


def spans_of(value: Spans) -> list[tuple[int, int]]:
    """Minutes after the day's midnight; an end at or before the start means the next morning."""
    texts = [value] if isinstance(value, str) else list(value)
    if texts == [CLOSED]:
        return []
    return [parse_span(text) for text in texts]


class OpeningHours(BaseModel):
    """``[customer_service.hours]``: when the desk is open, by day type and by weekday.

    Lookup: a statutory holiday uses ``holiday``, then ``weekend``; a holiday break
    (调休 rest day) ``holiday_break``, then ``weekend``; a 调休 working day
    ``adjusted_workday``, then ``workday``; any other day its weekday (``mon`` ...
    ``sun``), then ``weekend`` (Saturday, Sunday) or ``workday``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    workday: Spans
    weekend: Spans | None = None
    holiday: Spans | None = None
    holiday_break: Spans | None = None
    adjusted_workday: Spans | None = None
    mon: Spans | None = None
    tue: Spans | None = None
    wed: Spans | None = None
    thu: Spans | None = None
    fri: Spans | None = None
    sat: Spans | None = None
    sun: Spans | None = None

    @field_validator("*")
    @classmethod
    def _spans(cls, value: Spans | None) -> Spans | None:
        if value is not None:
            spans_of(value)
        return value

    def spans(self, day_type: DayType, day: dt.date) -> list[tuple[int, int]]:
        weekday = WEEKDAY_KEYS[day.weekday()]
        order: tuple[str, ...]
        if day_type == "holiday":
            order = ("holiday", "weekend")
        elif day_type == "holiday_break":
            order = ("holiday_break", "weekend")
        elif day_type == "adjusted_workday":
            order = ("adjusted_workday",)
        elif day_type == "weekend":
            order = (weekday, "weekend")
        else:
            order = (weekday,)
        for key in order:
            value: Spans | None = getattr(self, key)
            if value is not None:
                return spans_of(value)
        return spans_of(self.workday)


class KeyHandover(BaseModel):
    """``[[customer_service.key_handover]]``: the key handed over in advance for one day (R-KEY)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)
    date: dt.date
    to: str = Field(description="Who holds the key that day instead of a key holder.")
    giver: str | None = Field(default=None, alias="from", description="The key holder handing it over.")
    when: Literal["opening", "closing", "both"] = "both"
    note: str | None = None


class CustomerServiceSettings(BaseModel):
    """``[customer_service]`` in the department file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    hours: OpeningHours
    desk_skill: str | None = Field(default=None, description="Who counts at the desk (None: anyone on shift).")
    min_at_desk: int = Field(default=1, ge=1)
    key_skills: list[str] = Field(default_factory=lambda: ["key_holder", "team_lead"], min_length=1)
    opening_shift: str | None = None
    closing_shift: str | None = None
    key_handover: list[KeyHandover] = Field(default_factory=list)
    handover_minutes: int = Field(default=30, ge=0, le=240)
    handover_check: Literal["error", "warn", "off"] = "error"
