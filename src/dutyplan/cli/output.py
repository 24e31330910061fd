"""Terminal output: the live solver line, the plan summary, the roster grid, violations."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from dutyplan.check import CheckReport
from dutyplan.domain import Problem
from dutyplan.labels import WEEKDAY_SHORT, label
from dutyplan.model.result import Progress, SolveResult
from dutyplan.report import person_totals, top_offenders
from dutyplan.roster import Roster
from dutyplan.rules.base import Rule, Violation

DAY_STYLE = {
    "weekend": "on grey23",
    "holiday_break": "on grey23",
    "holiday": "on dark_red",
    "adjusted_workday": "on dark_blue",
}


def stdout_console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 140, highlight=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def live_progress(time_limit: float) -> Iterator[Callable[[Progress], None] | None]:
    """A status line on stderr while the solver runs; nothing when stderr is not a terminal."""
    console = stderr_console()
    if not console.is_terminal:
        yield None
        return
    text = Text("building model...")
    with Live(text, console=console, refresh_per_second=8, transient=True) as live:
        def update(p: Progress) -> None:
            best = "-" if p.objective is None else f"{p.objective:g}"
            gap = "-" if p.gap is None else f"{p.gap:.1%}"
            live.update(Text(
                f"solving {p.seconds:5.1f}/{time_limit:g} s   best {best}   bound {p.bound:g}   "
                f"gap {gap}   rosters found {p.solutions}"
            ))
        yield update


def status_line(result: SolveResult) -> str:
    if result.status == "optimal":
        return f"optimal (proven): penalty {result.objective}"
    gap = result.gap or 0.0
    return f"feasible, not proven optimal: penalty {result.objective}, bound {result.bound:g}, gap {gap:.1%}"


def print_plan_summary(
    console: Console, problem: Problem, result: SolveResult, report: CheckReport, rules: list[Rule]
) -> None:
    dept = problem.department
    console.print(f"[bold]{dept.name}[/bold]  {problem.horizon.start} .. {problem.horizon.end} "
                  f"({problem.horizon.days} days, {len(dept.staff)} staff, {len(dept.shifts)} shifts)")
    console.print(f"status: {status_line(result)}")
    first = "-" if result.first_solution_seconds is None else f"{result.first_solution_seconds:.2f} s"
    console.print(
        f"time: model {result.build_seconds:.2f} s, solve {result.solve_seconds:.2f} s, "
        f"first roster after {first}; {result.model_stats}"
    )
    print_objective(console, report, rules)
    print_totals(console, problem, result.roster or Roster(dept.slug, problem.horizon.start, 0))
    if report.warnings:
        console.print(f"[yellow]{len(report.warnings)} warning(s):[/yellow]")
        for v in report.warnings[:10]:
            console.print(f"  {v}")


def print_objective(console: Console, report: CheckReport, rules: list[Rule]) -> None:
    by_rule = report.by_rule
    if not by_rule:
        console.print("penalty by rule: none, every soft rule fully met")
        return
    table = Table(title="penalty by rule", title_justify="left", show_lines=False)
    table.add_column("rule")
    table.add_column("penalty", justify="right")
    table.add_column("top offenders")
    offenders = top_offenders(report.violations, limit=3)
    for rule_id, cost in sorted(by_rule.items(), key=lambda kv: -kv[1]):
        worst = "; ".join(f"{v.message} ({v.cost})" for v in offenders.get(rule_id, []))
        table.add_row(rule_id, str(cost), worst)
    table.add_row("[bold]total[/bold]", f"[bold]{report.objective}[/bold]", "")
    console.print(table)


def print_totals(console: Console, problem: Problem, roster: Roster) -> None:
    loc = problem.department.locale
    table = Table(title="per person", title_justify="left")
    for key in ("staff", "name", "shifts", "nights", "rest_day_shifts", "holiday_shifts", "hours", "overtime"):
        table.add_column(label(key, loc), justify="left" if key in ("staff", "name") else "right")
    for t in person_totals(roster, problem):
        table.add_row(
            t.staff, t.name, str(t.shifts), str(t.nights), str(t.rest_day_shifts), str(t.holiday_shifts),
            f"{t.hours:g}", f"{t.overtime_minutes / 60:g}",
        )
    console.print(table)


def print_grid(console: Console, problem: Problem, roster: Roster) -> None:
    dept = problem.department
    loc = dept.locale
    codes = {s.id: s.code(loc) for s in dept.shifts}
    table = Table(title=f"{dept.name} {label('roster', loc)} {problem.horizon.label} r{roster.revision}",
                  title_justify="left", padding=(0, 0), pad_edge=False)
    table.add_column(label("staff", loc), no_wrap=True)
    for day in problem.horizon.calendar:
        header = f"{day.date.day:>2}\n{WEEKDAY_SHORT[loc][day.date.weekday()]:>2}"
        table.add_column(header, justify="center", style=DAY_STYLE.get(day.type, ""), no_wrap=True)
    table.add_column(label("shifts", loc), justify="right")
    for person in dept.staff:
        cells = []
        for date in problem.dates:
            worked = roster.shift_on(person.id, date)
            cells.append(codes.get(worked, worked) if worked else "·")
        table.add_row(f"{person.id} {person.name}", *cells, str(sum(c != "·" for c in cells)))
    for shift in dept.shifts:
        counts = [str(len(roster.on(d, shift.id))) for d in problem.dates]
        table.add_row(f"[dim]{label('coverage', loc)} {shift.label(loc)}[/dim]", *counts, "")
    if not console.is_terminal:
        # A file or a pipe has no width of its own: make room for every day rather than squeeze.
        wide = console.options.update_width(10_000)
        console.width = max(console.width, console.measure(table, options=wide).maximum)
    console.print(table)
    legend = ", ".join(f"{codes[s.id]} = {s.label(loc)} {s.start:%H:%M}-{s.end:%H:%M}" for s in dept.shifts)
    console.print(f"{label('legend', loc)}: {legend}; · = {label('off', loc)}")


def print_violations(console: Console, violations: list[Violation]) -> None:
    for v in violations:
        where = " ".join(x for x in (v.staff or "", f"{v.date:%Y-%m-%d}" if v.date else "") if x)
        console.print(f"{v.severity.upper():7} {v.rule_id:15} {where:16} {v.message}", soft_wrap=True)
