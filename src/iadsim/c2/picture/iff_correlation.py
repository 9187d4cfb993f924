"""Correlating IFF replies with a post's tracks, by position only (never by truth labels).

The classic radar-to-SSR plot correlation: a reply gives a slant range and an azimuth at
the interrogator's antenna (and, for Mode C and Mode 5, an altitude); each confirmed track,
predicted to the time of the scan, is seen from the same antenna. The normalised distance
between reply ``i`` and track ``j``,

    d2 = (r_i - r_j)^2 / (s_ri^2 + s_rj^2) + (a_i - a_j)^2 / (s_ai^2 + s_aj^2)
         [+ (h_i - h_j)^2 / (s_hi^2 + s_hj^2) where the reply reports an altitude],

adds the reply's measurement variances to the track's predicted position covariance
projected on range, azimuth and the vertical (``s_r^2 = u_r' P u_r`` along the line of
sight, ``s_a^2 = g' P g`` with ``g = (n, -e, 0) / h^2`` the gradient of the azimuth,
``s_h^2`` the vertical variance), as in Bar-Shalom, Willett & Tian, *Tracking and Data
Fusion*, 2011, ch. 2 (gating on a chi-square statistic). Replies of one mode are assigned to
tracks one to one by least total distance (Munkres;
:func:`scipy.optimize.linear_sum_assignment`), within the chi-square gate of 2 or 3 degrees
of freedom (without, with altitude) at :data:`GATE_PROBABILITY`. A reply that gates with no
track is dropped.

Every live track, tentative or confirmed, is a candidate, so that the evidence is there when
a track is confirmed. Each track whose predicted position lies in the interrogator's range
and sector is stamped as interrogated, whether or not a reply came back (the identification
process of STANAG 1241 starts with the challenge). A correlated reply stamps its track's
secure or civil reply time and its reply code. A code
that differs from the track's last one means the track now follows another aircraft (a
track swap, or a mis-correlation): the track's reply history is cleared before the new
reply is noted, so a friend's old replies do not vouch for what the track follows now.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import chi2

from iadsim.c2.picture._iff_kernels import normalised_distance_kernel, seen_sigmas_kernel
from iadsim.c2.picture.datalink import own_tracks_ecef
from iadsim.c2.picture.post_picture import CommandPostPicture
from iadsim.geo.frames import ecef_to_enu, ecef_to_lla, enu_to_azimuth_range
from iadsim.sensors.iff import Interrogator, ReplyBatch

GATE_PROBABILITY = 0.999
"""Probability that a reply from a track's aircraft falls in the track's gate."""
GATE = float(chi2.ppf(GATE_PROBABILITY, 2))
"""Gate on the normalised distance ``d2`` of a reply without altitude (2 dof): 13.8."""
GATE_WITH_ALTITUDE = float(chi2.ppf(GATE_PROBABILITY, 3))
"""Gate of a reply that reports its altitude (3 dof): 16.3."""
_FAR = 1.0e9
"""Cost of a pairing outside the gate in the assignment (never taken)."""


@dataclass(frozen=True)
class TracksSeen:
    """Tracks as an interrogator sees them: ``(n,)`` arrays, m and rad.

    Attributes
    ----------
    range_m, az_rad, alt_m : (n,) float64
        Slant range and azimuth at the antenna, and altitude above the ellipsoid.
    sigma_range_m, sigma_az_rad, sigma_alt_m : (n,) float64
        Their standard deviations from the tracks' position covariances.
    """

    range_m: np.ndarray
    az_rad: np.ndarray
    alt_m: np.ndarray
    sigma_range_m: np.ndarray
    sigma_az_rad: np.ndarray
    sigma_alt_m: np.ndarray


def seen_from(
    interrogator: Interrogator, pos_ecef_m: np.ndarray, cov_ecef_m2: np.ndarray
) -> TracksSeen:
    """Slant range, azimuth and altitude of positions at the antenna, with their sigmas.

    Parameters
    ----------
    interrogator : Interrogator
    pos_ecef_m : (n, 3) float64
        Predicted track positions, ECEF, m.
    cov_ecef_m2 : (n, 3, 3) float64
        Their position covariances, ECEF, m^2.

    Returns
    -------
    TracksSeen
        The vertical variance is taken along the antenna's vertical (the two verticals
        differ by under 4 deg within 400 km).
    """
    enu = ecef_to_enu(pos_ecef_m, interrogator.pos_ecef_m, interrogator.rotation)
    az, slant = enu_to_azimuth_range(enu)
    # Compiled twin of seen_sigmas_reference (same bits): a scan's few tracks.
    sigma_range, sigma_az, sigma_alt = seen_sigmas_kernel(
        enu, slant, interrogator.rotation, cov_ecef_m2
    )
    _, _, alt = ecef_to_lla(pos_ecef_m)
    return TracksSeen(slant, az, alt, sigma_range, sigma_az, sigma_alt)


def normalised_distance(replies: ReplyBatch, tracks: TracksSeen) -> np.ndarray:
    """The ``(n_replies, n_tracks)`` statistic ``d2`` of the module docstring.

    The wrapped azimuth differences are NumPy's; the rest is
    :func:`~iadsim.c2.picture._iff_kernels.normalised_distance_kernel` (the same bits as
    its NumPy twin, without a dozen small array operations per scan).
    """
    turn = np.exp(1j * (replies.az_rad[:, None] - tracks.az_rad[None, :]))
    d_az = np.arctan2(turn.imag, turn.real)  # np.angle's own arithmetic, without its wrapper
    reply_rows = np.array(
        (
            replies.range_m,
            replies.sigma_range_m,
            replies.sigma_az_rad,
            replies.alt_m,
            replies.sigma_alt_m,
        )
    )
    track_rows = np.array(
        (
            tracks.range_m,
            tracks.sigma_range_m,
            tracks.sigma_az_rad,
            tracks.alt_m,
            tracks.sigma_alt_m,
        )
    )
    return normalised_distance_kernel(d_az, reply_rows, track_rows)


def assign_replies(
    distance: np.ndarray, mode: np.ndarray, has_altitude: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one reply-track pairs of least total distance, per mode, inside the gate.

    Parameters
    ----------
    distance : (n_replies, n_tracks) float64
        ``d2`` of every pair.
    mode : (n_replies,) int64
        Mode of each reply (each mode's replies are assigned separately).
    has_altitude : (n_replies,) bool
        The reply reports an altitude (gate :data:`GATE_WITH_ALTITUDE`, else :data:`GATE`).

    Returns
    -------
    reply_rows, track_rows : (k,) int64
    """
    replies, tracks = [], []
    if distance.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    gate = np.where(has_altitude, GATE_WITH_ALTITUDE, GATE)[:, None]
    modes = sorted(set(mode.tolist()))  # np.unique's order, without its overhead
    if len(modes) == 1:  # one mode (most scans): its rows are all the rows, in order
        inside = distance <= gate
        r, c = linear_sum_assignment(np.where(inside, distance, _FAR))
        kept = inside[r, c]
        return r[kept].astype(np.int64), c[kept].astype(np.int64)
    for value in modes:
        rows = (mode == value).nonzero()[0]
        inside = distance[rows] <= gate[rows]
        cost = np.where(inside, distance[rows], _FAR)
        r, c = linear_sum_assignment(cost)
        kept = inside[r, c]
        replies.append(rows[r[kept]])
        tracks.append(c[kept])
    return np.concatenate(replies).astype(np.int64), np.concatenate(tracks).astype(np.int64)


def note_replies(
    picture: CommandPostPicture,
    interrogator: Interrogator,
    replies: ReplyBatch,
    accel_std_mps2: float,
    late: bool = False,
) -> int:
    """Correlate one scan's replies with the post's live tracks and note them.

    Parameters
    ----------
    picture : CommandPostPicture
        Its ``interrogated_s``, ``secure_reply_s``, ``civil_reply_s`` and ``reply_code``
        columns are updated.
    interrogator : Interrogator
        Where the replies were measured.
    replies : ReplyBatch
    accel_std_mps2 : float
        Process noise of the prediction to the scan time (the trackers' DWNA acceleration).
    late : bool
        The replies arrive after their scan (through a gateway): only the tracks created
        by the scan time are candidates, those updated since are retrodicted to it, and
        none is stamped as interrogated
        (the scan was stamped when it happened; a late stamp must not move a newer one
        back).

    Returns
    -------
    int
        Replies correlated with a track.
    """
    slots = picture.table.active_slots()
    if late:  # a reply vouches only for a track that existed when it was received
        slots = slots[picture.table.created_s[slots] <= replies.time_s]
    if slots.size == 0:
        return 0
    state, cov = own_tracks_ecef(picture, slots, replies.time_s, accel_std_mps2, retrodict=late)
    seen = seen_from(interrogator, state[:, :3], cov[:, :3, :3])
    covered = seen.range_m <= interrogator.max_range_m
    if not interrogator.all_round:
        covered &= interrogator.in_sector(seen.az_rad)
    column = picture.table.extra  # the picture's columns by name (picture.column)
    if not late:
        column["interrogated_s"][slots[covered]] = replies.time_s
    if replies.mode.size == 0:
        return 0
    reply_rows, track_rows = assign_replies(
        normalised_distance(replies, seen), replies.mode, ~np.isnan(replies.alt_m)
    )
    secure_s = column["secure_reply_s"]
    civil_s = column["civil_reply_s"]
    code = column["reply_code"]
    for slot, new_code, secure, civil in zip(
        slots[track_rows].tolist(),
        replies.code[reply_rows].tolist(),
        replies.secure[reply_rows].tolist(),
        replies.civil[reply_rows].tolist(),
        strict=True,
    ):
        if code[slot] != new_code:
            secure_s[slot] = civil_s[slot] = -np.inf
            code[slot] = new_code
        if secure:
            secure_s[slot] = replies.time_s
        elif civil:
            civil_s[slot] = replies.time_s
    return int(reply_rows.size)
