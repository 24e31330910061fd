"""Every hook a dutyplan plugin can implement, in one flat module.

Built-in rules and exporters use these same hooks (see ``dutyplan.plugins.BUILTINS``):
the core has no back door. Hooks that collect things receive a ``register``
callback rather than returning values, so the core can stamp the owning plugin
on each item and reject clashes with a message that names both plugins.

Implement a hook with ``from dutyplan import hookimpl``. A function decorated
with ``@hookimpl`` whose name matches none of these specs is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click
    from pydantic import BaseModel

    from dutyplan.domain import Department, Horizon, Problem
    from dutyplan.export.base import Exporter
    from dutyplan.roster import Roster
    from dutyplan.rules.base import Rule, Violation

hookspec = pluggy.HookspecMarker("dutyplan")


@hookspec
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    """Declare the plugin's own top-level section of the department file.

    Call ``register(name, Model)`` with a pydantic model; the section ``[name]``
    is validated by it (unknown keys are errors naming file and key) and is
    available to rules as ``problem.department.section(name)``. Called once per
    department load; every implementation is called.
    """


@hookspec
def register_rules(register: Callable[[Rule], None], problem: Problem) -> None:
    """Contribute the rules that apply to ``problem``.

    Call ``register(rule)`` once per rule object. The same objects build the
    model, check rosters and validate swaps. Every implementation is called; two
    rules with the same ``key`` from different plugins are an error.
    """


@hookspec
def check_roster(roster: Roster, problem: Problem) -> list[Violation] | None:
    """Extra checks of a concrete roster that have no part in the model (e.g. data sanity).

    Return a list of violations (or None). Every implementation is called and
    the lists are concatenated.
    """


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Contribute export formats (``csv``, ``html``...): call ``register(exporter)``.

    Every implementation is called; a format name registered twice is an error.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``dutyplan`` command line (``cli.add_command(...)``).

    Called once when the CLI starts, for the built-in plugins and those
    installed through the ``dutyplan`` entry point group (a department's
    plugin files are loaded only with the department, too late to add commands).
    """


@hookspec
def roster_planned(roster: Roster, problem: Problem) -> None:
    """Called after a roster was solved and checked, before it is written.

    A plugin may add its own data to ``roster.extras[plugin_name]``. Every
    implementation is called.
    """


@hookspec
def register_point_rules(register: Callable[[Any], None]) -> None:
    """Contribute point rules (P-*): each maps ledger events to A/B/C grade points.

    Call ``register(point_rule)``; see ``dutyplan.ledger.points`` for the
    interface. Every implementation is called; a rule id registered twice is an
    error naming both plugins.
    """


@hookspec(firstresult=True)
def may_approve(approver: str, request: Any, problem: Problem) -> bool | None:
    """Decide whether ``approver`` may approve ``request``.

    ``request`` is what is being decided: a swap or leave request file, a
    manual ledger event (``points add``) or a ledger entry being reversed.

    Stops at the first non-None result. The built-in default (``trylast``)
    allows the people listed in ``department.approvers``.
    """


@hookspec
def roster_revised(old: Roster, new: Roster, problem: Problem, changed: list[str]) -> None:
    """Called after a new revision superseded ``old`` (R-REVISE).

    ``changed`` lists the staff ids whose schedule changed; a plugin may notify
    them (e-mail, chat). Every implementation is called.
    """


@hookspec
def register_absences(register: Callable[[str, dt.date, str], None], department: Department, horizon: Horizon) -> None:
    """Days people cannot work beyond what the department file says (approved leave requests...).

    Call ``register(staff_id, date, reason)`` for each day in the horizon.
    Every implementation is called. The days count as unavailable for every
    rule (R-AVAILABLE, duty, fairness pools) and as leave for contract minimums.
    """
