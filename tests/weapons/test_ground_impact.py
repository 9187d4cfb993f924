"""Ground impact is against the terrain, not the ellipsoid (audit: AMSL used for AGL).

Oracle: a body coasting at 500 m towards a 1000 m plateau (heights above sea level), in
vacuum without gravity, reaches the terrain at ``distance / speed``; with the terrain it
ends there, without it (the ellipsoid as the ground) it flies on.
"""

from __future__ import annotations

import math

import numpy as np

from iadsim.geo.frames import lla_to_ecef
from iadsim.geo.terrain import ElevationGrid
from iadsim.weapons.flyout import Airframe, EndReason, FlyoutOptions, FlyoutState, Phase, step

OPTIONS = FlyoutOptions(
    gravity="none", earth_rotation=False, gravity_compensation=False, arming_time_s=0.0
)


def plateau_from_33_1_east() -> ElevationGrid:
    """Samples every 0.01 deg over 39-41 N, 31-35 E: 0 m up to 33.09 E, 1000 m from 33.10 E
    (bilinear heights rise from 0 to 1000 m between the two)."""
    heights = np.zeros((201, 401))
    heights[:, 210:] = 1000.0
    return ElevationGrid(
        math.radians(39.0), math.radians(31.0), math.radians(0.01), math.radians(0.01), heights
    )


def coasting_body() -> Airframe:
    return Airframe(
        key="coast",
        launch_mass_kg=100.0,
        propellant_mass_kg=0.0,
        boost_thrust_n=0.0,
        boost_time_s=0.0,
        reference_area_m2=0.0,
        drag_mach=(0.0, 5.0),
        drag_cd0=(0.3, 0.3),
        max_load_factor_g=30.0,
        max_flight_time_s=1e4,
        min_speed_mps=0.0,
    )


def fly_east(terrain: ElevationGrid | None, seconds: float = 40.0) -> list[tuple[float, int]]:
    lat, lon = math.radians(40.0), math.radians(33.0)
    start = lla_to_ecef(lat, lon, 500.0)
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    state = FlyoutState(1)
    state.launch(coasting_body(), start, 500.0 * east)
    state.phase[:] = Phase.BALLISTIC
    ended, t, dt = [], 0.0, 0.1
    while t < seconds and state.active.any():
        events = step(state, start, np.zeros(3), True, dt, options=OPTIONS, terrain=terrain)
        t += dt
        ended += [(t, int(r)) for r in events.reason]
    return ended


def test_a_missile_flying_into_a_plateau_ends_there():
    # The bilinear ground reaches 500 m halfway up the ramp, at 33.095 E: 0.095 deg of
    # longitude at 40 N, 8.11 km, 16.2 s at 500 m/s (the straight ECEF line rises ~5 m over
    # it with the earth's curvature: 0.01 s later); the end is booked at the step's end.
    edge_m = math.radians(0.095) * 6_378_137.0 * math.cos(math.radians(40.0))
    ended = fly_east(plateau_from_33_1_east())
    assert len(ended) == 1
    t, reason = ended[0]
    assert reason == EndReason.GROUND_IMPACT
    assert edge_m / 500.0 < t < edge_m / 500.0 + 0.15


def test_without_terrain_the_ground_is_the_ellipsoid():
    assert fly_east(None) == []
