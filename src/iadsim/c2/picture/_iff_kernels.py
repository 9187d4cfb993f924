"""Numba kernels of IFF correlation: the sigmas of tracks seen from an interrogator, and the
normalised distance of replies to tracks.

:func:`seen_sigmas_kernel` is the compiled twin of :func:`seen_sigmas_reference` (the
NumPy code of :func:`iadsim.c2.picture.iff_correlation.seen_from`). It does only
multiplications, divisions, additions, comparisons and square roots, in NumPy's order:
each ``np.einsum`` sum starts from zero and adds its terms in row-major order of the
summed indices, each term multiplied left to right (``(a_i P_ij) a_j``), so the results
agree to the bit (a test compares them). A post correlates one scan's replies with its few
tracks, where the twin's fifteen small NumPy calls cost far more than the arithmetic.

:func:`normalised_distance_kernel` is the compiled twin of
:func:`normalised_distance_reference` (the NumPy arithmetic of
:func:`iadsim.c2.picture.iff_correlation.normalised_distance` after the azimuth
differences, which stay NumPy's: its SIMD ``exp`` and ``arctan2`` would not match compiled
code): differences, squares (``x ** 2`` is ``x * x`` in NumPy), sums and quotients in
NumPy's order, so the same bits (a test compares them).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "normalised_distance_kernel",
    "normalised_distance_reference",
    "seen_sigmas_kernel",
    "seen_sigmas_reference",
]


@numba.njit(cache=True)
def _quadratic_form(a0, a1, a2, p):  # pragma: no cover - numba
    """``a' P a`` for ``P`` (3, 3), summed as ``np.einsum("ni,nij,nj->n")`` sums a row."""
    total = 0.0
    total += a0 * p[0, 0] * a0
    total += a0 * p[0, 1] * a1
    total += a0 * p[0, 2] * a2
    total += a1 * p[1, 0] * a0
    total += a1 * p[1, 1] * a1
    total += a1 * p[1, 2] * a2
    total += a2 * p[2, 0] * a0
    total += a2 * p[2, 1] * a1
    total += a2 * p[2, 2] * a2
    return total


@numba.njit(cache=True)
def seen_sigmas_kernel(enu_m, slant_m, rotation, cov_ecef_m2):  # pragma: no cover - numba
    """Sigmas of the slant range, azimuth and altitude of tracks seen from an antenna.

    Parameters
    ----------
    enu_m : (n, 3) float64
        Track positions in the antenna's ENU frame, m.
    slant_m : (n,) float64
        Their slant ranges, m.
    rotation : (3, 3) float64
        ECEF-to-ENU rotation at the antenna.
    cov_ecef_m2 : (n, 3, 3) float64
        Position covariances, ECEF, m^2.

    Returns
    -------
    (3, n) float64
        ``sigma_range_m, sigma_az_rad, sigma_alt_m`` stacked; unpack them as a triple (one
        array to box for Python rather than three, each a Python-level call).
    """
    n = enu_m.shape[0]
    sigmas = np.empty((3, n))
    sigma_range = sigmas[0]
    sigma_az = sigmas[1]
    sigma_alt = sigmas[2]
    cov = np.empty((3, 3))
    for m in range(n):
        for row in range(3):  # R P R', as np.einsum("ij,njk,lk->nil") sums it
            for col in range(3):
                total = 0.0
                for j in range(3):
                    for k in range(3):
                        total += rotation[row, j] * cov_ecef_m2[m, j, k] * rotation[col, k]
                cov[row, col] = total
        east, north, up = enu_m[m, 0], enu_m[m, 1], enu_m[m, 2]
        scale = slant_m[m]
        if scale < 1.0:  # np.maximum(slant, 1.0), which keeps a NaN
            scale = 1.0
        horizontal2 = east * east + north * north  # x ** 2 is x * x in NumPy
        if horizontal2 < 1.0:
            horizontal2 = 1.0
        var_range = _quadratic_form(east / scale, north / scale, up / scale, cov)
        var_az = _quadratic_form(north / horizontal2, -east / horizontal2, 0.0 / horizontal2, cov)
        sigma_range[m] = np.sqrt(var_range)
        sigma_az[m] = np.sqrt(var_az)
        sigma_alt[m] = np.sqrt(cov[2, 2])
    return sigmas


def seen_sigmas_reference(
    enu_m: np.ndarray, slant_m: np.ndarray, rotation: np.ndarray, cov_ecef_m2: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NumPy twin of :func:`seen_sigmas_kernel` (same arguments, same bits, as a triple)."""
    cov = np.einsum("ij,njk,lk->nil", rotation, cov_ecef_m2, rotation)
    line = enu_m / np.maximum(slant_m, 1.0)[:, None]
    horizontal2 = np.maximum(enu_m[:, 0] ** 2 + enu_m[:, 1] ** 2, 1.0)
    gradient = np.zeros((len(enu_m), 3))  # (n, -e, 0) / h^2, written in place
    gradient[:, 0] = enu_m[:, 1]
    gradient[:, 1] = -enu_m[:, 0]
    gradient /= horizontal2[:, None]
    var_range = np.einsum("ni,nij,nj->n", line, cov, line)
    var_az = np.einsum("ni,nij,nj->n", gradient, cov, gradient)
    return np.sqrt(var_range), np.sqrt(var_az), np.sqrt(cov[:, 2, 2])


@numba.njit(cache=True)
def normalised_distance_kernel(d_az, replies, tracks):  # pragma: no cover - numba
    """The statistic ``d2`` of every reply-track pair.

    Parameters
    ----------
    d_az : (n, m) float64
        Azimuth of each reply less that of each track, wrapped to ``[-pi, pi]``, rad.
    replies : (5, n) float64
        Rows: slant range (m), its sigma (m), the azimuth's sigma (rad), altitude (m, NaN:
        none reported) and its sigma (m) of each reply.
    tracks : (5, m) float64
        The same rows of each track.

    Returns
    -------
    (n, m) float64
    """
    n, m = d_az.shape
    out = np.empty((n, m))
    for i in range(n):
        reply_range, reply_sigma_range, reply_sigma_az = replies[0, i], replies[1, i], replies[2, i]
        reply_alt, reply_sigma_alt = replies[3, i], replies[4, i]
        for j in range(m):
            d_range = reply_range - tracks[0, j]
            var_range = reply_sigma_range * reply_sigma_range + tracks[1, j] * tracks[1, j]
            var_az = reply_sigma_az * reply_sigma_az + tracks[2, j] * tracks[2, j]
            angle = d_az[i, j]
            d2 = d_range * d_range / var_range + angle * angle / var_az
            d_alt = reply_alt - tracks[3, j]
            var_alt = reply_sigma_alt * reply_sigma_alt + tracks[4, j] * tracks[4, j]
            if np.isnan(var_alt):
                var_alt = 1.0
            term = 0.0 if np.isnan(d_alt) else d_alt * d_alt / var_alt
            out[i, j] = d2 + term
    return out


def normalised_distance_reference(
    d_az: np.ndarray, replies: np.ndarray, tracks: np.ndarray
) -> np.ndarray:
    """NumPy twin of :func:`normalised_distance_kernel` (same arguments, same bits)."""
    range_r, sigma_range_r, sigma_az_r, alt_r, sigma_alt_r = (row[:, None] for row in replies)
    range_t, sigma_range_t, sigma_az_t, alt_t, sigma_alt_t = (row[None, :] for row in tracks)
    d_range = range_r - range_t
    var_range = sigma_range_r**2 + sigma_range_t**2
    var_az = sigma_az_r**2 + sigma_az_t**2
    d2 = d_range**2 / var_range + d_az**2 / var_az
    d_alt = alt_r - alt_t
    var_alt = sigma_alt_r**2 + sigma_alt_t**2
    return d2 + np.where(np.isnan(d_alt), 0.0, d_alt**2 / np.where(np.isnan(var_alt), 1.0, var_alt))
