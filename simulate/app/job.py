"""One run started from the app: ``icsim run``, then ``icsim report`` on its folder.

The report is written as soon as the cube is, in the run's own process, so the Results page finds
its figures drawn and the report ready to download, rather than drawing them while a planner
waits. Each step is the command itself (:func:`simulate.cli.main`), with its exit codes: an
interrupted run stops with 130 before any report, and running the job again resumes the run.
"""

from __future__ import annotations

import sys

NO_REPORT = "--no-report"
"""First argument that leaves the report out (a test's quick run)."""


def main(argv: list[str]) -> int:
    """Run ``icsim run ARGV``, then ``icsim report`` on its ``--out`` folder; the exit code."""
    from simulate.cli import main as icsim

    report = argv[:1] != [NO_REPORT]
    argv = argv if report else argv[1:]
    code = icsim(argv)
    if code == 0 and report:
        code = icsim(["report", argv[argv.index("--out") + 1]])
    return code


if __name__ == "__main__":  # guarded: dask's local workers import the main module again
    raise SystemExit(main(sys.argv[1:]))
