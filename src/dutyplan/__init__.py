"""dutyplan: shift and duty rosters for service departments, built by CP-SAT and explained rule by rule."""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("dutyplan")
"""Decorator for plugin hook implementations: ``@hookimpl def register_rules(register, problem): ...``"""

__all__ = ["__version__", "hookimpl"]
