"""Radar cross-section signatures by aspect and band, and per-look RCS fluctuation.

A :class:`SignatureTable` gives, for each target type, the mean RCS over aspect azimuth
(0..180 deg, left/right symmetric), aspect elevation and radar band.
:meth:`SignatureTable.rcs_m2` looks it up for whole arrays of radar-target pairs: the
catalog's tables (:func:`signature_table`) evaluate each type's analytic pattern
(:mod:`iadsim.sensors.signature_pattern`) at the pair's own aspect, so narrow lobes are not
averaged over aspect cells; a table given only as a grid (``n_types x n_bands x n_el x
n_az`` dBsm) is interpolated, at the aspects :func:`iadsim.sensors.aspect.aspect_angles`
gives; :func:`fluctuate` draws the per-look RCS of a Swerling
target about the look's mean. The bundled patterns (``catalog/data/signatures.yaml``) anchor
the nose-on X-band value on public figures (docs/models/signatures.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.catalog.loader import Catalog, load_catalog
from iadsim.sensors._kernels import rcs_db_kernel
from iadsim.sensors.signature_pattern import AspectPatterns

__all__ = [
    "SignatureTable",
    "fluctuate",
    "load_signatures",
    "signature_table",
]

_LN10_OVER_10 = np.log(10.0) / 10.0
_PAIR_DTYPES = (np.dtype(np.intp), np.dtype(np.float64), np.dtype(np.float64), np.dtype(np.float64))
"""The dtypes of :meth:`SignatureTable.rcs_m2`'s type index, azimuth, elevation and frequency."""
# Irregular grids up to this size are bracketed by counting nodes, larger ones by bisection.
_MAX_NODES_COUNTED = 16


def _readonly(array: ArrayLike, dtype: type) -> NDArray[Any]:
    out: NDArray[Any] = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class SignatureTable:
    """Mean RCS of target types by aspect and band: analytic patterns, or a grid in dBsm.

    Parameters
    ----------
    names : tuple of str, (n_types,)
        Registered target type names (``"f35a"``); ``type_index`` counts in this order.
    band_names : tuple of str, (n_bands,)
        Band letters (``"VHF"`` .. ``"X"``).
    freq_hz : (n_bands,) float64
        Frequency of each band's table, Hz, strictly increasing.
    az_grid_rad : (n_az,) float64
        Aspect azimuth nodes from the nose, rad, strictly increasing from 0 to pi.
    el_grid_rad : (n_el,) float64
        Aspect elevation nodes, rad, strictly increasing inside [-pi/2, pi/2]; positive
        means the radar is above the target's wing plane.
    rcs_dbsm : (n_types, n_bands, n_el, n_az) float64
        Mean RCS, dB relative to 1 m².
    swerling : (n_types,) int64
        Fluctuation case per type (0 steady, 1/2 exponential, 3/4 chi-square 4 dof).
    rcs_scale : (n_types,) float64
        Multiplier applied to every looked-up RCS of the type (1.0 = table as given);
        analyses sweep it through :meth:`with_rcs_scale`.
    pattern : AspectPatterns, optional
        The types' analytic patterns (same types, in order). When given, lookups evaluate
        it at the true aspect and ``rcs_dbsm`` is its tabulation on the grid (for display
        and for searches over the grid's nodes); without it lookups interpolate the grid.
    """

    names: tuple[str, ...]
    band_names: tuple[str, ...]
    freq_hz: NDArray[np.float64]
    az_grid_rad: NDArray[np.float64]
    el_grid_rad: NDArray[np.float64]
    rcs_dbsm: NDArray[np.float64]
    swerling: NDArray[np.int64]
    rcs_scale: NDArray[np.float64]
    pattern: AspectPatterns | None = None
    # Lookup helpers derived in __post_init__ (not constructor arguments).
    _az_grid: _Grid = field(init=False, repr=False)
    _el_grid: _Grid = field(init=False, repr=False)
    _log_freq_grid: _Grid = field(init=False, repr=False)
    _band_brackets: dict[float, tuple[NDArray[np.intp], NDArray[np.float64]]] = field(
        init=False, repr=False
    )

    def __post_init__(self) -> None:
        # Copies made read-only so that a shared table cannot be changed under a running simulation.
        for name, dtype in (
            ("freq_hz", np.float64),
            ("az_grid_rad", np.float64),
            ("el_grid_rad", np.float64),
            ("rcs_dbsm", np.float64),
            ("swerling", np.int64),
            ("rcs_scale", np.float64),
        ):
            object.__setattr__(self, name, _readonly(getattr(self, name), dtype))
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(self, "band_names", tuple(self.band_names))
        n_types, n_bands = len(self.names), len(self.band_names)
        n_el, n_az = self.el_grid_rad.size, self.az_grid_rad.size
        expected = (n_types, n_bands, n_el, n_az)
        if self.rcs_dbsm.shape != expected:
            raise ValueError(f"rcs_dbsm has shape {self.rcs_dbsm.shape}, expected {expected}")
        if self.freq_hz.shape != (n_bands,) or self.swerling.shape != (n_types,):
            raise ValueError("freq_hz must have one value per band and swerling one per type")
        if self.rcs_scale.shape != (n_types,):
            raise ValueError("rcs_scale must have one value per type")
        if self.pattern is not None and self.pattern.n_types != n_types:
            raise ValueError("pattern must have one pattern per type")
        for label, grid in (
            ("freq_hz", self.freq_hz),
            ("az_grid_rad", self.az_grid_rad),
            ("el_grid_rad", self.el_grid_rad),
        ):
            if grid.size < 2 or np.any(np.diff(grid) <= 0.0):
                raise ValueError(f"{label} needs at least two strictly increasing values")
        if self.freq_hz[0] <= 0.0:
            raise ValueError("freq_hz must be positive")
        if not (np.isclose(self.az_grid_rad[0], 0.0) and np.isclose(self.az_grid_rad[-1], np.pi)):
            raise ValueError("az_grid_rad must run from 0 to pi (left/right symmetry)")
        if self.el_grid_rad[0] < -np.pi / 2 - 1e-12 or self.el_grid_rad[-1] > np.pi / 2 + 1e-12:
            raise ValueError("el_grid_rad must lie inside [-pi/2, pi/2]")
        if not np.all(np.isfinite(self.rcs_dbsm)):
            raise ValueError("rcs_dbsm must be finite")
        if np.any((self.swerling < 0) | (self.swerling > 4)):
            raise ValueError("swerling cases must be 0..4")
        if np.any(~np.isfinite(self.rcs_scale) | (self.rcs_scale <= 0.0)):
            raise ValueError("rcs_scale must be positive and finite")
        # What every lookup needs of the grids, worked out once (lookups run per radar look).
        object.__setattr__(self, "_az_grid", _Grid(self.az_grid_rad))
        object.__setattr__(self, "_el_grid", _Grid(self.el_grid_rad))
        object.__setattr__(self, "_log_freq_grid", _Grid(np.log(self.freq_hz)))
        object.__setattr__(self, "_band_brackets", {})

    @property
    def n_types(self) -> int:
        """Number of target types."""
        return len(self.names)

    def index(self, name: str) -> int:
        """Type index of a registered name; KeyError lists the known names."""
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"unknown signature {name!r}; known: {', '.join(self.names)}") from None

    def indices(self, names: Iterable[str]) -> NDArray[np.int64]:
        """Type indices, (n,) int64, of a sequence of registered names."""
        return np.array([self.index(name) for name in names], dtype=np.int64)

    def with_rcs_scale(self, scale: float | ArrayLike | Mapping[str, float]) -> SignatureTable:
        """Copy of the table with new RCS multipliers.

        Parameters
        ----------
        scale : float, (n_types,) array, or mapping name -> float
            A float applies to every type; a mapping changes only the named types.
        """
        if isinstance(scale, Mapping):
            new_scale = self.rcs_scale.copy()
            for name, value in scale.items():
                new_scale[self.index(name)] = value
        else:
            new_scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), (self.n_types,))
        return SignatureTable(
            names=self.names,
            band_names=self.band_names,
            freq_hz=self.freq_hz,
            az_grid_rad=self.az_grid_rad,
            el_grid_rad=self.el_grid_rad,
            rcs_dbsm=self.rcs_dbsm,
            swerling=self.swerling,
            rcs_scale=new_scale,
            pattern=self.pattern,
        )

    def rcs_m2(
        self,
        type_index: ArrayLike,
        az_rad: ArrayLike,
        el_rad: ArrayLike,
        freq_hz: ArrayLike,
    ) -> NDArray[np.float64]:
        """Mean RCS of each radar-target pair at its aspect and frequency.

        With a :attr:`pattern`, the pattern evaluated at the pair's own aspect
        (:meth:`AspectPatterns.rcs_m2`) times ``rcs_scale[type]``. Otherwise trilinear
        interpolation of the dBsm grid: bilinear over aspect (az, el) and linear
        in log-frequency between bands,

            sigma_dB = sum_{i,j,k in {0,1}} w_az,i w_el,j w_f,k T[type, b+k, e+j, a+i],
            w_f,1 = (ln f - ln f_b) / (ln f_(b+1) - ln f_b),

        then ``rcs_m2 = rcs_scale[type] * 10 ** (sigma_dB / 10)``. Interpolating in dB and
        log-frequency follows how RCS is tabulated and plotted (Skolnik, Introduction to
        Radar Systems, ch. 2). Azimuth is folded by left/right symmetry, ``|wrap(az)|`` in
        [0, pi]; elevation and frequency are clamped to the grid (below VHF the VHF table,
        above X the X table), which is no extrapolation.

        Parameters
        ----------
        type_index : (n,) int
            Row of :attr:`names` for each pair.
        az_rad : (n,) float64
            Aspect azimuth of the radar from the target nose, rad, any sign or turn.
        el_rad : (n,) float64
            Aspect elevation of the radar in the body frame, rad, positive above.
        freq_hz : (n,) float64 or scalar
            Radar frequency, Hz.

        Returns
        -------
        (n,) float64
            Mean RCS, m².
        """
        if self.pattern is not None:
            given: list[Any] = [type_index, az_rad, el_rad, freq_hz]
            for i, dtype in enumerate(_PAIR_DTYPES):  # np.asarray's call only where it converts
                x = given[i]
                if type(x) is not np.ndarray or x.dtype != dtype:
                    given[i] = np.asarray(x, dtype=dtype)
            types, az, el, freq = given
            shape = types.shape
            if types.ndim == 1 and az.shape == el.shape == freq.shape == shape:  # a step's pairs
                columns = given
            else:
                shape = np.broadcast_shapes(*(x.shape for x in given))
                columns = [np.broadcast_to(x, shape).ravel() for x in given]
            rcs = self.rcs_scale[columns[0]] * self.pattern.rcs_m2(*columns)
            return rcs if rcs.shape == shape else rcs.reshape(shape)
        types = np.asarray(type_index, dtype=np.intp)
        az_folded = np.abs(np.asarray(az_rad, dtype=np.float64))
        if az_folded.size and az_folded.max() > np.pi:
            # wrap only when needed: aspect_angles already returns [-pi, pi]
            az_folded = np.abs(np.remainder(az_folded + np.pi, 2 * np.pi) - np.pi)
        el = np.asarray(el_rad, dtype=np.float64)
        band, band_fraction = self._band_bracket(freq_hz)
        arrays = (types, az_folded, el, band, band_fraction)
        if not (self._az_grid.uniform and self._el_grid.uniform):
            sigma_db = self.rcs_db_reference(*arrays)
        elif all(x.ndim == 1 and x.shape == types.shape for x in arrays):  # a step's pairs
            sigma_db = self._rcs_db(*arrays)
        else:
            shape = np.broadcast_shapes(*(x.shape for x in arrays))
            flat = [np.broadcast_to(x, shape).ravel() for x in arrays]
            sigma_db = self._rcs_db(*flat).reshape(shape)
        return self.rcs_scale[types] * np.exp(_LN10_OVER_10 * sigma_db)

    def _rcs_db(
        self,
        types: NDArray[np.intp],
        az_folded: NDArray[np.float64],
        el: NDArray[np.float64],
        band: NDArray[np.intp],
        band_fraction: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """:meth:`rcs_db_reference` of ``(n,)`` pairs, compiled (uniform aspect grids)."""
        return rcs_db_kernel(
            types,
            az_folded,
            el,
            band,
            band_fraction,
            self.rcs_dbsm,
            self._az_grid.constants,
            self._el_grid.constants,
        )

    def rcs_db_reference(
        self,
        types: NDArray[np.intp],
        az_folded: NDArray[np.float64],
        el: NDArray[np.float64],
        band: NDArray[np.intp],
        band_fraction: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """Interpolated table value in dB (the sum in :meth:`rcs_m2`) of each pair, from its
        type, folded aspect azimuth, aspect elevation (rad) and band bracket; NumPy twin of
        :func:`~iadsim.sensors._kernels.rcs_db_kernel`, and the path for irregular grids."""
        a, t_az = self._az_grid.bracket(az_folded)
        e, t_el = self._el_grid.bracket(el)
        n_bands, n_el, n_az = self.rcs_dbsm.shape[1:]
        flat = self.rcs_dbsm.reshape(-1)
        base = ((types * n_bands + band) * n_el + e) * n_az + a
        low_band_db = _bilinear(flat, base, n_az, t_az, t_el)
        high_band_db = _bilinear(flat, base + n_el * n_az, n_az, t_az, t_el)
        return low_band_db + band_fraction * (high_band_db - low_band_db)

    def _band_bracket(self, freq_hz: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Lower band and log-frequency fraction, looked up once per distinct frequency (a
        radar's) and remembered; an array of a few radars' pairs is filled radar by radar."""
        frequency = np.asarray(freq_hz, dtype=np.float64)
        if not frequency.ndim:
            return self._band_bracket_of(float(frequency))
        lower = np.empty(frequency.shape, dtype=np.intp)
        fraction = np.empty(frequency.shape, dtype=np.float64)
        for value in dict.fromkeys(frequency.ravel().tolist()):
            pairs = frequency == value
            lower[pairs], fraction[pairs] = self._band_bracket_of(value)
        return lower, fraction

    def _band_bracket_of(self, frequency_hz: float) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """:meth:`_band_bracket` of one frequency, memoised."""
        if frequency_hz not in self._band_brackets:
            self._band_brackets[frequency_hz] = self._log_freq_grid.bracket(np.log(frequency_hz))
        return self._band_brackets[frequency_hz]


class _Grid:
    """A strictly increasing grid with what :func:`_bracket` needs of it precomputed.

    :meth:`bracket` gives the same results as :func:`_bracket` (same operations in the same
    order), without re-deriving the grid's spacing on every call.
    """

    def __init__(self, grid: NDArray[np.float64]):
        self.grid = grid
        self.first = grid[0]
        self.last = grid[-1]
        self.max_lower = grid.size - 2
        steps = np.diff(grid)
        self.uniform = bool(steps.max() - steps.min() <= 1e-9 * abs(steps[0]))
        self.inverse_step = 1.0 / steps[0]
        # first, last, inverse step and largest lower node, as rcs_db_kernel takes them
        self.constants = np.array([self.first, self.last, self.inverse_step, self.max_lower])

    def bracket(self, x: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Lower node index and fraction of ``x``, clamped to the grid's ends."""
        if not self.uniform:
            return _bracket(self.grid, x)
        x = np.minimum(np.maximum(x, self.first), self.last)  # np.clip, without its overhead
        position = (x - self.first) * self.inverse_step
        with np.errstate(invalid="ignore"):  # NaN aspect: see _bracket
            lower = np.minimum(np.maximum(position.astype(np.intp), 0), self.max_lower)
        return lower, position - lower


def _bracket(
    grid: NDArray[np.float64], x: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Lower node index and fraction of x in a strictly increasing grid, clamped to its ends.

    Faster than ``np.searchsorted`` on these small grids: a uniform grid is indexed by
    division, a short irregular one (the bands) by counting the nodes at or below x.
    """
    x = np.clip(x, grid[0], grid[-1])
    steps = np.diff(grid)
    if steps.max() - steps.min() <= 1e-9 * abs(steps[0]):  # uniform (np.allclose is slow)
        position = (x - grid[0]) * (1.0 / steps[0])
        # NaN input (undefined aspect) casts to an arbitrary index: clipping keeps the
        # gathers in bounds and the NaN fraction carries through to the result
        with np.errstate(invalid="ignore"):
            lower = np.clip(position.astype(np.intp), 0, grid.size - 2)
        return lower, position - lower
    if grid.size > _MAX_NODES_COUNTED:
        lower = np.clip(np.searchsorted(grid, x, side="right") - 1, 0, grid.size - 2)
    else:
        lower = np.zeros(np.shape(x), dtype=np.intp)
        for node in grid[1:-1]:
            lower += x >= node
    lower_value = grid[lower]
    return lower, (x - lower_value) / (grid[lower + 1] - lower_value)


def _bilinear(
    flat: NDArray[np.float64],
    base: NDArray[np.intp],
    n_az: int,
    t_az: NDArray[np.float64],
    t_el: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Bilinear interpolation over (el, az) of a flattened table from the lower corner `base`."""
    v00 = flat[base]
    v01 = flat[base + 1]
    v10 = flat[base + n_az]
    v11 = flat[base + n_az + 1]
    low_el = v00 + t_az * (v01 - v00)
    high_el = v10 + t_az * (v11 - v10)
    return low_el + t_el * (high_el - low_el)


def signature_table(catalog: Catalog) -> SignatureTable:
    """The lookup tables of a catalog's signatures (``catalog/data/signatures.yaml``).

    Lookups evaluate each type's analytic pattern at the true aspect; the grid holds the
    patterns tabulated on the catalog grid with every lobe centre added (so a search over
    the nodes finds each lobe's peak). Each type's fluctuation case and RCS multiplier are
    its air platform's (``swerling``, ``rcs_scale``), so catalog overrides and sweeps of
    those, and of the pattern's figures, reach the tables.

    Returns
    -------
    SignatureTable
        Types in catalog order, bands in the grid's order (increasing frequency).
    """
    grid = catalog.signature_grid
    names = tuple(catalog.signatures)
    band_names = tuple(band.name for band in grid.bands)
    freq_hz = np.array([band.freq_hz for band in grid.bands])
    pattern = AspectPatterns.from_catalog(
        {name: catalog.signatures[name].pattern for name in names},
        {name: catalog.signatures[name].anchor.rcs_m2 for name in names},
        band_names,
        freq_hz,
    )
    lobe_centres_deg = [
        lobe.az_deg for name in names for lobe in catalog.signatures[name].pattern.lobes.values()
    ]
    az_grid_rad = np.radians(np.unique(np.concatenate([grid.az_deg, lobe_centres_deg])))
    el_grid_rad = np.radians(np.asarray(grid.el_deg, dtype=np.float64))
    platforms = [catalog.air_platforms[name] for name in names]
    return SignatureTable(
        names=names,
        band_names=band_names,
        freq_hz=freq_hz,
        az_grid_rad=az_grid_rad,
        el_grid_rad=el_grid_rad,
        rcs_dbsm=pattern.tabulate_dbsm(az_grid_rad, el_grid_rad, freq_hz),
        swerling=np.array([p.swerling for p in platforms], dtype=np.int64),
        rcs_scale=np.array([p.rcs_scale for p in platforms]),
        pattern=pattern,
    )


def load_signatures() -> SignatureTable:
    """The bundled catalog's signature tables (:func:`signature_table` of it)."""
    return signature_table(load_catalog())


def fluctuate(
    rcs_mean_m2: ArrayLike,
    swerling: ArrayLike,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Draw one RCS per look from the Swerling distribution about its mean.

    Swerling (1960), IRE Trans. Information Theory IT-6(2):269-308; Skolnik, Introduction
    to Radar Systems, sec. 2.8:

    - cases 1, 2 (many comparable scatterers): exponential,
      p(sigma) = exp(-sigma / mean) / mean;
    - cases 3, 4 (one dominant scatterer): chi-square with 4 degrees of freedom,
      p(sigma) = 4 sigma / mean^2 exp(-2 sigma / mean), i.e. Gamma(shape 2, scale mean/2);
    - any other case (0, sometimes called 5): steady, returned unchanged.

    Cases 1/2 and 3/4 differ only in how fast the RCS decorrelates (scan to scan or pulse
    to pulse); a single look has the same distribution, and the detection model chooses how
    many looks to draw.

    Parameters
    ----------
    rcs_mean_m2 : (n,) float64
        Mean RCS per look, m².
    swerling : (n,) int or scalar
        Swerling case per look.
    rng : numpy.random.Generator
        Random stream; draws one variate per fluctuating look, exponential looks first.

    Returns
    -------
    (n,) float64
        Drawn RCS, m².
    """
    mean = np.asarray(rcs_mean_m2, dtype=np.float64)
    case = np.broadcast_to(np.asarray(swerling), mean.shape)
    drawn = mean.copy()
    exponential = (case == 1) | (case == 2)
    chi_square_4 = (case == 3) | (case == 4)
    drawn[exponential] *= rng.standard_exponential(np.count_nonzero(exponential))
    drawn[chi_square_4] *= 0.5 * rng.standard_gamma(2.0, np.count_nonzero(chi_square_4))
    return drawn
