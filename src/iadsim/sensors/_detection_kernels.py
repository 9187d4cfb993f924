"""Hot-path kernel: radar-equation SNR, Swerling 1 single-look Pd and the detection draw.

The sensing step evaluates every (target, sensor) pair every step, so this path is kept to
a handful of in-place NumPy passes over preallocated buffers:

    SNR = C sigma / R^4                      (radar equation, reference form;
                                              :mod:`iadsim.sensors.radar_equation`)
    Pd  = Pfa^(1/(1 + SNR)) = exp(ln(Pfa) / (1 + SNR))
                                             (Swerling 1, one look, square-law detector;
                                              Richards, *Fundamentals of Radar Signal
                                              Processing*, 2014, eq. 6.54)
    detected = u < Pd,  u ~ U[0, 1)

:func:`detect_swerling1_reference` is the plain per-pair twin the tests compare against.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "detect_swerling1",
    "detect_swerling1_reference",
    "pd_swerling1_single_look",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def pd_swerling1_single_look(
    snr: FloatArray, log_pfa: float | FloatArray, out: FloatArray | None = None
) -> FloatArray:
    """Swerling 1 single-look probability of detection, ``exp(ln(Pfa)/(1 + SNR))``.

    Parameters
    ----------
    snr : (n,) float64
        Mean single-pulse SNR, linear.
    log_pfa : float or (n,) float64
        Natural logarithm of the probability of false alarm (negative).
    out : (n,) float64, optional
        Buffer for the result; may be ``snr`` itself.

    Returns
    -------
    (n,) float64
        Probability of detection.
    """
    result = np.add(snr, 1.0, out=out)
    np.divide(log_pfa, result, out=result)
    return np.exp(result, out=result)


def detect_swerling1(
    range_m: FloatArray,
    rcs_m2: FloatArray,
    radar_constant_m2: float | FloatArray,
    log_pfa: float | FloatArray,
    uniform: FloatArray,
    pd_out: FloatArray | None = None,
) -> tuple[BoolArray, FloatArray]:
    """Detection flags and Pd for target-sensor pairs (Swerling 1, one look).

    Parameters
    ----------
    range_m : (n,) float64
        Slant range of each pair, m (``> 0``).
    rcs_m2 : (n,) float64
        Cross-section of the target seen by the sensor, m^2.
    radar_constant_m2 : float or (n,) float64
        ``C = SNR_ref R_ref^4 / sigma_ref`` of the sensor
        (:func:`iadsim.sensors.radar_equation.radar_constant_m2`), m^2.
    log_pfa : float or (n,) float64
        ``ln(Pfa)`` of the sensor.
    uniform : (n,) float64
        Uniform draws on [0, 1) from the caller's ``numpy.random.Generator``.
    pd_out : (n,) float64, optional
        Buffer for Pd, reused between steps to avoid allocations.

    Returns
    -------
    detected : (n,) bool
        ``uniform < Pd``.
    pd : (n,) float64
        Probability of detection of each pair.
    """
    pd = np.square(range_m, out=pd_out)
    np.square(pd, out=pd)  # R^4
    np.divide(rcs_m2, pd, out=pd)
    np.multiply(pd, radar_constant_m2, out=pd)  # SNR = C sigma / R^4
    pd_swerling1_single_look(pd, log_pfa, out=pd)
    return np.less(uniform, pd), pd


def detect_swerling1_reference(
    range_m: FloatArray,
    rcs_m2: FloatArray,
    radar_constant_m2: float,
    pfa: float,
    uniform: FloatArray,
) -> tuple[BoolArray, FloatArray]:
    """Per-pair loop twin of :func:`detect_swerling1` (math module, ``Pfa**(1/(1+SNR))``).

    Parameters
    ----------
    range_m, rcs_m2, uniform : (n,) float64
        As in :func:`detect_swerling1`.
    radar_constant_m2 : float
        Radar constant, m^2.
    pfa : float
        Probability of false alarm.

    Returns
    -------
    detected : (n,) bool
    pd : (n,) float64
    """
    n = len(range_m)
    detected = np.zeros(n, dtype=bool)
    pd = np.zeros(n)
    for i in range(n):
        snr = radar_constant_m2 * float(rcs_m2[i]) / float(range_m[i]) ** 4
        pd[i] = math.pow(pfa, 1.0 / (1.0 + snr))
        detected[i] = float(uniform[i]) < pd[i]
    return detected, pd
