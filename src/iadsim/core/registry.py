"""Models by stable name: a scenario says ``tracker: jpda``, never an import path.

Each role of the pipeline (:mod:`iadsim.core.contracts`) has one :class:`Registry`. The
built-in models are registered here as ``"module:attribute"`` strings, resolved on first
use, so ``core`` imports no domain package and a scenario can be validated without
loading every model. A new model is one module plus one registration, from anywhere::

    from iadsim.core.registry import TRACKERS
    TRACKERS.register("my_tracker", MyTracker)          # or "my_package.module:MyTracker"

and the contract suite in ``tests/contracts`` then checks it like the built-ins.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from typing import Any


class UnknownModelError(KeyError):
    """A name that no model of the role is registered under."""

    def __init__(self, role: str, name: str, known: tuple[str, ...]) -> None:
        close = difflib.get_close_matches(name, known, n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        super().__init__(f"no {role} named {name!r}; known: {', '.join(known)}{hint}")
        self.role, self.name, self.known, self.suggestions = role, name, known, close

    def __str__(self) -> str:
        return str(self.args[0])


class Registry:
    """Factories of one role's models, by stable name.

    Parameters
    ----------
    role : str
        What the models are, for messages (``"tracker"``).
    builtins : dict of str to str
        Built-in models as ``{"name": "module:attribute"}``, imported on first use.
    """

    def __init__(self, role: str, builtins: dict[str, str] | None = None) -> None:
        self.role = role
        self._entries: dict[str, Any] = dict(builtins or {})

    def register(self, name: str, factory: Callable[..., Any] | str) -> None:
        """Register ``factory`` (a callable, or ``"module:attribute"``) under ``name``.

        Raises
        ------
        ValueError
            If ``name`` is taken: replacing a model silently would change old scenarios.
        """
        if name in self._entries:
            raise ValueError(f"a {self.role} named {name!r} is already registered")
        self._entries[name] = factory

    def unregister(self, name: str) -> None:
        """Remove ``name`` (for tests that register a toy model)."""
        self._entries.pop(name, None)

    def names(self) -> tuple[str, ...]:
        """Registered names, sorted."""
        return tuple(sorted(self._entries))

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def get(self, name: str) -> Callable[..., Any]:
        """The factory registered under ``name``.

        Raises
        ------
        UnknownModelError
            With the closest registered names.
        """
        if name not in self._entries:
            raise UnknownModelError(self.role, name, self.names())
        entry = self._entries[name]
        if isinstance(entry, str):
            module, _, attribute = entry.partition(":")
            entry = getattr(importlib.import_module(module), attribute)
            self._entries[name] = entry
        return entry


TRACKERS = Registry(
    "tracker",
    {
        "gnn": "iadsim.tracking.tracker:gnn_tracker",
        "jpda": "iadsim.tracking.jpda:jpda_tracker",
        "imm": "iadsim.tracking.tracker:imm_tracker",
        "stonesoup": "iadsim.interop.stonesoup.tracker:stonesoup_tracker",
    },
)
"""Trackers: ``factory(config: TrackerConfig) -> Tracker``."""

ASSIGNERS = Registry(
    "weapon-target assigner",
    {
        "wta": "iadsim.c2.assigners:WeaponTargetAssigner",
        "greedy": "iadsim.c2.assigners:GreedyAssigner",
    },
)
"""Weapon-target assigners: ``factory() -> Assigner``."""

SIGNAL_EFFECTS = Registry(
    "signal effect",
    {
        "clear_air_attenuation": "iadsim.sensors.radar_equation:ClearAirAttenuation",
        "terrain_diffraction": "iadsim.sensors.diffraction:TerrainDiffraction",
        "ground_clutter": "iadsim.sensors.clutter:GroundClutter",
        "doppler_notch": "iadsim.sensors.doppler_notch:DopplerNotch",
        "noise_jamming": "iadsim.ew.noise_jamming:noise_jamming",
    },
)
"""Signal effects on a radar path: ``factory(**settings) -> SignalEffect``."""

SENSORS = Registry(
    "sensor",
    {"iff_interrogator": "iadsim.sensors.iff:Interrogator"},
)
"""Sensor models: ``factory(...) -> Sensor``."""

IDENTIFICATION_RULES = Registry(
    "identification rule set",
    {"stanag1241": "iadsim.c2.picture.identification:Stanag1241Rules"},
)
"""Identification rule sets: ``factory(**settings) -> IdentificationRules``; a scenario
picks one with ``identification: {name: ..., <settings>}``."""
