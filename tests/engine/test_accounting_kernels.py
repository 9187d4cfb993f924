"""The accounting's compiled test for new holdings against its NumPy form."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.engine._accounting_kernels import new_holdings_kernel


def _numpy_form(active, confirmed, truth, fc_seen_s, held_own, held_fc, t, own, fire_control):
    """What PostAccounting.ingested and _credit compute: the confirmed slots, then the
    entities of those (and of those a fire-control radar updated at t) not yet held."""
    slots = (active & confirmed).nonzero()[0]
    found = False
    if own:
        found |= bool((~held_own[truth[slots]]).any())
    if fire_control:
        fresh = slots[fc_seen_s[slots] == t]
        found |= bool((~held_fc[truth[fresh]]).any())
    return found


@pytest.mark.parametrize("seed", range(6))
def test_the_compiled_test_for_new_holdings_is_the_numpy_forms_answer(seed):
    rng = np.random.default_rng(seed)
    capacity, entities = 64, 12
    for _ in range(200):
        active = rng.random(capacity) < 0.5
        confirmed = rng.random(capacity) < 0.5
        truth = rng.integers(-1, entities, capacity)
        fc_seen_s = np.where(rng.random(capacity) < 0.5, 7.0, -np.inf)
        held_own = np.append(rng.random(entities) < 0.9, True)  # entity -1 reads True
        held_fc = np.append(rng.random(entities) < 0.9, True)
        for own in (False, True):
            for fire_control in (False, True):
                args = (active, confirmed, truth, fc_seen_s, held_own, held_fc, 7.0)
                expected = _numpy_form(*args, own, fire_control)
                assert new_holdings_kernel(*args, own, fire_control) == expected
