"""Triangulation of a jammer from angle-only strobes: least-squares bearing intersection.

Each strobe is a bearing ``b_i`` (clockwise from north) measured at a sensor at ``o_i`` in
a local east-north plane, with one-sigma error ``s_i``. The jammer at ``p`` lies on each
bearing line up to the error, so the perpendicular miss of the line,

    r_i = n_i . (p - o_i),   n_i = (cos b_i, -sin b_i)

(``n_i`` is normal to the bearing's direction ``(sin b_i, cos b_i)``), has the standard
deviation ``d_i s_i`` at range ``d_i``. The weighted least-squares fix minimises
``sum r_i^2 / (d_i s_i)^2`` (the Stansfield estimator with small errors; Poisel,
*Electronic Warfare Target Location Methods*, 2nd ed., 2012, ch. 3; Torrieri, "Statistical
theory of passive location systems", IEEE Trans. AES-20(2), 1984): the normal equations

    (sum w_i n_i n_i^T) p = sum w_i n_i n_i^T o_i,   w_i = 1 / (d_i s_i)^2

solved twice, the ranges ``d_i`` first taken as equal and then from the first fix. The
inverse of the left-hand matrix is the fix's covariance. Bearings that are (nearly)
parallel leave the matrix singular: no fix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["MAX_CONDITION", "BearingFix", "triangulate"]

MAX_CONDITION = 1.0e8
"""Largest condition number of the normal matrix accepted: above it the bearings are too
close to parallel for a fix."""


@dataclass(frozen=True)
class BearingFix:
    """A triangulated position in the local east-north plane.

    Attributes
    ----------
    position_m : (2,) float64
        East, north, m.
    covariance_m2 : (2, 2) float64
        Its error covariance, m^2.
    """

    position_m: np.ndarray
    covariance_m2: np.ndarray

    @property
    def error_m(self) -> float:
        """Semi-major axis of the one-sigma error ellipse, m."""
        return float(np.sqrt(np.linalg.eigvalsh(self.covariance_m2)[-1]))


def triangulate(
    origins_m: ArrayLike,
    bearings_rad: ArrayLike,
    sigmas_rad: ArrayLike,
    extra_m: ArrayLike | None = None,
) -> BearingFix | None:
    """Least-squares intersection of bearing lines (module notes).

    Parameters
    ----------
    origins_m : (k, 2) float64
        Sensor positions, east and north, m.
    bearings_rad : (k,) float64
        Measured bearings, clockwise from north, rad.
    sigmas_rad : (k,) float64
        Their one-sigma errors, rad, > 0.
    extra_m : (k,) float64, optional
        A further one-sigma miss of each line, m, independent of range (how far the
        emitter may have moved since an older bearing); the weight becomes
        ``1 / ((d_i s_i)^2 + extra_i^2)``.

    Returns
    -------
    BearingFix or None
        None with fewer than two bearings, bearings that do not cross (parallel, or a fix
        behind the sensors), or a singular geometry.
    """
    origins = np.asarray(origins_m, np.float64).reshape(-1, 2)
    bearings = np.asarray(bearings_rad, np.float64).reshape(-1)
    sigmas = np.asarray(sigmas_rad, np.float64).reshape(-1)
    if origins.shape[0] < 2:
        return None
    normals = np.column_stack([np.cos(bearings), -np.sin(bearings)])  # (k, 2)
    outer = normals[:, :, None] * normals[:, None, :]  # (k, 2, 2)
    extra = np.zeros(origins.shape[0]) if extra_m is None else np.asarray(extra_m, np.float64)
    distance = np.ones(origins.shape[0])
    fix = None
    for step in range(2):
        # First pass: equal ranges, bearings alone; then the ranges from the first fix.
        weight = 1.0 / ((distance * sigmas) ** 2 + (extra**2 if step else 0.0))
        matrix = np.einsum("k,kij->ij", weight, outer)
        if np.linalg.cond(matrix) > MAX_CONDITION:
            return None
        rhs = np.einsum("k,kij,kj->i", weight, outer, origins)
        fix = np.linalg.solve(matrix, rhs)
        offset = fix - origins
        along = offset @ np.column_stack([np.sin(bearings), np.cos(bearings)]).T
        if np.any(np.diag(along) <= 0.0):  # the lines cross behind a sensor
            return None
        distance = np.linalg.norm(offset, axis=1)
    assert fix is not None
    return BearingFix(fix, np.linalg.inv(matrix))
