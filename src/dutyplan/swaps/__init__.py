"""Swap requests (换班申请, S-REQUEST, S-MONTHLY-CAP) and the roster revisions they produce (R-REVISE).

A staff member writes a small TOML file into ``rosters/<dept>/<YYYY-MM>/swaps/``;
``dutyplan swap check`` tests it against the current revision with the same rule
objects the solver uses, ``swap approve`` writes the next revision under the
store's lock, and ``diff`` shows what changed person by person.

Modules: :mod:`.request` (the file format), :mod:`.workspace` (opening a
department from a request file), :mod:`.validate` (the check), :mod:`.revise`
(writing revisions, meals, exports, shared with leave), :mod:`.approve`,
:mod:`.diff`, :mod:`.settings` (``[swaps]`` and the default approver rule),
:mod:`.commands` (the CLI).
"""
