"""Numba kernels of the default sensor chain of one look, bit-equal to the NumPy chain.

* :func:`chain_terms_kernel` - the arguments of the logarithms of the radar equation and
  the knife-edge loss, the Doppler notch's exponent, and the shortcut tests of the
  clear-air and clutter effects; twin :func:`chain_terms_reference`.
* :func:`clutter_sines_kernel`, :func:`clutter_ratio_kernel` and
  :func:`clutter_exponent_kernel` - the ground clutter's arithmetic between NumPy's
  arcsine, sine, cosine, log10 and power (:mod:`iadsim.sensors.fused_chain`).
* :func:`measurement_kernel` - the errors and noisy measurements of a look's detections;
  twin :func:`measurement_reference`.
* :func:`chain_sum_kernel` - the radar equation from the logarithms and the effects'
  changes added in the chain's order; twin :func:`chain_sum_reference`.

They hold only additions, products, quotients, square roots and comparisons, in NumPy's
order; the logarithms and ``expm1`` stay in NumPy (:mod:`iadsim.sensors.fused_chain`).
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.sensors._kernels import _remainder, line_of_sight_speed, line_of_sight_speed_kernel
from iadsim.sensors.scan_pattern import TWO_PI

__all__ = [
    "CLEAR_AIR_LOSS",
    "CLUTTER",
    "N_CHAIN_CONSTANTS",
    "chain_sum_kernel",
    "chain_sum_reference",
    "chain_terms_kernel",
    "chain_terms_reference",
    "clutter_exponent_kernel",
    "clutter_ratio_kernel",
    "clutter_sines_kernel",
    "measurement_kernel",
    "measurement_reference",
]

CLEAR_AIR_LOSS = 1
"""Flag of :func:`chain_terms_kernel`: a path is longer than the clear-air shortcut allows."""
CLUTTER = 2
"""Flag: a path's range cell reaches the ground inside the clutter horizon."""
N_CHAIN_CONSTANTS = 16
"""Length of the ``constants`` row of :func:`chain_terms_kernel`."""


@numba.njit(cache=True)
def chain_terms_kernel(  # pragma: no cover - numba
    range_m,
    rcs_m2,
    target_pos_ecef_m,
    target_vel_ecef_mps,
    radar_pos_ecef_m,
    height_m,
    d1_m,
    d2_m,
    constants,
    out,
):
    """Arguments of the chain's logarithms into ``out`` and the effects that need their
    full computation, as flags.

    Parameters
    ----------
    range_m, rcs_m2 : (n,) float64
        Slant range (m) and mean RCS (m^2) of each path.
    target_pos_ecef_m, target_vel_ecef_mps : (n, 3) float64
    radar_pos_ecef_m : (3,) float64
    height_m, d1_m, d2_m : (n,) float64
        Height above the ray (m) and distances (m) of each path's dominant obstacle.
    constants : (N_CHAIN_CONSTANTS,) float64
        Reference RCS (m^2), reference range (m), the clear-air shortcut's range limit (m),
        the notch's half-width (m/s, 0: no notch), ``-ln 2``, ``2 / lambda`` (1/m), the
        knife edge's no-loss ``v``, the antenna's height above the ground (m), the
        effective-earth radius of clutter (m), the notch's floor (linear), the
        clutter's gamma (linear), the beamwidth (rad), the range resolution (m), the
        beam's two-way gain per squared beamwidth off axis (dB) and its sidelobe floor
        (dB), and the clutter improvement factor (dB).
    out : (4, n) float64
        Out: ``rcs / rcs_ref``, ``R_ref / max(R, 1)``, the notch's exponent
        ``-ln 2 (v_r / v_n)^2`` (0 without a notch), and the argument
        ``sqrt((v - 0.1)^2 + 1) + v - 0.1`` of the knife-edge loss's logarithm where the
        Fresnel-Kirchhoff ``v`` exceeds the no-loss limit (NaN elsewhere: no loss).

    Returns
    -------
    int
        :data:`CLEAR_AIR_LOSS` and :data:`CLUTTER`, or-ed: the effects whose shortcut
        fails.
    """
    n = range_m.shape[0]
    reference_rcs, reference_range, inside_limit = constants[0], constants[1], constants[2]
    notch_mps, minus_ln2, fresnel_scale, no_loss_v = (
        constants[3],
        constants[4],
        constants[5],
        constants[6],
    )
    flags = 0
    nearest = np.inf
    for i in range(n):
        r = range_m[i]
        out[0, i] = rcs_m2[i] / reference_rcs
        floored = r if (r >= 1.0 or r != r) else 1.0  # np.maximum(r, 1.0): NaN stays
        out[1, i] = reference_range / floored
        if not r <= inside_limit:  # ClearAirAttenuation's shortcut fails
            flags |= CLEAR_AIR_LOSS
        # TerrainDiffraction: fresnel_parameter_kernel's v, then v > -0.78
        v = height_m[i] * np.sqrt(fresnel_scale * (1.0 / d1_m[i] + 1.0 / d2_m[i]))
        if v > no_loss_v:  # knife_edge_loss_db's operations up to its log10
            x = v - 0.1
            out[3, i] = np.sqrt(x * x + 1.0) + x
        else:
            out[3, i] = np.nan
        # np.minimum.reduce: the first NaN wins
        if nearest == nearest and (r < nearest or r != r):
            nearest = r
        if notch_mps > 0.0:  # DopplerNotch: line_of_sight_speed_kernel against the ground
            lx = target_pos_ecef_m[i, 0] - radar_pos_ecef_m[0]
            ly = target_pos_ecef_m[i, 1] - radar_pos_ecef_m[1]
            lz = target_pos_ecef_m[i, 2] - radar_pos_ecef_m[2]
            vx = target_vel_ecef_mps[i, 0] - 0.0
            vy = target_vel_ecef_mps[i, 1] - 0.0
            vz = target_vel_ecef_mps[i, 2] - 0.0
            distance = np.sqrt((lx * lx + ly * ly) + lz * lz)
            if not distance >= 1.0:
                distance = 1.0 if distance == distance else distance
            radial = ((lx * vx + lz * vz) + ly * vy) / distance
            ratio = radial / notch_mps
            out[2, i] = minus_ln2 * (ratio * ratio)
        else:
            out[2, i] = 0.0
    if n and _clutter_in_range(range_m, nearest, constants[7], constants[8]):
        flags |= CLUTTER
    return flags


@numba.njit(cache=True)
def _clutter_in_range(range_m, nearest, antenna_agl_m, radius):  # pragma: no cover - numba
    """``not beyond_clutter_horizon(antenna_agl_m, range_m)``
    (:func:`iadsim.sensors.clutter.beyond_clutter_horizon`, the same operations) given the
    shortest range ``nearest`` (NaN when a range is NaN)."""
    top = radius + antenna_agl_m
    if nearest == nearest:
        nearest = max(nearest, 1.0)
        return top * top - radius * radius - nearest * nearest > 0.0
    for i in range(range_m.shape[0]):
        r = range_m[i]
        r = r if (r >= 1.0 or r != r) else 1.0
        if (top * top - radius * radius - r * r) / (2.0 * radius * r) > 0.0:
            return True
    return False


def chain_terms_reference(
    range_m: np.ndarray,
    rcs_m2: np.ndarray,
    target_pos_ecef_m: np.ndarray,
    target_vel_ecef_mps: np.ndarray,
    radar_pos_ecef_m: np.ndarray,
    height_m: np.ndarray,
    d1_m: np.ndarray,
    d2_m: np.ndarray,
    constants: np.ndarray,
    out: np.ndarray,
) -> int:
    """NumPy twin of :func:`chain_terms_kernel`."""
    from iadsim.sensors.clutter import beyond_clutter_horizon
    from iadsim.sensors.doppler_notch import ground_radial_velocity_mps

    out[0] = rcs_m2 / constants[0]
    out[1] = constants[1] / np.maximum(range_m, 1.0)
    radial = ground_radial_velocity_mps(radar_pos_ecef_m, target_pos_ecef_m, target_vel_ecef_mps)
    out[2] = constants[4] * (radial / constants[3]) ** 2 if constants[3] > 0.0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        v = height_m * np.sqrt(constants[5] * (1.0 / d1_m + 1.0 / d2_m))
    above = v > constants[6]
    x = np.where(above, v, 0.0) - 0.1
    out[3] = np.where(above, np.sqrt(x * x + 1.0) + x, np.nan)
    flags = 0 if np.all(range_m <= constants[2]) else CLEAR_AIR_LOSS
    flags |= 0 if beyond_clutter_horizon(float(constants[7]), range_m) else CLUTTER
    return flags


@numba.njit(cache=True)
def chain_sum_kernel(logs, reference_snr_db, changes, flags, snr):  # pragma: no cover - numba
    """SNR of each path, dB, into ``snr``: the radar equation from the logarithms, then the
    clear-air change if flagged, the knife-edge loss ``-2 J(v)``, the clutter change if
    flagged, and the notch's change, in the chain's order (a ``-0.0`` dB change, which
    adding would not alter, is skipped). Written into an array the caller holds rather
    than returned: a compiled function's new array costs a Python call to box.

    Parameters
    ----------
    logs : (4, n) float64
        ``log10`` of :func:`chain_terms_kernel`'s ``out`` (the notch's row turned into its
        floored response before).
    reference_snr_db : float
    changes : (2, n) float64
        SNR changes of the clear-air and clutter effects, dB, read only where ``flags``
        has their bit.
    flags : int
        As :func:`chain_terms_kernel` returns them.
    snr : (n,) float64
        Written: the SNR of each path, dB. It may be ``logs[0]`` (each path's terms are
        read before its SNR is written).
    """
    n = logs.shape[1]
    for i in range(n):
        s = (reference_snr_db + 10.0 * logs[0, i]) + 40.0 * logs[1, i]
        if flags & CLEAR_AIR_LOSS:
            s = s + changes[0, i]
        knife = logs[3, i]
        if knife == knife:  # -2 np.maximum(6.9 + 20 log10(.), 0.0)
            loss = 6.9 + 20.0 * knife
            s = s + -2.0 * (loss if (loss >= 0.0 or loss != loss) else 0.0)
        if flags & CLUTTER:
            s = s + changes[1, i]
        snr[i] = s + 10.0 * logs[2, i]


def chain_sum_reference(
    logs: np.ndarray, reference_snr_db: float, changes: np.ndarray, flags: int
) -> np.ndarray:
    """NumPy twin of :func:`chain_sum_kernel`."""
    snr = reference_snr_db + 10.0 * logs[0] + 40.0 * logs[1]
    if flags & CLEAR_AIR_LOSS:
        snr = snr + changes[0]
    above = ~np.isnan(logs[3])
    snr = np.where(above, snr + -2.0 * np.maximum(6.9 + 20.0 * logs[3], 0.0), snr)
    if flags & CLUTTER:
        snr = snr + changes[1]
    return np.asarray(snr + 10.0 * logs[2])


@numba.njit(cache=True)
def clutter_sines_kernel(range_m, antenna_agl_m, radius_m, work):  # pragma: no cover - numba
    """Sines of the grazing and depression angles of each range cell's ground patch,
    clipped to ``[-1, 1]`` (NaN kept), into ``work[0]`` and ``work[1]``: the operations of
    :func:`iadsim.sensors.clutter.grazing_and_depression_rad` before its arcsines.

    Parameters
    ----------
    range_m : (n,) float64
    antenna_agl_m, radius_m : float
        Antenna above the ground and the effective-earth radius, m.
    work : (7, n) float64
        Rows 0 and 1 written.
    """
    top = radius_m + antenna_agl_m
    for i in range(range_m.shape[0]):
        r = range_m[i]
        r = r if (r >= 1.0 or r != r) else 1.0
        work[0, i] = _clip_unit((top * top - radius_m * radius_m - r * r) / (2.0 * radius_m * r))
        work[1, i] = _clip_unit((top * top + r * r - radius_m * radius_m) / (2.0 * top * r))


@numba.njit(cache=True, inline="always")
def _clip_unit(x):  # pragma: no cover - numba
    """``np.minimum(np.maximum(x, -1.0), 1.0)`` of one float (NaN stays NaN)."""
    if x < -1.0:
        return -1.0
    if x > 1.0:
        return 1.0
    return x


@numba.njit(cache=True)
def clutter_ratio_kernel(  # pragma: no cover - numba
    range_m, elevation_rad, constants, work
):
    """Clutter RCS over the reference RCS into ``work[4]``, ``-inf`` into ``work[5]`` (its
    log10 where it is zero) and the beam's two-way gain towards the patch (dB) into
    ``work[6]``: the operations of :meth:`iadsim.sensors.clutter.GroundClutter.clutter_to_noise_db`
    between its trigonometric functions and its logarithms.

    Parameters
    ----------
    range_m, elevation_rad : (n,) float64
    constants : (N_CHAIN_CONSTANTS,) float64
        As :func:`chain_terms_kernel` takes them.
    work : (7, n) float64
        Rows 0-3: grazing and depression angles (rad), sine and cosine of the grazing angle.
    """
    reference_rcs, gamma, beamwidth, resolution = (
        constants[0],
        constants[10],
        constants[11],
        constants[12],
    )
    gain_per_square, sidelobe_db = constants[13], constants[14]
    for i in range(range_m.shape[0]):
        sine = work[2, i]
        sigma0 = gamma * (sine if (sine >= 0.0 or sine != sine) else 0.0)
        rcs = sigma0 * range_m[i] * beamwidth * resolution / work[3, i]
        work[4, i] = rcs / reference_rcs
        work[5, i] = -np.inf
        off_beam = (elevation_rad[i] + work[1, i]) / beamwidth
        gain = gain_per_square * (off_beam * off_beam)
        work[6, i] = gain if (gain >= sidelobe_db or gain != gain) else sidelobe_db


@numba.njit(cache=True)
def clutter_exponent_kernel(  # pragma: no cover - numba
    log_range_ratio, reference_snr_db, improvement_db, work
):
    """``CNR / 10`` of each path (``-inf`` where the grazing angle is not positive) into
    ``work[0]``, from the log10 of the clutter RCS ratio in ``work[5]`` and of
    ``R_ref / max(R, 1)`` in ``log_range_ratio``; the sum of
    :meth:`iadsim.sensors.clutter.GroundClutter.clutter_to_noise_db` in its order."""
    for i in range(log_range_ratio.shape[0]):
        cnr = ((reference_snr_db + 10.0 * work[5, i]) + 40.0 * log_range_ratio[i]) + work[6, i]
        cnr = cnr - improvement_db
        work[0, i] = (cnr if work[0, i] > 0.0 else -np.inf) / 10.0


@numba.njit(cache=True)
def measurement_kernel(  # pragma: no cover - numba
    rows,
    aer,
    snr_linear,
    noise,
    target_pos_ecef_m,
    target_vel_ecef_mps,
    radar_pos_ecef_m,
    radar_vel_ecef_mps,
    terms,
    measures,
    out,
):
    """Measurement errors and measured values of ``m`` detections into ``out``: the
    operations of :meth:`iadsim.sensors.radar.Radar.measurement_sigmas`, of
    :func:`~iadsim.sensors._kernels.line_of_sight_speed_kernel` and of the noisy
    measurements of :meth:`~iadsim.sensors.radar.Radar.detect`; twin
    :func:`measurement_reference`.

    Parameters
    ----------
    rows : (m,) int64
        Row of each detection in the look's ``n`` visible targets (the arrays below).
    aer : (n, 3) float64
        True azimuth (rad), elevation (rad) and range (m).
    snr_linear : (n,) float64
    noise : (4, m) float64
        Standard normal draws for range, azimuth, elevation and range rate.
    target_pos_ecef_m, target_vel_ecef_mps : (n, 3) float64
        Read only where the range rate is measured.
    radar_pos_ecef_m, radar_vel_ecef_mps : (3,) float64
    terms : (8,) float64
        Range resolution (m), beamwidth (rad), velocity resolution (m/s), the least SNR
        put into the errors, the monopulse slope, and the floors of the range (m), angle
        (rad) and range-rate (m/s) errors.
    measures : bool
        Whether the range rate is measured (a pulse-Doppler radar, velocities known).
    out : (8, m) float64
        Out: measured range (m), azimuth in ``[0, 2 pi)`` and elevation (rad), their
        sigmas (m, rad, rad), the measured range rate and its sigma (m/s, NaN where not
        measured).
    """
    resolution, beamwidth, velocity_resolution = terms[0], terms[1], terms[2]
    snr_floor, slope = terms[3], terms[4]
    range_floor, angle_floor, range_rate_floor = terms[5], terms[6], terms[7]
    for i in range(rows.shape[0]):
        r = rows[i]
        s = snr_linear[r]
        root = np.sqrt(2.0 * (s if (s >= snr_floor or s != s) else snr_floor))
        sigma_r = _at_least(resolution / root, range_floor)
        sigma_a = _at_least(beamwidth / (slope * root), angle_floor)
        out[0, i] = aer[r, 2] + sigma_r * noise[0, i]
        out[1, i] = _remainder(aer[r, 0] + sigma_a * noise[1, i], TWO_PI)
        out[2, i] = aer[r, 1] + sigma_a * noise[2, i]
        out[3, i] = sigma_r
        out[4, i] = sigma_a
        out[5, i] = sigma_a
        if measures:
            sigma_v = _at_least(velocity_resolution / root, range_rate_floor)
            speed = line_of_sight_speed(
                radar_pos_ecef_m, target_pos_ecef_m, target_vel_ecef_mps, radar_vel_ecef_mps, r
            )
            out[6, i] = speed + sigma_v * noise[3, i]
            out[7, i] = sigma_v
        else:
            out[6, i] = np.nan
            out[7, i] = np.nan


@numba.njit(cache=True, inline="always")
def _at_least(x, floor):  # pragma: no cover - numba
    """``np.maximum(x, floor)`` of one float (NaN stays NaN)."""
    return x if (x >= floor or x != x) else floor


def measurement_reference(
    rows: np.ndarray,
    aer: np.ndarray,
    snr_linear: np.ndarray,
    noise: np.ndarray,
    target_pos_ecef_m: np.ndarray,
    target_vel_ecef_mps: np.ndarray,
    radar_pos_ecef_m: np.ndarray,
    radar_vel_ecef_mps: np.ndarray,
    terms: np.ndarray,
    measures: bool,
    out: np.ndarray,
) -> None:
    """NumPy twin of :func:`measurement_kernel`."""
    aer, snr_linear = aer[rows], snr_linear[rows]
    target_pos_ecef_m, target_vel_ecef_mps = target_pos_ecef_m[rows], target_vel_ecef_mps[rows]
    root = np.sqrt(2.0 * np.maximum(snr_linear, terms[3]))
    sigma_r = np.maximum(terms[0] / root, terms[5])
    sigma_a = np.maximum(terms[1] / (terms[4] * root), terms[6])
    out[0] = aer[:, 2] + sigma_r * noise[0]
    out[1] = np.mod(aer[:, 0] + sigma_a * noise[1], 2.0 * np.pi)
    out[2] = aer[:, 1] + sigma_a * noise[2]
    out[3], out[4], out[5] = sigma_r, sigma_a, sigma_a
    if measures:
        range_rate = line_of_sight_speed_kernel(
            radar_pos_ecef_m, target_pos_ecef_m, target_vel_ecef_mps, radar_vel_ecef_mps
        )
        sigma_v = np.maximum(terms[2] / root, terms[7])
        out[6] = range_rate + sigma_v * noise[3]
        out[7] = sigma_v
    else:
        out[6] = out[7] = np.nan
