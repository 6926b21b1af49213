"""icsim: a simulator of integrated care for NHS health economies.

The package splits into parts that never mix: ``inputs`` (schemas, readers, categories), the
*model* (one replication: tiers behind a month protocol, stocks, levers), the *experiment* (how
runs are seeded, scheduled and resumed) and the *results* (cubes, comparisons, figures,
reports). ``cli`` is the thin command line over them; ``errors`` and ``shipped`` serve them all.
"""

__version__ = "0.1.0"

INTERRUPTED = "interrupted; finished parts are kept and a re-run resumes"
"""What an interrupted command says (after ``icsim: ``), however it stops.

Here, in a module that imports nothing, so that the command's first signal handler can say it
while Ctrl-C has left some other module half-imported (importing then could fail in turn).
"""
