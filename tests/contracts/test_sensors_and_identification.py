"""Every registered sensor and identification rule set, through the same contract checks:
shapes and dtypes, inputs left unchanged, the same answer from the same stream."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture.identification import SPEED_HISTORY, Identity
from iadsim.core.contracts import IdentificationRules, Sensor, TrackEvidence
from iadsim.core.registry import IDENTIFICATION_RULES, SENSORS
from iadsim.geo.frames import lla_to_ecef
from iadsim.sensors.iff import IffTargets, Transponders, mode_mask

N = 40


def targets() -> IffTargets:
    rng = np.random.default_rng(0)
    lat = np.radians(40.0 + rng.uniform(-1.5, 1.5, N))
    lon = np.radians(32.5 + rng.uniform(-1.5, 1.5, N))
    alt = rng.uniform(100.0, 12_000.0, N)
    modes = rng.choice([0, mode_mask(["mode5"]), mode_mask(["mode5", "mode3c"])], N)
    transponders = Transponders(
        modes, np.full(N, 0.9), np.full(N, np.inf), np.arange(1, N + 1), np.full(N, 150.0)
    )
    return IffTargets(lla_to_ecef(lat, lon, alt), alt, rng.random(N) < 0.9, transponders)


def build_sensor(name):
    factory = SENSORS.get(name)
    return factory(
        "contract", mode_mask(["mode5", "mode3c"]), 300e3, 0.0, 2 * np.pi, 10.0, 4,
        np.radians(2.35), 70.0, np.radians(0.08), np.radians(40.0), np.radians(32.5), 900.0,
    )  # fmt: skip


@pytest.mark.parametrize("name", SENSORS.names())
def test_sensor_contract(name):
    sensor = build_sensor(name)
    assert isinstance(sensor, Sensor)
    view = targets()
    before = {k: np.copy(getattr(view, k)) for k in ("pos_ecef_m", "alt_m", "present")}
    first = sensor.scan(view, 5.0, np.random.default_rng(42))
    second = sensor.scan(view, 5.0, np.random.default_rng(42))
    for key, value in before.items():
        assert np.array_equal(getattr(view, key), value), key
    n = len(first)
    assert n > 0
    for column in ("range_m", "az_rad", "sigma_range_m", "sigma_az_rad", "code", "truth"):
        assert getattr(first, column).shape == (n,), column
        assert np.array_equal(getattr(first, column), getattr(second, column)), column
    assert np.all(first.sigma_range_m > 0) and np.all((first.az_rad >= 0) & (first.az_rad < 7))


def evidence(n: int = 30) -> TrackEvidence:
    rng = np.random.default_rng(1)
    history = rng.uniform(0.0, 2_500.0, (n, SPEED_HISTORY))
    history[rng.random((n, SPEED_HISTORY)) < 0.2] = np.nan
    return TrackEvidence(
        current=rng.integers(0, len(Identity), n).astype(np.int8),
        secure_reply_age_s=np.where(rng.random(n) < 0.3, rng.uniform(0, 60, n), np.inf),
        civil_reply_age_s=np.where(rng.random(n) < 0.3, rng.uniform(0, 60, n), np.inf),
        linked=rng.choice([0, Identity.FRIEND, Identity.NEUTRAL, Identity.HOSTILE], n).astype(
            np.int8
        ),
        pos_m=rng.uniform(-200e3, 200e3, (n, 3)),
        vel_mps=rng.uniform(-600.0, 600.0, (n, 3)),
        asset_pos_m=np.zeros((2, 3)),
        procedural=rng.choice([0, Identity.ASSUMED_FRIEND, Identity.NEUTRAL], n).astype(np.int8),
        speed_low_mps=history,
        update_age_s=rng.uniform(0, 60, n),
        interrogated=rng.random(n) < 0.8,
    )


@pytest.mark.parametrize("name", IDENTIFICATION_RULES.names())
def test_identification_rules_contract(name):
    rules = IDENTIFICATION_RULES.get(name)()
    assert isinstance(rules, IdentificationRules)
    given = evidence()
    before = {k: np.copy(v) for k, v in vars(given).items()}
    identity, reason = rules.identify(given)
    again, reason_again = rules.identify(given)
    for key, value in before.items():
        assert np.array_equal(vars(given)[key], value, equal_nan=True), key
    assert identity.shape == reason.shape == (30,)
    assert identity.dtype == reason.dtype == np.int8
    assert set(identity.tolist()) <= {int(i) for i in Identity}
    assert np.array_equal(identity, again) and np.array_equal(reason, reason_again)
    empty = TrackEvidence(**{k: v[:0] if k != "asset_pos_m" else v for k, v in before.items()})
    out, why = rules.identify(empty)
    assert out.shape == why.shape == (0,)
