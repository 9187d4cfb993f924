"""The aspect patterns' formula compiled for a step's pairs, and its NumPy definition.

:meth:`iadsim.sensors.signature_pattern.AspectPatterns.rcs_m2` evaluates a step's few dozen
radar-target pairs over a handful of lobes: as NumPy, some twenty operations on arrays of a
hundred elements, whose per-call cost outweighed the arithmetic. :func:`pattern_kernel`
evaluates the whole formula pair by pair in one call; :func:`pattern_reference` is the same
formula in NumPy, which the tests hold it to. The compiled exponential, sine, arc cosine and
power are the platform's libm, whose last bit may differ from NumPy's SIMD functions: the
two agree to rounding, not bit for bit (``docs/design/decisions.md``, *Performance*).
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["pattern_kernel", "pattern_reference"]


@numba.njit(cache=True)
def pattern_kernel(  # pragma: no cover - numba
    az,
    el,
    types,
    row,
    revolving,
    lobe_az,
    lobe_el,
    lobe_inverse_el_width_sq,
    planform_exponent,
    figures,
    amplitude,
    inverse_width_sq,
    out,
):
    """Mean RCS of each radar-target pair at its aspect, m², into ``out``.

    Parameters
    ----------
    az, el : (n,) float64
        Aspect azimuth (any sign or turn; folded by left/right symmetry) and elevation, rad.
    types : (n,) int
        Each pair's target type (row of the per-type arrays).
    row : (n,) int
        Each pair's row of the per-band arrays (its type at its frequency).
    revolving : (n_types,) bool
        Bodies of revolution: the off-axis angle in place of az, el = 0.
    lobe_az, lobe_el, lobe_inverse_el_width_sq : (n_types, n_lobes) float64
        Lobe centres (rad) and ``4 ln2 / V^2`` (1/rad^2).
    planform_exponent : (n_types,) float64
    figures : (3, n_rows) float64
        Nose-on RCS (m²), planform flash above and below the wings (linear) per row.
    amplitude, inverse_width_sq : (n_rows, n_lobes) float64
        Lobe power over nose-on (linear) and ``4 ln2 / W^2`` (1/rad^2) per row.
    out : (n,) float64
        Written (NaN where the aspect is NaN).
    """
    n_lobes = lobe_az.shape[1]
    for i in range(out.shape[0]):
        t, r = types[i], row[i]
        a, e = abs(az[i]), el[i]
        if a > math.pi:
            a = abs((a + math.pi) % (2.0 * math.pi) - math.pi)
        if revolving[t]:
            cos_off_axis = math.cos(e) * math.cos(a)
            if cos_off_axis > 1.0:  # clipped, NaN kept
                cos_off_axis = 1.0
            elif cos_off_axis < -1.0:
                cos_off_axis = -1.0
            a, e = math.acos(cos_off_axis), 0.0
        lobe_sum = 0.0
        for k in range(n_lobes):
            d_az = a - lobe_az[t, k]
            d_el = e - lobe_el[t, k]
            exponent = d_az * d_az * inverse_width_sq[r, k]
            exponent += d_el * d_el * lobe_inverse_el_width_sq[t, k]
            lobe_sum += amplitude[r, k] * math.exp(-exponent)
        w = abs(math.sin(e)) ** planform_exponent[t]
        planform = figures[1, r] if e > 0.0 else figures[2, r]
        out[i] = figures[0, r] * ((1.0 - w) * (1.0 + lobe_sum) + w * planform)


def pattern_reference(
    az: np.ndarray,
    el: np.ndarray,
    types: np.ndarray,
    row: np.ndarray,
    revolving: np.ndarray,
    lobe_az: np.ndarray,
    lobe_el: np.ndarray,
    lobe_inverse_el_width_sq: np.ndarray,
    planform_exponent: np.ndarray,
    figures: np.ndarray,
    amplitude: np.ndarray,
    inverse_width_sq: np.ndarray,
) -> np.ndarray:
    """The formula of :func:`pattern_kernel` in NumPy (module docstring of
    :mod:`iadsim.sensors.signature_pattern`), returning its ``out``."""
    az = np.abs(az)
    az = np.where(az > np.pi, np.abs(np.remainder(az + np.pi, 2 * np.pi) - np.pi), az)
    spin = revolving[types]
    off_axis = np.arccos(np.clip(np.cos(el) * np.cos(az), -1.0, 1.0))
    az, el = np.where(spin, off_axis, az), np.where(spin, 0.0, el)
    d_az = az[:, None] - lobe_az[types]
    d_el = el[:, None] - lobe_el[types]
    exponent = d_az**2 * inverse_width_sq[row] + d_el**2 * lobe_inverse_el_width_sq[types]
    gain = 1.0 + (amplitude[row] * np.exp(-exponent)).sum(axis=1)
    weight = np.abs(np.sin(el)) ** planform_exponent[types]
    planform = np.where(el > 0.0, figures[1, row], figures[2, row])
    return np.asarray(figures[0, row] * ((1.0 - weight) * gain + weight * planform))
