"""``swap approve`` and ``swap reject``: who may, the next revision, exactly once, races and crashes."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest

from dutyplan import hookimpl
from dutyplan.errors import RuleViolationError
from dutyplan.ledger.chain import Ledger
from dutyplan.store import RosterStore
from dutyplan.swaps.approve import approve_swap
from dutyplan.swaps.files import when
from dutyplan.swaps.request import load_swap
from dutyplan.swaps.workspace import month_problem, open_workspace

from .helpers import AT, MONTH, d, run, swap_data, write_request

EXCHANGE = swap_data("E09", "E15", (1, "early"), (1, "middle"))
OTHER = swap_data("E06", "E02", (5, "middle"), (5, "early"))
"""Two swaps that are each accepted and touch different people and days."""


def index(dept: Path) -> dict[str, Any]:
    return tomllib.loads((dept / MONTH / "index.toml").read_text(encoding="utf-8"))


def approve(dept: Path, path: Path, by: str = "E01") -> Any:
    ws = open_workspace(dept)
    return approve_swap(ws, load_swap(path, ws.department), by, when(AT, ws.department.timezone))


def test_approve_writes_the_next_revision_and_keeps_the_old(dept: Path) -> None:
    r1 = (dept / MONTH / "roster.r1.toml").read_bytes()
    path = write_request(dept, "e09-e15.toml", EXCHANGE)
    result = run(["swap", "approve", path, "--by", "E01", "--at", AT])
    assert result.code == 0, str(result)
    assert (dept / MONTH / "roster.r1.toml").read_bytes() == r1  # R-REVISE: kept, never rewritten
    revisions = {r["number"]: r for r in index(dept)["revision"]}
    assert revisions[1]["status"] == "superseded" and revisions[1]["superseded_by"] == 2
    assert revisions[2]["status"] == "current" and "E01" in revisions[2]["reason"]
    ws = open_workspace(dept)
    new = ws.store.load(MONTH)
    assert new.shift_on("E09", d(1)) == "middle" and new.shift_on("E15", d(1)) == "early"
    assert new.extras["duty"] == ws.store.load(MONTH, 1).extras["duty"]  # the duty rotation is kept
    meals = new.extras["meals"]["2027-01-01"]
    assert "E09" in meals and meals["E15"] >= "11:00"  # E15 now eats in the early window
    assert ws.check(new, month_problem(ws, MONTH)).hard == []
    [record] = new.extras["applied_swaps"]
    assert record["approved_by"] == "E01" and record["revision"] == 2 and record["file"] == "e09-e15.toml"
    assert not path.exists()
    moved = tomllib.loads((dept / MONTH / "swaps" / "approved" / "e09-e15.toml").read_text(encoding="utf-8"))
    assert moved["decision"]["by"] == "E01" and moved["decision"]["revision"] == 2
    assert moved["requester"] == "E09"  # the request itself is kept as written
    for sid in ("E09", "E15"):
        assert f"r2/ics/{sid}.ics" in result.out and (dept / MONTH / "r2" / "ics" / f"{sid}.ics").exists()
    assert "E09 周杰: 01-01 early → middle" in result.out and "E01" not in result.out.split("changed:")[1]
    entries = Ledger(dept).entries()
    assert [(e["person"], e["event"], e["points"]) for e in entries] == [("E09", "swap", []), ("E15", "swap", [])]


def test_non_approver_is_refused(dept: Path) -> None:
    path = write_request(dept, "req.toml", EXCHANGE)
    result = run(["swap", "approve", path, "--by", "E09", "--at", AT])
    assert result.code == 1 and "E09 may not approve" in result.err and "E01, E02" in result.err, str(result)
    assert path.exists() and index(dept)["current"] == 1
    unknown = run(["swap", "approve", path, "--by", "M01", "--at", AT])
    assert unknown.code == 2 and "--by: unknown staff id 'M01'" in unknown.err, str(unknown)


def test_a_plugin_decides_who_may_approve(dept: Path) -> None:
    """``may_approve`` is firstresult: a plugin's answer wins over the built-in department.approvers."""

    class TeamLeads:
        @hookimpl
        def may_approve(self, approver: str, request: Any, problem: Any) -> bool | None:
            return True if approver == "E03" else None

    ws = open_workspace(dept)
    ws.pm.register(TeamLeads(), name="team-leads")
    at = when(AT, ws.department.timezone)
    request = load_swap(write_request(dept, "req.toml", EXCHANGE), ws.department)
    outcome = approve_swap(ws, request, "E03", at)
    assert outcome.new is not None and outcome.new.revision == 2
    other = load_swap(write_request(dept, "other.toml", OTHER), ws.department)
    with pytest.raises(RuleViolationError, match="E04 may not approve"):
        approve_swap(ws, other, "E04", at)


def test_roster_revised_hook_gets_the_changed_people(dept: Path) -> None:
    seen: list[tuple[int, int, list[str]]] = []

    class Notify:
        @hookimpl
        def roster_revised(self, old: Any, new: Any, problem: Any, changed: list[str]) -> None:
            seen.append((old.revision, new.revision, changed))

    ws = open_workspace(dept)
    ws.pm.register(Notify(), name="notify")
    approve_swap(ws, load_swap(write_request(dept, "req.toml", EXCHANGE), ws.department), "E02",
                 when(AT, ws.department.timezone))
    assert seen == [(1, 2, ["E09", "E15"])]


def test_monthly_cap_refuses_the_third_swap(dept: Path) -> None:
    first = write_request(dept, "one.toml", swap_data("E06", "E01", (2, "early"), (2, "middle")))
    second = write_request(dept, "two.toml", OTHER)
    third = write_request(dept, "three.toml", swap_data("E06", "E12", (11, "middle"), (11, "early")))
    assert run(["swap", "check", third, "--at", AT]).code == 0  # on its own the third is fine
    for path in (first, second):
        assert run(["swap", "approve", path, "--by", "E01", "--at", AT]).code == 0
    result = run(["swap", "approve", third, "--by", "E01", "--at", AT])
    assert result.code == 1, str(result)
    assert "S-MONTHLY-CAP" in result.err and "E06 already has 2 approved swap(s) in 2027-01" in result.err
    assert "E12" not in result.err.split("S-MONTHLY-CAP")[1]  # the counterpart has used none
    assert third.exists() and index(dept)["current"] == 3


def test_cap_is_configurable(tmp_path: Path) -> None:
    from .helpers import make_department

    dept = make_department(tmp_path, "[swaps]\nmonthly_cap = 1\n")
    assert run(["swap", "approve", write_request(dept, "a.toml", OTHER), "--by", "E01", "--at", AT]).code == 0
    result = run(["swap", "check", write_request(dept, "b.toml", swap_data("E06", "E12", (11, "middle"),
                                                                            (11, "early"))), "--at", AT])
    assert result.code == 1 and "at most 1 a month" in result.out, str(result)


def test_approving_twice_applies_once(dept: Path) -> None:
    path = write_request(dept, "req.toml", EXCHANGE)
    copy = write_request(dept, "same-request-other-name.toml", EXCHANGE)
    assert run(["swap", "approve", path, "--by", "E01", "--at", AT]).code == 0
    again = run(["swap", "approve", copy, "--by", "E02", "--at", AT])
    assert again.code == 0 and "already applied in revision 2; not applied again" in again.out, str(again)
    moved = run(["swap", "approve", dept / MONTH / "swaps" / "approved" / "req.toml", "--by", "E01"])
    assert moved.code == 0 and "already applied" in moved.out
    assert RosterStore(dept).revision_files(MONTH) == [1, 2]
    assert not copy.exists()  # the duplicate is settled, not left pending
    assert len(Ledger(dept).entries()) == 2
    check = run(["swap", "check", dept / MONTH / "swaps" / "approved" / "req.toml"])
    assert check.code == 0 and "already applied in revision 2" in check.out


def test_two_approvals_racing_lose_nothing(dept: Path) -> None:
    """Different requests approved at once: both applied, one after the other, each on the other's revision."""
    paths = [write_request(dept, "a.toml", EXCHANGE), write_request(dept, "b.toml", OTHER)]
    errors: list[BaseException] = []

    def go(path: Path) -> None:
        try:
            approve(dept, path)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ws = open_workspace(dept)
    final = ws.store.load(MONTH)
    assert final.revision == 3
    assert final.shift_on("E09", d(1)) == "middle" and final.shift_on("E06", d(5)) == "early"
    assert sorted(r["file"] for r in final.extras["applied_swaps"]) == ["a.toml", "b.toml"]


def test_the_same_request_racing_applies_once(dept: Path) -> None:
    path = write_request(dept, "req.toml", EXCHANGE)
    ws = open_workspace(dept)
    request = load_swap(path, ws.department)
    outcomes: list[Any] = []

    def go() -> None:
        outcomes.append(approve_swap(open_workspace(dept), request, "E01", when(AT, ws.department.timezone)))

    threads = [threading.Thread(target=go) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.already or 0 for o in outcomes) == [0, 2, 2]
    assert RosterStore(dept).revision_files(MONTH) == [1, 2]
    assert len(open_workspace(dept).store.load(MONTH).extras["applied_swaps"]) == 1


def test_crash_between_new_revision_and_index_leaves_the_old_current(dept: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    r1 = (dept / MONTH / "roster.r1.toml").read_bytes()
    before_index = (dept / MONTH / "index.toml").read_bytes()
    path = write_request(dept, "req.toml", EXCHANGE)

    def crash(self: RosterStore, label: str, number: int, reason: str) -> None:
        raise KeyboardInterrupt("power cut")  # not an Exception: nothing may swallow it

    monkeypatch.setattr(RosterStore, "_make_current", crash)
    with pytest.raises(KeyboardInterrupt):
        approve(dept, path)
    monkeypatch.undo()
    assert (dept / MONTH / "index.toml").read_bytes() == before_index
    assert (dept / MONTH / "roster.r1.toml").read_bytes() == r1
    assert (dept / MONTH / "roster.r2.toml").exists()  # written, but never made current
    assert path.exists() and not (dept / MONTH / "swaps" / "approved").exists()
    assert open_workspace(dept).store.load(MONTH).revision == 1
    assert not Ledger(dept).path.exists()
    outcome = approve(dept, path)  # approving again finishes the job on top of r1
    assert outcome.new.revision == 3
    assert index(dept)["revision"][0]["superseded_by"] == 3
    assert len(outcome.new.extras["applied_swaps"]) == 1


def test_reject_moves_the_request_with_the_reason(dept: Path) -> None:
    path = write_request(dept, "req.toml", EXCHANGE)
    refused = run(["swap", "reject", path, "--by", "E09", "--reason", "no", "--at", AT])
    assert refused.code == 1 and "may not reject" in refused.err
    result = run(["swap", "reject", path, "--by", "E02", "--reason", "E15 is needed on early that day",
                  "--at", AT])
    assert result.code == 0, str(result)
    moved = tomllib.loads((dept / MONTH / "swaps" / "rejected" / "req.toml").read_text(encoding="utf-8"))
    assert moved["decision"]["state"] == "rejected" and moved["decision"]["reason"].startswith("E15 is needed")
    assert index(dept)["current"] == 1 and not path.exists()
    again = run(["swap", "approve", dept / MONTH / "swaps" / "rejected" / "req.toml", "--by", "E01"])
    assert again.code == 1 and "already rejected by E02" in again.err
    listed = run(["swap", "list", dept, "--month", MONTH])
    assert "rejected" in listed.out and "req.toml" in listed.out


def test_diff_person_by_person(dept: Path) -> None:
    assert run(["swap", "approve", write_request(dept, "a.toml", EXCHANGE), "--by", "E01", "--at", AT]).code == 0
    assert run(["swap", "approve", write_request(dept, "b.toml", OTHER), "--by", "E01", "--at", AT]).code == 0
    result = run(["diff", dept, "--month", MONTH, "--from", "1", "--to", "3"])
    assert result.code == 0, str(result)
    assert "revision 1 → 3, 4 person(s) changed" in result.out
    assert "E06 杨敏: 01-05 middle → early" in result.out and "E15 胡斌: 01-01 middle → early" in result.out
    latest = run(["diff", dept, "--month", MONTH])
    assert "revision 2 → 3, 2 person(s) changed" in latest.out and "E09" not in latest.out
    bad = run(["diff", dept, "--month", MONTH, "--from", "7"])
    assert bad.code == 2 and "revision 7 does not exist" in bad.err


def test_approved_requests_still_count_after_a_replan(dept: Path) -> None:
    """A new plan of the month has no ``applied_swaps``; the approved files still hold the cap and the keys."""
    first = write_request(dept, "one.toml", swap_data("E06", "E01", (2, "early"), (2, "middle")))
    copy = write_request(dept, "copy.toml", swap_data("E06", "E01", (2, "early"), (2, "middle")))
    copy_text = copy.read_text(encoding="utf-8")
    assert run(["swap", "approve", first, "--by", "E01", "--at", AT]).code == 0
    assert run(["swap", "approve", write_request(dept, "two.toml", OTHER), "--by", "E01", "--at", AT]).code == 0
    store = RosterStore(dept, tz="Asia/Shanghai")
    replanned = store.load(MONTH, 1)
    replanned.revision, replanned.created = 0, None
    store.write_revision(MONTH, replanned, reason="plan")  # as `dutyplan plan` would: a fresh roster
    third = write_request(dept, "three.toml", swap_data("E06", "E12", (11, "middle"), (11, "early")))
    result = run(["swap", "check", third, "--at", AT])
    assert result.code == 1 and "E06 already has 2 approved swap(s)" in result.out, str(result)
    copy.write_text(copy_text, encoding="utf-8")
    again = run(["swap", "check", copy, "--at", AT])
    assert again.code == 0 and "already applied in revision 2" in again.out, str(again)
