"""``python -m simulate`` is the same as the ``icsim`` command."""

from simulate.cli import main

# guarded: dask's local workers are spawned processes that import the main module again
if __name__ == "__main__":
    raise SystemExit(main())
