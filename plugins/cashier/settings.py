"""``[cashier]``: the hourly till demand, split shifts, the gift store's two-person window, till points.

Read strictly (unknown keys are errors naming the key and this plugin).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dutyplan.config.schema import DAY_TYPES, DayType
from dutyplan.features.meals import parse_span

SECTION = "cashier"
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_KEYS = (*DAY_TYPES, *WEEKDAY_KEYS, "all")
"""What ``days`` may list: a day type, a weekday, or ``all``."""


def _days(value: list[str]) -> list[str]:
    for key in value:
        if key not in DAY_KEYS:
            raise ValueError(f"unknown day {key!r} (expected a day type, a weekday mon..sun, or all)")
    return value


def matches(days: list[str], day_type: DayType, day: dt.date) -> bool:
    return "all" in days or day_type in days or WEEKDAY_KEYS[day.weekday()] in days


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TillDemand(Strict):
    """``[[cashier.demand]]``: ``tills`` cashiers at the tills during ``hours`` on ``days``.

    Write the day's curve hour by hour or in longer spans; where entries overlap
    on a day, the highest count applies.
    """

    hours: str
    tills: int = Field(ge=1)
    days: list[str] = Field(default_factory=lambda: ["all"], min_length=1)

    _check_days = field_validator("days")(_days)

    @field_validator("hours")
    @classmethod
    def _span(cls, value: str) -> str:
        parse_span(value)
        return value


class SplitShift(Strict):
    """``[cashier.split.<shift id>]``: a split shift (两头班) present only in its ``parts``.

    The core shift keeps the envelope: ``start`` is the first part's start and
    ``end`` the last part's end (rest between days counts from there, R-REST);
    its ``paid_minutes`` should be the parts' total.
    """

    parts: list[str] = Field(min_length=2)

    @field_validator("parts")
    @classmethod
    def _spans(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_span(text)
        return value


class GiftStore(Strict):
    """``[cashier.gift_store]``: when the gift store is opened, at least ``people`` authorised cashiers are there.

    The store is only entered by two people together (两人同时进出, 第9篇): at
    every minute of each window, ``people`` people with ``skill`` must be on shift.
    """

    windows: list[str] = Field(min_length=1)
    days: list[str] = Field(default_factory=lambda: ["all"], min_length=1)
    people: int = Field(default=2, ge=2)
    skill: str | None = None

    _check_days = field_validator("days")(_days)

    @field_validator("windows")
    @classmethod
    def _spans(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_span(text)
        return value


class TillPoints(Strict):
    """``[cashier.points]``: how the daily till results become P-CASHIER points."""

    exact_within: float = Field(default=1.0, ge=0, description="Yuan: the month's till differences, summed.")
    basis: Literal["absolute", "net"] = Field(
        default="absolute", description="Sum the differences' sizes (a +5 and a -5 are 10) or their net.")
    min_days: int = Field(default=10, ge=1, description="Till days in the month to earn the reward or be ranked.")
    min_ranked: int = Field(default=4, ge=2, description="People needed for a ranking at all.")


class CashierSettings(Strict):
    """``[cashier]`` in the department file."""

    skill: str | None = Field(default=None, description="Who may work a till (None: anyone on shift).")
    demand: list[TillDemand] = Field(min_length=1)
    split: dict[str, SplitShift] = Field(default_factory=dict)
    gift_store: GiftStore | None = None
    points: TillPoints = Field(default_factory=TillPoints)
