"""The sensing stage: every radar's looks due in a step, from truth to detection batches.

A rotating radar looks every step at the azimuths its beam sweeps in that step; an
electronically scanned radar searches its sector once per revisit. An airborne radar moves
with its carrier and is silent while the carrier is on the ground or destroyed. The geometry
of every look is worked out first; the terrain test and the signatures then run once for all
looks of the step together (each pair's result does not depend on the others), and the
detection draws last, radar by radar, each from the radar's own random stream.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.core.rng import RandomStreams
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.truth import TruthState
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.radar import Radar, TargetView
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.signature import SignatureTable, aspect_angles


@dataclass
class _Look:
    radar: Radar
    azimuths: AzimuthInterval | None
    view: TargetView
    visible: np.ndarray
    aer: np.ndarray


class SensingStage:
    """The radars of a run, their scan schedules, and what they see of the truth.

    Parameters
    ----------
    radars : list of Radar
        Indexed by ``Radar.index``; airborne radars are replaced as their carriers move.
    radar_carrier : (n_radars,) int64
        Air entity carrying each radar, -1 for a ground radar.
    swerling : (n_entities,) int64
        Fluctuation case of each air entity.
    signatures : SignatureTable
        With each platform's ``rcs_scale`` applied.
    signature_index : (n_entities,) int64
        Row of each entity in ``signatures``.
    terrain : ElevationGrid
    streams : RandomStreams
        ``radar-phase`` sets the scan phases; ``radar:<name>`` draws each radar's looks.
    """

    def __init__(
        self,
        radars: list[Radar],
        radar_carrier: np.ndarray,
        swerling: np.ndarray,
        signatures: SignatureTable,
        signature_index: np.ndarray,
        terrain: ElevationGrid,
        streams: RandomStreams,
    ) -> None:
        self.radars = radars
        self.radar_carrier = radar_carrier
        self.swerling = swerling
        self.signatures = signatures
        self.signature_index = signature_index
        self.terrain = terrain
        self.streams = streams
        phase = streams.get("radar-phase")
        self.next_scan_s = phase.uniform(0.0, [r.spec.revisit_s for r in radars])
        # A rotating beam passes north at its first scan time, then once per revisit.
        self.north_time_s = self.next_scan_s.copy()

    def look(self, t: float, dt_s: float, truth: TruthState) -> dict[int, DetectionBatch]:
        """Detection batches of the looks due in ``[t, t + dt_s)``, by radar index."""
        looks = self._geometry(t, dt_s, truth)
        self._mask_terrain(looks, truth)
        self._signatures(looks, truth)
        scans = {}
        for look in looks:
            stream = self.streams.get(f"radar:{look.radar.name}")
            scans[look.radar.index] = look.radar.detect(
                look.view, look.aer, look.visible, t, stream, look.azimuths
            )
        return scans

    def _geometry(self, t: float, dt_s: float, truth: TruthState) -> list[_Look]:
        n = len(self.swerling)
        looks = []
        for index in range(len(self.radars)):
            radar = self.radars[index]
            azimuths = None
            if radar.spec.scan_mode == "rotating":
                azimuths = AzimuthInterval.swept(
                    t, dt_s, radar.spec.revisit_s, self.north_time_s[index]
                )
            elif t >= self.next_scan_s[index]:
                self.next_scan_s[index] += radar.spec.revisit_s
            else:
                continue
            carrier = self.radar_carrier[index]
            if carrier >= 0:
                if not truth.present[carrier]:
                    continue  # on the ground, or shot down
                radar = self._move(radar, truth.lla[carrier], truth.vel_ecef_mps[carrier])
            view = TargetView(
                truth.pos_ecef_m,
                truth.lla[:, 2],
                np.zeros(n),
                self.swerling,
                truth.present,
                truth.vel_ecef_mps,
            )
            visible, aer = radar.in_coverage(view, azimuths)
            looks.append(_Look(radar, azimuths, view, visible, aer))
        return looks

    def _move(self, radar: Radar, lla: np.ndarray, vel_ecef_mps: np.ndarray) -> Radar:
        """An airborne radar at its carrier's position (the antenna height above it) and
        with its carrier's velocity."""
        moved = radar.moved(
            float(lla[0]), float(lla[1]), float(lla[2]) + radar.spec.antenna_height_m, vel_ecef_mps
        )
        self.radars[radar.index] = moved
        return moved

    def _mask_terrain(self, looks: list[_Look], truth: TruthState) -> None:
        """Clear ``visible`` of each look where terrain hides the entity: one line-of-sight
        batch for all looks that share a k-factor (a rotating look often holds nobody)."""
        pending = [(look, np.flatnonzero(look.visible)) for look in looks]
        pending = [(look, rows) for look, rows in pending if rows.size]
        for k_factor in dict.fromkeys(look.radar.k_factor for look, _ in pending):
            group = [(look, rows) for look, rows in pending if look.radar.k_factor == k_factor]
            counts = [rows.size for _, rows in group]
            rows = np.concatenate([rows for _, rows in group])
            clear = terrain_clear(
                np.repeat([look.radar.lat_rad for look, _ in group], counts),
                np.repeat([look.radar.lon_rad for look, _ in group], counts),
                np.repeat([look.radar.alt_m for look, _ in group], counts),
                truth.lla[rows, 0],
                truth.lla[rows, 1],
                truth.lla[rows, 2],
                self.terrain,
                k_factor,
            )
            start = 0
            for (look, look_rows), count in zip(group, counts, strict=True):
                look.visible[look_rows] = clear[start : start + count]
                start += count

    def _signatures(self, looks: list[_Look], truth: TruthState) -> None:
        """Mean RCS towards each look's radar of the entities it can see, written into the
        look's target view: one signature lookup for all looks of the step."""
        seen = [np.flatnonzero(look.visible) for look in looks]
        if not any(rows.size for rows in seen):
            return
        counts = [rows.size for rows in seen]
        rows = np.concatenate(seen)
        radar_pos = np.repeat([look.radar.pos_ecef_m for look in looks], counts, axis=0)
        frequency = np.repeat([look.radar.spec.frequency_hz for look in looks], counts)
        az, el = aspect_angles(truth.pos_ecef_m[rows], truth.vel_ecef_mps[rows], radar_pos)
        rcs = self.signatures.rcs_m2(self.signature_index[rows], az, el, frequency)
        start = 0
        for look, look_rows, count in zip(looks, seen, counts, strict=True):
            look.view.rcs_m2[look_rows] = rcs[start : start + count]
            start += count
