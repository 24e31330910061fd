"""The printable HTML roster: names, holidays (R-HOLIDAY pay marks), night cells, coverage (R-COVER), labels."""

from __future__ import annotations

from pathlib import Path

from export_support import JAN1, add_override, edit_department, january, make_roster, parse_table

from dutyplan.domain import Problem
from dutyplan.export.html_export import HtmlExporter
from dutyplan.roster import Roster


def _export(roster: Roster, problem: Problem, tmp_path: Path) -> str:
    target = tmp_path / "out" / "roster.html"
    assert HtmlExporter().export(roster, problem, target) == [target]
    return target.read_text(encoding="utf-8")


def _row(html_text: str, **attrs: str) -> list[tuple[str, dict[str, str], str]]:
    for row_attrs, cells in parse_table(html_text).rows:
        if all(row_attrs.get(k) == v for k, v in attrs.items()):
            return cells
    raise AssertionError(f"no row with {attrs}")


def _day_header(html_text: str, date: str) -> tuple[dict[str, str], str]:
    for _, cells in parse_table(html_text).rows:
        for tag, attrs, text in cells:
            if tag == "th" and attrs.get("data-date") == date:
                return attrs, text
    raise AssertionError(f"no header for {date}")


def test_page_names_everyone_and_the_header_facts(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    page = _export(roster, problem, tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    for person in problem.department.staff:
        assert person.name in page
    assert "客服部前台 Customer Service Desk" in page
    assert "2027-01-01–2027-01-31" in page
    assert "optimal" in page and "123" in page
    assert "2027-01-05 10:00 (Asia/Shanghai)" in page
    assert "size: A4 landscape" in page and "@media print" in page


def test_statutory_holiday_is_shaded_apart_from_weekends(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    page = _export(roster, problem, tmp_path)
    attrs, text = _day_header(page, "2027-01-01")
    assert "holiday" in attrs["class"].split()
    assert "元旦" in attrs["title"] and "法定节假日" in attrs["title"]
    assert text.startswith("1") and "五" in text
    weekend, _ = _day_header(page, "2027-01-02")
    assert "rest" in weekend["class"].split() and "holiday" not in weekend["class"].split()
    workday, _ = _day_header(page, "2027-01-04")
    assert workday["class"].split() == ["day", "workday"]
    assert "元旦" in page.split('class="holidays"')[1]  # the legend lists it too


def test_night_shift_cell_has_code_colour_and_times(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    cells = _row(_export(roster, problem, tmp_path), **{"data-staff": "E03"})
    assert cells[0][2].startswith("张伟")
    tag, attrs, text = cells[1]  # 2027-01-01
    assert (tag, text, attrs["data-shift"]) == ("td", "夜", "night")
    assert "background:#B9A7E8" in attrs["style"]
    assert "22:00–07:30" in attrs["title"]
    assert "holiday" in attrs["class"].split()
    assert cells[2][2] == "" and "rest" in cells[2][1]["class"].split()  # day off on a weekend
    totals = [text for _, _, text in cells[-6:]]
    assert totals == ["2", "2", "0", "1", "16", "0"]  # shifts, nights, rest-day, holiday, hours, overtime


def test_coverage_rows_count_and_flag_shortfalls(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    page = _export(roster, problem, tmp_path)
    rows = [cells for attrs, cells in parse_table(page).rows if attrs.get("class") == "cover"]
    assert [cells[0][2] for cells in rows] == ["在岗人数 · 早班", "在岗人数 · 中班", "在岗人数 · 夜班"]
    early, middle, night = rows
    assert early[1][2] == "1" and "short" in early[1][1]["class"].split()  # min 2 on a holiday
    assert middle[1][2] == "2" and "short" not in middle[1][1]["class"].split()
    for row, count in ((early, "3"), (middle, "3"), (night, "2")):
        assert row[4][2] == count and "short" not in row[4][1]["class"].split()  # 2027-01-04
    assert early[5][2] == "0" and "short" in early[5][1]["class"].split()


def test_duty_extras_become_a_row_of_names(roster: Roster, problem: Problem, tmp_path: Path) -> None:
    cells = _row(_export(roster, problem, tmp_path), **{"data-key": "duty"})
    assert cells[0][2] == "值班"
    assert cells[1][2] == "王芳" and cells[4][2] == "李娜" and cells[2][2] == ""


def test_odd_extras_are_ignored_not_fatal(problem: Problem, tmp_path: Path) -> None:
    roster = make_roster(problem, notes="free text", duty={"not a date": ["E01"]}, counts={"2027-01-01": 3})
    page = _export(roster, problem, tmp_path)
    assert 'class="extra"' not in page


def test_adjusted_workday_is_marked(example_dept: Path, tmp_path: Path) -> None:
    add_override(example_dept, "2027-01-09", "adjusted_workday", "调休上班")
    problem = january(example_dept)
    attrs, text = _day_header(_export(make_roster(problem), problem, tmp_path), "2027-01-09")
    assert "adjusted" in attrs["class"].split()
    assert "班" in text and "调休上班" in attrs["title"]


def test_english_locale_and_user_text_is_escaped(example_dept: Path, tmp_path: Path) -> None:
    edit_department(example_dept, 'locale = "zh"', 'locale = "en"')
    edit_department(example_dept, 'name = "客服部前台 Customer Service Desk"', 'name = "Desk <b>&</b>"')
    edit_department(example_dept, 'name = "王芳"', 'name = "<script>x</script>"')
    problem = january(example_dept)
    page = _export(make_roster(problem), problem, tmp_path)
    assert "<script>" not in page and "<b>&</b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "Desk &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert '<html lang="en">' in page
    for word in ("Coverage · Night", "Statutory holiday", "Holiday shifts", "Overtime h", "Legend"):
        assert word in page
    assert "在岗人数" not in page and "法定节假日" not in page
    cells = _row(page, **{"data-staff": "E03"})
    assert cells[1][2] == "N"  # no code in the file: the id's first letter in English
    _, text = _day_header(page, JAN1.isoformat())
    assert "Fr" in text


def test_per_person_notes_show_in_the_cell_title(problem: Problem, tmp_path: Path) -> None:
    roster = make_roster(problem, meals={"2027-01-01": {"E03": "02:00-02:30"}})
    cells = _row(_export(roster, problem, tmp_path), **{"data-staff": "E03"})
    assert "用餐 02:00-02:30" in cells[1][1]["title"]
    assert 'class="extra"' not in _export(roster, problem, tmp_path)  # not a date -> names row
