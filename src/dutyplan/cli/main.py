"""The ``dutyplan`` command line.

Exit codes: 0 success; 1 rule violations, an infeasible department or no
roster in time; 2 bad input (a message naming file and key, never a
traceback); 3 an internal inconsistency (a bug, reported loudly).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import pendulum
from rich.console import Console
from rich.markup import escape

from dutyplan import __version__
from dutyplan.calendar import next_month
from dutyplan.cli import output
from dutyplan.domain import Horizon
from dutyplan.errors import DutyplanError, InputError, RuleViolationError
from dutyplan.planner import DEFAULT_EXPORTS, Workspace, plan, solver_options
from dutyplan.plugins import known_hooks, make_plugin_manager, plugin_rows
from dutyplan.roster import Roster

DEPT = click.argument("department", type=click.Path(path_type=Path))


def horizon_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--horizon", "label", help="A stored horizon by its folder name, e.g. 2027-spring-festival "
                        "(a holiday plan).")(func)
    func = click.option("--days", type=int, help="Number of days from --start.")(func)
    func = click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day of an arbitrary horizon.")(func)
    func = click.option("--month", help="Calendar month, e.g. 2027-01, or 'next' (the default).")(func)
    return func


def _check_horizon_options(month: str | None, start: dt.datetime | None, days: int | None) -> None:
    """Contradictory horizon options are reported before the department is even read."""
    if month is not None and (start is not None or days is not None):
        given = " and ".join(name for name, value in (("--start", start), ("--days", days)) if value is not None)
        raise InputError(f"give either --month or --start/--days, not both (found --month and {given})",
                         where="--month")
    if start is not None and not 1900 <= start.year <= 2200:
        raise InputError(f"expected a date between 1900 and 2200, found {start:%Y-%m-%d}", where="--start")


def _horizon(ws: Workspace, month: str | None, start: dt.datetime | None, days: int | None,
             label: str | None = None) -> Horizon:
    if label is not None:
        return ws.stored_horizon(label)
    if start is not None or days is not None:
        return ws.horizon(None, start.date() if start else None, days)
    if month in (None, "next"):
        month = next_month(pendulum.now(ws.department.timezone).date())
    return ws.horizon(month, None, None)


def _open(department: Path, month: str | None, start: dt.datetime | None, days: int | None,
          label: str | None = None) -> tuple[Workspace, Horizon]:
    """The workspace and the horizon a command works on (options checked first, then the files)."""
    _check_horizon_options(month, start, days)
    if label is not None and (month or start or days):
        raise InputError("give --horizon alone, without --month, --start or --days", where="--horizon")
    ws = Workspace.open(department)
    return ws, _horizon(ws, month, start, days, label)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dutyplan")
def cli() -> None:
    """Shift and duty rosters for service departments, built by a constraint solver."""


@cli.command("plan")
@DEPT
@horizon_options
@click.option("--time-limit", type=float, default=10.0, show_default=True, help="Solver time limit in seconds.")
@click.option("--workers", type=int, default=0, help="Solver threads (0: chosen from the CPU count).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; with --workers 1 the result is reproducible.")
@click.option("--dry-run", is_flag=True, help="Solve and report, but write nothing.")
@click.option("--format", "formats", multiple=True, default=DEFAULT_EXPORTS, show_default=True,
              help="Exports to write beside the roster.")
@click.option("--replan-holidays", is_flag=True,
              help="Re-plan the days of published holiday plans too (by default they are kept, R-LOCK).")
@click.option("--keep-until", type=click.DateTime(["%Y-%m-%d"]),
              help="Re-planning a month: keep the current revision's days before this date (worked days, swaps).")
def plan_cmd(department: Path, month: str | None, start: dt.datetime | None, days: int | None,
             label: str | None,
             time_limit: float, workers: int, seed: int, dry_run: bool, formats: tuple[str, ...],
             replan_holidays: bool, keep_until: dt.datetime | None) -> None:
    """Build the roster for a month (or --start/--days) and write it as the next revision."""
    if label is not None:
        raise InputError("plan builds a month or --start/--days; re-plan a holiday with `dutyplan holiday-plan`",
                         where="--horizon")
    options = solver_options(time_limit, workers, seed)
    ws, horizon = _open(department, month, start, days, label)
    console = output.stdout_console()
    _warn_replan(ws, horizon, keep_until)
    with output.live_progress(time_limit) as progress:
        outcome = plan(ws, horizon, options, progress, write=not dry_run, formats=formats,
                       keep_plans=not replan_holidays, keep_until=keep_until.date() if keep_until else None)
    holiday = sorted({f"{p.start}..{p.dates[-1]} r{p.revision}" for p in outcome.problem.plans.values()
                      if p.kind == "holiday-plan"})
    if holiday:
        console.print(f"kept the published holiday plan days ({', '.join(holiday)}); --replan-holidays to change them")
    if keep_until:
        console.print(f"kept the current revision's days before {keep_until:%Y-%m-%d}")
    output.print_plan_summary(console, outcome.problem, outcome.result, outcome.report, outcome.rules)
    wall = outcome.result.build_seconds + outcome.result.solve_seconds
    if outcome.path is not None:
        console.print(f"roster revision {outcome.roster.revision} written to {outcome.path}")
        if outcome.exports:
            folder = outcome.exports[0].parent
            console.print(f"exports in {folder}: " + ", ".join(
                sorted({p.relative_to(folder).parts[0] for p in outcome.exports})))
    console.print(f"wall time {wall:.2f} s")


@cli.command("check")
@DEPT
@horizon_options
@click.option("--revision", type=int, help="Stored revision to check (default: the current one).")
@click.option("--roster", "roster_csv", type=click.Path(path_type=Path), help="Check this CSV instead.")
def check_cmd(department: Path, month: str | None, start: dt.datetime | None, days: int | None,
              label: str | None,
              revision: int | None, roster_csv: Path | None) -> None:
    """Re-check a roster against every rule: exit 0 if all hard rules hold, 1 if not."""
    ws, horizon = _open(department, month, start, days, label)
    problem = ws.problem(horizon)
    console = output.stdout_console()
    if roster_csv:
        roster = Roster.from_csv(roster_csv, problem)
        _borrow_extras(ws, horizon.label, revision, roster, console)
    else:
        roster = ws.store.load(horizon.label, revision)
    rules = ws.rules(problem)
    report = ws.check(roster, problem, rules)
    output.print_violations(console, report.hard + report.warnings + report.soft)
    console.print(
        f"{len(rules)} rules checked: {len(report.hard)} hard violation(s), "
        f"{len(report.soft)} soft (penalty {report.objective}), {len(report.warnings)} warning(s)"
    )
    if report.hard:
        raise RuleViolationError(f"{len(report.hard)} hard rule violation(s)")


def _warn_replan(ws: Workspace, horizon: Horizon, keep_until: dt.datetime | None) -> None:
    """Re-planning a month that has approved swaps without --keep-until would drop them: say so first."""
    if keep_until is not None or ws.store.current_number(horizon.label) is None:
        return
    current = ws.store.load(horizon.label)
    swaps = current.extras.get("applied_swaps") or []
    if swaps:
        output.stderr_console().print(
            f"[yellow]warning:[/yellow] revision {current.revision} of {horizon.label} carries {len(swaps)} approved "
            "swap(s); a new plan does not keep them. Use --keep-until DATE to keep the days before DATE.",
            soft_wrap=True)


def _borrow_extras(ws: Workspace, label: str, revision: int | None, roster: Roster, console: Console) -> None:
    """A CSV carries shifts only: take the duty rotation from the stored revision, if there is one.

    Meal plans are rebuilt from the shifts by R-MEAL itself.
    """
    if ws.store.current_number(label) is None:
        return
    stored = ws.store.load(label, revision)
    if "duty" in stored.extras:
        roster.extras["duty"] = stored.extras["duty"]
        console.print(f"duty rotation taken from stored revision {stored.revision} (a CSV carries shifts only)")


@cli.command("show")
@DEPT
@horizon_options
@click.option("--revision", type=int, help="Stored revision (default: the current one).")
def show_cmd(department: Path, month: str | None, start: dt.datetime | None, days: int | None,
             label: str | None,
             revision: int | None) -> None:
    """Print the roster grid: people down, days across."""
    ws, horizon = _open(department, month, start, days, label)
    problem = ws.problem(horizon)
    roster = ws.store.load(horizon.label, revision)
    output.print_grid(output.stdout_console(), problem, roster)


@cli.command("export")
@DEPT
@horizon_options
@click.option("--format", "fmt", required=True, help="csv, html, ics, xlsx, or a plugin's format.")
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), help="File (or folder for ics).")
@click.option("--revision", type=int, help="Stored revision (default: the current one).")
def export_cmd(department: Path, month: str | None, start: dt.datetime | None, days: int | None,
               label: str | None,
               fmt: str, target: Path | None, revision: int | None) -> None:
    """Write a stored roster in a format people use."""
    ws, horizon = _open(department, month, start, days, label)
    problem = ws.problem(horizon)
    roster = ws.store.load(horizon.label, revision)
    exporters = ws.exporters()
    if fmt not in exporters:
        raise InputError(f"unknown format {fmt!r} (expected one of {', '.join(sorted(exporters))})",
                         where="--format")
    exporter = exporters[fmt]
    path = target or ws.store.folder(horizon.label) / f"r{roster.revision}" / exporter.default_name
    if path.is_dir() and Path(exporter.default_name).suffix:
        path = path / exporter.default_name  # -o FOLDER for a one-file format: its usual name inside it
    for written in exporter.export(roster, problem, path):
        click.echo(str(written))


class _PluginsGroup(click.Group):
    """``plugins [DEPARTMENT]`` lists plugins; ``plugins new NAME`` scaffolds one.

    A first word that is not a sub-command is the department folder, so the
    listing keeps its old form (a folder literally named ``new`` is ``./new``).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            ctx.meta["dutyplan.plugins.department"] = Path(args[0])
            args = args[1:]
        return super().parse_args(ctx, args)


@cli.group("plugins", cls=_PluginsGroup, invoke_without_command=True,
           subcommand_metavar="[DEPARTMENT] | new NAME")
@click.pass_context
def plugins_cmd(ctx: click.Context) -> None:
    """List the plugins loaded (for a DEPARTMENT, with its own), their version and hooks."""
    if ctx.invoked_subcommand is not None:
        return
    department: Path | None = ctx.meta.get("dutyplan.plugins.department")
    pm = Workspace.open(department).pm if department else make_plugin_manager()
    from rich.table import Table

    table = Table(title="dutyplan plugins", title_justify="left")
    table.add_column("plugin")
    table.add_column("version")
    table.add_column("hooks")
    for name, version, hooks in plugin_rows(pm):
        table.add_row(name, version, ", ".join(hooks))
    console = output.stdout_console()
    console.print(table)
    console.print("hooks a plugin may implement: " + ", ".join(known_hooks()))


@plugins_cmd.command("new")
@click.argument("name")
@click.option("--dir", "parent", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Folder to create the plugin's package folder in.")
def plugins_new_cmd(name: str, parent: Path) -> None:
    """Scaffold a plugin package NAME: pyproject with the entry point, a rule, its section, a test."""
    from dutyplan.scaffold import scaffold

    files = scaffold(name, parent)
    root = files[0].parent
    for path in files:
        click.echo(str(path))
    click.echo(f"next: pip install -e {root} && (cd {root} && python -m pytest)")


def _add_plugin_commands(argv: list[str]) -> None:
    """Commands of built-in and installed plugins, and of the plugins of a department named on the line.

    A plugin loaded from a department's plugin folder (``dutyplan cashier tills rosters/cashier FILE``)
    adds its commands when that department folder appears among the arguments.
    """
    try:
        pm = make_plugin_manager()
    except DutyplanError:
        return  # reported when a command loads the plugins
    pm.hook.register_commands(cli=cli)
    for arg in argv:
        folder = Path(arg)
        if not (folder / "department.toml").is_file():
            continue
        try:
            dept_pm = Workspace.open(folder).pm
        except DutyplanError:
            return  # the command itself will report the department's problem
        known = {name for name, _ in pm.list_name_plugin()}
        for name, plugin in dept_pm.list_name_plugin():
            if name not in known and hasattr(plugin, "register_commands"):
                plugin.register_commands(cli=cli)
        return


def _os_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return f"{where}a file is in the way; expected a folder here (or a path that does not exist yet)"
    if isinstance(exc, IsADirectoryError):
        return f"{where}is a folder; expected a file"
    if isinstance(exc, PermissionError):
        return f"{where}permission denied; expected a file or folder you may write to"
    return f"{where}cannot read or write: {exc.strerror or exc}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into messages and exit codes."""
    _add_plugin_commands(list(sys.argv[1:] if argv is None else argv))
    try:
        cli.main(args=argv, prog_name="dutyplan", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.exceptions.UsageError) else exc.exit_code)
    except DutyplanError as exc:
        console = output.stderr_console()
        prefix = "error" if exc.exit_code != 1 else "failed"
        console.print(f"[bold red]{prefix}:[/bold red] {escape(exc.message)}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        # A file the user named cannot be written or read (permissions, a full disk, a folder
        # where a file was expected): the environment's fault, not dutyplan's, so no traceback.
        output.stderr_console().print(f"[bold red]error:[/bold red] {escape(_os_message(exc))}", soft_wrap=True)
        sys.exit(2)
    sys.exit(0)


if __name__ == "__main__":
    main()
