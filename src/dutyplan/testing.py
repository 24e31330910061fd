"""Test a rule in isolation, both ways: a pytest plugin for dutyplan and its plugin authors.

A rule has two faces that must agree: the constraints it adds to the model, and
the ``check`` that reads a finished roster. This module lets a test prove both
in a few readable lines (the shape of Timefold's ``ConstraintVerifier``):

* the **checker** catches a concrete, hand-written roster that breaks the rule,
  with the exact count, person, date and cost;
* the **solver** never returns a roster that breaks it, and for a soft rule the
  penalty it reports equals the checker's recomputation.

Installed with dutyplan, it is loaded by pytest through the ``pytest11`` entry
point, so its fixtures are available in any project's tests without a conftest.

Quickstart for plugin authors::

    import datetime as dt
    import my_plugin                                  # registers X-NIGHT-PAIR
    from dutyplan.testing import (
        assert_rule_catches, assert_rule_holds, problem_for, roster_from_grid, solve_department,
    )

    def test_night_pair(dutyplan_department):
        ws = dutyplan_department(
            {"shifts": {"night": {"cover": {"workday": {"min": 1}}}}},
            staff=3, shifts=["early", "night"], plugins=[my_plugin],
        )
        # The checker catches a hand-made roster (one row per person, one cell a day, '-' off).
        problem, rules = problem_for(ws, dt.date(2027, 1, 4), 3)
        roster = roster_from_grid(problem, {"E01": "night night -", "E02": "- night -"})
        assert_rule_catches(problem, rules, roster, "X-NIGHT-PAIR", count=1, date=dt.date(2027, 1, 4))
        # The solver never breaks it.
        problem, rules, result = solve_department(ws, dt.date(2027, 1, 4), 7)
        assert result.roster is not None
        assert_rule_holds(problem, "X-NIGHT-PAIR", result.roster, rules=rules)

To show that a hard rule *binds* (the solver would break it otherwise), ask
for exactly what it forbids with :func:`ask` (R-REQUEST wishes): at the
optimum the solver refuses a known number of them, so the objective is known,
and ``solve_department(..., exclude=["X-NIGHT-PAIR"])`` grants them all and the
checker catches the roster it returns. The tests in dutyplan's
``tests/rules/`` do this for every built-in rule.

:func:`plan_department` runs the whole ``plan`` pipeline instead (check,
solver/checker agreement, the ``roster_planned`` hook, optionally storing the
roster), for plugins that add data to a planned roster. A plugin package in a
plugins folder is tested through the department file, exactly as a manager
uses it: ``{"department": {"plugins": ["cashier"], "plugin_dirs": [path]}}``.

``dutyplan_department(overrides, staff=4, shifts=1, quiet=True, plugins=())``
writes ``department.toml`` in the test's ``tmp_path`` from
:func:`department_dict` (the overrides merged over small defaults) and returns
a loaded :class:`~dutyplan.planner.Workspace`. By default the department is
*quiet*: no fairness weights, no weekly-rest or hours rule, no charge for
people above a shift's preferred head count, R-MAX-CONSEC relaxed to 99 days
and a calendar without national holidays, so only the rules a test switches on
bind. Pass ``quiet=False`` for the schema's own defaults.

Installed dutyplan plugins are loaded as usual (entry point group
``dutyplan``) unless ``DUTYPLAN_NO_ENTRYPOINTS=1``; a plugin under test can
also be handed in directly with ``plugins=[module]``.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import pytest

if TYPE_CHECKING:
    from dutyplan.check import CheckReport
    from dutyplan.domain import Horizon, Problem
    from dutyplan.model.solve import SolveResult
    from dutyplan.planner import PlanOutcome, Workspace
    from dutyplan.roster import Roster
    from dutyplan.rules.base import Rule, Severity, Violation

# Heavy modules (OR-Tools, the holidays package) are imported inside the functions,
# so that loading this pytest plugin costs nothing in test runs that never use it.

__all__ = [
    "DEFAULT_SHIFTS",
    "DEFAULT_START",
    "DepartmentFactory",
    "ask",
    "assert_penalty_matches",
    "assert_rule_catches",
    "assert_rule_holds",
    "assert_solution_consistent",
    "day",
    "department_dict",
    "dutyplan_department",
    "make_department",
    "plan_department",
    "problem_for",
    "roster_from_grid",
    "select_rules",
    "solve_department",
    "violations_of",
]

DEFAULT_START = dt.date(2027, 1, 4)
"""A Monday in a month without Chinese public holidays: a week from here is Mon..Sun."""

DEFAULT_SHIFTS: dict[str, dict[str, Any]] = {
    "early": {"start": dt.time(7, 0), "end": dt.time(15, 0)},
    "late": {"start": dt.time(15, 0), "end": dt.time(23, 0)},
    "night": {"start": dt.time(23, 0), "end": dt.time(7, 0)},
}
"""Three back-to-back eight-hour shifts; ``night`` crosses midnight (a night shift for R-FAIR)."""

_BASE: dict[str, Any] = {
    "department": {"id": "test-desk", "name": "Test desk", "locale": "en", "timezone": "Asia/Shanghai"},
    "calendar": {"country": "none"},
}

_QUIET: dict[str, Any] = {
    "rules": {"max_consecutive_work": 99, "weekly_rest": False, "hours": {"mode": "off"}},
    "weights": {
        "coverage_over": 0, "fair_nights": 0, "fair_weekends": 0, "fair_holidays": 0, "fair_shifts": 0,
    },
}
"""Switches off what a department file can switch off (R-MAX-CONSEC cannot be: 99 days).

``coverage_over`` is 0 because a shift with no ``cover`` at all has a preferred
head count of 0, so every person on it would otherwise cost ``coverage_over``.
"""


def day(index: int, start: dt.date = DEFAULT_START) -> dt.date:
    """The ``index``-th day of a horizon (``day(0)`` is :data:`DEFAULT_START`)."""
    return start + dt.timedelta(days=index)


def ask(
    staff: str,
    kind: Literal["day_off", "shift_on", "shift_off"],
    days: Iterable[int],
    shift: str | None = None,
    weight: int | None = 10,
    start: dt.date = DEFAULT_START,
) -> list[dict[str, Any]]:
    """Requests (R-REQUEST) of one kind for several days of the horizon, for a department's ``requests``.

    Asking for exactly what a hard rule forbids is how a test shows the rule
    *binds*: at the optimum the solver must refuse a known number of requests,
    so the objective is ``weight`` times that number, and without the rule it is 0.
    """
    return [
        {"staff": staff, "date": day(i, start), "kind": kind, "shift": shift, "weight": weight} for i in days
    ]


# -- building a department -------------------------------------------------------------------------
def _merge(base: Any, over: Any) -> Any:
    """``over`` merged into a copy of ``base``: tables merge key by key, anything else is replaced."""
    if isinstance(base, Mapping) and isinstance(over, Mapping):
        merged = {k: copy.deepcopy(v) for k, v in base.items()}
        for key, value in over.items():
            merged[key] = _merge(merged[key], value) if key in merged else copy.deepcopy(value)
        return merged
    return copy.deepcopy(over)


def _drop_none(value: Any) -> Any:
    """TOML has no null: a ``None`` in the overrides means "leave this key out"."""
    if isinstance(value, Mapping):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


def _person(index: int, spec: Mapping[str, Any] | None = None) -> dict[str, Any]:
    person: dict[str, Any] = {"id": f"E{index:02d}", "name": f"Staff {index:02d}"}
    return _merge(person, spec or {})  # type: ignore[no-any-return]


def _staff(staff: int | Sequence[Mapping[str, Any]], override: Any) -> list[dict[str, Any]]:
    if isinstance(staff, int):
        people = [_person(i) for i in range(1, staff + 1)]
    else:
        people = [_person(i, spec) for i, spec in enumerate(staff, start=1)]
    if override is None:
        return people
    if isinstance(override, Mapping):  # {"E02": {...}}: merge into that person, or add them
        by_id = {p["id"]: p for p in people}
        for sid, spec in override.items():
            if sid in by_id:
                by_id[sid].update(_merge(by_id[sid], spec))
            else:
                people.append(_person(len(people) + 1, {"id": sid, **spec}))
        return people
    return [_person(i, spec) for i, spec in enumerate(override, start=1)]  # a list replaces the staff


def department_dict(
    overrides: Mapping[str, Any] | None = None,
    *,
    staff: int | Sequence[Mapping[str, Any]] = 4,
    shifts: int | Sequence[str] = 1,
    quiet: bool = True,
) -> dict[str, Any]:
    """A department file as a dict: small defaults with ``overrides`` merged over them.

    ``staff`` is a head count (``E01``, ``E02``, ...) or a list of partial staff
    entries (ids and names filled in). ``shifts`` is how many of
    :data:`DEFAULT_SHIFTS` to use, or their names. In ``overrides``, tables merge
    key by key (``{"shifts": {"early": {"cover": ...}}}`` adds coverage to the
    default early shift), lists replace, and ``staff`` may also be a mapping
    from person id to the keys to change for that person (unknown ids are added).
    """
    names = list(DEFAULT_SHIFTS)[:shifts] if isinstance(shifts, int) else list(shifts)
    base: dict[str, Any] = _merge(_BASE, _QUIET) if quiet else copy.deepcopy(_BASE)
    base["shifts"] = {name: copy.deepcopy(DEFAULT_SHIFTS.get(name, {})) for name in names}
    over = dict(overrides or {})
    people = _staff(staff, over.pop("staff", None))
    data: dict[str, Any] = _merge(base, over)
    data["staff"] = people
    return _drop_none(data)  # type: ignore[no-any-return]


def make_department(
    folder: Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    staff: int | Sequence[Mapping[str, Any]] = 4,
    shifts: int | Sequence[str] = 1,
    quiet: bool = True,
    plugins: Sequence[object] = (),
) -> Workspace:
    """Write ``folder/department.toml`` from :func:`department_dict` and load it as a Workspace.

    The file goes through the real loader (schema validation, cross-checks,
    plugin sections), so a typo in a test's overrides fails the same way it
    would for a manager. ``plugins`` are modules (or objects) with
    ``@hookimpl`` functions, registered after the built-in ones.
    """
    import tomli_w

    from dutyplan.config.load import DEPARTMENT_FILE, load_department
    from dutyplan.planner import Workspace
    from dutyplan.store import RosterStore

    folder.mkdir(parents=True, exist_ok=True)
    data = department_dict(overrides, staff=staff, shifts=shifts, quiet=quiet)
    (folder / DEPARTMENT_FILE).write_text(tomli_w.dumps(data), encoding="utf-8")
    extra = [(getattr(p, "__name__", type(p).__name__), p) for p in plugins]
    department, pm = load_department(folder, extra_plugins=extra)
    store = RosterStore(department.directory, [p.id for p in department.staff], department.timezone)
    return Workspace(department, pm, store)


# -- problems and solving -------------------------------------------------------------------------
def _horizon(ws: Workspace, start: dt.date | str, days: int | None) -> Horizon:
    if isinstance(start, str):
        return ws.horizon(start, None, None)
    return ws.horizon(None, start, days)


def problem_for(
    ws: Workspace,
    start: dt.date | str = DEFAULT_START,
    days: int | None = 7,
    *,
    locked: Mapping[tuple[str, dt.date], str | None] | None = None,
) -> tuple[Problem, list[Rule]]:
    """The problem for a horizon and the rules that apply to it, without solving.

    ``start`` is a date (with ``days``) or a month like ``"2027-01"`` (a calendar
    month: contract limits are not pro-rated).
    """
    problem = ws.problem(_horizon(ws, start, days), dict(locked) if locked else None)
    return problem, ws.rules(problem)


def select_rules(rules: Sequence[Rule], rule: str) -> list[Rule]:
    """The rules whose ``id`` or ``key`` is ``rule``; an AssertionError when none applies.

    Failing loudly matters: a test that checks a rule that was never registered
    (a setting that did not switch it on) would otherwise pass vacuously.
    """
    chosen = [r for r in rules if rule in (r.id, r.key)]
    if not chosen:
        active = ", ".join(sorted({r.key for r in rules})) or "none"
        raise AssertionError(f"rule {rule!r} does not apply to this problem (active rules: {active})")
    return chosen


def solve_department(
    ws: Workspace,
    start: dt.date | str = DEFAULT_START,
    days: int | None = 7,
    time_limit: float = 5,
    workers: int = 1,
    seed: int = 0,
    *,
    locked: Mapping[tuple[str, dt.date], str | None] | None = None,
    exclude: Iterable[str] = (),
) -> tuple[Problem, list[Rule], SolveResult]:
    """Solve a horizon of ``ws`` with :func:`dutyplan.model.solve.solve`: (problem, rules, result).

    One worker and a fixed seed keep tiny models deterministic. ``exclude``
    drops rules by id or key, to show what the solver does *without* a rule
    (that the rule binds). The returned rules are the ones solved with.
    """
    from dutyplan.model.solve import SolveOptions, solve

    problem, rules = problem_for(ws, start, days, locked=locked)
    dropped = set(exclude)
    for rule in dropped:
        select_rules(rules, rule)
    rules = [r for r in rules if r.id not in dropped and r.key not in dropped]
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    return problem, rules, solve(problem, rules, options, rules_for=ws.rules)


def plan_department(
    ws: Workspace,
    start: dt.date | str = DEFAULT_START,
    days: int | None = 7,
    time_limit: float = 5,
    workers: int = 1,
    seed: int = 0,
    *,
    write: bool = False,
    formats: Sequence[str] = (),
) -> PlanOutcome:
    """The whole ``dutyplan plan`` pipeline for a horizon of ``ws``: solve, check, hooks, and maybe store.

    Unlike :func:`solve_department` this is what a manager's ``plan`` does: the
    roster is checked by every rule and solver and checker must agree (a
    disagreement raises :class:`~dutyplan.errors.ConsistencyError`), and the
    ``roster_planned`` hook runs, so a plugin that adds data to the roster
    there (inspection rounds on the duty log, say) can be tested. With
    ``write`` the roster is stored in the department folder (under the test's
    ``tmp_path``) with the given export ``formats``.
    """
    from dutyplan.model.solve import SolveOptions
    from dutyplan.planner import plan

    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    return plan(ws, _horizon(ws, start, days), options, write=write, formats=tuple(formats))


# -- rosters by hand ------------------------------------------------------------------------------
def roster_from_grid(problem: Problem, grid: Mapping[str, str], *, strict: bool = True) -> Roster:
    """A roster from one line per person: shift ids by day separated by spaces, ``-`` off.

    ``"early+late"`` puts two shifts on one day (to test R-ONE-SHIFT). People
    not in ``grid`` are off all horizon. With ``strict`` (the default) an
    unknown person or shift id, or a line of the wrong length, is a ValueError:
    a typo in a test should not become a day off.
    """
    from dutyplan.domain import OFF
    from dutyplan.roster import Assignment, Roster

    horizon = problem.horizon
    known_shifts = set(problem.shift_ids)
    assignments: list[Assignment] = []
    for staff, line in grid.items():
        cells = line.split()
        if strict and staff not in problem.staff_ids:
            raise ValueError(f"unknown staff id {staff!r} (expected one of {', '.join(problem.staff_ids)})")
        if len(cells) != horizon.days:
            raise ValueError(f"{staff}: {len(cells)} cells for a horizon of {horizon.days} days")
        for date, cell in zip(horizon.dates, cells, strict=True):
            if cell == OFF:
                continue
            for shift in cell.split("+"):
                if strict and shift not in known_shifts:
                    raise ValueError(f"{staff} on {date}: unknown shift id {shift!r}")
                assignments.append(Assignment(date, staff, shift))
    return Roster(problem.department.slug, horizon.start, horizon.days, sorted(assignments))


# -- assertions ---------------------------------------------------------------------------------------
def violations_of(rule: str, problem: Problem, rules: Sequence[Rule], roster: Roster) -> list[Violation]:
    """What the rules with id or key ``rule`` report for ``roster`` (checker only, no solver)."""
    found: list[Violation] = []
    for r in select_rules(rules, rule):
        found.extend(r.check(roster, problem))
    return found


def _listing(violations: Sequence[Violation]) -> str:
    return "\n  ".join(f"{v} [staff={v.staff} date={v.date} shift={v.shift} {v.severity}]" for v in violations)


def _roster_problem(ws: Workspace, roster: Roster) -> Problem:
    """The problem of ``ws`` for the roster's horizon (a calendar month when it covers one)."""
    from dutyplan.calendar import month_bounds

    month = f"{roster.start:%Y-%m}"
    whole_month = roster.start.day == 1 and month_bounds(month)[1] == roster.days
    horizon = ws.horizon(month, None, None) if whole_month else ws.horizon(None, roster.start, roster.days)
    return ws.problem(horizon)


def _default_rules(problem: Problem) -> list[Rule]:
    """Built-in rules plus the plugins the department file names (not those handed in by code)."""
    from dutyplan.check import collect_rules
    from dutyplan.plugins import make_plugin_manager

    dept = problem.department
    info = dept.spec.department
    dirs = [(dept.directory / d).resolve() for d in info.plugin_dirs]
    return collect_rules(make_plugin_manager(info.plugins, dirs, department_file=dept.path), problem)


def assert_rule_holds(
    target: Workspace | Problem,
    rule: str,
    roster: Roster,
    *,
    rules: Sequence[Rule] | None = None,
    hard_only: bool = False,
) -> None:
    """Assert that ``roster`` breaks no part of ``rule`` (an id like ``R-REST`` or a key).

    ``target`` is a Workspace (the problem is rebuilt for the roster's horizon)
    or a Problem (with ``rules``; without them the built-in rules and the
    plugins the department file names are collected afresh). ``hard_only``
    ignores soft violations and warnings, for a solved roster that may trade a
    soft cost away.
    """
    from dutyplan.domain import Problem

    if isinstance(target, Problem):
        problem = target
        if rules is None:
            rules = _default_rules(problem)
    else:
        problem = _roster_problem(target, roster)
        if rules is None:
            rules = target.rules(problem)
    found = violations_of(rule, problem, rules, roster)
    if hard_only:
        found = [v for v in found if v.severity == "hard"]
    if found:
        raise AssertionError(f"{rule} is broken {len(found)} time(s):\n  {_listing(found)}")


def assert_rule_catches(
    problem: Problem,
    rules: Sequence[Rule],
    roster: Roster,
    rule: str,
    count: int | None = None,
    staff: str | None = None,
    date: dt.date | None = None,
    *,
    shift: str | None = None,
    cost: int | None = None,
    severity: Severity | None = None,
    message: str | None = None,
) -> list[Violation]:
    """Assert the checker of ``rule`` reports violations in ``roster``, and return them.

    ``staff``, ``date``, ``shift``, ``severity`` and ``message`` (a substring)
    filter the violations; ``count`` is then their exact number (at least one
    when not given) and ``cost`` the exact sum of their costs.
    """
    everything = violations_of(rule, problem, rules, roster)
    found = [
        v for v in everything
        if (staff is None or v.staff == staff)
        and (date is None or v.date == date)
        and (shift is None or v.shift == shift)
        and (severity is None or v.severity == severity)
        and (message is None or message in v.message)
    ]
    wanted = ", ".join(
        f"{k}={v}" for k, v in
        (("staff", staff), ("date", date), ("shift", shift), ("severity", severity), ("message", message))
        if v is not None
    ) or "any"
    listing = _listing(everything) or "(none)"
    if count is None and not found:
        raise AssertionError(f"{rule} reports nothing matching {wanted}; all it reports:\n  {listing}")
    if count is not None and len(found) != count:
        raise AssertionError(
            f"{rule}: expected {count} violation(s) matching {wanted}, found {len(found)}; "
            f"all it reports:\n  {listing}"
        )
    if cost is not None and sum(v.cost for v in found) != cost:
        raise AssertionError(
            f"{rule}: expected a cost of {cost}, the checker says {sum(v.cost for v in found)}:\n  {listing}"
        )
    return found


def assert_solution_consistent(problem: Problem, rules: Sequence[Rule], result: SolveResult) -> CheckReport:
    """A solved roster exists, passes every hard rule, and solver and checker agree on every cost."""
    from dutyplan.check import assert_consistent, check_roster

    if result.roster is None or result.objective is None:
        raise AssertionError(f"no roster was found (status {result.status}, conflicts {result.conflicts})")
    report = check_roster(result.roster, problem, rules)
    assert_consistent(result.penalty_by_rule, result.objective, report)
    return report


def assert_penalty_matches(problem: Problem, rules: Sequence[Rule], result: SolveResult, rule: str) -> int:
    """The solver's penalty for rule id ``rule`` equals the checker's recomputed cost; returns it."""
    if result.roster is None:
        raise AssertionError(f"no roster was found (status {result.status})")
    chosen = select_rules(rules, rule)
    rule_id = chosen[0].id
    checker = sum(v.cost for v in violations_of(rule_id, problem, rules, result.roster))
    solver = result.penalty_by_rule.get(rule_id, 0)
    if solver != checker:
        raise AssertionError(f"{rule_id}: the solver's penalty is {solver}, the checker recomputes {checker}")
    return checker


# -- pytest fixtures --------------------------------------------------------------------------------
class DepartmentFactory(Protocol):
    """The ``dutyplan_department`` fixture: makes a department in the test's tmp_path."""

    def __call__(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        staff: int | Sequence[Mapping[str, Any]] = 4,
        shifts: int | Sequence[str] = 1,
        quiet: bool = True,
        plugins: Sequence[object] = (),
    ) -> Workspace: ...


@pytest.fixture
def dutyplan_department(tmp_path: Path) -> DepartmentFactory:
    """A factory: ``dutyplan_department({...}, staff=3, shifts=2)`` -> a loaded Workspace.

    Each call writes a new department folder under ``tmp_path`` (never in the
    project), so one test may build several.
    """
    counter = itertools.count(1)

    def make(
        overrides: Mapping[str, Any] | None = None,
        *,
        staff: int | Sequence[Mapping[str, Any]] = 4,
        shifts: int | Sequence[str] = 1,
        quiet: bool = True,
        plugins: Sequence[object] = (),
    ) -> Workspace:
        folder = tmp_path / f"department-{next(counter)}"
        return make_department(folder, overrides, staff=staff, shifts=shifts, quiet=quiet, plugins=plugins)

    return make
