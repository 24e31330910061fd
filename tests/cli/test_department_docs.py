"""docs/department-file.md cannot drift from the schema: every model, every key, every default, every rule id.

The reference has one table per schema model, introduced by ``<!-- model: Name -->``.
Each table must list exactly the model's fields, show the model's default for
scalar fields, and cite in its *rule* column only rule ids that built-in rules
report. Its complete example must load and plan.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

import dutyplan.config.schema as schema
from dutyplan.model.solve import SolveOptions
from dutyplan.planner import Workspace, plan

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "department-file.md"
RULES = ROOT / "src" / "dutyplan" / "rules"

MODELS = {
    name: obj for name, obj in vars(schema).items()
    if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == schema.__name__
    and obj is not schema.Strict
}


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    body = text.split("<!-- models -->", 1)[1].split("<!-- end-models -->", 1)[0]
    parts = re.split(r"<!-- model: (\w+) -->", body)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _rows(section: str) -> dict[str, list[str]]:
    """The first table of a section: key -> its cells (key, type, default, rule, meaning)."""
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"^\| `(\w+)` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [match[1], *(c.strip() for c in match[2].split(" | "))]
        elif rows and not line.startswith("|"):
            break
    return rows


def _toml(value: Any) -> str | None:
    """How a scalar default is written in the table; None for defaults the table describes in words."""
    if value is PydanticUndefined:
        return "required"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if isinstance(value, (int, float)):
        return f"`{value}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return None


def test_every_schema_model_has_its_table() -> None:
    assert set(_sections()) == set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_table_lists_exactly_the_fields(name: str) -> None:
    rows = _rows(_sections()[name])
    assert rows, f"no table for {name}"
    assert list(rows) == list(MODELS[name].model_fields), f"{name}: keys differ from the schema (or their order)"
    for key, cells in rows.items():
        assert len(cells) == 5, f"{name}.{key}: expected 5 columns, found {cells}"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_scalar_defaults_match_the_schema(name: str) -> None:
    rows = _rows(_sections()[name])
    for key, field in MODELS[name].model_fields.items():
        default = PydanticUndefined if field.is_required() else field.default
        shown = _toml(default) if field.default_factory is None else None
        if shown is not None:
            assert rows[key][2].startswith(shown), f"{name}.{key}: default {rows[key][2]!r}, schema says {shown}"


def _reported_rule_ids() -> set[str]:
    ids: set[str] = set()
    for path in RULES.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        ids.update(re.findall(r'\bid = "(R-[A-Z0-9-]+)"', text))
        ids.update(re.findall(r'rule_id="(R-[A-Z0-9-]+)"', text))
        ids.update(re.findall(r'self\.id = "(R-[A-Z0-9-]+)"', text))
    return ids


def test_rule_column_cites_rules_that_exist() -> None:
    known = _reported_rule_ids()
    assert {"R-COVER", "R-REST", "R-CONTRACT", "R-FAIR"} <= known
    cited: set[str] = set()
    for name, section in _sections().items():
        for key, cells in _rows(section).items():
            ids = set(re.findall(r"R-[A-Z0-9-]+", cells[3]))
            assert ids or cells[3] == "—", f"{name}.{key}: rule column {cells[3]!r}"
            cited |= ids
    assert cited <= known, f"unknown rule ids in the rule column: {sorted(cited - known)}"
    text = DOC.read_text(encoding="utf-8")
    overview = {m for m in re.findall(r"^\| (R-[A-Z0-9-]+) \|", text, re.M)}
    assert overview == known, f"the overview table of rule ids differs: {sorted(overview ^ known)}"


def test_day_types_and_fallbacks_are_documented() -> None:
    from dutyplan.domain import _COVER_FALLBACK

    text = DOC.read_text(encoding="utf-8").split("## Day types and coverage fallbacks", 1)[1]
    for day_type, order in _COVER_FALLBACK.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{day_type}` |"))
        fallback = row.rstrip(" |").rsplit("|", 1)[1]
        assert re.findall(r"`(\w+)`", fallback) == list(order), f"{day_type}: {fallback!r} vs {order}"


def _example(tmp_path: Path) -> Path:
    text = DOC.read_text(encoding="utf-8").split("<!-- example -->", 1)[1]
    toml = re.search(r"```toml\n(.*?)```", text, re.S)
    assert toml
    folder = tmp_path / "my-desk"
    folder.mkdir()
    (folder / "department.toml").write_text(toml[1], encoding="utf-8")
    return folder


def test_the_complete_example_loads_uses_every_section_and_plans(tmp_path: Path) -> None:
    ws = Workspace.open(_example(tmp_path))
    spec = ws.department.spec
    for section in schema.DepartmentFile.model_fields:
        assert section in spec.model_fields_set, f"the example has no [{section}]"
    assert spec.calendar.override and spec.history.shifts and spec.demand
    horizon = ws.horizon(None, dt.date(2027, 3, 1), 7)
    outcome = plan(ws, horizon, SolveOptions(time_limit=10, workers=2, seed=1), write=False)
    assert outcome.report.ok
