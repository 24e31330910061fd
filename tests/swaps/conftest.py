from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import make_department


@pytest.fixture
def dept(tmp_path: Path) -> Path:
    """The frozen customer-service department with January 2027 stored as revision 1."""
    return make_department(tmp_path)
