"""Building blocks of the scenario schema: the strict base model, positions and waypoints,
and the enumerations and limits every part of a scenario shares (:mod:`iadsim.scenario.schema`).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import ConfigDict, Field

from iadsim.core.input_model import InputModel
from iadsim.core.units import KNOT_MPS

IFF_MODES = ("mode5", "mode4", "mode3c", "national")
"""IFF modes a transponder can answer in and an interrogator can read."""

IffMode = Literal["mode5", "mode4", "mode3c", "national"]
WeaponControl = Literal["free", "tight", "hold"]
EmissionMode = Literal["always", "when_cued", "go_live", "blink"]
"""Emission-control policies of a radar (:mod:`iadsim.sensors.emission`)."""
SecureMode = Literal["mode5", "mode4"]


MAX_STEPS = 100_000
"""Most simulation steps (``duration_min * 60 / time_step_s``): a day at 1 s is 86,400."""
MIN_TIME_STEP_S = 0.01
"""Shortest time step, s (a 10 ms step is finer than any radar revisit in the catalog)."""
MAX_TIME_S = 1.0e6
"""Longest start time, raid spacing or record interval, s (11.6 days; a run is at most 1 day)."""
MAX_SEED = 2**63 - 1
"""Largest seed: a signed 64-bit integer, as written to Parquet metadata and summary.json."""
MAX_ROUNDS_PER_TYPE = 10_000
"""Most rounds of one interceptor type in one launcher group's load or spares."""
MAX_RAID_MEMBERS = 10_000
"""Most members of one air track (``count`` times ``waves``)."""
MAX_USER_CATALOGS = 16
"""Most user catalog files or folders a scenario's ``catalog`` key may name."""


class Strict(InputModel):
    """Base: immutable, unknown keys rejected, strict types, finite numbers.

    Strict: an integer field takes only an integer (not ``true``, ``2.5`` or ``"2"``), a
    number field only a number, a name only text. ``.nan`` and ``.inf`` are refused
    everywhere (``allow_inf_nan``): no field means anything by them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class Position(Strict):
    """A point on the WGS-84 ellipsoid."""

    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)
    alt_m: float = Field(default=0.0, ge=-500, le=1.0e6)

    @property
    def lat_rad(self) -> float:
        """Latitude, radians."""
        return math.radians(self.lat_deg)

    @property
    def lon_rad(self) -> float:
        """Longitude, radians."""
        return math.radians(self.lon_deg)


class Waypoint(Position):
    """A route point; ``speed_kt`` is flown on the leg that starts here."""

    speed_kt: float = Field(gt=0, le=20000)

    @property
    def speed_mps(self) -> float:
        """Speed, metres per second."""
        return self.speed_kt * KNOT_MPS
