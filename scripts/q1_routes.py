"""Print the routes of studies/s400-sees-fighters.yaml (question 1): YAML flow lists.

Head-on: a straight inbound leg on the bearing of the 92N6E's boresight, 400 km to 5 km
from the post. Crossing: a logarithmic spiral about the post, r = r0 exp(-k theta) with
k = tan(30 deg), so the line of sight stays within 30 deg of the aircraft's beam (the
angle between the velocity and the tangent of a log spiral is atan(k)), from 400 km
down to 40 km, waypoints every 10 deg of bearing. Positions on a sphere of the WGS-84
mean radius (destination-point formula; the route is notional, its error is metres).

Run: python scripts/q1_routes.py
"""

from __future__ import annotations

import math

POST = (40.0789, 32.5656)
R_EARTH_M = 6_371_008.8
SPEED_KT = 515
BORESIGHT_DEG = 45.0
K = math.tan(math.radians(30.0))


def destination(lat_deg: float, lon_deg: float, bearing_deg: float, dist_m: float):
    """Destination point on a sphere (Williams, Aviation Formulary, 'lat/lon given radial
    and distance')."""
    lat1, lon1, b = map(math.radians, (lat_deg, lon_deg, bearing_deg))
    d = dist_m / R_EARTH_M
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
    lon2 = lon1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


def route(points, alt_m: float) -> str:
    rows = [
        f"{{lat_deg: {lat:.4f}, lon_deg: {lon:.4f}, alt_m: {alt_m:g}, speed_kt: {SPEED_KT}}}"
        for lat, lon in points
    ]
    return "[" + ", ".join(rows) + "]"


def head_on():
    return [destination(*POST, BORESIGHT_DEG, r) for r in (400e3, 5e3)]


def crossing():
    points, theta = [], 0.0
    while True:
        r = 400e3 * math.exp(-K * theta)
        if r < 40e3:
            return points
        points.append(destination(*POST, math.degrees(theta), r))
        theta += math.radians(10.0)


if __name__ == "__main__":
    for alt in (10000, 3000, 300):
        print(f"head-on {alt}: {route(head_on(), alt)}")
        print(f"crossing {alt}: {route(crossing(), alt)}")
