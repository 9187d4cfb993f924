"""Fly-by turns at waypoints: a route's legs joined by circular arcs flown at a bank angle.

A coordinated level turn at bank angle ``phi`` and true airspeed ``V`` has the radius
``R = V^2 / (g tan phi)`` (Anderson, *Introduction to Flight*, 8th ed., 2016, eq. 6.118;
no wind, so the ground speed stands for the airspeed). A fly-by turn through the heading
change ``dpsi`` is the arc of that radius tangent to both legs: it leaves the inbound leg
``d = R tan(|dpsi| / 2)`` before the waypoint and joins the outbound leg ``d`` after it
(ICAO Doc 8168, PANS-OPS, fly-by waypoint turn anticipation), so the flight cuts the
corner. A turn that would start before the middle of either leg is flown tighter, with
``d`` half the shorter leg (a bank steeper than the limit: the route asks more than the
airframe can do).

The arc is laid out in the tangent plane at the waypoint (east, north) and placed on the
ellipsoid by distance and azimuth from the waypoint (pyproj ``Geod.fwd``); at the few
kilometres of a turn, the plane and the ellipsoid differ by metres. The turn is flown at the
outbound leg's ground speed; the height changes linearly in time from where the turn
leaves the inbound leg to where it joins the outbound one.
"""

from __future__ import annotations

import math

import numpy as np
import pyproj

from iadsim.core.units import STANDARD_GRAVITY_MPS2


def turn_radius_m(ground_speed_mps: float, bank_rad: float) -> float:
    """``R = V^2 / (g tan phi)``, m (module docstring); 0 for an instant turn (``nan``)."""
    if math.isnan(bank_rad):
        return 0.0
    return ground_speed_mps**2 / (STANDARD_GRAVITY_MPS2 * math.tan(bank_rad))


def route_segments(geod: pyproj.Geod, route: np.ndarray, bank_rad: float) -> dict[str, np.ndarray]:
    """The straight parts and the turns of one route, in flying order.

    Parameters
    ----------
    geod : pyproj.Geod
        The WGS-84 geodesic solver.
    route : (k + 1, 4) float
        Waypoints ``lat_deg, lon_deg, alt_m, speed_mps`` (speed of the leg that starts there).
    bank_rad : float
        Bank angle of the turns, rad; ``nan`` for instant turns.

    Returns
    -------
    dict of (2 k - 1,) arrays
        The columns of :class:`~iadsim.motion.waypoints.RouteTable` (``lat0``, ``lon0``,
        ``alt0``, ``az``, ``offset``, ``len``, ``v``, ``climb``, ``center_e``, ``center_n``,
        ``radius``, ``heading0``, ``sign``, ``is_turn``) and each segment's ``duration``.
    """
    az, back_az, length = (
        np.asarray(a) for a in geod.inv(route[:-1, 1], route[:-1, 0], route[1:, 1], route[1:, 0])
    )
    rise = route[1:, 2] - route[:-1, 2]
    full_duration = np.maximum(np.hypot(length, rise) / route[:-1, 3], 1e-9)
    ground_speed = length / full_duration
    climb = rise / full_duration
    legs = len(length)
    cut = np.zeros(legs + 1)  # d at each waypoint (none at the ends)
    turns = []
    for w in range(1, legs):
        inbound = math.radians(back_az[w - 1] + 180.0)
        outbound = math.radians(az[w])
        change = math.remainder(outbound - inbound, 2.0 * math.pi)
        radius = turn_radius_m(ground_speed[w], bank_rad)
        half_tan = math.tan(abs(change) / 2.0)
        d = radius * half_tan
        most = 0.5 * min(length[w - 1], length[w])
        if d > most:
            d = most
            radius = d / half_tan if half_tan > 0 else 0.0
        cut[w] = d
        sign = math.copysign(1.0, change) if change != 0.0 else 0.0
        start_east, start_north = -d * math.sin(inbound), -d * math.cos(inbound)
        turns.append(
            {
                "center_e": start_east + sign * radius * math.cos(inbound),
                "center_n": start_north - sign * radius * math.sin(inbound),
                "radius": radius,
                "heading0": inbound,
                "sign": sign,
                "len": radius * abs(change),
                "v": ground_speed[w],
            }
        )
    names = (
        "lat0", "lon0", "alt0", "az", "offset", "len", "v", "climb",
        "center_e", "center_n", "radius", "heading0", "sign", "duration",
    )  # fmt: skip
    out: dict[str, list[float]] = {name: [] for name in names}
    out_turn: list[bool] = []

    def height(leg: int, distance: float) -> float:
        if length[leg] <= 0:
            return float(route[leg, 2])
        return float(route[leg, 2] + rise[leg] * distance / length[leg])

    for j in range(legs):
        straight = max(length[j] - cut[j] - cut[j + 1], 0.0)
        values = {
            "lat0": route[j, 0], "lon0": route[j, 1], "alt0": height(j, cut[j]),
            "az": az[j], "offset": cut[j], "len": straight, "v": ground_speed[j],
            "climb": climb[j], "center_e": 0.0, "center_n": 0.0, "radius": 0.0,
            "heading0": 0.0, "sign": 0.0,
            # An uncut leg keeps its full duration to the bit (instant turns as before).
            "duration": (
                full_duration[j]
                if straight == length[j] or ground_speed[j] <= 0
                else straight / ground_speed[j]
            ),
        }  # fmt: skip
        for name in names:
            out[name].append(float(values[name]))
        out_turn.append(False)
        if j + 1 < legs:
            turn = turns[j]
            w = j + 1
            start_alt = height(j, length[j] - cut[w])
            end_alt = height(w, cut[w])
            duration = turn["len"] / turn["v"] if turn["v"] > 0 else 0.0
            values = {
                **turn,
                "lat0": route[w, 0], "lon0": route[w, 1], "alt0": start_alt, "az": 0.0,
                "offset": 0.0, "duration": duration,
                "climb": (end_alt - start_alt) / duration if duration > 0 else 0.0,
            }  # fmt: skip
            for name in names:
                out[name].append(float(values[name]))
            out_turn.append(True)
    segments = {name: np.array(values) for name, values in out.items()}
    segments["is_turn"] = np.array(out_turn, dtype=bool)
    return segments
