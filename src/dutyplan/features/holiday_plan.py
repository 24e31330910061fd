"""Holiday plans laid out a week ahead (R-HOLIDAY-PLAN): ``dutyplan holiday-plan``.

For the major statutory holidays (元旦, 春节, 五一, 十一 ...) the department lays
out shifts and duty in advance and hands the plan to HR one week before the
first holiday day. The period comes from the Chinese calendar: the statutory
days of the named holiday, the extra days off around them, and the 调休 weekend
days that become working days nearby (those get workday coverage; statutory
days get holiday coverage and reinforced duty, D-HOLIDAY).

The plan is stored as its own horizon (``rosters/<dept>/2027-spring-festival/``)
with ``kind = "holiday-plan"``; planning the month later locks its days (R-LOCK)
unless the manager asks for a re-plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import click
import pendulum

from dutyplan import hookimpl
from dutyplan.calendar import CalendarDay, classify, date_range
from dutyplan.domain import Department, Horizon, make_horizon
from dutyplan.errors import InputError

HOLIDAYS: dict[str, tuple[str, ...]] = {
    "new-year": ("New Year's Day", "元旦"),
    "spring-festival": ("Chinese New Year", "Spring Festival", "春节", "除夕"),
    "qingming": ("Tomb-Sweeping Day", "清明"),
    "labour-day": ("Labor Day", "Labour Day", "劳动节"),
    "dragon-boat": ("Dragon Boat Festival", "端午"),
    "mid-autumn": ("Mid-Autumn Festival", "中秋"),
    "national-day": ("National Day", "国庆"),
}
"""Holiday keys and the names the ``holidays`` package (or an override) gives their days."""

NOTICE_DAYS = 7
"""R-HOLIDAY-PLAN: the plan reaches HR one week before the first holiday day."""

_OFF_TYPES = {"holiday", "holiday_break", "weekend"}


def holiday_period(department: Department, holiday: str, year: int) -> tuple[dt.date, dt.date, list[CalendarDay]]:
    """(first day, last day, statutory days) of a holiday, with its days off and nearby 调休 workdays."""
    if holiday not in HOLIDAYS:
        raise InputError(f"unknown holiday {holiday!r} (expected one of {', '.join(HOLIDAYS)})", where="--holiday")
    names = HOLIDAYS[holiday]
    year_days = classify(date_range(dt.date(year, 1, 1), 366 if year % 4 == 0 else 365), department.spec.calendar)
    statutory = [c for c in year_days if c.type == "holiday" and c.name and any(n in c.name for n in names)]
    if not statutory:
        raise InputError(
            f"no statutory {holiday} days found in {year}: the calendar may not know {year}'s plan yet; "
            "add [[calendar.override]] entries from the State Council's notice", path=department.path,
        )
    by_date = {c.date: c for c in classify(
        date_range(statutory[0].date - dt.timedelta(days=14), (statutory[-1].date - statutory[0].date).days + 29),
        department.spec.calendar,
    )}
    first, last = statutory[0].date, statutory[-1].date
    while by_date.get(first - dt.timedelta(days=1)) and by_date[first - dt.timedelta(days=1)].type in _OFF_TYPES:
        first -= dt.timedelta(days=1)
    while by_date.get(last + dt.timedelta(days=1)) and by_date[last + dt.timedelta(days=1)].type in _OFF_TYPES:
        last += dt.timedelta(days=1)
    # Statutory days of the break that an override gave no name are found by being inside it.
    statutory = [c for day, c in sorted(by_date.items()) if first <= day <= last and c.type == "holiday"]
    for day, c in by_date.items():  # 调休 workdays that pay for this break, within a week of it
        if c.type == "adjusted_workday" and first - dt.timedelta(days=7) <= day <= last + dt.timedelta(days=7):
            first, last = min(first, day), max(last, day)
    return first, last, statutory


def deadline_for(statutory: list[CalendarDay]) -> dt.date:
    return statutory[0].date - dt.timedelta(days=NOTICE_DAYS)


def plan_horizon(department: Department, name: str, first: dt.date, last: dt.date) -> Horizon:
    horizon = make_horizon(department, first, (last - first).days + 1)
    return dataclasses.replace(horizon, name=name)


@click.command("holiday-plan")
@click.argument("department", type=click.Path(path_type=Path))
@click.option("--holiday", type=click.Choice(sorted(HOLIDAYS)), help="Which holiday, with --year.")
@click.option("--year", type=int, help="The holiday's year.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day (instead of --holiday/--year).")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (with --start).")
@click.option("--time-limit", type=float, default=10.0, show_default=True)
@click.option("--workers", type=int, default=0)
@click.option("--seed", type=int, default=0, show_default=True)
def holiday_plan_cmd(department: Path, holiday: str | None, year: int | None, start: dt.datetime | None,
                     end: dt.datetime | None, time_limit: float, workers: int, seed: int) -> None:
    """Lay out a holiday's shifts and duty in advance (R-HOLIDAY-PLAN), a week before it starts."""
    from dutyplan.cli import output
    from dutyplan.planner import Workspace, plan, solver_options

    options = solver_options(time_limit, workers, seed)
    ws = Workspace.open(department)
    dept = ws.department
    if holiday and year:
        first, last, statutory = holiday_period(dept, holiday, year)
        name = f"{year}-{holiday}"
    elif start and end and not holiday:
        first, last = start.date(), end.date()
        if last < first:
            raise InputError(f"--end {last} is before --start {first}", where="--end")
        statutory = [c for c in classify(date_range(first, (last - first).days + 1), dept.spec.calendar)
                     if c.type == "holiday"] or [classify([first], dept.spec.calendar)[0]]
        name = f"holiday-{first:%Y-%m-%d}-{last:%Y-%m-%d}"
    else:
        raise InputError("give --holiday and --year, or --start and --end", where="holiday-plan")
    deadline = deadline_for(statutory)
    now = pendulum.now(dept.timezone)
    today = dt.date(now.year, now.month, now.day)
    horizon = plan_horizon(dept, name, first, last)
    info = {"name": name, "first_holiday": statutory[0].date.isoformat(), "deadline": deadline.isoformat(),
            "produced": today.isoformat(), "late": today > deadline}
    with output.live_progress(time_limit) as progress:
        outcome = plan(ws, horizon, options, progress,
                       kind="holiday-plan", extras={"holiday_plan": info})
    console = output.stdout_console()
    console.print(f"holiday plan {name}: {first} .. {last} ({horizon.days} days); "
                  f"statutory days {', '.join(f'{c.date:%m-%d}' for c in statutory)}")
    output.print_plan_summary(console, outcome.problem, outcome.result, outcome.report, outcome.rules)
    console.print(f"publication deadline (R-HOLIDAY-PLAN, {NOTICE_DAYS} days before {statutory[0].date}): {deadline}")
    if today > deadline:
        output.stderr_console().print(
            f"[yellow]warning:[/yellow] produced on {today}, {(today - deadline).days} day(s) after the "
            f"publication deadline {deadline} (R-HOLIDAY-PLAN: hand the plan to HR a week ahead)", soft_wrap=True)
    if outcome.path is not None:
        console.print(f"holiday plan revision {outcome.roster.revision} written to {outcome.path}; "
                      "planning the month keeps these days (dutyplan plan --replan-holidays to change them)")


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(holiday_plan_cmd)
