"""Read a department file into a validated :class:`~dutyplan.domain.Department`.

Every problem is reported as one :class:`~dutyplan.errors.InputError` naming the
file, the key (``staff[3].max_shifts``) or line, and what was expected.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from dutyplan.config.schema import DepartmentFile, DepartmentInfo
from dutyplan.domain import Department
from dutyplan.errors import InputError, PluginError
from dutyplan.plugins import collect, make_plugin_manager

DEPARTMENT_FILE = "department.toml"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML: {exc}", path=path) from None


def _key_path(loc: Sequence[int | str], data: Any) -> str:
    """``('staff', 3, 'max_shifts')`` -> ``staff[3].max_shifts`` (with the person's id when known)."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("id") or node[item].get("staff")
                if ident is not None:
                    label = f"[{item}] (id {ident})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def validation_error(exc: ValidationError, path: Path, data: Any, prefix: str = "") -> InputError:
    """The first pydantic error as a message naming file and key (all of them in ``details``)."""
    messages = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        key = (prefix + "." if prefix else "") + _key_path(loc, data) if loc else prefix or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (misspelt? see docs/department-file.md)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        else:
            msg = msg.removeprefix("Value error, ")
            if "input" in err and not isinstance(err["input"], (dict, list)):
                msg += f" (found {err['input']!r})"
        messages.append((key, msg))
    key, msg = messages[0]
    error = InputError(msg, path=path, where=key)
    if len(messages) > 1:
        error.message += "".join(f"\n{path}: {k}: {m}" for k, m in messages[1:])
        error.args = (error.message,)
    return error


def _cross_check(spec: DepartmentFile, path: Path) -> None:
    shift_ids = set(spec.shifts)
    staff_ids: set[str] = set()

    def unknown(kind: str, value: str, where: str, known: set[str]) -> InputError:
        return InputError(
            f"unknown {kind} id {value!r} (expected one of {', '.join(sorted(known))})",
            path=path, where=where,
        )

    for i, person in enumerate(spec.staff):
        if person.id in staff_ids:
            raise InputError(f"staff id {person.id!r} appears twice", path=path, where=f"staff[{i}].id")
        staff_ids.add(person.id)
        for sid in person.max_per_shift:
            if sid not in shift_ids:
                raise unknown("shift", sid, f"staff[{i}] (id {person.id}).max_per_shift", shift_ids)
    for sid, shift in spec.shifts.items():
        for other in shift.not_followed_by:
            if other not in shift_ids:
                raise unknown("shift", other, f"shifts.{sid}.not_followed_by", shift_ids)
    for i, req in enumerate(spec.requests):
        if req.staff not in staff_ids:
            raise unknown("staff", req.staff, f"requests[{i}].staff", staff_ids)
        if req.shift is not None and req.shift not in shift_ids:
            raise unknown("shift", req.shift, f"requests[{i}].shift", shift_ids)
    for i, demand in enumerate(spec.demand):
        if demand.shift not in shift_ids:
            raise unknown("shift", demand.shift, f"demand[{i}].shift", shift_ids)
    for sid in spec.history.shifts:
        if sid not in staff_ids:
            raise unknown("staff", sid, f"history.shifts.{sid}", staff_ids)
        for j, cell in enumerate(spec.history.shifts[sid]):
            if cell != "-" and cell not in shift_ids:
                raise unknown("shift", cell, f"history.shifts.{sid}[{j}] ('-' is a day off)", shift_ids)
    for sid in spec.history.counts:
        if sid not in staff_ids:
            raise unknown("staff", sid, f"history.counts.{sid}", staff_ids)
    for approver in spec.department.approvers:
        if approver not in staff_ids:
            raise unknown("staff", approver, "department.approvers", staff_ids)


def department_path(target: Path) -> Path:
    """Accept a department folder or its ``department.toml``."""
    return target / DEPARTMENT_FILE if target.is_dir() else target


def load_department(
    target: Path, *, extra_plugins: Sequence[tuple[str, object]] = ()
) -> tuple[Department, pluggy.PluginManager]:
    """Load and validate a department, with the plugins it names."""
    path = department_path(target)
    if not path.exists():
        raise InputError(
            f"no department file here (expected {DEPARTMENT_FILE} in the folder)", path=path
        )
    data = read_toml(path)
    raw_info = data.get("department")
    if not isinstance(raw_info, dict):
        raise InputError("required table [department] is missing", path=path, where="department")
    try:
        info = DepartmentInfo.model_validate(raw_info)
    except ValidationError as exc:
        raise validation_error(exc, path, raw_info, prefix="department") from None
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
                err = validation_error(exc, path, data[name], prefix=name)
                err.message += f" (section of plugin {plugin!r})"
                err.args = (err.message,)
                raise err from None
    try:
        spec = DepartmentFile.model_validate(core)
    except ValidationError as exc:
        raise validation_error(exc, path, core) from None
    _cross_check(spec, path)
    return Department(path=path, spec=spec, sections=sections), pm
