"""Ledger append and verify at 100,000 entries (the tamper-evident point ledger, P-*).

Measured, on a fresh ledger in a temporary folder:

* bulk append: ``--entries`` entries in batches of ``--batch`` (an attendance
  import appends its events in one locked write + fsync);
* single appends: ``--singles`` one-entry appends on top (a ``points add``:
  lock, read the last line only, write, fsync, replace head.json), median latency;
* verify: ``Ledger.scan()`` of the whole file (every hash recomputed, every link checked);
* record: one event through ``record()`` on top of the full ledger (what a
  command pays: full read and chain check, keys, escalations, append).

    python bench/ledger_bench.py [--entries 100000] [--batch 1000] [--singles 200] [--write]

``--write`` replaces the "### ledger" part of the "## Swaps and ledger" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from swap_bench import preamble, update_results

from dutyplan.ledger.chain import Ledger
from dutyplan.ledger.points import DEFAULT_RULES, AttendanceBonus, Event, PointSettings, RepeatAbsence, RingErrorTiers
from dutyplan.ledger.record import RuleBook, record

TZ = dt.timezone(dt.timedelta(hours=8))


def draft(i: int) -> dict[str, Any]:
    """A realistic entry (a late clock-in), about 600 bytes once chained."""
    day = dt.date(2027, 1, 1) + dt.timedelta(days=i % 365)
    person = f"S{i % 200 + 1:03d}"
    return {
        "time": "2027-01-20T18:00:00+08:00", "person": person, "date": day.isoformat(), "month": f"{day:%Y-%m}",
        "event": "late", "rule": "P-LATE", "rule_key": "P-LATE/late", "points": ["-C1"], "pay_days": 0,
        "bonus_forfeit": False, "demerit": False, "detail": f"clocked in 07:0{i % 10} for early {day:%m-%d}",
        "source": {"type": "attendance", "file": "clock.csv", "sha256": "0" * 64, "lines": [i + 2]},
        "key": f"att|late|{person}|{day}|early|{i}", "occurred": f"{day}T07:03:00+08:00",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    folder_kind = f"`{os.environ.get('BENCH_TMP') or tempfile.gettempdir()}`"
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        ledger = Ledger(Path(tmp))
        t = time.perf_counter()
        for start in range(0, args.entries, args.batch):
            ledger.append([draft(i) for i in range(start, min(args.entries, start + args.batch))])
        bulk = time.perf_counter() - t
        singles = []
        for i in range(args.singles):
            t = time.perf_counter()
            ledger.append([draft(args.entries + i)])
            singles.append(time.perf_counter() - t)
        size = ledger.path.stat().st_size
        t = time.perf_counter()
        scan = ledger.scan()
        verify = time.perf_counter() - t
        assert scan.ok and len(scan.entries) == args.entries + args.singles
        rules = [*DEFAULT_RULES, RepeatAbsence(), AttendanceBonus(), RingErrorTiers()]
        book = RuleBook(list(rules), PointSettings())
        event = Event("left-post", "S001", dt.date(2027, 1, 20), "left the desk", {"type": "manual", "by": "S002"},
                      "bench|left-post")
        t = time.perf_counter()
        added = record(ledger, book, [event], dt.datetime(2027, 1, 20, 18, 0, tzinfo=TZ)).added
        recorded = time.perf_counter() - t
        assert added and ledger.scan().ok
    n = args.entries
    rows = [
        (f"bulk append, {n:,} entries in batches of {args.batch} (lock, one write, fsync, head)",
         f"{bulk:.2f} s ({n / bulk:,.0f} entries/s)"),
        (f"single append (lock, read last line, write, fsync, head), median of {args.singles}",
         f"{statistics.median(singles) * 1000:.1f} ms"),
        ("verify: read, recompute every hash, check every link (`ledger verify`)", f"{verify:.2f} s"),
        ("record one event on top (full read and check, keys, escalations, append: `points add`)",
         f"{recorded:.2f} s"),
    ]
    table = [f"| ledger of {n + args.singles:,} entries ({size / 1e6:.1f} MB) on {folder_kind} | time |", "|---|---|",
             *(f"| {a} | {b} |" for a, b in rows)]
    body = "\n".join([*preamble("ledger_bench.py"), "", *table]) + "\n"
    print(body)
    if args.write:
        update_results("### ledger", body)


if __name__ == "__main__":
    main()
