"""Analytic mean-RCS patterns of target types, evaluated at each look's true aspect.

The catalog gives every target a pattern (``catalog/data/signatures.yaml``, model
:class:`~iadsim.catalog.models.SignaturePattern`): its nose-on value per band and a few
scattering lobes (specular flashes, edge spikes, broad envelopes). :class:`AspectPatterns`
holds the patterns of all types as arrays and evaluates them for whole arrays of
radar-target pairs, so that the mean RCS of a look is the pattern at that look's own aspect:
a lobe one degree wide is seen only within a degree or so of its centre, not spread over an
aspect cell. Equations (docs/models/signatures.md):

    sigma = sigma_0 10^(N_b/10) [(1 - w) g + w 10^(P_b/10)],    w = |sin el|^n,
    g = 1 + sum_k 10^(G_kb/10) exp(-4 ln2 [((az - a_k)/W_kb)^2 + ((el - e_k)/V_k)^2]),

with sigma_0 the X-band nose-on anchor, N_b the band's nose-on offset, G_kb, W_kb the lobe
peak (over nose-on, dB) and half-power width in the band, a_k, e_k, V_k its centre and
elevation width, and P_b the planform flash above (el > 0) or below the wings. A body of
revolution puts the angle between its axis and the line of sight in place of az, with
el = 0. Between the bands' frequencies every figure (dB values and the logarithm of widths)
is interpolated linearly in ln f, clamped outside the first and last band.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy._core.multiarray import c_einsum
from numpy.typing import ArrayLike, NDArray

from iadsim.catalog.models import SignaturePattern
from iadsim.sensors._signature_kernels import lobe_exponent_kernel, pattern_rcs_kernel

__all__ = ["AspectPatterns", "BandPattern"]

_LN10_OVER_10 = np.log(10.0) / 10.0
_FOUR_LN2 = 4.0 * np.log(2.0)
_MAX_REMEMBERED_FREQUENCIES = 16
"""A call with more distinct frequencies interpolates per pair instead of per frequency."""


@dataclass(frozen=True)
class BandPattern:
    """The patterns of every type at one frequency, ready to evaluate.

    Attributes
    ----------
    nose_m2 : (n_types,) float64
        Nose-on mean RCS, m² (anchor times the band's offset).
    amplitude : (n_types, n_lobes) float64
        Lobe power over the nose-on value, linear (0 for padding).
    inverse_width_sq : (n_types, n_lobes) float64
        ``4 ln2 / W²`` in azimuth, 1/rad².
    planform_top, planform_bottom : (n_types,) float64
        Planform flash above and below the wings over nose-on, linear.
    """

    nose_m2: NDArray[np.float64]
    amplitude: NDArray[np.float64]
    inverse_width_sq: NDArray[np.float64]
    planform_top: NDArray[np.float64]
    planform_bottom: NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class AspectPatterns:
    """Analytic patterns of ``n_types`` target types over ``n_bands`` bands.

    Build it with :meth:`from_catalog`. Lobe arrays are padded to the largest lobe count
    with zero-amplitude lobes.

    Parameters
    ----------
    band_freq_hz : (n_bands,) float64
        Frequencies the band figures are given at, Hz, increasing.
    anchor_m2 : (n_types,) float64
        Nose-on anchor of each type in its anchor band, m².
    band_offset_db : (n_types, n_bands) float64
        Nose-on value of each band over the anchor, dB.
    body_of_revolution : (n_types,) bool
        Types whose lobes are functions of the off-axis angle.
    lobe_az_rad, lobe_el_rad : (n_types, n_lobes) float64
        Lobe centres in aspect azimuth (0..pi) and elevation, rad.
    lobe_inverse_el_width_sq : (n_types, n_lobes) float64
        ``4 ln2 / V²`` in elevation, 1/rad² (0: the same at every elevation).
    lobe_peak_db : (n_types, n_bands, n_lobes) float64
        Lobe power over nose-on at its centre, dB (with each lobe's ``offset_db``).
    lobe_width_rad : (n_types, n_bands, n_lobes) float64
        Half-power full width in azimuth, rad.
    planform_top_db, planform_bottom_db : (n_types, n_bands) float64
        Planform flash over nose-on, dB (0 for bodies of revolution, unused).
    planform_exponent : (n_types,) float64
        n in ``w = |sin el|^n`` (1 for bodies of revolution, whose el is 0).
    lobe_names : tuple of tuple of str
        The lobe names of each type, in array order (padding not listed).
    """

    band_freq_hz: NDArray[np.float64]
    anchor_m2: NDArray[np.float64]
    band_offset_db: NDArray[np.float64]
    body_of_revolution: NDArray[np.bool_]
    lobe_az_rad: NDArray[np.float64]
    lobe_el_rad: NDArray[np.float64]
    lobe_inverse_el_width_sq: NDArray[np.float64]
    lobe_peak_db: NDArray[np.float64]
    lobe_width_rad: NDArray[np.float64]
    planform_top_db: NDArray[np.float64]
    planform_bottom_db: NDArray[np.float64]
    planform_exponent: NDArray[np.float64]
    lobe_names: tuple[tuple[str, ...], ...] = ()
    _at_frequency: dict[float, BandPattern] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _stacked: dict[tuple[float, ...], tuple[BandPattern, NDArray[np.float64]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_catalog(
        cls,
        patterns: Mapping[str, SignaturePattern],
        anchor_m2: Mapping[str, float],
        band_names: tuple[str, ...],
        band_freq_hz: ArrayLike,
    ) -> AspectPatterns:
        """Arrays of the catalog patterns of the named types, in mapping order.

        Parameters
        ----------
        patterns : mapping name -> SignaturePattern
        anchor_m2 : mapping name -> float
            Nose-on anchor of each type, m².
        band_names : tuple of str
            Bands in increasing frequency (every per-band table has these keys).
        band_freq_hz : (n_bands,) float64
        """
        names = tuple(patterns)
        n_lobes = max([len(patterns[name].lobes) for name in names] + [1])
        shape = (len(names), len(band_names))
        arrays: dict[str, Any] = {
            "band_offset_db": np.zeros(shape),
            "body_of_revolution": np.zeros(len(names), dtype=bool),
            "lobe_az_rad": np.zeros((len(names), n_lobes)),
            "lobe_el_rad": np.zeros((len(names), n_lobes)),
            "lobe_inverse_el_width_sq": np.zeros((len(names), n_lobes)),
            "lobe_peak_db": np.full((*shape, n_lobes), -np.inf),
            "lobe_width_rad": np.ones((*shape, n_lobes)),
            "planform_top_db": np.zeros(shape),
            "planform_bottom_db": np.zeros(shape),
            "planform_exponent": np.ones(len(names)),
        }
        for t, name in enumerate(names):
            pattern = patterns[name]
            arrays["band_offset_db"][t] = [pattern.band_offset_db[b] for b in band_names]
            arrays["body_of_revolution"][t] = pattern.kind == "body_of_revolution"
            if pattern.planform_top_db is not None and pattern.planform_bottom_db is not None:
                arrays["planform_top_db"][t] = [pattern.planform_top_db[b] for b in band_names]
                arrays["planform_bottom_db"][t] = [
                    pattern.planform_bottom_db[b] for b in band_names
                ]
                arrays["planform_exponent"][t] = pattern.planform_exponent
            for k, lobe in enumerate(pattern.lobes.values()):
                arrays["lobe_az_rad"][t, k] = np.radians(lobe.az_deg)
                arrays["lobe_el_rad"][t, k] = np.radians(lobe.el_deg)
                if lobe.el_width_deg is not None:
                    arrays["lobe_inverse_el_width_sq"][t, k] = (
                        _FOUR_LN2 / np.radians(lobe.el_width_deg) ** 2
                    )
                arrays["lobe_peak_db"][t, :, k] = [
                    lobe.peak_db[b] + lobe.offset_db for b in band_names
                ]
                arrays["lobe_width_rad"][t, :, k] = np.radians(
                    [lobe.width_deg[b] for b in band_names]
                )
        return cls(
            band_freq_hz=np.asarray(band_freq_hz, dtype=np.float64),
            anchor_m2=np.array([anchor_m2[name] for name in names], dtype=np.float64),
            lobe_names=tuple(tuple(patterns[name].lobes) for name in names),
            **arrays,
        )

    @property
    def n_types(self) -> int:
        """Number of target types."""
        return int(self.anchor_m2.size)

    def at_frequency(self, freq_hz: float) -> BandPattern:
        """Every type's figures interpolated to ``freq_hz`` (remembered per frequency).

        dB figures and the logarithm of widths are linear in ln f between the bands; outside
        the first and last band the end band's figures are used.
        """
        key = float(freq_hz)
        cached = self._at_frequency.get(key)
        if cached is None:
            types = np.arange(self.n_types)
            lower, fraction = self._bracket(np.full(self.n_types, key))
            cached = self._between(types, lower, fraction)
            self._at_frequency[key] = cached
        return cached

    def _bracket(self, freq_hz: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[Any]]:
        """Lower band and fraction in ln f of each frequency, clamped to the bands."""
        log_freq = np.log(self.band_freq_hz)
        x = np.clip(np.log(freq_hz), log_freq[0], log_freq[-1])
        lower = np.clip(np.searchsorted(log_freq, x, side="right") - 1, 0, log_freq.size - 2)
        return lower, (x - log_freq[lower]) / (log_freq[lower + 1] - log_freq[lower])

    def _between(
        self, types: NDArray[np.intp], lower: NDArray[np.intp], fraction: NDArray[Any]
    ) -> BandPattern:
        """The figures of ``types[i]`` at fraction ``fraction[i]`` above band ``lower[i]``."""
        t = fraction[:, None]

        def mix(values: NDArray[np.float64]) -> NDArray[np.float64]:
            low, high = values[types, lower], values[types, lower + 1]
            # padding lobes are -inf in every band: keep them -inf (no inf - inf)
            with np.errstate(invalid="ignore"):
                mixed = low + (t if low.ndim > 1 else fraction) * (high - low)
            return np.where(np.isneginf(low) & np.isneginf(high), -np.inf, mixed)

        width = np.exp(mix(np.log(self.lobe_width_rad)))
        return BandPattern(
            nose_m2=self.anchor_m2[types] * np.exp(_LN10_OVER_10 * mix(self.band_offset_db)),
            amplitude=np.exp(_LN10_OVER_10 * mix(self.lobe_peak_db)),
            inverse_width_sq=_FOUR_LN2 / width**2,
            planform_top=np.exp(_LN10_OVER_10 * mix(self.planform_top_db)),
            planform_bottom=np.exp(_LN10_OVER_10 * mix(self.planform_bottom_db)),
        )

    def rcs_m2(
        self,
        type_index: ArrayLike,
        az_rad: ArrayLike,
        el_rad: ArrayLike,
        freq_hz: ArrayLike,
    ) -> NDArray[np.float64]:
        """Mean RCS of each radar-target pair at its own aspect and frequency, m².

        Parameters
        ----------
        type_index : (n,) int
        az_rad : (n,) float64
            Aspect azimuth, rad, any sign or turn (folded by left/right symmetry).
        el_rad : (n,) float64
            Aspect elevation, rad, positive above the wings.
        freq_hz : (n,) float64 or scalar
            Radar frequency, Hz.

        Returns
        -------
        (n,) float64
            Mean RCS, m² (NaN where the aspect is NaN).
        """
        # np.asarray(., dtype)'s call only where it converts (a step's columns are arrays)
        types, az, el = type_index, az_rad, el_rad
        if type(types) is not np.ndarray or types.dtype != np.intp:
            types = np.asarray(types, dtype=np.intp)
        if type(az) is not np.ndarray or az.dtype != np.float64:
            az = np.asarray(az, dtype=np.float64)
        if type(el) is not np.ndarray or el.dtype != np.float64:
            el = np.asarray(el, dtype=np.float64)
        az = np.abs(az)
        # np.fmax.reduce is np.nanmax's own reduction for float arrays, without its checks.
        if az.size and np.fmax.reduce(az, axis=None, initial=0.0) > np.pi:
            az = np.abs(np.remainder(az + np.pi, 2 * np.pi) - np.pi)
        if az.shape != el.shape:
            az, el = np.broadcast_arrays(az, el)
        revolving = self.body_of_revolution[types]
        if np.logical_or.reduce(revolving, axis=None):  # revolving.any(), in one call
            cos_off_axis = np.cos(el) * np.cos(az)
            off_axis = np.arccos(np.minimum(np.maximum(cos_off_axis, -1.0), 1.0))  # np.clip
            az = np.where(revolving, off_axis, az)
            el = np.where(revolving, 0.0, el)
        band, row = self._band_rows(freq_hz, types)
        # The arithmetic compiled between NumPy's exponential, sine and power (the same
        # operations as the formulas of the module docstring, in their order)
        gaussian = np.empty((az.shape[0], self.lobe_az_rad.shape[1]))
        lobe_exponent_kernel(
            az,
            el,
            types,
            row,
            self.lobe_az_rad,
            self.lobe_el_rad,
            self.lobe_inverse_el_width_sq,
            band.inverse_width_sq,
            gaussian,
        )
        np.exp(gaussian, out=gaussian)
        # take(axis=0): the same rows as [row], at a third of a 2-D fancy index's cost
        # c_einsum: what np.einsum calls without ``optimize`` (the same sums), without its
        # wrapper and dispatch
        lobe_sum = c_einsum("nk,nk->n", band.amplitude.take(row, axis=0), gaussian)
        weight = np.abs(np.sin(el)) ** self.planform_exponent[types]
        rcs = np.empty(az.shape[0])
        pattern_rcs_kernel(
            lobe_sum, weight, el, row, band.nose_m2, band.planform_top, band.planform_bottom, rcs
        )
        return rcs

    def _band_rows(self, freq_hz: ArrayLike, types: NDArray[np.intp]) -> tuple[BandPattern, Any]:
        """The figures at each pair's frequency and each pair's row in them: the remembered
        figures of each radar frequency, or (many distinct frequencies) one row per pair."""
        frequency = freq_hz
        if type(frequency) is not np.ndarray or frequency.dtype != np.float64:
            frequency = np.asarray(frequency, dtype=np.float64)
        if frequency.ndim == 0:
            return self.at_frequency(float(frequency)), types
        # np.unique's sorted distinct values, without its sort of every pair (a step's
        # pairs hold a few radar frequencies; NaN, never a frequency, would not dedupe)
        distinct = sorted(set(frequency.ravel().tolist()))
        if len(distinct) == 1:
            return self.at_frequency(distinct[0]), types
        if len(distinct) > _MAX_REMEMBERED_FREQUENCIES:
            lower, fraction = self._bracket(frequency.ravel())
            return self._between(types.ravel(), lower, fraction), np.arange(types.size)
        key = tuple(distinct)
        remembered = self._stacked.get(key)
        if remembered is None:  # the radars of a run: a few frequency sets, stacked once each
            bands = [self.at_frequency(f) for f in key]
            stacked = BandPattern(
                *(np.concatenate([getattr(b, name) for b in bands]) for name in _BAND_FIELDS)
            )
            remembered = self._stacked[key] = (stacked, np.array(key))
        stacked, sorted_frequencies = remembered
        pair = sorted_frequencies.searchsorted(frequency)  # np.unique's inverse: each rank
        return stacked, pair * self.anchor_m2.size + types  # n_types, without the property

    def tabulate_dbsm(
        self, az_rad: ArrayLike, el_rad: ArrayLike, freq_hz: ArrayLike
    ) -> NDArray[np.float64]:
        """The patterns on a grid, dBsm, (n_types, n_freq, n_el, n_az)."""
        az = np.asarray(az_rad, dtype=np.float64)
        el = np.asarray(el_rad, dtype=np.float64)
        freqs = np.asarray(freq_hz, dtype=np.float64)
        t, f, e, a = np.meshgrid(
            np.arange(self.n_types), freqs, el, az, indexing="ij", sparse=False
        )
        rcs = self.rcs_m2(t.ravel(), a.ravel(), e.ravel(), f.ravel())
        return (10.0 * np.log10(rcs)).reshape(t.shape)


_BAND_FIELDS = ("nose_m2", "amplitude", "inverse_width_sq", "planform_top", "planform_bottom")
