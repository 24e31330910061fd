"""The ledger file: append-only JSON lines, each carrying the hash of the one before (tamper-evident).

``rosters/<dept>/ledger/points.jsonl`` holds one entry per line. Each entry has
``id`` (1, 2, 3... in file order), ``prev`` (the ``hash`` of the entry before;
64 zeros for the first) and ``hash``: sha256 over the entry's canonical
serialisation (JSON with sorted keys and no spaces) without ``hash``. So:

* an edited line no longer matches its own hash, or, if its hash was
  recomputed, no longer matches the ``prev`` of the line after it;
* a removed or moved line breaks the ``id`` sequence and the ``prev`` links;
* removing the *last* line leaves no broken link, so ``head.json`` beside the
  file records the count, the last hash and the file size after every append.

Appends take an exclusive lock (``ledger/.lock``), write all new lines with
one ``write`` on an ``O_APPEND`` descriptor, ``fsync``, then replace
``head.json`` atomically. A crash mid-write leaves a torn last line after the
size in ``head.json``: ``verify`` reports it, and the next append cuts it off
(those bytes were never acknowledged). Complete lines past the head (a crash
between the ``fsync`` and the head update) are kept. Corrections are new
reversing entries, never edits.

Without a secret key anyone able to rewrite the whole file can forge a
consistent chain; the head hash that ``verify`` and the points report print is
the anchor to keep elsewhere (payroll keeps the report of each month).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutyplan.errors import RuleViolationError
from dutyplan.fileio import write_text_atomic

FOLDER = "ledger"
FILE = "points.jsonl"
HEAD = "head.json"
GENESIS = "0" * 64

Entry = dict[str, Any]


def canonical(entry: Entry) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: Entry) -> str:
    """sha256 over the canonical serialisation of the entry without its ``hash``."""
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


_SEAL = b',"hash":"'
_SEAL_LEN = len(_SEAL) + 64 + 2


def sealed_line(body: Entry) -> tuple[str, bytes]:
    """The hash of ``body`` and its line: the canonical body with ``"hash"`` appended as the last key.

    Written this way, checking a line needs no re-serialisation: the bytes
    before the hash *are* the canonical body (see :func:`line_matches`).
    """
    body_bytes = canonical(body)
    digest = hashlib.sha256(body_bytes).hexdigest()
    return digest, body_bytes[:-1] + _SEAL + digest.encode("ascii") + b'"}\n'


def line_matches(line: bytes, entry: Entry) -> bool:
    """The line's content matches its hash (fast path on the bytes; any other layout re-serialised)."""
    stored = entry.get("hash")
    if not isinstance(stored, str):
        return False
    sealed = line.endswith(b'"}') and line[-_SEAL_LEN:-66] == _SEAL and line[-66:-2] == stored.encode("ascii")
    if sealed and hashlib.sha256(line[:-_SEAL_LEN] + b"}").hexdigest() == stored:
        return True
    return entry_hash(entry) == stored


@dataclass
class Scan:
    """The entries read, and the first problem found (``None``: the chain is intact)."""

    entries: list[Entry] = field(default_factory=list)
    problem: str | None = None
    line: int | None = None
    entry_id: Any = None
    head_hash: str = GENESIS
    torn: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


class Ledger:
    """One department's ledger (``<department>/ledger/``)."""

    def __init__(self, department_dir: Path) -> None:
        self.folder = department_dir / FOLDER
        self.path = self.folder / FILE
        self.head_path = self.folder / HEAD

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def head(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.head_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"count": -1, "hash": "", "size": -1}
        return data if isinstance(data, dict) else {"count": -1, "hash": "", "size": -1}

    # -- reading and verifying ------------------------------------------------------------
    def scan(self) -> Scan:
        """Read every line and check the chain; stops at the first bad entry."""
        scan = Scan()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = b""
        lines = raw.split(b"\n")
        tail = lines.pop()  # b"" when the file ends with a newline
        prev = GENESIS
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict):
                problem: tuple[str, int] | None = ("not a JSON object (edited by hand, or damaged)", number)
            else:
                problem = self._check_entry(line, entry, number, prev)
            if problem is not None:
                scan.problem, scan.line = problem
                scan.entry_id = scan.line
                return scan
            scan.entries.append(entry)
            prev = entry["hash"]
        scan.head_hash = prev
        head = self.head()
        if tail:
            scan.torn = True
            scan.problem = ("the last line is incomplete (an append interrupted by a crash; it was never "
                            "acknowledged and the next append removes it)")
            scan.line, scan.entry_id = len(lines) + 1, len(lines) + 1
        elif head is not None and head.get("count", 0) > len(scan.entries):
            scan.problem = (f"the ledger ends at entry {len(scan.entries)} but head.json records "
                            f"{head.get('count')} entries: entries at the end were removed")
            scan.line, scan.entry_id = len(scan.entries) + 1, len(scan.entries) + 1
        elif head is not None and head.get("count", 0) == len(scan.entries) and head.get("hash") != prev:
            scan.problem = "the last entry differs from the one head.json records (it was replaced)"
            scan.line, scan.entry_id = len(scan.entries), len(scan.entries)
        return scan

    @staticmethod
    def _check_entry(line: bytes, entry: Entry, number: int, prev: str) -> tuple[str, int] | None:
        if entry.get("id") != number:
            return (f"expected entry id {number}, found {entry.get('id')!r}: entries were removed or reordered",
                    number)
        if entry.get("prev") != prev:
            if number > 1:
                return (f"entry {number - 1} does not match the hash that entry {number} records for it: "
                        f"entry {number - 1} was changed (and re-hashed) after entry {number} was written", number - 1)
            return "the first entry does not start the chain (prev is not 64 zeros)", number
        if not line_matches(line, entry):
            return "its content does not match its hash: the line was edited", number
        return None

    def entries(self) -> list[Entry]:
        """Every entry, or :class:`RuleViolationError` if the chain is broken (nothing is built on a bad ledger)."""
        scan = self.scan()
        if not scan.ok and not scan.torn:
            raise RuleViolationError(f"{self.path}: line {scan.line}: {scan.problem}; run `dutyplan ledger verify`")
        return scan.entries

    # -- appending -------------------------------------------------------------------------
    def append_locked(self, drafts: list[Entry], last: Entry | None) -> list[Entry]:
        """Chain ``drafts`` after ``last`` and append them; the caller holds :meth:`locked`.

        ``last`` is the last entry read under the same lock (``None`` for an empty ledger).
        """
        if not drafts:
            return []
        self._cut_torn_tail()
        prev = last["hash"] if last else GENESIS
        number = int(last["id"]) if last else 0
        written: list[Entry] = []
        chunks: list[bytes] = []
        for draft in drafts:
            number += 1
            entry = {**{k: v for k, v in draft.items() if k not in ("id", "prev", "hash")}, "id": number, "prev": prev}
            prev, line = sealed_line(entry)
            entry["hash"] = prev
            chunks.append(line)
            written.append(entry)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            data = b"".join(chunks)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        write_text_atomic(self.head_path, json.dumps({"count": number, "hash": prev, "size": size}) + "\n")
        return written

    def append(self, drafts: list[Entry]) -> list[Entry]:
        """Lock, read the last entry (and only that), append. For bulk writers that need no history."""
        with self.locked():
            return self.append_locked(drafts, self._last_entry())

    def _last_entry(self) -> Entry | None:
        self._cut_torn_tail()
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                end = handle.tell()
                step = 4096
                while True:
                    start = max(0, end - step)
                    handle.seek(start)
                    block = handle.read(end - start)
                    body = block.rstrip(b"\n")
                    cut = body.rfind(b"\n")
                    if cut >= 0 or start == 0:
                        line = body[cut + 1:]
                        break
                    step *= 2
        except FileNotFoundError:
            return None
        if not line:
            return None
        entry = json.loads(line)
        if not isinstance(entry, dict) or not line_matches(line, entry):
            raise RuleViolationError(f"{self.path}: the last line is damaged; run `dutyplan ledger verify`")
        head = self.head()
        if head is not None and int(head.get("count", 0)) > int(entry.get("id", 0)):
            raise RuleViolationError(f"{self.path}: entries at the end were removed (head.json records "
                                     f"{head.get('count')}); run `dutyplan ledger verify`")
        return entry

    def _cut_torn_tail(self) -> None:
        """Remove an unacknowledged partial last line (after the size ``head.json`` records), never more."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0:
            return
        with open(self.path, "rb+") as handle:
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            head = self.head() or {"size": 0}
            acknowledged = int(head.get("size", 0))
            handle.seek(acknowledged)
            rest = handle.read()
            if b"\n" in rest:
                acknowledged += rest.rfind(b"\n") + 1
            if acknowledged < size:
                handle.truncate(acknowledged)
                handle.flush()
                os.fsync(handle.fileno())
