"""Radar coverage geometry: which points each radar's volume, sector, look and horizon admit.

:func:`coverage` tests ``k`` radars on ``n`` targets at once (the same element-wise
operations as for one radar alone, compiled in :mod:`iadsim.sensors._view_kernels`);
:class:`TargetView` is what radars need of the air entities. Detection and measurement
errors are in :mod:`iadsim.sensors.radar`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from iadsim.core.contracts import JammerEmitters
from iadsim.geo.terrain_obstacle import DominantObstacle
from iadsim.sensors._view_kernels import (
    horizon_kernel,
    horizon_ratio_kernel,
    view_geometry_kernel,
    view_kernel,
)
from iadsim.sensors.scan_pattern import FULL_CIRCLE_RAD, AzimuthInterval
from iadsim.sensors.timeline import RasterLook
from iadsim.sensors.track_dwells import Look, SearchAndTrackLook

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar


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
    vel_ecef_mps : (n, 3) float64, optional
        Velocities; without them a pulse-Doppler radar reports no range rate.
    obstacle : DominantObstacle, optional
        Dominant terrain obstacle of the path from this radar to each entity, arrays
        ``(n,)`` (:func:`~iadsim.geo.terrain_obstacle.dominant_obstacle`); none: no terrain.
    jammers : JammerEmitters, optional
        Noise jammers radiating at this radar now (:mod:`iadsim.ew`); none: no jamming.
    """

    pos_ecef_m: np.ndarray
    alt_m: np.ndarray
    rcs_m2: np.ndarray
    swerling: np.ndarray
    present: np.ndarray
    vel_ecef_mps: np.ndarray | None = None
    obstacle: DominantObstacle | None = None
    jammers: JammerEmitters | None = None


def coverage(
    radars: Sequence[Radar], targets: TargetView, looks: Sequence[Look | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Targets inside each radar's volume and above its radar horizon, all radars at once.

    Every radar-target pair goes through the same element-wise operations as for one
    radar alone (:func:`_view`).

    Parameters
    ----------
    radars : sequence of k Radar
    targets : TargetView
        ``n`` targets (their RCS is not used).
    looks : sequence of k AzimuthInterval or None
        Azimuths each radar looks at now (a rotating beam's sweep); None: its whole sector.

    Returns
    -------
    visible : (k, n) bool
    aer : (k, n, 3) float64
        True azimuth (rad), elevation (rad) and slant range (m) of every target from every
        radar.
    """
    n = len(targets.present)
    heights = np.asarray(targets.alt_m, dtype=np.float64)  # the kernels' type, as it is
    return _view(radars, looks, targets.pos_ecef_m.reshape(n, 3), targets.present, heights)


Heights = np.ndarray | Callable[[], np.ndarray]
"""Heights of points above the ellipsoid (m), or a function giving them when first needed."""

LookRows = tuple[np.ndarray, list[tuple[int, RasterLook | SearchAndTrackLook]]]
"""The looks of ``k`` radars as the view kernel reads them (:func:`_look_rows`): ``(k, 3)``
rows, and the search rasters' looks with their row, tested after the kernel."""

_ALL_PRESENT = np.ones(4096, dtype=bool)
"""Shared all-True mask that :meth:`Radar.view_mask` slices for its points, all present
(:func:`_view` only reads it)."""


_NO_LOOK = (0.0, 0.0, 0.0)
"""The look row of a radar searching its whole sector (no restriction), or of a look that
is not an azimuth interval (a raster's, tested on azimuth and elevation after the compiled
view test): only a rotating beam's sweep restricts azimuth there."""

_WHOLE_SECTOR = np.zeros((1, 3))
"""The look rows of one radar searching its whole sector (the kernels only read them)."""


def _view(
    radars: Sequence[Radar],
    looks: Sequence[Look | None],
    points_ecef_m: np.ndarray,
    present: np.ndarray,
    alt_m: Heights,
    constants: np.ndarray | None = None,
    look_rows: LookRows | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The coverage test of ``k`` radars on ``n`` points: visible ``(k, n)`` bool and
    az, el, range ``(k, n, 3)`` (rad, rad, m). ``alt_m``: the points' heights (m), or a
    function giving them, asked only when the view kernel finds a point in view (the
    horizon test comes after it). ``constants`` ``(k, 21)``: the radars'
    ``_view_constants`` stacked, when the caller keeps them (else stacked here);
    ``look_rows``: :func:`_look_rows` of ``looks``, when the caller keeps them.

    Same operations as :func:`iadsim.geo.frames.ecef_to_enu`, :func:`~iadsim.geo.frames.enu_to_aer`
    and :meth:`~iadsim.sensors.scan_pattern.AzimuthInterval.contains`, compiled apart from the
    arctangents and the horizon's arccos (:mod:`iadsim.sensors._view_kernels`).
    """
    if constants is None:
        if len(radars) == 1:
            constants = radars[0]._view_rows
        else:
            constants = np.array([radar._view_constants for radar in radars])
    geometry = view_geometry_kernel(points_ecef_m, constants)
    el = np.arctan2(geometry[2], geometry[3])
    bearing = np.arctan2(geometry[0], geometry[1])
    rows, rasters = _look_rows(looks) if look_rows is None else look_rows
    aer = np.empty((*el.shape, 3))
    visible = np.empty(el.shape, dtype=np.bool_)
    if view_kernel(bearing, el, geometry, present, constants, rows, aer, visible):
        heights = alt_m if type(alt_m) is np.ndarray else alt_m()  # type: ignore[operator]
        horizon_ratio_kernel(heights, constants, bearing)  # bearing, now folded into aer
        horizon_kernel(visible, geometry, constants, np.arccos(bearing))
        for row, raster in rasters:  # the raster test only where it can still matter
            _in_raster(raster, visible[row], aer[row])
    return visible, aer


def _look_rows(looks: Sequence[Look | None]) -> LookRows:
    """The looks as the view kernel's ``(k, 3)`` rows (a rotating beam's sweep restricts
    azimuth, any other look is :data:`_NO_LOOK` there), and the rows whose look is a
    search raster's, with that look, tested after the kernel."""
    if len(looks) == 1 and looks[0] is None:  # one radar's whole sector (Radar.in_view)
        return _WHOLE_SECTOR, []
    rows = []
    rasters: list[tuple[int, RasterLook | SearchAndTrackLook]] = []
    for row, look in enumerate(looks):
        if type(look) is AzimuthInterval:  # start, extent, restricts unless the full circle
            extent = look.extent_rad
            rows.append((look.start_rad, extent, 0.0 if extent >= FULL_CIRCLE_RAD else 1.0))
        else:
            rows.append(_NO_LOOK)
            if look is not None:  # a RasterLook or SearchAndTrackLook (no narrowing on type())
                rasters.append((row, look))  # type: ignore[arg-type]
    return np.array(rows), rasters


def _in_raster(look: RasterLook | SearchAndTrackLook, visible: np.ndarray, aer: np.ndarray) -> None:
    """Clear in ``visible`` (n,) the points a search raster's ``look`` did not reach in
    the step (``aer`` (n, 3): their azimuth, elevation and range from its radar)."""
    rows = visible.nonzero()[0]
    if not rows.size:
        return
    az, el = aer[rows, 0], aer[rows, 1]
    if type(look) is SearchAndTrackLook:  # kept for the look's detections
        visible[rows] = look.covers(rows, az, el)
    else:
        visible[rows] = look.contains(az, el)
