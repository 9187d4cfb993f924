"""The compiled guidance inputs of a weapons step against their NumPy twins, to the bit."""

import numpy as np

from iadsim.weapons._guidance_kernels import (
    extrapolated_tracks_kernel,
    extrapolated_tracks_reference,
    target_states_kernel,
    target_states_reference,
)


def test_extrapolated_tracks_are_the_numpy_twins_to_the_bit():
    rng = np.random.default_rng(3)
    state = rng.normal(0.0, 1e6, (40, 6))
    time_s = rng.uniform(0.0, 100.0, 40)
    time_s[::5] = np.nan  # slots without a track yet
    compiled = np.empty_like(state)
    extrapolated_tracks_kernel(state, time_s, 123.456, compiled)
    plain = extrapolated_tracks_reference(state, time_s, 123.456)
    assert compiled.tobytes() == plain.tobytes()


def test_target_states_are_the_numpy_twins_to_the_bit():
    rng = np.random.default_rng(4)
    capacity, entities = 30, 7
    track_state = rng.normal(0.0, 1e6, (capacity, 6))
    truth = rng.integers(-1, entities, capacity)
    present = rng.random(entities) < 0.6
    pos, vel, accel = (rng.normal(0.0, 1e5, (entities, 3)) for _ in range(3))
    state, accel_out = np.full((capacity, 6), np.nan), np.full((capacity, 3), np.nan)
    target_states_kernel(track_state, truth, present, pos, vel, accel, state, accel_out)
    plain_state, plain_accel = target_states_reference(track_state, truth, present, pos, vel, accel)
    assert state.tobytes() == plain_state.tobytes()
    assert accel_out.tobytes() == plain_accel.tobytes()
    assert (truth >= 0).any() and (truth < 0).any() and (~present).any()
