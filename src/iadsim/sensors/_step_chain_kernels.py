"""Numba kernels of the fused default chain over every look of a sensing step at once.

:func:`iadsim.sensors.fused_chain.fused_snr_db` runs two compiled passes and a few NumPy
calls per look. The sensing stage holds the radar-target pairs of all looks of a step in
one set of arrays, look by look (``stops``: where each look's slice ends), so these kernels
run the same per-look kernels (:func:`~iadsim.sensors._chain_kernels.chain_terms_kernel`,
:func:`~iadsim.sensors._chain_kernels.chain_sum_kernel`) over every look's slice in one
call each, and NumPy's ``expm1`` and ``log10`` run once over the step's rows: the same
operations on every path as the look-by-look chain (an element-wise ufunc's result does
not depend on the array around the element).
"""

from __future__ import annotations

import numba

from iadsim.sensors._chain_kernels import chain_sum_kernel, chain_terms_kernel

__all__ = ["step_notch_kernel", "step_sum_kernel", "step_terms_kernel"]


@numba.njit(cache=True)
def step_terms_kernel(  # pragma: no cover - numba
    stops,
    range_m,
    rcs_m2,
    target_pos_ecef_m,
    target_vel_ecef_mps,
    radar_rows,
    height_m,
    d1_m,
    d2_m,
    constants,
    out,
    flags,
):
    """:func:`~iadsim.sensors._chain_kernels.chain_terms_kernel` of each look's slice.

    Parameters
    ----------
    stops : (k,) int64
        End of each look's slice of the ``p`` pairs (a look with none: the previous end).
    range_m, rcs_m2, height_m, d1_m, d2_m : (p,) float64
    target_pos_ecef_m, target_vel_ecef_mps : (p, 3) float64
    radar_rows : (k, >= 3) float64
        Each look's radar position, ECEF m, first (its view-constants row).
    constants : (k, N_CHAIN_CONSTANTS) float64
        Each look's radar's chain constants.
    out : (4, p) float64
        Out: the terms of each look's slice.
    flags : (k,) int64
        Out: each look's flags (0 for a look without pairs).
    """
    start = 0
    for row in range(stops.shape[0]):
        stop = stops[row]
        flags[row] = 0
        if stop > start:
            flags[row] = chain_terms_kernel(
                range_m[start:stop],
                rcs_m2[start:stop],
                target_pos_ecef_m[start:stop],
                target_vel_ecef_mps[start:stop],
                radar_rows[row, :3],
                height_m[start:stop],
                d1_m[start:stop],
                d2_m[start:stop],
                constants[row],
                out[:, start:stop],
            )
        start = stop


@numba.njit(cache=True)
def step_notch_kernel(stops, constants, notch):  # pragma: no cover - numba
    """The Doppler notch's response of each look's slice of ``notch`` ``(p,)``, in place,
    after ``np.expm1`` of the step's exponents: ``np.maximum(-expm1, floor)`` (the floor,
    constant 9, of the look's radar; NaN stays NaN) where the radar has a notch (its
    constant 3 > 0), else 1 (whose ``log10`` is the +0.0 dB the effect adds)."""
    start = 0
    for row in range(stops.shape[0]):
        stop = stops[row]
        has_notch = constants[row, 3] > 0.0
        floor = constants[row, 9]
        for i in range(start, stop):
            if has_notch:
                value = -notch[i]
                notch[i] = value if (value >= floor or value != value) else floor
            else:
                notch[i] = 1.0
        start = stop


@numba.njit(cache=True)
def step_sum_kernel(stops, flags, reference_snr_db, logs, snr):  # pragma: no cover - numba
    """:func:`~iadsim.sensors._chain_kernels.chain_sum_kernel` of the slice of each look
    whose ``flags`` are 0 (no effect's full computation), into ``snr`` ``(p,)`` (it may be
    ``logs[0]``); ``reference_snr_db`` ``(k,)`` dB, each look's radar's; ``logs``
    ``(4, p)``."""
    start = 0
    for row in range(stops.shape[0]):
        stop = stops[row]
        if stop > start and flags[row] == 0:
            part = logs[:, start:stop]
            chain_sum_kernel(part, reference_snr_db[row], part, 0, snr[start:stop])
        start = stop
