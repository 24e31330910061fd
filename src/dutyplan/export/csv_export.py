"""CSV export: ``date,staff_id,shift_id`` first, one row per assignment, ISO dates.

The same columns ``dutyplan check --roster FILE.csv`` reads, so a roster edited in
a spreadsheet can be checked; names and day types follow for people reading it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dutyplan import hookimpl
from dutyplan.domain import Problem
from dutyplan.export.base import Exporter
from dutyplan.fileio import write_text_atomic
from dutyplan.roster import Roster


class CsvExporter(Exporter):
    name = "csv"
    description = "one row per assignment: date,staff_id,shift_id,staff_name,shift_name,day_type"
    default_name = "roster.csv"

    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        write_text_atomic(target, roster.to_csv(problem))
        return [target]


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(CsvExporter())
