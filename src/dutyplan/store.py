"""Where rosters live: one folder per horizon, one immutable file per revision.

``rosters/<dept>/2027-01/roster.r1.toml``, ``roster.r2.toml``, ... are never
rewritten once written (R-REVISE: old copies are kept). ``index.toml`` beside
them says which revision is current and which are superseded, and is replaced
atomically *after* the new revision is safely on disk, so a crash in between
leaves the old revision current and intact. A lock file serialises writers.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from dutyplan.config.load import read_toml
from dutyplan.errors import InputError
from dutyplan.fileio import write_text_atomic
from dutyplan.roster import Roster

_REVISION_FILE = re.compile(r"^roster\.r(\d+)\.toml$")
INDEX = "index.toml"


def now_iso(tz: str = "UTC") -> str:
    import pendulum

    return pendulum.now(tz).replace(microsecond=0).isoformat()


WITHDRAWN = "withdrawn"
"""``roster.extras`` key: per person, the days the previous revision had them working (or on duty) and this
one does not, so calendar exports can cancel those events (R-REVISE: the old copy is withdrawn)."""


def withdrawn(old: Roster, new: Roster) -> dict[str, list[str]]:
    """Per person, ``YYYY-MM-DD`` (shift) and ``YYYY-MM-DD duty`` entries present in ``old`` but not in ``new``."""
    result: dict[str, list[str]] = {}
    staff = {a.staff for a in old.assignments}
    for sid in sorted(staff):
        for day in old.dates:
            if old.shifts_on(sid, day) and not new.shifts_on(sid, day):
                result.setdefault(sid, []).append(day.isoformat())
    old_duty, new_duty = old.extras.get("duty") or {}, new.extras.get("duty") or {}
    for key, people in sorted(old_duty.items()):
        for sid in people:
            if sid not in (new_duty.get(key) or []):
                result.setdefault(sid, []).append(f"{key} duty")
    return result


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    status: str  # current | superseded
    written: str
    reason: str
    superseded_by: int | None = None
    superseded_at: str | None = None


class RosterStore:
    """Roster revisions of one department, grouped by horizon label (``2027-01``)."""

    def __init__(self, department_dir: Path, staff_order: list[str] | None = None, tz: str = "UTC") -> None:
        self.root = department_dir
        self.staff_order = staff_order or []
        self.tz = tz

    def folder(self, label: str) -> Path:
        return self.root / label

    def revision_path(self, label: str, number: int) -> Path:
        return self.folder(label) / f"roster.r{number}.toml"

    def revision_files(self, label: str) -> list[int]:
        folder = self.folder(label)
        if not folder.is_dir():
            return []
        found = (_REVISION_FILE.match(p.name) for p in folder.iterdir())
        return sorted(int(m.group(1)) for m in found if m)

    # -- index -----------------------------------------------------------------
    def index(self, label: str) -> list[RevisionInfo]:
        path = self.folder(label) / INDEX
        if not path.exists():
            return []
        data = read_toml(path)
        try:
            return [RevisionInfo(**entry) for entry in data.get("revision", [])]
        except TypeError as exc:
            raise InputError(f"unexpected entry: {exc}", path=path, where="revision") from None

    def current_number(self, label: str) -> int | None:
        for info in self.index(label):
            if info.status == "current":
                return info.number
        return None

    def load(self, label: str, number: int | None = None) -> Roster:
        """A stored revision (default: the current one)."""
        if number is None:
            number = self.current_number(label)
            if number is None:
                raise InputError(
                    f"no roster for {label} yet (run `dutyplan plan` first)", path=self.folder(label)
                )
        path = self.revision_path(label, number)
        if not path.exists():
            raise InputError(f"revision {number} does not exist", path=path)
        return Roster.from_toml_dict(read_toml(path), path)

    @contextlib.contextmanager
    def locked(self, label: str) -> Iterator[None]:
        folder = self.folder(label)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write_revision(self, label: str, roster: Roster, reason: str) -> Path:
        """Store ``roster`` as the next revision and make it current; returns its path."""
        with self.locked(label):
            return self.write_revision_locked(label, roster, reason)

    def next_number(self, label: str) -> int:
        """The number the next revision of ``label`` gets (orphans of a crash count as taken)."""
        return max(self.revision_files(label), default=0) + 1

    def _make_current(self, label: str, number: int, reason: str) -> None:
        stamp = now_iso(self.tz)
        entries: list[dict[str, Any]] = []
        for info in self.index(label):
            entry = {k: v for k, v in info.__dict__.items() if v is not None}
            if info.status == "current":
                entry.update(status="superseded", superseded_by=number, superseded_at=stamp)
            entries.append(entry)
        entries.append({"number": number, "status": "current", "written": stamp, "reason": reason})
        text = tomli_w.dumps({"current": number, "revision": entries})
        write_text_atomic(self.folder(label) / INDEX, text)

    # -- history across horizons -------------------------------------------------
    def labels(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(f.name for f in self.root.iterdir() if (f / INDEX).is_file())

    def current_rosters(self) -> list[Roster]:
        """The current revision of every stored horizon (months and holiday plans)."""
        result: list[Roster] = []
        for label in self.labels():
            number = self.current_number(label)
            if number is not None:
                result.append(self.load(label, number))
        return sorted(result, key=lambda r: r.start)

    # -- revisions written by a caller that holds the lock (swaps, leave) ---------------
    def write_revision_locked(self, label: str, roster: Roster, reason: str) -> Path:
        """:meth:`write_revision` for a caller already inside ``locked(label)``.

        Swap and leave approval read the current revision, check the change and
        write the next one under a single lock, so two approvals racing on one
        roster never both build on the same revision (``flock`` is not
        re-entrant, hence this twin instead of nesting ``write_revision``). The
        order is the same: the new file first (exclusive, never replacing one),
        then ``index.toml``; a crash in between leaves the old revision current.
        """
        previous = self.current_number(label)
        if previous is not None:
            roster.extras.pop(WITHDRAWN, None)
            gone = withdrawn(self.load(label, previous), roster)
            if gone:
                roster.extras[WITHDRAWN] = gone
        number = self.next_number(label)
        roster.revision = number
        roster.created = roster.created or now_iso(self.tz)
        path = self.revision_path(label, number)
        text = tomli_w.dumps(roster.to_toml_dict(self.staff_order))
        tomllib.loads(text)  # what we write must read back
        write_text_atomic(path, text, exclusive=True)
        self._make_current(label, number, reason)
        return path
