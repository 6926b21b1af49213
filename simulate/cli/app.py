"""``icsim app``: the planner's web app (:mod:`simulate.app`), served on this machine.

It binds to 127.0.0.1 unless told otherwise: anyone who reaches the port can run simulations and
read every run in the results folder, so sharing it on a network is a choice the command warns
about. The web framework is imported only here, when the command runs, so ``icsim --help``
stays fast.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from simulate.cli.common import EXIT_OK
from simulate.errors import InputError


def add(commands) -> None:
    """Declare ``icsim app`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("app", help="the planner's web app, in a browser")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; another address "
        "shares the app, and every run in the results folder, with the network)",
    )
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--results",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="folder of runs, uploads and drafts (default results)",
    )
    parser.set_defaults(handler=main)


def loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(args, argv) -> int:
    """Serve the app until Ctrl-C."""
    if not 0 < args.port < 65536:
        raise InputError("must be a port from 1 to 65535", key="--port")
    try:
        from simulate.app.server import serve
    except ImportError as error:
        raise InputError(f"the app needs Shiny for Python: pip install shiny ({error})") from None
    if not loopback(args.host):
        print(
            f"icsim: warning: serving on {args.host}: anyone who can reach port {args.port} "
            "can run simulations and download every run in the results folder; there is no "
            "login. Use the default 127.0.0.1 to keep it on this machine.",
            file=sys.stderr,
        )
    args.results.mkdir(parents=True, exist_ok=True)
    print(f"icsim app: http://{args.host}:{args.port}  (Ctrl-C stops it)", flush=True)
    serve(args.results, args.host, args.port)
    return EXIT_OK
