"""Terrain diffraction: the single knife-edge loss of the dominant obstacle on a radar path.

A ray that grazes or is blocked by terrain is not simply cut: the field behind an
obstacle falls smoothly with its depth into the shadow. For the dominant obstacle of a path
(:func:`iadsim.geo.terrain_obstacle.dominant_obstacle`), height ``h`` above the straight
effective-earth ray and ground distances ``d1``, ``d2`` from the two ends, the
Fresnel-Kirchhoff diffraction parameter is (ITU-R P.526-15, 2019, eq. 26)::

    v = h sqrt( (2 / lambda) (1 / d1 + 1 / d2) )

and the one-way loss of an ideal knife edge is (ITU-R P.526-15, eq. 31, valid for
``v > -0.78``; 0 dB below)::

    J(v) = 6.9 + 20 log10( sqrt((v - 0.1)^2 + 1) + v - 0.1 )      [dB]

A ray that grazes the edge (``v = 0``) loses 6.0 dB one way; a ray clearing the edge by
0.55 of the first Fresnel-zone radius (``v = -0.78``) loses nothing. A radar's echo
crosses the obstacle twice (reciprocity), so the SNR change is ``-2 J(v)``.

Assumptions, and what they leave out: one knife edge (the dominant one), not the
Deygout construction over several edges, so a path behind two ridges loses less than it
would; a rounded hill or the smooth earth bulge diffracts more than a knife edge, so the
loss near the horizon is a lower bound. Beyond the smooth-earth radio horizon the radar's
volume test masks the target outright (:meth:`iadsim.sensors.radar.Radar.in_coverage`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.core.contracts import RadarPaths
from iadsim.geo.terrain_obstacle import KNIFE_EDGE_NO_LOSS_V
from iadsim.sensors._kernels import fresnel_parameter_kernel

__all__ = [
    "KNIFE_EDGE_MIN_V",
    "TerrainDiffraction",
    "fresnel_kirchhoff_parameter",
    "knife_edge_loss_db",
]

SPEED_OF_LIGHT_MPS = 299_792_458.0
KNIFE_EDGE_MIN_V = KNIFE_EDGE_NO_LOSS_V
"""Below this ``v`` the knife-edge loss is 0 dB (ITU-R P.526-15, eq. 31)."""


def fresnel_kirchhoff_parameter(
    height_m: ArrayLike, d1_m: ArrayLike, d2_m: ArrayLike, wavelength_m: ArrayLike
) -> NDArray[np.float64]:
    """Fresnel-Kirchhoff diffraction parameter ``v`` of an obstacle (ITU-R P.526-15, eq. 26).

    ``v = h sqrt((2 / lambda) (1 / d1 + 1 / d2))``.

    Parameters
    ----------
    height_m : (n,) float64
        Height of the obstacle's top above the straight line between the ends, m
        (negative below it).
    d1_m, d2_m : (n,) float64
        Distances of the obstacle from the two ends, m, > 0.
    wavelength_m : float or (n,) float64
        Wavelength, m.

    Returns
    -------
    (n,) float64
        ``v``, dimensionless (``-inf`` where ``height_m`` is ``-inf``).
    """
    d1 = np.asarray(d1_m, np.float64)
    d2 = np.asarray(d2_m, np.float64)
    root = np.sqrt(2.0 / np.asarray(wavelength_m, np.float64) * (1.0 / d1 + 1.0 / d2))
    return np.asarray(np.asarray(height_m, np.float64) * root, np.float64)


def knife_edge_loss_db(v: ArrayLike) -> NDArray[np.float64]:
    """One-way diffraction loss of an ideal knife edge, ``J(v)`` (ITU-R P.526-15, eq. 31).

    ``J(v) = 6.9 + 20 log10(sqrt((v - 0.1)^2 + 1) + v - 0.1)`` for ``v > -0.78``, else 0.

    Parameters
    ----------
    v : (n,) float64
        Fresnel-Kirchhoff parameter (:func:`fresnel_kirchhoff_parameter`).

    Returns
    -------
    (n,) float64
        Loss, dB, >= 0 (6.03 dB at ``v = 0``).
    """
    v = np.asarray(v, np.float64)
    above = v > KNIFE_EDGE_MIN_V
    x = np.where(above, v, 0.0) - 0.1
    loss = 6.9 + 20.0 * np.log10(np.sqrt(x * x + 1.0) + x)
    return np.where(above, np.maximum(loss, 0.0), 0.0)


@dataclass(frozen=True)
class TerrainDiffraction:
    """Signal effect: two-way knife-edge loss over each path's dominant terrain obstacle.

    The SNR change is ``-2 J(v)`` (module notes); 0 on paths without terrain data.
    Registered as ``terrain_diffraction`` and applied to every radar by default: it
    replaces a binary terrain mask, so a path deep in shadow loses tens of dB (no
    detection) and a grazing path 12 dB.
    """

    def snr_change_db(self, paths: RadarPaths) -> NDArray[np.float64]:
        """SNR change on each path, dB, never positive (see
        :class:`iadsim.core.contracts.SignalEffect`)."""
        height, d1, d2 = paths.obstacle_height_m, paths.obstacle_d1_m, paths.obstacle_d2_m
        if height is None or d1 is None or d2 is None:
            return np.zeros(paths.range_m.shape)
        wavelength_m = SPEED_OF_LIGHT_MPS / paths.frequency_hz
        if height.ndim == d1.ndim == d2.ndim == 1:  # a look's paths: compiled
            v = fresnel_parameter_kernel(height, d1, d2, float(wavelength_m))
        else:
            with np.errstate(invalid="ignore"):
                v = fresnel_kirchhoff_parameter(height, d1, d2, wavelength_m)
        # A NaN v (no obstacle: -inf height) fails the v > -0.78 test of J(v) and has
        # no loss, as -inf would.
        if not np.logical_or.reduce(v > KNIFE_EDGE_MIN_V, axis=None):  # the usual look
            return -np.zeros(v.shape)  # -2 J(v) with J = 0, as computed below
        # No np.errstate here: J(v) compares a NaN quietly and computes only on v > -0.78
        # (never NaN or -inf), so no invalid operation can arise.
        return -2.0 * knife_edge_loss_db(v)
