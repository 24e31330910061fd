"""Improve a whole roster on a few weekends at a time, with the days around them, everyone free.

Why: where R-MAX-WEEKENDS binds (the cover asks for more weekend shifts than the staff's weekend
allowances hold: Curtois-Qu 13, 18 and 19), most of a good roster's penalty is weekend holes, and the
moves that fill them change several people on several weekends at once: one gives up a weekend that
others can cover to take a whole weekend where a day lies empty, and to stay within R-MAX-CONSEC and
R-MIN-CONSEC the days before and after both weekends shift too. A few people's whole rows
(model/groups.py) miss the colleagues who must trade; a week of everyone misses the second weekend;
the weekends alone with every weekday held (``solve.WEEKENDS_FROM``) cannot move the days around
them, and there CP-SAT proved the roster optimal in 0.3 s. A few weekends with Thursday to Tuesday
around each, the rest held, are a sub-model CP-SAT solves to optimality in a fraction of a second on
a quarter (18, 22 people: six weekends in 0.2 to 1.6 s), and drawn at random they reach what its own neighbourhoods
over the whole model do not (from one roster of 18, 5,416, in 25 s: 5,009 with six weekends at a
time, 5,412 on the whole model; 19 3,983 -> 3,779 against 3,883; 13 2,958 -> 2,656 against 2,948;
bench/RESULTS.md, stop 32). With Friday to Monday only nothing was found: the runs around a weekend
reach two days into the week.

The number of weekends adapts like the groups' size: it grows while sub-models are proven optimal in
under half their slice and shrinks when one runs out of time.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from dutyplan.model.context import ModelContext
from dutyplan.model.search import Found, Search, complete_hint

_log = logging.getLogger(__name__)

BEFORE, AFTER = 2, 2
"""Days before a weekend's Saturday and after its Sunday that are free with it (Thursday to Tuesday)."""

WINDOW_CELLS = 2_400
"""Free shift variables (people x days x shifts) the first sub-models aim at: six weekends of a quarter of 22 people."""

GROW, SHRINK = 1.2, 1.5
"""How the number of weekends moves after a quick proof, and after a sub-model that ran out of time."""

SLICE = 3.0
"""Seconds a sub-model gets at most."""


def window_cells(ctx: ModelContext) -> int:
    """Shift variables one weekend's window frees: everyone, ``BEFORE`` + 2 + ``AFTER`` days, every shift."""
    return ctx.num_staff * ctx.num_shifts * (2 + BEFORE + AFTER)


def fits(ctx: ModelContext) -> bool:
    """One weekend's window is within ``WINDOW_CELLS``: its sub-model is proven in a fraction of the slice.

    On a month of 120 people and 18 shift types (Curtois-Qu 13: 12,960 free shift variables a weekend)
    every sub-model ran out of its slice, and CP-SAT's own neighbourhoods over the whole model did better
    from the same groups' roster (-1,007 and -1,017 in 23 s against -464 to -814 for the windows and the
    final solve after them, seeds 0-2; bench/RESULTS.md, stop 32).
    """
    return window_cells(ctx) <= WINDOW_CELLS


def windows(weekends: Sequence[Sequence[int]], chosen: Sequence[int], days: int) -> list[int]:
    """The day indexes of the ``chosen`` weekends with ``BEFORE`` days before and ``AFTER`` after each."""
    free: set[int] = set()
    for k in chosen:
        first, last = min(weekends[k]), max(weekends[k])
        free.update(range(max(0, first - BEFORE), min(days, last + AFTER + 1)))
    return sorted(free)


def improve_weekend_windows(
    search: Search,
    found: Found,
    weekends: Sequence[Sequence[int]],
    deadline: float,
    configure: Callable[[Any], None] | None = None,
    seed: int = 0,
) -> Found:
    """``found`` improved on random sets of weekends with the days around them, until ``deadline``.

    Each sub-model starts from the best roster so far (the model's hint is replaced by it, as
    ``solve`` does between stages), so what one window finds the next builds on.
    """
    ctx = search.ctx
    if not weekends:
        return found
    rng = random.Random(seed)
    per_weekend = max(1, window_cells(ctx))
    size = float(min(len(weekends), max(1, round(WINDOW_CELLS / per_weekend))))
    best = found
    while (left := deadline - time.perf_counter()) > 0.5:
        k = min(len(weekends), max(1, math.floor(size)))
        chosen = rng.sample(range(len(weekends)), k)
        slice_ = min(SLICE, left)
        began = time.perf_counter()
        free_days = windows(weekends, chosen, ctx.num_days)
        improved = search.improve(best, search.days_free(free_days), began + slice_, configure)
        took = time.perf_counter() - began
        _log.debug("%d weekends (%d days): %d -> %d in %.2f s", k, len(free_days), best.objective,
                   improved.objective, took)
        if improved is not best:
            best = improved
            complete_hint(ctx, best.values)
        if took < 0.5 * slice_:
            size = min(float(len(weekends)), size * GROW)
        elif took >= 0.95 * slice_ and slice_ == SLICE:
            size = max(1.0, size / SHRINK)
        if k == len(weekends) and took < 0.5 * slice_:
            # every weekend at once, proven: nothing is left for this neighbourhood
            break
    return best


__all__ = ["AFTER", "BEFORE", "SLICE", "WINDOW_CELLS", "fits", "improve_weekend_windows", "window_cells", "windows"]
