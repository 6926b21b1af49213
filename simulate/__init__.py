"""icsim: a simulator of integrated care for NHS health economies.

The package splits into parts that never mix: ``inputs`` (schemas, readers, categories), the
*model* (one replication: tiers behind a month protocol, stocks, levers), the *experiment* (how
runs are seeded, scheduled and resumed) and the *results* (cubes, comparisons, figures,
reports). ``cli`` is the thin command line over them; ``errors`` and ``shipped`` serve them all.
"""

__version__ = "0.1.0"
