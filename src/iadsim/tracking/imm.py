"""Interacting multiple model (IMM) filter on track tables: constant velocity, coordinated
turns and, for ballistic targets, free fall (constant velocity plus gravity).

Each track carries ``M`` model-conditioned estimates ``x_j, P_j`` and mode probabilities
``μ_j``. One cycle (Blom & Bar-Shalom, IEEE TAC 33(8), 1988; Bar-Shalom, Li & Kirubarajan
2001, sect. 11.6.6):

1. mixing: ``c̄_j = Σ_i π_ij μ_i``, ``ω_ij = π_ij μ_i / c̄_j``,
   ``x0_j = Σ_i ω_ij x_i``, ``P0_j = Σ_i ω_ij (P_i + (x_i − x0_j)(x_i − x0_j)ᵀ)``;
2. model-matched prediction ``x_j = F_j x0_j + u_j``, ``P_j = F_j P0_j F_jᵀ + Q_j``
   (``u_j`` a known input: gravity in the ballistic model, zero in the others), and the
   predicted mode probabilities ``μ_j = c̄_j``;
3. model-matched update, likelihoods ``Λ_j = N(ν_j; 0, S_j)``, ``μ_j ∝ Λ_j c̄_j``;
4. combination ``x = Σ_j μ_j x_j``, ``P = Σ_j μ_j (P_j + (x_j − x)(x_j − x)ᵀ)``, written to
   ``table.state`` / ``table.covariance`` for gating and for the users of the table.

The models are linear, so the cycle matches ``filterpy.kalman.IMMEstimator`` (with
``B_j u`` as the input) exactly.
Mode switching follows a continuous-time Markov chain with mean sojourn ``τ`` and uniform
jumps, so the switch probability adapts to irregular batch times:
``Π(dt) = J/M + exp(−M dt / ((M − 1) τ)) (I − J/M)`` (``J`` all ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.tracking import models
from iadsim.tracking.doppler import RangeRates, range_rate_update
from iadsim.tracking.filters import initial_covariance
from iadsim.tracking.kalman import position_update, symmetrise
from iadsim.tracking.table import TrackTable

__all__ = ["ImmFilter", "imm_combine", "imm_mix_predict", "imm_update_probabilities"]


def imm_mix_predict(
    xs: np.ndarray,
    Ps: np.ndarray,
    mu: np.ndarray,
    Pi: np.ndarray,
    F: np.ndarray,
    Q: np.ndarray,
    u: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IMM mixing then model-matched prediction.

    Parameters
    ----------
    xs : (n, M, d) float64
        Model-conditioned states.
    Ps : (n, M, d, d) float64
        Model-conditioned covariances.
    mu : (n, M) float64
        Mode probabilities.
    Pi : (M, M) or (n, M, M) float64
        Mode transition matrix, ``Pi[i, j] = P(mode j at k+1 | mode i at k)``.
    F, Q : (n, M, d, d) float64
        Transition and process noise of each model for each track.
    u : (n, M, d) float64, optional
        Known state increment of each model over the step (default none).

    Returns
    -------
    xs_pred : (n, M, d)
    Ps_pred : (n, M, d, d)
    mu_pred : (n, M)
        Predicted mode probabilities ``c̄``.
    """
    weighted = np.broadcast_to(Pi, (mu.shape[0], *Pi.shape[-2:])) * mu[:, :, None]
    cbar = weighted.sum(axis=1)
    omega = weighted / cbar[:, None, :]  # omega[n, i, j]
    x0 = np.einsum("nij,nid->njd", omega, xs)
    spread = xs[:, :, None, :] - x0[:, None, :, :]  # [n, i, j, d]
    outer = spread[..., :, None] * spread[..., None, :]
    P0 = np.einsum("nij,nijab->njab", omega, Ps[:, :, None] + outer)
    xs_pred = np.einsum("nmab,nmb->nma", F, x0)
    if u is not None:
        xs_pred += u
    Ps_pred = symmetrise(F @ P0 @ np.swapaxes(F, -1, -2) + Q)
    return xs_pred, Ps_pred, cbar


def imm_update_probabilities(mu_pred: np.ndarray, log_likelihood: np.ndarray) -> np.ndarray:
    """Posterior mode probabilities ``μ_j ∝ c̄_j Λ_j`` from log-likelihoods ``(n, M)``."""
    scaled = np.exp(log_likelihood - log_likelihood.max(axis=1, keepdims=True)) * mu_pred
    return scaled / scaled.sum(axis=1, keepdims=True)


def imm_combine(xs: np.ndarray, Ps: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Moment-matched combination of the model estimates, ``(n, d)`` and ``(n, d, d)``."""
    x = np.einsum("nm,nmd->nd", mu, xs)
    spread = xs - x[:, None, :]
    P = np.einsum("nm,nmab->nab", mu, Ps + spread[..., :, None] * spread[..., None, :])
    return x, symmetrise(P)


def symmetric_switch_matrix(dt_s: np.ndarray, n_modes: int, mean_sojourn_s: float) -> np.ndarray:
    """``Π(dt)`` of a uniform-jump Markov chain with mean sojourn ``τ``, ``(n, M, M)``."""
    dt = np.atleast_1d(np.asarray(dt_s, dtype=float))
    decay = np.exp(-n_modes * dt / ((n_modes - 1) * mean_sojourn_s))
    uniform = np.full((n_modes, n_modes), 1.0 / n_modes)
    return uniform + decay[:, None, None] * (np.eye(n_modes) - uniform)


@dataclass(frozen=True)
class ImmFilter:
    """IMM of constant-velocity, coordinated-turn and ballistic models, on a track table.

    Parameters
    ----------
    turn_rates_radps : tuple of float
        Turn rate of each model (0 = constant velocity), rad/s.
    process_noise_mps2 : tuple of float
        DWNA acceleration standard deviation of each model (m/s²).
    gravity_mps2 : tuple of float
        Downward acceleration each model assumes (m/s²): 0, or ``g`` for a ballistic
        model (:func:`~iadsim.tracking.models.gravity_input`). Empty: 0 for every model.
    mean_sojourn_s : float
        Mean time spent in a mode before switching (s).
    initial_probabilities : tuple of float
        Mode probabilities of a new track.
    initial_speed_std_mps : float
        Prior velocity standard deviation of a new track (m/s).
    """

    turn_rates_radps: tuple[float, ...] = (0.0, np.radians(6.0), -np.radians(6.0))
    process_noise_mps2: tuple[float, ...] = (2.0, 15.0, 15.0)
    mean_sojourn_s: float = 60.0
    initial_probabilities: tuple[float, ...] = (0.8, 0.1, 0.1)
    initial_speed_std_mps: float = 300.0
    state_dim: int = 6
    gravity_mps2: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        sizes = {
            len(self.turn_rates_radps),
            len(self.process_noise_mps2),
            len(self.initial_probabilities),
            len(self.gravity_mps2) or len(self.turn_rates_radps),
        }
        if len(sizes) != 1:
            msg = "turn rates, noises, initial probabilities and gravities need one per model"
            raise ValueError(msg)

    @classmethod
    def cv_and_turns(
        cls,
        process_noise_mps2: float,
        turn_rate_radps: float,
        quiet_noise_mps2: float = 2.0,
        mean_sojourn_s: float = 60.0,
        initial_speed_std_mps: float = 300.0,
    ) -> ImmFilter:
        """Quiet CV model plus left and right turns at ``±turn_rate_radps``."""
        return cls(
            turn_rates_radps=(0.0, turn_rate_radps, -turn_rate_radps),
            process_noise_mps2=(quiet_noise_mps2, process_noise_mps2, process_noise_mps2),
            mean_sojourn_s=mean_sojourn_s,
            initial_speed_std_mps=initial_speed_std_mps,
        )

    @classmethod
    def cv_turns_and_ballistic(
        cls,
        process_noise_mps2: float,
        turn_rate_radps: float,
        quiet_noise_mps2: float = 2.0,
        ballistic_noise_mps2: float = 20.0,
        mean_sojourn_s: float = 60.0,
        initial_speed_std_mps: float = 300.0,
    ) -> ImmFilter:
        """:meth:`cv_and_turns` plus a ballistic model: free fall under gravity, with
        ``ballistic_noise_mps2`` for drag and unmodelled manoeuvre.

        A track starts with probability 0.1 on the ballistic model (an air picture holds
        far more aircraft than missiles in free fall); the likelihoods move it there within
        a few updates when the target falls at ``g``.
        """
        return cls(
            turn_rates_radps=(0.0, turn_rate_radps, -turn_rate_radps, 0.0),
            process_noise_mps2=(
                quiet_noise_mps2,
                process_noise_mps2,
                process_noise_mps2,
                ballistic_noise_mps2,
            ),
            mean_sojourn_s=mean_sojourn_s,
            initial_probabilities=(0.7, 0.1, 0.1, 0.1),
            initial_speed_std_mps=initial_speed_std_mps,
            gravity_mps2=(0.0, 0.0, 0.0, models.STANDARD_GRAVITY_MPS2),
        )

    @property
    def n_modes(self) -> int:
        """Number of models ``M``."""
        return len(self.turn_rates_radps)

    def transitions(self, dt_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-track, per-model ``F`` and ``Q``, each ``(n, M, 6, 6)``."""
        rates = self.turn_rates_radps
        F = np.stack([models.coordinated_turn_transition(dt_s, w) for w in rates], 1)
        Q = np.stack([models.dwna_process_noise(dt_s, q) for q in self.process_noise_mps2], 1)
        return F, Q

    def inputs(self, dt_s: np.ndarray) -> np.ndarray | None:
        """Per-track, per-model known increments ``(n, M, 6)``; None when no model has one."""
        if not any(self.gravity_mps2):
            return None
        return np.stack([models.gravity_input(dt_s, g) for g in self.gravity_mps2], 1)

    def prepare(self, table: TrackTable) -> None:
        """Add the per-model columns ``imm_state``, ``imm_covariance``, ``imm_probability``."""
        m, d = self.n_modes, self.state_dim
        table.add_column("imm_state", (m, d))
        table.add_column("imm_covariance", (m, d, d))
        table.add_column("imm_probability", (m,))

    def initiate(
        self,
        table: TrackTable,
        slots: np.ndarray,
        z: np.ndarray,
        R: np.ndarray,
        speed_std_mps: float | None = None,
    ):
        """Every model starts at ``[z, 0]`` with the single-point covariance (velocity
        prior ``speed_std_mps``, default the filter's)."""
        speed = self.initial_speed_std_mps if speed_std_mps is None else speed_std_mps
        x = np.zeros((slots.size, self.state_dim))
        x[:, :3] = z
        P = initial_covariance(R, self.state_dim, speed)
        table.extra["imm_state"][slots] = x[:, None, :]
        table.extra["imm_covariance"][slots] = P[:, None, :, :]
        table.extra["imm_probability"][slots] = self.initial_probabilities
        table.state[slots] = x
        table.covariance[slots] = P

    def predict(self, table: TrackTable, slots: np.ndarray, t_s: float) -> None:
        """Mix, predict every model to ``t_s``, and write the combined prior to the table."""
        if slots.size == 0:
            return
        dt = np.maximum(t_s - table.time_s[slots], 0.0)
        F, Q = self.transitions(dt)
        Pi = symmetric_switch_matrix(dt, self.n_modes, self.mean_sojourn_s)
        xs, Ps, mu = imm_mix_predict(
            table.extra["imm_state"][slots],
            table.extra["imm_covariance"][slots],
            table.extra["imm_probability"][slots],
            Pi,
            F,
            Q,
            self.inputs(dt),
        )
        self._store(table, slots, xs, Ps, mu)
        table.time_s[slots] = np.maximum(table.time_s[slots], t_s)

    def update(self, table: TrackTable, slots: np.ndarray, z: np.ndarray, R: np.ndarray):
        """Model-matched Kalman updates, mode probabilities, combination."""
        m = self.n_modes
        xs, Ps = self._stacked_modes(table, slots)
        result = position_update(xs, Ps, np.repeat(z, m, axis=0), np.repeat(R, m, axis=0))
        self._absorb(table, slots, result)
        return result

    def update_range_rate(self, table: TrackTable, slots: np.ndarray, measured: RangeRates):
        """Range-rate update of every model; its likelihoods reweight the modes."""
        result = range_rate_update(
            *self._stacked_modes(table, slots), measured.repeat(self.n_modes)
        )
        self._absorb(table, slots, result)
        return result

    def _stacked_modes(self, table, slots) -> tuple[np.ndarray, np.ndarray]:
        """Model-conditioned states and covariances as ``(k M, d)`` and ``(k M, d, d)``."""
        k, m, d = slots.size, self.n_modes, self.state_dim
        return (
            table.extra["imm_state"][slots].reshape(k * m, d),
            table.extra["imm_covariance"][slots].reshape(k * m, d, d),
        )

    def _absorb(self, table, slots, result) -> None:
        """Store model-matched updates; their likelihoods reweight the modes."""
        k, m, d = slots.size, self.n_modes, self.state_dim
        mu = imm_update_probabilities(
            table.extra["imm_probability"][slots], result.log_likelihood.reshape(k, m)
        )
        self._store(
            table,
            slots,
            result.state.reshape(k, m, d),
            result.covariance.reshape(k, m, d, d),
            mu,
        )

    def _store(self, table, slots, xs, Ps, mu) -> None:
        table.extra["imm_state"][slots] = xs
        table.extra["imm_covariance"][slots] = Ps
        table.extra["imm_probability"][slots] = mu
        table.state[slots], table.covariance[slots] = imm_combine(xs, Ps, mu)
