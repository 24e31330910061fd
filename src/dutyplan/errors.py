"""One family of errors that the CLI shows as a plain message, never a traceback.

Anything that is *not* a :class:`DutyplanError` is a bug in dutyplan and keeps its
traceback (the tox habit): users can tell "my file is wrong" from "the tool is wrong".
"""

from __future__ import annotations


class DutyplanError(Exception):
    """Base for errors a user can act on. ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DutyplanError):
    """Unreadable or invalid input: names the file, the key or line, and what was expected."""

    exit_code = 2

    def __init__(self, message: str, *, path: object | None = None, where: str | None = None) -> None:
        prefix = ""
        if path is not None:
            prefix = f"{path}"
            if where:
                prefix += f": {where}"
            prefix += ": "
        elif where:
            prefix = f"{where}: "
        super().__init__(prefix + message)
        self.path = path
        self.where = where


class PluginError(InputError):
    """A plugin could not be found or loaded, or implements a hook that does not exist."""


class InfeasibleError(DutyplanError):
    """No roster satisfies every hard rule; the message names the rules involved."""

    exit_code = 1


class RuleViolationError(DutyplanError):
    """A roster breaks hard rules (used by ``check`` and swap validation)."""

    exit_code = 1


class ConsistencyError(DutyplanError):
    """The solver and the independent checker disagree: a bug, reported loudly, never written."""

    exit_code = 3
