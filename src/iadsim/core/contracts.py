"""The roles of the pipeline as Protocols: what a model of each role takes and gives.

A model plays a role by having these methods (structural typing: no base class), registers a
factory under a stable name in :mod:`iadsim.core.registry`, and the contract suite in
``tests/contracts`` checks every registered model the same way (shapes, units, determinism
under a seed, inputs left unchanged), in the manner of scikit-learn's estimator checks.

| role | in | out |
|---|---|---|
| :class:`Tracker` | position detections of one look | updated track table |
| :class:`Assigner` | an :class:`EngagementProblem` | fire orders |
| :class:`IdentificationRule` | evidence on tracks | identity proposal and reason |
| :class:`SignalEffect` | radar path geometry | SNR change on each path, dB |
| :class:`Sensor` | truth at one instant | detection batch |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:  # type-only: core imports no domain package at run time
    from iadsim.tracking.doppler import RangeRates
    from iadsim.tracking.table import TrackTable


@runtime_checkable
class Tracker(Protocol):
    """A multi-target tracker acting on a track table, one look at a time."""

    def new_table(self, capacity: int = 256) -> TrackTable:
        """An empty table shaped for this tracker's filter."""
        ...

    def step(
        self,
        table: TrackTable,
        t_s: float,
        z_m: np.ndarray,
        R_m2: np.ndarray,
        expected: np.ndarray | None = None,
    ) -> np.ndarray:
        """Predict to ``t_s``, associate, update, start and delete tracks.

        Parameters
        ----------
        table : TrackTable
            Modified in place.
        t_s : float
            Time of the look, s.
        z_m : (n, 3) float64
            Detected positions in the table's ENU frame, m. Not modified.
        R_m2 : (n, 3, 3) float64
            Their error covariances, m². Not modified.
        expected : (capacity,) bool, optional
            Tracks the sensor could have detected in this look.

        Returns
        -------
        (n,) int64
            Id of the track each detection updated or started, -1 if discarded.
        """
        ...

    def update_range_rate(
        self, table: TrackTable, track_ids: np.ndarray, measured: RangeRates
    ) -> None:
        """Doppler update of tracks just updated or started by :meth:`step`."""
        ...

    def coast(self, table: TrackTable, t_s: float, expected: np.ndarray | None = None) -> None:
        """A look with no detections."""
        ...


class FireOrder(Protocol):
    """A decision to fire ``rounds`` of interceptor type ``interceptor`` at one track."""

    track_id: int
    interceptor: int
    rounds: int
    threat_value: float


@dataclass(frozen=True)
class EngagementProblem:
    """What a fire unit knows when it decides: tracks, their value, and what can reach them.

    Attributes
    ----------
    track_ids : (n,) int64
        Engageable tracks (fresh, of an identity the weapon control status allows).
    threat_value : (n,) float64
        Threat evaluation's value of each track, dimensionless.
    ranking : (n,) int64
        Rows of the tracks, most threatening first.
    feasible : (n, m) bool
        Track ``i`` can be intercepted by interceptor type ``j``.
    flight_time_s : (n, m) float64
        Time of flight to the intercept point, s (inf where infeasible).
    pk : (m,) float64
        Single-shot kill probability of each type.
    available : (m,) int64
        Rounds the unit may fire, by type, after any reserve.
    already_engaged : (n,) bool
        Tracks with interceptors already in flight at them.
    salvo : int
        Rounds per engagement.
    free_target_channels, free_missile_channels : int
        Guidance channels still free at the fire-control radar.
    """

    track_ids: np.ndarray
    threat_value: np.ndarray
    ranking: np.ndarray
    feasible: np.ndarray
    flight_time_s: np.ndarray
    pk: np.ndarray
    available: np.ndarray
    already_engaged: np.ndarray
    salvo: int
    free_target_channels: int
    free_missile_channels: int


@runtime_checkable
class Assigner(Protocol):
    """A weapon-target assignment method."""

    def assign(self, problem: EngagementProblem) -> Sequence[FireOrder]:
        """Fire orders within the problem's channels and magazines, most valuable first.

        Must not modify ``problem``'s arrays, order at most ``available`` rounds of a type,
        at most ``free_target_channels`` tracks and ``free_missile_channels`` rounds, only
        at feasible tracks not already engaged.
        """
        ...


@dataclass(frozen=True)
class TrackEvidence:
    """What a post knows about its tracks when it identifies them (never truth).

    Attributes
    ----------
    current : (n,) int8
        Current identities (``Identity`` values).
    secure_reply, civil_reply : (n,) bool
        Replies read at the last interrogation.
    linked : (n,) int8
        Identity received over the data link, ``Identity.PENDING`` where none.
    pos_m, vel_mps : (n, 3) float64
        Track states in the post's ENU frame, m and m/s.
    asset_pos_m : (k, 3) float64
        Defended assets in the same frame, m.
    procedural : (n,) int8
        Identity from flight plans and corridors, ``Identity.PENDING`` where none.
    """

    current: np.ndarray
    secure_reply: np.ndarray
    civil_reply: np.ndarray
    linked: np.ndarray
    pos_m: np.ndarray
    vel_mps: np.ndarray
    asset_pos_m: np.ndarray
    procedural: np.ndarray


@runtime_checkable
class IdentificationRule(Protocol):
    """One identification criterion: where it applies, the identity it proposes."""

    def propose(self, evidence: TrackEvidence) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(applies (n,) bool, identity (n,) int8)``."""
        ...
