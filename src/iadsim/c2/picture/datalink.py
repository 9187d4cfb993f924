"""Data links between command posts: track reports, their latency, and each post's fused picture.

Every post on a link reports its confirmed tracks every ``update_interval_s`` (Link 16 air
track reports: ECEF state and covariance, identity, track number); a report reaches the other
posts on the link ``latency_s`` later. A receiver keeps the latest report of each source and
extrapolates its tracks to the present at constant velocity, the covariance growing with the
trackers' process noise. At each decision cycle a post correlates what it holds
(:meth:`LinkReceiver.correlate`, the only step that changes the correlation memory); a
snapshot reads the fused picture without changing anything (:meth:`LinkReceiver.fuse`), so
recording cannot change identities. The fused picture is formed as:

1. its own confirmed tracks, predicted to the present (ECEF);
2. for each source in scenario order, the source's tracks are correlated with the picture so
   far (:func:`~iadsim.tracking.fusion.correlate`; a pairing made before is kept while it
   stays in the hold gate, as track-number correlation does); correlated pairs are fused by
   covariance intersection, uncorrelated remote tracks join the picture as remote-only rows;
3. decided remote identities (friend, neutral, hostile) are offered to the post's own tracks
   (identification rule 2) and fill undecided remote-only rows.

The own tracker is never fed remote data: engagements still need the unit's own fire-control
track; remote tracks identify and complete the picture. Model note: docs/models/fusion.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from iadsim.c2.picture._link_kernels import pass_identities_kernel
from iadsim.c2.picture.identification import Identity
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.geo._frame_kernels import enu_to_ecef_kernel
from iadsim.tracking.fusion import correlate, covariance_intersection
from iadsim.tracking.kalman import constant_velocity_predict

SHARED_IDENTITIES = (Identity.FRIEND, Identity.NEUTRAL, Identity.HOSTILE)
"""Identities a post adopts from the link (decided ones only)."""
CORRELATION_GATE_PROBABILITY = 0.999
"""Gate of a new track-to-track pairing (chi-square, 3 dof)."""
CORRELATION_HOLD_PROBABILITY = 0.999999
"""Looser gate inside which an existing pairing is kept (hysteresis)."""
STALE_REPORTS = 3
"""A source's report is dropped once this many later reports are overdue."""
REPORT_MAX_POSITION_STD_M = 2000.0
"""A post reports a track only while its position is known to this RMS error per axis (m).
Link 16 air-track reports carry a track quality and poor tracks do not win correlation; here
they are simply not sent (notional threshold)."""
VELOCITY_GATE_PROBABILITY = 0.999
"""Velocity consistency gate of a pairing (chi-square, 3 dof)."""
LINK_LABELS = {"link16": "L16", "link11": "L11", "link22": "L22"}
"""Short labels of remote-only rows' ids (``L16:<source>:<track id>``)."""


_PENDING = int(Identity.PENDING)
assert _PENDING == 0, "_pending() fills with zeros"
_IS_DECIDED = np.isin(np.arange(max(Identity) + 1), [int(i) for i in SHARED_IDENTITIES])
"""Lookup table: identity code -> adopted from the link (:data:`SHARED_IDENTITIES`)."""


def _position_rms_m(cov: np.ndarray) -> np.ndarray:
    """RMS position error per axis, ``sqrt(tr P_pp / 3)``, of covariances ``(n, d, d)``.

    The trace summed in the order ``np.trace`` sums it, without its Python-level calls.
    """
    return np.sqrt((cov[:, 0, 0] + cov[:, 1, 1] + cov[:, 2, 2]) / 3.0)


def _as_pairs(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray] | None:
    """``[(i, j), ...]`` as the ``(rows_a, rows_b)`` arrays of :func:`correlate`."""
    if not pairs:
        return None
    array = np.array(pairs, dtype=np.int64)
    return array[:, 0], array[:, 1]


def _pending(n: int) -> np.ndarray:
    """``(n,)`` int8 of ``Identity.PENDING`` (0)."""
    return np.zeros(n, dtype=np.int8)


@dataclass(frozen=True)
class TrackReport:
    """One post's confirmed tracks as sent on a link (ECEF, SI).

    Attributes
    ----------
    link : str
    source : int
        Index of the sending unit.
    source_name : str
    sent_s : float
    track_id : (n,) int64
    time_s : (n,) float64
        Time of each state estimate (the sender's last prediction or update).
    state_ecef : (n, 6) float64
        Position (m) and velocity (m/s), ECEF.
    covariance_ecef : (n, 6, 6) float64
    identity : (n,) int8
    truth : (n,) int64
        Truth each track follows (-1 none); for scoring only.
    """

    link: str
    source: int
    source_name: str
    sent_s: float
    track_id: np.ndarray
    time_s: np.ndarray
    state_ecef: np.ndarray
    covariance_ecef: np.ndarray
    identity: np.ndarray
    truth: np.ndarray

    def __len__(self) -> int:
        return len(self.track_id)

    @cached_property
    def track_ids(self) -> list[int]:
        """``track_id`` as Python ints (a report is read at several decision cycles)."""
        return self.track_id.tolist()

    @cached_property
    def keys(self) -> list[tuple[int, int]]:
        """Correlation key of each track as a remote-only row, ``(source, track id)``."""
        return [(self.source, rid) for rid in self.track_ids]

    @cached_property
    def row_ids(self) -> list[str]:
        """Id of each track as a remote-only row, ``L16:<source name>:<track id>``."""
        label = LINK_LABELS.get(self.link, self.link)
        return [f"{label}:{self.source_name}:{rid}" for rid in self.track_ids]


def _to_ecef(picture: CommandPostPicture, state: np.ndarray, cov: np.ndarray):
    """ENU states ``(n, 6)`` and covariances ``(n, 6, 6)`` of a post's frame to ECEF.

    Positions go through geo's compiled :func:`~iadsim.geo._frame_kernels.enu_to_ecef_kernel`
    (the bits of :func:`~iadsim.geo.frames.enu_to_ecef`).
    """
    R = picture.rotation  # ECEF -> ENU; ENU vectors map back with R.T
    T = np.zeros((6, 6))
    T[:3, :3] = T[3:, 3:] = R.T
    state_ecef = np.empty((len(state), 6))
    state_ecef[:, :3] = enu_to_ecef_kernel(state, picture.origin_ecef_m, R)
    state_ecef[:, 3:] = state[:, 3:] @ R
    return state_ecef, T @ cov @ T.T


def own_tracks_ecef(
    picture: CommandPostPicture,
    slots: np.ndarray,
    time_s: float | None,
    accel_std_mps2: float,
    retrodict: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """A post's tracks in ECEF, predicted at constant velocity to ``time_s`` (None: as held).

    A track updated after ``time_s`` is held as it is, unless ``retrodict``: then it is
    predicted back to ``time_s`` with the same model run backwards (``F(-T)``, and the DWNA
    noise of gain ``(T^2/2, -T)``, which stays positive semi-definite): the retrodiction of
    a track to the time of an out-of-sequence measurement (Bar-Shalom, "Update with
    out-of-sequence measurements in tracking: exact solution", IEEE Trans. AES 38(3),
    2002), with the process noise approximated rather than the exact solution's.

    Returns
    -------
    state : (n, 6) float64
    covariance : (n, 6, 6) float64
    """
    table = picture.table
    state = table.state[slots, :6]
    cov = table.covariance[slots, :6, :6]
    if time_s is not None and slots.size:
        dt = time_s - table.time_s[slots]
        if not retrodict:
            dt = np.maximum(dt, 0.0)
        state, cov = constant_velocity_predict(state, cov, dt, accel_std_mps2)
    return _to_ecef(picture, state, cov)


def make_report(
    unit_index: int, name: str, picture: CommandPostPicture, link: str, sent_s: float
) -> TrackReport:
    """The report a post sends at ``sent_s``: its confirmed tracks as last estimated.

    Only tracks known to :data:`REPORT_MAX_POSITION_STD_M` are sent, and an identity the
    post itself took from the link goes out as ``PENDING``: only the post that decided an
    identity reports it, so that two posts do not keep a wrong identity alive by echoing it.
    """
    slots = picture.confirmed_slots()
    slots = slots[_position_rms_m(picture.table.covariance[slots]) <= REPORT_MAX_POSITION_STD_M]
    state, cov = own_tracks_ecef(picture, slots, None, 0.0)
    identity = picture.column("identity")[slots].astype(np.int8)
    identity[picture.column("identity_from_link")[slots] > 0] = Identity.PENDING
    return TrackReport(
        link,
        unit_index,
        name,
        float(sent_s),
        picture.table.track_id[slots].copy(),
        picture.table.time_s[slots].copy(),
        state,
        cov,
        identity,
        picture.column("truth")[slots].astype(np.int64),
    )


@dataclass
class FusedPicture:
    """The picture a post holds at one time: own tracks (fused) first, then remote-only rows.

    Attributes
    ----------
    time_s : float
    own_track_id : (n_own,) int64
        Track ids of the own rows.
    remote_ids : list of str
        Ids of the remote-only rows (``"L16:<source>:<id>"``).
    state_ecef : (n, 6) float64
    covariance_ecef : (n, 6, 6) float64
    identity : (n,) int8
    truth : (n,) int64
    own_slot : (n,) int64
        Slot of the post's own track, -1 for remote-only rows.
    linked : (n_own,) int8
        Decided identity the link offers each own track (``PENDING`` where none), in the
        order of ``picture.confirmed_slots()``.
    """

    time_s: float
    own_track_id: np.ndarray
    remote_ids: list[str]
    state_ecef: np.ndarray
    covariance_ecef: np.ndarray
    identity: np.ndarray
    truth: np.ndarray
    own_slot: np.ndarray
    linked: np.ndarray

    @property
    def n_own(self) -> int:
        """Rows that are the post's own tracks."""
        return len(self.linked)

    @cached_property
    def ids(self) -> list[str]:
        """Id of every row: own track ids (``"12"``), then :attr:`remote_ids`.

        Formed when first read: a decision cycle reads at most the remote-only ones.
        """
        return [str(i) for i in self.own_track_id.tolist()] + self.remote_ids


class _PictureRows:
    """The rows of a picture being fused: the post's own tracks, then remote-only ones.

    ``ref_state``/``ref_cov`` hold every row as first held, which is what each source is
    correlated with; ``state``/``cov`` are the fused rows, the same arrays until a pair is
    fused. Remote-only rows are appended in blocks and concatenated when the rows are next
    read, so that a cycle with one source concatenates once.

    Parameters
    ----------
    track_id : (n_own,) int64
    state : (n_own, 6) float64
        ECEF, at the picture's time.
    cov : (n_own, 6, 6) float64
    identity : (n_own,) int8
    truth : (n_own,) int64
    """

    def __init__(
        self,
        track_id: np.ndarray,
        state: np.ndarray,
        cov: np.ndarray,
        identity: np.ndarray,
        truth: np.ndarray,
    ) -> None:
        self.own_track_id = track_id
        self.n_own = len(track_id)
        self.ref_state = self.state = state
        self.ref_cov = self.cov = cov
        self.identity = identity
        self.truth = truth
        self.keys: list[tuple[int, int]] = [(-1, i) for i in track_id.tolist()]
        """Correlation key of each row: ``(-1, own track id)`` or ``(source, track id)``."""
        self.remote_ids: list[str] = []
        # A vague own track (coasting, or new) is not correlated: it would gate with anything.
        self._eligible_own = (_position_rms_m(cov) <= REPORT_MAX_POSITION_STD_M).nonzero()[0]
        self._blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def candidates(self) -> np.ndarray:
        """Rows a source may be correlated with, ascending: eligible own rows, remote rows."""
        if not self.remote_ids:
            return self._eligible_own
        n_rows = self.n_own + len(self.remote_ids)
        return np.concatenate([self._eligible_own, np.arange(self.n_own, n_rows)])

    def fuse(self, rows: np.ndarray, state: np.ndarray, cov: np.ndarray) -> None:
        """Fuse remote estimates ``(k, 6)``, ``(k, 6, 6)`` into ``rows`` (covariance
        intersection); the reference rows keep their states."""
        self.flush()
        if self.state is self.ref_state:
            self.state, self.cov = self.state.copy(), self.cov.copy()
        self.state[rows], self.cov[rows], _ = covariance_intersection(
            self.state[rows], self.cov[rows], state, cov
        )

    def append(
        self,
        keys: list[tuple[int, int]],
        ids: list[str],
        state: np.ndarray,
        cov: np.ndarray,
        identity: np.ndarray,
        truth: np.ndarray,
    ) -> None:
        """Add remote-only rows (held in a block until :meth:`flush`)."""
        self.keys.extend(keys)
        self.remote_ids.extend(ids)
        self._blocks.append((state, cov, identity, truth))

    def flush(self) -> None:
        """Concatenate the blocks appended since the last flush onto the row arrays."""
        if not self._blocks:
            return
        states, covs, identities, truths = zip(*self._blocks, strict=True)
        self._blocks = []
        fused = self.state is not self.ref_state
        self.ref_state = np.concatenate([self.ref_state, *states])
        self.ref_cov = np.concatenate([self.ref_cov, *covs])
        if fused:
            self.state = np.concatenate([self.state, *states])
            self.cov = np.concatenate([self.cov, *covs])
        else:
            self.state, self.cov = self.ref_state, self.ref_cov
        self.identity = np.concatenate([self.identity, *identities])
        self.truth = np.concatenate([self.truth, *truths])

    def picture(self, time_s: float, slots: np.ndarray, linked: np.ndarray) -> FusedPicture:
        """The fused picture of these rows; ``slots`` ``(n_own,)`` of the own tracks."""
        self.flush()
        own_slot = np.empty(self.n_own + len(self.remote_ids), dtype=np.int64)
        own_slot[: self.n_own] = slots
        own_slot[self.n_own :] = -1
        return FusedPicture(
            time_s,
            self.own_track_id,
            self.remote_ids,
            self.state,
            self.cov,
            self.identity,
            self.truth,
            own_slot,
            linked,
        )


@dataclass
class LinkReceiver:
    """What one post has received over its links, and its track-number correlations.

    Parameters
    ----------
    accel_std_mps2 : float
        Process noise of the extrapolation (the trackers' DWNA acceleration, m/s²).
    """

    accel_std_mps2: float
    reports: dict[int, TrackReport] = field(default_factory=dict)
    max_age_s: dict[int, float] = field(default_factory=dict)
    pairs: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    """Source -> remote track id -> key of the picture row it was correlated with; keys are
    ``(-1, own track id)`` or ``(source, remote track id)`` of a remote-only row."""
    correlated: FusedPicture | None = None
    """The picture of the last :meth:`correlate` (states not fused), None when no report
    was held then: the decision log reads its remote-only rows."""

    def receive(self, report: TrackReport, update_interval_s: float, latency_s: float) -> None:
        """Keep ``report`` if it is the latest from its source (over any shared link)."""
        held = self.reports.get(report.source)
        if held is not None and held.sent_s > report.sent_s:
            return
        self.reports[report.source] = report
        self.max_age_s[report.source] = STALE_REPORTS * update_interval_s + latency_s

    def linked_identities(self, picture: CommandPostPicture, time_s: float) -> np.ndarray:
        """Correlate (updating the memory) and return the identities the link offers.

        The decision stage's step: see :meth:`correlate`.

        Returns
        -------
        (n_confirmed,) int8
            In ``picture.confirmed_slots()`` order; ``Identity.PENDING`` where none.
        """
        if not self.reports:
            if self.pairs:
                self.pairs.clear()
            self.correlated = None
            return _pending(picture.confirmed_slots().size)
        return self.correlate(picture, time_s).linked

    def correlate(self, picture: CommandPostPicture, time_s: float) -> FusedPicture:
        """Correlate the held reports with the post's picture and keep the pairings.

        The one step that changes the receiver: stale reports are dropped and the
        track-number correlations (the hold-gate memory) are replaced by this pass's. The
        engine calls it at each of the post's decision cycles, so the memory evolves with the
        decision clock only, whatever else reads the picture. States are not fused (the
        decision cycle needs only the pairs and identities).
        """
        fused, pairs = self._fuse(picture, time_s, fuse_states=False)
        for source in [s for s in self.reports if s not in pairs]:
            del self.reports[source]
            self.max_age_s.pop(source, None)
        self.pairs = pairs
        self.correlated = fused
        return fused

    def fuse(self, picture: CommandPostPicture, time_s: float) -> FusedPicture:
        """The post's fused picture at ``time_s``; reads only (for snapshots and metrics).

        The correlation memory of the last :meth:`correlate` is used as it stands, and
        neither it nor the held reports change, so calling this any number of times, at any
        times, leaves the run as it was.
        """
        fused, _ = self._fuse(picture, time_s, fuse_states=True)
        return fused

    def _fuse(
        self, picture: CommandPostPicture, time_s: float, fuse_states: bool
    ) -> tuple[FusedPicture, dict[int, dict[int, tuple[int, int]]]]:
        """The fused picture at ``time_s`` and the pairings it used, changing nothing.

        Each source is correlated with the picture's rows as they stand before any fusion
        (own tracks, and remote-only rows as first received), so the pairs do not depend on
        ``fuse_states``; with ``fuse_states=False`` the covariance intersection is skipped.
        Stale sources are left out of the returned pairings.
        """
        slots = picture.confirmed_slots()
        state, cov = own_tracks_ecef(picture, slots, time_s, self.accel_std_mps2)
        track_id = picture.table.track_id[slots]
        identity = picture.column("identity")[slots].astype(np.int8)
        truth = picture.column("truth")[slots].astype(np.int64)
        linked = _pending(slots.size)
        reports, max_age_s = self.reports, self.max_age_s
        live = [s for s in sorted(reports) if time_s - reports[s].sent_s <= max_age_s[s]]
        if not live:  # the own tracks alone
            own_slot = slots.astype(np.int64)
            return FusedPicture(
                time_s, track_id, [], state, cov, identity, truth, own_slot, linked
            ), {}
        rows = _PictureRows(track_id, state, cov, identity, truth)
        new_pairs = {
            source: self._add_source(rows, linked, self.reports[source], time_s, fuse_states)
            for source in live
        }
        return rows.picture(time_s, slots, linked), new_pairs

    def _add_source(
        self,
        rows: _PictureRows,
        linked: np.ndarray,
        report: TrackReport,
        time_s: float,
        fuse_states: bool,
    ) -> dict[int, tuple[int, int]]:
        """Correlate one source's report with ``rows`` and add it to them (step 2 and 3 of
        the module docstring); ``linked`` ``(n_own,)`` is filled in place.

        Returns
        -------
        dict
            The source's pairings: remote track id -> key of its row.
        """
        n_report = report.track_id.size
        if n_report == 0:
            return {}
        r_state, r_cov = constant_velocity_predict(
            report.state_ecef,
            report.covariance_ecef,
            np.maximum(time_s - report.time_s, 0.0),
            self.accel_std_mps2,
        )
        rows.flush()
        candidates = rows.candidates()
        keys, rids = rows.keys, report.track_ids
        row_of = {keys[row]: k for k, row in enumerate(candidates.tolist())}
        memory = self.pairs.get(report.source, {})
        previous = [
            (row_of[memory[rid]], j)
            for j, rid in enumerate(rids)
            if rid in memory and memory[rid] in row_of
        ]
        pairs = correlate(
            rows.ref_state[candidates],
            rows.ref_cov[candidates],
            r_state,
            r_cov,
            CORRELATION_GATE_PROBABILITY,
            _as_pairs(previous),
            CORRELATION_HOLD_PROBABILITY,
            VELOCITY_GATE_PROBABILITY,
        )
        paired, cols = candidates[pairs.rows_a], pairs.rows_b
        if paired.size:
            if fuse_states:
                rows.fuse(paired, r_state[cols], r_cov[cols])
            self._pass_identities(rows, linked, paired, report.identity[cols], pairs.kept)
        taken = np.zeros(n_report, dtype=bool)
        taken[cols] = True
        new = (~taken).nonzero()[0]
        memory = {rids[j]: keys[i] for i, j in zip(paired.tolist(), cols.tolist(), strict=True)}
        if new.size:
            new_rows = new.tolist()
            added = [report.keys[j] for j in new_rows]
            for key in added:
                memory[key[1]] = key
            rows.append(
                added,
                [report.row_ids[j] for j in new_rows],
                r_state[new],
                r_cov[new],
                report.identity[new],
                report.truth[new],
            )
        return memory

    @staticmethod
    def _pass_identities(
        rows: _PictureRows,
        linked: np.ndarray,
        paired: np.ndarray,
        remote_identity: np.ndarray,
        kept: np.ndarray,
    ) -> None:
        """Offer the decided identities of correlated remote tracks: to own rows through
        ``linked`` (the first source's wins), to undecided remote-only rows directly.

        Only pairs that held since the last correlation pass identities on (``kept``).
        Compiled (:func:`~iadsim.c2.picture._link_kernels.pass_identities_kernel`, twin of
        :func:`~iadsim.c2.picture._link_kernels.pass_identities_reference`).
        """
        pass_identities_kernel(
            linked, rows.identity, paired, remote_identity, kept, rows.n_own, _IS_DECIDED
        )
