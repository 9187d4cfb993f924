"""Numba kernels of the aspect patterns' arithmetic, bit-equal to the NumPy formulas.

:meth:`iadsim.sensors.signature_pattern.AspectPatterns.rcs_m2` evaluates a step's few dozen
radar-target pairs over a handful of lobes: some twenty NumPy operations on arrays of a
hundred elements, whose per-call cost outweighs the arithmetic. These kernels do the
additions, products and selections between NumPy's exponential, sine and power:

* :func:`lobe_exponent_kernel` - the negated Gaussian exponent of every pair and lobe;
  twin :func:`lobe_exponent_reference`.
* :func:`pattern_rcs_kernel` - the lobe gain, the planform flash and the nose-on value
  combined into the mean RCS; twin :func:`pattern_rcs_reference`.

They hold only subtractions, additions, products and comparisons, in NumPy's order.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "lobe_exponent_kernel",
    "lobe_exponent_reference",
    "pattern_rcs_kernel",
    "pattern_rcs_reference",
]


@numba.njit(cache=True)
def lobe_exponent_kernel(  # pragma: no cover - numba
    az, el, types, row, lobe_az, lobe_el, lobe_inverse_el_width_sq, inverse_width_sq, out
):
    """Negated exponent of each pair's lobes, into ``out``:
    ``-(d_az^2 4ln2/W^2 + d_el^2 4ln2/V^2)`` with ``d_az``, ``d_el`` the pair's aspect
    less the lobe's centre.

    Parameters
    ----------
    az, el : (n,) float64
        Aspect azimuth (folded) and elevation of each pair, rad.
    types : (n,) int
        Each pair's row of the per-type lobe arrays.
    row : (n,) int
        Each pair's row of the per-band array ``inverse_width_sq``.
    lobe_az, lobe_el, lobe_inverse_el_width_sq : (n_types, n_lobes) float64
        Lobe centres (rad) and ``4 ln2 / V^2`` (1/rad^2).
    inverse_width_sq : (n_rows, n_lobes) float64
        ``4 ln2 / W^2`` at the pairs' frequencies, 1/rad^2.
    out : (n, n_lobes) float64
        Written.
    """
    n, n_lobes = out.shape
    for i in range(n):
        t = types[i]
        r = row[i]
        for k in range(n_lobes):
            d_az = az[i] - lobe_az[t, k]
            d_el = el[i] - lobe_el[t, k]
            out[i, k] = -(
                d_az * d_az * inverse_width_sq[r, k] + d_el * d_el * lobe_inverse_el_width_sq[t, k]
            )


def lobe_exponent_reference(
    az: np.ndarray,
    el: np.ndarray,
    types: np.ndarray,
    row: np.ndarray,
    lobe_az: np.ndarray,
    lobe_el: np.ndarray,
    lobe_inverse_el_width_sq: np.ndarray,
    inverse_width_sq: np.ndarray,
) -> np.ndarray:
    """NumPy twin of :func:`lobe_exponent_kernel`, returning its ``out``."""
    d_az = az[:, None] - lobe_az[types]
    d_el = el[:, None] - lobe_el[types]
    exponent = d_az * d_az * inverse_width_sq[row] + d_el * d_el * lobe_inverse_el_width_sq[types]
    return np.asarray(-exponent)


@numba.njit(cache=True)
def pattern_rcs_kernel(  # pragma: no cover - numba
    lobe_sum, weight, el, row, nose_m2, planform_top, planform_bottom, out
):
    """Mean RCS of each pair, m², into ``out``:
    ``nose * ((1 - w) * (1 + lobe_sum) + w * planform)``, the planform flash the top one
    where ``el > 0`` and the bottom one elsewhere.

    Parameters
    ----------
    lobe_sum : (n,) float64
        Sum over the lobes of amplitude times Gaussian.
    weight : (n,) float64
        Planform weight ``|sin el|^n``.
    el : (n,) float64
        Aspect elevation, rad.
    row : (n,) int
        Each pair's row of the per-band arrays.
    nose_m2, planform_top, planform_bottom : (n_rows,) float64
    out : (n,) float64
        Written.
    """
    for i in range(out.shape[0]):
        r = row[i]
        gain = 1.0 + lobe_sum[i]
        planform = planform_top[r] if el[i] > 0.0 else planform_bottom[r]
        w = weight[i]
        out[i] = nose_m2[r] * ((1.0 - w) * gain + w * planform)


def pattern_rcs_reference(
    lobe_sum: np.ndarray,
    weight: np.ndarray,
    el: np.ndarray,
    row: np.ndarray,
    nose_m2: np.ndarray,
    planform_top: np.ndarray,
    planform_bottom: np.ndarray,
) -> np.ndarray:
    """NumPy twin of :func:`pattern_rcs_kernel`, returning its ``out``."""
    gain = 1.0 + lobe_sum
    planform = np.where(el > 0.0, planform_top[row], planform_bottom[row])
    return np.asarray(nose_m2[row] * ((1.0 - weight) * gain + weight * planform))
