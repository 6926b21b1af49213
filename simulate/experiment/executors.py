"""Where parts run: in this process, on a local dask cluster, or on an existing one.

An executor maps a picklable function over picklable tasks and yields ``(task, result)`` pairs as
they finish, in whatever order they finish; the experiment writes each result at once, so nothing
waits for the slowest part and nothing is held longer than it takes to save it. Every executor is a
context manager: leaving it (normally, on an error or on Ctrl-C) cancels what is still queued and
shuts down any cluster it started, so no worker process outlives the command.

Ctrl-C on a dask run ends it within seconds, in one line, workers stopped and finished parts
kept: :mod:`simulate.experiment.interrupts` says how.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from simulate.errors import InputError
from simulate.experiment.interrupts import Interrupts, kill_children, start_forkserver_deaf


class InProcess:
    """Runs tasks one after another in this process: the default, needing nothing else."""

    workers = 1

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def map(self, fn: Callable, tasks: Iterable) -> Iterator[tuple[Any, Any]]:
        """Each task with its result, in order."""
        for task in tasks:
            yield task, fn(task)


QUIET_CLUSTER = {
    # no dashboard, so no use for the workers' statistical profiler, which samples every stack
    # each 10 ms under the GIL: about 5-10% of a worker's time on this model
    "distributed.worker.profile.enabled": False,
    # housekeeping that wakes every process many times a second, for diagnostics nobody reads
    # here; idle, it cost 8% of a core (on a 2-core machine, 4% of the work), now about 1%
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.deploy.cluster-repr-interval": "10s",
    # workers forked by a fork server that ignores Ctrl-C (simulate.experiment.interrupts); it
    # preloads distributed and numpy once, so each worker starts in a fraction of a second
    "distributed.worker.multiprocessing-method": "forkserver",
}
"""Settings for the local clusters icsim starts: whatever does not serve the run, quietened."""


def quiet_distributed() -> None:
    """Keep distributed's own logs out of this process's stderr, for the rest of its life.

    icsim reports a failed part, a lost scheduler or Ctrl-C in one line of its own.
    ``LocalCluster``'s ``silence_logs`` only lowers the handlers while the cluster is open: comms
    closing after it (a worker killed on Ctrl-C) then logged an INFO line and a traceback.
    The logger's own level holds after the cluster is gone, and covers a remote scheduler too.
    Called after distributed is imported: importing it sets these levels (INFO, WARNING).
    """
    for name in ("distributed", *DISTRIBUTED_OWN_LEVELS):
        logging.getLogger(name).setLevel(logging.CRITICAL)


DISTRIBUTED_OWN_LEVELS = ("distributed.client", "distributed.gc")
"""Loggers distributed's configuration gives levels of their own (WARNING), below its root."""


class Dask:
    """Runs tasks on dask.distributed: a local cluster of ``workers`` processes, or ``address``.

    Local workers are processes with one thread each: the model is single-threaded Python and
    NumPy on small arrays, so processes, not threads, are what use the cores.
    """

    def __init__(self, workers: int | None = None, address: str | None = None):
        if (workers is None) == (address is None):
            raise ValueError("give either workers or address")
        if workers is not None and workers < 1:
            raise InputError("--workers must be at least 1")
        self.requested, self.address = workers, address
        self._cluster = self._client = None
        self._futures: list = []
        self._interrupts = Interrupts()
        self._config = None

    def __enter__(self) -> Dask:
        self._interrupts.__enter__()  # first: a KeyboardInterrupt in distributed can be lost
        try:
            try:
                from distributed import Client, LocalCluster
            except ImportError:
                raise InputError(
                    "dask.distributed is not installed; pip install 'dask[distributed]'"
                ) from None
            quiet_distributed()  # after the import, which sets distributed's levels
            self._start(Client, LocalCluster)
            if self.address is None:
                self._wait_for_workers()
            self._interrupts.check()  # Ctrl-C while the cluster started
        except BaseException:  # Ctrl-C while starting: stop what did start
            self.__exit__()
            raise
        return self

    def _start(self, Client, LocalCluster) -> None:  # noqa: N803 - the classes, imported late
        if self.address is None:
            import dask
            from distributed.utils import get_mp_context

            # for the cluster's life: a worker dask restarts comes from the fork server too
            self._config = dask.config.set(QUIET_CLUSTER)
            self._config.__enter__()
            get_mp_context()  # sets the fork server's preloads (distributed, numpy, ...)
            start_forkserver_deaf()
            self._cluster = LocalCluster(
                n_workers=0,  # started below, so that Ctrl-C is heeded while they start
                host="127.0.0.1",
                # no dashboard; the scheduler's own small HTTP server on any free port, so
                # that a busy 8787 does not print a warning
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # icsim reports a failed part in one line; dask would log it first, with a
                # traceback ("Compute Failed"), and log workers losing a stopping scheduler
                silence_logs=logging.CRITICAL,
                preload=["simulate.experiment.worker_setup"],
            )
            self._client = Client(self._cluster)
            self._cluster.scale(self.requested)
        else:
            try:
                _handshake(self.address)
                self._client = Client(self.address, timeout="10s")
            # TypeError: ucx:// without ucx; MemoryError: a service answering HTTP 400
            except (OSError, TimeoutError, ValueError, TypeError, MemoryError) as error:
                why = str(error) or "no answer in the handshake: is it a dask scheduler?"
                raise InputError(
                    f"cannot reach a dask scheduler at {self.address}: {why}", key="--scheduler"
                ) from None

    def _wait_for_workers(self) -> None:
        """Wait until the local workers are up, heeding Ctrl-C meanwhile."""
        while True:
            try:
                self._client.wait_for_workers(self.requested, timeout=0.25)
                return
            except TimeoutError:
                self._interrupts.check()

    @property
    def workers(self) -> int:
        """Workers the cluster has now."""
        return len(self._client.scheduler_info()["workers"]) if self._client else 0

    def map(
        self, fn: Callable, tasks: Iterable, on: int | None = None
    ) -> Iterator[tuple[Any, Any]]:
        """Each task with its result, as they finish; ``on`` keeps them to that many workers.

        Ctrl-C is caught as a flag and turned into KeyboardInterrupt here, between waits: raised
        wherever the signal lands, it can be swallowed inside distributed's client machinery.
        """
        from distributed import wait

        tasks = list(tasks)
        if not tasks:
            return
        only = None
        if on is not None:  # the benchmark's one worker of two, both warm and alive
            only = sorted(self._client.scheduler_info()["workers"])[:on]
        self._futures = self._client.map(fn, tasks, pure=False, workers=only)
        task_of = {future.key: task for future, task in zip(self._futures, tasks)}
        pending = set(self._futures)
        while pending:
            try:
                done, pending = wait(pending, timeout=0.25, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            for future in done:
                self._interrupts.check()
                yield task_of[future.key], future.result()
                future.release()
            self._interrupts.check()

    def __exit__(self, *exc) -> None:
        try:
            self._close()
        finally:
            if self._config is not None:
                self._config.__exit__(None, None, None)
            self._config = None
            self._interrupts.__exit__()

    def _close(self) -> None:
        """Cancel what is queued and stop the cluster, each step bounded in time."""
        try:
            if self._client is not None:
                if self._futures:
                    self._client.cancel(self._futures)
                self._client.close(timeout=CLOSE_SECONDS)
            if self._cluster is not None:
                # the workers first: a nanny would wait for the part in flight to finish
                kill_children()
                self._cluster.close(timeout=CLOSE_SECONDS)
        except (OSError, TimeoutError, RuntimeError):
            kill_children()  # a cluster that would not stop in time
        finally:
            self._futures = []
            self._client = self._cluster = None


CLOSE_SECONDS = 3
"""How long each step of shutting a cluster down may take."""


HANDSHAKE_SECONDS = 10.0
"""How long a ``--scheduler`` has to finish dask's connection handshake."""


def _handshake(address: str) -> None:
    """Open and close one dask connection to ``address``, within :data:`HANDSHAKE_SECONDS`.

    dask's own connect timeout covers the TCP connection, not the handshake after it, so a
    server that accepts and never answers (an HTTP server) would hold ``Client`` for ever.
    """
    import asyncio
    import threading

    from distributed.comm import connect

    async def shake() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=5), HANDSHAKE_SECONDS)
        await comm.close()

    failed: list[BaseException] = []

    def in_its_own_loop() -> None:  # the caller may run an event loop already (a web app)
        try:
            asyncio.run(shake())
        except asyncio.TimeoutError:  # not yet TimeoutError itself on Python 3.10
            failed.append(TimeoutError())
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            failed.append(error)

    thread = threading.Thread(target=in_its_own_loop, daemon=True)
    thread.start()
    thread.join(HANDSHAKE_SECONDS + 5)
    if thread.is_alive():
        raise TimeoutError()
    if failed:
        raise failed[0]


def executor(workers: int | None = None, scheduler: str | None = None) -> InProcess | Dask:
    """The executor the command line asked for (in-process unless told otherwise)."""
    if workers is not None and scheduler is not None:
        raise InputError("give --workers or --scheduler, not both")
    if scheduler is not None:
        return Dask(address=scheduler)
    if workers is not None:
        return Dask(workers=workers)
    return InProcess()
