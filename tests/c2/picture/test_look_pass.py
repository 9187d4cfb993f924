"""The compiled look pass against the tracker's own Python path, to the bit.

Two pictures with the same GNN tracker take the same looks: one through
:class:`~iadsim.c2.picture.look_pass.LookPass` (the default for a plain GNN tracker with a
constant-velocity Kalman filter), one with it switched off, through ``GnnTracker.step``, the
look pre-test and ``ingest``'s own bookkeeping. After every look and every prune their
tables hold the same bytes, and the looks return the same track ids. The looks are made to
take every way out of the kernels: shared gates, a look too large for the dense gate, a
track near an edge of the view, tracks started and deleted, empty looks that book misses,
terrain that masks tracks, a table that grows.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.sensors.radar_fixtures import SITE, make_radar, make_spec

from iadsim.c2.picture import look_pass as look_pass_module
from iadsim.c2.picture._look_pass_kernels import (
    DONE,
    NEED_ASSIGNMENT,
    NEED_GATE,
    NEED_SIGHT,
    NEED_TRACKS,
)
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.core.registry import TRACKERS
from iadsim.engine.world import TRACKER_CONFIG
from iadsim.geo.terrain import ElevationGrid
from iadsim.sensors.detections import DetectionBatch
from iadsim.sensors.radar import Radar
from iadsim.sensors.scan_pattern import AzimuthInterval
from iadsim.sensors.timeline import RasterLook
from iadsim.sensors.track_dwells import BeamLook, SearchAndTrackLook

POST = (39.41, 33.0, 900.0)


def _ridge_grid() -> ElevationGrid:
    """Flat ground with a 2,500 m ridge 28-33 km north of the radars (masks low fliers)."""
    heights = np.zeros((151, 201))
    heights[75:81, :] = 2500.0
    return ElevationGrid(
        np.radians(39.0), np.radians(32.0), np.radians(0.01), np.radians(0.01), heights, "ridge"
    )


def _pictures(terrain: ElevationGrid | None) -> tuple[CommandPostPicture, CommandPostPicture]:
    """The same post twice: with the compiled pass, and without it."""
    lat, lon, alt = POST
    made = []
    for _ in range(2):
        tracker = TRACKERS.get("gnn")(TRACKER_CONFIG)
        made.append(
            CommandPostPicture(
                "post", np.radians(lat), np.radians(lon), alt, tracker, frozenset({1}), terrain
            )
        )
    fused, plain = made
    assert fused._look_pass is not None
    plain._look_pass = None
    return fused, plain


def _radars() -> tuple[Radar, Radar]:
    """A rotating surveillance radar and an electronically scanned fire-control radar that
    tracks ballistic targets, at the same site."""
    lat, lon, alt = SITE
    surveillance = make_radar()
    spec = make_spec(
        scan_mode="electronic",
        azimuth_coverage_deg=120.0,
        beamwidth_deg=2.0,
        tracks_ballistic_targets=True,
    )
    fire_control = Radar(1, "fc", spec, np.radians(lat), np.radians(lon), alt, 0.0)
    return surveillance, fire_control


class _Targets:
    """Targets on straight lines in the radars' azimuth, elevation and range."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.az = rng.uniform(0.0, 2 * np.pi, n)
        self.el = rng.uniform(0.002, 0.15, n)
        self.range = rng.uniform(5e3, 3e5, n)
        self.range_rate = rng.uniform(-300.0, 300.0, n)
        self.az_rate = rng.uniform(-2e-3, 2e-3, n)
        self.start_s = rng.uniform(0.0, 60.0, n)
        self.end_s = self.start_s + rng.uniform(20.0, 120.0, n)
        # Two pairs of close targets share gates; one flies right over the radars (its
        # azimuth and elevation are ill-conditioned: near an edge of every view).
        self.az[1], self.el[1], self.range[1] = self.az[0] + 2e-4, self.el[0], self.range[0] + 80
        self.az[3], self.el[3], self.range[3] = self.az[2], self.el[2] + 1e-4, self.range[2]
        self.el[4], self.range[4], self.range_rate[4] = 1.5, 3e3, 0.0
        self.start_s[:5], self.end_s[:5] = 0.0, 200.0

    def at(self, t: float) -> tuple[np.ndarray, ...]:
        """Azimuth, elevation, range and range rate of the targets flying at ``t``."""
        flying = (self.start_s <= t) & (t < self.end_s)
        az = (self.az + self.az_rate * t) % (2 * np.pi)
        rng = np.maximum(self.range + self.range_rate * (t - self.start_s), 3e3)
        return flying, az, self.el, rng, self.range_rate


def _batch(rng, targets, t, radar, look, seen_az, pd=0.85, false_alarms=1.0, rates=True):
    flying, az, el, rng_m, rate = targets.at(t)
    rows = np.flatnonzero(flying & seen_az(az) & (rng.random(az.size) < pd))
    n_false = rng.poisson(false_alarms)
    truth = np.concatenate([rows, np.full(n_false, -1)]).astype(np.int64)
    az_d = np.concatenate([az[rows], rng.uniform(0.0, 2 * np.pi, n_false)])
    el_d = np.concatenate([el[rows], rng.uniform(0.0, 0.2, n_false)])
    range_d = np.concatenate([rng_m[rows], rng.uniform(1e4, 3e5, n_false)])
    rate_d = np.concatenate([rate[rows], rng.uniform(-50.0, 50.0, n_false)])
    n = truth.size
    sigma_range, sigma_angle = 50.0, 2e-3
    nan_rates = ~rates | (rng.random(n) < 0.2)  # some detections have no range rate
    return DetectionBatch(
        t,
        np.full(n, radar.index, dtype=np.int64),
        truth,
        range_d + rng.normal(0.0, sigma_range, n),
        (az_d + rng.normal(0.0, sigma_angle, n)) % (2 * np.pi),
        el_d + rng.normal(0.0, sigma_angle, n),
        np.full(n, sigma_range),
        np.full(n, sigma_angle),
        np.full(n, sigma_angle),
        np.full(n, 20.0),
        np.where(nan_rates, np.nan, rate_d + rng.normal(0.0, 5.0, n)),
        np.where(nan_rates, np.nan, 5.0),
        look,
    )


def _assert_same_tables(a: CommandPostPicture, b: CommandPostPicture) -> None:
    ta, tb = a.table, b.table
    assert ta.next_id == tb.next_id and a.changes == b.changes
    names = ["active", "ids", *(column.name for column in ta.columns()), *ta.extra]
    for name in names:
        x, y = getattr(ta, name), getattr(tb, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert x.tobytes() == y.tobytes(), name


@pytest.fixture
def statuses(monkeypatch) -> list[int]:
    """The statuses the compiled pass's first kernel returns, and -1 for each empty look
    that booked misses."""
    seen: list[int] = []
    kernel, empty_kernel = look_pass_module.look_pass_kernel, look_pass_module.empty_pass_kernel

    def recording(*args):
        status = kernel(*args)
        seen.append(status)
        return status

    def recording_empty(*args):
        seen.append(-1)
        return empty_kernel(*args)

    monkeypatch.setattr(look_pass_module, "look_pass_kernel", recording)
    monkeypatch.setattr(look_pass_module, "empty_pass_kernel", recording_empty)
    return seen


@pytest.mark.parametrize("terrain", [False, True])
def test_the_compiled_pass_leaves_the_table_as_the_trackers_own_steps_do(terrain, statuses):
    rng = np.random.default_rng(5 if terrain else 6)
    grid = _ridge_grid() if terrain else None
    fused, plain = _pictures(grid)
    surveillance, fire_control = _radars()
    targets = _Targets(rng, 60)
    raster = fire_control.search_raster
    assert raster is not None
    sweep = np.radians(36.0)
    for step in range(150):
        t = float(step)
        start = (step % 10) * sweep
        looks = []
        sweep_look = AzimuthInterval(start, sweep)
        looks.append((surveillance, sweep_look, lambda az, s=start: (az - s) % (2 * np.pi) < sweep))
        search = RasterLook(raster, (step % 5) / 5.0, 0.2)
        beams = BeamLook(np.radians([10.0, 40.0]), np.radians([2.0, 4.0]), np.radians(2.0), 0.0)
        fc_look = SearchAndTrackLook(search, beams) if step % 3 else search
        in_sector = lambda az: np.abs((az + np.pi) % (2 * np.pi) - np.pi) < np.radians(60.0)  # noqa: E731
        looks.append((fire_control, fc_look, in_sector))
        for radar, look, seen_az in looks:
            empty = rng.random() < 0.25
            batch = _batch(
                rng, targets, t, radar, look, seen_az, pd=0.0 if empty else 0.85,
                false_alarms=0.0 if empty else 1.5, rates=radar.index == 0,
            )  # fmt: skip
            ids_fused = fused.ingest(radar, batch, t)
            ids_plain = plain.ingest(radar, batch, t)
            assert ids_fused.tobytes() == ids_plain.tobytes()
            _assert_same_tables(fused, plain)
        fused.prune(t)
        plain.prune(t)
        _assert_same_tables(fused, plain)
    # Looks with many detections: too large for the dense gate, and the table grows.
    many = _Targets(rng, 400)
    many.start_s[:], many.end_s[:] = 0.0, np.inf
    for t in (150.0, 151.0):
        batch = _batch(rng, many, t, surveillance, None, lambda az: az >= 0.0, pd=1.0)
        assert fused.table.n_active * len(batch) > 4096
        ids_fused, ids_plain = (
            fused.ingest(surveillance, batch, t),
            plain.ingest(surveillance, batch, t),
        )
        assert ids_fused.tobytes() == ids_plain.tobytes()
        _assert_same_tables(fused, plain)
    assert fused.table.capacity > 256
    assert {-1, DONE, NEED_ASSIGNMENT, NEED_TRACKS, NEED_GATE} <= set(statuses)
    assert NEED_SIGHT in statuses


def test_the_detected_looks_start_is_the_conversion_and_the_plain_start():
    """begin_detected_look_kernel: converted_measurement_in_frame's detections, then
    begin_look_kernel's live slots, steps and held states, to the bit."""
    from iadsim.c2.picture._look_pass_kernels import begin_detected_look_kernel, begin_look_kernel
    from iadsim.tracking.measurements import converted_measurement_in_frame

    rng = np.random.default_rng(3)
    radar = make_radar()
    post, _ = _pictures(None)
    m, capacity = 5, 16
    detections = (
        rng.uniform(1e4, 9e4, m),
        rng.uniform(-np.pi, np.pi, m),
        rng.uniform(0.0, 0.3, m),
        np.full(m, 50.0),
        np.full(m, 0.01),
        np.full(m, 0.02),
    )
    frames = (radar.pos_ecef_m, radar.rotation, post.origin_ecef_m, post.rotation)
    active = rng.random(capacity) < 0.6
    state, time_s = rng.normal(size=(capacity, 6)), rng.uniform(0.0, 10.0, capacity)
    outputs = []
    for detected in (True, False):
        buffers = (np.empty((capacity, 6)), np.empty(capacity))
        live, dt = np.empty(capacity, dtype=np.int64), np.empty(capacity)
        z, R = np.empty((m, 3)), np.empty((m, 3, 3))
        args = (active, state, time_s, *buffers, live, dt, 8.0)
        if detected:
            n, moving = begin_detected_look_kernel(*args, detections, frames, z, R)
        else:
            n, moving = begin_look_kernel(*args)
            z, R = converted_measurement_in_frame(*detections, *frames)
        outputs.append((n, moving, live[:n].tobytes(), dt[:n].tobytes(), z.tobytes(), R.tobytes()))
        outputs[-1] += tuple(b[active].tobytes() for b in buffers)
    assert outputs[0] == outputs[1]
