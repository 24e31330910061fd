"""Small departments for the duty, meal and holiday-plan features, written as TOML in tmp_path."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from dutyplan.planner import Workspace

BASE: dict[str, Any] = {
    "department": {"name": "Test desk", "timezone": "Asia/Shanghai", "locale": "en", "approvers": []},
    "shifts": {
        "early": {"start": "07:00", "end": "15:00", "cover": {"workday": {"min": 1}}},
    },
    "rules": {"max_consecutive_work": 99, "weekly_rest": False, "hours": {"mode": "off"}},
    "weights": {"fair_nights": 0, "fair_weekends": 0, "fair_holidays": 0, "fair_shifts": 0, "coverage_over": 0},
    "calendar": {"country": "none"},
    "staff": [],
}


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture
def make_department(tmp_path: Path) -> Callable[..., Workspace]:
    counter = iter(range(1000))

    def make(extra: dict[str, Any], staff: int = 3, skills: list[str] | None = None) -> Workspace:
        data = merge(BASE, extra)
        if not data["staff"]:
            data["staff"] = [
                {"id": f"E{i:02d}", "name": f"Person {i}", "skills": list(skills or ["frontdesk"])}
                for i in range(1, staff + 1)
            ]
        folder = tmp_path / f"dept{next(counter)}"
        folder.mkdir()
        (folder / "department.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        return Workspace.open(folder)

    return make
