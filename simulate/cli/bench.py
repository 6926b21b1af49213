"""``icsim bench``: the reference workload, icsim beside a per-patient SimPy peer.

Only the options live here; the measuring is :mod:`simulate.bench.command`.
"""

from __future__ import annotations

from pathlib import Path

from simulate.cli import options
from simulate.cli.common import EXIT_OK
from simulate.errors import InputError


def add(commands) -> None:
    """Declare ``icsim bench`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser(
        "bench",
        help="the reference workload: icsim beside a per-patient SimPy peer",
        description="Runs shared/bench/WORKLOAD.md with icsim and with benchmarks/"
        "per_patient_simpy.py, and prints wall times, simulated patient-years and patient "
        "episodes per second, peak memory, their ratio, the statistical agreement of their "
        "outputs, whole icsim run processes beside a plain NumPy day loop "
        "(benchmarks/per_day_numpy.py), 1- vs 2-worker efficiency and icsim's scaling with "
        "population.",
    )
    _sizes(parser)
    parser.add_argument(
        "--full-agreement",
        action="store_true",
        help="WORKLOAD §8 in full: 20 replications each at 250,000 (long)",
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the per-patient peer")
    parser.add_argument("--no-parallel", action="store_true", help="skip the 2-worker run")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling table")
    parser.add_argument(
        "--no-whole",
        action="store_true",
        help="skip the whole-process runs (icsim run beside a NumPy day loop; the default run)",
    )
    parser.add_argument(
        "--whole-rounds",
        type=int,
        default=3,
        metavar="N",
        help="alternating rounds of the whole-process runs (default %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="print every agreement scalar")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the numbers as JSON")
    parser.set_defaults(handler=main)


def _sizes(parser) -> None:
    """How big the two simulations are, and how many replications each runs."""
    parser.add_argument(
        "--population",
        type=int,
        default=250_000,
        metavar="N",
        help="icsim's population (default 250,000)",
    )
    parser.add_argument(
        "--peer-population",
        type=int,
        default=62_500,
        metavar="N",
        help="population for the per-patient peer and the ratio (default 62,500)",
    )
    parser.add_argument(
        "--peer-250k",
        action="store_true",
        help="run the peer at 250,000 (about two minutes a replication)",
    )
    options.replications(
        parser, 3, "replications of each for the agreement check (default %(default)s)"
    )


def main(args, argv) -> int:
    """Run the benchmark; refused below two replications, as its intervals need two."""
    from simulate.bench.command import bench

    if args.replications < 2:
        raise InputError("--replications must be at least 2 (intervals need two)")
    bench(args)
    return EXIT_OK
