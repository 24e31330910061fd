"""The plugin manager: built-in plugins, installed plugins, and one-off plugin files.

Order of registration: the built-in modules in :data:`BUILTINS`, then installed
distributions through the ``dutyplan`` entry point group (set
``DUTYPLAN_NO_ENTRYPOINTS=1`` to skip them, e.g. in hermetic tests), then the
``*.py`` files or packages a department file names under ``department.plugins``,
searched in its ``plugin_dirs``. A hook implementation that matches no hook
spec is an error that names the plugin, never silence.

``DUTYPLAN_TRACE_HOOKS=1`` prints every hook call to stderr.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pluggy

from dutyplan import hookspecs
from dutyplan.errors import PluginError

BUILTINS: tuple[str, ...] = (
    "dutyplan.rules.structure",
    "dutyplan.rules.coverage",
    "dutyplan.rules.availability",
    "dutyplan.rules.succession",
    "dutyplan.rules.runs",
    "dutyplan.rules.weekends",
    "dutyplan.rules.contract",
    "dutyplan.rules.hours",
    "dutyplan.rules.requests",
    "dutyplan.rules.fairness",
    "dutyplan.rules.locks",
    "dutyplan.features.duty",
    "dutyplan.features.meals",
    "dutyplan.features.holiday_plan",
    "dutyplan.features.daily_sheets",
    "dutyplan.export.csv_export",
    "dutyplan.export.html_export",
    "dutyplan.export.ics_export",
    "dutyplan.export.xlsx_export",
    "dutyplan.export.hours_export",
    "dutyplan.importers.curtois",
    "dutyplan.swaps.settings",
    "dutyplan.swaps.commands",
    "dutyplan.ledger.points",
    "dutyplan.ledger.attendance",
    "dutyplan.ledger.leave",
    "dutyplan.ledger.commands",
)
"""Built-in plugin modules; each uses the same ``@hookimpl`` as a third-party plugin."""

ENTRY_POINT_GROUP = "dutyplan"

T = TypeVar("T")


def _import_file(name: str, path: Path) -> ModuleType:
    module_name = f"dutyplan_plugin_{name}"
    entry = path / "__init__.py" if path.is_dir() else path
    if module_name in sys.modules:
        cached = sys.modules[module_name]
        if Path(getattr(cached, "__file__", "") or "").resolve() == entry.resolve():
            return cached
        # Another file of the same name (another department's plugins folder): forget the old one's submodules.
        for key in [k for k in sys.modules if k == module_name or k.startswith(module_name + ".")]:
            del sys.modules[key]
    if path.is_dir():
        spec = importlib.util.spec_from_file_location(
            module_name, path / "__init__.py", submodule_search_locations=[str(path)]
        )
    else:
        spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot load plugin {name!r}", path=path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        raise PluginError(f"plugin {name!r} failed to import: {type(exc).__name__}: {exc}", path=path) from exc
    return module


def find_plugin_file(name: str, dirs: Iterable[Path]) -> Path | None:
    for folder in dirs:
        for candidate in (folder / f"{name}.py", folder / name):
            if candidate.is_file() or (candidate.is_dir() and (candidate / "__init__.py").is_file()):
                return candidate
    return None


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    if pm.is_registered(plugin) or pm.get_plugin(name) is not None:
        return
    try:
        pm.register(plugin, name=name)
    except ValueError as exc:
        raise PluginError(f"plugin {name!r}: {exc}") from exc


def make_plugin_manager(
    department_plugins: Sequence[str] = (),
    plugin_dirs: Sequence[Path] = (),
    *,
    department_file: Path | None = None,
    extra: Sequence[tuple[str, object]] = (),
) -> pluggy.PluginManager:
    """A fresh plugin manager for one department (plugins differ between departments)."""
    pm = pluggy.PluginManager("dutyplan")
    pm.add_hookspecs(hookspecs)
    for module_name in BUILTINS:
        _register(pm, importlib.import_module(module_name), module_name)
    if not os.environ.get("DUTYPLAN_NO_ENTRYPOINTS"):
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:
            raise PluginError(f"an installed dutyplan plugin failed to load: {type(exc).__name__}: {exc}") from exc
    for name, plugin in extra:
        _register(pm, plugin, name)
    for name in department_plugins:
        if pm.get_plugin(name) is not None:
            continue
        found = find_plugin_file(name, plugin_dirs)
        if found is None:
            searched = ", ".join(str(d) for d in plugin_dirs) or "no plugin_dirs given"
            raise PluginError(
                f"unknown plugin {name!r}: not installed and not found as {name}.py in "
                f"the plugin folders ({searched})",
                path=department_file, where="department.plugins",
            )
        _register(pm, _import_file(name, found), name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(_unknown_hook_message(pm, exc.plugin)) from None
    if os.environ.get("DUTYPLAN_TRACE_HOOKS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


def _unknown_hook_message(pm: pluggy.PluginManager, plugin: object) -> str:
    import difflib

    name = pm.get_name(plugin) or repr(plugin)
    where = getattr(plugin, "__file__", None)
    known = known_hooks()
    unknown = [hook.name for hook in pm.hook.__dict__.values()
               if isinstance(hook, pluggy.HookCaller) and not hook.has_spec()
               and any(impl.plugin is plugin for impl in hook.get_hookimpls())]
    parts = []
    for hook in unknown or ["?"]:
        close = difflib.get_close_matches(hook, known, n=1)
        parts.append(f"{hook}" + (f" (did you mean {close[0]}?)" if close else ""))
    return (f"plugin {name!r}{f' ({where})' if where else ''} implements {', '.join(parts)}, "
            f"which is not a dutyplan hook. Known hooks: {', '.join(known)}")


def known_hooks() -> list[str]:
    return sorted(
        n for n in dir(hookspecs) if not n.startswith("_") and hasattr(getattr(hookspecs, n), "dutyplan_spec")
    )


def collect(
    pm: pluggy.PluginManager,
    hook_name: str,
    key: Callable[[T], str],
    what: str,
    stamp: Callable[[T, str], None] | None = None,
    **kwargs: Any,
) -> list[T]:
    """Call a ``register_*`` hook plugin by plugin, stamping the owner and rejecting clashes."""
    items: list[T] = []
    owners: dict[str, str] = {}
    hook = getattr(pm.hook, hook_name)
    for impl in reversed(hook.get_hookimpls()):
        def register(*args: Any, _plugin: str = impl.plugin_name) -> None:
            item: T = args[0] if len(args) == 1 else args  # type: ignore[assignment]
            k = key(item)
            if k in owners:
                raise PluginError(f"{what} {k!r} is registered by both {owners[k]!r} and {_plugin!r}")
            owners[k] = _plugin
            if stamp is not None:
                stamp(item, _plugin)
            items.append(item)

        impl.function(register=register, **{a: kwargs[a] for a in impl.argnames if a != "register"})
    return items


def plugin_rows(pm: pluggy.PluginManager) -> list[tuple[str, str, list[str]]]:
    """(name, version, hooks) for every registered plugin, for ``dutyplan plugins``."""
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    rows = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        if plugin is None:
            continue
        dist = dists.get(id(plugin))
        if dist is not None:
            version = f"{dist.project_name} {dist.version}"
        elif name.startswith("dutyplan."):
            from dutyplan import __version__

            version = f"dutyplan {__version__} (built-in)"
        else:
            version = getattr(plugin, "__version__", "-") + " (plugin file)"
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        rows.append((name, version, hooks))
    return rows
