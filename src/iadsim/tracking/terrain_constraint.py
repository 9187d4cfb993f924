"""The terrain as a floor for track estimates: an altitude pseudo-measurement.

No air target flies below the ground, but a track's height can drift there: a radar far
from a low flier measures elevation to ``sigma_el R`` (5.6 km for an AWACS at 400 km), and a
track that coasts on a descending velocity keeps going down. The terrain is prior knowledge
the filter can use as an inequality constraint ``h >= h_ground`` on the state (Simon,
"Kalman filtering with state constraints: a survey of linear and nonlinear algorithms",
IET Control Theory & Applications 4(8), 2010, sect. 2.4 and 3: an inactive constraint is
ignored; an active one is enforced as an equality, for example by estimate projection).

For a track whose height ``h`` is below the floor ``f`` the estimate is projected onto the
floor along its own covariance (Simon 2010, sect. 2.4, estimate projection with weight
``W = P⁻¹``: the Kalman update by a perfect measurement of the height)::

    H = [uᵀ, 0 ...]            (u: local vertical at the track, in the state's frame)
    K = P Hᵀ / (H P Hᵀ)
    x' = x + K (f - h)

so the height lands on the floor and the velocity is corrected through its correlation
with height. The covariance is the Joseph form for that gain, with the floor known to
``floor_std_m`` (the terrain model's error)::

    P' = (I - K H) P (I - K H)ᵀ + K floor_std² Kᵀ

which is valid for any gain (Bar-Shalom, Li & Kirubarajan 2001, eq. 5.2.3-18) and keeps
``P'`` positive definite with a vertical variance of ``floor_std²``. ``h - f`` is measured
along the local vertical, which is to first order the shift ``(f - h) u`` of the position;
for an IMM each model-conditioned estimate is projected with its own height
(:func:`floor_heights_of_modes`) and the modes are combined again.
"""

from __future__ import annotations

import numpy as np

from iadsim.tracking._floor_kernels import floor_projection_terms_kernel, symmetrised_rows_kernel
from iadsim.tracking.imm import imm_combine
from iadsim.tracking.table import TrackTable

__all__ = [
    "FLOOR_STD_M",
    "constrain_table",
    "floor_heights_of_modes",
    "local_up_in_frame",
    "project_onto_floor",
    "project_rows_onto_floor",
]

FLOOR_STD_M = 30.0
"""Error of the floor, m. Assumption (sources.yaml S280, D): 30 m (range 15-60): the
vertical error of a 1-3 arc-second elevation model (SRTM mission specification: 16 m
absolute at 90 %, Rodriguez et al., Photogramm. Eng. Remote Sens. 72(3), 2006) plus the
geoid-ellipsoid separation (about 30-40 m over Turkey) left in MSL heights, which the
pruning's 150 m tolerance also allows for."""


def local_up_in_frame(lat_rad: np.ndarray, lon_rad: np.ndarray, rotation: np.ndarray) -> np.ndarray:
    """Unit vector of the local vertical at each point, in an ENU frame, ``(n, 3)``.

    Parameters
    ----------
    lat_rad, lon_rad : (n,) float64
        Geodetic position of the points, rad.
    rotation : (3, 3) float64
        The frame's rotation, ``enu = rotation @ d_ecef``.
    """
    # NumPy's sin and cos take the points as they come (no conversion: every step), and
    # the columns are written into one array (np.stack's Python layers cost more).
    lat, lon = lat_rad, lon_rad
    cos_lat = np.cos(lat)
    up_ecef = np.empty((cos_lat.size, 3))
    up_ecef[:, 0] = cos_lat * np.cos(lon)
    up_ecef[:, 1] = cos_lat * np.sin(lon)
    up_ecef[:, 2] = np.sin(lat)
    return up_ecef @ np.asarray(rotation, dtype=float).T


def project_onto_floor(
    state: np.ndarray,
    covariance: np.ndarray,
    up: np.ndarray,
    rise_m: np.ndarray,
    floor_std_m: float = FLOOR_STD_M,
) -> tuple[np.ndarray, np.ndarray]:
    """Raise estimates by ``rise_m`` along ``up`` by projection; Joseph-form covariance.

    Parameters
    ----------
    state : (n, d) float64
        ``[e, n, u, ve, vn, vu, ...]``, m and m/s.
    covariance : (n, d, d) float64
    up : (n, 3) float64
        Unit vertical at each track in the state's frame.
    rise_m : (n,) float64
        Floor minus height, m; rows with ``rise_m <= 0`` are returned unchanged (the
        constraint is inactive).
    floor_std_m : float
        Standard deviation of the floor, m.

    Returns
    -------
    state : (n, d) float64
        With ``up · position`` raised by ``rise_m`` where it was positive.
    covariance : (n, d, d) float64
    """
    x = np.array(state, dtype=float)
    P = np.array(covariance, dtype=float)
    rise = np.asarray(rise_m, dtype=float)
    rows = (rise > 0.0).nonzero()[0]  # np.flatnonzero of the (n,) mask, without its wrappers
    if rows.size == 0:
        return x, P
    d = x.shape[1]
    H = np.zeros((rows.size, d))
    H[:, :3] = up[rows]
    Pr = P[rows]
    PHt = np.einsum("nij,nj->ni", Pr, H)
    s = np.einsum("ni,ni->n", H, PHt)
    K = PHt / s[:, None]
    x[rows] += K * rise[rows, None]
    A = np.eye(d)[None] - K[:, :, None] * H[:, None, :]
    P_new = A @ Pr @ A.mT + floor_std_m**2 * K[:, :, None] * K[:, None, :]
    P[rows] = 0.5 * (P_new + P_new.mT)
    return x, P


def project_rows_onto_floor(
    table: TrackTable, slots: np.ndarray, up: np.ndarray, rise_m: np.ndarray, floor_std_m: float
) -> None:
    """:func:`project_onto_floor` of the constant-velocity rows ``slots`` ``(n,)`` of a
    table, in place, every ``rise_m`` ``(n,)`` positive: the elementwise steps compiled
    (:mod:`iadsim.tracking._floor_kernels`), the product ``A P Aᵀ`` by NumPy as there."""
    terms = floor_projection_terms_kernel(
        table.state, table.covariance, slots, up, rise_m, floor_std_m**2
    )
    P, A, floor_term = terms[0], terms[1], terms[2]
    symmetrised_rows_kernel(table.covariance, slots, A @ P @ A.mT + floor_term)


def floor_heights_of_modes(
    height_m: np.ndarray, up: np.ndarray, combined: np.ndarray, modes: np.ndarray
) -> np.ndarray:
    """Heights of an IMM's model-conditioned positions, ``(n, M)`` m, to first order:
    ``h_j = h + u · (p_j - p)``.

    Parameters
    ----------
    height_m : (n,) float64
        Height of the combined estimate, m.
    up : (n, 3) float64
    combined : (n, d) float64
        Combined states.
    modes : (n, M, d) float64
        Model-conditioned states.
    """
    offset = modes[:, :, :3] - combined[:, None, :3]
    return np.asarray(height_m, dtype=float)[:, None] + np.einsum("nmi,ni->nm", offset, up)


def constrain_table(
    table: TrackTable,
    slots: np.ndarray,
    up: np.ndarray,
    height_m: np.ndarray,
    floor_m: np.ndarray,
    floor_std_m: float = FLOOR_STD_M,
) -> None:
    """Hold tracks of a table on or above their floor, in place.

    Parameters
    ----------
    table : TrackTable
        Kalman or IMM table (an IMM's ``imm_state``, ``imm_covariance`` and
        ``imm_probability`` columns are projected model by model, then combined).
    slots : (n,) int64
        Tracks to constrain, their states at their own epochs.
    up : (n, 3) float64
        Local vertical at each track in the table's frame.
    height_m, floor_m : (n,) float64
        Height of each combined estimate and of the floor under it, m (same datum).
    floor_std_m : float
    """
    if slots.size == 0:
        return
    rise = np.asarray(floor_m, dtype=float) - np.asarray(height_m, dtype=float)
    if "imm_state" not in table.extra:
        if table.state_dim == 6 and False not in (rise > 0.0):
            project_rows_onto_floor(table, slots, up, rise, floor_std_m)
            return
        table.state[slots], table.covariance[slots] = project_onto_floor(
            table.state[slots], table.covariance[slots], up, rise, floor_std_m
        )
        return
    modes = table.extra["imm_state"][slots]
    n, m, d = modes.shape
    mode_rise = (
        np.asarray(floor_m, dtype=float)[:, None]
        - floor_heights_of_modes(height_m, up, table.state[slots], modes)
    ).ravel()
    xs, Ps = project_onto_floor(
        modes.reshape(n * m, d),
        table.extra["imm_covariance"][slots].reshape(n * m, d, d),
        np.repeat(up, m, axis=0),
        mode_rise,
        floor_std_m,
    )
    xs, Ps = xs.reshape(n, m, d), Ps.reshape(n, m, d, d)
    table.extra["imm_state"][slots] = xs
    table.extra["imm_covariance"][slots] = Ps
    table.state[slots], table.covariance[slots] = imm_combine(
        xs, Ps, table.extra["imm_probability"][slots]
    )
