"""Emission control: which radars radiate at each step.

A radar radiates by its scenario policy (``RadarPlacement.emission``):

``always``
    every step (the default; no state, no random draw, so scenarios without emission
    control run exactly as before);
``when_cued``
    while its post holds a track of a possible enemy (identity unknown, pending, suspect or
    hostile), from another radar or the data link: the "cued" emission of Skynet-IADS and of
    S-300/S-400 practice, where the search radars cue the engagement radar;
``go_live``
    while such a track is within ``go_live_km`` of the radar (Skynet-IADS "go live" range);
``blink``
    ``blink_on_s`` on, ``blink_off_s`` off, from the start of the run.

``shutdown_on_arm`` overrides all of them: a radar falls silent for ``shutdown_s`` from the
last step its post recognised an anti-radiation missile coming at it, by a kinematic rule on
the post's tracks (fast, diving, aimed at the radar: :mod:`iadsim.ew.arm_warning`). A
radar killed (by an anti-radiation missile) never radiates again. A silent radar makes no
looks (:class:`~iadsim.sensors.sensing.SensingStage`), so the post gets no fire-control
updates from it and its interceptors in flight coast on inertial guidance until the doctrine's
``guidance_coast_s`` runs out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from iadsim.scenario.schema import RadarPlacement

__all__ = ["ALWAYS", "BLINK", "GO_LIVE", "WHEN_CUED", "EmissionControl"]

ALWAYS, WHEN_CUED, GO_LIVE, BLINK = 0, 1, 2, 3
_CODES = {"always": ALWAYS, "when_cued": WHEN_CUED, "go_live": GO_LIVE, "blink": BLINK}


@dataclass
class EmissionControl:
    """Emission policies and state of ``n`` radars.

    Attributes
    ----------
    mode : (n,) int64
        :data:`ALWAYS`, :data:`WHEN_CUED`, :data:`GO_LIVE` or :data:`BLINK`.
    go_live_m : (n,) float64
        Go-live range, m (inf where unused).
    on_s, off_s : (n,) float64
        Blink on and off times, s.
    shutdown_on_arm : (n,) bool
    shutdown_s : (n,) float64
        Silence after an anti-radiation missile is detected, s.
    silent_until_s : (n,) float64
        End of the current shutdown, s (-inf: none).
    dead : (n,) bool
        Destroyed.
    """

    mode: np.ndarray
    go_live_m: np.ndarray
    on_s: np.ndarray
    off_s: np.ndarray
    shutdown_on_arm: np.ndarray
    shutdown_s: np.ndarray
    silent_until_s: np.ndarray
    dead: np.ndarray

    @classmethod
    def from_placements(cls, placements: Sequence[RadarPlacement | None]) -> EmissionControl:
        """Policies of each radar in order; ``None`` (a standalone radar) emits always."""
        n = len(placements)
        control = cls(
            np.zeros(n, dtype=np.int64),
            np.full(n, np.inf),
            np.ones(n),
            np.zeros(n),
            np.zeros(n, dtype=bool),
            np.zeros(n),
            np.full(n, -np.inf),
            np.zeros(n, dtype=bool),
        )
        for i, placement in enumerate(placements):
            if placement is None:
                continue
            control.mode[i] = _CODES[placement.emission]
            if placement.go_live_km is not None:
                control.go_live_m[i] = placement.go_live_km * 1000.0
            if placement.blink_on_s is not None and placement.blink_off_s is not None:
                control.on_s[i], control.off_s[i] = placement.blink_on_s, placement.blink_off_s
            control.shutdown_on_arm[i] = placement.shutdown_on_arm
            control.shutdown_s[i] = placement.shutdown_s
        return control

    @property
    def controlled(self) -> bool:
        """True when any radar can be silent (a policy other than always, or a kill)."""
        return bool(np.any(self.mode != ALWAYS) or self.shutdown_on_arm.any() or self.dead.any())

    @property
    def needs_cues(self) -> np.ndarray:
        """(n,) bool: radars whose policy reads their post's tracks."""
        return (self.mode == WHEN_CUED) | (self.mode == GO_LIVE)

    def emitting(self, t: float, nearest_threat_m: np.ndarray) -> np.ndarray:
        """Which radars radiate at ``t``.

        Parameters
        ----------
        t : float
            Time, s.
        nearest_threat_m : (n,) float64
            Distance from each radar to the nearest track of a possible enemy its post holds,
            m (inf: none). Read only for ``when_cued`` and ``go_live`` radars.

        Returns
        -------
        (n,) bool
        """
        period = self.on_s + self.off_s
        on = np.ones(self.mode.shape, dtype=bool)
        on = np.where(self.mode == WHEN_CUED, np.isfinite(nearest_threat_m), on)
        on = np.where(self.mode == GO_LIVE, nearest_threat_m <= self.go_live_m, on)
        on = np.where(self.mode == BLINK, np.mod(t, period) < self.on_s, on)
        return on & (t >= self.silent_until_s) & ~self.dead

    def arm_detected(self, t: float, radar: int) -> bool:
        """Radar ``radar`` detected an anti-radiation missile at ``t``: it shuts down if its
        policy says so. Returns whether it did."""
        if not self.shutdown_on_arm[radar] or self.dead[radar]:
            return False
        self.silent_until_s[radar] = t + self.shutdown_s[radar]
        return True

    def kill(self, radar: int) -> None:
        """Radar ``radar`` is destroyed: it never radiates again."""
        self.dead[radar] = True
