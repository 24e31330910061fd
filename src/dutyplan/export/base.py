"""What an exporter is: a named format that writes a roster to files people use."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from dutyplan.domain import Problem
from dutyplan.roster import Roster


class Exporter(ABC):
    """A format (``csv``, ``html``...). ``default_name`` is the file or folder it writes by default."""

    name: ClassVar[str]
    description: ClassVar[str]
    default_name: ClassVar[str]
    plugin: str = ""

    def applies(self, problem: Problem) -> bool:
        """Whether ``plan`` writes this format by default for the problem (e.g. a duty log needs a rotation)."""
        return True

    @abstractmethod
    def export(self, roster: Roster, problem: Problem, target: Path) -> list[Path]:
        """Write the roster to ``target`` (atomically) and return the files written."""
