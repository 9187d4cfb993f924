"""The tracker's compiled kernels against their NumPy twins."""

import numpy as np
import pytest

from iadsim.geo.frames import enu_rotation, lla_to_ecef
from iadsim.tracking._kernels import range_rate_terms_kernel
from iadsim.tracking.doppler import RangeRates, range_rate_terms_reference
from iadsim.tracking.gating import GatedPairs, dense_gate_reference, gate_pairs, gate_threshold
from iadsim.tracking.kalman import (
    constant_velocity_predict,
    constant_velocity_predict_reference,
    constant_velocity_predict_rows,
)
from iadsim.tracking.measurements import (
    converted_measurement,
    converted_measurement_in_frame,
    converted_measurement_in_frame_reference,
)


def test_compiled_cv_prediction_matches_the_numpy_twin_to_the_bit():
    rng = np.random.default_rng(9)
    n = 50
    x = rng.normal(size=(n, 6)) * 1000.0
    A = rng.normal(size=(n, 6, 6)) * 30.0
    P = A @ np.swapaxes(A, -1, -2) + np.eye(6)
    dt = np.concatenate([rng.uniform(0.0, 12.0, n - 2), [0.0, 3.0]])
    got_x, got_P = constant_velocity_predict(x, P, dt, 15.0)
    ref_x, ref_P = constant_velocity_predict_reference(x, P, dt, 15.0)
    assert np.array_equal(got_x, ref_x)
    assert np.array_equal(got_P, ref_P)


def test_the_in_place_cv_prediction_of_table_rows_is_the_gathered_one_to_the_bit():
    """Rows of a table predicted in place: the states and covariances of gathering the rows,
    predicting and scattering them back, epochs raised to now (never lowered, a NaN kept);
    the other rows untouched."""
    rng = np.random.default_rng(10)
    capacity = 40
    state = rng.normal(size=(capacity, 6)) * 1000.0
    A = rng.normal(size=(capacity, 6, 6)) * 30.0
    covariance = A @ np.swapaxes(A, -1, -2) + np.eye(6)
    time_s = rng.uniform(80.0, 120.0, capacity)
    time_s[3] = np.nan
    slots = np.sort(rng.choice(capacity, 25, replace=False))
    slots[0] = 3
    slots.sort()
    dt = np.maximum(100.0 - time_s[slots], 0.0)
    want_state, want_covariance, want_time = state.copy(), covariance.copy(), time_s.copy()
    want_state[slots], want_covariance[slots] = constant_velocity_predict(
        state[slots], covariance[slots], dt, 15.0
    )
    want_time[slots] = np.maximum(time_s[slots], 100.0)
    constant_velocity_predict_rows(state, covariance, time_s, slots, dt, 15.0, 100.0)
    assert np.array_equal(state, want_state, equal_nan=True)
    assert np.array_equal(covariance, want_covariance, equal_nan=True)
    assert np.array_equal(time_s, want_time, equal_nan=True)


def test_the_compiled_time_steps_are_numpys_maximum_to_the_bit():
    """Steps of table rows to now: never negative, a NaN epoch gives NaN, and whether any
    row has a step (no row does at a second look at the same time)."""
    from iadsim.tracking._row_kernels import elapsed_rows_kernel

    time_s = np.array([100.0, 99.25, np.nan, 104.0, 3.0])
    slots = np.array([4, 0, 2, 3, 1])
    dt, moving = elapsed_rows_kernel(time_s, slots, 100.0)
    assert np.array_equal(dt, np.maximum(100.0 - time_s[slots], 0.0), equal_nan=True)
    assert moving
    dt, moving = elapsed_rows_kernel(time_s, np.array([0, 3]), 100.0)
    assert np.array_equal(dt, [0.0, 0.0]) and not moving


def test_a_stationary_certain_track_gains_only_the_process_noise():
    x = np.array([[1.0, 2.0, 3.0, 0.0, 0.0, 0.0]])
    P = np.zeros((1, 6, 6))
    got_x, got_P = constant_velocity_predict(x, P, np.array([2.0]), 3.0)
    assert np.array_equal(got_x, x)
    # DWNA: sigma^2 T^4/4 = 36, sigma^2 T^3/2 = 36, sigma^2 T^2 = 36 (sigma = 3, T = 2).
    assert np.allclose(np.diagonal(got_P[0]), 36.0) and np.isclose(got_P[0, 0, 3], 36.0)
    assert got_P[0, 0, 1] == 0.0


def test_compiled_3x3_inverse_matches_the_numpy_twin_to_the_bit():
    from iadsim.tracking.kalman import inverse_3x3, inverse_3x3_reference

    rng = np.random.default_rng(10)
    A = rng.normal(size=(40, 3, 3)) * 50.0
    S = A @ np.swapaxes(A, -1, -2) + np.eye(3)
    got_inv, got_det = inverse_3x3(S)
    ref_inv, ref_det = inverse_3x3_reference(S)
    assert np.array_equal(got_inv, ref_inv) and np.array_equal(got_det, ref_det)
    assert np.allclose(got_inv @ S, np.eye(3), atol=1e-9)  # and it is the inverse


def test_compiled_cheapest_pairs_match_the_numpy_twin():
    from iadsim.tracking._association_kernels import cheapest_pair_kernel
    from iadsim.tracking.association import cheapest_pairs_reference

    rng = np.random.default_rng(11)
    for _ in range(100):
        k = int(rng.integers(0, 30))
        track = rng.integers(0, 8, k).astype(np.int64)
        cost = rng.integers(0, 4, k).astype(float)  # many ties
        cost[rng.random(k) < 0.1] = np.nan
        rows = np.flatnonzero(rng.random(k) < 0.7)
        got = cheapest_pair_kernel(track, cost, rows, 8)
        assert got.tolist() == cheapest_pairs_reference(track, cost, rows).tolist()


def test_compiled_lone_track_split_matches_the_numpy_twin():
    from iadsim.tracking._association_kernels import lone_track_split_kernel
    from iadsim.tracking.association import lone_track_split_reference

    rng = np.random.default_rng(12)
    for _ in range(200):
        k = int(rng.integers(0, 25))
        track = rng.integers(0, 8, k).astype(np.int64)
        detection = rng.integers(0, 10, k).astype(np.int64)
        cost = rng.integers(0, 4, k).astype(float)  # many ties
        got = lone_track_split_kernel(track, detection, cost, 8, 10)
        ref = lone_track_split_reference(track, detection, cost, 8, 10)
        assert [part.tolist() for part in got] == [part.tolist() for part in ref]


def test_converted_measurement_in_frame_kernel_matches_its_numpy_twin():
    rng = np.random.default_rng(7)
    n = 12
    columns = (
        rng.uniform(1e3, 4e5, n),
        rng.uniform(0, 2 * np.pi, n),
        rng.uniform(-0.1, 1.2, n),
        rng.uniform(5, 300, n),
        rng.uniform(1e-4, 3e-2, n),
        rng.uniform(1e-4, 3e-2, n),
    )
    sensor_ecef = lla_to_ecef(np.radians(39.5), np.radians(32.5), 900.0)
    frame_ecef = lla_to_ecef(np.radians(39.9), np.radians(32.9), 1100.0)
    frames = (
        sensor_ecef,
        enu_rotation(np.radians(39.5), np.radians(32.5)),
        frame_ecef,
        enu_rotation(np.radians(39.9), np.radians(32.9)),
    )
    z, R = converted_measurement_in_frame(*columns, *frames)
    z_ref, R_ref = converted_measurement_in_frame_reference(*columns, *frames)
    np.testing.assert_allclose(z, z_ref, rtol=1e-12, atol=1e-8)
    np.testing.assert_allclose(R, R_ref, rtol=1e-10, atol=1e-8 * np.abs(R_ref).max())


def test_converted_measurement_kernel_returns_what_its_twin_does_when_the_debiasing_underflows():
    # Row 0 is the detection that stopped turkey-patriot-ankara at seed 9: SNR near -70 dB
    # gave a 40 rad angle sigma, exp(-40²/2) underflows to 0 and the debiasing factor 1/0
    # raised ZeroDivisionError in the kernel, while the NumPy twin gives inf/NaN. Row 1 is an
    # ordinary detection of the same look and must be unaffected.
    columns = (
        np.array([-123807.4579733986, 131799.01824669453]),
        np.array([1.5285582049679185, 0.318219365040009]),
        np.array([20.209659868936495, 0.04411994639718657]),
        np.array([1.1018294551715818e05, 5.0]),
        np.array([40.063649558748672, 3.3166464930870626e-04]),
        np.array([40.063649558748672, 3.3166464930870626e-04]),
    )
    assert np.exp(-0.5 * columns[4][0] ** 2) == 0.0  # the degenerate case itself
    frames = (
        lla_to_ecef(np.radians(39.5), np.radians(32.5), 900.0),
        enu_rotation(np.radians(39.5), np.radians(32.5)),
        lla_to_ecef(np.radians(39.9), np.radians(32.9), 1100.0),
        enu_rotation(np.radians(39.9), np.radians(32.9)),
    )
    z, R = converted_measurement_in_frame(*columns, *frames)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z_ref, R_ref = converted_measurement_in_frame_reference(*columns, *frames)
    assert not np.isfinite(z_ref[0]).all() and not np.isfinite(z[0]).all()
    np.testing.assert_array_equal(np.isfinite(z), np.isfinite(z_ref))
    np.testing.assert_array_equal(np.isfinite(R), np.isfinite(R_ref))
    np.testing.assert_allclose(z[1], z_ref[1], rtol=1e-12, atol=1e-8)
    np.testing.assert_allclose(R[1], R_ref[1], rtol=1e-10, atol=1e-8 * np.abs(R_ref[1]).max())


def test_converted_measurement_in_the_sensors_own_frame_is_the_converted_measurement():
    columns = tuple(np.array([v]) for v in (5e4, 0.3, 0.05, 20.0, 0.01, 0.02))
    origin = lla_to_ecef(np.radians(39.5), np.radians(32.5), 900.0)
    rotation = enu_rotation(np.radians(39.5), np.radians(32.5))
    z, R = converted_measurement_in_frame(*columns, origin, rotation, origin, rotation)
    z_ref, R_ref = converted_measurement(*columns)
    np.testing.assert_allclose(z, z_ref, rtol=0, atol=1e-8)
    np.testing.assert_allclose(R, R_ref, rtol=1e-12, atol=1e-9)
    # Unbiased range up to the debiasing factor: the horizontal range is r cos(el) / (la le).
    np.testing.assert_allclose(
        np.hypot(z[0, 0], z[0, 1]), 5e4 * np.cos(0.05) / np.exp(-0.5 * (0.01**2 + 0.02**2))
    )


def test_compiled_scalar_update_matches_the_numpy_twin_to_the_bit():
    from iadsim.tracking._kernels import scalar_update_kernel
    from iadsim.tracking.doppler import scalar_update_reference

    rng = np.random.default_rng(13)
    for n, d in ((1, 6), (7, 6), (5, 9)):
        x = rng.normal(size=(n, d)) * 1e4
        A = rng.normal(size=(n, d, d)) * np.exp(rng.normal(size=(n, 1, d)) * 3)
        P = A @ np.swapaxes(A, -1, -2)
        H = rng.normal(size=(n, d))
        PHt = np.einsum("nij,nj->ni", P, H)
        S = np.einsum("ni,ni->n", H, PHt) + rng.uniform(1.0, 9.0, n)
        innovation = rng.normal(size=n) * 20.0
        got = scalar_update_kernel(x, P, PHt, S, innovation)
        ref = scalar_update_reference(x, P, PHt, S, innovation)
        assert np.array_equal(got[0], ref[0]) and np.array_equal(got[1], ref[1])


def test_position_update_matches_its_numpy_twin_to_the_bit():
    from iadsim.tracking.kalman import position_update, position_update_reference

    rng = np.random.default_rng(14)
    for n, d in ((1, 6), (6, 6), (4, 9)):
        x = rng.normal(size=(n, d)) * 1e4
        A = rng.normal(size=(n, d, d)) * np.exp(rng.normal(size=(n, 1, d)) * 3)
        P = A @ np.swapaxes(A, -1, -2)
        B = rng.normal(size=(n, 3, 3)) * 100.0
        R = B @ np.swapaxes(B, -1, -2) + np.eye(3)
        z = x[:, :3] + rng.normal(size=(n, 3)) * 300.0
        got, ref = position_update(x, P, z, R), position_update_reference(x, P, z, R)
        for field in got._fields:
            assert np.array_equal(getattr(got, field), getattr(ref, field)), field


def _covariances(rng: np.random.Generator, n: int, scale_m: float) -> np.ndarray:
    A = rng.normal(0.0, scale_m, (n, 3, 3))
    return A @ np.swapaxes(A, -1, -2) + np.eye(3) * scale_m**2


@pytest.mark.parametrize(("n_tracks", "n_dets"), [(0, 5), (7, 0), (1, 1), (20, 12), (64, 64)])
def test_dense_gate_kernel_equals_the_numpy_gate(n_tracks, n_dets):
    rng = np.random.default_rng(n_tracks * 100 + n_dets)
    tracks = rng.uniform(-5e4, 5e4, (n_tracks, 3))
    near = min(n_tracks, n_dets // 2)  # detections close to a track, the rest anywhere
    detections = np.concatenate(
        [
            tracks[:near] + rng.normal(0.0, 300.0, (near, 3)),
            rng.uniform(-5e4, 5e4, (n_dets - near, 3)),
        ]
    )
    P = _covariances(rng, n_tracks, 400.0)
    R = _covariances(rng, n_dets, 150.0)
    got = gate_pairs(tracks, P, detections, R, gate_threshold(0.999))
    want = dense_gate_reference(tracks, P, detections, R, gate_threshold(0.999))
    for name in GatedPairs._fields:
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    if n_tracks and n_dets > 1:
        assert 0 < got.track.size < n_tracks * n_dets


@pytest.mark.parametrize(("n_live", "n_dets"), [(0, 5), (6, 0), (15, 9), (40, 200)])
def test_the_gate_on_table_rows_is_the_gate_on_the_gathered_rows(n_live, n_dets):
    """Tracks read by slot from a table's state and covariance: the same pairs, distances
    and log-determinants as gate_pairs on their gathered positions (and the tree path for
    a look too big for the dense gate)."""
    from iadsim.tracking.gating import gate_table_pairs

    rng = np.random.default_rng(n_live * 1000 + n_dets)
    capacity = 64
    state = np.concatenate(
        [rng.uniform(-5e4, 5e4, (capacity, 3)), rng.normal(size=(capacity, 3))], 1
    )
    A = rng.normal(0.0, 400.0, (capacity, 6, 6))
    covariance = A @ np.swapaxes(A, -1, -2) + np.eye(6) * 400.0**2
    slots = np.sort(rng.choice(capacity, n_live, replace=False))
    near = min(n_live, n_dets // 2)
    detections = np.concatenate(
        [
            state[slots[:near], :3] + rng.normal(0.0, 300.0, (near, 3)),
            rng.uniform(-5e4, 5e4, (n_dets - near, 3)),
        ]
    )
    R = _covariances(rng, n_dets, 150.0)
    gate = gate_threshold(0.999)
    got = gate_table_pairs(state, covariance, slots, detections, R, gate)
    want = gate_pairs(state[slots, :3], covariance[slots, :3, :3], detections, R, gate)
    for name in GatedPairs._fields:
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)


@pytest.mark.parametrize("n", [0, 1, 9, 200])
def test_range_rate_terms_kernel_equals_the_numpy_terms(n):
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.uniform(-2e5, 2e5, (n, 3)), rng.normal(0.0, 250.0, (n, 3))], axis=1)
    A = rng.normal(0.0, 30.0, (n, 6, 6))
    P = A @ np.swapaxes(A, -1, -2)
    measured = RangeRates(
        rng.normal(0.0, 300.0, n),
        rng.uniform(0.5, 5.0, n),
        np.array([120.0, -40.0, 15.0]),
        np.array([3.0, -200.0, 0.5]),
    )
    got = range_rate_terms_kernel(
        x,
        P,
        measured.sensor_position_m,
        measured.sensor_velocity_mps,
        measured.rate_mps,
        measured.sigma_mps,
    )
    for value, expected in zip(got, range_rate_terms_reference(x, P, measured), strict=True):
        np.testing.assert_array_equal(value, expected)


def test_the_in_place_range_rate_update_of_table_rows_is_the_gathered_one_to_the_bit():
    """Doppler updates of some rows of a table, in place: the rows are those of
    range_rate_update on the gathered rows; the other rows are untouched."""
    from iadsim.tracking.doppler import range_rate_update, range_rate_update_rows

    rng = np.random.default_rng(12)
    capacity = 30
    state = np.concatenate(
        [rng.normal(size=(capacity, 3)) * 5e4, rng.normal(size=(capacity, 3)) * 200.0], 1
    )
    A = rng.normal(size=(capacity, 6, 6)) * 20.0
    covariance = A @ np.swapaxes(A, -1, -2) + np.eye(6)
    slots = np.sort(rng.choice(capacity, 12, replace=False))
    measured = RangeRates(
        rng.normal(size=12) * 300.0,
        np.full(12, 2.0),
        np.array([100.0, -2000.0, 30.0]),
        np.array([0.0, 50.0, 0.0]),
    )
    want = range_rate_update(state[slots], covariance[slots], measured)
    want_state, want_covariance = state.copy(), covariance.copy()
    want_state[slots], want_covariance[slots] = want.state, want.covariance
    range_rate_update_rows(state, covariance, slots, measured)
    assert np.array_equal(state, want_state)
    assert np.array_equal(covariance, want_covariance)


def test_the_range_rate_update_of_the_used_rows_is_the_masked_one_to_the_bit():
    """The compiled choice of the measurements with a track (slot not -1) and a finite
    rate updates the rows that taking them with a mask updates, to the bit."""
    from iadsim.tracking._row_kernels import range_rate_update_used_rows_kernel
    from iadsim.tracking.doppler import range_rate_update_rows

    rng = np.random.default_rng(13)
    capacity = 30
    state = np.concatenate(
        [rng.normal(size=(capacity, 3)) * 5e4, rng.normal(size=(capacity, 3)) * 200.0], 1
    )
    A = rng.normal(size=(capacity, 6, 6)) * 20.0
    covariance = A @ np.swapaxes(A, -1, -2) + np.eye(6)
    slots = rng.permutation(capacity)[:12]
    slots[[1, 7]] = -1
    rate = rng.normal(size=12) * 300.0
    rate[[3, 7]] = [np.nan, np.inf]
    measured = RangeRates(
        rate, rng.uniform(1.0, 3.0, 12), np.array([100.0, -2000.0, 30.0]), np.zeros(3)
    )
    use = (slots >= 0) & np.isfinite(rate)
    want_state, want_covariance = state.copy(), covariance.copy()
    range_rate_update_rows(want_state, want_covariance, slots[use], measured.take(use))
    range_rate_update_used_rows_kernel(
        state,
        covariance,
        slots,
        measured.sensor_position_m,
        measured.sensor_velocity_mps,
        measured.rate_mps,
        measured.sigma_mps,
    )
    assert np.array_equal(state, want_state)
    assert np.array_equal(covariance, want_covariance)


@pytest.mark.parametrize("d", [6, 9])
def test_the_in_place_position_update_of_table_rows_is_the_gathered_one_to_the_bit(d):
    """Position updates of some rows of a table, in place: the rows are those of
    position_update_terms on the gathered rows; the other rows are untouched."""
    from iadsim.tracking.kalman import position_update_rows, position_update_terms

    rng = np.random.default_rng(15)
    capacity = 30
    for n in (1, 2, 3, 12):
        state = rng.normal(size=(capacity, d)) * 1e4
        A = rng.normal(size=(capacity, d, d)) * np.exp(rng.normal(size=(capacity, 1, d)) * 3)
        covariance = A @ np.swapaxes(A, -1, -2)
        slots = np.sort(rng.choice(capacity, n, replace=False))
        B = rng.normal(size=(n, 3, 3)) * 100.0
        R = B @ np.swapaxes(B, -1, -2) + np.eye(3)
        z = state[slots, :3] + rng.normal(size=(n, 3)) * 300.0
        *_, x_new, P_new = position_update_terms(state[slots], covariance[slots], z, R)
        want_state, want_covariance = state.copy(), covariance.copy()
        want_state[slots], want_covariance[slots] = x_new, P_new
        position_update_rows(state, covariance, slots, z, R)
        assert np.array_equal(state, want_state)
        assert np.array_equal(covariance, want_covariance)
