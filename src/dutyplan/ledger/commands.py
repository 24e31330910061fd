"""``dutyplan attendance|points|ledger|leave ...``: the point ledger on the command line.

* ``attendance import DEPT FILE.csv``: clock records -> events -> ledger (idempotent);
* ``points add DEPT --staff E05 --event left-post --date ... --by E01``: a manual event, by an approver;
* ``points report DEPT --month M [--format table|csv|json]``; ``points rules DEPT``;
* ``ledger verify DEPT`` (exit 1 naming the first bad entry); ``ledger reverse DEPT ID --by --reason``;
* ``leave check FILE``; ``leave approve FILE --by [--accept-late]``; ``leave reject FILE --by --reason``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import click

from dutyplan import hookimpl
from dutyplan.errors import InputError, RuleViolationError

DEPT = click.argument("department", type=click.Path(path_type=Path))
AT = click.option("--at", "at_text", metavar="TIME", help="When (ISO time, department zone); default now.")


def _ws(department: Path):  # type: ignore[no-untyped-def]
    from dutyplan.swaps.workspace import open_workspace

    return open_workspace(department)


# -- attendance ---------------------------------------------------------------------------------
@click.group("attendance")
def attendance_group() -> None:
    """Clock records (考勤): derive late, early leave, absence and unapproved swaps."""


@attendance_group.command("import")
@DEPT
@click.argument("file", type=click.Path(path_type=Path))
@AT
def import_cmd(department: Path, file: Path, at_text: str | None) -> None:
    """Import a clock file (staff_id,timestamp,kind) and record what it shows in the ledger."""
    from dutyplan.ledger.attendance import attendance_settings, derive, read_clock_file
    from dutyplan.ledger.chain import Ledger
    from dutyplan.ledger.record import record, rule_book
    from dutyplan.swaps.files import when

    ws = _ws(department)
    dept = ws.department
    clock = read_clock_file(file, dept)
    if not clock.records:
        raise InputError("no clock records in the file", path=file)
    days = {r.time.date() for r in clock.records}
    labels = sorted({f"{d:%Y-%m}" for d in days})
    rosters = {}
    for label in labels:
        if ws.store.current_number(label) is not None:
            rosters[label] = ws.store.load(label)
    if not rosters:
        raise InputError(f"no roster for {', '.join(labels)} (run `dutyplan plan` first)", path=file)
    findings = derive(clock, rosters, dept, attendance_settings(dept))
    result = record(Ledger(dept.directory), rule_book(ws), findings.events, when(at_text, dept.timezone))
    against = ", ".join(f"{k} r{v.revision}" for k, v in rosters.items())
    click.echo(f"{file.name}: {len(clock.records)} clock records, {findings.judged} rostered shifts judged "
               f"({findings.first} .. {findings.last}) against {against}")
    counts: dict[str, int] = {}
    for event in findings.events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    click.echo("events: " + (", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "none"))
    for entry in result.added:
        click.echo(f"  #{entry['id']:<5} {entry['person']} {entry['date']} {entry['event']:16} {entry['rule']:14} "
                   f"{' '.join(entry['points']) or '0':6} {entry['detail']}")
    click.echo(f"ledger: {len(result.added)} entries added; {result.skipped} of the events were already recorded")


# -- points -------------------------------------------------------------------------------------
@click.group("points")
def points_group() -> None:
    """Points (P-*): manual events, the monthly report, the rules."""


@points_group.command("add")
@DEPT
@click.option("--staff", required=True, help="The person the event is about.")
@click.option("--event", "kind", required=True, help="Event (see `dutyplan points rules`), e.g. left-post.")
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="The day it happened.")
@click.option("--by", required=True, help="Staff id of the approver recording it.")
@click.option("--with", "other", help="The second person (P-PROXY: the card holder).")
@click.option("--note", default="", help="What happened, in words.")
@AT
def add_cmd(department: Path, staff: str, kind: str, day: dt.datetime, by: str, other: str | None, note: str,
            at_text: str | None) -> None:
    """Record a manual event (proxy clock-in, praise, left post, meal overrun...)."""
    from dutyplan.ledger.chain import Ledger
    from dutyplan.ledger.points import Event
    from dutyplan.ledger.record import record, rule_book
    from dutyplan.swaps.approve import ensure_approver
    from dutyplan.swaps.files import when
    from dutyplan.swaps.workspace import month_problem

    ws = _ws(department)
    dept = ws.department
    for where, sid in (("--staff", staff), ("--with", other)):
        if sid is not None and sid not in dept.staff_by_id:
            raise InputError(f"unknown staff id {sid!r}", where=where)
    book = rule_book(ws)
    if kind not in book.manual_events:
        raise InputError(f"unknown event {kind!r} (expected one of {', '.join(book.manual_events)})", where="--event")
    rules = book.for_event(kind)
    if any(getattr(r, "both", False) for r in rules) and other is None:
        raise InputError(f"{kind} names two people: give the second with --with", where="--with")
    at = when(at_text, dept.timezone)
    month = f"{day:%Y-%m}"
    event = Event(kind, staff, day.date(), note or kind, {"type": "manual", "by": by, "at": at.isoformat()},
                  "", occurred=at.isoformat(), other=other)
    ensure_approver(ws, by, event, month_problem(ws, month), "record points")
    digest = hashlib.sha256(f"{kind}|{staff}|{day:%Y-%m-%d}|{other}|{by}|{at.isoformat()}|{note}".encode()).hexdigest()
    event = Event(event.kind, event.person, event.date, event.detail, event.source, f"manual|{digest[:16]}",
                  event.occurred, event.other)
    result = record(Ledger(dept.directory), book, [event], at)
    for entry in result.added:
        click.echo(f"#{entry['id']} {entry['person']} {entry['date']} {entry['event']} {entry['rule']} "
                   f"{' '.join(entry['points']) or '0'}: {entry['detail']}")
    if not result.added:
        click.echo("already recorded; nothing added")


@points_group.command("report")
@DEPT
@click.option("--month", required=True, help="The month, e.g. 2027-01.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def report_cmd(department: Path, month: str, fmt: str) -> None:
    """Per person: points by grade, events, days' pay deducted, full-attendance bonus kept or forfeited."""
    from dutyplan.ledger.chain import Ledger
    from dutyplan.ledger.report import as_csv, as_json, events_text, month_report

    ws = _ws(department)
    ledger = Ledger(ws.department.directory)
    entries = ledger.entries()
    rows = month_report(entries, ws.department, month)
    head = entries[-1]["hash"] if entries else "0" * 64
    if fmt == "csv":
        click.echo(as_csv(rows), nl=False)
        return
    if fmt == "json":
        click.echo(as_json(rows, month, ws.department, head, len(entries)), nl=False)
        return
    from rich.table import Table

    from dutyplan.cli.output import stdout_console

    table = Table(title=f"{ws.department.name} points {month}", title_justify="left")
    for col in ("staff", "name", "A", "B", "C", "events", "pay days", "全勤奖"):
        table.add_column(col, justify="right" if col in ("A", "B", "C", "pay days") else "left")
    for r in rows:
        table.add_row(r.staff, r.name, *(str(r.grades[g]) for g in "ABC"), events_text(r), f"{r.pay_days:g}",
                      "forfeited" if r.bonus_forfeited else "kept")
    console = stdout_console()
    console.print(table)
    console.print(f"ledger: {len(entries)} entries, head {head[:16]}…", markup=False)


@points_group.command("rules")
@DEPT
def rules_cmd(department: Path) -> None:
    """List the point rules in force for the department (defaults, [points] changes, plugins)."""
    from dutyplan.ledger.record import rule_book

    ws = _ws(department)
    for rule in rule_book(ws).rules:
        events = ", ".join(rule.events) or "(escalation)"
        click.echo(f"{rule.id:14} {events:18} {rule.describe(ws.department.locale)}"
                   + (f"  [{rule.plugin}]" if rule.plugin and not rule.plugin.startswith("dutyplan.") else ""))


# -- ledger -------------------------------------------------------------------------------------
@click.group("ledger")
def ledger_group() -> None:
    """The tamper-evident point ledger: verify, correct, show."""


@ledger_group.command("verify")
@DEPT
def verify_cmd(department: Path) -> None:
    """Check every entry's hash and link; exit 1 naming the first bad entry."""
    from dutyplan.ledger.chain import Ledger

    ledger = Ledger(_dept_dir(department))
    scan = ledger.scan()
    if not scan.ok:
        raise RuleViolationError(f"{ledger.path}: line {scan.line} (entry {scan.entry_id}): {scan.problem}")
    click.echo(f"{ledger.path}: {len(scan.entries)} entries, chain intact; head {scan.head_hash}")


@ledger_group.command("reverse")
@DEPT
@click.argument("entry_id", type=int)
@click.option("--by", required=True, help="Staff id of the approver correcting it.")
@click.option("--reason", required=True, help="Why the entry is wrong.")
@AT
def reverse_cmd(department: Path, entry_id: int, by: str, reason: str, at_text: str | None) -> None:
    """Correct an entry with a reversing entry (entries are never edited)."""
    from dutyplan.ledger.chain import Ledger
    from dutyplan.ledger.record import reverse, rule_book
    from dutyplan.swaps.approve import ensure_approver
    from dutyplan.swaps.files import when
    from dutyplan.swaps.workspace import month_problem

    ws = _ws(department)
    ledger = Ledger(ws.department.directory)
    target = next((e for e in ledger.entries() if e.get("id") == entry_id), None)
    if target is None:
        raise InputError(f"no entry {entry_id} in {ledger.path}", where="ENTRY_ID")
    ensure_approver(ws, by, target, month_problem(ws, str(target["month"])), "correct the ledger")
    at = when(at_text, ws.department.timezone)
    for entry in reverse(ledger, rule_book(ws), entry_id, by, reason, at):
        click.echo(f"#{entry['id']} {entry['person']} {entry['event']} {entry['rule']} "
                   f"{' '.join(entry['points']) or '0'}: {entry['detail']}")


@ledger_group.command("show")
@DEPT
@click.option("--month", help="Only this month.")
@click.option("--staff", help="Only this person.")
def show_cmd(department: Path, month: str | None, staff: str | None) -> None:
    """Print the entries, one a line."""
    from dutyplan.ledger.chain import Ledger

    for e in Ledger(_dept_dir(department)).entries():
        if (month and e.get("month") != month) or (staff and e.get("person") != staff):
            continue
        rev = f" (reverses #{e['reverses']})" if e.get("reverses") else ""
        click.echo(f"#{e['id']:<5} {e['person']} {e['date']} {e['event']:16} {e['rule']:14} "
                   f"{' '.join(e['points']) or '0':6} {e['detail']}{rev}")


def _dept_dir(department: Path) -> Path:
    if not (department / "department.toml").is_file():
        raise InputError("expected a department folder containing department.toml", path=department)
    return department


# -- leave --------------------------------------------------------------------------------------
@click.group("leave")
def leave_group() -> None:
    """Leave requests (请假, S-LEAVE): check, approve, reject."""


def _leave(file: Path):  # type: ignore[no-untyped-def]
    from dutyplan.ledger.leave import load_leave
    from dutyplan.swaps.files import department_of

    if not file.exists():
        raise InputError("file not found", path=file)
    ws = _ws(department_of(file))
    return ws, load_leave(file, ws.department)


def _print_gap(outcome) -> None:  # type: ignore[no-untyped-def]
    from dutyplan.swaps.revise import describe_violation

    shifts = ", ".join(f"{a.shift} {a.date:%m-%d}" for a in sorted(outcome.removed)) or "none"
    click.echo(f"shifts removed: {shifts}")
    if outcome.gap:
        click.echo(f"gap left ({len(outcome.gap)} hard rule problem(s); re-plan or swap to fill it):")
        for v in outcome.gap:
            click.echo(f"  {describe_violation(v)}")
    else:
        click.echo("gap left: none (every hard rule still holds)")


@leave_group.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def leave_check_cmd(file: Path) -> None:
    """Check the notice rules and show the gap the leave would leave; exit 1 if the notice is short."""
    from dutyplan.ledger.leave import check_leave

    ws, request = _leave(file)
    outcome = check_leave(ws, request)
    if outcome.already is not None:
        click.echo(f"already applied in revision {outcome.already}")
        return
    _print_gap(outcome)
    for v in outcome.notice:
        click.echo(f"  {v.rule_id} {v.staff or ''} {v.message}")
    if outcome.notice:
        raise RuleViolationError(f"leave {request.name}: {len(outcome.notice)} notice problem(s) (S-LEAVE)")
    click.echo("notice: in time (S-LEAVE)")


@leave_group.command("approve")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--by", required=True, help="Staff id of the approver.")
@click.option("--accept-late", is_flag=True, help="Approve although the notice was short (S-LEAVE).")
@AT
def leave_approve_cmd(file: Path, by: str, accept_late: bool, at_text: str | None) -> None:
    """Approve leave: a new revision without the person's shifts; the gap it leaves is reported."""
    from dutyplan.ledger.leave import approve_leave
    from dutyplan.swaps.files import when

    ws, request = _leave(file)
    outcome = approve_leave(ws, request, by, when(at_text, ws.department.timezone), accept_late)
    if outcome.already is not None:
        click.echo(f"leave {request.name} was already applied in revision {outcome.already}; not applied again")
        return
    assert outcome.after is not None
    click.echo(f"leave {request.name} approved by {by}: revision {outcome.after.revision} written to "
               f"{outcome.revision_path}; revision {outcome.before.revision} superseded (kept)")
    click.echo(f"request moved to {outcome.decided}")
    _print_gap(outcome)
    calendars = outcome.published.calendars if outcome.published else {}
    for sid, path in calendars.items():
        click.echo(f"new calendar for {sid}: {path}")


@leave_group.command("reject")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--by", required=True)
@click.option("--reason", required=True)
@AT
def leave_reject_cmd(file: Path, by: str, reason: str, at_text: str | None) -> None:
    """Reject a leave request (moved to leave/rejected/ with who, when and why)."""
    from dutyplan.ledger.leave import reject_leave
    from dutyplan.swaps.files import when

    ws, request = _leave(file)
    target = reject_leave(ws, request, by, when(at_text, ws.department.timezone), reason)
    click.echo(f"leave {request.name} rejected by {by}: {reason}\nrequest moved to {target}")


@hookimpl
def register_commands(cli: click.Group) -> None:
    for command in (attendance_group, points_group, ledger_group, leave_group):
        cli.add_command(command)
