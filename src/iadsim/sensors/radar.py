"""Radar sensing: which targets a radar detects in a scan, and with what errors.

For each target in coverage the single-pulse signal-to-noise ratio follows the radar range
equation, calibrated from the catalog's statement (detection range ``R_ref`` against
``sigma_ref`` with ``Pd_ref`` and ``Pfa``; Skolnik, *Introduction to Radar Systems*, 3rd ed.,
eq. 2.61 rearranged):

    SNR(R, sigma) = SNR_ref * (sigma / sigma_ref) * (R_ref / R)^4

with ``SNR_ref`` the SNR that gives ``Pd_ref`` at ``Pfa`` for the reference Swerling case.
Losses are inside the catalog's statement at its reference geometry; the radar's signal
effects then change the SNR on each path: by default the two-way clear-air attenuation a
path has beyond that of the reference geometry (reference range, horizontal ray), by the
target's range and elevation (ITU-R P.676 through
:class:`~iadsim.sensors.radar_equation.ClearAirAttenuation`), then any the scenario selects.
SNR and Pd come from :mod:`iadsim.sensors.chain`, the functions coverage maps call too.
The detection draw uses the target's own Swerling case.
Measurement errors shrink with SNR (Barton, *Radar System Analysis and Modeling*, 2005,
sec. 5.2; Skolnik sec. 4.2):
``sigma_R = dR / sqrt(2 SNR)`` and ``sigma_theta = theta_3dB / (1.6 sqrt(2 SNR))``, floored by a
bias residual; a pulse-Doppler radar also measures the range rate, with
``sigma_Rdot = dv / sqrt(2 SNR)`` for its velocity resolution ``dv = lambda / (2 T_cpi)`` (the
same form for the Doppler coordinate, Barton 2005 sec. 5.2). False alarms are Poisson with
mean ``Pfa`` times the resolution cells searched.
A rotating radar looks at the azimuths its beam sweeps in the current step (``look``, see
:mod:`iadsim.sensors.scan_pattern`); an electronically scanned radar at the directions its
search raster reaches in the step (:mod:`iadsim.sensors.timeline`).
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from iadsim.catalog.models import RadarType
from iadsim.core.contracts import RadarTerms, SignalEffect
from iadsim.core.kinematics import vector_norm
from iadsim.geo.frames import ecef_to_lla, lla_to_ecef
from iadsim.geo.terrain_obstacle import DominantObstacle
from iadsim.sensors import chain
from iadsim.sensors._kernels import line_of_sight_speed_kernel
from iadsim.sensors.detection import required_snr_db
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.false_alarms import (
    FALSE_ALARM_SNR,
    false_alarm_batch,
)
from iadsim.sensors.fused_chain import chain_constants, has_default_chain, with_antenna_agl
from iadsim.sensors.look_detections import Observer, detect_visible
from iadsim.sensors.radar_site import enu_rotation_at, horizon_terms_at, place_moved, view_row
from iadsim.sensors.radar_view import _ALL_PRESENT, Heights, TargetView, _view, coverage
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.timeline import SearchRaster
from iadsim.sensors.track_dwells import Look

RANGE_ERROR_FLOOR_M = 5.0
"""Residual range bias, m (notional)."""
ANGLE_ERROR_FLOOR_RAD = 1.0e-4
"""Residual angle bias, rad (notional: 0.1 mrad)."""
MONOPULSE_SLOPE = 1.6
"""Angle-error slope constant k_m in theta_3dB / (k_m sqrt(2 SNR)) (Barton 2005)."""
RANGE_RATE_ERROR_FLOOR_MPS = 0.1
"""Residual range-rate bias, m/s (notional)."""
MEASUREMENT_SNR_FLOOR = 0.5
"""Least linear SNR (-3 dB) put into the error formulas (assumption, derived): at 0.5 they give
one range resolution, one velocity resolution and ``theta_3dB / k_m``, the size of the cell the
detection was found in. A Swerling target is still detected, with Pd near Pfa, far below it,
where ``1 / sqrt(2 SNR)`` would give angle errors of tens of radians."""


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
    vel_ecef_mps : (3,) float64
        Antenna velocity (an airborne radar's carrier), ECEF, m/s; range rates are relative.
    signal_effects : tuple of SignalEffect
        SNR changes applied on every path, in order (:mod:`iadsim.sensors.chain`); default
        :func:`~iadsim.sensors.chain.default_signal_effects`.
    antenna_agl_m : float, optional
        Antenna height above the ground under it, m (ground clutter's geometry); default
        the catalog's ``antenna_height_m``.
    """

    index: int
    name: str
    spec: RadarType
    lat_rad: float
    lon_rad: float
    alt_m: float
    facing_rad: float = 0.0
    k_factor: float = 4.0 / 3.0
    vel_ecef_mps: np.ndarray = field(default_factory=lambda: np.zeros(3), compare=False)
    signal_effects: tuple[SignalEffect, ...] = field(
        default_factory=chain.default_signal_effects, compare=False
    )
    antenna_agl_m: float | None = None

    @property
    def antenna_height_agl_m(self) -> float:
        """Antenna height above the ground under it, m."""
        return self.spec.antenna_height_m if self.antenna_agl_m is None else self.antenna_agl_m

    @cached_property
    def pos_ecef_m(self) -> np.ndarray:
        """Antenna position, ECEF, m."""
        return lla_to_ecef(self.lat_rad, self.lon_rad, self.alt_m)

    @cached_property
    def rotation(self) -> np.ndarray:
        """ECEF to local ENU rotation at the antenna, (3, 3).

        The operations of :func:`~iadsim.geo.frames.enu_rotation` on one point, without its
        stacking (an airborne radar needs a new one every step).
        """
        return enu_rotation_at(self.lat_rad, self.lon_rad)

    @cached_property
    def chain_terms(self) -> RadarTerms:
        """What the signal effects read of this radar (:func:`iadsim.sensors.chain.radar_terms`),
        built once per radar object (a moved airborne radar is a new object)."""
        return chain.radar_terms(self)

    @cached_property
    def default_chain(self) -> bool:
        """Whether the signal effects are exactly the default ones, in order
        (:func:`iadsim.sensors.fused_chain.has_default_chain`): the chain then runs fused."""
        return has_default_chain(self)

    @cached_property
    def _chain_constants(self) -> np.ndarray:
        """What the fused default chain reads of this radar
        (:func:`iadsim.sensors.fused_chain.chain_constants`), built once per radar object."""
        return chain_constants(self)

    @cached_property
    def reference_snr_db(self) -> float:
        """SNR giving the catalog's reference Pd at its Pfa, dB."""
        spec = self.spec
        return float(
            required_snr_db(spec.reference_pd, spec.reference_pfa, 1, spec.reference_swerling)
        )

    @cached_property
    def sector(self) -> AzimuthInterval:
        """The azimuths the radar covers."""
        return AzimuthInterval.sector(self.facing_rad, np.radians(self.spec.azimuth_coverage_deg))

    @cached_property
    def search_raster(self) -> SearchRaster | None:
        """The search timeline of an electronically scanned radar; None for a rotating one."""
        if self.spec.scan_mode == "rotating":
            return None
        return SearchRaster.from_spec(self.spec, self.facing_rad)

    @property
    def revisit_s(self) -> float:
        """Time between two looks at one direction, s: the rotation period of a rotating
        radar, the search frame time of an electronically scanned one."""
        raster = self.search_raster
        return raster.frame_s if raster is not None else float(self.spec.revisit_s or 0.0)

    @cached_property
    def _volume(self) -> tuple[float, float, float, float]:
        """Range (m) and elevation (rad) limits of the volume, converted once."""
        spec = self.spec
        return (
            spec.min_range_m,
            spec.max_range_m,
            np.radians(spec.min_elevation_deg),
            np.radians(spec.max_elevation_deg),
        )

    @cached_property
    def _horizon_terms(self) -> tuple[float, np.ndarray]:
        """Effective-earth radius and the antenna's share of the radar horizon (central
        angle), as :func:`~iadsim.geo.line_of_sight.radar_horizon_range_m` computes them."""
        return horizon_terms_at(self.k_factor, self.alt_m)

    def moved(
        self,
        lat_rad: float,
        lon_rad: float,
        alt_m: float,
        vel_ecef_mps,
        antenna_agl_m: float | None = None,
    ) -> Radar:
        """This radar at another antenna position and velocity (an airborne carrier).

        Values that depend only on the catalog type and boresight are carried over instead
        of recomputed (:data:`_KEPT_WHEN_MOVED`); the antenna's ECEF position, its ENU
        rotation, horizon terms and view constants, which the sensing stage reads of an
        airborne radar every step, are computed at once by the functions of their cached
        properties (without those properties' per-access lookups); the rest afresh on
        first use.
        """
        cached = self.__dict__
        state = dict(zip(_FIELD_NAMES, _FIELD_VALUES(cached), strict=True))  # fields, in order
        state.update(
            lat_rad=lat_rad,
            lon_rad=lon_rad,
            alt_m=alt_m,
            vel_ecef_mps=np.array(vel_ecef_mps, dtype=float),
            antenna_agl_m=antenna_agl_m,
        )
        for name in _KEPT_WHEN_MOVED:
            if name in cached:
                state[name] = cached[name]
        if alt_m == self.alt_m and "_horizon_terms" in cached:
            state["_horizon_terms"] = cached["_horizon_terms"]
        # dataclasses.replace's result without its Python-level steps: the same fields
        moved = object.__new__(Radar)
        moved.__dict__.update(state)
        place_moved(moved, lat_rad, lon_rad, alt_m, cached.get("_view_constants"))
        constants = cached.get("_chain_constants")
        if constants is not None:  # only the antenna's height above the ground moves
            moved.__dict__["_chain_constants"] = with_antenna_agl(
                constants, moved.antenna_height_agl_m
            )
        return moved

    def snr_db(
        self,
        range_m: np.ndarray,
        rcs_m2: np.ndarray,
        elevation_rad: np.ndarray | float = 0.0,
        azimuth_rad: np.ndarray | float | None = None,
    ) -> np.ndarray:
        """Single-pulse SNR through the sensor chain (:func:`iadsim.sensors.chain.snr_db`), dB.

        Parameters
        ----------
        range_m : (n,) float64
            Slant range, m.
        rcs_m2 : (n,) float64
            Mean RCS, m^2.
        elevation_rad : (n,) float64 or float
            Elevation of the targets, rad; default a horizontal ray, as on the catalog's
            reference path.
        azimuth_rad : (n,) float64 or float, optional
            Azimuth of the targets, rad; default the boresight.
        """
        range_m = np.asarray(range_m, np.float64)
        azimuth = self.facing_rad if azimuth_rad is None else azimuth_rad
        aer = np.stack(np.broadcast_arrays(azimuth, elevation_rad, range_m), axis=-1)
        return chain.snr_db(self, chain.paths_from_aer(self, aer), rcs_m2)

    def in_coverage(
        self, targets: TargetView, look: Look | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Targets inside the radar's volume and above its radar horizon: :func:`coverage`
        of this radar alone.

        Parameters
        ----------
        targets : TargetView
        look : AzimuthInterval, optional
            Azimuths looked at now (a rotating beam's sweep); default: the whole sector.

        Returns
        -------
        visible : (n,) bool
        aer : (n, 3) float64
            True azimuth (rad), elevation (rad) and slant range (m) of every target.
        """
        visible, aer = coverage([self], targets, [look])
        return visible[0], aer[0]

    def in_view(
        self,
        pos_ecef_m: np.ndarray,
        look: Look | None = None,
        alt_m: np.ndarray | None = None,
    ) -> np.ndarray:
        """Whether points lie inside the radar's volume, sector and look, above its horizon:
        the mask of :meth:`in_coverage` for points that are all present, without the angles.

        Parameters
        ----------
        pos_ecef_m : (n, 3) float64
            Points (e.g. estimated track positions), ECEF, m.
        look : AzimuthInterval, optional
            Azimuths looked at now; default: the whole sector.
        alt_m : (n,) float64, optional
            Their heights above the ellipsoid, m; computed from ``pos_ecef_m`` only where
            the horizon test is reached.

        Returns
        -------
        (n,) bool
        """
        points = pos_ecef_m
        if not (  # (n, 3) float64 points (the usual call) are taken as they are
            type(points) is np.ndarray
            and points.ndim == 2
            and points.shape[1] == 3
            and points.dtype == np.float64
        ):
            points = np.asarray(pos_ecef_m, dtype=np.float64).reshape(-1, 3)
        heights = (lambda: ecef_to_lla(points)[2]) if alt_m is None else alt_m
        return self.view_mask(points, look, heights)

    def view_mask(self, points_ecef_m: np.ndarray, look: Look | None, alt_m: Heights) -> np.ndarray:
        """:meth:`in_view` of ``(n, 3)`` ECEF points (m), their heights (m) ``alt_m`` or
        ``alt_m()``, asked for only where the horizon test is reached; ``(n,) bool``."""
        n = len(points_ecef_m)
        if not n:  # no point to test (e.g. no track in the picture)
            return np.zeros(0, dtype=bool)
        present = _ALL_PRESENT[:n] if n <= _ALL_PRESENT.size else np.ones(n, dtype=bool)
        visible, _ = _view((self,), (look,), points_ecef_m, present, alt_m, self._view_rows)
        return visible[0]

    @cached_property
    def _view_constants(self) -> np.ndarray:
        """What :func:`~iadsim.sensors.radar_view._view` needs of the radar, ``(21,)``:
        antenna position (ECEF, m), ENU rotation (row-major), range (m) and elevation (rad)
        limits, the sector's start and extent (rad) with 1.0 where it restricts azimuth,
        then the effective-earth radius (m) and the antenna's share of the horizon (rad,
        :attr:`_horizon_terms`). Readers of the first 19 columns ignore the last two."""
        return view_row(
            self.pos_ecef_m, self.rotation, self._volume, self.sector, self._horizon_terms
        )

    @cached_property
    def _view_rows(self) -> np.ndarray:
        """:attr:`_view_constants` as the one-row table ``(1, 21)`` that
        :func:`~iadsim.sensors.radar_view._view` takes for this radar alone."""
        return self._view_constants[None, :]

    def horizon_range_m(self, target_alt_m: np.ndarray) -> np.ndarray:
        """Smooth-earth radar horizon to targets at ``target_alt_m`` (m), ``(n,)`` m.

        :func:`~iadsim.geo.line_of_sight.radar_horizon_range_m`, same operations in the same
        order, with the radar's share of the horizon (``_horizon_terms``) kept.
        """
        radius_m, antenna_angle = self._horizon_terms
        target_m = np.maximum(target_alt_m, 0.0)
        return radius_m * (antenna_angle + np.arccos(radius_m / (radius_m + target_m)))

    def resolution_cells(self, look: Look | None = None) -> float:
        """Range-azimuth cells searched in one look (default: one scan of the sector).

        Elevation is measured within the beam (monopulse or stacked beams) rather than
        searched cell by cell, so it adds no detection opportunities here.
        """
        range_cells, beamwidth_rad = self._cell_terms
        look = self.sector if look is None else look
        return range_cells * min(look.extent_rad, 2.0 * np.pi) / beamwidth_rad

    @cached_property
    def _alarm_terms(self) -> tuple[float, float, float, bool]:
        """Pfa, range cells, beamwidth (rad) of the alarm count; a full-circle sector?"""
        return (self.spec.reference_pfa, *self._cell_terms, self.sector.is_full_circle)

    @cached_property
    def _cell_terms(self) -> tuple[float, float]:
        """Range cells of the instrumented range and the beamwidth (rad) of
        :meth:`resolution_cells`, computed once per radar (every look asks)."""
        spec = self.spec
        return (spec.max_range_m - spec.min_range_m) / spec.range_resolution_m, spec.beamwidth_rad

    def scan(
        self,
        targets: TargetView,
        time_s: float,
        rng: np.random.Generator,
        visible: np.ndarray | None = None,
        look: Look | None = None,
    ) -> DetectionBatch:
        """Detect targets in one look and add false alarms: :meth:`in_coverage`, then
        :meth:`detect`.

        Parameters
        ----------
        targets : TargetView
        time_s : float
        rng : numpy.random.Generator
            This radar's stream.
        visible : (n,) bool, optional
            Extra mask (e.g. terrain line of sight) combined with the coverage test.
        look : AzimuthInterval, optional
            Azimuths looked at (a rotating beam's sweep this step); default: the sector.
        """
        in_volume, aer = self.in_coverage(targets, look)
        if visible is not None:
            in_volume &= visible
        return self.detect(targets, aer, in_volume, time_s, rng, look)

    def detect(
        self,
        targets: TargetView,
        aer: np.ndarray,
        visible: np.ndarray,
        time_s: float,
        rng: np.random.Generator,
        look: Look | None = None,
        observe: Observer | None = None,
    ) -> DetectionBatch:
        """Detection draws, measurement errors and false alarms of one look.

        Parameters
        ----------
        targets : TargetView
        aer : (n, 3) float64
            Azimuth (rad), elevation (rad) and range (m) of the targets, from
            :meth:`in_coverage`.
        visible : (n,) bool
            Targets the radar can see in this look (coverage, look and line of sight).
        time_s : float
        rng : numpy.random.Generator
            This radar's stream.
        look : AzimuthInterval, optional
            Azimuths looked at; default: the sector.
        observe : Observer, optional
            Called as ``observe(snr_db, pd, hit)`` with the (m,) arrays of the ``m`` visible
            targets, in index order, before the detections are built (per-look records);
            it must not change them (:func:`~iadsim.sensors.look_detections.detect_visible`).
        """
        idx = visible.nonzero()[0]  # np.flatnonzero of the (n,) mask, without its wrapper
        if idx.size == 0:
            # No target in the look: only the false alarms draw from the stream (drawing
            # zero variates leaves a NumPy generator's state unchanged).
            return self._false_alarms(time_s, rng, look, look)
        obstacle = targets.obstacle
        if obstacle is not None:
            obstacle = DominantObstacle(
                obstacle.height_m[idx], obstacle.d1_m[idx], obstacle.d2_m[idx]
            )
        # take(axis=0): the rows of [idx], at a third of a 2-D fancy index's cost
        velocity = None if targets.vel_ecef_mps is None else targets.vel_ecef_mps.take(idx, 0)
        return detect_visible(
            self,
            idx,
            aer.take(idx, 0),
            targets.pos_ecef_m.take(idx, 0),
            velocity,
            obstacle,
            targets.jammers,
            targets.rcs_m2[idx],
            targets.swerling[idx],
            time_s,
            rng,
            look,
            observe,
        )

    @cached_property
    def measures_range_rate(self) -> bool:
        """True for a pulse-Doppler radar (the catalog gives its velocity resolution)."""
        return self.spec.velocity_resolution_mps is not None

    def range_rate_mps(self, pos_ecef_m: np.ndarray, vel_ecef_mps: np.ndarray) -> np.ndarray:
        """True range rate ``u . (v - v_radar)`` of targets, ``u`` the unit line of sight.

        Compiled (:func:`~iadsim.sensors._kernels.line_of_sight_speed_kernel`), the same
        operations as :meth:`range_rate_reference`.

        Parameters
        ----------
        pos_ecef_m, vel_ecef_mps : (n, 3) float64 ndarray

        Returns
        -------
        (n,) float64
            Positive when opening, m/s.
        """
        return line_of_sight_speed_kernel(
            self.pos_ecef_m, pos_ecef_m, vel_ecef_mps, self.vel_ecef_mps
        )

    def range_rate_reference(self, pos_ecef_m: np.ndarray, vel_ecef_mps: np.ndarray) -> np.ndarray:
        """NumPy twin of :meth:`range_rate_mps`."""
        line_of_sight = pos_ecef_m - self.pos_ecef_m
        distance = np.maximum(vector_norm(line_of_sight), 1.0)
        relative = vel_ecef_mps - self.vel_ecef_mps
        return np.einsum("ni,ni->n", line_of_sight, relative) / distance

    @cached_property
    def _measurement_terms(self) -> np.ndarray:
        """What :func:`~iadsim.sensors.measurement.measured_detections` reads of the radar
        for :meth:`measurement_sigmas`' errors, ``(8,)``: range resolution (m), beamwidth
        (rad), velocity resolution (m/s, NaN where not measured), the SNR floor, the
        monopulse slope and the three error floors."""
        spec = self.spec
        velocity_resolution = spec.velocity_resolution_mps
        return np.array(
            [
                spec.range_resolution_m,
                self._cell_terms[1],
                np.nan if velocity_resolution is None else velocity_resolution,
                MEASUREMENT_SNR_FLOOR,
                MONOPULSE_SLOPE,
                RANGE_ERROR_FLOOR_M,
                ANGLE_ERROR_FLOOR_RAD,
                RANGE_RATE_ERROR_FLOOR_MPS,
            ]
        )

    def measurement_sigmas(
        self, snr_linear: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One-sigma errors of range (m), angle (rad) and range rate (m/s) at ``snr_linear``.

        ``resolution / sqrt(2 SNR)`` for range and range rate, ``theta_3dB / (k_m sqrt(2 SNR))``
        for angles, each floored by its bias residual (Barton 2005, sec. 5.2). The formulas
        hold for SNR well above one; the SNR put in is floored at
        :data:`MEASUREMENT_SNR_FLOOR`, so that no error exceeds its resolution cell (a
        detection at SNR near zero would otherwise get an unbounded error). The range rate
        error is NaN for a radar that does not measure it.
        """
        spec = self.spec
        beamwidth_rad = self._cell_terms[1]  # spec.beamwidth_rad, converted once
        root = np.sqrt(2.0 * np.maximum(snr_linear, MEASUREMENT_SNR_FLOOR))
        sigma_r = np.maximum(spec.range_resolution_m / root, RANGE_ERROR_FLOOR_M)
        sigma_a = np.maximum(beamwidth_rad / (MONOPULSE_SLOPE * root), ANGLE_ERROR_FLOOR_RAD)
        if self.measures_range_rate:
            sigma_v = np.maximum(spec.velocity_resolution_mps / root, RANGE_RATE_ERROR_FLOOR_MPS)
        else:
            sigma_v = np.full(root.shape, np.nan)
        return sigma_r, sigma_a, sigma_v

    def false_alarms(
        self, time_s: float, rng: np.random.Generator, look: Look | None = None
    ) -> DetectionBatch:
        """Poisson false alarms spread uniformly over the volume looked at.

        The count has mean ``Pfa`` times the cells of ``look``; alarms drawn outside the
        radar's sector are dropped (thinning keeps the count Poisson).
        """
        return self._false_alarms(time_s, rng, look, self.sector if look is None else look)

    _false_alarms = false_alarm_batch
    """``_false_alarms(time_s, rng, look, stamp)``: :meth:`false_alarms` with the batch's
    ``look`` set to ``stamp`` (:func:`~iadsim.sensors.false_alarms.false_alarm_batch`)."""

    @cached_property
    def _false_alarm_sigmas(self) -> tuple[float, float, float]:
        """:meth:`measurement_sigmas` at :data:`FALSE_ALARM_SNR`: range (m), angle (rad) and
        range-rate (m/s, NaN where not measured) errors of every false alarm."""
        sigma_r, sigma_a, sigma_v = self.measurement_sigmas(np.array([FALSE_ALARM_SNR]))
        return float(sigma_r[0]), float(sigma_a[0]), float(sigma_v[0])


_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(Radar))
"""The dataclass fields of :class:`Radar`, in order."""
_FIELD_VALUES = operator.itemgetter(*_FIELD_NAMES)
"""The values of :data:`_FIELD_NAMES` of a radar's ``__dict__``, in one C-level call."""
_KEPT_WHEN_MOVED = (
    "reference_snr_db",
    "sector",
    "_volume",
    "search_raster",
    "_cell_terms",
    "_alarm_terms",
    "_false_alarm_sigmas",
    "measures_range_rate",
    "default_chain",
    "_measurement_terms",
)
"""Cached values of a :class:`Radar` that :meth:`Radar.moved` carries over: they depend only
on the catalog type, the boresight and the signal effects."""
