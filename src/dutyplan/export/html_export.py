"""HTML export: one self-contained page to print and pin up (R-MONTH: everyone gets a copy).

Plain string building with :func:`html.escape` on every piece of text from the
department file or the roster (names, shift labels, holiday names, plugin
extras); colours pass through :func:`~dutyplan.export.grid.hex_colour` so only
``#RRGGBB`` reaches a style attribute. The CSS is inline and prints on A4
landscape with the shift colours kept. Statutory holidays (300% pay) are shaded
apart from rest days (weekend / holiday break, 200%); 调休 working days carry a
mark; coverage cells below the hard minimum (R-COVER) are flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.export.base import Exporter
from dutyplan.export.grid import TOTAL_COLUMNS, Cell, CoverRow, Day, Grid, Row, build_grid, hours_text, total_values
from dutyplan.export.words import word
from dutyplan.fileio import write_text_atomic
from dutyplan.roster import Roster

CSS = """
@page { size: A4 landscape; margin: 8mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", Arial, sans-serif;
       font-size: 12px; margin: 12px; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
.meta { margin: 0 0 8px; color: #444; }
.meta span { margin-right: 16px; }
table { border-collapse: collapse; }
.grid th, .grid td { border: 1px solid #bbb; padding: 2px 3px; text-align: center; white-space: nowrap; }
.grid th.name { text-align: left; position: sticky; left: 0; background: #fff; }
.grid thead th { background: #f4f4f4; }
.grid .num { font-weight: bold; }
.grid .wd { font-size: 10px; color: #555; }
.grid .rest { background: #e6e6e6; }
.grid .holiday { background: #f6c7c3; }
.grid td.holiday { border-bottom: 3px solid #c0392b; }
.grid td.s { font-weight: bold; }
.mark { display: inline-block; font-size: 9px; color: #fff; background: #2e6da4; border-radius: 2px;
              padding: 0 2px; }
.grid .tot { background: #fafafa; }
.grid tfoot th { text-align: left; background: #f4f4f4; }
.grid td.short { background: #c0392b; color: #fff; font-weight: bold; }
.grid td.over { background: #f0ad4e; }
.legend { margin-top: 10px; display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.legend h2 { font-size: 13px; margin: 0 0 4px; }
.legend td { padding: 1px 6px; border: 1px solid #ddd; }
.chip { display: inline-block; min-width: 18px; text-align: center; font-weight: bold; border: 1px solid #999; }
@media print {
  body { font-size: 8px; margin: 0; }
  .grid th, .grid td { padding: 1px; }
  .grid .wd, .mark { font-size: 7px; }
  .grid th.name { position: static; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _style(cell: Cell) -> str:
    return f"background:#{cell.colour};color:#{cell.ink}"


def _day_title(day: Day, locale: str) -> str:
    kind = word(day.type, locale)
    return f"{day.date.isoformat()} {kind}" + (f": {day.name}" if day.name else "")


def _head(grid: Grid) -> Iterator[str]:
    locale = grid.locale
    yield f"<thead><tr><th class=\"name\">{_e(word('name', locale))}</th>"
    for day in grid.days:
        mark = f"<span class=\"mark\">{_e(word('adjusted_mark', locale))}</span>" if day.shade == "adjusted" else ""
        yield (
            f"<th class=\"day {day.shade}\" title=\"{_e(_day_title(day, locale))}\" data-date=\"{day.date}\">"
            f"<div class=\"num\">{day.date.day}</div><div class=\"wd\">{_e(day.weekday)}{mark}</div></th>"
        )
    yield "".join(f"<th class=\"tot\">{_e(word(key, locale))}</th>" for key in TOTAL_COLUMNS)
    yield "</tr></thead>"


def _cell(cells: tuple[Cell, ...], day: Day, note: str) -> str:
    if not cells:
        return f"<td class=\"{day.shade}\"></td>"
    first = cells[0]
    title = "; ".join([*(f"{c.label} {c.times}".strip() for c in cells), *([note] if note else [])])
    code = "+".join(c.code for c in cells)
    return (
        f"<td class=\"s {day.shade}\" style=\"{_style(first)}\" title=\"{_e(title)}\" "
        f"data-shift=\"{_e(first.shift_id)}\">{_e(code)}</td>"
    )


def _number(value: float) -> str:
    return f"{value:g}"


def _person(row: Row, grid: Grid) -> str:
    notes = row.notes or ("",) * len(grid.days)
    cells = "".join(_cell(c, d, n) for c, d, n in zip(row.cells, grid.days, notes, strict=True))
    totals = "".join(f"<td class=\"tot\">{_number(v)}</td>" for v in total_values(row.totals))
    return (
        f"<tr data-staff=\"{_e(row.staff)}\"><th class=\"name\">{_e(row.name)} <small>{_e(row.staff)}</small></th>"
        f"{cells}{totals}</tr>"
    )


def _cover_row(cover: CoverRow, grid: Grid) -> str:
    locale = grid.locale
    parts = [f"<tr class=\"cover\"><th>{_e(word('coverage', locale))} · {_e(cover.shift.label)}</th>"]
    for c, day in zip(cover.counts, grid.days, strict=True):
        flag = " short" if c.short else " over" if c.over else ""
        title = f"{word('min_cover', locale)} {c.need.min}"
        if c.short:
            title += f" ({word('below_min', locale)})"
        parts.append(f"<td class=\"{day.shade}{flag}\" title=\"{_e(title)}\">{c.count}</td>")
    parts.append(f"<td class=\"tot\" colspan=\"{len(TOTAL_COLUMNS)}\"></td></tr>")
    return "".join(parts)


def _foot(grid: Grid) -> Iterator[str]:
    yield "<tfoot>"
    yield from (_cover_row(c, grid) for c in grid.coverage)
    for extra in grid.day_rows:
        cells = "".join(
            f"<td class=\"{d.shade}\">{_e(v)}</td>" for v, d in zip(extra.values, grid.days, strict=True)
        )
        yield (
            f"<tr class=\"extra\" data-key=\"{_e(extra.key)}\"><th>{_e(extra.label)}</th>{cells}"
            f"<td class=\"tot\" colspan=\"{len(TOTAL_COLUMNS)}\"></td></tr>"
        )
    yield "</tfoot>"


def _legend(grid: Grid) -> Iterator[str]:
    locale = grid.locale
    yield f"<div class=\"legend\"><div><h2>{_e(word('legend', locale))}</h2><table>"
    for c in grid.shifts:
        yield (
            f"<tr><td><span class=\"chip\" style=\"{_style(c)}\">{_e(c.code)}</span></td>"
            f"<td>{_e(c.label)}</td><td>{_e(c.times)}</td><td>{hours_text(c.paid_minutes)} h</td></tr>"
        )
    yield f"</table></div><div><h2>{_e(word('day_types', locale))}</h2><table>"
    yield f"<tr><td style=\"background:#e6e6e6\">&nbsp;&nbsp;</td><td>{_e(word('rest_day', locale))}</td></tr>"
    yield f"<tr><td style=\"background:#f6c7c3\">&nbsp;&nbsp;</td><td>{_e(word('holiday', locale))}</td></tr>"
    yield (
        f"<tr><td><span class=\"mark\">{_e(word('adjusted_mark', locale))}</span></td>"
        f"<td>{_e(word('adjusted_workday', locale))}</td></tr>"
    )
    yield "</table></div>"
    if grid.holidays:
        yield f"<div class=\"holidays\"><h2>{_e(word('holidays', locale))}</h2><table>"
        for day in grid.holidays:
            yield f"<tr><td>{day.date.isoformat()}</td><td>{_e(day.name or '')}</td></tr>"
        yield "</table></div>"
    yield "</div>"


def render_html(grid: Grid) -> str:
    """The whole page as one string."""
    lang = "zh-CN" if grid.locale == "zh" else "en"
    meta = "".join(f"<span><b>{_e(k)}</b>: {_e(v)}</span>" for k, v in grid.meta)
    body = "".join([
        *_head(grid),
        "<tbody>", *(_person(r, grid) for r in grid.rows), "</tbody>",
        *_foot(grid),
    ])
    return (
        f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
        f"<title>{_e(grid.title)}</title><style>{CSS}</style></head><body>\n"
        f"<h1>{_e(grid.title)}</h1><p class=\"meta\">{meta}</p>\n"
        f"<table class=\"grid\">{body}</table>\n{''.join(_legend(grid))}\n</body></html>\n"
    )


class HtmlExporter(Exporter):
    name = "html"
    description = "a printable page: people x days with shift colours, holidays, totals and coverage"
    default_name = "roster.html"

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        write_text_atomic(target, render_html(build_grid(roster, problem)))
        return [target]


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(HtmlExporter())
