"""The default sensor chain of one look in two compiled passes, bit-equal to the chain.

:func:`iadsim.sensors.chain.snr_db` adds the radar equation and each signal effect's SNR
change one array at a time: some fifty small NumPy operations per look, whose per-call cost
outweighs the arithmetic on a few dozen paths. For a radar with exactly the default effects
(:data:`~iadsim.sensors.chain.DEFAULT_SIGNAL_EFFECTS`, in that order) and paths that carry
obstacles and velocities, :func:`default_chain_snr_db` gives the same SNR with the same
floating-point operations in the same order:

1. :func:`~iadsim.sensors._chain_kernels.chain_terms_kernel` forms the arguments of the
   logarithms of the radar equation and of the knife-edge loss and the Doppler notch's
   exponent, and runs the shortcut tests of the clear-air attenuation (every path inside
   the reference range) and the ground clutter (no range cell reaching the ground), whose
   changes are then ``-0.0`` dB (adding them changes nothing);
2. NumPy takes the notch's ``expm1`` and every ``log10`` (the compiled versions would not
   match NumPy's to the last bit);
3. :func:`~iadsim.sensors._chain_kernels.chain_sum_kernel` adds the terms in the chain's
   order, with the change of any effect whose shortcut failed computed by the effect itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from iadsim.core.contracts import RadarPaths
from iadsim.geo.frames import WGS84_A_M
from iadsim.sensors._chain_kernels import (
    CLEAR_AIR_LOSS,
    CLUTTER,
    chain_sum_kernel,
    chain_terms_kernel,
    clutter_exponent_kernel,
    clutter_ratio_kernel,
    clutter_sines_kernel,
)
from iadsim.sensors.clutter import (
    EFFECTIVE_EARTH_K,
    SIDELOBE_TWO_WAY_DB,
    GroundClutter,
    gamma_at_frequency_db,
)
from iadsim.sensors.diffraction import KNIFE_EDGE_MIN_V, SPEED_OF_LIGHT_MPS, TerrainDiffraction
from iadsim.sensors.doppler_notch import DopplerNotch
from iadsim.sensors.radar_equation import INSIDE_REFERENCE_SHARE, ClearAirAttenuation

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = [
    "DEFAULT_EFFECT_TYPES",
    "chain_constants",
    "clutter_change_db",
    "default_chain_snr_db",
    "fused_snr_db",
    "has_default_chain",
    "with_antenna_agl",
]

_ANTENNA_AGL = 7
"""Index of the antenna's height above the ground in :func:`chain_constants`."""

DEFAULT_EFFECT_TYPES = (ClearAirAttenuation, TerrainDiffraction, GroundClutter, DopplerNotch)
"""The classes of :data:`~iadsim.sensors.chain.DEFAULT_SIGNAL_EFFECTS`, in order."""


def has_default_chain(radar: Radar) -> bool:
    """Whether the radar's signal effects are exactly the default ones, in order (any
    settings: a clutter effect's ``gamma_db`` enters only its full computation)."""
    effects = radar.signal_effects
    return len(effects) == len(DEFAULT_EFFECT_TYPES) and all(
        type(effect) is kind for effect, kind in zip(effects, DEFAULT_EFFECT_TYPES, strict=True)
    )


def chain_constants(radar: Radar) -> NDArray[np.float64]:
    """The ``constants`` row of :func:`~iadsim.sensors._chain_kernels.chain_terms_kernel`
    for a radar with the default chain, each computed as its effect computes it,
    ``(N_CHAIN_CONSTANTS,)``."""
    spec = radar.spec
    terms = radar.chain_terms
    wavelength_m = float(SPEED_OF_LIGHT_MPS / spec.frequency_hz)
    clutter = radar.signal_effects[2]
    assert isinstance(clutter, GroundClutter)
    # constant_gamma_sigma0's gamma at the radar's frequency, the same NumPy operations
    gamma_db = gamma_at_frequency_db(clutter.gamma_db, spec.frequency_hz)
    gamma = 10.0 ** (np.asarray(gamma_db, np.float64) / 10.0)
    return np.array(
        [
            spec.reference_rcs_m2,
            spec.detection_range_m,
            INSIDE_REFERENCE_SHARE * spec.detection_range_m,
            terms.doppler_notch_mps,
            -np.log(2.0),
            2.0 / wavelength_m,
            KNIFE_EDGE_MIN_V,
            float(terms.antenna_height_agl_m),  # _ANTENNA_AGL
            EFFECTIVE_EARTH_K * WGS84_A_M,
            10.0 ** (-terms.clutter_improvement_db / 10.0),
            gamma,
            terms.beamwidth_rad,
            terms.range_resolution_m,
            -80.0 * np.log10(2.0),
            SIDELOBE_TWO_WAY_DB,
            terms.clutter_improvement_db,
        ]
    )


def with_antenna_agl(constants: NDArray[np.float64], antenna_agl_m: float) -> NDArray[np.float64]:
    """A copy of a radar's :func:`chain_constants` for the same radar with its antenna at
    another height above the ground (an airborne radar moved), m."""
    moved = constants.copy()
    moved[_ANTENNA_AGL] = float(antenna_agl_m)
    return moved


def default_chain_snr_db(
    radar: Radar, paths: RadarPaths, rcs_m2: NDArray[np.float64]
) -> NDArray[np.float64] | None:
    """:func:`iadsim.sensors.chain.snr_db` of a radar with the default chain
    (:func:`has_default_chain`), dB ``(n,)``; None where the paths lack obstacles,
    velocities or this radar's terms, or ``rcs_m2`` is not an ``(n,)`` float64 array (the
    chain then runs effect by effect)."""
    height, d1, d2 = paths.obstacle_height_m, paths.obstacle_d1_m, paths.obstacle_d2_m
    velocity = paths.target_vel_ecef_mps
    if (
        height is None
        or d1 is None
        or d2 is None
        or velocity is None
        or paths.radar is not radar.chain_terms
        or paths.frequency_hz != radar.spec.frequency_hz
        or paths.reference_range_m != radar.spec.detection_range_m
        or type(rcs_m2) is not np.ndarray
        or rcs_m2.dtype != np.float64
        or rcs_m2.shape != paths.range_m.shape
        or height.ndim != 1
    ):
        return None
    return fused_snr_db(
        radar,
        paths.range_m,
        paths.elevation_rad,
        rcs_m2,
        paths.target_pos_ecef_m,
        velocity,
        height,
        d1,
        d2,
        lambda: paths,
    )


def fused_snr_db(
    radar: Radar,
    range_m: NDArray[np.float64],
    elevation_rad: NDArray[np.float64],
    rcs_m2: NDArray[np.float64],
    target_pos_ecef_m: NDArray[np.float64],
    target_vel_ecef_mps: NDArray[np.float64],
    height_m: NDArray[np.float64],
    d1_m: NDArray[np.float64],
    d2_m: NDArray[np.float64],
    paths: Callable[[], RadarPaths],
) -> NDArray[np.float64]:
    """SNR of ``n`` paths of a radar with the default chain, dB ``(n,)``.

    Parameters
    ----------
    radar : Radar
        With :func:`has_default_chain`.
    range_m, elevation_rad, rcs_m2 : (n,) float64
        Slant range (m), elevation (rad) and mean RCS (m^2) of each path.
    target_pos_ecef_m, target_vel_ecef_mps : (n, 3) float64
    height_m, d1_m, d2_m : (n,) float64
        The paths' dominant obstacles (:class:`~iadsim.geo.terrain_obstacle.DominantObstacle`).
    paths : callable
        ``paths()`` gives the same paths as :class:`~iadsim.core.contracts.RadarPaths` of
        this radar, asked for only when an effect's shortcut fails.
    """
    constants = radar._chain_constants
    out = np.empty((4, range_m.shape[0]))
    flags = chain_terms_kernel(
        range_m,
        rcs_m2,
        target_pos_ecef_m,
        target_vel_ecef_mps,
        radar.pos_ecef_m,
        height_m,
        d1_m,
        d2_m,
        constants,
        out,
    )
    notch = out[2]
    if constants[3] > 0.0:  # DopplerNotch's max(-expm1(x), floor), in place
        np.expm1(notch, out=notch)
        np.negative(notch, out=notch)
        np.maximum(notch, constants[9], out=notch)
    else:  # no notch: 10 log10(1) = +0.0 dB, the zeros the effect adds
        notch.fill(1.0)
    np.log10(out, out=out)
    changes = out
    if flags:  # an effect's shortcut failed: its full computation
        changes = np.empty((2, range_m.shape[0]))
        if flags & CLEAR_AIR_LOSS:
            changes[0] = radar.signal_effects[0].snr_change_db(paths())
        if flags & CLUTTER:
            changes[1] = clutter_change_db(radar, range_m, elevation_rad, out[1])
    snr = out[0]  # the radar equation's row, overwritten path by path with the sum
    chain_sum_kernel(out, radar.reference_snr_db, changes, flags, snr)
    return snr


def clutter_change_db(
    radar: Radar,
    range_m: NDArray[np.float64],
    elevation_rad: NDArray[np.float64],
    log_range_ratio: NDArray[np.float64],
) -> NDArray[np.float64]:
    """:meth:`GroundClutter.snr_change_db <iadsim.sensors.clutter.GroundClutter.snr_change_db>`
    past its horizon shortcut, ``-10 log10(1 + CNR)`` dB ``(n,)``: the same operations, the
    arithmetic compiled between NumPy's arcsine, sine, cosine, log10 and power.

    Parameters
    ----------
    radar : Radar
        With the default chain.
    range_m, elevation_rad : (n,) float64
    log_range_ratio : (n,) float64
        ``log10(R_ref / max(R, 1))``, the radar equation's (the clutter's is the same).
    """
    constants = radar._chain_constants
    work = np.empty((7, range_m.shape[0]))
    clutter_sines_kernel(range_m, constants[7], constants[8], work)
    angles = work[:2]
    np.arcsin(angles, out=angles)  # grazing, depression
    np.sin(work[0], out=work[2])
    np.cos(work[0], out=work[3])
    clutter_ratio_kernel(range_m, elevation_rad, constants, work)
    ratio = work[4]
    np.log10(ratio, out=work[5], where=ratio != 0.0)  # -inf kept where no ground echoes
    clutter_exponent_kernel(log_range_ratio, radar.reference_snr_db, constants[15], work)
    cnr = work[0]
    np.power(10.0, cnr, out=cnr)
    np.add(cnr, 1.0, out=cnr)
    np.log10(cnr, out=cnr)
    return -10.0 * cnr
