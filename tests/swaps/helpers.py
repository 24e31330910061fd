"""Shared by the swap and ledger tests: a department with a fixed January 2027 roster, request files, the CLI.

The roster is not solved in the tests: ``tests/data/swaps/roster-2027-01.toml``
was planned once for the frozen department file beside it, so every test
names real dates and people and runs in milliseconds. The fixture checks that
the roster still meets every hard rule of that department before use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from dutyplan.cli.main import main
from dutyplan.roster import Roster
from dutyplan.store import RosterStore

DATA = Path(__file__).resolve().parents[1] / "data" / "swaps"
MONTH = "2027-01"
TZ = dt.timezone(dt.timedelta(hours=8))
WRITTEN = dt.datetime(2026, 12, 20, 9, 0, tzinfo=TZ)
AT = "2026-12-28T10:00:00+08:00"
"""When the tests' approvals happen: before every shift of January 2027."""


def d(day: int) -> dt.date:
    return dt.date(2027, 1, day)


def make_department(tmp_path: Path, extra_toml: str = "") -> Path:
    """The frozen department (plus ``extra_toml``) with the fixture roster stored as revision 1."""
    folder = tmp_path / "rosters" / "customer-service"
    folder.mkdir(parents=True)
    text = (DATA / "department.toml").read_text(encoding="utf-8")
    (folder / "department.toml").write_text(text + "\n" + extra_toml, encoding="utf-8")
    data = tomllib.loads((DATA / "roster-2027-01.toml").read_text(encoding="utf-8"))
    roster = Roster.from_toml_dict(data, DATA / "roster-2027-01.toml")
    staff = [line.split('"')[1] for line in text.splitlines() if line.startswith("id = \"E")]
    RosterStore(folder, staff, "Asia/Shanghai").write_revision(MONTH, roster, reason="fixture")
    return folder


def swap_data(requester: str, counterpart: str, give: tuple[int, str], take: tuple[int, str] | None = None,
              **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "dutyplan-swap/1",
        "kind": "exchange" if take else "give-away",
        "requester": requester,
        "counterpart": counterpart,
        "give": {"date": d(give[0]), "shift": give[1]},
        "written_by": requester,
        "written_at": WRITTEN,
        "consent": {"by": counterpart, "agreed": True, "at": WRITTEN + dt.timedelta(hours=2)},
    }
    if take:
        data["take"] = {"date": d(take[0]), "shift": take[1]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def write_request(dept: Path, name: str, data: dict[str, Any], folder: str = "swaps") -> Path:
    path = dept / MONTH / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout ---\n{self.out}\n--- stderr ---\n{self.err}"


def run(args: Sequence[str | Path]) -> Result:
    """``dutyplan ARGS`` in this process (main(), as the console script runs it), output captured."""
    out, err = io.StringIO(), io.StringIO()
    code: Any = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    return Result(int(code or 0), out.getvalue(), err.getvalue())


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
