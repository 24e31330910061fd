"""Request files shared by swaps and leave: read and validate, key by content, move to a decided state.

A request is keyed by the sha256 of its validated content (canonical JSON,
without the decision block), so the same request under another file name, or
approved twice, is recognised (the roster revision records the keys it
applied). Deciding a request writes a copy with a ``[decision]`` table (who,
when, why, which revision) into ``approved/`` or ``rejected/`` beside it and
then removes the pending file; the decided copy is written exclusively, so it
never replaces another.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, TypeVar

import pendulum
import tomli_w
from pydantic import BaseModel, ConfigDict, ValidationError

from dutyplan.config.load import read_toml, validation_error
from dutyplan.domain import Department
from dutyplan.errors import InputError
from dutyplan.fileio import write_text_atomic

State = Literal["pending", "approved", "rejected"]
DECIDED: tuple[State, ...] = ("approved", "rejected")


class Decision(BaseModel):
    """``[decision]``: written by dutyplan when a request is approved or rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    state: Literal["approved", "rejected"]
    by: str
    at: dt.datetime
    reason: str | None = None
    revision: int | None = None
    key: str
    note: str | None = None


class RequestModel(BaseModel):
    """Base of request files: unknown keys are errors; ``FORMAT`` is the file's ``format`` value."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    FORMAT: ClassVar[str] = ""


M = TypeVar("M", bound=RequestModel)


@dataclass(frozen=True)
class RequestFile(Generic[M]):
    """A parsed request: the model, where it lies, its content key and its decision (if decided)."""

    path: Path
    model: M
    key: str
    decision: Decision | None
    text: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def state(self) -> State:
        return self.decision.state if self.decision is not None else "pending"


def content_key(data: dict[str, Any]) -> str:
    """sha256 over a canonical serialisation (sorted keys, no whitespace) of a request's content."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_request(path: Path, model: type[M]) -> RequestFile[M]:
    """Read ``path`` as ``model``; errors name the file and the field (exit 2)."""
    expected_format = model.FORMAT
    data = read_toml(path)
    text = path.read_text(encoding="utf-8")
    raw_decision = data.pop("decision", None)
    found = data.get("format", expected_format)
    if found != expected_format:
        raise InputError(f"expected format = {expected_format!r}, found {found!r}", path=path, where="format")
    data.pop("format", None)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, path, data, model=model) from None
    decision = None
    if raw_decision is not None:
        try:
            decision = Decision.model_validate(raw_decision)
        except ValidationError as exc:
            raise validation_error(exc, path, raw_decision, prefix="decision", model=Decision) from None
    key = content_key(parsed.model_dump(mode="json"))
    return RequestFile(path, parsed, key, decision, text)


def known_staff(department: Department, value: str, path: Path, where: str) -> None:
    if value not in department.staff_by_id:
        raise InputError(f"unknown staff id {value!r} ({_expected(value, list(department.staff_by_id))})",
                         path=path, where=where)


def _expected(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    if len(known) <= 20:
        return f"{hint}expected one of {', '.join(known)}"
    return f"{hint}expected one of the {len(known)} staff ids in department.toml"


def known_shift(department: Department, value: str, path: Path, where: str) -> None:
    if value not in department.shift_by_id:
        known = ", ".join(department.shift_by_id)
        raise InputError(f"unknown shift id {value!r} (expected one of {known})", path=path, where=where)


def aware(value: dt.datetime, tz: str) -> pendulum.DateTime:
    """A TOML datetime in the department's zone (a local datetime without offset is read in ``tz``)."""
    if value.tzinfo is None:
        return pendulum.instance(value, tz=tz)
    return pendulum.instance(value).in_timezone(tz)


def department_of(path: Path) -> Path:
    """The department folder a request file lies in (the nearest parent with ``department.toml``)."""
    for parent in [*path.parents, *path.resolve().parents]:  # as given first, so printed paths stay short
        if (parent / "department.toml").is_file():
            return parent
    raise InputError("not inside a department folder (no department.toml above it); expected "
                     "rosters/<dept>/<YYYY-MM>/swaps/<name>.toml", path=path)


def pending_folder(path: Path) -> Path:
    """``.../swaps`` for a pending file or for one already in ``swaps/approved`` or ``swaps/rejected``."""
    folder = path.parent
    return folder.parent if folder.name in DECIDED else folder


def decide(request: RequestFile[Any], decision: Decision) -> Path:
    """Write the decided copy into ``approved/`` or ``rejected/``, then remove the pending file.

    If the decided copy already exists (a crash after writing it, or the same
    request decided twice) it is kept as it is; the pending file goes either way.
    """
    folder = pending_folder(request.path) / decision.state
    target = folder / request.name
    if target.exists():
        existing = target.read_text(encoding="utf-8")
        if decision.key not in existing:
            target = folder / f"{request.path.stem}-{decision.key[:8]}{request.path.suffix}"
    if not target.exists():
        block = {k: v for k, v in decision.model_dump().items() if v is not None}
        block["at"] = dt.datetime.fromisoformat(decision.at.isoformat())
        text = request.text.rstrip("\n") + "\n\n# written by dutyplan when the request was decided\n"
        text += tomli_w.dumps({"decision": block})
        write_text_atomic(target, text, exclusive=True)
    if request.path.exists() and request.path.parent != folder:
        request.path.unlink()
    return target


def find_decided(request: RequestFile[Any]) -> RequestFile[Any] | None:
    """A decided copy of the same request (same content key) beside the pending folder, if any."""
    base = pending_folder(request.path)
    for state in DECIDED:
        folder = base / state
        if not folder.is_dir():
            continue
        for candidate in sorted(folder.glob("*.toml")):
            text = candidate.read_text(encoding="utf-8")
            if request.key in text:
                try:
                    return load_request(candidate, type(request.model))
                except InputError:
                    continue
    return None


def when(text: str | None, tz: str, option: str = "--at") -> pendulum.DateTime:
    """The time a decision is made: ``--at`` (an ISO time, read in the department's zone) or now."""
    if text is None:
        return pendulum.now(tz).replace(microsecond=0)
    try:
        parsed = pendulum.parse(text, tz=tz)
    except ValueError:
        raise InputError(f"expected a time like 2027-01-05T09:30 or 2027-01-05T09:30+08:00, found {text!r}",
                         where=option) from None
    if not isinstance(parsed, pendulum.DateTime):
        raise InputError(f"expected a date and a time, found {text!r}", where=option)
    return parsed.in_timezone(tz)
