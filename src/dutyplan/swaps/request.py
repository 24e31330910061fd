"""The swap request file (换班申请表, S-REQUEST): what is swapped, who agreed, who wrote it and when.

Two forms::

    # rosters/customer-service/2027-01/swaps/e05-e07-0110.toml
    format = "dutyplan-swap/1"
    kind = "exchange"                 # or "give-away"
    requester = "E05"
    counterpart = "E07"
    give = { date = 2027-01-10, shift = "early" }    # the requester's shift; the counterpart takes it
    take = { date = 2027-01-12, shift = "middle" }   # exchange only: the counterpart's shift; the requester takes it
    written_by = "E05"
    written_at = 2027-01-05T09:30:00+08:00
    reason = "家里有事"

    [consent]                         # filled in by the counterpart (S-REQUEST: a written request)
    by = "E07"
    agreed = true
    at = 2027-01-05T12:00:00+08:00

``give.date`` and ``take.date`` may be the same day (two people trade shifts
that day). A give-away has no ``take``: the counterpart works the shift and the
requester gets the day off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dutyplan.domain import Department
from dutyplan.errors import InputError
from dutyplan.roster import Assignment
from dutyplan.swaps.files import RequestFile, RequestModel, known_shift, known_staff, load_request

FORMAT = "dutyplan-swap/1"


class ShiftRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    date: dt.date
    shift: str = Field(min_length=1)


class Consent(BaseModel):
    """The counterpart's answer, written by them (a field they fill in)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    by: str = Field(min_length=1)
    agreed: bool = True
    at: dt.datetime


class SwapRequest(RequestModel):
    FORMAT = FORMAT
    kind: Literal["exchange", "give-away"]
    requester: str = Field(min_length=1)
    counterpart: str = Field(min_length=1)
    give: ShiftRef
    take: ShiftRef | None = None
    written_by: str = Field(min_length=1)
    written_at: dt.datetime
    reason: str | None = None
    consent: Consent | None = None

    @model_validator(mode="after")
    def _form(self) -> SwapRequest:
        if self.requester == self.counterpart:
            raise ValueError("requester and counterpart are the same person; expected two different staff ids")
        if self.kind == "exchange" and self.take is None:
            raise ValueError("an exchange needs `take` (the counterpart's shift the requester takes)")
        if self.take is not None and self.take == self.give:
            raise ValueError("give and take name the same shift on the same day: the exchange changes nothing")
        if self.kind == "give-away" and self.take is not None:
            raise ValueError("a give-away has no `take`; use kind = \"exchange\" to trade shifts")
        return self

    @property
    def parties(self) -> tuple[str, str]:
        return self.requester, self.counterpart

    @property
    def dates(self) -> list[dt.date]:
        return sorted({self.give.date, *([self.take.date] if self.take else [])})

    @property
    def month(self) -> str:
        return f"{self.give.date:%Y-%m}"

    def moves(self) -> tuple[list[Assignment], list[Assignment]]:
        """(assignments removed, assignments added) by the swap."""
        removed = [Assignment(self.give.date, self.requester, self.give.shift)]
        added = [Assignment(self.give.date, self.counterpart, self.give.shift)]
        if self.take is not None:
            removed.append(Assignment(self.take.date, self.counterpart, self.take.shift))
            added.append(Assignment(self.take.date, self.requester, self.take.shift))
        return removed, added

    def summary(self) -> str:
        give = f"{self.give.shift} {self.give.date:%m-%d}"
        if self.take is None:
            return f"{self.requester} gives {give} to {self.counterpart}"
        take = f"{self.take.shift} {self.take.date:%m-%d}"
        return f"{self.requester} gives {give} to {self.counterpart} and takes {take}"


SwapFile = RequestFile[SwapRequest]


def load_swap(path: Path, department: Department) -> SwapFile:
    """Read and validate a swap file against the department: ids exist, both days in one month."""
    loaded = load_request(path, SwapRequest)
    req = loaded.model
    for where in ("requester", "counterpart", "written_by"):
        known_staff(department, getattr(req, where), path, where)
    if req.consent is not None:
        known_staff(department, req.consent.by, path, "consent.by")
    known_shift(department, req.give.shift, path, "give.shift")
    if req.take is not None:
        known_shift(department, req.take.shift, path, "take.shift")
        if f"{req.take.date:%Y-%m}" != req.month:
            raise InputError(
                f"take.date {req.take.date} is not in the month of give.date ({req.month}); "
                "a swap changes one month's roster: file two requests", path=path, where="take.date")
    folder = path.resolve().parent
    label_folder = folder.parent.parent if folder.name in ("approved", "rejected") else folder.parent
    if folder.name in ("swaps", "approved", "rejected") and _looks_like_month(label_folder.name) \
            and label_folder.name != req.month:
        raise InputError(f"the file lies under {label_folder.name}/ but give.date is in {req.month}",
                         path=path, where="give.date")
    return loaded


def _looks_like_month(name: str) -> bool:
    return len(name) == 7 and name[4] == "-" and name[:4].isdigit() and name[5:].isdigit()
