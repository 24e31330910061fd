"""The ledger file: every edited, removed or reordered line is found and named; appends are atomic."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from swaps.helpers import run

from dutyplan.errors import RuleViolationError
from dutyplan.ledger.chain import GENESIS, Ledger, entry_hash


def filled(tmp_path: Path, n: int = 5) -> Ledger:
    folder = tmp_path / "dept"
    folder.mkdir()
    (folder / "department.toml").write_text("", encoding="utf-8")  # verify only needs the folder to be a department
    ledger = Ledger(folder)
    ledger.append([{"person": f"E0{i}", "event": "late", "points": ["-C1"], "detail": "测试"} for i in range(1, n + 1)])
    return ledger


def lines(ledger: Ledger) -> list[str]:
    return ledger.path.read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite(ledger: Ledger, new: list[str]) -> None:
    ledger.path.write_text("".join(new), encoding="utf-8")


def test_entries_are_chained(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    entries = ledger.entries()
    assert [e["id"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] == entry_hash(a) for a, b in itertools.pairwise(entries))
    more = ledger.append([{"person": "E09", "event": "late"}])
    assert more[0]["id"] == 6 and more[0]["prev"] == entries[-1]["hash"]
    head = json.loads(ledger.head_path.read_text(encoding="utf-8"))
    assert head == {"count": 6, "hash": more[0]["hash"], "size": ledger.path.stat().st_size}
    assert ledger.scan().ok


def test_verify_cli_intact_and_edited(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    ok = run(["ledger", "verify", ledger.folder.parent])
    assert ok.code == 0 and "5 entries, chain intact" in ok.out, str(ok)
    text = lines(ledger)
    text[2] = text[2].replace('"-C1"', '"+A1"')
    rewrite(ledger, text)
    bad = run(["ledger", "verify", ledger.folder.parent])
    assert bad.code == 1, str(bad)
    assert "line 3 (entry 3)" in bad.err and "edited" in bad.err


def test_edited_and_rehashed_line_is_named(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    text = lines(ledger)
    entry = json.loads(text[1])
    entry["points"] = []
    entry["hash"] = entry_hash(entry)  # a careful forger recomputes the line's own hash
    text[1] = json.dumps(entry, ensure_ascii=False) + "\n"
    rewrite(ledger, text)
    scan = ledger.scan()
    assert not scan.ok and scan.line == 2 and "entry 2 was changed" in str(scan.problem)


def test_deleted_line_is_named(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    text = lines(ledger)
    del text[2]
    rewrite(ledger, text)
    scan = ledger.scan()
    assert not scan.ok and scan.line == 3 and "expected entry id 3, found 4" in str(scan.problem)


def test_deleted_last_line_is_found_through_the_head(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    rewrite(ledger, lines(ledger)[:-1])
    scan = ledger.scan()
    assert not scan.ok and scan.line == 5 and "removed" in str(scan.problem)
    with pytest.raises(RuleViolationError, match="removed"):
        ledger.append([{"person": "E01", "event": "late"}])


def test_reordered_lines_are_named(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    text = lines(ledger)
    text[1], text[2] = text[2], text[1]
    rewrite(ledger, text)
    scan = ledger.scan()
    assert not scan.ok and scan.line == 2 and "reordered" in str(scan.problem)


def test_replaced_last_line_is_found(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    text = lines(ledger)
    entry = json.loads(text[-1])
    entry["detail"] = "nothing happened"
    entry["hash"] = entry_hash(entry)
    text[-1] = json.dumps(entry, ensure_ascii=False) + "\n"
    rewrite(ledger, text)
    scan = ledger.scan()
    assert not scan.ok and scan.line == 5 and "replaced" in str(scan.problem)


def test_garbage_line_is_named(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    text = lines(ledger)
    text.insert(1, "hello\n")
    rewrite(ledger, text)
    scan = ledger.scan()
    assert not scan.ok and scan.line == 2 and "not a JSON object" in str(scan.problem)
    with pytest.raises(RuleViolationError, match="line 2"):
        ledger.entries()


def test_torn_last_line_is_reported_and_cut_by_the_next_append(tmp_path: Path) -> None:
    ledger = filled(tmp_path)
    size = ledger.path.stat().st_size
    with open(ledger.path, "ab") as handle:  # a crash in the middle of an append
        handle.write(b'{"id":6,"person":"E0')
    scan = ledger.scan()
    assert scan.torn and scan.line == 6 and "incomplete" in str(scan.problem)
    assert len(ledger.entries()) == 5  # readers see the acknowledged entries
    [entry] = ledger.append([{"person": "E07", "event": "late"}])
    assert entry["id"] == 6 and ledger.path.stat().st_size > size
    assert ledger.scan().ok and len(ledger.entries()) == 6


def test_complete_lines_past_the_head_are_kept(tmp_path: Path) -> None:
    """A crash after the fsync but before head.json was replaced loses nothing."""
    ledger = filled(tmp_path)
    old_head = ledger.head_path.read_text(encoding="utf-8")
    ledger.append([{"person": "E07", "event": "late"}])
    ledger.head_path.write_text(old_head, encoding="utf-8")
    assert ledger.scan().ok
    [entry] = ledger.append([{"person": "E08", "event": "late"}])
    assert entry["id"] == 7 and ledger.scan().ok
