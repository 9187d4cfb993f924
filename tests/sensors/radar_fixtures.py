"""Radars and targets for the sensor tests: a notional S-band radar and targets placed by
pymap3d (independent of iadsim.geo) at given azimuth, elevation and range."""

from __future__ import annotations

import numpy as np
import pymap3d

from iadsim.catalog.models import RadarType
from iadsim.sensors.radar import Radar, TargetView

SITE = (39.5, 33.0, 25.0)  # lat_deg, lon_deg, antenna height above the ellipsoid (m)


def make_spec(**changes) -> RadarType:
    fields = {
        "name": "test radar",
        "source": ["S1"],
        "role": "surveillance",
        "frequency_hz": 3.0e9,
        "detection_range_m": 400_000.0,
        "reference_rcs_m2": 3.0,
        "reference_pd": 0.5,
        "reference_pfa": 1.0e-6,
        "reference_swerling": 1,
        "min_range_m": 2_000.0,
        "max_range_m": 450_000.0,
        "min_elevation_deg": -5.0,
        "max_elevation_deg": 70.0,
        "azimuth_coverage_deg": 360.0,
        "revisit_s": 10.0,
        "scan_mode": "rotating",
        "range_resolution_m": 150.0,
        "beamwidth_deg": 1.0,
        "antenna_height_m": 0.0,
    }
    fields.update(changes)
    if fields["scan_mode"] == "electronic":  # its frame time comes from its search timeline
        fields.pop("revisit_s")
    return RadarType.model_validate(fields)


def make_radar(facing_deg=0.0, **changes) -> Radar:
    lat, lon, alt = SITE
    return Radar(
        0,
        "test",
        make_spec(**changes),
        np.radians(lat),
        np.radians(lon),
        alt,
        np.radians(facing_deg),
    )


def targets_at(az_deg, el_deg, range_m, rcs_m2=1.0, swerling=1, present=True) -> TargetView:
    """Targets placed by pymap3d (independent of iadsim.geo) at AER from the radar."""
    az, el, rng = np.broadcast_arrays(
        np.asarray(az_deg, float), np.asarray(el_deg, float), np.asarray(range_m, float)
    )
    x, y, z = pymap3d.aer2ecef(az, el, rng, *SITE)
    _, _, alt = pymap3d.ecef2geodetic(x, y, z)
    n = az.size
    return TargetView(
        np.stack([x, y, z], axis=-1).reshape(n, 3),
        np.asarray(alt, float).reshape(n),
        np.broadcast_to(np.asarray(rcs_m2, float), n).copy(),
        np.broadcast_to(np.asarray(swerling, np.int64), n).copy(),
        np.broadcast_to(np.asarray(present, bool), n).copy(),
    )
