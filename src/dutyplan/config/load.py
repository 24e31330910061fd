"""Read a department file into a validated :class:`~dutyplan.domain.Department`.

Every problem is reported as one :class:`~dutyplan.errors.InputError` naming the
file, the key (``staff[3] (id E04).max_shifts``) or line, and what was expected,
in words a manager understands: pydantic's own wording ("Input should be greater
than or equal to 0") is translated, and a misspelt key gets a "did you mean".
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pluggy
from pydantic import BaseModel, RootModel, ValidationError
from pydantic_core import ErrorDetails

from dutyplan.config.schema import DepartmentFile, DepartmentInfo
from dutyplan.domain import Department
from dutyplan.errors import InputError, PluginError
from dutyplan.plugins import collect, make_plugin_manager

DEPARTMENT_FILE = "department.toml"
DOCS = "docs/department-file.md"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; errors name the line and show it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("expected a file, found a folder", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file with the UTF-8 encoding",
            path=path, where=f"line {line}",
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, text, path) from None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str, path: Path) -> InputError:
    """``Invalid value (at line 73, column 14)`` -> the line number as the place, and the line itself."""
    message = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if found is None:
        return InputError(f"malformed TOML: {message}", path=path)
    line, column = int(found.group(1)), int(found.group(2))
    what = message[: found.start()].strip()
    lines = text.splitlines()
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = ""
    if re.search(r"=\s*\d{1,2}:\d{2}\s*(#.*)?$", shown):
        hint = ' (write times in quotes, e.g. start = "07:00")'
    return InputError(
        f"malformed TOML: {what[:1].lower() + what[1:]} at column {column}{hint}:\n    {shown.strip()}",
        path=path, where=f"line {line}",
    )


# -- pydantic errors in a manager's words ---------------------------------------------------------
def _key_path(loc: Sequence[int | str], data: Any) -> str:
    """``('staff', 3, 'max_shifts')`` -> ``staff[3].max_shifts`` (with the person's id when known)."""
    parts: list[str] = []
    node = data
    for n, item in enumerate(loc):
        if isinstance(node, dict) and isinstance(item, str) and item not in node and n < len(loc) - 1:
            continue  # a level a model added itself (a "before" validator wrapping the table): not in the file
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict):
                entry = node[item]
                if entry.get("id") is not None:
                    label = f"[{item}] (id {entry['id']})"
                elif entry.get("staff") is not None:
                    label = f"[{item}] (staff {entry['staff']})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that holds the keys."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _model_at(root: type[BaseModel] | None, loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The pydantic model found by following ``loc`` from ``root`` (None if the walk gets lost)."""
    tp: Any = root
    for item in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, RootModel):
            tp = _unwrap(tp.model_fields["root"].annotation)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(item))
            if field is None:
                return None
            tp = field.annotation
        elif origin is list and isinstance(item, int):
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, RootModel):
        tp = _unwrap(tp.model_fields["root"].annotation)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unknown_key(
    key: str, loc: Sequence[int | str], root: type[BaseModel] | None, plugin_sections: Sequence[str]
) -> str:
    """A misspelt key: what was found, the closest known key, or the keys that are allowed."""
    top = len(loc) == 1 and root is DepartmentFile
    model = _model_at(root, loc[:-1])
    known = list(model.model_fields) if model is not None else []
    if top:
        known += list(plugin_sections)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    noun = "section" if top else "key"
    msg = f"unknown {noun} {key!r}"
    if close:
        msg += f"; did you mean {close[0]!r}?"
    elif known:
        msg += f" (expected one of: {', '.join(known)})"
    if top and not close:
        msg += "; a plugin's section needs the plugin listed in department.plugins"
    elif not top and root is DepartmentFile and key in DepartmentFile.model_fields:
        msg += (
            f" ([{key}] is a top-level section: in TOML every key after a [table] header belongs to that "
            "table, so move it above the first header)"
        )
    if root is DepartmentFile:
        msg += f" (see {DOCS})"
    return msg


_IDENTIFIER_HELP = "expected letters, digits, '_', '.' or '-' only (no spaces)"

_SIMPLE: dict[str, str] = {
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected text in quotes",
    "list_type": "expected a list in brackets, e.g. [\"a\", \"b\"]",
    "dict_type": "expected a table ([name] header or { key = value, ... })",
    "model_type": "expected a table ([name] header or { key = value, ... })",
    "model_attributes_type": "expected a table ([name] header or { key = value, ... })",
    "date_from_datetime_inexact": "expected a date without a time of day, e.g. 2027-01-31",
}


def _plain(err: ErrorDetails) -> str:
    """One pydantic error in plain words (what was expected), without the key or the value found."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "greater_than_equal":
        return f"expected {ctx.get('ge')} or more"
    if kind == "greater_than":
        return f"expected a number above {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"expected {ctx.get('le')} or less"
    if kind == "less_than":
        return f"expected a number below {ctx.get('lt')}"
    if kind in ("time_parsing", "time_type"):
        detail = f" ({ctx['error']})" if ctx.get("error") else ""
        return f'expected a time of day in quotes, like "07:00" (hours 00-23, minutes 00-59){detail}'
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        detail = f" ({ctx['error']})" if ctx.get("error") else ""
        return f"expected a date like 2027-01-31{detail}"
    if kind == "string_pattern_mismatch":
        return _IDENTIFIER_HELP if "A-Za-z0-9" in str(ctx.get("pattern", "")) else err["msg"]
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "expected a value, found an empty string" if n == 1 else f"expected at least {n} characters"
    if kind == "string_too_long":
        return f"expected at most {ctx.get('max_length')} characters"
    if kind in ("literal_error", "enum"):
        return f"expected one of {ctx.get('expected')}"
    if kind in ("value_error", "assertion_error"):
        return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return err["msg"]


def _found(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _message(
    err: ErrorDetails, loc: Sequence[int | str], root: type[BaseModel] | None, plugin_sections: Sequence[str]
) -> str:
    if err["type"] == "extra_forbidden":
        return _unknown_key(str(loc[-1]), loc, root, plugin_sections)
    if err["type"] == "missing":
        if root is DepartmentFile and list(loc) == ["shifts"]:
            return "no shift types: expected at least one [shifts.<id>] table (e.g. [shifts.early])"
        if root is DepartmentFile and list(loc) == ["staff"]:
            return "no staff: expected at least one [[staff]] entry with id and name"
        return "required key is missing"
    msg = _plain(err)
    value = err.get("input")
    if value is not None and not isinstance(value, (dict, list)):
        shown = _found(value)
        if shown not in msg and repr(value) not in msg and str(value) not in msg:
            msg += f", found {shown}"
    return msg


def validation_error(
    exc: ValidationError,
    path: Path,
    data: Any,
    prefix: str = "",
    *,
    model: type[BaseModel] | None = None,
    plugin_sections: Sequence[str] = (),
    note: str = "",
) -> InputError:
    """The first pydantic error as a message naming file and key (the others follow, one a line).

    ``model`` is the model that was validated (for "did you mean" on misspelt
    keys); ``plugin_sections`` are the top-level sections plugins declare;
    ``note`` is added to every message (the plugin that owns the section).
    """
    messages = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        if loc:
            where = _key_path(loc, data)
            key = f"{prefix}.{where}" if prefix else where
        else:
            key = prefix or "(top level)"
        messages.append((key, _message(err, loc, model, plugin_sections) + note))
    key, msg = messages[0]
    error = InputError(msg, path=path, where=key)
    if len(messages) > 1:
        error.message += "".join(f"\n{path}: {k}: {m}" for k, m in messages[1:])
        error.args = (error.message,)
    return error


# -- checks across sections -----------------------------------------------------------------------
def _unknown(kind: str, value: str, where: str, known: set[str], path: Path) -> InputError:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return InputError(
        f"unknown {kind} id {value!r}{hint} (expected one of {', '.join(sorted(known)) or 'none defined'})",
        path=path, where=where,
    )


def _cross_check(spec: DepartmentFile, path: Path) -> None:
    """References between sections: ids that must exist, ids that must be unique."""
    shift_ids = set(spec.shifts)
    staff_ids: dict[str, int] = {}
    for i, person in enumerate(spec.staff):
        if person.id in staff_ids:
            first = staff_ids[person.id]
            raise InputError(
                f"staff id {person.id!r} appears twice (also staff[{first}]); expected every id to be unique",
                path=path, where=f"staff[{i}].id",
            )
        staff_ids[person.id] = i
        for sid in person.max_per_shift:
            if sid not in shift_ids:
                raise _unknown("shift", sid, f"staff[{i}] (id {person.id}).max_per_shift.{sid}", shift_ids, path)
    known_staff = set(staff_ids)
    for sid, shift in spec.shifts.items():
        for other in shift.not_followed_by:
            if other not in shift_ids:
                raise _unknown("shift", other, f"shifts.{sid}.not_followed_by", shift_ids, path)
    for i, req in enumerate(spec.requests):
        if req.staff not in known_staff:
            raise _unknown("staff", req.staff, f"requests[{i}].staff", known_staff, path)
        if req.shift is not None and req.shift not in shift_ids:
            raise _unknown("shift", req.shift, f"requests[{i}] (staff {req.staff}).shift", shift_ids, path)
    for i, demand in enumerate(spec.demand):
        if demand.shift not in shift_ids:
            raise _unknown("shift", demand.shift, f"demand[{i}].shift", shift_ids, path)
    for sid in spec.history.shifts:
        if sid not in known_staff:
            raise _unknown("staff", sid, f"history.shifts.{sid}", known_staff, path)
        for j, cell in enumerate(spec.history.shifts[sid]):
            if cell != "-" and cell not in shift_ids:
                raise _unknown("shift", cell, f"history.shifts.{sid}[{j}] ('-' is a day off)", shift_ids, path)
    for sid in spec.history.counts:
        if sid not in known_staff:
            raise _unknown("staff", sid, f"history.counts.{sid}", known_staff, path)
    for approver in spec.department.approvers:
        if approver not in known_staff:
            raise _unknown("staff", approver, "department.approvers", known_staff, path)
    _check_staffable(spec, path)


def _check_staffable(spec: DepartmentFile, path: Path) -> None:
    """A shift that needs people nobody may work, or a skill nobody has, is a file error (R-COVER).

    The solver would only say "infeasible"; the file can say which key is wrong.
    """
    for sid, shift in spec.shifts.items():
        allowed = [p for p in spec.staff if p.max_per_shift.get(sid) != 0]
        levels = [getattr(shift.cover, t) for t in type(shift.cover).model_fields]
        needs = any(lv is not None and lv.min > 0 for lv in levels)
        needs = needs or any(d.shift == sid and d.min > 0 for d in spec.demand)
        if needs and not allowed:
            raise InputError(
                f"shift {sid!r} needs people (cover min above 0) but nobody may work it: every person has "
                f"max_per_shift.{sid} = 0; expected at least one person allowed on it, or min = 0",
                path=path, where=f"shifts.{sid}.cover",
            )
        for i, sc in enumerate(shift.skill_cover):
            if not sc.day_types:
                continue
            holders = [p.id for p in allowed if sc.skill in p.skills]
            if len(holders) >= sc.min:
                continue
            skills = sorted({s for p in spec.staff for s in p.skills})
            anyone = [p.id for p in spec.staff if sc.skill in p.skills]
            if not anyone:
                close = difflib.get_close_matches(sc.skill, skills, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                why = f"nobody has the skill {sc.skill!r}{hint} (skills in [[staff]]: {', '.join(skills) or 'none'})"
            else:
                why = (f"only {len(holders)} person(s) with skill {sc.skill!r} may work {sid} "
                       f"({', '.join(holders) or 'none'}), {sc.min} needed on one shift")
            raise InputError(why, path=path, where=f"shifts.{sid}.skill_cover[{i}].skill")


# -- the department -------------------------------------------------------------------------------
def department_path(target: Path) -> Path:
    """Accept a department folder or its ``department.toml``."""
    return target / DEPARTMENT_FILE if target.is_dir() else target


def load_department(
    target: Path, *, extra_plugins: Sequence[tuple[str, object]] = ()
) -> tuple[Department, pluggy.PluginManager]:
    """Load and validate a department, with the plugins it names."""
    if not target.exists():
        raise InputError(
            f"no such folder or file; expected a department folder containing {DEPARTMENT_FILE}", path=target
        )
    path = department_path(target)
    if not path.exists():
        raise InputError(f"no {DEPARTMENT_FILE} in this folder; expected a department folder", path=target)
    data = read_toml(path)
    raw_info = data.get("department")
    if not isinstance(raw_info, dict):
        raise InputError(
            "required table [department] is missing; expected [department] with at least name = \"...\"",
            path=path, where="department",
        )
    try:
        info = DepartmentInfo.model_validate(raw_info)
    except ValidationError as exc:
        raise validation_error(exc, path, raw_info, prefix="department", model=DepartmentInfo) from None
    dirs = [(path.parent / d).resolve() for d in info.plugin_dirs]
    pm = make_plugin_manager(info.plugins, dirs, department_file=path, extra=extra_plugins)

    owners: dict[str, tuple[str, type[BaseModel]]] = {}

    def stamp(item: tuple[str, type[BaseModel]], plugin: str) -> None:
        owners[item[0]] = (plugin, item[1])

    for name, _model in collect(
        pm, "register_config_sections", key=lambda item: item[0], what="config section",
        stamp=stamp,
    ):
        if name in DepartmentFile.model_fields:
            raise PluginError(f"plugin {owners[name][0]!r} claims the core section [{name}]")

    sections: dict[str, BaseModel] = {}
    core = {k: v for k, v in data.items() if k not in owners}
    for name, (plugin, model) in owners.items():
        if name in data:
            try:
                sections[name] = model.model_validate(data[name])
            except ValidationError as exc:
                note = f" (in the [{name}] section of plugin {plugin!r})"
                raise validation_error(exc, path, data[name], prefix=name, model=model, note=note) from None
    try:
        spec = DepartmentFile.model_validate(core)
    except ValidationError as exc:
        raise validation_error(exc, path, core, model=DepartmentFile, plugin_sections=sorted(owners)) from None
    _cross_check(spec, path)
    return Department(path=path, spec=spec, sections=sections), pm
