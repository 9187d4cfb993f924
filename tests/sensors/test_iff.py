"""IFF: an interrogator reads only the modes it shares with a transponder; Mode 5/4 are secure."""

from __future__ import annotations

import numpy as np

from iadsim.scenario.schema import IFF_MODES
from iadsim.sensors.iff import interrogate, mode_mask

MODE5_ONLY = mode_mask(["mode5"])
CIVIL_ONLY = mode_mask(["mode3c"])
ALLIED = mode_mask(["mode5", "mode3c"])


def test_mode5_only_transponder_is_silent_to_a_mode3c_interrogator():
    secure, civil = interrogate(mode_mask(["mode3c"]), np.array([MODE5_ONLY]))
    assert not secure[0]
    assert not civil[0]


def test_mode5_interrogator_reads_a_mode5_transponder_as_secure():
    secure, civil = interrogate(mode_mask(["mode5", "mode4", "mode3c"]), np.array([MODE5_ONLY]))
    assert secure[0]
    assert not civil[0]


def test_mode3c_reply_reads_as_civil():
    secure, civil = interrogate(mode_mask(["mode5", "mode3c"]), np.array([CIVIL_ONLY]))
    assert not secure[0]
    assert civil[0]


def test_allied_aircraft_look_civil_to_a_post_without_mode5_keys():
    secure, civil = interrogate(mode_mask(["mode3c"]), np.array([ALLIED]))
    assert not secure[0]
    assert civil[0]
    secure, civil = interrogate(mode_mask(["mode5", "mode3c"]), np.array([ALLIED]))
    assert secure[0]
    assert not civil[0]  # a secure reply is not also counted as civil


def test_mode4_is_secure_and_national_is_neither():
    transponders = np.array([mode_mask(["mode4"]), mode_mask(["national"]), 0])
    secure, civil = interrogate(mode_mask(IFF_MODES), transponders)
    np.testing.assert_array_equal(secure, [True, False, False])
    np.testing.assert_array_equal(civil, [False, False, False])


def test_masks_are_distinct_bits_and_ignore_repeats():
    masks = [mode_mask([m]) for m in IFF_MODES]
    assert len(set(masks)) == len(IFF_MODES)
    assert all(m > 0 and (m & (m - 1)) == 0 for m in masks)  # powers of two
    assert mode_mask(["mode5", "mode5"]) == MODE5_ONLY
    assert mode_mask([]) == 0


def test_interrogation_is_vectorised_over_targets():
    transponders = np.array([MODE5_ONLY, CIVIL_ONLY, ALLIED, 0])
    secure, civil = interrogate(CIVIL_ONLY, transponders)
    np.testing.assert_array_equal(secure, [False, False, False, False])
    np.testing.assert_array_equal(civil, [False, True, True, False])
