"""``[swaps]`` in the department file, and who may approve a change (R-FIXED).

The default approver rule is a ``trylast`` implementation of the
``may_approve`` hook: the people in ``department.approvers`` may approve. A
plugin that knows better (an HR system, a rule that a team leader approves
swaps but only the manager approves leave) implements ``may_approve`` too and
its answer wins, because the hook stops at the first non-None result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dutyplan import hookimpl
from dutyplan.domain import Department, Problem

SECTION = "swaps"
DEFAULT_CAP = 2
"""S-MONTHLY-CAP: at most two swaps per person per month (第9篇 17: 每月换班最多两次)."""


class SwapSettings(BaseModel):
    """``[swaps]``: the monthly cap and what is written beside a revised roster."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    monthly_cap: int = Field(default=DEFAULT_CAP, ge=0, description="Approved swaps per person per month.")
    consent_required: bool = Field(default=True, description="The counterpart must agree in the file ([consent]).")
    exports: list[str] | None = Field(
        default=None, description="Formats written for a revised roster (default: those `plan` writes)."
    )


def swap_settings(department: Department) -> SwapSettings:
    section = department.section(SECTION)
    return section if isinstance(section, SwapSettings) else SwapSettings()


@hookimpl
def register_config_sections(register: Callable[[str, type[BaseModel]], None]) -> None:
    register(SECTION, SwapSettings)


@hookimpl(trylast=True)
def may_approve(approver: str, request: Any, problem: Problem) -> bool | None:
    """The built-in answer: whoever ``department.approvers`` lists (R-FIXED: the supervisor approves)."""
    return approver in problem.department.spec.department.approvers
