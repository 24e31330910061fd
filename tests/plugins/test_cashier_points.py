"""P-CASHIER from the daily till results, on the point ledger (plugins/cashier/tills.py).

The till export becomes ledger events of the kinds DOMAIN.md's P-CASHIER rows
define; the ledger's own rules give the points (ring-error tiers included),
and the plugin's ``register_point_rules`` adds its ``till-difference`` record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from dutyplan.errors import InputError, RuleViolationError
from dutyplan.planner import Workspace
from dutyplan.testing import DepartmentFactory

from .support import load_cashier, uses

NOW = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HEADER = "date,staff_id,transactions,difference,over_rings,under_rings\n"


def _month(changes: dict[tuple[str, int], str] | None = None) -> str:
    """Twelve till days of E01..E04 (200, 180, 150, 120 transactions a day) and nine of E05."""
    per_day = {"E01": 200, "E02": 180, "E03": 150, "E04": 120, "E05": 300}
    special = {("E02", 4): "-0.50,1,0", ("E02", 5): "0.40,0,0", ("E03", 6): "-5.00,2,0", ("E03", 7): "0,0,1",
               ("E04", 4): "0.60,0,0", ("E04", 8): "-0.60,0,0", **(changes or {})}
    lines = [HEADER]
    for sid, count in per_day.items():
        for d in range(4, 16 if sid != "E05" else 13):
            tail = special.get((sid, d), "0.00,0,0")
            lines.append(f"2027-01-{d:02d},{sid},{count},{tail}\n")
    return "".join(lines)


def _desk(factory: DepartmentFactory, points: dict[str, Any] | None = None) -> tuple[Workspace, ModuleType]:
    section = {"skill": "cashier", "demand": [{"hours": "09:00-12:00", "tills": 1}], "points": points or {}}
    ws = factory(uses("cashier", section), staff=[{"skills": ["cashier"]}] * 5, shifts=["early"])
    plugin = ws.pm.get_plugin("cashier")
    assert isinstance(plugin, ModuleType)
    return ws, plugin


def _grades(ws: Workspace) -> dict[str, dict[str, int]]:
    from dutyplan.ledger.chain import Ledger
    from dutyplan.ledger.report import month_report

    rows = month_report(Ledger(ws.department.directory).entries(), ws.department, "2027-01")
    return {r.staff: {g: n for g, n in r.grades.items() if n} for r in rows}


def test_till_results_become_points_on_the_ledger(dutyplan_department: DepartmentFactory, tmp_path: Path) -> None:
    ws, plugin = _desk(dutyplan_department)
    csv = tmp_path / "tills-2027-01.csv"
    csv.write_text(_month(), encoding="utf-8")

    during = plugin.import_till_results(ws, csv, "2027-01", NOW, close=False)
    kinds = sorted(e["event"] for e in during.added)
    assert kinds.count("ring-error") == 4 and kinds.count("till-difference") == 5
    assert "ring-errors" in kinds  # E03's third error: the ledger's P-CASHIER tier (-C1)
    assert not {"till-exact", "rank-first"} & set(kinds), "nothing is awarded before the month is closed"
    assert _grades(ws) == {"E01": {}, "E02": {}, "E03": {"C": -1}, "E04": {}, "E05": {}}

    closed = plugin.import_till_results(ws, csv, "2027-01", NOW, close=True)
    assert closed.skipped == len(during.added) - 1  # the escalation is not an event of the file
    assert _grades(ws) == {
        "E01": {"B": 2},            # till-exact +B1, first +B1
        "E02": {"B": 1, "C": 1},    # differences 0.90 in all: till-exact +B1; second +C1
        "E03": {"C": -2},           # three ring errors -C1; second to last -C1
        "E04": {"B": -1},           # 1.20 yuan in all: no reward; last -B1
        "E05": {},                  # nine till days: neither rewarded nor ranked
    }
    again = plugin.import_till_results(ws, csv, "2027-01", NOW, close=True)
    assert again.added == []

    csv.write_text(_month({("E03", 9): "0.00,0,0"}).replace(",E03,150,", ",E03,190,"), encoding="utf-8")
    with pytest.raises(RuleViolationError, match="already closed with another ranking"):
        plugin.import_till_results(ws, csv, "2027-01", NOW, close=True)


def test_net_basis_lets_differences_cancel(dutyplan_department: DepartmentFactory, tmp_path: Path) -> None:
    ws, plugin = _desk(dutyplan_department, {"basis": "net", "min_ranked": 5})
    csv = tmp_path / "tills.csv"
    csv.write_text(_month(), encoding="utf-8")
    plugin.import_till_results(ws, csv, "2027-01", NOW, close=True)
    grades = _grades(ws)
    assert grades["E04"] == {"B": 1}  # +0.60 and -0.60 cancel: till-exact; no ranking with 4 of 5 needed
    assert grades["E03"] == {"C": -1}


def test_ranking_shares_places_between_ties() -> None:
    ranking = load_cashier().tills.ranking
    assert ranking({"a": 5, "b": 4, "c": 3, "d": 2}, 4) == {
        "a": "rank-first", "b": "rank-second", "c": "rank-second-last", "d": "rank-last"}
    assert ranking({"a": 5, "b": 5, "c": 3, "d": 2}, 4) == {
        "a": "rank-first", "b": "rank-first", "c": "rank-second-last", "d": "rank-last"}
    # b, c and d share second to fourth place: the better place stands
    assert ranking({"a": 5, "b": 4, "c": 4, "d": 4}, 4) == {"a": "rank-first", "b": "rank-second",
                                                           "c": "rank-second", "d": "rank-second"}
    assert ranking({"a": 5, "b": 4, "c": 3}, 4) == {}


@pytest.mark.parametrize(("text", "where", "words"), [
    ("date,staff,transactions\n", "line 1", "expected the header"),
    (HEADER + "2027-01-04,E09,10,0,0,0\n", "line 2", "unknown staff id 'E09'"),
    (HEADER + "2027-01-04,E01,10,abc,0,0\n", "line 2", "difference: expected yuan"),
    (HEADER + "2027-01-04,E01,-3,0,0,0\n", "line 2", "transactions: expected a whole number"),
    (HEADER + "2027-01-04,E01,10,0,0,0\n2027-01-04,E01,11,0,0,0\n", "line 3", "appears twice (also line 2)"),
])
def test_a_bad_till_file_names_the_line(
    dutyplan_department: DepartmentFactory, tmp_path: Path, text: str, where: str, words: str
) -> None:
    ws, plugin = _desk(dutyplan_department)
    csv = tmp_path / "bad.csv"
    csv.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        plugin.import_till_results(ws, csv, "2027-01", NOW, close=False)
    assert f"{csv}: {where}: " in str(caught.value) and words in str(caught.value)


def test_the_plugin_point_rule_and_command(dutyplan_department: DepartmentFactory, tmp_path: Path) -> None:
    """register_point_rules adds till-difference (stamped with the plugin); register_commands adds the CLI."""
    import click

    from dutyplan.ledger.record import rule_book

    ws, plugin = _desk(dutyplan_department)
    mine = [r for r in rule_book(ws).rules if r.plugin == "cashier"]
    assert [r.key for r in mine] == ["P-CASHIER/till-difference"]
    assert mine[0].award(None).points == ()

    cli = click.Group()
    plugin.register_commands(cli=cli)
    csv = tmp_path / "tills.csv"
    csv.write_text(_month(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["cashier", "tills", str(ws.department.directory), str(csv),
                                      "--month", "2027-01", "--close"])
    assert result.exit_code == 0, result.output
    assert "rank-first" in result.output and "+B1" in result.output
    assert result.output.strip().endswith("entries added, 0 already recorded")
