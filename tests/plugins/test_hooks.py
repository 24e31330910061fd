"""Every hook in ``dutyplan.hookspecs`` has a test here and a section in docs/plugins.md.

The two meta-tests at the end keep it so: a hook added to hookspecs.py fails
them until it has a ``test_hook_<name>`` in this module and its exact
signature in the plugin docs (datasette's habit). Each hook test goes through
the code path that calls the hook in real use, with a small plugin object.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ConfigDict

from dutyplan import hookimpl, hookspecs
from dutyplan.domain import Problem
from dutyplan.errors import InputError, PluginError
from dutyplan.export.base import Exporter
from dutyplan.model.context import ModelContext
from dutyplan.plugins import known_hooks, make_plugin_manager
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation
from dutyplan.testing import (
    DepartmentFactory,
    ask,
    assert_rule_catches,
    day,
    plan_department,
    problem_for,
    roster_from_grid,
    solve_department,
)

from .support import ROOT, uses

DOCS = ROOT / "docs" / "plugins.md"


class _Quiet(Rule):
    id = "X-QUIET"
    title = "A rule that asks nothing"

    def build(self, ctx: ModelContext) -> None:
        pass

    def check(self, roster: Roster, problem: Problem) -> Iterator[Violation]:
        return iter(())

    def describe(self, locale: str = "en") -> str:
        return "nothing"


# -- one test per hook ------------------------------------------------------------------------------
def test_hook_register_config_sections(dutyplan_department: DepartmentFactory) -> None:
    """The section is validated by the plugin's model (strictly) and handed to rules as a model."""

    class Section(BaseModel):
        model_config = ConfigDict(extra="forbid")
        level: int = 1

    class Plugin:
        @hookimpl
        def register_config_sections(self, register: Callable[[str, type[BaseModel]], None]) -> None:
            register("sample", Section)

    ws = dutyplan_department({"sample": {"level": 3}}, plugins=[Plugin()])
    assert ws.department.section("sample") == Section(level=3)
    with pytest.raises(InputError) as caught:
        dutyplan_department({"sample": {"levl": 3}}, plugins=[Plugin()])
    assert "sample.levl: unknown key 'levl'; did you mean 'level'?" in str(caught.value)
    assert "plugin 'Plugin'" in str(caught.value)
    with pytest.raises(InputError, match="unknown section 'sample'"):
        dutyplan_department({"sample": {"level": 3}})


def test_hook_register_rules(dutyplan_department: DepartmentFactory) -> None:
    """Rules are stamped with their plugin; a key registered twice names both plugins."""

    class Plugin:
        @hookimpl
        def register_rules(self, register: Callable[[Rule], None], problem: Problem) -> None:
            register(_Quiet())

    ws = dutyplan_department(plugins=[Plugin()])
    _problem, rules = problem_for(ws, day(0), 1)
    assert [r.plugin for r in rules if r.id == "X-QUIET"] == ["Plugin"]

    class Twin:
        @hookimpl
        def register_rules(self, register: Callable[[Rule], None], problem: Problem) -> None:
            register(_Quiet())

    ws = dutyplan_department(plugins=[Plugin(), Twin()])
    with pytest.raises(PluginError, match="rule 'X-QUIET' is registered by both"):
        problem_for(ws, day(0), 1)


def test_hook_check_roster(dutyplan_department: DepartmentFactory) -> None:
    """Extra checks outside the model: their violations join the report of ``check``."""

    class Plugin:
        @hookimpl
        def check_roster(self, roster: Roster, problem: Problem) -> list[Violation]:
            return [Violation("X-DATA", f"{len(roster.assignments)} assignments", "warning")]

    ws = dutyplan_department(staff=2, plugins=[Plugin()])
    problem, rules = problem_for(ws, day(0), 2)
    report = ws.check(roster_from_grid(problem, {"E01": "early early"}), problem, rules)
    assert [str(v) for v in report.warnings] == ["[X-DATA] 2 assignments"]


def test_hook_register_exporters(dutyplan_department: DepartmentFactory, tmp_path: Path) -> None:
    class Count(Exporter):
        name = "count"
        description = "the number of shifts"
        default_name = "count.txt"

        def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
            target.write_text(str(len(roster.assignments)), encoding="utf-8")
            return [target]

    class Plugin:
        @hookimpl
        def register_exporters(self, register: Callable[[Exporter], None]) -> None:
            register(Count())

    ws = dutyplan_department(staff=2, plugins=[Plugin()])
    assert ws.exporters()["count"].plugin == "Plugin"
    problem, _rules = problem_for(ws, day(0), 2)
    written = ws.export(roster_from_grid(problem, {"E02": "early -"}), problem, ("count",), tmp_path)
    assert [p.read_text(encoding="utf-8") for p in written] == ["1"]


def test_hook_register_commands() -> None:
    """Sub-commands of installed plugins join ``dutyplan``; the cashier plugin adds ``cashier tills``."""

    @click.command("hello")
    def hello() -> None:
        click.echo("hello from a plugin")

    class Plugin:
        @hookimpl
        def register_commands(self, cli: click.Group) -> None:
            cli.add_command(hello)

    from .support import load_plugin

    pm = make_plugin_manager(extra=[("Plugin", Plugin()), ("cashier", load_plugin("cashier"))])
    group = click.Group("dutyplan")
    pm.hook.register_commands(cli=group)
    assert {"hello", "cashier"} <= set(group.commands)
    assert CliRunner().invoke(group, ["hello"]).output == "hello from a plugin\n"


def test_hook_roster_planned(dutyplan_department: DepartmentFactory) -> None:
    """Called once a roster is solved and checked, before it is stored: its extras are stored too."""
    seen: list[int] = []

    class Plugin:
        @hookimpl
        def roster_planned(self, roster: Roster, problem: Problem) -> None:
            seen.append(roster.revision)
            roster.extras["sample"] = {"planned": True}

    ws = dutyplan_department(staff=1, plugins=[Plugin()])
    outcome = plan_department(ws, day(0), 1, write=True)
    assert seen == [0]  # before writing: not numbered yet
    assert ws.store.load(outcome.problem.horizon.label).extras["sample"] == {"planned": True}


def test_hook_register_point_rules(dutyplan_department: DepartmentFactory) -> None:
    """Point rules join the department's rule book, stamped with their plugin (the cashier plugin's here)."""
    from dutyplan.ledger.record import rule_book

    ws = dutyplan_department(uses("cashier", {"demand": [{"hours": "09:00-10:00", "tills": 1}]}))
    book = rule_book(ws)
    assert [r.key for r in book.rules if r.plugin == "cashier"] == ["P-CASHIER/till-difference"]
    assert "till-difference" in book.events and "till-difference" not in book.manual_events


def test_hook_may_approve(dutyplan_department: DepartmentFactory) -> None:
    """The first non-None answer wins; the built-in default (``department.approvers``) comes last."""

    class Plugin:
        @hookimpl
        def may_approve(self, approver: str, request: Any, problem: Problem) -> bool | None:
            return True if approver == "E03" else None

    ws = dutyplan_department({"department": {"approvers": ["E01"]}}, plugins=[Plugin()])
    problem, _rules = problem_for(ws, day(0), 1)
    answers = {sid: ws.pm.hook.may_approve(approver=sid, request=None, problem=problem) for sid in ("E01", "E02",
                                                                                                    "E03")}
    assert answers == {"E01": True, "E02": False, "E03": True}


def test_hook_roster_revised(dutyplan_department: DepartmentFactory) -> None:
    """Called when a new revision supersedes the old one, with the people whose days changed."""
    from dutyplan.swaps.revise import publish

    calls: list[tuple[int, int, list[str]]] = []

    class Plugin:
        @hookimpl
        def roster_revised(self, old: Roster, new: Roster, problem: Problem, changed: list[str]) -> None:
            calls.append((old.revision, new.revision, changed))

    ws = dutyplan_department({"swaps": {"exports": []}}, staff=3, plugins=[Plugin()])
    problem, _rules = problem_for(ws, day(0), 2)
    label = problem.horizon.label
    old = roster_from_grid(problem, {"E01": "early early", "E02": "- -", "E03": "early -"})
    ws.store.write_revision(label, old, reason="plan")
    new = roster_from_grid(problem, {"E01": "early early", "E02": "early -", "E03": "- -"})
    path = ws.store.write_revision(label, new, reason="swap")
    publish(ws, ws.store.load(label, 1), ws.store.load(label, 2), problem, path)
    assert calls == [(1, 2, ["E02", "E03"])]


def test_hook_register_absences(dutyplan_department: DepartmentFactory) -> None:
    """Days registered as absences make people unavailable for every rule, only inside the horizon."""
    class Plugin:
        @hookimpl
        def register_absences(self, register: Callable[[str, dt.date, str], None], department: Any,
                              horizon: Any) -> None:
            register("E01", day(0), "at a training course")
            register("E01", day(9), "outside the horizon")

    ws = dutyplan_department({"requests": ask("E01", "shift_on", [0, 1], "early")}, staff=2, plugins=[Plugin()])
    problem, rules, result = solve_department(ws, day(0), 2)
    assert result.roster is not None and result.objective == 10  # Monday's wish cannot be granted
    assert result.roster.shift_on("E01", day(0)) is None and result.roster.shift_on("E01", day(1)) == "early"
    assert problem.absences == {("E01", day(0)): "at a training course"}
    roster = roster_from_grid(problem, {"E01": "early early"})
    caught = assert_rule_catches(problem, rules, roster, "R-AVAILABLE", count=1, staff="E01")
    assert "at a training course" in caught[0].message


# -- the meta-tests ---------------------------------------------------------------------------------
def signature(name: str) -> str:
    """``def name(args) -> result`` exactly as hookspecs.py declares it, on one line."""
    source = inspect.getsource(getattr(hookspecs, name))
    found = re.search(r"^def .*?\) -> .*?:\s*$", source, re.S | re.M)
    assert found is not None, f"no signature found for {name}"
    return " ".join(found.group(0).split()).rstrip(":").replace("( ", "(").replace(" )", ")")


def test_every_hook_has_a_test() -> None:
    missing = [h for h in known_hooks() if f"test_hook_{h}" not in globals()]
    assert not missing, f"hooks without a test_hook_<name> in {__name__}: {', '.join(missing)}"


def test_every_hook_is_documented_with_its_exact_signature() -> None:
    docs = " ".join(DOCS.read_text(encoding="utf-8").split())
    undocumented = [h for h in known_hooks() if f"### `{h}`" not in docs]
    assert not undocumented, f"hooks without a '### `name`' section in docs/plugins.md: {undocumented}"
    wrong = [signature(h) for h in known_hooks() if signature(h) not in docs]
    assert not wrong, "signatures missing from docs/plugins.md (copy them from hookspecs.py):\n" + "\n".join(wrong)
    for hook in known_hooks():
        spec = getattr(hookspecs, hook).dutyplan_spec
        if spec.get("firstresult"):
            section = docs.split(f"### `{hook}`")[1].split("### ")[0]
            assert "first non-None" in section, f"{hook} stops at the first non-None result: say so in the docs"


def test_signature_reads_multi_line_declarations() -> None:
    assert signature("roster_revised") == (
        "def roster_revised(old: Roster, new: Roster, problem: Problem, changed: list[str]) -> None")
