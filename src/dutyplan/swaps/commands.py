"""``dutyplan swap check|approve|reject|list`` and ``dutyplan diff``: the swap workflow on the command line.

Exit codes as elsewhere: 0 accepted/done, 1 refused (each problem printed
with its rule id, person and date), 2 a malformed request (the message names
the file and the field).
"""

from __future__ import annotations

from pathlib import Path

import click

from dutyplan import hookimpl
from dutyplan.errors import InputError, RuleViolationError

FILE = click.argument("file", type=click.Path(path_type=Path))
AT = click.option("--at", "at_text", metavar="TIME",
                  help="When the decision is made (ISO time, department zone); default now. For paper forms "
                       "entered later, the time on the form.")


def _open(file: Path):  # type: ignore[no-untyped-def]
    from dutyplan.swaps.files import department_of
    from dutyplan.swaps.request import load_swap
    from dutyplan.swaps.workspace import open_workspace

    if not file.exists():
        raise InputError("file not found", path=file)
    ws = open_workspace(department_of(file))
    return ws, load_swap(file, ws.department)


@click.group("swap")
def swap_group() -> None:
    """Swap requests (换班申请, S-REQUEST): check, approve, reject, list."""


@swap_group.command("check")
@FILE
@AT
def check_cmd(file: Path, at_text: str | None) -> None:
    """Check a swap request against the current roster revision: exit 0 if accepted, 1 if not."""
    from dutyplan.swaps.files import when
    from dutyplan.swaps.revise import describe_violation
    from dutyplan.swaps.validate import check_swap

    ws, request = _open(file)
    at = when(at_text, ws.department.timezone)
    result = check_swap(ws, request, at=at)
    req = request.model
    click.echo(f"swap {request.name}: {req.summary()} (checked against {result.label} revision "
               f"{result.before.revision})")
    if result.applied_in is not None:
        click.echo(f"already applied in revision {result.applied_in}; approving it again changes nothing")
        return
    counts = ", ".join(f"{p} {result.counts.get(p, 0)}" for p in req.parties)
    click.echo(f"approved swaps this month before this one: {counts} (cap {result.cap}, S-MONTHLY-CAP)")
    if result.accepted:
        click.echo("accepted: the roster after the swap breaks no hard rule")
        return
    click.echo(f"refused: {len(result.problems)} problem(s)")
    for v in result.problems:
        click.echo(f"  {describe_violation(v)}")
    raise RuleViolationError(f"swap {request.name} refused: {len(result.problems)} problem(s)")


@swap_group.command("approve")
@FILE
@click.option("--by", required=True, help="Staff id of the approver (department.approvers).")
@AT
def approve_cmd(file: Path, by: str, at_text: str | None) -> None:
    """Approve a swap: re-check, write the next revision, move the request to swaps/approved/."""
    from dutyplan.swaps.approve import approve_swap
    from dutyplan.swaps.diff import diff_lines, roster_diff
    from dutyplan.swaps.files import when

    ws, request = _open(file)
    outcome = approve_swap(ws, request, by, when(at_text, ws.department.timezone))
    if outcome.already is not None:
        click.echo(f"swap {request.name} was already applied in revision {outcome.already}; not applied again")
        if outcome.decided is not None:
            click.echo(f"request: {outcome.decided}")
        return
    assert outcome.new is not None and outcome.revision_path is not None
    old = outcome.check.before
    click.echo(f"swap {request.name} approved by {by}: revision {outcome.new.revision} written to "
               f"{outcome.revision_path}; revision {old.revision} superseded (kept)")
    click.echo(f"request moved to {outcome.decided}")
    changes = roster_diff(old, outcome.new, outcome.check.problem)
    calendars = outcome.published.calendars if outcome.published else {}
    click.echo("changed:")
    for change, line in zip(changes, diff_lines(changes), strict=True):
        click.echo(f"  {line}")
        if change.staff in calendars:
            click.echo(f"    new calendar: {calendars[change.staff]}")


@swap_group.command("reject")
@FILE
@click.option("--by", required=True, help="Staff id of the approver.")
@click.option("--reason", required=True, help="Why (kept in the request file).")
@AT
def reject_cmd(file: Path, by: str, reason: str, at_text: str | None) -> None:
    """Reject a swap request: it moves to swaps/rejected/ with who, when and why."""
    from dutyplan.swaps.approve import reject_swap
    from dutyplan.swaps.files import when

    ws, request = _open(file)
    target = reject_swap(ws, request, by, when(at_text, ws.department.timezone), reason, request.model.month)
    click.echo(f"swap {request.name} rejected by {by}: {reason}")
    click.echo(f"request moved to {target}")


@swap_group.command("list")
@click.argument("department", type=click.Path(path_type=Path))
@click.option("--month", required=True, help="The month, e.g. 2027-01.")
def list_cmd(department: Path, month: str) -> None:
    """List a month's swap requests: pending, approved and rejected."""
    from dutyplan.swaps.files import load_request
    from dutyplan.swaps.request import SwapRequest

    folder = department / month / "swaps"
    rows = []
    for state, sub in (("pending", folder), ("approved", folder / "approved"), ("rejected", folder / "rejected")):
        for path in sorted(sub.glob("*.toml")) if sub.is_dir() else []:
            req = load_request(path, SwapRequest)
            extra = f" by {req.decision.by} at {req.decision.at:%Y-%m-%d %H:%M}" if req.decision else ""
            rows.append(f"{state:9} {path.name:32} {req.model.summary()}{extra}")
    click.echo("\n".join(rows) if rows else f"no swap requests in {folder}")


@click.command("diff")
@click.argument("department", type=click.Path(path_type=Path))
@click.option("--month", required=True, help="The month, e.g. 2027-01.")
@click.option("--from", "first", type=int, help="Older revision (default: the one before --to).")
@click.option("--to", "second", type=int, help="Newer revision (default: the current one).")
def diff_cmd(department: Path, month: str, first: int | None, second: int | None) -> None:
    """Show what changed between two revisions of a month, person by person."""
    from dutyplan.swaps.diff import diff_lines, roster_diff
    from dutyplan.swaps.workspace import month_problem, open_workspace

    ws = open_workspace(department)
    problem = month_problem(ws, month)
    second = second if second is not None else ws.store.current_number(month)
    if second is None:
        raise InputError(f"no roster for {month} yet", path=ws.store.folder(month))
    first = first if first is not None else second - 1
    if first < 1:
        raise InputError(f"revision {second} has no earlier revision to compare with", where="--from")
    old, new = ws.store.load(month, first), ws.store.load(month, second)
    changes = roster_diff(old, new, problem)
    click.echo(f"{ws.department.name} {month}: revision {first} → {second}, {len(changes)} person(s) changed")
    for line in diff_lines(changes):
        click.echo(f"  {line}")


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(swap_group)
    cli.add_command(diff_cmd)
