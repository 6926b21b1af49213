"""Common random numbers: every random draw comes from a named, keyed stream.

A stream is seeded by ``(root seed, replication, stream name)`` through
:class:`numpy.random.SeedSequence`. The name enters as a stable hash (SHA-256, not Python's
salted ``hash()``), so a stream's numbers depend on nothing but its own key: adding a new random
process, or drawing more from one stream, never shifts another. The same replication of two
scenarios therefore sees the same patients and the same random numbers for the same purpose, and
paired differences between scenarios have low variance.
"""

from __future__ import annotations

import hashlib

import numpy as np


def name_key(name: str) -> tuple[int, int]:
    """Two 32-bit words from the SHA-256 of ``name``: stable across runs, platforms and versions."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")


def seed_sequence(root_seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """The seed sequence of one named stream in one replication."""
    return np.random.SeedSequence(entropy=root_seed, spawn_key=(replication, *name_key(name)))


class Streams:
    """The named random streams of one replication, created on first use."""

    def __init__(self, root_seed: int, replication: int):
        if root_seed < 0 or replication < 0:
            raise ValueError("root seed and replication must be non-negative")
        self.root_seed = int(root_seed)
        self.replication = int(replication)
        self._generators: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        """The generator of stream ``name`` (the same object on every call)."""
        generator = self._generators.get(name)
        if generator is None:
            sequence = seed_sequence(self.root_seed, self.replication, name)
            generator = np.random.Generator(np.random.PCG64(sequence))
            self._generators[name] = generator
        return generator

    @property
    def names(self) -> list[str]:
        """Names of the streams used so far, sorted."""
        return sorted(self._generators)
