"""The department file's schema: what a manager may write, checked strictly.

Every model forbids unknown keys, so a misspelt key is an error that names it
instead of a setting silently ignored. Cross-references (a request naming an
unknown person, say) are checked in :mod:`dutyplan.config.load`, where the file
name is known.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

DayType = Literal["workday", "weekend", "holiday", "holiday_break", "adjusted_workday"]
"""Kinds of calendar day.

* ``workday``: an ordinary working day;
* ``weekend``: an ordinary rest day (Saturday, Sunday);
* ``holiday``: a statutory holiday (法定节假日, 300% pay);
* ``holiday_break``: an extra day off that comes with a holiday (调休 rest day, 200% pay);
* ``adjusted_workday``: a weekend day the yearly plan turns into a working day (调休上班).
"""

DAY_TYPES: tuple[DayType, ...] = ("workday", "weekend", "holiday", "holiday_break", "adjusted_workday")

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}

NonNegInt = Annotated[int, Field(ge=0)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class Strict(BaseModel):
    """Base for every section: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DepartmentInfo(Strict):
    id: Identifier | None = None
    name: str
    timezone: str = "Asia/Shanghai"
    locale: Literal["zh", "en"] = "zh"
    plugins: list[str] = Field(default_factory=list)
    plugin_dirs: list[str] = Field(
        default_factory=list,
        description="Folders (relative to the department file) searched for plugins named in `plugins`.",
    )
    approvers: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        import pendulum

        try:
            pendulum.timezone(value)
        except Exception as exc:  # pendulum raises its own InvalidTimezone
            raise ValueError(f"unknown time zone {value!r} (expected e.g. 'Asia/Shanghai')") from exc
        return value


def _check_preferred(value: int | None, info: ValidationInfo) -> int | None:
    """``preferred`` is at least ``min`` (checked on the field, so the error names ``preferred``)."""
    low = info.data.get("min")
    if value is not None and low is not None and value < low:
        raise ValueError(f"preferred ({value}) is below min ({low}); expected preferred >= min")
    return value


def _check_max(value: int | None, info: ValidationInfo) -> int | None:
    """``max`` is at least ``preferred`` (or ``min``), so the hard and soft levels can all hold."""
    if value is None or "min" not in info.data:
        return value
    pref = info.data.get("preferred")
    low = pref if pref is not None else info.data["min"]
    if value < low:
        what = "preferred" if pref is not None else "min"
        raise ValueError(f"max ({value}) is below {what} ({low}); expected max >= {what}")
    return value


class CoverageLevel(Strict):
    min: NonNegInt = 0
    preferred: NonNegInt | None = None
    max: NonNegInt | None = None

    _preferred = field_validator("preferred")(_check_preferred)
    _max = field_validator("max")(_check_max)


class ShiftCoverage(Strict):
    """People needed on one shift, by day type. Missing day types fall back sensibly."""

    workday: CoverageLevel | None = None
    weekend: CoverageLevel | None = None
    holiday: CoverageLevel | None = None
    holiday_break: CoverageLevel | None = None
    adjusted_workday: CoverageLevel | None = None


class SkillCoverage(Strict):
    """At least ``min`` people with ``skill`` on the shift ("1 key_holder on early")."""

    skill: str
    min: Annotated[int, Field(ge=1)] = 1
    day_types: list[DayType] = Field(default_factory=lambda: list(DAY_TYPES))


class DemandOverride(Strict):
    """A date-specific demand that replaces the day-type level for one shift."""

    date: dt.date
    shift: str
    min: NonNegInt = 0
    preferred: NonNegInt | None = None
    max: NonNegInt | None = None
    under_weight: NonNegInt | None = None
    over_weight: NonNegInt | None = None

    _preferred = field_validator("preferred")(_check_preferred)
    _max = field_validator("max")(_check_max)


class ShiftSpec(Strict):
    name: str | None = None
    name_en: str | None = None
    start: dt.time
    end: dt.time
    paid_minutes: NonNegInt | None = None
    code: str | None = Field(default=None, max_length=3, description="Short label for grids (早, E).")
    colour: str = "#dddddd"
    not_followed_by: list[str] = Field(
        default_factory=list, description="Shift ids that may not be worked on the next day."
    )
    cover: ShiftCoverage = Field(default_factory=lambda: ShiftCoverage())
    skill_cover: list[SkillCoverage] = Field(default_factory=list)
    night: bool | None = Field(
        default=None, description="Counts as a night shift for fairness; default: crosses midnight."
    )

    @field_validator("end")
    @classmethod
    def _has_length(cls, value: dt.time, info: ValidationInfo) -> dt.time:
        """A zero-length shift is a typo; a 24-hour shift is not supported (end == start is ambiguous)."""
        start = info.data.get("start")
        if start is not None and value == start:
            raise ValueError(
                f"the shift ends when it starts ({value:%H:%M}); expected an end time different "
                "from the start (an end earlier than the start means the next morning)"
            )
        return value


class HoursRule(Strict):
    """Labour-Law hours: 40 h a week on average, overtime capped per month."""

    weekly_average: Annotated[float, Field(gt=0)] = 40.0
    overtime_cap: Annotated[float, Field(ge=0)] = 36.0
    mode: Literal["off", "warn", "soft", "hard"] = "warn"
    weight: NonNegInt = 10


class RuleSettings(Strict):
    forbid_overlap: bool = Field(
        default=True, description="A shift may not start the next day before the previous one has ended (R-REST)."
    )
    min_rest_hours: Annotated[float, Field(ge=0)] | None = None
    max_consecutive_work: NonNegInt | None = 6
    min_consecutive_work: NonNegInt | None = None
    min_consecutive_off: NonNegInt | None = None
    weekly_rest: bool = True
    max_weekends: NonNegInt | None = None
    contract_period: Literal["month", "horizon"] = Field(
        default="month",
        description="Staff min/max limits are per calendar month (pro-rated for other horizons) or per horizon.",
    )
    hours: HoursRule = Field(default_factory=HoursRule)


class Weights(Strict):
    coverage_under: NonNegInt = 100
    coverage_over: NonNegInt = 20
    request: NonNegInt = 5
    fair_nights: NonNegInt = 10
    fair_weekends: NonNegInt = 10
    fair_holidays: NonNegInt = 10
    fair_shifts: NonNegInt = 2


class Leave(Strict):
    start: dt.date
    end: dt.date
    type: str = "annual"

    @field_validator("end")
    @classmethod
    def _ordered(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError(f"leave ends ({value}) before it starts ({start}); expected end >= start")
        return value


class StaffSpec(Strict):
    id: Identifier
    name: str
    name_en: str | None = None
    skills: list[str] = Field(default_factory=list)
    min_shifts: NonNegInt | None = None
    max_shifts: NonNegInt | None = None
    min_minutes: NonNegInt | None = None
    max_minutes: NonNegInt | None = None
    max_per_shift: dict[str, NonNegInt] = Field(default_factory=dict)
    max_consecutive_work: NonNegInt | None = None
    min_consecutive_work: NonNegInt | None = None
    min_consecutive_off: NonNegInt | None = None
    max_weekends: NonNegInt | None = None
    fairness: bool = Field(
        default=True, description="Count this person in fairness pools (false for part-timers)."
    )
    weekly_days_off: list[str] = Field(default_factory=list)
    days_off: list[dt.date] = Field(default_factory=list)
    unavailable: list[dt.date] = Field(default_factory=list)
    leave: list[Leave] = Field(default_factory=list)

    @field_validator("weekly_days_off")
    @classmethod
    def _weekday_names(cls, value: list[str]) -> list[str]:
        for day in value:
            if day.lower() not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r} (expected mon, tue, ... sun)")
        return value

    @field_validator("max_shifts", "max_minutes")
    @classmethod
    def _bounds(cls, value: int | None, info: ValidationInfo) -> int | None:
        """``min_x <= max_x``, reported on the ``max_x`` key."""
        low_key = "min_" + (info.field_name or "").removeprefix("max_")
        low = info.data.get(low_key)
        if value is not None and low is not None and low > value:
            raise ValueError(f"{info.field_name} ({value}) is below {low_key} ({low}); expected max >= min")
        return value


class Request(Strict):
    """A wish, granted where the rules allow (R-REQUEST); ``until`` makes it cover several days."""

    staff: str
    date: dt.date
    until: dt.date | None = Field(
        default=None, description="Last day (inclusive) of a wish that covers several days, e.g. home for 春节."
    )
    kind: Literal["day_off", "shift_on", "shift_off"]
    shift: str | None = None
    weight: NonNegInt | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shift_given(self) -> Request:
        if self.kind != "day_off" and self.shift is None:
            raise ValueError(f"a {self.kind} request needs `shift` (the shift id it is about)")
        if self.until is not None and self.until < self.date:
            raise ValueError(f"until ({self.until}) is before date ({self.date})")
        return self

    def days(self) -> list[Request]:
        """One request per day it covers (weight per day)."""
        if self.until is None:
            return [self]
        span = (self.until - self.date).days + 1
        return [self.model_copy(update={"date": self.date + dt.timedelta(days=i), "until": None}) for i in range(span)]


class HistoryCounts(Strict):
    shifts: NonNegInt = 0
    nights: NonNegInt = 0
    weekends: NonNegInt = 0
    holidays: NonNegInt = 0


class History(Strict):
    """What happened before the horizon: tail days (for rest and run rules) and running counts."""

    end: dt.date | None = Field(
        default=None, description="The last day of the previous roster (default: the day before the horizon)."
    )
    shifts: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Per person, the last days of the previous roster, oldest first; '-' is a day off.",
    )
    counts: dict[str, HistoryCounts] = Field(default_factory=dict)


class CalendarOverride(Strict):
    date: dt.date
    type: DayType
    name: str | None = None


class CalendarSettings(Strict):
    country: Literal["CN", "none"] = "CN"
    override: list[CalendarOverride] = Field(default_factory=list)


class DepartmentFile(Strict):
    """The whole department file (core sections; plugin sections are validated by their plugin)."""

    department: DepartmentInfo
    shifts: dict[str, ShiftSpec]
    staff: list[StaffSpec]
    demand: list[DemandOverride] = Field(default_factory=list)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    weights: Weights = Field(default_factory=Weights)
    requests: list[Request] = Field(default_factory=list)
    history: History = Field(default_factory=History)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)

    @field_validator("shifts")
    @classmethod
    def _some_shifts(cls, value: dict[str, ShiftSpec]) -> dict[str, ShiftSpec]:
        if not value:
            raise ValueError("at least one shift type is needed")
        for key in value:
            if key == "-" or not key.replace("_", "").replace("-", "").isalnum():
                raise ValueError(f"shift id {key!r} must be letters, digits, '_' or '-'")
        return value

    @field_validator("staff")
    @classmethod
    def _some_staff(cls, value: list[StaffSpec]) -> list[StaffSpec]:
        """A department with nobody in it cannot be planned: say so before the solver does."""
        if not value:
            raise ValueError("the department has no staff; expected at least one [[staff]] entry")
        return value
