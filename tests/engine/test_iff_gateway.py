"""A national IFF gateway: a post that cannot read Mode 5 learns of a friend's Mode 5 reply
through its gateway, ``latency_s`` after the scan, and never without it."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from iadsim.c2.picture.interrogation import split_replies
from iadsim.core.errors import InputError
from iadsim.engine.simulation import Simulation
from iadsim.scenario.basics import IFF_MODES
from iadsim.scenario.loader import validate_document
from iadsim.sensors.iff import ReplyBatch, mode_mask


def _waypoint(lat, lon, alt, kt):
    return {"lat_deg": lat, "lon_deg": lon, "alt_m": alt, "speed_kt": kt}


BASE = {
    "schema_version": 1,
    "name": "gateway-test",
    "start_time": "2026-06-01T05:00:00Z",
    "duration_min": 3,
    "record_interval_s": 30.0,
    "seed": 11,
    # The friend answers Mode 5 only (as NATO jets in the bundled scenario); the post's
    # interrogator reads Mode 3/C only.
    "sides": {
        "turkey": {"iff_modes": ["mode5", "mode3c"]},
        "nato": {"iff_modes": ["mode5"]},
    },
    "fire_units": [
        {
            "name": "post",
            "side": "turkey",
            "command_post": "s400/55k6e",
            "position": {"lat_deg": 40.0, "lon_deg": 32.5, "alt_m": 900},
            "on_datalink": False,
            "iff_modes": ["mode3c"],
            "radars": [{"type": "s400/91n6e"}],
        }
    ],
    "air_tracks": [
        {  # an F-16C 120-60 km out at 9 km, well in the 91N6E's and the interrogator's cover
            "name": "viper",
            "side": "nato",
            "type": "f16c",
            "route": [_waypoint(41.1, 32.5, 9000.0, 480), _waypoint(40.55, 32.5, 9000.0, 480)],
        }
    ],
}


def _identity_events(document: dict) -> list[dict]:
    scenario, catalog = validate_document(document, "gateway-test")
    sim = Simulation(scenario, catalog)
    recorder = sim.run()
    events = recorder.events
    rows = []
    for time_s, kind, unit, detail in zip(
        events["time_s"], events["kind"], events["unit"], events["detail"], strict=True
    ):
        if kind == "identity" and unit == "post":
            rows.append({"time_s": time_s, **json.loads(detail)})
    return rows


def _with_post(**fields) -> dict:
    document = copy.deepcopy(BASE)
    document["fire_units"][0].update(fields)
    return document


def _first_friend_s(rows: list[dict]) -> float:
    times = [r["time_s"] for r in rows if r["new"] == "friend" and r["reason"] == "secure_iff"]
    return min(times) if times else np.inf


@pytest.fixture(scope="module")
def runs():
    return {
        "no_gateway": _identity_events(_with_post()),
        "mode5_keys": _identity_events(_with_post(iff_modes=["mode5", "mode3c"])),
        "gateway_0s": _identity_events(_with_post(iff_gateway={"latency_s": 0.0})),
        "gateway_20s": _identity_events(_with_post(iff_gateway={"latency_s": 20.0})),
    }


def test_without_keys_or_gateway_the_friend_is_never_identified_friend(runs):
    assert runs["no_gateway"], "the post identified nothing: the scenario is not exercised"
    assert not any(r["new"] == "friend" for r in runs["no_gateway"])
    assert _first_friend_s(runs["mode5_keys"]) < np.inf


def test_an_instant_gateway_is_as_good_as_holding_the_keys(runs):
    # Same interrogator modes, so the same draws: the post's picture is the same.
    assert runs["gateway_0s"] == runs["mode5_keys"]


def test_the_gateway_latency_delays_the_friend_identity(runs):
    """The Mode 5 reply of the scan at t reaches the post at t + 20 s, and the post
    identifies at its decision cycles (55K6E: ``decision_interval_s``)."""
    instant = _first_friend_s(runs["gateway_0s"])
    late = _first_friend_s(runs["gateway_20s"])
    cycle = 5.0  # s, upper bound on the 55K6E's decision interval in the catalog
    assert instant < np.inf and late < np.inf
    assert 20.0 - cycle <= late - instant <= 20.0 + cycle


def test_split_keeps_the_post_modes_and_holds_back_the_gateway_modes():
    mode5, mode3c = IFF_MODES.index("mode5"), IFF_MODES.index("mode3c")
    n = 4
    batch = ReplyBatch(
        12.0,
        np.array([mode5, mode3c, mode5, mode3c]),
        np.arange(n, dtype=float),
        np.zeros(n),
        np.ones(n),
        np.ones(n),
        np.zeros(n),
        np.ones(n),
        np.array([1, 2, 3, 4]),
        np.array([0, 1, 2, 3]),
        np.zeros(0, dtype=np.int64),
    )
    direct, late = split_replies(batch, mode_mask(["mode5"]))
    assert late is not None
    assert direct.code.tolist() == [2, 4] and late.code.tolist() == [1, 3]
    assert direct.time_s == late.time_s == 12.0
    same, none = split_replies(batch, 0)
    assert same is batch and none is None


@pytest.mark.parametrize(
    ("gateway", "field"),
    [({"latency_s": -1.0}, "latency_s"), ({"modes": ["mode3c"]}, "modes"), (True, "iff_gateway")],
)
def test_a_bad_gateway_is_refused_with_its_field(gateway, field):
    with pytest.raises(InputError) as caught:
        validate_document(_with_post(iff_gateway=gateway), "gateway-test")
    assert any(field in issue.field_path for issue in caught.value.issues)
