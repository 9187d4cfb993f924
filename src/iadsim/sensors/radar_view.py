"""Radar coverage geometry: which points each radar's volume, sector, look and horizon admit.

:func:`coverage` tests ``k`` radars on ``n`` targets at once (the same element-wise
operations as for one radar alone, compiled in :mod:`iadsim.sensors._kernels`);
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
from iadsim.sensors._kernels import horizon_kernel, local_geometry_kernel, view_kernel
from iadsim.sensors.scan_pattern import AzimuthInterval
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
    visible, az, el, range_m = _view(
        radars, looks, targets.pos_ecef_m.reshape(n, 3), targets.present, lambda: targets.alt_m
    )
    return visible, _stacked(az, el, range_m)


def _stacked(az: np.ndarray, el: np.ndarray, range_m: np.ndarray) -> np.ndarray:
    """``np.stack([az, el, range_m], axis=-1)`` of three ``(k, n)`` arrays, ``(k, n, 3)``,
    filled in place (without ``np.stack``'s Python-level steps)."""
    aer = np.empty((*az.shape, 3))
    aer[..., 0] = az
    aer[..., 1] = el
    aer[..., 2] = range_m
    return aer


_ALL_PRESENT = np.ones(4096, dtype=bool)
"""Shared all-True mask that :func:`_all_present` slices (:func:`_view` only reads it)."""


def _all_present(n: int) -> np.ndarray:
    """``(n,)`` True: every point of an :meth:`Radar.in_view` query is present."""
    return _ALL_PRESENT[:n] if n <= _ALL_PRESENT.size else np.ones(n, dtype=bool)


_NO_LOOK = (0.0, 0.0, 0.0)
"""The look row of a radar searching its whole sector (no restriction), or of a look that
is not an azimuth interval (a raster's, tested on azimuth and elevation after the compiled
view test): only a rotating beam's sweep restricts azimuth there."""


def _view(
    radars: Sequence[Radar],
    looks: Sequence[Look | None],
    points_ecef_m: np.ndarray,
    present: np.ndarray,
    alt_m: Callable[[], np.ndarray],
    constants: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The coverage test of ``k`` radars on ``n`` points: visible and az, el, range, each
    ``(k, n)``; ``alt_m()`` gives the points' heights (m), asked for only when the view
    kernel finds a point in view (the horizon test comes last). ``constants`` ``(k, 21)``:
    the radars' ``_view_constants`` stacked, when the caller keeps them (else stacked here).

    Same operations as :func:`iadsim.geo.frames.ecef_to_enu`, :func:`~iadsim.geo.frames.enu_to_aer`
    and :meth:`~iadsim.sensors.scan_pattern.AzimuthInterval.contains`, compiled apart from the
    arctangents and the horizon's arccos (:mod:`iadsim.sensors._kernels`).
    """
    if constants is None:
        if len(radars) == 1:
            constants = radars[0]._view_rows
        else:
            constants = np.array([radar._view_constants for radar in radars])
    east, north, up, horizontal, range_m = local_geometry_kernel(
        points_ecef_m, constants[:, :3], constants[:, 3:12].reshape(-1, 3, 3)
    )
    el = np.arctan2(up, horizontal)
    az = np.arctan2(east, north)  # folded to [0, 2 pi) in place by the view kernel
    visible = np.empty(az.shape, dtype=np.bool_)
    seen = view_kernel(
        az,
        el,
        range_m,
        present,
        constants[:, 12:16],
        constants[:, 16:19],
        np.array([look.as_row() if type(look) is AzimuthInterval else _NO_LOOK for look in looks]),
        az,
        visible,
    )
    if seen:
        for row, look in enumerate(looks):
            if look is not None and not isinstance(look, AzimuthInterval):
                rows = visible[row].nonzero()[0]  # the raster test only where it can matter
                if type(look) is SearchAndTrackLook:  # kept for the look's detections
                    visible[row, rows] = look.covers(rows, az[row, rows], el[row, rows])
                else:
                    visible[row, rows] = look.contains(az[row, rows], el[row, rows])
        _below_horizon(radars, visible, range_m, alt_m, constants[:, 19:21])
    return visible, az, el, range_m


def _below_horizon(
    radars: Sequence[Radar],
    visible: np.ndarray,
    range_m: np.ndarray,
    alt_m: Callable[[], np.ndarray],
    horizon_terms: np.ndarray,
) -> None:
    """Clear in ``visible`` (k, n) the points beyond each radar's smooth-earth horizon.

    The operations of :meth:`~iadsim.sensors.radar.Radar.horizon_range_m`, compiled
    (:func:`~iadsim.sensors._kernels.horizon_kernel`) apart from the arccos of the targets'
    share of the horizon, computed once for all radars with the same effective-earth radius
    (``horizon_terms`` (k, 2): each radar's radius, m, and antenna share, rad).
    """
    heights = np.maximum(alt_m(), 0.0)
    radius_m = radars[0]._horizon_terms[0]
    radii = {radar._horizon_terms[0] for radar in radars} if len(radars) > 1 else (radius_m,)
    for radius_m in radii:
        angle = np.arccos(radius_m / (radius_m + heights))
        horizon_kernel(visible, range_m, horizon_terms, radius_m, angle)
