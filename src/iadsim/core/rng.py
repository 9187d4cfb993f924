"""Random streams: one ``SeedSequence`` per run, one named child stream per component.

A component's stream depends only on the run seed and the component's name, never on the
order in which components ask for their streams, so adding a component does not shift the
draws of the others (NumPy ``SeedSequence`` spawn keys; O'Neill 2014, PCG).
"""

from __future__ import annotations

import zlib

import numpy as np


class RandomStreams:
    """Named, independent random generators derived from one run seed.

    Parameters
    ----------
    seed : int
        The run seed (non-negative).
    """

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """Return the generator for component ``name``, creating it on first use."""
        if name not in self._streams:
            key = zlib.crc32(name.encode("utf-8"))
            sequence = np.random.SeedSequence(entropy=self.seed, spawn_key=(key,))
            self._streams[name] = np.random.Generator(np.random.PCG64(sequence))
        return self._streams[name]
