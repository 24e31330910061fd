"""Point rules: the P-* defaults, [points] changes, plugin rules, manual events, escalations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from swaps.helpers import make_department, run

from dutyplan import hookimpl
from dutyplan.errors import InputError, PluginError
from dutyplan.ledger.chain import Ledger
from dutyplan.ledger.points import Award, Event, EventRule, GradePoints
from dutyplan.ledger.record import record, rule_book
from dutyplan.swaps.workspace import open_workspace

NOW = dt.datetime(2027, 1, 20, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def event(kind: str, person: str, day: int, n: int = 0, other: str | None = None) -> Event:
    source = {"type": "manual", "by": "E01"}
    return Event(kind, person, dt.date(2027, 1, day), kind, source, f"t|{kind}|{person}|{day}|{n}", other=other)


@pytest.mark.parametrize(("text", "points"), [("-B1", "-B1"), ("+a2", "+A2"), ("C1", "+C1"), ("0", ""),
                                              ("-B1 -C1", "-B1 -C1")])
def test_grade_points_round_trip(text: str, points: str) -> None:
    assert " ".join(map(str, GradePoints.parse(text))) == points


@pytest.mark.parametrize("text", ["B", "-D1", "1", "-B-1"])
def test_bad_grade_points(text: str) -> None:
    with pytest.raises(ValueError, match="expected grade points"):
        GradePoints.parse(text)


def test_defaults_encode_the_p_table(dept: Path) -> None:
    book = rule_book(open_workspace(dept))
    table = {r.event: (r.id, " ".join(map(str, r.award_.points)) or "0")
             for r in book.rules if isinstance(r, EventRule)}
    assert table["proxy-clock"] == ("P-PROXY", "-B1")
    assert table["no-uniform"] == ("P-UNIFORM", "-C1")
    assert table["left-post"] == ("P-LEFT-POST", "-B1")
    assert table["meal-overrun"] == ("P-MEAL", "-C1") and table["desk-empty"] == ("P-MEAL", "-C1")
    assert table["late"] == table["early-leave"] == table["missing-clock"] == ("P-LATE", "-C1")
    assert table["meeting-late"] == ("P-MEETING", "-B1") and table["meeting-absent"] == ("P-MEETING", "-A1")
    assert table["praise-letter"] == ("P-PRAISE", "+A1") and table["saved-large-loss"] == ("P-PRAISE", "+A2")
    assert table["rank-last"] == ("P-CASHIER", "-B1") and table["rank-second"] == ("P-CASHIER", "+C1")
    assert table["unapproved-swap"] == ("P-SWAP", "0")
    assert {r.key for r in book.escalations} == {"P-LEAVE/repeat", "P-LATE/bonus", "P-CASHIER/ring-errors"}


def test_department_file_changes_the_points(tmp_path: Path) -> None:
    dept = make_department(tmp_path, '[points]\naward = { late = "-B1", praise-letter = "+A2" }\n'
                                     'off = ["P-MEAL"]\nbonus_forfeit_after = 2\n')
    ws = open_workspace(dept)
    book = rule_book(ws)
    assert "meal-overrun" not in book.events
    result = record(Ledger(dept), book, [event("late", "E05", 3), event("late", "E05", 4),
                                         event("meal-overrun", "E05", 4)], NOW)
    assert [(e["event"], e["points"]) for e in result.added] == [("late", ["-B1"]), ("late", ["-B1"]),
                                                                  ("bonus-forfeit", [])]
    assert result.unrated == ["meal-overrun"]


def test_unknown_event_in_points_section_names_the_key(tmp_path: Path) -> None:
    dept = make_department(tmp_path, '[points]\naward = { lateness = "-C1" }\n')
    with pytest.raises(InputError, match=r"points.award.lateness: unknown event 'lateness'"):
        rule_book(open_workspace(dept))
    bad = make_department(tmp_path / "b", '[points]\naward = { late = "-X1" }\n')
    result = run(["points", "rules", bad])
    assert result.code == 2 and "points.award" in result.err and "expected grade points" in result.err


class CashierBonus:
    """A plugin: a new event and its rule, through the register_point_rules hook."""

    @hookimpl
    def register_point_rules(self, register: Any) -> None:
        register(EventRule(id="X-TILL", event="till-audit-passed", award_=Award(GradePoints.parse("+C1")),
                           manual=True, en="passed a surprise till audit"))


def test_plugins_add_point_rules(dept: Path) -> None:
    ws = open_workspace(dept)
    ws.pm.register(CashierBonus(), name="cashier-bonus")
    book = rule_book(ws)
    rule = next(r for r in book.rules if r.id == "X-TILL")
    assert rule.plugin == "cashier-bonus" and "till-audit-passed" in book.manual_events
    added = record(Ledger(dept), book, [event("till-audit-passed", "E04", 8)], NOW).added
    assert added[0]["points"] == ["+C1"] and added[0]["rule"] == "X-TILL"


def test_a_rule_registered_twice_names_both_plugins(dept: Path) -> None:
    class Clash:
        @hookimpl
        def register_point_rules(self, register: Any) -> None:
            register(EventRule(id="P-LATE", event="late"))

    ws = open_workspace(dept)
    ws.pm.register(Clash(), name="clash")
    with pytest.raises(PluginError, match=r"P-LATE/late.*both .clash. and .dutyplan.ledger.points."):
        rule_book(ws)


def test_points_add_by_an_approver_only(dept: Path) -> None:
    args = ["points", "add", dept, "--staff", "E05", "--event", "left-post", "--date", "2027-01-05",
            "--note", "left the desk 30 min", "--at", "2027-01-05T12:00:00+08:00"]
    refused = run([*args, "--by", "E07"])
    assert refused.code == 1 and "E07 may not record points" in refused.err, str(refused)
    result = run([*args, "--by", "E02"])
    assert result.code == 0 and "P-LEFT-POST -B1" in result.out, str(result)
    [entry] = Ledger(dept).entries()
    assert entry["source"] == {"type": "manual", "by": "E02", "at": "2027-01-05T12:00:00+08:00"}
    assert entry["detail"] == "left the desk 30 min"


def test_proxy_clock_in_costs_both_people(dept: Path) -> None:
    base = ["points", "add", dept, "--staff", "E05", "--event", "proxy-clock", "--date", "2027-01-06", "--by", "E01"]
    missing = run(base)
    assert missing.code == 2 and "--with" in missing.err
    result = run([*base, "--with", "E07"])
    assert result.code == 0, str(result)
    entries = Ledger(dept).entries()
    assert [(e["person"], e["points"], e.get("other")) for e in entries] == [("E05", ["-B1"], "E07"),
                                                                              ("E07", ["-B1"], "E05")]
    unknown = run(["points", "add", dept, "--staff", "E05", "--event", "nap", "--date", "2027-01-06", "--by", "E01"])
    assert unknown.code == 2 and "unknown event 'nap'" in unknown.err and "praise-letter" in unknown.err


def test_ring_error_tiers_replace_each_other(dept: Path) -> None:
    ws = open_workspace(dept)
    book, ledger = rule_book(ws), Ledger(dept)
    for n in range(1, 6):
        record(ledger, book, [event("ring-error", "E11", n, n)], NOW)
    from dutyplan.ledger.record import active

    standing = [e for e in active(ledger.entries()) if e["event"] == "ring-errors"]
    assert [(e["rule"], e["points"]) for e in standing] == [("P-CASHIER", ["-B1"])]  # 5 times: -B1, not -C1 too
    assert any(e.get("reverses") and e["points"] == ["+C1"] for e in ledger.entries())


def test_second_absence_escalates_and_first_does_not(dept: Path) -> None:
    ws = open_workspace(dept)
    book, ledger = rule_book(ws), Ledger(dept)
    first = record(ledger, book, [event("absence", "E08", 3)], NOW).added
    assert [e["event"] for e in first] == ["absence"]
    second = record(ledger, book, [event("unapproved-swap", "E08", 9, other="E10")], NOW).added
    assert [(e["event"], e["points"]) for e in second] == [("unapproved-swap", []), ("repeat-absence", ["-B1"])]
    other_month = record(ledger, book, [Event("absence", "E08", dt.date(2027, 2, 1), "x", {}, "feb")], NOW).added
    assert [e["event"] for e in other_month] == ["absence"]  # counted per month


def test_every_point_rule_and_command_is_documented(dept: Path) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "swaps-and-points.md").read_text(encoding="utf-8")
    for rule in rule_book(open_workspace(dept)).rules:
        for name in rule.events:
            assert f"| `{name}` | {rule.id} |" in docs, f"{name} ({rule.id}) is not in the P-* table of the docs"
        if not rule.events:
            assert f"`{rule.key}`" in docs, rule.key
    for command in ("swap check", "swap approve", "swap reject", "swap list", "dutyplan diff", "leave check",
                    "leave approve", "leave reject", "attendance import", "points add", "points report",
                    "points rules", "ledger verify", "ledger reverse", "ledger show"):
        assert command in docs, command
