"""The SNR of every look of a sensing step through the fused default chain at once.

:func:`iadsim.sensors.fused_chain.fused_snr_db` of each look's pairs, computed over the
pairs of all looks of the step (:mod:`iadsim.sensors._step_chain_kernels`): the same
operations on every path, in one compiled call per pass and one NumPy call per
transcendental function for the step instead of per look. A look whose ground clutter
shortcut fails gets the clutter's full computation on its slice, as ``fused_snr_db`` does;
a look whose clear-air shortcut fails is left to ``fused_snr_db`` (it reads the paths).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from iadsim.sensors._chain_kernels import CLEAR_AIR_LOSS, CLUTTER, chain_sum_kernel
from iadsim.sensors._step_chain_kernels import (
    step_notch_kernel,
    step_sum_kernel,
    step_terms_kernel,
)
from iadsim.sensors.fused_chain import clutter_change_db

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = ["step_snr_db"]


def step_snr_db(
    radars: Sequence[Radar],
    stops: NDArray[np.int64],
    aer: NDArray[np.float64],
    rcs_m2: NDArray[np.float64],
    target_pos_ecef_m: NDArray[np.float64],
    target_vel_ecef_mps: NDArray[np.float64],
    obstacle: NDArray[np.float64],
    radar_rows: NDArray[np.float64],
    constants: NDArray[np.float64],
    reference_snr_db: NDArray[np.float64],
) -> tuple[NDArray[np.float64], list[int]]:
    """SNR of the ``p`` pairs of a step's ``k`` looks, each look's radar with the default
    chain, dB ``(p,)``, and each look's flags (a list of k int): where they hold
    :data:`~iadsim.sensors._chain_kernels.CLEAR_AIR_LOSS`, that look's slice is NaN, not
    computed (the caller runs ``fused_snr_db`` on it).

    Parameters
    ----------
    radars : sequence of k Radar
    stops : (k,) int64
        End of each look's slice of the pairs.
    aer : (p, 3) float64
        Azimuth (rad), elevation (rad) and slant range (m) of each pair.
    rcs_m2 : (p,) float64
    target_pos_ecef_m, target_vel_ecef_mps : (p, 3) float64
    obstacle : (3, p) float64
        Each pair's dominant obstacle: height above the ray, d1, d2 (m).
    radar_rows : (k, >= 3) float64
        Each look's radar position, ECEF m, first.
    constants : (k, N_CHAIN_CONSTANTS) float64
        Each look's radar's ``_chain_constants``.
    reference_snr_db : (k,) float64
        Each look's radar's ``reference_snr_db``.
    """
    range_m = aer[:, 2]
    out = np.empty((4, range_m.shape[0]))
    flags = np.empty(stops.shape[0], dtype=np.int64)
    step_terms_kernel(
        stops,
        range_m,
        rcs_m2,
        target_pos_ecef_m,
        target_vel_ecef_mps,
        radar_rows,
        obstacle[0],
        obstacle[1],
        obstacle[2],
        constants,
        out,
        flags,
    )
    notch = out[2]
    np.expm1(notch, out=notch)
    step_notch_kernel(stops, constants, notch)
    np.log10(out, out=out)
    snr = out[0]  # the radar equation's row, overwritten path by path with the sum
    step_sum_kernel(stops, flags, reference_snr_db, out, snr)
    bits_of_look = flags.tolist()
    if any(bits_of_look):
        start = 0
        for row, stop in enumerate(stops.tolist()):
            bits = bits_of_look[row]
            if bits & CLEAR_AIR_LOSS:  # left to fused_snr_db: NaN here
                snr[start:stop] = np.nan
            elif bits == CLUTTER:  # fused_snr_db's clutter branch on the look's slice
                radar = radars[row]
                logs = out[:, start:stop]
                changes = np.empty((2, stop - start))
                changes[1] = clutter_change_db(
                    radar, range_m[start:stop], aer[start:stop, 1], logs[1]
                )
                chain_sum_kernel(logs, radar.reference_snr_db, changes, bits, snr[start:stop])
            start = stop
    return snr, bits_of_look
