"""``swap check``: every check both ways, against the fixed January 2027 roster (no solver)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dutyplan.rules.base import Violation
from dutyplan.swaps.request import load_swap
from dutyplan.swaps.validate import check_swap
from dutyplan.swaps.workspace import month_problem, open_workspace

from .helpers import AT, MONTH, WRITTEN, d, run, swap_data, write_request

EXCHANGE = swap_data("E09", "E15", (1, "early"), (1, "middle"))
"""Accepted: E09 and E15 trade the early and middle shift of 01-01."""


def check(dept: Path, data: dict[str, object], at: str = AT) -> list[Violation]:
    ws = open_workspace(dept)
    path = write_request(dept, "req.toml", data)
    from dutyplan.swaps.files import when

    return check_swap(ws, load_swap(path, ws.department), at=when(at, ws.department.timezone)).problems


def rules_named(problems: list[Violation]) -> set[tuple[str, str | None, dt.date | None]]:
    return {(v.rule_id, v.staff, v.date) for v in problems}


def test_fixture_roster_meets_every_hard_rule(dept: Path) -> None:
    ws = open_workspace(dept)
    problem = month_problem(ws, MONTH)
    report = ws.check(ws.store.load(MONTH), problem)
    assert report.hard == [], "regenerate tests/data/swaps/roster-2027-01.toml: " + "; ".join(map(str, report.hard))


def test_exchange_accepted_exit_0(dept: Path) -> None:
    path = write_request(dept, "ok.toml", EXCHANGE)
    result = run(["swap", "check", path, "--at", AT])
    assert result.code == 0, str(result)
    assert "accepted" in result.out and "E09 0, E15 0 (cap 2" in result.out


def test_give_away_accepted(dept: Path) -> None:
    assert check(dept, swap_data("E05", "E01", (1, "early"))) == []


def test_night_then_early_refused_with_r_rest(dept: Path) -> None:
    """E03 works night on 01-02; taking E05's early shift on 01-03 leaves no rest (the department forbids it)."""
    path = write_request(dept, "rest.toml", swap_data("E05", "E03", (3, "early")))
    result = run(["swap", "check", path, "--at", AT])
    assert result.code == 1, str(result)
    line = next(x for x in result.out.splitlines() if "R-REST" in x)
    assert "E03" in line and "2027-01-03" in line and "night then early" in line
    assert "refused" in result.err and "Traceback" not in result.err


def test_shift_not_on_the_roster_is_refused(dept: Path) -> None:
    problems = check(dept, swap_data("E09", "E15", (1, "middle"), (1, "early")))
    assert ("S-REQUEST", "E09", d(1)) in rules_named(problems)
    assert ("S-REQUEST", "E15", d(1)) in rules_named(problems)
    assert all("does not work" in v.message for v in problems)


def test_counterpart_consent_both_ways(dept: Path) -> None:
    assert check(dept, EXCHANGE) == []
    missing = check(dept, {k: v for k, v in EXCHANGE.items() if k != "consent"})
    assert [v.rule_id for v in missing] == ["S-REQUEST"] and "has not consented" in missing[0].message
    declined = check(dept, {**EXCHANGE, "consent": {"by": "E15", "agreed": False, "at": WRITTEN}})
    assert "declined" in declined[0].message
    someone_else = check(dept, {**EXCHANGE, "consent": {"by": "E01", "agreed": True, "at": WRITTEN}})
    assert "expected the counterpart E15" in someone_else[0].message


def test_request_must_be_written_before_the_swap(dept: Path) -> None:
    late = dt.datetime(2027, 1, 1, 7, 30, tzinfo=WRITTEN.tzinfo)  # the early shift began at 07:00
    problems = check(dept, {**EXCHANGE, "written_at": late})
    assert [v.rule_id for v in problems] == ["S-REQUEST"] and "not before the first shift" in problems[0].message
    local = dt.datetime(2027, 1, 1, 6, 59)  # no offset: read in Asia/Shanghai, one minute early enough
    assert check(dept, {**EXCHANGE, "written_at": local}) == []


def test_decision_must_come_before_the_swap(dept: Path) -> None:
    problems = check(dept, EXCHANGE, at="2027-01-01T07:00:00+08:00")
    assert [v.rule_id for v in problems] == ["R-FIXED"]
    assert check(dept, EXCHANGE, at="2027-01-01T06:59:00+08:00") == []


def test_request_written_by_a_third_person_is_refused(dept: Path) -> None:
    problems = check(dept, {**EXCHANGE, "written_by": "E07"})
    assert rules_named(problems) == {("S-REQUEST", "E07", None)}
    assert check(dept, {**EXCHANGE, "written_by": "E01"}) == []  # an approver may fill in the form


def test_unchanged_violation_is_not_blamed_on_the_swap(dept: Path) -> None:
    """A gap that is already in the revision (e.g. left by approved leave) does not refuse an unrelated swap."""
    ws = open_workspace(dept)
    roster = ws.store.load(MONTH)
    problem = month_problem(ws, MONTH)
    gap = roster.replace_assignments(a for a in roster.assignments if not (a.date == d(20) and a.shift == "night"))
    path = write_request(dept, "ok.toml", EXCHANGE)
    result = check_swap(ws, load_swap(path, ws.department), roster=gap, problem=problem)
    assert result.accepted, result.problems
    assert any(v.rule_id == "R-COVER" for v in ws.check(result.after, problem).hard)  # the old gap is still there
