"""Compiled inputs of a simulation step's flyout substeps (see
:func:`iadsim.weapons.fleet.substep_targets`, the NumPy twin a test compares it with).
"""

from __future__ import annotations

from numba import njit


@njit(cache=True)
def substep_targets_kernel(track_state, target_state, accel, sub_dt, out):
    """Track position, true target position and velocity at the start of each substep,
    written into ``out``: :func:`iadsim.weapons.fleet.substep_targets` element by element,
    the same operations in the same order (so the same bits), without its temporary arrays
    (and without returning arrays, each of which costs a Python call to box).

    Parameters
    ----------
    track_state, target_state : (capacity, 6) float64
        ECEF position (m) and velocity (m/s) at the step start.
    accel : (capacity, 3) float64
        True target acceleration, m/s^2.
    sub_dt : float
        Substep length, s.
    out : (3, substeps, capacity, 3) float64
        Filled with the track position, target position and target velocity.
    """
    track_pos, target_pos, target_vel = out[0], out[1], out[2]
    for k in range(out.shape[1]):
        elapsed = k * sub_dt
        mid = elapsed + 0.5 * sub_dt
        for i in range(out.shape[2]):
            for c in range(3):
                track_pos[k, i, c] = track_state[i, c] + track_state[i, 3 + c] * elapsed
                target_pos[k, i, c] = (
                    target_state[i, c]
                    + target_state[i, 3 + c] * elapsed
                    + 0.5 * accel[i, c] * (elapsed * elapsed)
                )
                target_vel[k, i, c] = target_state[i, 3 + c] + accel[i, c] * mid
