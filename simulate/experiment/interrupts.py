"""Ctrl-C while a local dask cluster runs: one line, exit 130, within seconds, workers stopped.

A terminal sends SIGINT to the whole process group, the cluster's workers included. Three rules:

- **Workers never take it.** They are forked by a fork server started while SIGINT is ignored
  (:func:`start_forkserver_deaf`), so a worker still importing when Ctrl-C comes is not killed
  by it (dask would report "Nanny failed to start", after a screen of tracebacks).
  :mod:`simulate.experiment.worker_setup` makes sure of it should another start method be used.
- **The command notices it where no library can swallow it.** :class:`Interrupts` turns SIGINT
  into a flag that the executor checks between waits (a KeyboardInterrupt raised inside
  distributed's or h5py's machinery can be caught there and lost).
- **Shutdown is bounded.** If stopping the cluster outlasts :attr:`Interrupts.grace`, or Ctrl-C
  comes again, the workers are killed and the process exits 130 at once (:func:`stop_now`).
  Finished parts are complete files either way (each is written atomically).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading

from simulate.errors import INTERRUPTED


def main_thread() -> bool:
    """Whether this is the main thread of the command's own process (not a worker's)."""
    return (
        threading.current_thread() is threading.main_thread()
        and multiprocessing.parent_process() is None
        and multiprocessing.current_process().name == "MainProcess"
    )


class Interrupts:
    """SIGINT as a flag (main thread only), raised as KeyboardInterrupt by :meth:`check`.

    With ``raising``, as a KeyboardInterrupt at once (:meth:`raised`): the command's own handler.

    The first Ctrl-C starts a timer of :attr:`grace` seconds for the command to finish stopping;
    a second Ctrl-C, or the timer, ends the process (:func:`stop_now`).
    """

    grace = 7.0

    def __init__(self, raising: bool = False):
        self.count = 0
        self._handler = self.raised if raising else self.caught
        self._previous = self._timer = None

    def __enter__(self) -> Interrupts:
        if main_thread() and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def caught(self, *_) -> None:
        """Note one Ctrl-C (the signal handler)."""
        self.count += 1
        if self.count > 1:
            stop_now()
        self._timer = threading.Timer(self.grace, stop_now)
        self._timer.daemon = True
        self._timer.start()

    def raised(self, *_) -> None:
        """Note one Ctrl-C and raise KeyboardInterrupt (the command's handler, outside dask).

        The timer :meth:`caught` starts is the backstop: a KeyboardInterrupt raised inside a
        library (an import's ``except BaseException``, say) can be swallowed there, and the
        command would run on as if no one had pressed Ctrl-C.
        """
        self.caught()
        raise KeyboardInterrupt

    def check(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C came."""
        if self.count:
            raise KeyboardInterrupt

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        self._previous = self._timer = None
        self.count = 0


def start_forkserver_deaf() -> None:
    """Start multiprocessing's fork server (if not yet running) with SIGINT ignored.

    Python keeps an inherited SIG_IGN, the fork server records it as the disposition to give the
    processes it forks, so every local worker (a restarted one too) is born ignoring Ctrl-C. The
    disposition is shared by all of this process's threads; a Ctrl-C in the few milliseconds the
    fork server takes to be forked would be lost, so SIGINT is also blocked meanwhile, and comes
    when it is unblocked. (This is the only thread then: none would take it and drop it.)
    """
    from multiprocessing import forkserver, resource_tracker

    if not main_thread():
        forkserver.ensure_running()
        return
    # the resource tracker first, outside the window: starting it blocks and then *unblocks*
    # SIGINT itself, which inside the window would drop a Ctrl-C that came while it started
    resource_tracker.ensure_running()
    # blocked as well as ignored, so that a Ctrl-C meanwhile waits (Linux keeps a blocked signal
    # pending even while it is ignored) and reaches the usual handler once it is back
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def kill_children() -> None:
    """Kill the child processes (local workers) of this process that are still alive."""
    for child in multiprocessing.active_children():
        child.kill()


def stop_now() -> None:
    """Kill the workers, say so in one line, and exit 130 without waiting for anything."""
    kill_children()
    sys.stderr.write(f"icsim: {INTERRUPTED}\n")
    sys.stderr.flush()
    os._exit(130)
