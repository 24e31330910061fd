#!/usr/bin/env bash
# Swaps, leave, attendance and the point ledger on the example department, January 2027 (issue 4).
#
#   rosters/customer-service/walkthrough.sh [DEPARTMENT_FOLDER]
#
# Default folder: the one this script lies in. If the folder has no January 2027
# roster yet, it is planned first (TIME_LIMIT seconds, default 20). The swap and
# leave requests are then written to fit that roster (a solver may plan a
# different roster on another run): two swaps approved, one rejected, one refused
# by the monthly cap (S-MONTHLY-CAP) and one by a hard rule (R-REST), a leave
# request approved, a week of clock records with late, early, absent and
# unapproved-swap cases imported, and the points report printed and saved.
# Every decision is dated with --at, so a run gives the same ledger whatever today is.
#
# Environment: DUTYPLAN (the dutyplan command; default the repository's .venv,
# else `dutyplan` on PATH), PYTHON (the Python that has dutyplan installed;
# default the one beside DUTYPLAN), TIME_LIMIT.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEPT="$(cd "${1:-$HERE}" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [[ -z "${DUTYPLAN:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/dutyplan" ]]; then DUTYPLAN="$ROOT/.venv/bin/dutyplan"; else DUTYPLAN=dutyplan; fi
fi
DUTYPLAN="$(command -v "$DUTYPLAN")"
PYTHON="${PYTHON:-$(dirname "$DUTYPLAN")/python}"
MONTH=2027-01
# Work beside the department folder, so that every path printed is short: customer-service/2027-01/...
cd "$(dirname "$DEPT")"
DEPT="$(basename "$DEPT")"
M="$DEPT/$MONTH"

step() { printf '\n=== %s\n' "$*"; }
show() {  # the command as one would type it
  local line='$ dutyplan' arg
  for arg in "$@"; do
    if [[ "$arg" == *" "* ]]; then line+=" \"$arg\""; else line+=" $arg"; fi
  done
  printf '%s\n' "$line"
}
dp() { show "$@"; "$DUTYPLAN" "$@"; }
dp_refused() {  # a command that is expected to refuse (exit 1): show it and go on
  show "$@"
  local code=0
  "$DUTYPLAN" "$@" || code=$?
  printf '(exit %s)\n' "$code"
  [[ $code -eq 1 ]] || { echo "expected exit 1" >&2; exit 1; }
}

if [[ -e "$DEPT/ledger/points.jsonl" || -d "$M/swaps/approved" ]]; then
  echo "$DEPT already went through this walkthrough (ledger or approved swaps exist); use a fresh copy." >&2
  exit 2
fi

if [[ ! -f "$M/index.toml" ]]; then
  step "No roster for $MONTH yet: plan it"
  dp plan "$DEPT" --month "$MONTH" --time-limit "${TIME_LIMIT:-20}" --workers 2 | grep -E "^(status|roster revision)"
fi

step "Write swap and leave requests that fit the current roster"
"$PYTHON" - "$DEPT" <<'PY'
"""Pick requests that show each outcome on whatever roster was planned, and write them as files."""
import datetime as dt
import sys
from pathlib import Path

import tomli_w

from dutyplan.swaps.files import RequestFile, content_key
from dutyplan.swaps.request import SwapRequest
from dutyplan.swaps.validate import check_swap
from dutyplan.swaps.workspace import month_problem, open_workspace

dept, month = Path(sys.argv[1]), "2027-01"
tz = dt.timezone(dt.timedelta(hours=8))
ws = open_workspace(dept)
roster, problem = ws.store.load(month), month_problem(ws, month)
rules = ws.rules(problem)
staff = problem.staff_ids


def swap(p, q, give, take=None, written=dt.datetime(2026, 12, 20, 9, 30, tzinfo=tz)):
    data = {"format": "dutyplan-swap/1", "kind": "exchange" if take else "give-away", "requester": p,
            "counterpart": q, "give": {"date": give[0], "shift": give[1]}, "written_by": p, "written_at": written,
            "reason": "家里有事 family matters",
            "consent": {"by": q, "agreed": True, "at": written + dt.timedelta(hours=3)}}
    if take:
        data["take"] = {"date": take[0], "shift": take[1]}
    return data


def check(data, base):
    model = SwapRequest.model_validate({k: v for k, v in data.items() if k != "format"})
    request = RequestFile(Path("x.toml"), model, content_key(model.model_dump(mode="json")), None, "")
    return check_swap(ws, request, roster=base, problem=problem, rules=rules)


def exchanges(person, base, days, avoid):
    """Accepted same-day exchanges of ``person``'s early or middle shift with someone on the other one."""
    for day in days:
        mine = base.shift_on(person, day)
        if mine not in ("early", "middle"):
            continue
        other = "middle" if mine == "early" else "early"
        for q in base.on(day, other):
            if q in avoid:
                continue
            data = swap(person, q, (day, mine), (day, other))
            result = check(data, base)
            if result.accepted:
                yield data, result.after


days = problem.dates[3:16]
chain = None
for person in staff:  # someone with three acceptable swaps in a row: two approved, the third over the cap
    base, found, used = roster, [], set()
    for day in days:
        if len(found) == 3:
            break
        for data, after in exchanges(person, base, [day], used | {person}):
            found.append(data)
            used.add(data["counterpart"])
            base = after
            break
    if len(found) == 3:
        chain = found
        break
assert chain, "no person with three acceptable swaps: plan again"
a, b, cap = chain
after_ab = check(b, check(a, roster).after).after
busy = {a["requester"], a["counterpart"], b["counterpart"], cap["counterpart"]}
reject = next(d for p in staff if p not in busy for d, _ in exchanges(p, after_ab, problem.dates[16:22], busy))
rest = None
for i, day in enumerate(problem.dates[:-1]):  # a give-away that would put someone on night then early (R-REST)
    nxt = problem.dates[i + 1]
    for x in staff:
        if after_ab.shift_on(x, day) != "night" or after_ab.shift_on(x, nxt) is not None or x in busy:
            continue
        for y in after_ab.on(nxt, "early"):
            data = swap(y, x, (nxt, "early"))
            if any(v.rule_id == "R-REST" for v in check(data, after_ab).problems):
                rest = data
                break
        if rest:
            break
    if rest:
        break
assert rest, "no night-then-early example in this roster"
files = {"01-exchange-approved.toml": a, "02-exchange-approved.toml": b, "03-exchange-rejected.toml": reject,
         "04-over-the-cap.toml": cap, "05-night-then-early.toml": rest}
folder = dept / month / "swaps"
folder.mkdir(parents=True, exist_ok=True)
for name, data in files.items():
    (folder / name).write_text(tomli_w.dumps(data), encoding="utf-8")
    print(f"{name}: {SwapRequest.model_validate({k: v for k, v in data.items() if k != 'format'}).summary()}")

# Leave: someone not involved above, one working day in the week the clock file covers (01-18..01-24).
week = [problem.dates[i] for i in range(17, 24)]
person, day = next((p, d) for d in week[2:5] for p in staff if p not in busy | {rest["requester"], rest["counterpart"]}
                   and after_ab.shift_on(p, d) == "middle")
leave = {"format": "dutyplan-leave/1", "staff": person, "type": "personal", "start": day, "end": day,
         "requested_at": dt.datetime.combine(day - dt.timedelta(days=2), dt.time(10, 0), tzinfo=tz),
         "written_by": person, "reason": "看病 doctor's appointment"}
(dept / month / "leave").mkdir(exist_ok=True)
(dept / month / "leave" / "01-personal.toml").write_text(tomli_w.dumps(leave), encoding="utf-8")
print(f"leave/01-personal.toml: {person} personal leave on {day:%m-%d}, requested two days ahead")
PY

S="$M/swaps"
step "Check each swap request (no solver; the roster as it would be after the swap, every hard rule)"
dp swap check "$S/01-exchange-approved.toml" --at 2026-12-28T10:00:00+08:00
dp_refused swap check "$S/05-night-then-early.toml" --at 2026-12-28T10:00:00+08:00

step "Approve two swaps (only department.approvers may), reject one, and see the cap refuse the fourth"
dp_refused swap approve "$S/01-exchange-approved.toml" --by E07 --at 2026-12-28T10:00:00+08:00
dp swap approve "$S/01-exchange-approved.toml" --by E01 --at 2026-12-28T10:00:00+08:00
dp swap approve "$S/02-exchange-approved.toml" --by E01 --at 2026-12-28T10:05:00+08:00
dp swap reject "$S/03-exchange-rejected.toml" --by E02 --reason "年初培训，当天不换班 training that day" \
  --at 2026-12-28T10:10:00+08:00
dp_refused swap approve "$S/04-over-the-cap.toml" --by E01 --at 2026-12-28T10:15:00+08:00
dp swap reject "$S/05-night-then-early.toml" --by E01 --reason "R-REST: 夜班后不能接早班 no early after a night" \
  --at 2026-12-28T10:20:00+08:00
dp swap approve "$S/approved/01-exchange-approved.toml" --by E01 --at 2026-12-28T11:00:00+08:00
dp swap list "$DEPT" --month "$MONTH"
dp diff "$DEPT" --month "$MONTH" --from 1

step "Leave: the notice rule (S-LEAVE) and the gap the approved leave leaves"
dp leave check "$M/leave/01-personal.toml"
dp leave approve "$M/leave/01-personal.toml" --by E02 --at 2027-01-17T09:00:00+08:00

step "Fill the gap: re-plan from the leave day on, keeping the days before it (and the swaps on them)"
dp plan "$DEPT" --month "$MONTH" --keep-until 2027-01-20 --time-limit "${TIME_LIMIT:-20}" --workers 2 \
  | grep -E "^(status|kept|roster revision)"
dp check "$DEPT" --month "$MONTH" | tail -n 1

step "A week of clock records (01-18..01-24) with late, early, absent and unapproved-swap cases"
mkdir -p "$M/attendance"
"$PYTHON" - "$DEPT" "$M/attendance/clock-2027-01-18.csv" <<'PY'
"""Clock records from the current revision: everyone on time except the cases the walkthrough shows."""
import datetime as dt
import sys
from pathlib import Path

from dutyplan.swaps.workspace import month_problem, open_workspace

dept, target, month = Path(sys.argv[1]), Path(sys.argv[2]), "2027-01"
ws = open_workspace(dept)
roster, problem = ws.store.load(month), month_problem(ws, month)
week = problem.dates[17:24]
shifts = ws.department.shift_by_id
tz = ws.department.timezone
rows, notes = [], []


def punch(sid, day, shift, arrive=-10, leave=5, clock_in=True, clock_out=True):
    start, end = shifts[shift].interval(day, tz)
    if clock_in:
        rows.append((start.add(minutes=arrive), sid, "in"))
    if clock_out:
        rows.append((end.add(minutes=leave), sid, "out"))


def working(sid):
    return [d for d in week if roster.shift_on(sid, d)]


people = sorted(problem.staff_ids, key=lambda s: -len(working(s)))
slips, absent, late = people[0], people[1], people[2]
special = {}
d1, d2, d3 = working(slips)[:3]
special[(slips, d1)] = dict(arrive=2)                     # 07:02 for 07:00: late (ready by 06:55)
special[(slips, d2)] = dict(leave=-25)                    # leaves 25 min early
special[(slips, d3)] = dict(clock_out=False)              # no clock-out: the third slip, 全勤奖 forfeited
notes += [f"{slips}: late {d1:%m-%d}, early leave {d2:%m-%d}, no clock-out {d3:%m-%d}"]
a1, a2 = working(absent)[1:3]
special[(absent, a1)] = special[(absent, a2)] = None     # never comes: 旷工 twice, the second -B1
notes += [f"{absent}: absent {a1:%m-%d} and {a2:%m-%d}"]
l1 = working(late)[0]
special[(late, l1)] = dict(arrive=25)                     # 25 min late: a disciplinary case (S-LATE)
notes += [f"{late}: 25 minutes late {l1:%m-%d}"]
swap_day = next(d for d in week[3:] if all((p, d) not in special for p in roster.on(d, "middle")))
rostered = roster.on(swap_day, "middle")[0]
before, after = swap_day - dt.timedelta(days=1), swap_day + dt.timedelta(days=1)
stand_in = next(p for p in problem.staff_ids if roster.shift_on(p, swap_day) is None
                and roster.shift_on(p, before) != "night" and roster.shift_on(p, after) != "early"
                and p not in (slips, absent, late))
special[(rostered, swap_day)] = None
punch(stand_in, swap_day, "middle")                       # works it without an approved swap request
notes += [f"{stand_in} works {rostered}'s middle shift on {swap_day:%m-%d} without a swap request"]
for a in roster.assignments:
    if a.date in week and (a.staff, a.date) not in special:
        punch(a.staff, a.date, a.shift)
    elif a.date in week and special[(a.staff, a.date)] is not None:
        punch(a.staff, a.date, a.shift, **special[(a.staff, a.date)])
rows.sort()
target.write_text("staff_id,timestamp,kind\n" + "".join(f"{s},{t.isoformat()},{k}\n" for t, s, k in rows),
                  encoding="utf-8")
print(f"{target.name}: {len(rows)} records; " + "; ".join(notes))
PY
dp attendance import "$DEPT" "$M/attendance/clock-2027-01-18.csv" --at 2027-01-25T09:00:00+08:00
printf 'importing the same file again adds nothing:\n'
dp attendance import "$DEPT" "$M/attendance/clock-2027-01-18.csv" --at 2027-01-25T09:05:00+08:00 | tail -n 1

step "Manual events by an approver, and a correction (a reversing entry, never an edit)"
dp points add "$DEPT" --staff E06 --event praise-letter --date 2027-01-21 --by E01 \
  --note "顾客表扬信 letter of thanks from a guest" --at 2027-01-25T10:00:00+08:00
dp points add "$DEPT" --staff E08 --event proxy-clock --with E11 --date 2027-01-22 --by E02 \
  --note "E08 clocked in for E11" --at 2027-01-25T10:05:00+08:00
EXCUSED="$("$PYTHON" -c 'import json,sys; print(next(e["id"] for e in map(json.loads, open(sys.argv[1]))
                                                       if e["event"] == "late" and "disciplinary" in e["detail"]))' \
  "$DEPT/ledger/points.jsonl")"
dp ledger reverse "$DEPT" "$EXCUSED" --by E01 --reason "交通事故，有证明 a road accident, excused" \
  --at 2027-01-25T11:00:00+08:00

step "The ledger is intact, and the month's points"
dp ledger verify "$DEPT"
dp points report "$DEPT" --month "$MONTH"
"$DUTYPLAN" points report "$DEPT" --month "$MONTH" --format csv > "$M/points-$MONTH.csv"
echo "payroll copy: $M/points-$MONTH.csv"
