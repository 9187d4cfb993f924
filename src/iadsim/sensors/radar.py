"""Radar sensing: which targets a radar detects in a scan, and with what errors.

For each target in coverage the single-pulse signal-to-noise ratio follows the radar range
equation, calibrated from the catalog's statement (detection range ``R_ref`` against
``sigma_ref`` with ``Pd_ref`` and ``Pfa``; Skolnik, *Introduction to Radar Systems*, 3rd ed.,
eq. 2.61 rearranged):

    SNR(R, sigma) = SNR_ref * (sigma / sigma_ref) * (R_ref / R)^4

with ``SNR_ref`` the SNR that gives ``Pd_ref`` at ``Pfa`` for the reference Swerling case.
Losses are inside the catalog's statement at its reference geometry; only the change of
two-way clear-air attenuation from that geometry (reference range, horizontal ray) to the
target's range and elevation is applied (ITU-R P.676 through
:func:`~iadsim.sensors.radar_equation.atmospheric_loss_db`).
The detection draw uses the target's own Swerling case. Measurement errors shrink with SNR
(Barton, *Radar System Analysis and Modeling*, 2005, sec. 5.2; Skolnik sec. 4.2):
``sigma_R = dR / sqrt(2 SNR)`` and ``sigma_theta = theta_3dB / (1.6 sqrt(2 SNR))``, floored by a
bias residual. False alarms are Poisson with mean ``Pfa`` times the resolution cells searched.
A scan is treated as instantaneous (the beam's passage over each target within the scan is
not modelled yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from iadsim.catalog.models import RadarType
from iadsim.geo.frames import ecef_to_enu, enu_rotation, enu_to_aer, lla_to_ecef
from iadsim.geo.line_of_sight import radar_horizon_range_m
from iadsim.sensors.detection import pd, required_snr_db
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.radar_equation import atmospheric_loss_db

RANGE_ERROR_FLOOR_M = 5.0
"""Residual range bias, m (notional)."""
ANGLE_ERROR_FLOOR_RAD = 1.0e-4
"""Residual angle bias, rad (notional: 0.1 mrad)."""
MONOPULSE_SLOPE = 1.6
"""Angle-error slope constant k_m in theta_3dB / (k_m sqrt(2 SNR)) (Barton 2005)."""


@dataclass(frozen=True)
class TargetView:
    """What radars need of the air entities, one row per entity.

    Attributes
    ----------
    pos_ecef_m : (n, 3) float64
    alt_m : (n,) float64
        Height above the ellipsoid, m.
    rcs_m2 : (n,) float64
        Mean RCS towards the radar, m^2 (the caller applies aspect and band).
    swerling : (n,) int64
    present : (n,) bool
        Airborne and not destroyed.
    """

    pos_ecef_m: np.ndarray
    alt_m: np.ndarray
    rcs_m2: np.ndarray
    swerling: np.ndarray
    present: np.ndarray


@dataclass(frozen=True)
class Radar:
    """One radar at a site, with its catalog type.

    Parameters
    ----------
    index : int
        Index of this radar in the simulation's radar list (stamped on detections).
    name : str
    spec : RadarType
    lat_rad, lon_rad, alt_m : float
        Antenna position (site height plus mast), WGS-84.
    facing_rad : float
        Boresight azimuth of a sector radar, clockwise from north.
    k_factor : float
        Effective-earth radius factor for the radar horizon (4/3 standard refraction).
    """

    index: int
    name: str
    spec: RadarType
    lat_rad: float
    lon_rad: float
    alt_m: float
    facing_rad: float = 0.0
    k_factor: float = 4.0 / 3.0

    @cached_property
    def pos_ecef_m(self) -> np.ndarray:
        """Antenna position, ECEF, m."""
        return lla_to_ecef(self.lat_rad, self.lon_rad, self.alt_m)

    @cached_property
    def rotation(self) -> np.ndarray:
        """ECEF to local ENU rotation at the antenna, (3, 3)."""
        return enu_rotation(self.lat_rad, self.lon_rad)

    @cached_property
    def reference_snr_db(self) -> float:
        """SNR giving the catalog's reference Pd at its Pfa, dB."""
        spec = self.spec
        return float(
            required_snr_db(spec.reference_pd, spec.reference_pfa, 1, spec.reference_swerling)
        )

    @cached_property
    def reference_atmospheric_loss_db(self) -> float:
        """Two-way clear-air loss on the catalog's reference path (horizontal ray), dB."""
        spec = self.spec
        return float(
            atmospheric_loss_db(spec.detection_range_m, spec.frequency_hz, 0.0, self.alt_m)
        )

    def snr_db(
        self, range_m: np.ndarray, rcs_m2: np.ndarray, elevation_rad: np.ndarray | None = None
    ) -> np.ndarray:
        """Single-pulse SNR by the R^4 law from the catalog reference, dB.

        Parameters
        ----------
        range_m : (n,) float64
            Slant range, m.
        rcs_m2 : (n,) float64
            Mean RCS, m^2.
        elevation_rad : (n,) float64, optional
            Elevation of the target; when given, the change of two-way atmospheric loss
            from the reference path is applied.
        """
        spec = self.spec
        snr = (
            self.reference_snr_db
            + 10.0 * np.log10(rcs_m2 / spec.reference_rcs_m2)
            + 40.0 * np.log10(spec.detection_range_m / np.maximum(range_m, 1.0))
        )
        if elevation_rad is not None:
            loss = atmospheric_loss_db(range_m, spec.frequency_hz, elevation_rad, self.alt_m)
            snr = snr - (loss - self.reference_atmospheric_loss_db)
        return snr

    def in_coverage(self, targets: TargetView) -> tuple[np.ndarray, np.ndarray]:
        """Targets inside the radar's volume and above its radar horizon.

        Returns
        -------
        visible : (n,) bool
        aer : (n, 3) float64
            True azimuth (rad), elevation (rad) and slant range (m) of every target.
        """
        spec = self.spec
        enu = ecef_to_enu(targets.pos_ecef_m, self.pos_ecef_m, self.rotation)
        az, el, rng = enu_to_aer(enu)
        off_boresight = np.abs(np.angle(np.exp(1j * (az - self.facing_rad))))
        horizon_m = radar_horizon_range_m(self.alt_m, np.maximum(targets.alt_m, 0.0), self.k_factor)
        visible = (
            targets.present
            & (rng >= spec.min_range_m)
            & (rng <= spec.max_range_m)
            & (el >= np.radians(spec.min_elevation_deg))
            & (el <= np.radians(spec.max_elevation_deg))
            & (off_boresight <= np.radians(spec.azimuth_coverage_deg) / 2.0 + 1e-12)
            & (rng <= horizon_m)
        )
        return visible, np.stack([az, el, rng], axis=-1)

    def resolution_cells(self) -> float:
        """Range-azimuth cells searched in one scan.

        Elevation is measured within the beam (monopulse or stacked beams) rather than
        searched cell by cell, so it adds no detection opportunities here.
        """
        spec = self.spec
        range_cells = (spec.max_range_m - spec.min_range_m) / spec.range_resolution_m
        return range_cells * spec.azimuth_coverage_deg / spec.beamwidth_deg

    def scan(
        self,
        targets: TargetView,
        time_s: float,
        rng: np.random.Generator,
        visible: np.ndarray | None = None,
    ) -> DetectionBatch:
        """Detect targets in one scan and add false alarms.

        Parameters
        ----------
        targets : TargetView
        time_s : float
        rng : numpy.random.Generator
            This radar's stream.
        visible : (n,) bool, optional
            Extra mask (e.g. terrain line of sight) combined with the coverage test.
        """
        spec = self.spec
        in_volume, aer = self.in_coverage(targets)
        if visible is not None:
            in_volume &= visible
        idx = np.flatnonzero(in_volume)
        snr = self.snr_db(aer[idx, 2], targets.rcs_m2[idx], aer[idx, 1])
        probability = np.zeros(len(idx))
        for case in np.unique(targets.swerling[idx]):
            rows = targets.swerling[idx] == case
            probability[rows] = pd(snr[rows], spec.reference_pfa, 1, int(case))
        hit = rng.random(len(idx)) < probability
        idx, snr = idx[hit], snr[hit]
        snr_linear = 10.0 ** (snr / 10.0)
        sigma_r = np.maximum(
            spec.range_resolution_m / np.sqrt(2.0 * snr_linear), RANGE_ERROR_FLOOR_M
        )
        sigma_a = np.maximum(
            spec.beamwidth_rad / (MONOPULSE_SLOPE * np.sqrt(2.0 * snr_linear)),
            ANGLE_ERROR_FLOOR_RAD,
        )
        true_az, true_el, true_range = aer[idx, 0], aer[idx, 1], aer[idx, 2]
        noise = rng.standard_normal((3, len(idx)))
        detections = DetectionBatch(
            time_s,
            np.full(len(idx), self.index, dtype=np.int64),
            idx.astype(np.int64),
            true_range + sigma_r * noise[0],
            np.mod(true_az + sigma_a * noise[1], 2.0 * np.pi),
            true_el + sigma_a * noise[2],
            sigma_r,
            sigma_a,
            sigma_a.copy(),
            snr,
        )
        return DetectionBatch.concatenate([detections, self.false_alarms(time_s, rng)], time_s)

    def false_alarms(self, time_s: float, rng: np.random.Generator) -> DetectionBatch:
        """Poisson false alarms spread uniformly over the searched volume."""
        spec = self.spec
        count = rng.poisson(spec.reference_pfa * self.resolution_cells())
        half_sector = np.radians(spec.azimuth_coverage_deg) / 2.0
        az = np.mod(self.facing_rad + rng.uniform(-half_sector, half_sector, count), 2.0 * np.pi)
        el = np.radians(rng.uniform(spec.min_elevation_deg, spec.max_elevation_deg, count))
        rng_m = rng.uniform(spec.min_range_m, spec.max_range_m, count)
        sigma_r = np.full(count, spec.range_resolution_m / np.sqrt(2.0 * 20.0))
        sigma_a = np.full(count, spec.beamwidth_rad / (MONOPULSE_SLOPE * np.sqrt(2.0 * 20.0)))
        snr = np.full(count, 10.0 * np.log10(20.0))
        return DetectionBatch(
            time_s,
            np.full(count, self.index, dtype=np.int64),
            np.full(count, -1, dtype=np.int64),
            rng_m,
            az,
            el,
            sigma_r,
            sigma_a,
            sigma_a.copy(),
            snr,
        )
