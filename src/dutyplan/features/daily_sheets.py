"""Printable daily sheets: the duty log (D-LOG) and the day sheet with meal slots (R-MEAL).

* ``duty-log`` (HTML) and ``duty-log-xlsx``: one row per day with the duty
  person(s) and the duty hours filled in, and blank columns for what happened,
  how it was handled and the signature, as the duty person fills it in by hand
  (值班记录, D-LOG). Plugins may add scheduled items (inspection rounds, 值班检查)
  through ``roster.extras["duty_items"] = {"2027-01-05": ["10:00 巡查 lobby", ...]}``.
* ``day-sheets``: one page per day: who works which shift, each person's meal
  slot, and who is on duty, to pin up at the desk.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from html import escape
from pathlib import Path

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.export.base import Exporter
from dutyplan.features.duty import duty_of, settings_of
from dutyplan.fileio import write_bytes_atomic, write_text_atomic
from dutyplan.labels import WEEKDAY_SHORT
from dutyplan.roster import Roster

LOG_COLUMNS = {
    "zh": ["日期", "值班人", "起", "止", "计划事项", "值班情况", "处理情况", "签名"],
    "en": ["Date", "On duty", "From", "To", "Scheduled", "What happened", "How it was handled", "Signature"],
}
TITLES = {
    "zh": {"log": "值班记录", "day": "当日排班", "meal": "用餐", "duty": "值班", "off": "休息"},
    "en": {"log": "Duty log", "day": "Day sheet", "meal": "Meal", "duty": "On duty", "off": "Off"},
}
_PAGE_CSS = """
@page { size: A4 portrait; margin: 10mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", Arial, sans-serif; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #555; padding: 4px 6px; vertical-align: top; }
td.blank { height: 34px; }
section { page-break-after: always; }
h1 { font-size: 17px; } h2 { font-size: 15px; margin: 6px 0; }
"""


def _names(problem: Problem, ids: list[str]) -> str:
    staff = problem.department.staff_by_id
    return "、".join(f"{sid} {staff[sid].name}" if sid in staff else sid for sid in ids)


def _day_label(day: dt.date, locale: str) -> str:
    return f"{day:%Y-%m-%d} ({WEEKDAY_SHORT[locale][day.weekday()]})"


def log_rows(roster: Roster, problem: Problem) -> list[list[str]]:
    """The D-LOG rows: date, people, from, to, scheduled items; the hand-filled columns left blank."""
    settings = settings_of(problem)
    rotation = duty_of(roster)
    items = roster.extras.get("duty_items") or {}
    loc = problem.department.locale
    rows = []
    for day in problem.dates:
        start = f"{settings.start:%H:%M}" if settings else ""
        end = f"{settings.end:%H:%M}" if settings else ""
        scheduled = "; ".join(str(i) for i in items.get(f"{day:%Y-%m-%d}", []))
        rows.append([_day_label(day, loc), _names(problem, rotation.get(day, [])), start, end, scheduled, "", "", ""])
    return rows


class DutyLogHtml(Exporter):
    name = "duty-log"
    description = "printable duty log (D-LOG): date, duty person, from, to, blank columns to fill in"
    default_name = "duty-log.html"

    def applies(self, problem: Problem) -> bool:
        return settings_of(problem) is not None

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        loc = problem.department.locale
        head = "".join(f"<th>{escape(c)}</th>" for c in LOG_COLUMNS[loc])
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" if c else '<td class="blank"></td>' for c in row) + "</tr>"
            for row in log_rows(roster, problem)
        )
        title = f"{problem.department.name} {TITLES[loc]['log']} {problem.horizon.label} r{roster.revision}"
        page = (f'<!DOCTYPE html><html lang="{loc}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f"<style>{_PAGE_CSS}</style></head><body><h1>{escape(title)}</h1>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n")
        write_text_atomic(target, page)
        return [target]


class DutyLogXlsx(Exporter):
    name = "duty-log-xlsx"
    description = "the duty log (D-LOG) as an Excel sheet ready to print"
    default_name = "duty-log.xlsx"

    def applies(self, problem: Problem) -> bool:
        return settings_of(problem) is not None

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        from openpyxl import Workbook  # loaded only to write a workbook (it imports numpy)
        from openpyxl.styles import Alignment, Border, Font, Side

        loc = problem.department.locale
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = TITLES[loc]["log"]
        sheet.append([f"{problem.department.name} {TITLES[loc]['log']} {problem.horizon.label} r{roster.revision}"])
        sheet.append(LOG_COLUMNS[loc])
        for row in log_rows(roster, problem):
            sheet.append(row)
        thin = Side(style="thin")
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFGH", (16, 18, 7, 7, 22, 30, 30, 12), strict=True):
            sheet.column_dimensions[column].width = width
        for index in range(3, sheet.max_row + 1):
            sheet.row_dimensions[index].height = 36
        sheet.page_setup.orientation = "landscape"
        sheet.print_title_rows = "2:2"
        book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
        buffer = io.BytesIO()
        book.save(buffer)
        write_bytes_atomic(target, buffer.getvalue())
        return [target]


class DaySheets(Exporter):
    name = "day-sheets"
    description = "one printable page per day: shifts, each person's meal slot (R-MEAL), duty"
    default_name = "day-sheets.html"

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        dept = problem.department
        loc = dept.locale
        words = TITLES[loc]
        meals = roster.extras.get("meals") or {}
        rotation = duty_of(roster)
        sections = []
        for day in problem.dates:
            key = f"{day:%Y-%m-%d}"
            rows = []
            for shift in dept.shifts:
                people = roster.on(day, shift.id)
                if not people:
                    continue
                names = "<br>".join(
                    escape(f"{sid} {dept.staff_by_id[sid].name}" if sid in dept.staff_by_id else sid)
                    + (f" — {words['meal']} {escape(meals.get(key, {}).get(sid, ''))}"
                       if meals.get(key, {}).get(sid) else "")
                    for sid in people
                )
                rows.append(f"<tr><th>{escape(shift.label(loc))}<br>{shift.start:%H:%M}-{shift.end:%H:%M}</th>"
                            f"<td>{names}</td></tr>")
            duty = _names(problem, rotation.get(day, []))
            if duty:
                rows.append(f"<tr><th>{words['duty']}</th><td>{escape(duty)}</td></tr>")
            sections.append(f"<section><h2>{escape(_day_label(day, loc))} {words['day']}</h2>"
                            f"<table>{''.join(rows)}</table></section>")
        title = f"{dept.name} {words['day']} {problem.horizon.label} r{roster.revision}"
        page = (f'<!DOCTYPE html><html lang="{loc}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f"<style>{_PAGE_CSS}</style></head><body><h1>{escape(title)}</h1>{''.join(sections)}</body></html>\n")
        write_text_atomic(target, page)
        return [target]


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(DutyLogHtml())
    register(DutyLogXlsx())
    register(DaySheets())
