"""The swap request file: what it may say, and errors that name the file and the field (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyplan.errors import InputError
from dutyplan.planner import Workspace
from dutyplan.swaps.request import load_swap

from .helpers import run, swap_data, write_request


def load(dept: Path, data: dict[str, object]):  # type: ignore[no-untyped-def]
    path = write_request(dept, "req.toml", data)
    return load_swap(path, Workspace.open(dept).department)


def test_exchange_and_give_away_are_read(dept: Path) -> None:
    exchange = load(dept, swap_data("E09", "E15", (1, "early"), (1, "middle"))).model
    assert exchange.kind == "exchange" and exchange.parties == ("E09", "E15")
    removed, added = exchange.moves()
    assert {(a.staff, a.shift) for a in removed} == {("E09", "early"), ("E15", "middle")}
    assert {(a.staff, a.shift) for a in added} == {("E15", "early"), ("E09", "middle")}
    give = load(dept, swap_data("E05", "E03", (3, "early"))).model
    assert give.kind == "give-away" and give.take is None
    assert [(a.staff, a.shift) for a in give.moves()[1]] == [("E03", "early")]


def test_content_key_ignores_file_name_and_layout(dept: Path) -> None:
    ws = Workspace.open(dept)
    a = write_request(dept, "a.toml", swap_data("E09", "E15", (1, "early"), (1, "middle")))
    b = write_request(dept, "b.toml", swap_data("E09", "E15", (1, "early"), (1, "middle")))
    b.write_text("# the same request, written by hand\n" + b.read_text(encoding="utf-8").replace(" = ", "="),
                 encoding="utf-8")
    c = write_request(dept, "c.toml", swap_data("E09", "E15", (1, "early"), (1, "middle"), reason="other"))
    keys = [load_swap(p, ws.department).key for p in (a, b, c)]
    assert keys[0] == keys[1] != keys[2]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"requester": "E99"}, "requester", "unknown staff id 'E99'"),
        ({"give": {"date": "2027-01-01", "shift": "late"}}, "give.shift", "unknown shift id 'late'"),
        ({"kind": "trade"}, "kind", "expected one of"),
        ({"take": None, "kind": "exchange"}, "(top level)", "an exchange needs `take`"),
        ({"consent": {"by": "E15", "agreed": True}}, "consent.at", "required key is missing"),
        ({"written_at": None}, "written_at", "required key is missing"),
        ({"counterpart": "E09"}, "(top level)", "the same person"),
        ({"take": {"date": "2027-02-01", "shift": "middle"}}, "take.date", "not in the month"),
        ({"take": {"date": "2027-01-01", "shift": "early"}}, "(top level)", "changes nothing"),
        ({"giev": 1}, "giev", "unknown key 'giev'; did you mean 'give'?"),
        ({"format": "dutyplan-swap/9"}, "format", "expected format"),
    ],
)
def test_malformed_requests_name_the_field(dept: Path, change: dict[str, object], field: str, words: str) -> None:
    data = swap_data("E09", "E15", (1, "early"), (1, "middle"))
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(InputError) as info:
        load(dept, data)
    message = str(info.value)
    assert "req.toml" in message and field in message and words in message, message


def test_malformed_request_exits_2_without_traceback(dept: Path) -> None:
    data = swap_data("E09", "E15", (1, "early"), (1, "middle"))
    data["requester"] = "E99"
    path = write_request(dept, "bad.toml", data)
    result = run(["swap", "check", path])
    assert result.code == 2, str(result)
    assert "bad.toml: requester: unknown staff id 'E99'" in result.err
    assert "Traceback" not in result.err


def test_request_outside_a_department_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "stray.toml"
    path.write_text("kind = 'give-away'\n", encoding="utf-8")
    result = run(["swap", "check", path])
    assert result.code == 2 and "not inside a department folder" in result.err, str(result)
