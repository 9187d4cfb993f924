"""Anti-radiation missiles: homing on a radar's emissions, and what happens at impact.

An anti-radiation missile is an air track (``target_radar`` names the radar it is fired
at) whose route ends on the radar's antenna (:func:`radar_sites` gives where that is): it
is seen, tracked and engaged by the defence like any other threat, and shot down it does
nothing. While it flies, its passive seeker notes each step when its target radiates in
the seeker's band (:meth:`ArmTable.observe`). At the end of its route (:meth:`ArmTable.impact`)
it hits when it is still guided:

* an ARM with GPS/INS memory of the emitter's position (AGM-88E AARGM) is guided once the
  radar has radiated in its band at any time since launch: the radar does not move, so the
  remembered position is where it is (its millimetre-wave terminal seeker is not modelled);
* one without (AGM-88 HARM, Kh-31P) only if the radar radiated within ``seeker_hold_s``
  of impact: a radar that shuts down earlier makes it miss (Skynet-IADS and Command model
  the HARM the same way).

A guided missile's miss distance is taken as zero (its route ends on the antenna), and a
radar within the type's ``lethal_radius_m`` of the impact is destroyed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.catalog import Catalog
from iadsim.scenario.schema import Scenario

__all__ = ["ArmTable", "Impact", "radar_sites"]


def radar_sites(scenario: Scenario, catalog: Catalog) -> dict[str, tuple[float, float, float]]:
    """Antenna position of every fire unit radar, by its run name ``<unit>/<radar type>``:
    latitude and longitude in degrees, height above the ellipsoid in m (as
    :func:`iadsim.engine.world.build_radars` places them)."""
    sites = {}
    for unit in scenario.fire_units:
        if unit.carrier is not None:
            continue  # an airborne radar moves: no fixed aim point
        for placement in unit.radars:
            site = placement.position or unit.site
            spec = catalog.radars.get(placement.type)
            if spec is None:
                continue
            height = site.alt_m + placement.antenna_height_m(spec)
            sites[f"{unit.name}/{placement.type}"] = (site.lat_deg, site.lon_deg, height)
    return sites


@dataclass(frozen=True)
class Impact:
    """What an anti-radiation missile did at the end of its route.

    Attributes
    ----------
    radar : int
        The radar it was fired at.
    hit : bool
        Guided to the radar, and the radar destroyed.
    reason : str
        ``"guided"``, ``"emitter_silent"`` (no emission to home on: never since launch for
        a missile with memory, not within its hold time for one without) or
        ``"out_of_band"`` (the radar's frequency is outside the seeker's band).
    """

    radar: int
    hit: bool
    reason: str


@dataclass
class ArmTable:
    """The anti-radiation missiles of a run, one row each.

    Attributes
    ----------
    entity : (a,) int64
        Air entity of each missile.
    radar : (a,) int64
        Index of its target radar.
    memory : (a,) bool
        It keeps the emitter's position (GPS/INS).
    hold_s : (a,) float64
        Seeker hold time without emission, s.
    in_band : (a,) bool
        The target radar's frequency lies in the seeker's band.
    lethal_radius_m : (a,) float64
    last_emission_s : (a,) float64
        Last time its seeker received the target while the missile flew, s (-inf: never).
    """

    entity: np.ndarray
    radar: np.ndarray
    memory: np.ndarray
    hold_s: np.ndarray
    in_band: np.ndarray
    lethal_radius_m: np.ndarray
    last_emission_s: np.ndarray

    @classmethod
    def build(
        cls,
        scenario: Scenario,
        catalog: Catalog,
        radar_names: list[str],
        radar_frequency_hz: np.ndarray,
    ) -> ArmTable:
        """One row per missile of every air track with a ``target_radar``, in entity order."""
        rows: dict[str, list] = {k: [] for k in ("entity", "radar", "memory", "hold", "band")}
        lethal: list[float] = []
        entity = 0
        for track in scenario.air_tracks:
            if track.target_radar is not None:
                spec = catalog.anti_radiation_missiles[track.type]
                radar = radar_names.index(track.target_radar)
                low, high = spec.band_hz
                for k in range(track.members):
                    rows["entity"].append(entity + k)
                    rows["radar"].append(radar)
                    rows["memory"].append(spec.memory == "gps_ins")
                    rows["hold"].append(spec.seeker_hold_s)
                    rows["band"].append(low <= radar_frequency_hz[radar] <= high)
                    lethal.append(spec.lethal_radius_m)
            entity += track.members
        n = len(rows["entity"])
        return cls(
            np.array(rows["entity"], dtype=np.int64),
            np.array(rows["radar"], dtype=np.int64),
            np.array(rows["memory"], dtype=bool),
            np.array(rows["hold"], dtype=float),
            np.array(rows["band"], dtype=bool),
            np.array(lethal, dtype=float),
            np.full(n, -np.inf),
        )

    def __len__(self) -> int:
        return len(self.entity)

    def row_of(self, entity: int) -> int:
        """Row of air entity ``entity``; -1 when it is not an anti-radiation missile."""
        found = np.flatnonzero(self.entity == entity)
        return int(found[0]) if found.size else -1

    def observe(self, t: float, flying: np.ndarray, radiating: np.ndarray) -> None:
        """Note which missiles in flight receive their radar at ``t``.

        Parameters
        ----------
        flying : (n_entities,) bool
        radiating : (n_radars,) bool
        """
        if not len(self):
            return
        seen = flying[self.entity] & radiating[self.radar] & self.in_band
        self.last_emission_s[seen] = t

    def impact(self, row: int, t: float, miss_m: float = 0.0) -> Impact:
        """The missile of ``row`` reaches the end of its route at ``t``, ``miss_m`` from its
        radar's antenna."""
        radar = int(self.radar[row])
        if not self.in_band[row]:
            return Impact(radar, False, "out_of_band")
        heard = self.last_emission_s[row]
        guided = np.isfinite(heard) if self.memory[row] else t - heard <= self.hold_s[row]
        if not guided:
            return Impact(radar, False, "emitter_silent")
        return Impact(radar, bool(miss_m <= self.lethal_radius_m[row]), "guided")
