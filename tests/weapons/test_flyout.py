"""3-DOF interceptor flyout: earth model, integrator, fuzing, track loss, catalog airframes."""

import math
from importlib import resources

import numpy as np
import pyproj
import pytest
import yaml

from iadsim.weapons import _flyout_model as k
from iadsim.weapons.envelope import build_envelope
from iadsim.weapons.flyout import (
    Airframe,
    EndReason,
    FlyoutOptions,
    FlyoutState,
    Phase,
    launch_velocity,
    load_airframes,
    step,
)

NO_GRAVITY = FlyoutOptions(
    gravity="none", earth_rotation=False, gravity_compensation=False, arming_time_s=0.0
)

# Catalog maximum ranges, from the public reference compilation (source ids of
# public-parameters.yaml): 48N6E3 250 km [S7, S12b]; 40N6E 400 km [S15]; 9M96E2 120 km [S18];
# PAC-2 GEM-T 160 km [S21, S22]; PAC-3 MSE 60 km [S28, S30]; surface-launched AIM-120
# 25-30 km [S221, S35/S36 compiled]; 57E6 20 km [S224].
CATALOG_RANGE_M = {
    "s400/48n6e3": 250e3,
    "s400/40n6e": 400e3,
    "s400/9m96e2": 120e3,
    "patriot/pac2_gem_t": 160e3,
    "patriot/pac3_mse": 60e3,
    "nasams/aim120c": 30e3,
    "pantsir/57e6": 20e3,
}
# Published maximum speeds: 48N6E3 2000 m/s [S18]; 9M96E2 1000 m/s [S18]; PAC-2 and PAC-3 MSE
# Mach 5, 1700 m/s [S21, S28]; AIM-120 Mach 4, 1360 m/s [S222]; 57E6 1300 m/s [S226]. The
# 40N6E speed is not published.
CATALOG_SPEED_MPS = {
    "s400/48n6e3": 2000.0,
    "s400/9m96e2": 1000.0,
    "patriot/pac2_gem_t": 1700.0,
    "patriot/pac3_mse": 1700.0,
    "nasams/aim120c": 1360.0,
    "pantsir/57e6": 1300.0,
}

_TO_ECEF = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


def ecef(lat_deg, lon_deg, alt_m):
    x, y, z = _TO_ECEF.transform(lon_deg, lat_deg, alt_m)
    return np.stack(np.broadcast_arrays(x, y, z), axis=-1).astype(float)


def enu_basis(lat_deg, lon_deg):
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.array(
        [-math.sin(lat) * math.cos(lon), -math.sin(lat) * math.sin(lon), math.cos(lat)]
    )
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    return east, north, up


def coasting_body(area_m2=0.0) -> Airframe:
    return Airframe(
        key="coast",
        launch_mass_kg=100.0,
        propellant_mass_kg=0.0,
        boost_thrust_n=0.0,
        boost_time_s=0.0,
        reference_area_m2=area_m2,
        drag_mach=(0.0, 5.0),
        drag_cd0=(0.3, 0.3),
        max_load_factor_g=30.0,
        max_flight_time_s=1e4,
        min_speed_mps=0.0,
    )


@pytest.fixture(scope="module")
def airframes():
    return load_airframes()


def test_geodetic_height_matches_pyproj_to_a_millimetre():
    rng = np.random.default_rng(2)
    lat = rng.uniform(-90.0, 90.0, 5000)
    lon = rng.uniform(-180.0, 180.0, 5000)
    alt = rng.uniform(-1000.0, 500e3, 5000)
    height = k.geodetic_height_m(ecef(lat, lon, alt))
    np.testing.assert_allclose(height, alt, atol=1e-3)


@pytest.mark.parametrize("lat_deg", [0.0, 30.0, 45.0, 60.0, 90.0])
def test_gravity_on_the_ellipsoid_matches_wgs84_normal_gravity(lat_deg):
    # Somigliana's formula with the WGS-84 equatorial and polar normal gravity
    # (NIMA TR8350.2, eq. 4-1): J2 plus centrifugal should agree to ~1e-4 m/s^2.
    a, b = 6378137.0, 6356752.3142
    gamma_e, gamma_p = 9.7803253359, 9.8321849378
    phi = math.radians(lat_deg)
    normal = (a * gamma_e * math.cos(phi) ** 2 + b * gamma_p * math.sin(phi) ** 2) / math.sqrt(
        a**2 * math.cos(phi) ** 2 + b**2 * math.sin(phi) ** 2
    )
    g = k.gravity_mps2(ecef(lat_deg, 20.0, 0.0)[None, :], 2, True)[0]
    assert np.linalg.norm(g) == pytest.approx(normal, abs=2e-4)
    up = enu_basis(lat_deg, 20.0)[2]
    # Gravity points along the ellipsoid normal (to the centre, bent by J2 and rotation).
    assert math.degrees(math.acos(-g @ up / np.linalg.norm(g))) * 3600 < 2.0


def test_coasting_in_vacuum_conserves_energy():
    options = FlyoutOptions(gravity="central", earth_rotation=False, arming_time_s=1e9)
    state = FlyoutState(1)
    start = ecef(40.0, 30.0, 100e3)
    east, _, up = enu_basis(40.0, 30.0)
    state.launch(coasting_body(), start, 2000.0 * (0.6 * east + 0.8 * up))
    state.phase[:] = Phase.BALLISTIC

    def energy():
        r = np.linalg.norm(state.pos_ecef_m[0])
        return 0.5 * np.sum(state.vel_ecef_mps[0] ** 2) - k.WGS84_GM_M3_S2 / r

    e0 = energy()
    for _ in range(300):
        step(state, start, np.zeros(3), True, 0.5, options=options)
    assert energy() == pytest.approx(e0, abs=1e-3)


def test_free_flight_in_the_rotating_frame_is_a_straight_line_in_inertial_space():
    # No gravity: Coriolis and centrifugal terms alone must turn a straight inertial line into
    # the earth-fixed path. Compare with the analytic rotation of that line.
    options = FlyoutOptions(gravity="none", earth_rotation=True, arming_time_s=1e9)
    state = FlyoutState(1)
    r0 = ecef(10.0, 50.0, 200e3)
    v0 = np.array([800.0, -300.0, 500.0])
    state.launch(coasting_body(), r0, v0)
    state.phase[:] = Phase.BALLISTIC
    dt, n = 1.0, 600
    for _ in range(n):
        step(state, r0, np.zeros(3), True, dt, options=options)
    w = k.EARTH_RATE_RPS
    inertial_velocity = v0 + np.cross([0.0, 0.0, w], r0)
    inertial = r0 + inertial_velocity * dt * n
    angle = -w * dt * n
    rotation = np.array(
        [
            [math.cos(angle), -math.sin(angle), 0.0],
            [math.sin(angle), math.cos(angle), 0.0],
            [0, 0, 1],
        ]
    )
    np.testing.assert_allclose(state.pos_ecef_m[0], rotation @ inertial, atol=1e-3)


@pytest.mark.parametrize("offset_s", [0.0, 0.013, 0.05, 0.0999])
@pytest.mark.parametrize("lateral_m", [0.7, 12.0, 140.0])
def test_fuzing_reports_the_true_miss_at_3000_mps_closure_with_a_01_s_step(offset_s, lateral_m):
    east, north, _up = enu_basis(0.0, 0.0)
    origin = ecef(0.0, 0.0, 10e3)
    state = FlyoutState(1)
    state.launch(coasting_body(), origin, 1500.0 * east)
    state.phase[:] = Phase.BALLISTIC  # flies straight: no gravity, no guidance
    # Head-on target with closest approach at 2.0 s + offset, lateral_m to the side.
    t_ca = 2.0 + offset_s
    target_vel = -1500.0 * east
    target = origin + 3000.0 * t_ca * east + lateral_m * north + target_vel * 0.0
    events = None
    for _ in range(40):
        events = step(state, target, target_vel, True, 0.1, options=NO_GRAVITY)
        target = target + target_vel * 0.1
        if len(events):
            break
    assert events.reason[0] == EndReason.CLOSEST_APPROACH
    assert events.miss_distance_m[0] == pytest.approx(lateral_m, abs=1e-6)
    assert events.time_since_launch_s[0] == pytest.approx(t_ca, abs=1e-9)
    np.testing.assert_allclose(events.pos_ecef_m[0], origin + 1500.0 * t_ca * east, atol=1e-6)


def engagement(airframe, lose_track_at_s=None, track_noise_m=0.0, steps=2400, dt=0.05):
    """One missile from a site near Ankara against a crossing target at 8 km altitude."""
    lat, lon = 39.9, 32.8
    east, north, up = enu_basis(lat, lon)
    site = ecef(lat, lon, 5.0)
    target = site + 30e3 * north - 10e3 * east + 8e3 * up
    target_vel = 250.0 * east - 80.0 * north
    state = FlyoutState(1)
    aim = target + 20e3 * up
    state.launch(airframe, site, launch_velocity(site, aim, airframe.launch_speed_mps))
    rng = np.random.default_rng(1)
    phases = []
    for n in range(steps):
        valid = lose_track_at_s is None or n * dt < lose_track_at_s
        track = target + rng.normal(0.0, track_noise_m, 3)
        events = step(
            state,
            track,
            target_vel,
            valid,
            dt,
            target_pos_ecef_m=target,
            target_vel_ecef_mps=target_vel,
        )
        phases.append(int(state.phase[0]))
        target = target + target_vel * dt
        if len(events):
            return events, phases
    raise AssertionError("flyout did not end")


def test_guided_interceptor_hits_a_crossing_target(airframes):
    events, phases = engagement(airframes["s400/48n6e3"])
    assert events.reason[0] == EndReason.CLOSEST_APPROACH
    assert events.miss_distance_m[0] < 5.0
    assert Phase.TERMINAL in phases


def test_track_loss_in_midcourse_leaves_the_missile_ballistic_and_it_misses(airframes):
    events, phases = engagement(airframes["s400/48n6e3"], lose_track_at_s=8.0)
    assert Phase.BALLISTIC in phases and Phase.TERMINAL not in phases
    assert events.miss_distance_m[0] > 1000.0


@pytest.mark.parametrize(("key", "keeps_homing"), [("s400/9m96e2", True), ("s400/48n6e3", False)])
def test_track_loss_in_terminal_only_an_active_seeker_keeps_homing(airframes, key, keeps_homing):
    _, phases = engagement(airframes[key])
    terminal_start_s = phases.index(Phase.TERMINAL) * 0.05
    events, lost_phases = engagement(airframes[key], lose_track_at_s=terminal_start_s + 1.0)
    if keeps_homing:
        assert Phase.BALLISTIC not in lost_phases
        assert events.miss_distance_m[0] < 5.0
    else:
        assert Phase.BALLISTIC in lost_phases
        assert events.miss_distance_m[0] > 1000.0


def test_noisy_fire_control_track_is_corrected_by_the_seeker(airframes):
    events, _ = engagement(airframes["patriot/pac3_mse"], track_noise_m=150.0)
    assert events.reason[0] == EndReason.CLOSEST_APPROACH
    assert events.miss_distance_m[0] < 5.0


def test_mass_falls_by_the_propellant_mass_and_thrust_ends_with_the_motor(airframes):
    for airframe in airframes.values():
        state = FlyoutState(1)
        state.launch(airframe, ecef(0.0, 0.0, 0.0), np.array([1.0, 0.0, 0.0]))
        times = np.array([0.0, airframe.motor_end_s + 1.0])
        thrust, mass = k.thrust_and_mass(times, np.repeat(state.params, 2, axis=0))
        assert mass[0] == airframe.launch_mass_kg
        assert mass[1] == pytest.approx(airframe.launch_mass_kg - airframe.propellant_mass_kg)
        assert thrust[0] == airframe.boost_thrust_n and thrust[1] == 0.0


def test_catalog_airframes_are_sourced_and_have_plausible_solid_motor_isp(airframes):
    assert set(airframes) == set(CATALOG_RANGE_M)
    # Solid rocket propellants deliver roughly 200-290 s (Sutton & Biblarz, Rocket Propulsion
    # Elements, 9th ed., table 12-3).
    for airframe in airframes.values():
        assert 200.0 < airframe.specific_impulse_s < 290.0
    data = resources.files("iadsim.catalog").joinpath("data")
    known_sources = yaml.safe_load(data.joinpath("sources.yaml").read_text("utf-8"))["sources"]
    for entry in yaml.safe_load(data.joinpath("airframes.yaml").read_text("utf-8"))[
        "airframes"
    ].values():
        assert entry["confidence"] == "D" and entry["note"]
        assert entry["source"] and set(entry["source"]) <= set(known_sources)


def peak_speeds(airframes, keys):
    """Peak speed of each airframe launched at 60 deg elevation toward a distant aimpoint."""
    lat, lon = 40.0, 33.0
    _east, north, up = enu_basis(lat, lon)
    site = ecef(lat, lon, 0.0)
    state = FlyoutState(len(keys))
    for i, key in enumerate(keys):
        airframe = airframes[key]
        direction = 0.5 * north + math.sqrt(3) / 2 * up
        state.launch(airframe, site, airframe.launch_speed_mps * direction)
        state.phase[i] = Phase.BALLISTIC
    peak = np.zeros(len(keys))
    for _ in range(500):
        step(state, site, np.zeros(3), True, 0.05)
        peak = np.maximum(peak, np.linalg.norm(state.vel_ecef_mps, axis=1))
    return peak


def test_peak_speed_is_near_the_published_maximum_speed(airframes):
    keys = list(CATALOG_SPEED_MPS)
    peak = peak_speeds(airframes, keys)
    for key, speed in zip(keys, peak, strict=True):
        assert speed == pytest.approx(CATALOG_SPEED_MPS[key], rel=0.15), key


@pytest.mark.parametrize("key", list(CATALOG_RANGE_M))
def test_maximum_flyout_range_is_within_10_percent_of_the_catalog_range(airframes, key):
    catalog = CATALOG_RANGE_M[key]
    table = build_envelope(
        airframes[key],
        np.linspace(0.6 * catalog, 1.4 * catalog, 9),
        (5e3, 12e3, 20e3),
        dt_s=0.2,
    )
    simulated = table.max_ground_range_m(table.altitude_m).max()
    assert simulated == pytest.approx(catalog, rel=0.10)


@pytest.mark.parametrize(
    ("variant", "noisy"),
    [
        ({}, False),
        ({}, True),
        ({"integrator": "rk2", "gravity": "central", "earth_rotation": False, "pn_law": "pure"},
         True),
    ],
)  # fmt: skip
def test_compiled_kernel_and_numpy_reference_fly_identical_engagements(airframes, variant, noisy):
    lat, lon = 39.9, 32.8
    east, north, up = enu_basis(lat, lon)
    site = ecef(lat, lon, 0.0)
    rng = np.random.default_rng(3)
    n = 2 * len(airframes)  # each airframe twice
    targets = site + (
        rng.uniform(-30e3, 30e3, (n, 1)) * east
        + rng.uniform(15e3, 45e3, (n, 1)) * north
        + rng.uniform(1e3, 15e3, (n, 1)) * up
    )
    velocity = rng.uniform(-250.0, 250.0, (n, 1)) * east - rng.uniform(0.0, 300.0, (n, 1)) * north
    valid = np.ones(n, dtype=bool)
    results = {}
    for backend in ("compiled", "reference"):
        state = FlyoutState(n)
        for i, key in enumerate(list(airframes) * 2):
            airframe = airframes[key]
            aim = targets[i] + 10e3 * up
            state.launch(airframe, site, launch_velocity(site, aim, airframe.launch_speed_mps))
        options = FlyoutOptions(backend=backend, **variant)
        positions, misses = [], np.full(n, np.nan)
        target = targets.copy()
        # same seeker draws for both twins; RCS from stealthy to large, glint of 0.3-3 m
        seeker_rng = np.random.default_rng(9) if noisy else None
        rcs = np.geomspace(0.001, 10.0, n)
        glint = np.linspace(0.3, 3.0, n) if noisy else None
        for m in range(700):
            valid[3] = m < 100  # one missile loses its track
            events = step(
                state, target, velocity, valid, 0.05, target_rcs_m2=rcs, glint_m=glint,
                seeker_rng=seeker_rng, options=options,
            )  # fmt: skip
            misses[events.slot] = events.miss_distance_m
            positions.append(state.pos_ecef_m.copy())
            target = target + velocity * 0.05
        results[backend] = (np.array(positions), misses, state.phase.copy())
    compiled, reference = results["compiled"], results["reference"]
    np.testing.assert_allclose(compiled[0], reference[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(compiled[1], reference[1], rtol=1e-6, atol=1e-6)
    assert np.array_equal(compiled[2], reference[2])
    assert np.isfinite(compiled[1]).sum() >= 6  # most flyouts ended inside the window


def test_step_with_nothing_in_flight_returns_no_events():
    state = FlyoutState(4)
    events = step(state, np.zeros(3), np.zeros(3), True, 0.1)
    assert len(events) == 0 and not state.active.any()
