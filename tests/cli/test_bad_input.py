"""Bad input never produces a traceback: exit code 2 and a message naming the file, the key or line,
and what was expected, in words a department manager understands.

Each case edits a copy of the example department (or the command line) and
runs the ``main()`` of the command line in this process; the cases with
``process=True`` also run as a real process (the same code, plus the interpreter's
own exit path). An infeasible department is not bad input: it exits 1 and names
the hard rules that clash (R-COVER, R-CONTRACT ...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .support import Result, invoke_main, read_department, run_process, write_department

SHORT = ("--start", "2027-01-04", "--days", "3", "--time-limit", "3", "--workers", "2", "--dry-run")
"""A three-day plan: enough to get past loading, quick when nothing is wrong."""


def first_shift(data: dict[str, Any]) -> str:
    return next(iter(data["shifts"]))


def first_staff(data: dict[str, Any]) -> dict[str, Any]:
    return data["staff"][0]  # type: ignore[no-any-return]


@dataclass
class Case:
    change: Callable[[dict[str, Any]], object] | None
    expected: tuple[str, ...]
    """Fragments the error message must contain (``{dept}`` is the department file)."""
    args: tuple[str, ...] = ("plan", "{dept}", *SHORT)
    code: int = 2
    process: bool = False
    text: Callable[[str], str] | None = None
    """For cases the TOML parser must see: a change to the file's text instead of its data."""
    files: dict[str, str] = field(default_factory=dict)
    """Extra files to write, relative to the department folder."""


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """``_set("rules.max_consec", 3)``: set one key, creating tables on the way."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value

    return change


def _staff0(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: first_staff(data).__setitem__(key, value)


def _shift0(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data["shifts"][first_shift(data)].__setitem__(key, value)


def _end_is_start(data: dict[str, Any]) -> None:
    shift = data["shifts"][first_shift(data)]
    shift["end"] = shift["start"]


def _nobody_on_night(data: dict[str, Any]) -> None:
    for person in data["staff"]:
        person["max_per_shift"] = {"night": 0}


def _duplicate_id(data: dict[str, Any]) -> None:
    data["staff"][1]["id"] = data["staff"][0]["id"]


def _bad_line(text: str) -> str:
    return text + "\noops = = 1\n"


def _unquoted_time(text: str) -> str:
    changed = re.sub(r'^start = "(\d\d:\d\d)"', r"start = \1", text, count=1, flags=re.M)
    assert changed != text, "the example has no start = \"HH:MM\" line any more"
    return changed


CSV_OUTSIDE = "date,staff_id,shift_id\n2027-01-05,E01,early\n2027-02-01,E02,early\n"
CSV_BAD_SHIFT = "date,staff_id,shift_id\n2027-01-05,E01,early\n2027-01-05,E02,erly\n"

STORED = {
    "2027-01/index.toml": (
        'current = 1\nrevision = [{number = 1, status = "current", written = "x", reason = "plan"}]\n'
    ),
    "2027-01/roster.r1.toml": (
        'format = "dutyplan-roster/1"\nstart = 2027-01-01\ndays = 31\nrevision = 1\n[assignments]\n'
    ),
}
"""A stored (empty) roster for January, for the commands that read one."""

CASES: dict[str, Case] = {
    "malformed TOML names the line": Case(None, ("line {last}", "malformed TOML", "oops = = 1"), text=_bad_line,
                                          process=True),
    "a time without quotes": Case(None, ("malformed TOML", 'in quotes, e.g. start = "07:00"'), text=_unquoted_time),
    "unknown staff in a request": Case(
        lambda d: d["requests"].append({"staff": "E99", "date": dt.date(2027, 1, 5), "kind": "day_off"}),
        ("requests[", "].staff", "unknown staff id 'E99'", "expected one of E01"),
    ),
    "unknown shift in not_followed_by": Case(
        _shift0("not_followed_by", ["erly"]),
        ("shifts.early.not_followed_by", "unknown shift id 'erly'", "did you mean 'early'?"),
    ),
    "unknown shift in max_per_shift": Case(
        _staff0("max_per_shift", {"nite": 0}),
        ("staff[0] (id E01).max_per_shift.nite", "unknown shift id 'nite'", "expected one of early, middle, night"),
    ),
    "unknown shift in history": Case(
        _set("history.shifts", {"E01": ["-", "midle"]}),
        ("history.shifts.E01[1]", "unknown shift id 'midle'", "did you mean 'middle'?"),
    ),
    "a shift that ends when it starts": Case(
        _end_is_start, ("shifts.early.end", "ends when it starts", "expected an end time different from the start"),
    ),
    "a negative limit": Case(_staff0("max_shifts", -1), ("staff[0] (id E01).max_shifts", "expected 0 or more", "-1")),
    "a negative coverage (nested key path)": Case(
        _shift0("cover", {"workday": {"min": -1}}), ("shifts.early.cover.workday.min", "expected 0 or more"),
    ),
    "a misspelt nested key": Case(
        _shift0("cover", {"workday": {"min": 1, "prefered": 2}}),
        ("shifts.early.cover.workday.prefered", "unknown key", "did you mean 'preferred'?"),
    ),
    "a misspelt staff key": Case(
        _staff0("max_shift", 3), ("staff[0] (id E01).max_shift", "unknown key 'max_shift'", "'max_shifts'"),
    ),
    "a misspelt rules key": Case(
        _set("rules.max_consec", 3), ("rules.max_consec", "unknown key", "did you mean 'max_consecutive_work'?"),
    ),
    "a misspelt section": Case(
        lambda d: d.__setitem__("rule", d.pop("rules")), ("rule", "unknown section 'rule'", "did you mean 'rules'?"),
    ),
    "an unknown plugin": Case(
        _set("department.plugins", ["exampel_rule"]),
        ("department.plugins", "unknown plugin 'exampel_rule'", "exampel_rule.py", "plugin folders"),
    ),
    "a plugin implementing a hook that does not exist": Case(
        lambda d: (d["department"].__setitem__("plugins", ["rulez"]),
                   d["department"].__setitem__("plugin_dirs", ["my_plugins"])),
        ("rulez", "register_rulez", "not a dutyplan hook", "did you mean register_rules", "register_rules"),
        files={"my_plugins/rulez.py": (
            "from dutyplan import hookimpl\n\n\n@hookimpl\ndef register_rulez(register, problem):\n    pass\n"
        )},
        process=True,
    ),
    "a plugin that fails to import": Case(
        lambda d: (d["department"].__setitem__("plugins", ["broken"]),
                   d["department"].__setitem__("plugin_dirs", ["my_plugins"])),
        ("broken.py", "plugin 'broken' failed to import", "SyntaxError"),
        files={"my_plugins/broken.py": "def oops(:\n"},
    ),
    "a misspelt key in a plugin's section": Case(
        _set("example_rule", {"shift": "night", "min_peple": 2}),
        ("example_rule.min_peple", "unknown key 'min_peple'", "did you mean 'min_people'?", "plugin 'example_rule'"),
    ),
    "an hour that is not a time": Case(
        _shift0("start", "25:00"), ("shifts.early.start", "expected a time of day", '"07:00"', "25:00"),
    ),
    "a date that does not exist": Case(
        lambda d: d["requests"].append({"staff": "E01", "date": "2027-02-30", "kind": "day_off"}),
        ("requests[", "(staff E01).date", "expected a date like 2027-01-31", "2027-02-30"),
    ),
    "a time zone that does not exist": Case(
        _set("department.timezone", "Asia/Shangai"), ("department.timezone", "unknown time zone 'Asia/Shangai'"),
    ),
    "duplicate staff ids": Case(_duplicate_id, ("staff[1].id", "'E01' appears twice", "staff[0]")),
    "an id with a space": Case(_staff0("id", "E 01"), ("staff[0]", ".id", "no spaces", "E 01")),
    "a word where a number belongs": Case(_staff0("min_shifts", "many"), ("min_shifts", "expected a whole number")),
    "no staff": Case(lambda d: d.__setitem__("staff", []), ("staff", "no staff", "[[staff]]")),
    "no [department] table": Case(lambda d: d.pop("department"), ("department", "[department] is missing")),
    "a shift nobody may work": Case(
        _nobody_on_night, ("shifts.night.cover", "nobody may work it", "max_per_shift.night = 0"),
    ),
    "a skill nobody has": Case(
        lambda d: d["shifts"]["early"].__setitem__("skill_cover", [{"skill": "keyholder", "min": 1}]),
        ("shifts.early.skill_cover[0].skill", "nobody has the skill 'keyholder'", "did you mean 'key_holder'?"),
    ),
    "a CSV date outside the horizon": Case(
        None, ("bad.csv", "line 3", "2027-02-01 is outside the horizon 2027-01-01..2027-01-31"),
        args=("check", "{dept}", "--month", "2027-01", "--roster", "{dir}/bad.csv"),
        files={"bad.csv": CSV_OUTSIDE}, process=True,
    ),
    "an unknown shift in a CSV": Case(
        None, ("bad.csv", "line 3", "unknown shift id 'erly'"),
        args=("check", "{dept}", "--month", "2027-01", "--roster", "{dir}/bad.csv"), files={"bad.csv": CSV_BAD_SHIFT},
    ),
    "a CSV without its header": Case(
        None, ("bad.csv", "line 1", "date,staff_id,shift_id"),
        args=("check", "{dept}", "--month", "2027-01", "--roster", "{dir}/bad.csv"),
        files={"bad.csv": "2027-01-05,E01,early\n"},
    ),
    "a month that does not exist": Case(None, ("--month", "2027-13", "like 2027-01"),
                                        args=("plan", "{dept}", "--month", "2027-13")),
    "--month and --start together": Case(
        None, ("--month", "not both"), args=("plan", "{dept}", "--month", "2027-01", "--start", "2027-01-04"),
    ),
    "--days without --start": Case(None, ("--start", "--days"), args=("plan", "{dept}", "--days", "7")),
    "a date far outside the calendar": Case(
        None, ("--start", "between 1900 and 2200"), args=("plan", "{dept}", "--start", "9999-12-25", "--days", "30"),
    ),
    "a time limit that is not a number of seconds": Case(
        None, ("--time-limit", "positive number of seconds"),
        args=("plan", "{dept}", "--time-limit", "nan", *SHORT[:4]),
    ),
    "a missing department folder": Case(
        None, ("{dir}/nowhere", "no such folder", "department.toml"), args=("plan", "{dir}/nowhere", *SHORT),
    ),
    "a folder without a department file": Case(
        None, ("{dir}/empty", "no department.toml"), args=("show", "{dir}/empty", "--month", "2027-01"),
        files={"empty/.keep": ""},
    ),
    "a revision that does not exist": Case(
        None, ("roster.r7.toml", "revision 7 does not exist"),
        args=("check", "{dept}", "--month", "2027-01", "--revision", "7"),
        files={"2027-01/index.toml": "current = 1\nrevision = []\n"},
    ),
    "a month with no roster yet": Case(
        None, ("2027-03", "no roster for 2027-03 yet", "dutyplan plan"), args=("show", "{dept}", "--month", "2027-03"),
    ),
    "an export under a file, not a folder": Case(
        None, ("error: ", "bad.csv", "a file is in the way"),
        args=("export", "{dept}", "--month", "2027-01", "--format", "csv", "-o", "{dir}/bad.csv/roster.csv"),
        files={"bad.csv": CSV_OUTSIDE, **STORED},
    ),
    "an unknown export format": Case(
        None, ("--format", "unknown format 'pdf'", "csv"),
        args=("export", "{dept}", "--month", "2027-01", "--format", "pdf"),
        files=STORED,
    ),
}


def _run(case: Case, dept: Path, *, process: bool) -> Result:
    folder = dept.parent
    dept_file = dept / "department.toml"
    if case.change is not None:
        data = read_department(dept)
        case.change(data)
        write_department(dept, data)
    if case.text is not None:
        dept_file.write_text(case.text(dept_file.read_text(encoding="utf-8")), encoding="utf-8")
    for name, content in case.files.items():
        target = (folder if name.endswith(".csv") or name.startswith("empty") else dept) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    args = [a.format(dept=dept, dir=folder) for a in case.args]
    return (run_process if process else invoke_main)(args)


def _check(case: Case, result: Result, dept: Path) -> None:
    assert "Traceback" not in result.err, str(result)
    assert result.code == case.code, str(result)
    last = len((dept / "department.toml").read_text(encoding="utf-8").splitlines())
    for fragment in case.expected:
        expected = fragment.format(last=last, dir=dept.parent, dept=dept)
        assert expected in result.err, f"{expected!r} not in the message:\n{result}"
    if case.code == 2:
        assert result.err.startswith("error: "), str(result)
        if case.args[:2] == ("plan", "{dept}") and case.args[2:] == SHORT:
            assert str(dept / "department.toml") in result.err or "plugin" in result.err, str(result)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_a_message_not_a_traceback(name: str, example_dept: Path) -> None:
    case = CASES[name]
    _check(case, _run(case, example_dept, process=False), example_dept)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.process])
def test_bad_input_in_a_real_process(name: str, example_dept: Path) -> None:
    case = CASES[name]
    _check(case, _run(case, example_dept, process=True), example_dept)


def test_a_file_that_is_not_utf8_names_the_line(example_dept: Path) -> None:
    path = example_dept / "department.toml"
    path.write_bytes(b'[department]\nname = "caf\xe9"\n')
    result = invoke_main(["plan", example_dept, *SHORT])
    assert result.code == 2 and "Traceback" not in result.err, str(result)
    assert f"{path}: line 2: not UTF-8" in result.err


def test_every_error_is_listed_not_only_the_first(example_dept: Path) -> None:
    data = read_department(example_dept)
    first_staff(data)["max_shifts"] = -1
    data["staff"][1]["min_shifts"] = "many"
    write_department(example_dept, data)
    result = invoke_main(["plan", example_dept, *SHORT])
    assert result.code == 2
    assert "staff[0] (id E01).max_shifts" in result.err and "staff[1] (id E02).min_shifts" in result.err


def test_a_section_after_a_table_is_explained(example_dept: Path) -> None:
    """TOML's classic trap: a top-level key written below a ``[table]`` header belongs to that table."""
    path = example_dept / "department.toml"
    extra = '\n[[demand]]\ndate = 2027-01-05\nshift = "early"\nmin = 1\nrequests = []\n'
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = invoke_main(["plan", example_dept, *SHORT])
    assert result.code == 2, str(result)
    assert "demand[" in result.err and "].requests: unknown key 'requests'" in result.err
    assert "top-level section" in result.err


def test_an_infeasible_department_names_the_clashing_rules(edit_dept: Callable[..., Path]) -> None:
    """More people needed on a shift than the department has: exit 1 and R-COVER named (not a traceback)."""
    dept = edit_dept(lambda d: d["shifts"]["early"].__setitem__("cover", {"workday": {"min": len(d["staff"]) + 1}}))
    result = run_process(["plan", dept, "--start", "2027-01-04", "--days", "2", "--time-limit", "3",
                          "--workers", "2"])
    assert result.code == 1, str(result)
    assert "Traceback" not in result.err
    assert "satisfies every hard rule" in result.err
    assert "R-COVER" in result.err and "early 01-04" in result.err
    assert not (dept / "2027-01-04+2d").exists()


def test_an_infeasible_contract_names_r_contract(edit_dept: Callable[..., Path]) -> None:
    """Everyone must work more shifts than there are days: R-CONTRACT is among the rules named."""

    def change(data: dict[str, Any]) -> None:
        data.setdefault("rules", {})["contract_period"] = "horizon"
        for person in data["staff"]:
            person["min_shifts"], person["max_shifts"] = 3, 3

    dept = edit_dept(change)
    result = invoke_main(["plan", dept, "--start", "2027-01-04", "--days", "2", "--time-limit", "3",
                          "--workers", "2"])
    assert result.code == 1, str(result)
    assert "Traceback" not in result.err
    assert "R-CONTRACT" in result.err


# -- rosters from outside: a CSV in another encoding, a hand-edited roster file ------------------------------------
def test_a_csv_that_is_not_utf8_is_a_message(example_dept: Path) -> None:
    bad = example_dept.parent / "gbk.csv"
    bad.write_bytes("date,staff_id,shift_id\n2027-01-05,E01,早班\n".encode("gbk"))
    result = invoke_main(["check", example_dept, "--month", "2027-01", "--roster", bad])
    assert result.code == 2 and "gbk.csv" in result.err and "UTF-8" in result.err


def test_a_hand_edited_roster_file_is_a_message(example_dept: Path) -> None:
    folder = example_dept / "2027-01"
    folder.mkdir()
    (folder / "index.toml").write_text(
        'current = 1\nrevision = [{number = 1, status = "current", written = "x", reason = "plan"}]\n',
        encoding="utf-8",
    )
    (folder / "roster.r1.toml").write_text(
        'format = "dutyplan-roster/1"\nstart = 2027-01-01\ndays = "thirty-one"\n[assignments]\n', encoding="utf-8"
    )
    result = invoke_main(["show", example_dept, "--month", "2027-01"])
    assert result.code == 2 and "roster.r1.toml" in result.err and "days" in result.err
