"""Radar detection statistics: probability of detection for the Swerling target models.

Model: a square-law detector followed by non-coherent integration of ``N`` pulses and a
fixed threshold set for a probability of false alarm ``Pfa``. With the noise power of each
pulse normalised to one, the integrated test statistic is ``y = sum_i |x_i|**2`` and the
noise-only statistic is Gamma(N, 1) distributed, so the threshold is

    T = Q^{-1}(N, Pfa)      (``scipy.special.gammainccinv``),

where ``Q(a, x)`` is the regularised upper incomplete gamma function and ``P = 1 - Q``.
``chi`` below is the *single-pulse* signal-to-noise ratio (linear), averaged over the
target fluctuation.

All expressions are exact (no series truncation, no quadrature); they follow from the
moment generating function of ``y`` and are the standard forms of Richards, *Fundamentals
of Radar Signal Processing* (2nd ed., 2014), sec. 6.3-6.5, and Mahafza, *Radar Systems
Analysis and Design Using MATLAB* (3rd ed., 2013), sec. 2.8-2.9:

* Swerling 0 (steady target): ``Pd = Q_N(sqrt(2 N chi), sqrt(2 T))``, the generalised
  Marcum Q, evaluated as the survival function of a non-central chi-square with ``2N``
  degrees of freedom and non-centrality ``2 N chi`` at ``2T``.
* Swerling 1 (exponential SNR, scan-to-scan): ``y = G + E`` with ``G ~ Gamma(N-1, 1)``
  and ``E ~ Exp(1 + N chi)``, giving
  ``Pd = Q(N-1, T) + (1 + 1/(N chi))**(N-1) P(N-1, T/(1 + 1/(N chi))) exp(-T/(1 + N chi))``;
  for ``N = 1`` this is ``Pd = Pfa**(1/(1 + chi))``.
* Swerling 2 (exponential SNR, pulse-to-pulse): ``Pd = Q(N, T/(1 + chi))``.
* Swerling 3 (chi-square, 4 degrees of freedom, scan-to-scan): ``y = G + H`` with
  ``G ~ Gamma(N-2, 1)`` and ``H ~ Gamma(2, c)``, ``c = 1 + N chi/2``; the convolution
  integral gives the closed form implemented in :func:`_pd_swerling3`; for ``N = 1`` the
  law of ``y`` is a two-term mixture of Gamma(1, c) and Gamma(2, c).
* Swerling 4 (chi-square, 4 degrees of freedom, pulse-to-pulse): the law of ``y`` is a
  binomial mixture ``sum_j Binom(j; N, b) Gamma(N + j, c)`` with ``c = 1 + chi/2`` and
  ``b = (chi/2)/c`` (finite sum of ``N + 1`` terms).

Functions accept NumPy arrays and broadcast ``snr_db``, ``pfa`` and ``n_pulses`` against
each other. Inputs are not validated (hot path): ``snr_db`` must be finite, ``0 < pfa < 1``,
``n_pulses`` a positive integer, ``0 < pd < 1``.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
from scipy import special, stats

__all__ = [
    "albersheim_snr_db",
    "detection_threshold",
    "pd",
    "pd_from_snr_linear",
    "pd_one_look",
    "pd_shnidman",
    "required_snr_db",
    "required_snr_db_shnidman",
]

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

SWERLING_CASES = (0, 1, 2, 3, 4)

# Bracket of the root search in required_snr_db, dB. Every Swerling Pd with
# Pfa >= 1e-16, N <= 10000 and Pd <= 1 - 1e-6 lies inside it (Swerling 1, N = 1 needs
# chi = ln(Pfa)/ln(Pd) - 1, i.e. 75.6 dB at Pfa 1e-16, Pd 1 - 1e-6).
_SNR_SEARCH_LOW_DB = -80.0
_SNR_SEARCH_HIGH_DB = 120.0
_BISECTION_STEPS = 56  # 200 dB / 2**56 < 1e-14 dB


def detection_threshold(pfa: ArrayLike, n_pulses: ArrayLike = 1) -> FloatArray:
    """Square-law detection threshold for a false-alarm probability.

    ``T = Q^{-1}(N, Pfa)``: the noise-only integrated statistic is Gamma(N, 1) when each
    pulse's noise power is normalised to one (Richards 2014, eq. 6.39).

    Parameters
    ----------
    pfa : array_like of float, any shape
        Probability of false alarm per resolution cell, ``0 < pfa < 1``.
    n_pulses : array_like of int, broadcastable with ``pfa``
        Number of non-coherently integrated pulses, ``>= 1``.

    Returns
    -------
    numpy.ndarray of float64
        Threshold in units of the single-pulse noise power.
    """
    return np.asarray(special.gammainccinv(n_pulses, pfa), dtype=np.float64)


def _q_upper(a: FloatArray, x: FloatArray) -> FloatArray:
    """Regularised upper incomplete gamma Q(a, x) with the limit Q(0, x) = 0."""
    return np.where(a > 0, special.gammaincc(np.maximum(a, 1.0), x), 0.0)


def _log_p_lower(a: FloatArray, x: FloatArray) -> FloatArray:
    """Logarithm of P(a, x), accurate where P itself underflows (x well below a).

    For ``x < a`` uses ``P(a, x) = x**a exp(-x) / Gamma(a + 1) * M(1, a + 1, x)``
    (Abramowitz & Stegun 6.5.29 with Kummer's function ``M``), whose series converges
    quickly there; elsewhere ``log(gammainc)``. ``P(0, x) = 1``.
    """
    safe_a = np.maximum(a, 1.0)
    small = (a > 0) & (x < a)
    with np.errstate(divide="ignore", invalid="ignore"):
        series = (
            safe_a * np.log(np.where(small, x, 1.0))
            - x
            - special.gammaln(safe_a + 1.0)
            + np.log(special.hyp1f1(1.0, safe_a + 1.0, np.where(small, x, 0.0)))
        )
        direct = np.log(special.gammainc(safe_a, x))
    return np.asarray(np.where(a > 0, np.where(small, series, direct), 0.0), dtype=np.float64)


def _pd_swerling0(chi: FloatArray, threshold: FloatArray, n: FloatArray) -> FloatArray:
    """Steady target: generalised Marcum Q via the non-central chi-square survival function."""
    return np.asarray(stats.ncx2.sf(2.0 * threshold, 2.0 * n, 2.0 * n * chi), dtype=np.float64)


def _pd_swerling1(chi: FloatArray, threshold: FloatArray, n: FloatArray) -> FloatArray:
    """Scan-to-scan exponential SNR; exact convolution of Gamma(N-1, 1) and Exp(1 + N chi)."""
    total = n * chi
    m = n - 1.0
    beta = total / (1.0 + total)  # = 1 / (1 + 1/(N chi))
    # Computed in logs because (1 + 1/(N chi))**(N-1) overflows while P(N-1, .) underflows.
    with np.errstate(divide="ignore"):
        log_term = _log_p_lower(m, beta * threshold) - m * np.log(beta) - threshold / (1.0 + total)
    return np.asarray(_q_upper(m, threshold) + np.exp(log_term), dtype=np.float64)


def _pd_swerling2(chi: FloatArray, threshold: FloatArray, n: FloatArray) -> FloatArray:
    """Pulse-to-pulse exponential SNR: each pulse's power is Exp(1 + chi), the sum Gamma."""
    return np.asarray(special.gammaincc(n, threshold / (1.0 + chi)), dtype=np.float64)


def _pd_swerling3(chi: FloatArray, threshold: FloatArray, n: FloatArray) -> FloatArray:
    """Scan-to-scan chi-square-4 SNR; exact convolution of Gamma(N-2, 1) and Gamma(2, c).

    With ``theta = N chi / 2``, ``c = 1 + theta``, ``beta = theta / c`` and ``m = N - 2``:
    ``Pd = Q(m, T) + exp(-T/c) [(1 + T/c) P(m, beta T)/beta**m
    - (m/c) P(m + 1, beta T)/beta**(m + 1)]`` for ``N >= 2``, and for ``N = 1``
    ``Pd = exp(-T/c) (1 + beta T / c)``.
    """
    theta = 0.5 * n * chi
    c = 1.0 + theta
    beta = theta / c
    t_over_c = threshold / c
    m = np.maximum(n - 2.0, 0.0)
    with np.errstate(divide="ignore"):
        log_beta = np.log(beta)
        first = np.exp(_log_p_lower(m, beta * threshold) - m * log_beta - t_over_c) * (
            1.0 + t_over_c
        )
        second = (
            np.exp(_log_p_lower(m + 1.0, beta * threshold) - (m + 1.0) * log_beta - t_over_c)
            * m
            / c
        )
    many = _q_upper(m, threshold) + first - second
    single = np.exp(-t_over_c) * (1.0 + beta * t_over_c)
    return np.asarray(np.where(n >= 2.0, many, single), dtype=np.float64)


def _pd_swerling4(chi: FloatArray, threshold: FloatArray, n: FloatArray) -> FloatArray:
    """Pulse-to-pulse chi-square-4 SNR: binomial mixture of Gamma(N + j, c), j = 0..N."""
    theta = 0.5 * chi
    c = 1.0 + theta
    b = theta / c
    n_max = int(np.max(n)) if n.size else 0
    # A trailing axis carries the mixture index j; binom.pmf is zero for j > N, so
    # elements with fewer pulses than n_max are handled by the same sum.
    j = np.arange(n_max + 1, dtype=np.float64)
    weights = stats.binom.pmf(j, n[..., None], b[..., None])
    tails = special.gammaincc(n[..., None] + j, (threshold / c)[..., None])
    return np.asarray(np.sum(weights * tails, axis=-1), dtype=np.float64)


def _pd_swerling3_one_pulse(chi: FloatArray, threshold: float) -> FloatArray:
    """:func:`_pd_swerling3` with ``N = 1``: its ``N = 1`` branch alone, the same
    operations (``0.5 N chi`` is ``0.5 chi``), without the ``N >= 2`` terms it discards."""
    theta = 0.5 * chi
    c = 1.0 + theta
    beta = theta / c
    t_over_c = threshold / c
    return np.asarray(np.exp(-t_over_c) * (1.0 + beta * t_over_c), dtype=np.float64)


@cache
def _log_pfa(pfa: float) -> float:
    """``np.log(pfa)`` of a radar's reference Pfa, computed once per Pfa (the ufunc gives
    the scalar's value, which every look then divides by ``1 + chi``)."""
    return float(np.log(np.asarray(pfa, dtype=np.float64)))


@cache
def _one_pulse_threshold(pfa: float) -> float:
    """:func:`detection_threshold` of one pulse at ``pfa``, computed once per Pfa (each
    radar's reference Pfa; the ufunc gives each element the scalar's value)."""
    return float(detection_threshold(pfa, 1))


_PD_BY_CASE = {
    0: _pd_swerling0,
    1: _pd_swerling1,
    2: _pd_swerling2,
    3: _pd_swerling3,
    4: _pd_swerling4,
}


def _check_swerling(swerling: int) -> int:
    case = int(swerling)
    if case not in SWERLING_CASES:
        msg = f"swerling must be one of {SWERLING_CASES} (0 = steady target), got {swerling!r}"
        raise ValueError(msg)
    return case


def pd_from_snr_linear(
    snr: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1, swerling: int = 0
) -> FloatArray:
    """Probability of detection from a linear single-pulse SNR.

    Same model and broadcasting as :func:`pd`, with ``snr = 10**(snr_db / 10)``.

    Parameters
    ----------
    snr : array_like of float
        Mean single-pulse signal-to-noise ratio (linear power ratio, ``> 0``).
    pfa : array_like of float
        Probability of false alarm, ``0 < pfa < 1``.
    n_pulses : array_like of int
        Number of non-coherently integrated pulses, ``>= 1``.
    swerling : {0, 1, 2, 3, 4}
        Target fluctuation model (0: steady, Marcum).

    Returns
    -------
    numpy.ndarray of float64, broadcast shape of the inputs
        Probability of detection.
    """
    case = _check_swerling(swerling)
    scalars = (type(pfa) is float or np.ndim(pfa) == 0) and (
        type(n_pulses) is int or np.ndim(n_pulses) == 0
    )  # (the type tests spare np.ndim's calls for the plain numbers of a look)
    if case in (1, 3) and scalars and n_pulses == 1:
        # One radar's look (scalar Pfa, one pulse), without broadcasting the scalars to
        # the SNR's shape: the same element-wise operations as the paths below.
        chi = np.asarray(snr, dtype=np.float64)
        if case == 3:
            one_pulse = _one_pulse_threshold(float(pfa))  # type: ignore[arg-type]
            return _pd_swerling3_one_pulse(chi, one_pulse)
        log_pfa = _log_pfa(float(pfa))  # type: ignore[arg-type]
        return np.asarray(np.exp(log_pfa / (1.0 + chi)), dtype=np.float64)
    chi, pfa_arr, n = np.broadcast_arrays(
        np.asarray(snr, dtype=np.float64),
        np.asarray(pfa, dtype=np.float64),
        np.asarray(n_pulses, dtype=np.float64),
    )
    if case == 1 and n.size and np.all(n == 1.0):
        # Hot path (Richards 2014, eq. 6.54): Pd = Pfa**(1/(1 + chi)).
        return np.asarray(np.exp(np.log(pfa_arr) / (1.0 + chi)), dtype=np.float64)
    threshold = detection_threshold(pfa_arr, n)
    return _PD_BY_CASE[case](chi, threshold, n)


def pd_one_look(snr: FloatArray, pfa: float, swerling: int) -> FloatArray:
    """:func:`pd` of one radar's look: one pulse at its reference ``pfa``, one Swerling case,
    from the linear SNR.

    The same element-wise operations as :func:`pd` after its ``10 ** (snr_db / 10)``, with
    the terms that depend only on ``pfa`` computed once per Pfa (Swerling 1 and 3; the
    other cases go through :func:`pd_from_snr_linear`). A look computes that ratio once,
    for its Pd and its measurement errors.

    Parameters
    ----------
    snr : (n,) float64
        Mean single-pulse SNR of each path, linear (``np.power(10.0, snr_db / 10.0)``).
    pfa : float
    swerling : {0, 1, 2, 3, 4}

    Returns
    -------
    (n,) float64
    """
    if swerling == 1:  # Pfa**(1/(1 + chi)) (Richards 2014, eq. 6.54)
        return np.exp(_log_pfa(pfa) / (1.0 + snr))
    if swerling == 3:
        return _pd_swerling3_one_pulse(snr, _one_pulse_threshold(pfa))
    return pd_from_snr_linear(snr, pfa, 1, swerling)


def pd(snr_db: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1, swerling: int = 0) -> FloatArray:
    """Probability of detection of a Swerling target with non-coherent integration.

    Square-law detector, ``N`` pulses integrated non-coherently, threshold set for
    ``pfa``; exact expressions (see the module docstring for the equations), after
    Richards, *Fundamentals of Radar Signal Processing* (2014), ch. 6, and Mahafza,
    *Radar Systems Analysis and Design Using MATLAB* (2013), ch. 2.

    Parameters
    ----------
    snr_db : array_like of float
        Mean single-pulse signal-to-noise ratio, dB (finite).
    pfa : array_like of float, broadcastable with ``snr_db``
        Probability of false alarm per resolution cell, ``0 < pfa < 1``.
    n_pulses : array_like of int, broadcastable
        Number of non-coherently integrated pulses, ``>= 1``.
    swerling : {0, 1, 2, 3, 4}
        Target fluctuation model: 0 steady; 1/2 exponential SNR (Rayleigh amplitude)
        scan-to-scan / pulse-to-pulse; 3/4 chi-square with 4 degrees of freedom
        scan-to-scan / pulse-to-pulse.

    Returns
    -------
    numpy.ndarray of float64, broadcast shape of the inputs
        Probability of detection.

    Examples
    --------
    >>> round(float(pd(21.0, 1e-6, swerling=1)), 3)
    0.897
    """
    chi = np.power(10.0, np.asarray(snr_db, dtype=np.float64) / 10.0)
    return pd_from_snr_linear(chi, pfa, n_pulses, swerling)


def required_snr_db(
    pd: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1, swerling: int = 0
) -> FloatArray:
    """Single-pulse SNR needed to reach a probability of detection (inverse of :func:`pd`).

    Closed forms where they exist (Swerling 1 with one pulse:
    ``chi = ln(Pfa)/ln(Pd) - 1``; Swerling 2: ``chi = T / Q^{-1}(N, Pd) - 1``), otherwise
    an element-wise bisection in dB on the exact :func:`pd`, which is monotone in SNR,
    over [-80, 120] dB to better than 1e-12 dB.

    Parameters
    ----------
    pd : array_like of float
        Wanted probability of detection, ``pfa < pd < 1``.
    pfa : array_like of float, broadcastable
        Probability of false alarm, ``0 < pfa < 1``.
    n_pulses : array_like of int, broadcastable
        Number of non-coherently integrated pulses, ``>= 1``.
    swerling : {0, 1, 2, 3, 4}
        Target fluctuation model.

    Returns
    -------
    numpy.ndarray of float64, broadcast shape of the inputs
        Required mean single-pulse SNR, dB; NaN where ``pd`` is not reachable within
        the search bracket (for instance ``pd <= pfa``).
    """
    case = _check_swerling(swerling)
    pd_arr, pfa_arr, n = np.broadcast_arrays(
        np.asarray(pd, dtype=np.float64),
        np.asarray(pfa, dtype=np.float64),
        np.asarray(n_pulses, dtype=np.float64),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        if case == 1 and n.size and np.all(n == 1.0):
            chi = np.log(pfa_arr) / np.log(pd_arr) - 1.0
            return _linear_to_db_or_nan(chi)
        if case == 2:
            chi = detection_threshold(pfa_arr, n) / special.gammainccinv(n, pd_arr) - 1.0
            return _linear_to_db_or_nan(chi)
    return _bisect_snr_db(pd_arr, pfa_arr, n, case)


def _linear_to_db_or_nan(chi: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 10.0 * np.log10(chi)
    return np.asarray(np.where(np.isfinite(out), out, np.nan), dtype=np.float64)


def _bisect_snr_db(pd_target: FloatArray, pfa: FloatArray, n: FloatArray, case: int) -> FloatArray:
    """Vectorised bisection of ``pd(snr_db) = pd_target``, element-wise, in dB."""
    shape = pd_target.shape
    target = pd_target.ravel()
    pfa_flat = pfa.ravel()
    n_flat = n.ravel()
    low = np.full(target.shape, _SNR_SEARCH_LOW_DB)
    high = np.full(target.shape, _SNR_SEARCH_HIGH_DB)
    reachable = (pd(low, pfa_flat, n_flat, case) <= target) & (
        target <= pd(high, pfa_flat, n_flat, case)
    )
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        below = pd(middle, pfa_flat, n_flat, case) < target
        low = np.where(below, middle, low)
        high = np.where(below, high, middle)
    out = np.where(reachable, 0.5 * (low + high), np.nan)
    return np.asarray(out.reshape(shape), dtype=np.float64)


def albersheim_snr_db(pd: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1) -> FloatArray:
    """Albersheim's empirical estimate of the required single-pulse SNR (steady target).

    ``A = ln(0.62/Pfa)``, ``B = ln(Pd/(1 - Pd))``,
    ``SNR_dB = -5 log10 N + (6.2 + 4.54/sqrt(N + 0.44)) log10(A + 0.12 A B + 1.7 B)``
    (Albersheim 1981; Richards 2014, eq. 6.89). Stated to be within 0.2 dB of the exact
    linear-detector result for 1e-7 <= Pfa <= 1e-3, 0.1 <= Pd <= 0.9, 1 <= N <= 8096.

    Parameters
    ----------
    pd : array_like of float
        Wanted probability of detection.
    pfa : array_like of float, broadcastable
        Probability of false alarm.
    n_pulses : array_like of int, broadcastable
        Number of non-coherently integrated pulses.

    Returns
    -------
    numpy.ndarray of float64
        Required single-pulse SNR, dB.
    """
    pd_arr = np.asarray(pd, dtype=np.float64)
    n = np.asarray(n_pulses, dtype=np.float64)
    a = np.log(0.62 / np.asarray(pfa, dtype=np.float64))
    b = np.log(pd_arr / (1.0 - pd_arr))
    out = -5.0 * np.log10(n) + (6.2 + 4.54 / np.sqrt(n + 0.44)) * np.log10(
        a + 0.12 * a * b + 1.7 * b
    )
    return np.asarray(out, dtype=np.float64)


def _shnidman_k(swerling: int, n: FloatArray) -> FloatArray:
    """Shnidman's fluctuation parameter K: degrees of freedom of the chi-square SNR law
    over the N integrated pulses (infinite for a steady target)."""
    case = _check_swerling(swerling)
    if case == 0:
        return np.full(n.shape, np.inf)
    if case in (1, 3):
        return np.full(n.shape, 1.0 if case == 1 else 2.0)
    return np.asarray(n if case == 2 else 2.0 * n, dtype=np.float64)


def required_snr_db_shnidman(
    pd: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1, swerling: int = 0
) -> FloatArray:
    """Shnidman's empirical estimate of the required single-pulse SNR (square-law detector).

    Shnidman, "Determination of required SNR values", IEEE Trans. AES 38(3), 2002;
    also Richards, Scheer & Holm, *Principles of Modern Radar* (2010), sec. 15.x:

    * ``K = inf, 1, N, 2, 2N`` for Swerling 0-4; ``alpha = 0`` if ``N < 40`` else 1/4;
    * ``eta = sqrt(-0.8 ln(4 Pfa (1 - Pfa))) + sign(Pd - 0.5) sqrt(-0.8 ln(4 Pd (1 - Pd)))``;
    * ``X_inf = eta (eta + 2 sqrt(N/2 + alpha - 1/4))``;
    * ``C1 = (((17.7006 Pd - 18.4496) Pd + 14.5339) Pd - 3.525) / K``;
    * ``C2 = (exp(27.31 Pd - 25.14) + (Pd - 0.8)(0.7 ln(1e-5/Pfa) + (2N - 20)/80)) / K``;
    * ``C_dB = C1`` for ``Pd <= 0.872``, ``C1 + C2`` above; ``C = 10**(C_dB/10)``;
    * ``SNR = C X_inf / N``.

    Stated domain: 0.1 <= Pd <= 0.99, 1e-9 <= Pfa <= 1e-3, 1 <= N <= 100; within about
    0.5 dB of the exact result there (checked in ``tests/validation``).

    Parameters
    ----------
    pd, pfa : array_like of float, broadcastable
        Wanted probability of detection and probability of false alarm.
    n_pulses : array_like of int, broadcastable
        Number of non-coherently integrated pulses.
    swerling : {0, 1, 2, 3, 4}
        Target fluctuation model.

    Returns
    -------
    numpy.ndarray of float64
        Required single-pulse SNR, dB.
    """
    pd_arr, pfa_arr, n = np.broadcast_arrays(
        np.asarray(pd, dtype=np.float64),
        np.asarray(pfa, dtype=np.float64),
        np.asarray(n_pulses, dtype=np.float64),
    )
    k = _shnidman_k(swerling, n)
    alpha = np.where(n < 40.0, 0.0, 0.25)
    eta = np.sqrt(-0.8 * np.log(4.0 * pfa_arr * (1.0 - pfa_arr))) + np.sign(pd_arr - 0.5) * np.sqrt(
        -0.8 * np.log(4.0 * pd_arr * (1.0 - pd_arr))
    )
    x_inf = eta * (eta + 2.0 * np.sqrt(0.5 * n + alpha - 0.25))
    c1 = (((17.7006 * pd_arr - 18.4496) * pd_arr + 14.5339) * pd_arr - 3.525) / k
    c2 = (
        np.exp(27.31 * pd_arr - 25.14)
        + (pd_arr - 0.8) * (0.7 * np.log(1e-5 / pfa_arr) + (2.0 * n - 20.0) / 80.0)
    ) / k
    c_db = np.where(pd_arr <= 0.872, c1, c1 + c2)
    return np.asarray(c_db + 10.0 * np.log10(x_inf / n), dtype=np.float64)


def pd_shnidman(
    snr_db: ArrayLike, pfa: ArrayLike, n_pulses: ArrayLike = 1, swerling: int = 0
) -> FloatArray:
    """Probability of detection by inverting Shnidman's equation (fast approximation).

    :func:`required_snr_db_shnidman` increases with Pd, so Pd is found by an element-wise
    bisection over Pd in [1e-4, 1 - 1e-6] (30 steps of a dozen array operations, no
    special functions). Accuracy is only stated inside Shnidman's domain
    (0.1 <= Pd <= 0.99, 1e-9 <= Pfa <= 1e-3, 1 <= N <= 100); results are clipped to the
    search interval.

    Parameters
    ----------
    snr_db : array_like of float
        Mean single-pulse SNR, dB.
    pfa : array_like of float, broadcastable
        Probability of false alarm.
    n_pulses : array_like of int, broadcastable
        Number of non-coherently integrated pulses.
    swerling : {0, 1, 2, 3, 4}
        Target fluctuation model.

    Returns
    -------
    numpy.ndarray of float64
        Approximate probability of detection.
    """
    snr_arr, pfa_arr, n = np.broadcast_arrays(
        np.asarray(snr_db, dtype=np.float64),
        np.asarray(pfa, dtype=np.float64),
        np.asarray(n_pulses, dtype=np.float64),
    )
    # Bisect on the logit of Pd so that both tails are resolved evenly.
    low = np.full(snr_arr.shape, np.log(1e-4 / (1.0 - 1e-4)))
    high = np.full(snr_arr.shape, np.log((1.0 - 1e-6) / 1e-6))
    for _ in range(30):
        middle = 0.5 * (low + high)
        needed = required_snr_db_shnidman(special.expit(middle), pfa_arr, n, swerling)
        below = needed < snr_arr
        low = np.where(below, middle, low)
        high = np.where(below, high, middle)
    return np.asarray(special.expit(0.5 * (low + high)), dtype=np.float64)
