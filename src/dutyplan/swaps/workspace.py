"""Open a department for a swap or leave command, with a roster store that parses each revision once.

Why a cache: building the problem loads the current revision of every stored
horizon (for history), and the command loads the month's revision again; a
200-person month with its meal plan is a large TOML file, and parsing it twice
was most of a ``swap check``. Revision files are immutable (written once,
exclusively, never replaced: R-REVISE), so a parsed revision is cached by its
path, size and modification time; the ``index.toml`` that says which revision
is current is read fresh every time. Cached rosters are shared: code here never
mutates one, it builds a new roster (``replace_assignments``) instead.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from dutyplan.config.load import read_toml
from dutyplan.domain import Horizon, Problem
from dutyplan.errors import InputError
from dutyplan.planner import Workspace
from dutyplan.roster import Roster
from dutyplan.store import RosterStore

_CACHE: OrderedDict[tuple[str, int, int], Roster] = OrderedDict()
_CACHE_SIZE = 32


class CachingStore(RosterStore):
    """A :class:`RosterStore` whose ``load`` parses an immutable revision file at most once per process."""

    def load(self, label: str, number: int | None = None) -> Roster:
        if number is None:
            number = self.current_number(label)
            if number is None:
                raise InputError(f"no roster for {label} yet (run `dutyplan plan` first)", path=self.folder(label))
        path = self.revision_path(label, number)
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise InputError(f"revision {number} does not exist", path=path) from None
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        cached = _CACHE.get(key)
        if cached is None:
            cached = Roster.from_toml_dict(read_toml(path), path)
            _CACHE[key] = cached
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
        return cached


def open_workspace(department_dir: Path) -> Workspace:
    """:meth:`Workspace.open` with the caching store."""
    ws = Workspace.open(department_dir)
    dept = ws.department
    ws.store = CachingStore(dept.directory, [p.id for p in dept.staff], dept.timezone)
    return ws


def month_horizon(ws: Workspace, label: str) -> Horizon:
    return ws.horizon(label, None, None)


def month_problem(ws: Workspace, label: str) -> Problem:
    """The problem of a stored month, built as ``plan`` and ``check`` build it (history, published plans)."""
    return ws.problem(month_horizon(ws, label))
