"""Per-post accounting events: what each post's radars saw and what each post held, first.

Scoring only: it reads the posts' pictures and the reports they receive after the stages
have changed them, and records events; it changes nothing. Every event names the post it
belongs to (``unit``) and says whose sensor it came from; ranges are true ranges from the
radar (detections) or from the post (tracks), never from whichever sensor of the scenario
saw the aircraft first.

==========================  =======================================================
event ``kind``              recorded once per
==========================  =======================================================
``first_detection``         post, radar feeding it, air entity: the radar's first
                            detection of the entity; ``range_km`` from the radar
``first_track``             post, source, air entity: the first time the post held a
                            track on it, ``source: own`` (a confirmed track of its own
                            tracker, fed by its own radars; ``radar`` whose look
                            confirmed it or gave it this entity) or ``source: link``
                            (a track report received over ``link`` from ``reporter``,
                            on an entity still flying);
                            ``range_km`` from the post
``fire_control_track``      post, air entity: the first time a fire-control radar of
                            the post updated a confirmed track of the post on it (the
                            freshness a fire unit needs to engage); ``range_km`` from
                            the post
``airborne_at_end``         air entity that had started, was not killed and had not
                            finished its route when the run ended
==========================  =======================================================

The position of a ground post is its site; that of an airborne post, its carrier's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from iadsim.c2.picture.datalink import TrackReport
from iadsim.engine._accounting_kernels import new_holdings_kernel
from iadsim.engine.record import Recorder
from iadsim.engine.world import AirEntities, FireUnitState
from iadsim.motion.truth import TruthState
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.radar import Radar

_NONE = np.zeros(0, dtype=np.int64)
_NONE.flags.writeable = False


def _with_false_column(rows: int, n_entities: int) -> np.ndarray:
    """``(rows, n_entities + 1)`` bool, False but for the last column (entity -1)."""
    flags = np.zeros((rows, n_entities + 1), dtype=bool)
    flags[:, -1] = True
    return flags


def _range_km(a_ecef_m: np.ndarray, b_ecef_m: np.ndarray) -> float:
    """Straight-line distance between two ECEF points, km (3 decimals)."""
    return round(float(np.linalg.norm(np.asarray(a_ecef_m) - b_ecef_m)) / 1000.0, 3)


@dataclass
class PostAccounting:
    """Remembers what each post has already been credited with, and records the firsts.

    Parameters
    ----------
    units : list of FireUnitState
        The posts, in scenario order.
    radars : list of Radar
        Every radar, indexed as ``Radar.index``.
    entities : AirEntities
    recorder : Recorder
    """

    units: Sequence[FireUnitState]
    radars: Sequence[Radar]
    entities: AirEntities
    recorder: Recorder
    detected: np.ndarray = field(init=False)
    """(n_radars, n_entities) bool: the radar has detected the entity."""
    held: dict[str, np.ndarray] = field(init=False)
    """Source (``own``, ``link``, ``fire_control``) -> (n_units, n_entities) bool."""
    _detected_or_false: np.ndarray = field(init=False)
    _held_or_false: dict[str, np.ndarray] = field(init=False)
    """:attr:`detected` and :attr:`held` with one more column, always True, that a false
    detection's or track's entity -1 reads: it counts as credited already, with no mask."""
    _held_rows: list[tuple[np.ndarray, np.ndarray]] = field(init=False)
    """Per post index, its rows of the own and fire-control holdings (views)."""
    fed: list[list[FireUnitState]] = field(init=False)
    """Per radar, the posts it feeds."""
    looked_at: list[list[int]] = field(init=False)
    """Per post index, its picture's ``changes`` when :meth:`ingested` last looked at its
    own and at its fire-control tracks (-1: never). The engine reads it to skip the calls
    that would find nothing due."""

    def __post_init__(self) -> None:
        n = len(self.entities)
        self._detected_or_false = _with_false_column(len(self.radars), n)
        self.detected = self._detected_or_false[:, :n]
        self._held_or_false = {
            source: _with_false_column(len(self.units), n)
            for source in ("own", "link", "fire_control")
        }
        self.held = {source: held[:, :n] for source, held in self._held_or_false.items()}
        own, fire_control = self._held_or_false["own"], self._held_or_false["fire_control"]
        self._held_rows = [(own[k], fire_control[k]) for k in range(len(self.units))]
        self.fed = [[u for u in self.units if r.index in u.radars] for r in self.radars]
        self.looked_at = [[-1, -1] for _ in self.units]

    def post_position(self, unit: FireUnitState, truth: TruthState) -> np.ndarray:
        """Where the post is now: its site, or its carrier's position (ECEF, m)."""
        if unit.carrier >= 0:
            return truth.pos_ecef_m[unit.carrier]
        return unit.picture.origin_ecef_m.reshape(3)

    def detections(self, radar: Radar, batch: DetectionBatch, truth: TruthState) -> np.ndarray:
        """Record the radar's first detection of each entity, once for every post it feeds.

        Returns
        -------
        (k,) int64
            The entities the radar detected for the first time (an entity may repeat).
        """
        if batch.truth.size == 0:  # an empty look: nothing to credit
            return _NONE
        detected = self._detected_or_false[radar.index]
        rows = (~detected[batch.truth]).nonzero()[0]
        if rows.size == 0:  # the usual look: nothing seen for the first time
            return _NONE
        entities = batch.truth[rows]
        _, first = np.unique(entities, return_index=True)
        detected[entities] = True
        for row in rows[np.sort(first)]:
            entity = int(batch.truth[row])
            for unit in self.fed[radar.index]:
                self.recorder.event(
                    batch.time_s,
                    "first_detection",
                    unit=unit.name,
                    truth=self.entities.name[entity],
                    lla=tuple(truth.lla[entity]),
                    radar=radar.name,
                    range_km=_range_km(truth.pos_ecef_m[entity], radar.pos_ecef_m),
                    platform=self.entities.label("platform", entity),
                )
        return entities

    def ingested(self, unit: FireUnitState, radar: Radar, t: float, truth: TruthState) -> None:
        """After the post's tracker took the radar's look: new own and fire-control tracks.

        A source is looked at again only if the post's table has changed since it was last
        looked at (:attr:`~iadsim.c2.picture.post_picture.CommandPostPicture.changes`):
        tracks are confirmed, given a truth or stamped fire-control fresh only when the
        tracker runs, and deletions leave only tracks already credited.
        """
        picture = unit.picture
        changes, looked = picture.changes, self.looked_at[unit.index]
        own_due = looked[0] != changes
        fire_control_due = looked[1] != changes and radar.index in picture.fire_control_radars
        if not (own_due or fire_control_due):
            return
        if own_due:
            looked[0] = changes
        if fire_control_due:
            looked[1] = changes
        # Most looks: every confirmed track is on an entity held already (one compiled pass).
        table = picture.table
        held_own, held_fire_control = self._held_rows[unit.index]
        if not new_holdings_kernel(
            table.active,
            table.confirmed,
            table.extra["truth"],
            table.extra["fc_seen_s"],
            held_own,
            held_fire_control,
            float(t),
            own_due,
            fire_control_due,
        ):
            return
        slots = picture.confirmed_slots()
        if slots.size == 0:  # most changes before a post's first confirmed track
            return
        if own_due:
            self._credit(unit, "own", slots, t, truth, radar=radar.name, source="own")
        if fire_control_due:
            fresh = slots[picture.table.extra["fc_seen_s"][slots] == t]  # picture.column
            self._credit(unit, "fire_control", fresh, t, truth, radar=radar.name)

    def _credit(
        self,
        unit: FireUnitState,
        held: str,
        slots: np.ndarray,
        t: float,
        truth: TruthState,
        **detail,
    ) -> None:
        """Record the first track (``held`` source) of the post on each entity in ``slots``."""
        if slots.size == 0:
            return
        entities = self.entities
        truth_index = unit.picture.table.extra["truth"][slots]  # picture.column, unwrapped
        held_here = self._held_or_false[held][unit.index]
        # Tracks on entities not yet held (a false track's -1 reads the True last column).
        new = (~held_here[truth_index]).nonzero()[0]
        if new.size == 0:  # the usual look: no entity held for the first time
            return
        slots, truth_index = slots[new], truth_index[new].astype(np.int64)
        _, first = np.unique(truth_index, return_index=True)
        held_here[truth_index] = True
        here = self.post_position(unit, truth)
        kind = "fire_control_track" if held == "fire_control" else "first_track"
        for k in np.sort(first):
            entity = int(truth_index[k])
            self.recorder.event(
                t,
                kind,
                unit=unit.name,
                track_id=int(unit.picture.table.track_id[slots[k]]),
                truth=entities.name[entity],
                lla=tuple(truth.lla[entity]),
                range_km=_range_km(truth.pos_ecef_m[entity], here),
                platform=entities.label("platform", entity),
                **detail,
            )

    def received(
        self, unit: FireUnitState, report: TrackReport, t: float, truth: TruthState
    ) -> None:
        """After the post received a link report: entities it now holds a link track on."""
        held = self.held["link"][unit.index]
        rows = np.flatnonzero(report.truth >= 0)
        # A report can arrive after its target was killed or ended its route: not held.
        rows = rows[~held[report.truth[rows]] & truth.present[report.truth[rows]]]
        _, first = np.unique(report.truth[rows], return_index=True)
        here = self.post_position(unit, truth)
        for row in rows[np.sort(first)]:
            entity = int(report.truth[row])
            held[entity] = True
            self.recorder.event(
                t,
                "first_track",
                unit=unit.name,
                truth=self.entities.name[entity],
                lla=tuple(truth.lla[entity]),
                range_km=_range_km(truth.pos_ecef_m[entity], here),
                platform=self.entities.label("platform", entity),
                source="link",
                link=report.link,
                reporter=report.source_name,
                reporter_track_id=int(report.track_id[row]),
            )

    def end(self, t: float, truth: TruthState, alive: np.ndarray, finished: np.ndarray) -> None:
        """Record every entity still flying when the run ends at ``t`` (``airborne_at_end``)."""
        started = self.entities.routes.start_s < t
        for entity in np.flatnonzero(started & alive & ~finished):
            self.recorder.event(
                t,
                "airborne_at_end",
                truth=self.entities.name[entity],
                lla=tuple(truth.lla[entity]),
                platform=self.entities.label("platform", entity),
            )
