"""``python -m simulate`` is the same as the ``icsim`` command."""

from simulate.cli import main

raise SystemExit(main())
