"""``dutyplan plugins new NAME``: a plugin package that installs and passes its own test out of the box.

The scaffold is the shortest complete plugin: a ``pyproject.toml`` that
declares the ``dutyplan`` entry point (so an installed plugin is picked up by
every ``dutyplan`` command without configuration), one rule with the three
faces (build, check, describe), its own strictly validated section of the
department file, and a test written with :mod:`dutyplan.testing` that proves
the rule both ways. The rule applies only to departments whose file has the
plugin's section, so installing the plugin changes no other department.

Templates are :class:`string.Template` strings (``$package``...), so the
Python braces inside them need no escaping.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from string import Template

from dutyplan.errors import InputError

NAME = re.compile(r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*$")

PYPROJECT = Template('''\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "$distribution"
version = "0.1.0"
description = "A dutyplan plugin: $title."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["dutyplan"]

[project.optional-dependencies]
test = ["pytest>=8"]

# The entry point that makes dutyplan load the plugin: group "dutyplan", any name, the module.
[project.entry-points.dutyplan]
$package = "$package"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
''')

README = Template('''\
# $distribution

A dutyplan plugin: $title (rule `$rule_id`).

```sh
pip install -e .            # dutyplan now loads it for every department (`dutyplan plugins` lists it)
python -m pytest            # its tests, written with dutyplan.testing
```

It applies to a department whose `department.toml` has its section:

```toml
[$package]
shift = "early"       # the shift to cap
max_people = 2        # at most this many people on it each day
```

Edit `src/$package/__init__.py` to make the rule your own; see dutyplan's `docs/plugins.md`.
''')

PLUGIN = Template('''\
"""$title: at most ``max_people`` people on ``shift`` each day (rule $rule_id).

A dutyplan plugin, scaffolded by ``dutyplan plugins new $package``. It is loaded
through the ``dutyplan`` entry point in ``pyproject.toml``; its rule applies to
departments whose file has a ``[$package]`` section, read strictly (a misspelt
key is an error naming the key and this plugin).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.errors import InputError
from dutyplan.model.context import ModelContext
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

__version__ = "0.1.0"
SECTION = "$package"


class Settings(BaseModel):
    """``[$package]`` in the department file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    shift: str = "early"
    max_people: int = Field(default=2, ge=0)


class ShiftCap(Rule):
    """$rule_id: never more than ``max_people`` on the shift (hard)."""

    id = "$rule_id"
    title = "$title"

    def __init__(self, shift: str, max_people: int) -> None:
        self.shift, self.max_people = shift, max_people

    def build(self, ctx: ModelContext) -> None:
        si = ctx.shift_index[self.shift]
        for di, day in enumerate(ctx.dates):
            on = sum(ctx.x[pi][di][si] for pi in range(ctx.num_staff))
            ctx.add_hard(ctx.model.add(on <= self.max_people), self, f"{self.shift} {day:%m-%d}")

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        for day in problem.dates:
            people = roster.on(day, self.shift)
            if len(people) > self.max_people:
                yield self.violation(
                    f"{len(people)} people on {self.shift} on {day:%m-%d} ({', '.join(people)}), "
                    f"at most {self.max_people}",
                    date=day, shift=self.shift,
                )

    def describe(self, locale: str = "en") -> str:
        if locale == "zh":
            return f"{self.shift} 班每天最多 {self.max_people} 人。"
        return f"At most {self.max_people} people on {self.shift} each day."


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, Settings)


@hookimpl
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    settings = problem.department.section(SECTION)
    if settings is None:
        return  # not this department's plugin: its file has no [$package] section
    if settings.shift not in problem.department.shift_by_id:
        raise InputError(f"unknown shift id {settings.shift!r} (plugin {SECTION!r})",
                         path=problem.department.path, where=f"{SECTION}.shift")
    register(ShiftCap(settings.shift, settings.max_people))
''')

TEST = Template('''\
"""$rule_id both ways, with dutyplan.testing (its fixtures come with dutyplan through pytest11)."""

from __future__ import annotations

import pytest

import $package as plugin
from dutyplan.errors import InputError
from dutyplan.testing import (
    DepartmentFactory,
    ask,
    assert_rule_catches,
    assert_rule_holds,
    day,
    problem_for,
    roster_from_grid,
    solve_department,
)

SECTION = {"$package": {"shift": "early", "max_people": 1}}


def test_the_solver_keeps_the_cap_and_it_binds(dutyplan_department: DepartmentFactory) -> None:
    """Three people want the early shift on three days; the cap lets one have it each day."""
    wishes = [r for sid in ("E01", "E02", "E03") for r in ask(sid, "shift_on", range(3), "early")]
    ws = dutyplan_department({**SECTION, "requests": wishes}, staff=3, shifts=["early", "late"], plugins=[plugin])
    problem, rules, result = solve_department(ws, day(0), 3)
    assert result.roster is not None
    assert_rule_holds(problem, "$rule_id", result.roster, rules=rules)
    assert result.objective == 2 * 3 * 10  # two refused wishes a day, 10 each
    problem, rules, loose = solve_department(ws, day(0), 3, exclude=["$rule_id"])
    assert loose.objective == 0 and loose.roster is not None
    assert_rule_catches(problem, ws.rules(problem), loose.roster, "$rule_id", count=3)


def test_the_checker_catches_a_crowded_shift(dutyplan_department: DepartmentFactory) -> None:
    ws = dutyplan_department(SECTION, staff=3, shifts=["early", "late"], plugins=[plugin])
    problem, rules = problem_for(ws, day(0), 2)
    roster = roster_from_grid(problem, {"E01": "early early", "E02": "early -", "E03": "- late"})
    assert_rule_catches(problem, rules, roster, "$rule_id", count=1, date=day(0), shift="early")


def test_a_misspelt_key_names_the_key_and_the_plugin(dutyplan_department: DepartmentFactory) -> None:
    with pytest.raises(InputError) as caught:
        dutyplan_department({"$package": {"max_peple": 1}}, plugins=[plugin])
    assert "max_peple" in str(caught.value) and "plugin '$package'" in str(caught.value)
''')


def names(name: str) -> dict[str, str]:
    """``night-cap`` -> package ``night_cap``, distribution ``dutyplan-night-cap``, rule ``X-NIGHT-CAP``."""
    if not NAME.match(name):
        raise InputError(f"expected a plugin name of lower-case letters and digits, words joined by '_' or '-' "
                         f"(e.g. night_cap), found {name!r}", where="NAME")
    package = name.replace("-", "_")
    words = package.split("_")
    return {
        "package": package,
        "distribution": "dutyplan-" + "-".join(words),
        "rule_id": "X-" + "-".join(w.upper() for w in words),
        "title": " ".join(words).capitalize() + " cap",
    }


def scaffold(name: str, parent: Path) -> list[Path]:
    """Write the plugin package into ``parent/dutyplan-<name>/``; returns the files written."""
    values = names(name)
    if importlib.util.find_spec(values["package"]) is not None:
        raise InputError(f"a module named {values['package']!r} is already importable here; choose another name "
                         "(the plugin is imported by that name)", where="NAME")
    root = parent / values["distribution"]
    if root.exists():
        raise InputError("already exists; choose another name or folder", path=root)
    files = {
        root / "pyproject.toml": PYPROJECT,
        root / "README.md": README,
        root / "src" / values["package"] / "__init__.py": PLUGIN,
        root / "tests" / f"test_{values['package']}.py": TEST,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(values), encoding="utf-8")
    return list(files)
