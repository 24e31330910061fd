"""P-CASHIER points from the daily till results: differences, over/under-ringing, the monthly ranking.

The till system exports one row per cashier and day::

    date,staff_id,transactions,difference,over_rings,under_rings
    2027-01-04,C03,182,-0.50,1,0

``difference`` is the till count minus the expected amount, in yuan (negative:
short). :func:`till_events` turns the rows into ledger events of the kinds
DOMAIN.md's P-CASHIER rows define (dutyplan's point ledger ships them, so a
department's ``[points]`` can re-weigh them like any other):

* every over- or under-ringing is one ``ring-error`` (the ledger's escalation
  counts them: three in a month -C1, five -B1, more than ten -A1);
* every day with a non-zero difference is a ``till-difference``, a 0-point
  record (this plugin's point rule, :class:`TillDifference`) that shows why a
  month's reward was withheld;
* when the month is **closed** (``close=True``, after its last day): each
  cashier with at least ``min_days`` till days whose differences add up to at
  most ``exact_within`` yuan gets ``till-exact`` (+B1); with at least
  ``min_ranked`` such cashiers, the ranking by transactions gives
  ``rank-first`` (+B1), ``rank-second`` (+C1), ``rank-second-last`` (-C1) and
  ``rank-last`` (-B1). Tied cashiers share the better place (two tied first
  are both first, and nobody is second); nobody gets both a top and a bottom
  place (the top one stands).

Events are keyed by content (day, person, what), so importing the same file
twice adds nothing. Closing a month again with different results is refused:
reverse the month's ranking entries first (``dutyplan ledger reverse``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from dutyplan.calendar import month_bounds
from dutyplan.domain import Department
from dutyplan.errors import InputError, RuleViolationError

from .settings import SECTION, CashierSettings, TillPoints

HEADER = ["date", "staff_id", "transactions", "difference", "over_rings", "under_rings"]
TOP = ("rank-first", "rank-second")
BOTTOM = ("rank-last", "rank-second-last")


@dataclass(frozen=True)
class TillDay:
    """One cashier's till on one day."""

    date: dt.date
    staff: str
    transactions: int
    difference: Decimal
    over_rings: int
    under_rings: int
    line: int


def read_till_results(path: Path, department: Department) -> list[TillDay]:
    """The rows of a till export; errors name the file and the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read till results: {exc.strerror}", path=path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save the till export as UTF-8", path=path) from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if header[: len(HEADER)] != HEADER:
        raise InputError(f"expected the header {','.join(HEADER)}", path=path, where="line 1")
    rows: list[TillDay] = []
    seen: dict[tuple[dt.date, str], int] = {}
    for number, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        rows.append(_row(row, number, path, department))
        key = (rows[-1].date, rows[-1].staff)
        if key in seen:
            raise InputError(f"{key[1]} on {key[0]} appears twice (also line {seen[key]})", path=path,
                             where=f"line {number}")
        seen[key] = number
    return rows


def _row(row: list[str], number: int, path: Path, department: Department) -> TillDay:
    where = f"line {number}"
    if len(row) < len(HEADER):
        raise InputError(f"expected {len(HEADER)} columns: {','.join(HEADER)}", path=path, where=where)
    cells = [c.strip() for c in row[: len(HEADER)]]
    try:
        day = dt.date.fromisoformat(cells[0])
    except ValueError:
        raise InputError(f"expected a date like 2027-01-31, found {cells[0]!r}", path=path, where=where) from None
    if cells[1] not in department.staff_by_id:
        raise InputError(f"unknown staff id {cells[1]!r}", path=path, where=where)
    counts = []
    for name, cell in zip(("transactions", "over_rings", "under_rings"), (cells[2], cells[4], cells[5]), strict=True):
        if not cell.isdigit():
            raise InputError(f"{name}: expected a whole number 0 or more, found {cell!r}", path=path, where=where)
        counts.append(int(cell))
    try:
        difference = Decimal(cells[3])
    except InvalidOperation:
        raise InputError(f"difference: expected yuan like -0.50, found {cells[3]!r}", path=path,
                         where=where) from None
    if not difference.is_finite():
        raise InputError(f"difference: expected yuan like -0.50, found {cells[3]!r}", path=path, where=where)
    return TillDay(day, cells[1], counts[0], difference, counts[1], counts[2], number)


def _event(kind: str, person: str, day: dt.date, detail: str, source: dict[str, Any], key: str) -> Any:
    from dutyplan.ledger.points import Event

    return Event(kind, person, day, detail, source, key)


def till_events(rows: Sequence[TillDay], points: TillPoints, month: str, *, close: bool,
                file: str = "") -> list[Any]:
    """Ledger events for the rows of ``month`` (other months' rows are ignored)."""
    first, length = month_bounds(month)
    last = first + dt.timedelta(days=length - 1)
    mine = [r for r in rows if first <= r.date <= last]
    events = []
    for r in mine:
        source = {"type": "tills", "file": file, "line": r.line}
        for n in range(1, r.over_rings + r.under_rings + 1):
            events.append(_event("ring-error", r.staff, r.date,
                                 f"over-rung {r.over_rings}, under-rung {r.under_rings} on {r.date}",
                                 source, f"tills|{r.date}|{r.staff}|ring|{n}"))
        if r.difference:
            events.append(_event("till-difference", r.staff, r.date, f"till difference {r.difference:+} yuan",
                                 {**source, "difference": str(r.difference)}, f"tills|{r.date}|{r.staff}|diff"))
    if close:
        events += month_close_events(mine, points, month, last, file)
    return events


def month_totals(rows: Sequence[TillDay], points: TillPoints) -> dict[str, tuple[int, int, Decimal]]:
    """Per cashier: (till days, transactions, the month's difference by ``basis``)."""
    totals: dict[str, tuple[int, int, Decimal]] = {}
    net: dict[str, Decimal] = {}
    for r in rows:
        days, trans, size = totals.get(r.staff, (0, 0, Decimal(0)))
        totals[r.staff] = (days + 1, trans + r.transactions, size + abs(r.difference))
        net[r.staff] = net.get(r.staff, Decimal(0)) + r.difference
    if points.basis == "net":
        totals = {s: (d, t, abs(net[s])) for s, (d, t, _size) in totals.items()}
    return totals


def ranking(transactions: dict[str, int], min_ranked: int) -> dict[str, str]:
    """Places by transactions: first, second, second-last, last (ties share the better place)."""
    if len(transactions) < min_ranked:
        return {}
    values = sorted(set(transactions.values()), reverse=True)
    places: dict[str, str] = {}
    top = [s for s, v in transactions.items() if v == values[0]]
    places.update(dict.fromkeys(top, "rank-first"))
    if len(top) == 1 and len(values) > 1:
        places.update({s: "rank-second" for s, v in transactions.items() if v == values[1]})
    bottom = [s for s, v in transactions.items() if v == values[-1] and s not in places]
    places.update(dict.fromkeys(bottom, "rank-last"))
    if len(bottom) == 1 and len(values) > 1:
        places.update({s: "rank-second-last" for s, v in transactions.items() if v == values[-2]
                       and s not in places})
    return places


def month_close_events(rows: Sequence[TillDay], points: TillPoints, month: str, last: dt.date,
                       file: str) -> list[Any]:
    totals = {s: t for s, t in month_totals(rows, points).items() if t[0] >= points.min_days}
    events = []
    for sid, (days, trans, size) in sorted(totals.items()):
        source = {"type": "tills-close", "file": file, "month": month, "days": days, "transactions": trans,
                  "difference": str(size), "basis": points.basis}
        if size <= Decimal(str(points.exact_within)):
            events.append(_event("till-exact", sid, last, f"till differences {size} yuan in {month} "
                                 f"({points.basis}, within {points.exact_within:g})", source,
                                 f"tills|exact|{month}|{sid}"))
    places = ranking({s: t[1] for s, t in totals.items()}, points.min_ranked)
    for sid, place in sorted(places.items()):
        source = {"type": "tills-close", "file": file, "month": month, "transactions": totals[sid][1]}
        events.append(_event(place, sid, last, f"{place.removeprefix('rank-')} by transactions in {month} "
                             f"({totals[sid][1]})", source, f"tills|rank|{month}|{sid}|{place}"))
    return events


def point_rules() -> list[Any]:
    """This plugin's point rule: ``till-difference``, a 0-point record of a day's till difference."""
    from dutyplan.ledger.points import EventRule

    return [EventRule(id="P-CASHIER", event="till-difference", manual=False,
                      en="a day's till difference (record only; the month's total decides till-exact)",
                      zh="当日收银差异（仅记录；当月合计决定奖励）")]


def import_till_results(ws: Any, path: Path, month: str, now: dt.datetime, *, close: bool) -> Any:
    """Record a till export's events for ``month`` in the department's ledger; returns what was recorded."""
    from dutyplan.ledger.chain import Ledger
    from dutyplan.ledger.record import active, record, rule_book

    dept = ws.department
    section = dept.section(SECTION)
    if not isinstance(section, CashierSettings):
        raise InputError(f"the department has no [{SECTION}] section (plugin {SECTION!r})", path=dept.path)
    try:
        month_bounds(month)
    except ValueError:
        raise InputError(f"expected a month like 2027-01, found {month!r}", where="--month") from None
    rows = read_till_results(path, dept)
    events = till_events(rows, section.points, month, close=close, file=path.name)
    ledger = Ledger(dept.directory)
    if close:
        wanted = {e.key for e in events if e.key.startswith(f"tills|rank|{month}|")}
        done = {f"tills|rank|{month}|{e.get('person')}|{e.get('event')}" for e in active(ledger.entries())
                if e.get("month") == month and e.get("source", {}).get("type") == "tills-close"
                and str(e.get("event", "")).startswith("rank-")}
        if done and done != wanted:
            raise RuleViolationError(
                f"{month} was already closed with another ranking ({', '.join(sorted(done))}); "
                "reverse those entries first (dutyplan ledger reverse)")
    return record(ledger, rule_book(ws), events, now)


@click.group("cashier")
def tills_command() -> None:
    """Retail cashier desk (plugin cashier): till results -> P-CASHIER points."""


@tills_command.command("tills")
@click.argument("department", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--month", required=True, help="The month the rows belong to, e.g. 2027-01.")
@click.option("--close", is_flag=True, help="The month is over: award till-exact and the ranking.")
def tills_cmd(department: Path, file: Path, month: str, close: bool) -> None:
    """Import the daily till results (date,staff_id,transactions,difference,over_rings,under_rings)."""
    import pendulum

    from dutyplan.planner import Workspace

    ws = Workspace.open(department)
    result = import_till_results(ws, file, month, pendulum.now(ws.department.timezone), close=close)
    for entry in result.added:
        click.echo(f"#{entry['id']:<5} {entry['person']} {entry['date']} {entry['event']:16} "
                   f"{' '.join(entry['points']) or '0':6} {entry['detail']}")
    click.echo(f"ledger: {len(result.added)} entries added, {result.skipped} already recorded")
