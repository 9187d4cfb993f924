"""Kill probability of one round: reliability times the warhead's kill at the miss distance.

``P(kill) = reliability * P(kill | r, warhead, target class)``, with ``r`` the simulated miss
distance at closest approach. The miss distance comes from the flyout (seeker noise,
autopilot lag), so the kill probability does not fold in guidance accuracy a second time:
there is no single-shot Pk in it (the catalog's ``single_shot_pk_vs_<class>`` only serves
the planner).

- Blast-fragmentation: the Carleton damage function ``P(kill | r) = exp(-r^2 / sigma^2)``
  with ``sigma`` the lethal radius against the target's class (Przemieniecki, *Mathematical
  Methods in Defense Analyses*, 3rd ed., AIAA 2000, sec. 4.4; Driels, *Weaponeering*, 2nd
  ed., AIAA 2013, ch. 9).
- Hit-to-kill: a body hit kills, ``P(kill | r) = 1`` for ``r <= R_hit``, else 0 (Driels
  ch. 9, the "cookie-cutter" function), with ``R_hit`` the target class's body-hit radius.

Target classes: aircraft (fighters, airliners, support aircraft), cruise missiles (and
one-way attack drones, which are flown and built like them) and ballistic missiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from iadsim.catalog.models import InterceptorType

TARGET_CLASSES = ("aircraft", "cruise_missile", "ballistic_missile")
"""Vulnerability classes, by index."""
CLASS_OF_CATEGORY = {
    "fighter": "aircraft",
    "airliner": "aircraft",
    "support": "aircraft",
    "drone": "cruise_missile",
    "cruise_missile": "cruise_missile",
    "ballistic_missile": "ballistic_missile",
    "anti_radiation_missile": "cruise_missile",
    "decoy": "cruise_missile",
}
"""Vulnerability class of each air-platform category (``air_platforms.yaml``)."""
BLAST_FRAGMENTATION, HIT_TO_KILL = 0, 1
WARHEAD_CODES = {"blast_fragmentation": BLAST_FRAGMENTATION, "hit_to_kill": HIT_TO_KILL}


def target_class_index(category: str) -> int:
    """Index in :data:`TARGET_CLASSES` of an air-platform category."""
    return TARGET_CLASSES.index(CLASS_OF_CATEGORY[category])


def conditional_kill_probability(miss_distance_m, warhead, lethal_radius_m) -> np.ndarray:
    """Kill probability of a warhead that functions, at a miss distance.

    Parameters
    ----------
    miss_distance_m : array_like, (n,)
        Distance at closest approach, m.
    warhead : array_like of int, (n,)
        :data:`BLAST_FRAGMENTATION` or :data:`HIT_TO_KILL`.
    lethal_radius_m : array_like, (n,)
        Carleton ``sigma`` (blast-fragmentation) or body-hit radius (hit-to-kill), m.

    Returns
    -------
    ndarray, (n,)
    """
    r = np.asarray(miss_distance_m, dtype=float)
    radius = np.asarray(lethal_radius_m, dtype=float)
    carleton = np.exp(-((r / radius) ** 2))
    body_hit = (r <= radius).astype(float)
    return np.where(np.asarray(warhead) == HIT_TO_KILL, body_hit, carleton)


@dataclass(frozen=True)
class Lethality:
    """Reliability, warhead and lethal radii of each interceptor type of a simulation.

    Attributes
    ----------
    reliability : (n_types,) float64
    warhead : (n_types,) int64
        :data:`WARHEAD_CODES` values.
    lethal_radius_m : (n_types, 3) float64
        By target class (:data:`TARGET_CLASSES`), m.
    """

    reliability: np.ndarray
    warhead: np.ndarray
    lethal_radius_m: np.ndarray

    @classmethod
    def from_catalog(cls, types: Sequence[InterceptorType]) -> Lethality:
        """From the catalog's interceptor entries, by type index."""
        return cls(
            reliability=np.array([t.reliability for t in types], dtype=float),
            warhead=np.array([WARHEAD_CODES[t.warhead] for t in types], dtype=np.int64),
            lethal_radius_m=np.array(
                [
                    [
                        t.lethal_radius_vs_aircraft_m,
                        t.lethal_radius_vs_cruise_missile_m,
                        t.lethal_radius_vs_ballistic_missile_m,
                    ]
                    for t in types
                ],
                dtype=float,
            ).reshape(-1, len(TARGET_CLASSES)),
        )

    def kill_probability(self, type_index, target_class, miss_distance_m) -> np.ndarray:
        """``reliability * P(kill | r, warhead, class)`` of rounds, (n,).

        Parameters
        ----------
        type_index, target_class : array_like of int, (n,)
        miss_distance_m : array_like, (n,)
        """
        types = np.asarray(type_index, dtype=np.intp)
        classes = np.asarray(target_class, dtype=np.intp)
        conditional = conditional_kill_probability(
            miss_distance_m, self.warhead[types], self.lethal_radius_m[types, classes]
        )
        return self.reliability[types] * conditional
