"""The jammers of a scenario: which aircraft carries each, what it aims at, and what each
radar receives from them at an instant.

A scenario declares ``jammers: [{type, on, aim_at}]``: a catalog jammer type
(``jammers.yaml``), the air track (every aircraft of a raid) or the single raid member it
rides on, and optionally the radars or posts it aims its main beam at (default: every
radar it can tune to). A jammer radiates while its carrier flies; towards a radar it does
not aim at it radiates its sidelobes (``sidelobe_level_db``); a radar on a carrier it
cannot tune to receives nothing from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from iadsim.catalog.models import JammerType
from iadsim.core.contracts import JammerEmitters

__all__ = ["JammerSet", "carrier_rows", "tunes_to"]


def tunes_to(spec: JammerType, frequency_hz: float) -> bool:
    """The jammer can put its noise on a radar's carrier: it lies in one of its bands."""
    return any(low <= frequency_hz <= high for low, high in spec.bands_hz)


def carrier_rows(on: str, entity_names: Sequence[str]) -> list[int]:
    """Rows of the air entities a jammer placed ``on`` rides: the entity of that name, or
    every member (``<name>-NN``) of the raid of that name."""
    if on in entity_names:
        return [list(entity_names).index(on)]
    prefix = f"{on}-"
    return [
        i
        for i, name in enumerate(entity_names)
        if name.startswith(prefix) and name[len(prefix) :].isdigit()
    ]


@dataclass(frozen=True)
class JammerSet:
    """Every jammer of a run, one row each (a jammer on a raid is one row per aircraft).

    Attributes
    ----------
    names : list of m str
        ``<type>@<carrier entity>``, for records.
    scenario_index : (m,) int64
        Row of the scenario's ``jammers`` entry each comes from.
    carrier : (m,) int64
        Air entity carrying each jammer.
    specs : list of m JammerType
    aims : list of m (frozenset of str or None)
        Names of the radars each aims its main beam at; None: every radar.
    """

    names: list[str]
    scenario_index: np.ndarray
    carrier: np.ndarray
    specs: list[JammerType]
    aims: list[frozenset[str] | None]

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def build(
        cls,
        placements: Sequence[tuple[JammerType, str, frozenset[str] | None]],
        entity_names: Sequence[str],
    ) -> JammerSet:
        """From ``(type, on, aimed radar names)`` per scenario entry and the entities."""
        names: list[str] = []
        index: list[int] = []
        carrier: list[int] = []
        specs: list[JammerType] = []
        aims: list[frozenset[str] | None] = []
        for k, (spec, on, aim) in enumerate(placements):
            for row in carrier_rows(on, entity_names):
                names.append(f"{spec.key}@{entity_names[row]}")
                index.append(k)
                carrier.append(row)
                specs.append(spec)
                aims.append(aim)
        return cls(names, np.array(index, np.int64), np.array(carrier, np.int64), specs, aims)

    def toward(
        self,
        radar_name: str,
        frequency_hz: float,
        pos_ecef_m: np.ndarray,
        present: np.ndarray,
    ) -> JammerEmitters:
        """The jammers radiating at one radar, with their ERP towards it.

        Parameters
        ----------
        radar_name : str
            The radar's name (``<post>/<type>`` or a standalone radar's name).
        frequency_hz : float
            Its carrier, Hz: jammers that cannot tune to it are left out.
        pos_ecef_m : (n_entities, 3) float64
            Air entity positions now, ECEF, m.
        present : (n_entities,) bool
            Entities flying now (a jammer on the ground or shot down is silent).
        """
        rows = [
            j
            for j in range(len(self))
            if present[self.carrier[j]] and tunes_to(self.specs[j], frequency_hz)
        ]
        erp = np.array(
            [
                self.specs[j].erp_w
                * (
                    1.0
                    if self.aims[j] is None or radar_name in self.aims[j]  # type: ignore[operator]
                    else 10.0 ** (self.specs[j].sidelobe_level_db / 10.0)
                )
                for j in rows
            ],
            np.float64,
        )
        return JammerEmitters(
            index=np.array(rows, np.int64),
            pos_ecef_m=np.asarray(pos_ecef_m, np.float64)[self.carrier[rows]].reshape(-1, 3),
            erp_w=erp,
            bandwidth_hz=np.array([self.specs[j].bandwidth_hz for j in rows], np.float64),
        )
