"""Identification friend or foe: which replies an interrogator can read.

Transponder and interrogator capabilities are bit masks over the modes of
:data:`iadsim.scenario.schema.IFF_MODES`. A reply is read when the interrogator and the
transponder share a mode. Mode 5 and Mode 4 are cryptographically secured: a post without
the allied keys (the article's standalone S-400) cannot read them, even from friends.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from iadsim.scenario.schema import IFF_MODES

SECURE_MODES = ("mode5", "mode4")
"""Modes whose reply authenticates a friend (STANAG 4193 family)."""


def mode_mask(modes: Iterable[str]) -> int:
    """Bit mask of a set of IFF modes."""
    return sum(1 << IFF_MODES.index(mode) for mode in set(modes))


SECURE_MASK = mode_mask(SECURE_MODES)
CIVIL_MASK = mode_mask(["mode3c"])


def interrogate(
    interrogator_mask: int, transponder_mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Replies an interrogator reads from transponders.

    Parameters
    ----------
    interrogator_mask : int
        Modes the interrogator reads.
    transponder_mask : (n,) int64
        Modes each target's transponder answers (0: silent or no transponder).

    Returns
    -------
    secure : (n,) bool
        A secure (Mode 5/4) reply was read: an authenticated friend.
    civil : (n,) bool
        Only a Mode 3/A-C reply was read.
    """
    readable = np.asarray(transponder_mask) & interrogator_mask
    secure = (readable & SECURE_MASK) != 0
    return secure, ~secure & ((readable & CIVIL_MASK) != 0)
