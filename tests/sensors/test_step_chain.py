"""The SNR of a step's looks at once equals the fused chain's, look by look, to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.sensors._chain_kernels import CLEAR_AIR_LOSS, CLUTTER
from iadsim.sensors.fused_chain import default_chain_snr_db
from iadsim.sensors.step_chain import step_snr_db

from .test_fused_chain import radar_at, random_paths


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", range(4))
def test_step_snr_equals_the_fused_chain_of_each_look(seed):
    """Looks of ground and airborne radars, with and without failed shortcuts, one empty."""
    rng = np.random.default_rng(seed)
    looks = [
        (radar_at("s400/92n6e", 1000.0), False),
        (radar_at("nato/apy2", 10000.0, 9000.0), False),  # clutter in range
        (radar_at("s400/91n6e", 1000.0), True),  # some beyond the clear-air shortcut
        (radar_at("s400/92n6e", 1000.0), False),
        (radar_at("nato/apy2", 10000.0, 9000.0), True),
    ]
    sizes = [int(rng.integers(1, 30)) for _ in looks]
    sizes[3] = 0  # a look that sees nothing
    parts = [
        random_paths(radar, max(size, 4), seed * 10 + k, far=far, edges=True)
        for k, ((radar, far), size) in enumerate(zip(looks, sizes, strict=True))
    ]
    parts = [(paths, rcs, size) for (paths, rcs), size in zip(parts, sizes, strict=True)]
    aer = np.concatenate(
        [
            np.column_stack([p.azimuth_rad, p.elevation_rad, p.range_m])[:size]
            for p, _, size in parts
        ]
    )
    rcs = np.concatenate([r[:size] for _, r, size in parts])
    pos = np.concatenate([p.target_pos_ecef_m[:size] for p, _, size in parts])
    vel = np.concatenate([p.target_vel_ecef_mps[:size] for p, _, size in parts])
    obstacle = np.concatenate(
        [
            np.stack([p.obstacle_height_m, p.obstacle_d1_m, p.obstacle_d2_m])[:, :size]
            for p, _, size in parts
        ],
        axis=1,
    )
    radars = [radar for radar, _ in looks]
    stops = np.cumsum(sizes)
    snr, flags = step_snr_db(
        radars,
        stops,
        aer,
        rcs,
        pos,
        vel,
        obstacle,
        np.array([radar._view_constants for radar in radars]),
        np.array([radar._chain_constants for radar in radars]),
        np.array([radar.reference_snr_db for radar in radars]),
    )
    start = 0
    seen = 0
    for row, (radar, (paths, rcs_m2, size)) in enumerate(zip(radars, parts, strict=True)):
        stop = int(stops[row])
        assert stop - start == size
        if size:
            sliced = paths.__class__(
                **{
                    name: (value[:size] if isinstance(value, np.ndarray) and value.ndim else value)
                    for name, value in paths.__dict__.items()
                }
            )
            expected = default_chain_snr_db(radar, sliced, rcs_m2[:size])
            assert expected is not None
            if not flags[row] & CLEAR_AIR_LOSS:
                np.testing.assert_array_equal(snr[start:stop], expected)
                seen |= int(flags[row])
            else:
                seen |= CLEAR_AIR_LOSS
        else:
            assert flags[row] == 0
        start = stop
    assert seen & CLUTTER or seed  # the airborne radar's clutter runs in full
