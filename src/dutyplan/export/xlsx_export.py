"""XLSX export: the roster grid with colours and totals, one row per assignment, and a legend.

The workbook itself is built in :mod:`dutyplan.export.xlsx_book`, imported only
when a workbook is written: openpyxl (and the numpy it loads) costs a quarter
of a second that commands like ``swap check`` should not pay.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.export.base import Exporter
from dutyplan.fileio import write_bytes_atomic
from dutyplan.roster import Roster


class XlsxExporter(Exporter):
    name = "xlsx"
    description = "a workbook: the roster grid with colours and totals, one row per assignment, a legend"
    default_name = "roster.xlsx"

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        from dutyplan.export.xlsx_book import build_workbook, stamp_of, workbook_bytes

        write_bytes_atomic(target, workbook_bytes(build_workbook(roster, problem), stamp_of(roster, problem)))
        return [target]


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(XlsxExporter())
