"""Fixtures of the export tests: the example department's January 2027 and a hand-made roster."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_support import DUTY, january, make_roster

from dutyplan.domain import Problem
from dutyplan.roster import Roster


@pytest.fixture
def problem(example_dept: Path) -> Problem:
    return january(example_dept)


@pytest.fixture
def roster(problem: Problem) -> Roster:
    return make_roster(problem, duty=DUTY)
