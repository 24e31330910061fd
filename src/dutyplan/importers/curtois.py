"""Import a Curtois–Qu shift scheduling benchmark instance as an ordinary department folder.

Why: a scheduler's core is judged on instances nobody here wrote. The 24
instances of schedulingbenchmarks.org (Curtois & Qu) become plain
``department.toml`` files; every benchmark rule maps onto a general dutyplan
rule with the same meaning, so nothing in the core knows about the benchmark:

===============================  ==============================================
benchmark                        dutyplan
===============================  ==============================================
one shift a day                  R-ONE-SHIFT (structural)
``NotFollow`` (off outside)      ``shifts.X.not_followed_by`` (R-REST)
``MaxShifts`` per type           ``staff.max_per_shift`` (R-CONTRACT)
min/max total minutes            ``staff.min_minutes/max_minutes``, ``paid_minutes`` = length,
                                 ``rules.contract_period = "horizon"`` (R-CONTRACT)
max consecutive shifts           ``staff.max_consecutive_work`` (R-MAX-CONSEC)
min consecutive shifts           ``staff.min_consecutive_work`` (R-MIN-CONSEC, edge runs exempt)
min consecutive days off         ``staff.min_consecutive_off`` (R-MIN-OFF, edge runs exempt)
max weekends                     ``staff.max_weekends`` (R-MAX-WEEKENDS, Sat or Sun worked)
days off                         ``staff.days_off`` (R-AVAILABLE)
shift on / off requests          ``[[requests]]`` ``shift_on``/``shift_off`` with weight (R-REQUEST)
cover (requirement, weights)     ``[[demand]]`` min 0, preferred, under/over weight (R-COVER)
===============================  ==============================================

Everything else dutyplan would add by default (weekly rest, the Labour-Law
hours check, fairness, a default maximum run) is switched off, the calendar
has no holidays, and day 0 is the ``--start`` date, a Monday. The CLI command
``dutyplan import curtois`` is added through the ``register_commands`` hook,
like any plugin's command.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import tomli_w
from pydantic import ValidationError

from dutyplan import hookimpl
from dutyplan.config.schema import DepartmentFile
from dutyplan.errors import InputError
from dutyplan.fileio import write_text_atomic

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
"""The sections of an instance file, in the order the benchmark writes them."""

DEFAULT_START = dt.date(2024, 1, 1)
"""Day 0 when ``--start`` is not given: a Monday, as the benchmark's day 0 always is."""

_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_SHIFT_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")

_STARTS = {"a": dt.time(6), "e": dt.time(6), "d": dt.time(8), "s": dt.time(10), "p": dt.time(14),
           "l": dt.time(14), "n": dt.time(22)}
"""A plausible clock start by the shift id's first letter (a/e early, d day, s split, p/l late, n night).

The benchmark gives only lengths; dutyplan shifts have clock times. No rule of
an imported department reads the times (``min_rest_hours`` is unset and
``forbid_overlap`` off), so they only make grids and calendar exports look sensible.
"""


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    not_follow: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Employee:
    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int
    line: int


@dataclass(frozen=True)
class ShiftRequest:
    staff: str
    day: int
    shift: str
    weight: int
    line: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int
    line: int


@dataclass
class Instance:
    """A parsed instance file; every item keeps its line number for error messages."""

    path: Path
    sha256: str
    horizon: int
    shifts: dict[str, ShiftType] = field(default_factory=dict)
    staff: dict[str, Employee] = field(default_factory=dict)
    days_off: dict[str, list[int]] = field(default_factory=dict)
    on_requests: list[ShiftRequest] = field(default_factory=list)
    off_requests: list[ShiftRequest] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem


# -- parsing -------------------------------------------------------------------


class _Lines:
    """Rows of one section: ``(line number, fields)``, comments and blank lines dropped."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.sections: dict[str, list[tuple[int, list[str]]]] = {}
        self.section_line: dict[str, int] = {}
        current: str | None = None
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.replace("\r", "").strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("SECTION_"):
                if line not in SECTIONS:
                    raise self.error(number, f"unknown section {line!r} (expected one of {', '.join(SECTIONS)})")
                if line in self.sections:
                    raise self.error(number, f"{line} appears twice (first on line {self.section_line[line]})")
                current = line
                self.sections[line] = []
                self.section_line[line] = number
                continue
            if current is None:
                raise self.error(number, f"data before the first section: {line!r} (expected SECTION_HORIZON)")
            self.sections[current].append((number, [f.strip() for f in line.split(",")]))
        for name in SECTIONS:
            if name not in self.sections:
                raise InputError(f"section {name} is missing", path=path)

    def error(self, line: int, message: str) -> InputError:
        return InputError(message, path=self.path, where=f"line {line}")

    def rows(self, section: str, columns: int | None, what: str) -> list[tuple[int, list[str]]]:
        result = self.sections[section]
        for number, fields in result:
            if columns is not None and len(fields) != columns:
                raise self.error(number, f"expected {columns} comma-separated fields ({what}), found {len(fields)}")
        return result

    def integer(self, line: int, value: str, what: str, low: int = 0, high: int | None = None) -> int:
        try:
            number = int(value)
        except ValueError:
            raise self.error(line, f"{what}: expected a whole number, found {value!r}") from None
        if number < low or (high is not None and number > high):
            bound = f"{low}..{high}" if high is not None else f"{low} or more"
            raise self.error(line, f"{what}: expected {bound}, found {number}")
        return number


def parse_instance(path: Path) -> Instance:
    """Read an instance file; bad input raises :class:`InputError` naming the file and line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    lines = _Lines(path, text)
    horizon_rows = lines.rows("SECTION_HORIZON", 1, "the horizon in days")
    if len(horizon_rows) != 1:
        where = horizon_rows[1][0] if horizon_rows else lines.section_line["SECTION_HORIZON"]
        raise lines.error(where, f"SECTION_HORIZON holds one number, found {len(horizon_rows)} rows")
    number, fields = horizon_rows[0]
    horizon = lines.integer(number, fields[0], "horizon", low=1, high=400)
    inst = Instance(path=path, sha256=hashlib.sha256(raw).hexdigest(), horizon=horizon)
    _parse_shifts(lines, inst)
    _parse_staff(lines, inst)
    _parse_days_off(lines, inst)
    inst.on_requests = _parse_requests(lines, inst, "SECTION_SHIFT_ON_REQUESTS")
    inst.off_requests = _parse_requests(lines, inst, "SECTION_SHIFT_OFF_REQUESTS")
    _parse_cover(lines, inst)
    return inst


def _parse_shifts(lines: _Lines, inst: Instance) -> None:
    rows = lines.sections["SECTION_SHIFTS"]
    if not rows:
        raise lines.error(lines.section_line["SECTION_SHIFTS"], "SECTION_SHIFTS declares no shift type")
    for number, fields in rows:
        if len(fields) == 2:
            fields = [*fields, ""]
        if len(fields) != 3:
            raise lines.error(number, f"expected 3 fields (ShiftID, LengthInMinutes, NotFollow), found {len(fields)}")
        sid = fields[0]
        if not _SHIFT_ID.match(sid):
            raise lines.error(number, f"shift id {sid!r} must be letters, digits, '_' or '-'")
        if sid in inst.shifts:
            raise lines.error(number, f"shift {sid!r} declared twice (first on line {inst.shifts[sid].line})")
        minutes = lines.integer(number, fields[1], f"length of shift {sid}", low=1, high=24 * 60 - 1)
        follow = tuple(f.strip() for f in fields[2].split("|") if f.strip())
        inst.shifts[sid] = ShiftType(sid, minutes, follow, number)
    for shift in inst.shifts.values():
        for other in shift.not_follow:
            if other not in inst.shifts:
                raise lines.error(shift.line, _unknown("shift", other, inst.shifts))


def _unknown(kind: str, value: str, known: dict[str, Any]) -> str:
    names = sorted(known)
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"unknown {kind} id {value!r} (declared: {shown})"


def _parse_staff(lines: _Lines, inst: Instance) -> None:
    what = "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, " \
           "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends"
    rows = lines.rows("SECTION_STAFF", 8, what)
    if not rows:
        raise lines.error(lines.section_line["SECTION_STAFF"], "SECTION_STAFF declares nobody")
    for number, fields in rows:
        sid = fields[0]
        if not _ID.match(sid):
            raise lines.error(number, f"staff id {sid!r} must be letters, digits, '_', '.' or '-'")
        if sid in inst.staff:
            raise lines.error(number, f"staff {sid!r} declared twice (first on line {inst.staff[sid].line})")
        limits: dict[str, int] = {}
        for part in (p.strip() for p in fields[1].split("|")):
            if not part:
                continue
            shift, eq, value = part.partition("=")
            shift = shift.strip()
            if not eq:
                raise lines.error(number, f"MaxShifts entry {part!r}: expected ShiftID=n")
            if shift not in inst.shifts:
                raise lines.error(number, "MaxShifts: " + _unknown("shift", shift, inst.shifts))
            limits[shift] = lines.integer(number, value.strip(), f"MaxShifts {shift}")
        names = ("MaxTotalMinutes", "MinTotalMinutes", "MaxConsecutiveShifts", "MinConsecutiveShifts",
                 "MinConsecutiveDaysOff", "MaxWeekends")
        values = [lines.integer(number, v, n) for v, n in zip(fields[2:], names, strict=True)]
        if values[1] > values[0]:
            raise lines.error(number, f"MinTotalMinutes ({values[1]}) is above MaxTotalMinutes ({values[0]})")
        max_minutes, min_minutes, max_run, min_run, min_off, max_weekends = values
        inst.staff[sid] = Employee(sid, limits, max_minutes, min_minutes, max_run, min_run, min_off, max_weekends,
                                   number)


def _check_day(lines: _Lines, inst: Instance, line: int, value: str) -> int:
    return lines.integer(line, value, "day index", low=0, high=inst.horizon - 1)


def _check_staff(lines: _Lines, inst: Instance, line: int, sid: str) -> str:
    if sid not in inst.staff:
        raise lines.error(line, _unknown("staff", sid, inst.staff))
    return sid


def _check_shift(lines: _Lines, inst: Instance, line: int, sid: str) -> str:
    if sid not in inst.shifts:
        raise lines.error(line, _unknown("shift", sid, inst.shifts))
    return sid


def _parse_days_off(lines: _Lines, inst: Instance) -> None:
    for number, fields in lines.rows("SECTION_DAYS_OFF", None, "EmployeeID, day, day, ..."):
        sid = _check_staff(lines, inst, number, fields[0])
        days = [_check_day(lines, inst, number, f) for f in fields[1:] if f]
        inst.days_off.setdefault(sid, []).extend(days)


def _parse_requests(lines: _Lines, inst: Instance, section: str) -> list[ShiftRequest]:
    result = []
    for number, fields in lines.rows(section, 4, "EmployeeID, Day, ShiftID, Weight"):
        sid = _check_staff(lines, inst, number, fields[0])
        day = _check_day(lines, inst, number, fields[1])
        shift = _check_shift(lines, inst, number, fields[2])
        weight = lines.integer(number, fields[3], "weight")
        result.append(ShiftRequest(sid, day, shift, weight, number))
    return result


def _parse_cover(lines: _Lines, inst: Instance) -> None:
    seen: dict[tuple[int, str], int] = {}
    for number, fields in lines.rows("SECTION_COVER", 5, "Day, ShiftID, Requirement, WeightUnder, WeightOver"):
        day = _check_day(lines, inst, number, fields[0])
        shift = _check_shift(lines, inst, number, fields[1])
        if (day, shift) in seen:
            raise lines.error(number, f"cover for day {day} shift {shift} given twice (first on line "
                                      f"{seen[(day, shift)]})")
        seen[(day, shift)] = number
        requirement, under, over = (lines.integer(number, v, n) for v, n in zip(
            fields[2:], ("Requirement", "WeightUnder", "WeightOver"), strict=True))
        inst.cover.append(Cover(day, shift, requirement, under, over, number))


# -- the department file -----------------------------------------------------------


def shift_start(shift_id: str) -> dt.time:
    return _STARTS.get(shift_id[:1].lower(), dt.time(8))


def department_data(inst: Instance, start: dt.date, name: str | None = None) -> dict[str, Any]:
    """The ``department.toml`` contents for an instance whose day 0 is ``start``."""
    day = [start + dt.timedelta(days=i) for i in range(inst.horizon)]
    shifts: dict[str, Any] = {}
    for s in inst.shifts.values():
        begin = shift_start(s.id)
        end_minutes = (begin.hour * 60 + begin.minute + s.minutes) % (24 * 60)
        shifts[s.id] = {
            "start": begin,
            "end": dt.time(end_minutes // 60, end_minutes % 60),
            "paid_minutes": s.minutes,
            "not_followed_by": list(s.not_follow),
        }
    staff = []
    for p in inst.staff.values():
        entry: dict[str, Any] = {
            "id": p.id,
            "name": p.id,
            "max_per_shift": dict(p.max_shifts),
            "min_minutes": p.min_minutes,
            "max_minutes": p.max_minutes,
            "max_consecutive_work": p.max_consecutive,
            "min_consecutive_work": p.min_consecutive,
            "min_consecutive_off": p.min_days_off,
            "max_weekends": p.max_weekends,
            "fairness": False,
        }
        if p.id in inst.days_off:
            entry["days_off"] = [day[d] for d in sorted(set(inst.days_off[p.id]))]
        staff.append(entry)
    requests = [
        {"staff": r.staff, "date": day[r.day], "kind": kind, "shift": r.shift, "weight": r.weight}
        for kind, items in (("shift_on", inst.on_requests), ("shift_off", inst.off_requests))
        for r in items
    ]
    demand = [
        {"date": day[c.day], "shift": c.shift, "min": 0, "preferred": c.requirement,
         "under_weight": c.under_weight, "over_weight": c.over_weight}
        for c in inst.cover
    ]
    return {
        "department": {"id": _slug(inst.name), "name": name or f"Curtois-Qu {inst.name}", "locale": "en",
                       "timezone": "UTC"},
        "calendar": {"country": "none"},
        "rules": {
            "contract_period": "horizon",
            "weekly_rest": False,
            # The clock times are guesses (see _STARTS): only the instance's "cannot follow" lists decide.
            "forbid_overlap": False,
            # Every person has their own maximum run; this default is never used.
            "max_consecutive_work": max(p.max_consecutive for p in inst.staff.values()),
            "hours": {"mode": "off"},
        },
        # Cover rows carry their own weights; a (day, shift) without a row has no cover term.
        "weights": {"coverage_under": 0, "coverage_over": 0, "request": 1, "fair_nights": 0,
                    "fair_weekends": 0, "fair_holidays": 0, "fair_shifts": 0},
        "shifts": shifts,
        "staff": staff,
        "requests": requests,
        "demand": demand,
    }


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "-", name).strip("-") or "curtois"
    return slug[:64]


def header(inst: Instance, start: dt.date, folder: Path) -> str:
    return (
        f"# Imported by `dutyplan import curtois` from {inst.path.name}\n"
        f"# (sha256 {inst.sha256}), a Curtois-Qu benchmark instance (schedulingbenchmarks.org/nrp).\n"
        f"# Day 0 is {start.isoformat()} ({inst.horizon} days). Plan it with:\n"
        f"#   dutyplan plan {folder} --start {start.isoformat()} --days {inst.horizon}\n\n"
    )


def import_instance(
    source: Path, target: Path, start: dt.date = DEFAULT_START, force: bool = False
) -> tuple[Path, Instance]:
    """Parse ``source`` and write ``target/department.toml``; returns the file written and the instance."""
    if start.weekday() != 0:
        raise InputError(f"day 0 of a Curtois-Qu instance is a Monday; {start} is a {start:%A}", where="--start")
    inst = parse_instance(source)
    out = target / "department.toml"
    if out.exists() and not force:
        raise InputError("a department file is already there (use --force to replace it)", path=out)
    data = department_data(inst, start, name=None)
    try:
        DepartmentFile.model_validate(data)
    except ValidationError as exc:  # the parser checks every value, so this names a gap in it
        raise InputError(f"the imported department does not validate: {exc}", path=source) from None
    write_text_atomic(out, header(inst, start, target) + tomli_w.dumps(data))
    return out, inst


# -- command line --------------------------------------------------------------------


@click.command("curtois")
@click.argument("instance", type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", required=True, type=click.Path(path_type=Path),
              help="Department folder to create (e.g. rosters/bench-1).")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=DEFAULT_START.isoformat(), show_default=True,
              help="Date of day 0 (must be a Monday).")
@click.option("--force", is_flag=True, help="Replace an existing department.toml.")
def curtois_cmd(instance: Path, target: Path, start: dt.datetime, force: bool) -> None:
    """Turn a Curtois-Qu benchmark instance (InstanceN.txt) into a department folder."""
    out, inst = import_instance(instance, target, start.date(), force)
    click.echo(
        f"imported {inst.name}: {inst.horizon} days, {len(inst.staff)} staff, {len(inst.shifts)} shift types, "
        f"{len(inst.on_requests) + len(inst.off_requests)} requests -> {out}"
    )
    click.echo(f"plan it with: dutyplan plan {target} --start {start.date().isoformat()} --days {inst.horizon}")


def _import_group(cli: click.Group) -> click.Group:
    """The ``import`` group, shared by every importer plugin (created by the first one)."""
    group = cli.commands.get("import")
    if isinstance(group, click.Group):
        return group
    group = click.Group("import", help="Turn a roster problem from another format into a department folder.")
    cli.add_command(group)
    return group


@hookimpl
def register_commands(cli: click.Group) -> None:
    _import_group(cli).add_command(curtois_cmd)

