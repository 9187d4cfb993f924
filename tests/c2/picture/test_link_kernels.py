"""The compiled passing of decided identities over the link agrees with its NumPy twin."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.c2.picture._link_kernels import pass_identities_kernel, pass_identities_reference
from iadsim.c2.picture.datalink import _IS_DECIDED
from iadsim.c2.picture.identification import Identity


@pytest.mark.parametrize("seed", range(8))
def test_pass_identities_kernel_matches_its_numpy_twin(seed):
    rng = np.random.default_rng(seed)
    codes = np.array(list(Identity), dtype=np.int8)
    n_own, n_rows = 12, 30
    linked = rng.choice(codes, n_own)
    linked[rng.random(n_own) < 0.5] = Identity.PENDING
    identity = rng.choice(codes, n_rows)
    k = int(rng.integers(0, 20))
    paired = rng.choice(n_rows, size=k, replace=False).astype(np.int64)
    remote_identity = rng.choice(codes, k)
    kept = rng.random(k) < 0.7
    compiled = (linked.copy(), identity.copy())
    twin = (linked.copy(), identity.copy())
    pass_identities_kernel(*compiled, paired, remote_identity, kept, n_own, _IS_DECIDED)
    pass_identities_reference(*twin, paired, remote_identity, kept, n_own, _IS_DECIDED)
    np.testing.assert_array_equal(compiled[0], twin[0])
    np.testing.assert_array_equal(compiled[1], twin[1])
