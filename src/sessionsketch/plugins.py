"""One loader for the four registries: readers, writers, engines and check rules.

Each registry is a package whose modules register themselves with a decorator when
imported (``@transcript_reader``/``@sketch_reader``, ``@sketch_writer``,
``@register_engine``, ``@rule``). :func:`load` imports, once per registry, every module
of the package and then every module named by a Python entry point in the group
``sessionsketch.<registry>`` — so an outside package adds a format, an engine or a
rule by declaring, in its own ``pyproject.toml``::

    [project.entry-points."sessionsketch.writers"]
    odt = "institute_formats.odt"

A plugin that fails to import is reported as a warning naming it and is left out;
the built-in formats keep working. See docs/plugins.md.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from importlib import metadata

log = logging.getLogger("sessionsketch")

#: registry → the package of built-in modules (the entry-point group is ``sessionsketch.<registry>``)
REGISTRIES: dict[str, str] = {
    "readers": "sessionsketch.readers",
    "writers": "sessionsketch.writers",
    "engines": "sessionsketch.engines",
    "checks": "sessionsketch.checks",
}

_LOADED: set[str] = set()


def entry_point_group(registry: str) -> str:
    return f"sessionsketch.{registry}"


def load(registry: str) -> None:
    """Import the built-in modules of ``registry``, then its entry-point plugins (once)."""
    if registry in _LOADED:
        return
    _LOADED.add(registry)
    package = importlib.import_module(REGISTRIES[registry])
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    for entry in metadata.entry_points(group=entry_point_group(registry)):
        try:
            entry.load()
        except Exception as exc:  # a broken plugin must not take the built-in formats down
            log.warning(
                "plugin %s = %s (%s) not loaded: %s: %s",
                entry.name,
                entry.value,
                entry_point_group(registry),
                type(exc).__name__,
                exc,
            )


def plugins(registry: str) -> list[tuple[str, str]]:
    """(name, module) of every entry point declared for ``registry`` (what ``load`` imports)."""
    return [(e.name, e.value) for e in metadata.entry_points(group=entry_point_group(registry))]
