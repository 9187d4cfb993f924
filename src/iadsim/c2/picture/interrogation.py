"""The interrogation stage: each post's IFF interrogator scans when due, its replies are
correlated with the post's tracks.

An interrogator scans its sector once per ``interval_s``, at a phase drawn per post (as the
radars' scan phases are); an airborne one rides on its post's carrier and is silent while
the carrier is on the ground or destroyed. A transponder is interrogated only along a clear
line of sight (the effective-earth terrain test of :mod:`iadsim.geo.line_of_sight`: the
1030/1090 MHz link is line of sight, as the radar's), tested only for the transponders that
could answer. The replies go to the post's picture
(:func:`~iadsim.c2.picture.iff_correlation.note_replies`); the rules read them at the next
decision cycle.

A post with a national IFF gateway (``FireUnitState.gateway_modes``) receives the secure
replies it cannot read only through the gateway: the replies of those modes are held back
and noted ``gateway_latency_s`` after the scan (at the first step at or after that time),
correlated with the tracks retrodicted to the scan. The scan itself is stamped when it
happens; the late replies stamp only their reply times (the scan time, which is when the
friend last answered).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from iadsim.c2.picture.iff_correlation import note_replies
from iadsim.core.kinematics import vector_norm
from iadsim.core.rng import RandomStreams
from iadsim.geo.line_of_sight import terrain_clear
from iadsim.geo.terrain import ElevationGrid
from iadsim.motion.truth import TruthState
from iadsim.sensors.iff import IffTargets, Interrogator, ReplyBatch, Transponders


class InterrogationStage:
    """The IFF interrogators of a run's posts and their scan schedules.

    Parameters
    ----------
    units : sequence of FireUnitState
        Posts; those with an ``interrogator`` interrogate (``carrier`` >= 0: airborne).
    transponders : Transponders
        Of the air entities.
    terrain : ElevationGrid
    streams : RandomStreams
        ``iff-phase`` sets the scan phases; ``iff:<unit name>`` draws each scan.
    accel_std_mps2 : float
        Trackers' process noise, for predicting tracks to the scan time.
    """

    def __init__(
        self,
        units: Sequence[Any],
        transponders: Transponders,
        terrain: ElevationGrid,
        streams: RandomStreams,
        accel_std_mps2: float,
    ) -> None:
        self.units = [unit for unit in units if unit.interrogator is not None]
        self.transponders = transponders
        self.terrain = terrain
        self.accel_std_mps2 = accel_std_mps2
        phase = streams.get("iff-phase")
        intervals = [u.interrogator.interval_s for u in self.units]
        self.next_scan_s: list[float] = phase.uniform(0.0, intervals).tolist()
        """When each interrogator scans next, s (Python floats: read at every step)."""
        self._first_due_s = min(self.next_scan_s, default=math.inf)
        """When the first interrogator is due: steps before it scan nothing."""
        self._answering = [(transponders.modes & u.interrogator.modes) != 0 for u in self.units]
        """Per unit (index in ``units``): transponders answering a mode it interrogates."""
        self._draws = [streams.get(f"iff:{u.name}") for u in self.units]
        """Per unit: the stream its scans draw from (a stream does not depend on when it is
        first asked for)."""
        self.gateway_queue: list[tuple[float, int, ReplyBatch, Interrogator]] = []
        """Replies a gateway has decoded and not yet delivered: (due s, unit, replies, the
        interrogator where they were measured), in the order of their scans."""

    def step(self, t: float, truth: TruthState) -> dict[str, ReplyBatch]:
        """Scan with every interrogator due at ``t``; return the replies by post name."""
        scans = self._scan_due(t, truth) if t >= self._first_due_s else {}  # most steps: {}
        if self.gateway_queue:  # empty at most steps, and at every step without a gateway
            self._deliver(t)
        return scans

    def _scan_due(self, t: float, truth: TruthState) -> dict[str, ReplyBatch]:
        """Scan with every interrogator due at ``t`` and note the replies it reads itself;
        return the replies by post name."""
        scans = {}
        for k, unit in enumerate(self.units):
            if t < self.next_scan_s[k]:
                continue
            self.next_scan_s[k] += unit.interrogator.interval_s
            interrogator = self._placed(unit, truth)
            if interrogator is None:
                continue
            present = truth.present  # read only by the scan
            if unit.carrier >= 0:
                present = present.copy()
                present[unit.carrier] = False  # its own transponder is suppressed
            targets = IffTargets(truth.pos_ecef_m, truth.lla[:, 2], present, self.transponders)
            visible = self._line_of_sight(interrogator, truth, present & self._may_reply(k, t))
            replies = interrogator.scan(targets, t, self._draws[k], visible)
            direct, late = split_replies(replies, unit.gateway_modes)
            note_replies(unit.picture, interrogator, direct, self.accel_std_mps2)
            if late is not None:
                self.gateway_queue.append((t + unit.gateway_latency_s, k, late, interrogator))
            scans[unit.name] = replies
        self._first_due_s = min(self.next_scan_s, default=math.inf)
        return scans

    def _deliver(self, t: float) -> None:
        """Note the gateway replies due by ``t``, oldest scan first."""
        due = [entry for entry in self.gateway_queue if entry[0] <= t]
        if not due:
            return
        self.gateway_queue = [entry for entry in self.gateway_queue if entry[0] > t]
        for _, k, batch, interrogator in due:
            picture = self.units[k].picture
            note_replies(picture, interrogator, batch, self.accel_std_mps2, late=True)

    @staticmethod
    def _placed(unit: Any, truth: TruthState) -> Interrogator | None:
        """The unit's interrogator where it is now; None while its carrier is not flying."""
        if unit.carrier < 0:
            return unit.interrogator
        if not truth.present[unit.carrier]:
            return None
        lat, lon, alt = truth.lla[unit.carrier]
        return unit.interrogator.moved(float(lat), float(lon), float(alt))

    def _may_reply(self, k: int, t: float) -> np.ndarray:
        """``(n,) bool``: the transponders that answer a mode of unit ``k``'s interrogator
        and have not failed by ``t`` (the others give no reply, in sight or not)."""
        return self._answering[k] & (t < self.transponders.failure_s)

    def _line_of_sight(
        self, interrogator: Interrogator, truth: TruthState, candidates: np.ndarray
    ) -> np.ndarray:
        """Entities of ``candidates`` ``(n,) bool`` in range with a clear line of sight from
        the antenna, ``(n,) bool`` (False for the others: the terrain test is the costly one
        and only transponders that may reply need it)."""
        distance = vector_norm(truth.pos_ecef_m - interrogator.pos_ecef_m)
        rows = (candidates & (distance <= interrogator.max_range_m)).nonzero()[0]
        visible = np.zeros(len(truth.present), dtype=bool)
        if rows.size:
            visible[rows] = terrain_clear(
                interrogator.lat_rad,
                interrogator.lon_rad,
                interrogator.alt_m,
                truth.lla[rows, 0],
                truth.lla[rows, 1],
                truth.lla[rows, 2],
                self.terrain,
            )
        return visible


def split_replies(replies: ReplyBatch, gateway_modes: int) -> tuple[ReplyBatch, ReplyBatch | None]:
    """The replies a post reads itself and those only its gateway reads (None: no gateway).

    Parameters
    ----------
    replies : ReplyBatch
        One scan's replies.
    gateway_modes : int
        Bit mask of the modes only the gateway reads (0: no gateway).

    Returns
    -------
    direct, late : ReplyBatch, ReplyBatch or None
        ``late`` holds the gateway's modes' replies (possibly none) when there is a gateway.
    """
    if not gateway_modes:
        return replies, None
    late = ((1 << replies.mode) & gateway_modes) != 0
    return replies.subset(~late), replies.subset(late)
