"""The sensor chain: SNR and Pd of one radar on a batch of paths, for every product.

The simulation's detection draws (:meth:`iadsim.sensors.radar.Radar.detect`) and the
coverage products (:mod:`iadsim.coverage.maps`, :mod:`iadsim.coverage.profiles`,
``iadsim coverage``) call these functions and nothing else for SNR and Pd, so a coverage
map cell and the simulation agree on the same geometry by construction.

1. **Radar equation** in reference form (Skolnik, *Introduction to Radar Systems*, 3rd ed.,
   2001, eq. 2.1 in ratio form; :mod:`iadsim.sensors.radar_equation`)::

       SNR_0 = SNR_ref + 10 log10(sigma / sigma_ref) + 40 log10(R_ref / R)      [dB]

   with ``SNR_ref`` the single-pulse SNR that gives the catalog's ``Pd_ref`` at its
   ``Pfa`` for the reference Swerling case.
2. **Signal effects** (:class:`iadsim.core.contracts.SignalEffect`), each an SNR change in
   dB on every path, added in order: by default the clear-air attenuation a path has beyond
   the reference path's (``clear_air_attenuation``, which carries the elevation term), the
   knife-edge diffraction loss over the path's dominant terrain obstacle
   (``terrain_diffraction``, :mod:`iadsim.sensors.diffraction`), constant-gamma ground
   clutter after the radar's improvement factor (``ground_clutter``,
   :mod:`iadsim.sensors.clutter`) and the clutter filter's Doppler blind zone
   (``doppler_notch``, :mod:`iadsim.sensors.doppler_notch`); then the scenario's
   ``signal_effects``. A scenario entry that names a default effect replaces that
   default's settings (``{name: ground_clutter, gamma_db: -10}``).
3. **Pd** of one look: one pulse, the radar's reference ``Pfa``, the target's Swerling case
   (:func:`iadsim.sensors.detection.pd`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from iadsim.core.contracts import JammerEmitters, RadarPaths, RadarTerms, SignalEffect
from iadsim.core.registry import SIGNAL_EFFECTS
from iadsim.geo.frames import aer_to_enu, enu_to_ecef
from iadsim.geo.terrain_obstacle import DominantObstacle
from iadsim.sensors.detection import pd_one_look
from iadsim.sensors.fused_chain import default_chain_snr_db, fused_snr_db

if TYPE_CHECKING:
    from iadsim.sensors.radar import Radar

__all__ = [
    "DEFAULT_SIGNAL_EFFECTS",
    "build_signal_effects",
    "default_signal_effects",
    "detection_probability",
    "look_snr_db",
    "paths_from_aer",
    "radar_equation_snr_db",
    "radar_terms",
    "snr_db",
]

DEFAULT_SIGNAL_EFFECTS = (
    "clear_air_attenuation",
    "terrain_diffraction",
    "ground_clutter",
    "doppler_notch",
)
"""Effects every radar applies, by registered name: propagation, clutter and the Doppler
blind zone."""


def default_signal_effects() -> tuple[SignalEffect, ...]:
    """The :data:`DEFAULT_SIGNAL_EFFECTS`, built with their default settings."""
    return tuple(SIGNAL_EFFECTS.get(name)() for name in DEFAULT_SIGNAL_EFFECTS)


def build_signal_effects(
    choices: Iterable[tuple[str, Mapping[str, Any]]] = (),
) -> tuple[SignalEffect, ...]:
    """The default effects followed by those chosen by name, built from their settings.

    Parameters
    ----------
    choices : iterable of (name, settings)
        Registered names and keyword settings for their factories, in the order applied
        (a scenario's ``signal_effects``); a default effect's name sets that default's
        settings in its place.

    Raises
    ------
    iadsim.core.registry.UnknownModelError
        For a name no effect is registered under.
    """
    chosen = [(name, dict(settings)) for name, settings in choices]
    replaced = {name: settings for name, settings in chosen if name in DEFAULT_SIGNAL_EFFECTS}
    defaults = tuple(
        SIGNAL_EFFECTS.get(name)(**replaced.get(name, {})) for name in DEFAULT_SIGNAL_EFFECTS
    )
    extra = tuple(
        SIGNAL_EFFECTS.get(name)(**settings)
        for name, settings in chosen
        if name not in DEFAULT_SIGNAL_EFFECTS
    )
    return defaults + extra


def radar_terms(radar: Radar) -> RadarTerms:
    """What clutter and Doppler effects read of a radar (:class:`RadarTerms`)."""
    spec = radar.spec
    return RadarTerms(
        reference_snr_db=radar.reference_snr_db,
        reference_rcs_m2=spec.reference_rcs_m2,
        beamwidth_rad=spec.beamwidth_rad,
        range_resolution_m=spec.range_resolution_m,
        antenna_height_agl_m=radar.antenna_height_agl_m,
        clutter_improvement_db=spec.clutter_improvement_db,
        doppler_notch_mps=spec.doppler_notch_mps,
        velocity_ecef_mps=radar.vel_ecef_mps,
        noise_figure_db=spec.noise_figure_db,
        sidelobe_level_db=spec.sidelobe_level_db,
    )


def _rows_of_three(values: ArrayLike) -> NDArray[np.float64]:
    """``np.asarray(values, np.float64).reshape(-1, 3)``, ``(n, 3)``; an ``(n, 3)`` float64
    array (a look's rows, as :meth:`Radar.detect` passes them) comes back as it is, without
    the two calls."""
    if (
        type(values) is np.ndarray
        and values.dtype == np.float64
        and values.ndim == 2
        and values.shape[1] == 3
    ):
        return values
    return np.asarray(values, np.float64).reshape(-1, 3)


def paths_from_aer(
    radar: Radar,
    aer: NDArray[np.float64],
    target_pos_ecef_m: NDArray[np.float64] | None = None,
    obstacle: DominantObstacle | None = None,
    target_vel_ecef_mps: NDArray[np.float64] | None = None,
    jammers: JammerEmitters | None = None,
) -> RadarPaths:
    """Path geometry of a radar to targets from their azimuth, elevation and range.

    Parameters
    ----------
    radar : Radar
    aer : (n, 3) float64
        Azimuth (rad), elevation (rad) and slant range (m), as from
        :meth:`Radar.in_coverage`.
    target_pos_ecef_m : (n, 3) float64, optional
        Target positions, ECEF, m; computed from ``aer`` when not given.
    obstacle : DominantObstacle, optional
        Each path's dominant terrain obstacle
        (:func:`iadsim.geo.terrain_obstacle.dominant_obstacle`), arrays ``(n,)``; none: no
        terrain (no diffraction loss).
    target_vel_ecef_mps : (n, 3) float64, optional
        Target velocities, ECEF, m/s; none: unknown (no Doppler blind zone).
    jammers : JammerEmitters, optional
        Noise jammers radiating at the radar now; none: no jamming on these paths.
    """
    aer = _rows_of_three(aer)
    if target_pos_ecef_m is None:
        enu = aer_to_enu(aer[:, 0], aer[:, 1], aer[:, 2])
        target_pos_ecef_m = enu_to_ecef(enu, radar.pos_ecef_m, radar.rotation)
    return RadarPaths(
        radar_pos_ecef_m=radar.pos_ecef_m,
        radar_alt_m=radar.alt_m,
        frequency_hz=radar.spec.frequency_hz,
        reference_range_m=radar.spec.detection_range_m,
        range_m=aer[:, 2],
        azimuth_rad=aer[:, 0],
        elevation_rad=aer[:, 1],
        target_pos_ecef_m=_rows_of_three(target_pos_ecef_m),
        obstacle_height_m=None if obstacle is None else obstacle.height_m,
        obstacle_d1_m=None if obstacle is None else obstacle.d1_m,
        obstacle_d2_m=None if obstacle is None else obstacle.d2_m,
        target_vel_ecef_mps=(
            None if target_vel_ecef_mps is None else _rows_of_three(target_vel_ecef_mps)
        ),
        radar=radar.chain_terms,
        jammers=jammers,
    )


def look_snr_db(
    radar: Radar,
    aer: NDArray[np.float64],
    target_pos_ecef_m: NDArray[np.float64],
    obstacle: DominantObstacle | None,
    target_vel_ecef_mps: NDArray[np.float64] | None,
    jammers: JammerEmitters | None,
    rcs_m2: NDArray[np.float64],
) -> NDArray[np.float64]:
    """:func:`snr_db` on the paths :func:`paths_from_aer` gives for these arguments (the
    rows of one look: ``(n, 3)`` float64 arrays, ``rcs_m2`` ``(n,)`` float64), building
    the paths only where an effect reads them: not in the fused default chain
    (:func:`iadsim.sensors.fused_chain.fused_snr_db`) unless an effect's shortcut fails."""

    def paths() -> RadarPaths:
        return paths_from_aer(radar, aer, target_pos_ecef_m, obstacle, target_vel_ecef_mps, jammers)

    if (
        radar.default_chain
        and obstacle is not None
        and target_vel_ecef_mps is not None
        and obstacle.height_m.ndim == 1
    ):
        return fused_snr_db(
            radar,
            aer[:, 2],
            aer[:, 1],
            rcs_m2,
            target_pos_ecef_m,
            target_vel_ecef_mps,
            obstacle.height_m,
            obstacle.d1_m,
            obstacle.d2_m,
            paths,
        )
    return snr_db(radar, paths(), rcs_m2)


def radar_equation_snr_db(radar: Radar, range_m: ArrayLike, rcs_m2: ArrayLike) -> NDArray:
    """Step 1 alone: the R^4 law from the catalog statement, before signal effects, dB.

    Parameters
    ----------
    radar : Radar
    range_m : (n,) float64
        Slant range, m (clamped to at least 1 m).
    rcs_m2 : (n,) float64
        Mean RCS towards the radar, m^2.
    """
    spec = radar.spec
    return (
        radar.reference_snr_db
        + 10.0 * np.log10(np.asarray(rcs_m2) / spec.reference_rcs_m2)
        + 40.0 * np.log10(spec.detection_range_m / np.maximum(range_m, 1.0))
    )


def snr_db(radar: Radar, paths: RadarPaths, rcs_m2: ArrayLike) -> NDArray[np.float64]:
    """Single-pulse SNR on each path: radar equation plus every signal effect of the radar.

    Parameters
    ----------
    radar : Radar
        Its ``signal_effects`` are applied in order.
    paths : RadarPaths
        ``n`` paths of this radar (:func:`paths_from_aer`).
    rcs_m2 : (n,) float64
        Mean RCS of each target towards the radar, m^2.

    Returns
    -------
    (n,) float64
        SNR, dB.
    """
    if radar.default_chain:  # the same operations in two compiled passes, where they apply
        fused = default_chain_snr_db(radar, paths, rcs_m2)  # type: ignore[arg-type]
        if fused is not None:
            return fused
    snr = radar_equation_snr_db(radar, paths.range_m, rcs_m2)
    for effect in radar.signal_effects:
        snr = snr + effect.snr_change_db(paths)
    return snr


def detection_probability(
    radar: Radar,
    snr_db: ArrayLike,
    swerling: int | ArrayLike,
    snr_linear: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Single-look Pd at the radar's reference Pfa, one pulse, by Swerling case.

    Parameters
    ----------
    radar : Radar
    snr_db : (n,) float64
        SNR of each path, dB (:func:`snr_db`).
    swerling : int or (n,) int
        Swerling case of each target (0-4).
    snr_linear : (n,) float64, optional
        ``np.power(10.0, snr_db / 10.0)`` where the caller has it (a look's measurements
        read it too); computed here otherwise.

    Returns
    -------
    (n,) float64
    """
    pfa = radar.spec.reference_pfa
    # A look's (n,) array as it is: np.asarray's call only for other inputs
    cases = swerling if type(swerling) is np.ndarray else np.asarray(swerling)
    ratio = snr_linear
    if ratio is None:
        snr = snr_db  # a look's (n,) float64 SNR as it is: np.asarray's call for other inputs
        if not (type(snr) is np.ndarray and snr.dtype == np.float64):
            snr = np.asarray(snr_db, np.float64)
        ratio = np.power(10.0, snr / 10.0)
    if cases.ndim == 0:
        return pd_one_look(ratio, float(pfa), int(cases))
    first = (cases[0] if cases.ndim == 1 else cases.flat[0]) if cases.size else 0
    if cases.size and np.logical_and.reduce(cases == first, axis=None):  # one case (usual)
        return pd_one_look(ratio, float(pfa), int(first))
    probability = np.zeros(ratio.shape)
    for case in sorted(set(cases.tolist())):  # np.unique's order, without its sort
        rows = cases == case
        probability[rows] = pd_one_look(ratio[rows], float(pfa), int(case))
    return probability
