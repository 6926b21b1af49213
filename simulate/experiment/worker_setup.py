"""Set-up of each local dask worker process icsim starts (a dask *preload* module).

A terminal's Ctrl-C reaches every process of the group, workers included. Workers ignore it: the
main process alone decides what an interrupt means (shut the cluster down, keep finished parts),
and a worker killed by it mid-part would only print tracebacks and have its nanny restart it.
Workers forked by icsim's fork server already ignore it (:mod:`simulate.experiment.interrupts`);
this makes sure of it whatever started them. Their logs are silenced too: icsim reports a failed
part in one line, and a worker losing a scheduler that is stopping is no news.
"""

from __future__ import annotations

import logging
import signal
import threading

if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
logging.getLogger("distributed").setLevel(logging.CRITICAL)
