"""``[property_desk]``: the round-the-clock desk, its night minimum, holiday reinforcement and rounds.

Read strictly: unknown keys are errors naming the key and this plugin.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dutyplan.config.schema import DAY_TYPES, DayType

SECTION = "property_desk"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Round(Strict):
    """``[[property_desk.rounds]]``: an inspection round (值班检查) the duty manager walks at ``time``."""

    time: dt.time
    area: str = Field(min_length=1)
    days: list[DayType] = Field(default_factory=lambda: list(DAY_TYPES), min_length=1)


def _statutory() -> list[DayType]:
    return ["holiday"]


class HolidayDuty(Strict):
    """``[property_desk.holiday]``: reinforced staffing on statutory holidays (D-HOLIDAY)."""

    min: int = Field(default=2, ge=1, description="People on every desk shift on a statutory holiday.")
    shifts: dict[str, int] = Field(default_factory=dict, description="Per shift id, instead of min.")
    day_types: list[DayType] = Field(default_factory=lambda: _statutory(), min_length=1)

    @field_validator("shifts")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        for shift, count in value.items():
            if count < 1:
                raise ValueError(f"{shift}: expected 1 or more, found {count}")
        return value


class PropertyDeskSettings(Strict):
    """``[property_desk]`` in the department file."""

    desk_shifts: list[str] | None = Field(default=None, description="The shifts that staff the desk (all).")
    desk_min: int = Field(default=1, ge=1, description="People on every desk shift, every day.")
    night_shift: str = "night"
    night_min: int = Field(default=2, ge=1, description="People on the night shift, every night.")
    holiday: HolidayDuty | None = None
    rounds: list[Round] = Field(default_factory=list)
