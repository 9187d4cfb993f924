"""The search timeline of an electronically scanned radar: beam positions, dwells, frame.

An electronically scanned radar searches its sector one beam position at a time. Its beam
steps across the sector in rows of one elevation beamwidth, from the lowest row up; each
row is swept across the azimuth sector before the next one starts. At a scan angle
``theta`` off the array's normal the beam broadens as ``theta_3dB / cos(theta)`` (Skolnik,
*Introduction to Radar Systems*, 3rd ed., 2001, sec. 8.4), so a sector of total width ``A``
takes

    N_az = 2 sin(A / 2) / theta_3dB

beam positions per row (the integral of ``cos(theta) / theta_3dB`` across the sector).

A dwell in a row lasts ``n`` pulse repetition intervals of the unambiguous PRI for the row's
instrumented range ``R_row`` (Skolnik sec. 1.2):

    t_dwell = n * 2 R_row / c

The instrumented range of a row is the range at which a target at the search ceiling
``h_max`` crosses the row's lowest elevation on a 4/3 earth, capped at the radar's
maximum range,

    R_row = min(R_max, k a (sqrt(sin^2(e) + 2 h_max / (k a)) - sin(e)))

(the smooth-earth height relation ``h = R sin e + R^2 / (2 k a)`` solved for ``R``; Barton,
*Radar System Analysis and Modeling*, 2005, sec. 6.1), so high rows, where nothing flies far
out, take short dwells. The search frame time is the sum of all dwells:

    T_frame = N_az * sum_rows t_dwell(row)

The raster gives every direction in the sector a **phase** in ``[0, 1)``: the fraction of
the frame elapsed when the beam reaches it. A target is looked at when the frame's phase
passes its own, once per frame (the counterpart of a rotating beam passing a target's
azimuth, :mod:`iadsim.sensors.scan_pattern`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from iadsim.geo.frames import WGS84_A_M
from iadsim.sensors._kernels import (
    raster_offset_kernel,
    raster_phase_kernel,
    raster_window_kernel,
)
from iadsim.sensors.scan_pattern import FULL_CIRCLE_RAD, TWO_PI, AzimuthInterval

if TYPE_CHECKING:
    from iadsim.catalog.models import RadarType

__all__ = ["SPEED_OF_LIGHT_MPS", "RasterLook", "SearchRaster"]

SPEED_OF_LIGHT_MPS = 299_792_458.0
K_FACTOR = 4.0 / 3.0
"""Effective-earth radius factor of the instrumented-range relation (standard refraction)."""


@dataclass(frozen=True)
class SearchRaster:
    """The search raster of one electronically scanned radar (module doc).

    Attributes
    ----------
    row_low_rad : (m,) float64
        Lowest elevation of each row of beam positions, rad.
    row_range_m : (m,) float64
        Instrumented range of each row, m.
    row_dwell_s : (m,) float64
        Dwell time of one beam position in each row, s.
    row_start : (m,) float64
        Phase at which each row starts, in ``[0, 1)``.
    azimuth_positions : float
        Beam positions per row, ``N_az``.
    half_sector_rad : float
        Half the sector's width, rad (at most ``pi``).
    facing_rad : float
        Boresight azimuth, clockwise from north, rad.
    frame_s : float
        Search frame time, s.
    """

    row_low_rad: np.ndarray
    row_range_m: np.ndarray
    row_dwell_s: np.ndarray
    row_start: np.ndarray
    azimuth_positions: float
    half_sector_rad: float
    facing_rad: float
    frame_s: float

    @cached_property
    def _row_grid(self) -> tuple[int, float, float]:
        """Rows, lowest row's elevation (rad) and row spacing (rad) of :meth:`phase`."""
        rows = len(self.row_low_rad)
        beam = (self.row_low_rad[1] - self.row_low_rad[0]) if rows > 1 else 1.0
        return rows, float(self.row_low_rad[0]), float(beam)

    @cached_property
    def _row_share(self) -> np.ndarray:
        """Share of the frame each row takes, ``(m,)`` (computed once)."""
        return np.diff(np.append(self.row_start, 1.0))

    @classmethod
    def from_spec(cls, spec: RadarType, facing_rad: float = 0.0) -> SearchRaster:
        """The raster of a catalog radar: its sector, elevation limits, beamwidth, maximum
        range, ``search_pulses`` and ``search_ceiling_m``."""
        beam = spec.beamwidth_rad
        low = np.radians(spec.min_elevation_deg)
        rows = max(1, math.ceil((np.radians(spec.max_elevation_deg) - low) / beam - 1e-9))
        row_low = low + beam * np.arange(rows)
        row_range = instrumented_range_m(row_low, spec.search_ceiling_m, spec.max_range_m)
        dwell = spec.search_pulses * 2.0 * row_range / SPEED_OF_LIGHT_MPS
        half_sector = min(np.radians(spec.azimuth_coverage_deg), TWO_PI) / 2.0
        if half_sector >= math.pi / 2.0:  # a wide sector: turned faces, no broadening gain
            positions = 2.0 * half_sector / beam
        else:
            positions = 2.0 * math.sin(half_sector) / beam
        row_time = positions * dwell
        frame = float(row_time.sum())
        start = np.concatenate([[0.0], np.cumsum(row_time)[:-1]]) / frame
        return cls(row_low, row_range, dwell, start, positions, half_sector, facing_rad, frame)

    def phase(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """Phase of the frame at which the beam reaches each direction, ``(n,)`` in [0, 1).

        The operations of :meth:`phase_reference`, compiled apart from the sine
        (:mod:`iadsim.sensors._kernels`), so the phases are the same to the bit.

        Parameters
        ----------
        az_rad, el_rad : (n,) float64 ndarray
            Directions in the sector, rad (azimuth clockwise from north).
        """
        return raster_phase_kernel(*self._across(az_rad), el_rad, *self._phase_grid)

    def _across(self, az_rad: np.ndarray) -> tuple[np.ndarray, float]:
        """Position of each azimuth across the sector (the sine of its offset from the
        boresight, or the offset, rad) and its value at the sector's edge."""
        off = raster_offset_kernel(az_rad, self.facing_rad, self.half_sector_rad)
        sine_space, sin_half_sector, _ = self._phase_terms
        if sine_space:  # beam positions even in sine space
            return np.sin(off), sin_half_sector
        return off, self.half_sector_rad

    @cached_property
    def _phase_grid(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ``grid``, ``row_start`` and ``row_share`` arguments of
        :func:`~iadsim.sensors._kernels.raster_phase_kernel` (computed once)."""
        rows, low, beam = self._row_grid
        grid = np.array([low, beam, float(rows), self._phase_terms[2]])
        return grid, self.row_start, self._row_share

    def phase_reference(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """NumPy twin of :meth:`phase`, the tests' reference."""
        rows, low, beam = self._row_grid
        # np.minimum(np.maximum(.)) is np.clip's result without its dispatch overhead.
        row = np.minimum(np.maximum(((el_rad - low) // beam).astype(np.int64), 0), rows - 1)
        off = np.mod(az_rad - self.facing_rad + math.pi, TWO_PI) - math.pi
        off = np.minimum(np.maximum(off, -self.half_sector_rad), self.half_sector_rad)
        sine_space, sin_half_sector, last_phase = self._phase_terms
        if sine_space:  # beam positions even in sine space
            across = (np.sin(off) / sin_half_sector + 1.0) / 2.0
        else:
            across = (off / self.half_sector_rad + 1.0) / 2.0
        share = self._row_share
        return np.minimum(self.row_start[row] + share[row] * across, last_phase)

    @cached_property
    def _phase_terms(self) -> tuple[bool, float, float]:
        """Whether beam positions are even in sine space, the sine of the half sector, and
        the largest phase below 1 of :meth:`phase` (computed once)."""
        return (
            self.half_sector_rad < math.pi / 2.0,
            math.sin(self.half_sector_rad),
            float(np.nextafter(1.0, 0.0)),
        )


def instrumented_range_m(
    elevation_rad: np.ndarray, ceiling_m: float, max_range_m: float
) -> np.ndarray:
    """Range at which a target at ``ceiling_m`` sits at ``elevation_rad`` on a 4/3 earth,
    capped at ``max_range_m`` (module doc), ``(m,)`` m; rows at or below the horizontal get
    the maximum range."""
    radius = K_FACTOR * WGS84_A_M
    sin_e = np.sin(np.maximum(elevation_rad, 0.0))
    reach = radius * (np.sqrt(sin_e**2 + 2.0 * ceiling_m / radius) - sin_e)
    return np.minimum(reach, max_range_m)


@dataclass(frozen=True)
class RasterLook:
    """The directions a search raster covers during one step: the phases in
    ``[start, start + extent)`` of the frame.

    Parameters
    ----------
    raster : SearchRaster
    start : float
        Phase of the frame at the start of the step, in [0, 1).
    extent : float
        Share of the frame searched during the step (at most 1).
    """

    raster: SearchRaster
    start: float
    extent: float

    def contains(self, az_rad: np.ndarray, el_rad: np.ndarray) -> np.ndarray:
        """Whether the beam reached each direction during the step, ``(n,) bool``: its
        phase window as an interval on the circle (phase times ``2 pi``)."""
        extent_rad = TWO_PI * (self.extent if self.extent <= 1.0 else 1.0)  # min(., 1.0)
        if extent_rad >= FULL_CIRCLE_RAD:
            return np.ones(np.shape(az_rad), dtype=bool)
        # AzimuthInterval(2 pi start, extent_rad).contains(2 pi phase), compiled
        raster = self.raster
        return raster_window_kernel(
            *raster._across(az_rad), el_rad, *raster._phase_grid, TWO_PI * self.start, extent_rad
        )

    @property
    def extent_rad(self) -> float:
        """The sector width times the share of the frame searched, rad: the azimuth extent
        that searches as many resolution cells (for the false-alarm count)."""
        extent = self.extent
        # min(extent, 1.0) without the builtin's call (every look's false alarms ask)
        return 2.0 * self.raster.half_sector_rad * (1.0 if extent > 1.0 else extent)

    def sample(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` azimuths uniform over the sector, rad (false alarms of the step)."""
        raster = self.raster
        sector = AzimuthInterval.sector(raster.facing_rad, 2.0 * raster.half_sector_rad)
        return sector.sample(count, rng)
