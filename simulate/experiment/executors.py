"""Where parts run: in this process, on a local dask cluster, or on an existing one.

An executor maps a picklable function over picklable tasks and yields ``(task, result)`` pairs as
they finish, in whatever order they finish; the experiment writes each result at once, so nothing
waits for the slowest part and nothing is held longer than it takes to save it. Every executor is a
context manager: leaving it (normally, on an error or on Ctrl-C) cancels what is still queued and
shuts down any cluster it started, so no worker process outlives the command.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from simulate.errors import InputError


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
}
"""Settings for the local clusters icsim starts: whatever does not serve the run, quietened."""


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

    def __enter__(self) -> Dask:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(
                "dask.distributed is not installed; pip install 'dask[distributed]'"
            ) from None
        try:
            self._start(Client, LocalCluster)
        except BaseException:  # Ctrl-C while starting: stop what did start
            self.__exit__()
            raise
        return self

    def _start(self, Client, LocalCluster) -> None:  # noqa: N803 - the classes, imported late
        if self.address is None:
            import dask

            with dask.config.set(QUIET_CLUSTER):
                self._cluster = LocalCluster(
                    n_workers=self.requested,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(self.address, timeout="10s")
            except (OSError, TimeoutError, ValueError) as error:
                raise InputError(
                    f"cannot reach a dask scheduler at {self.address}: {error}", key="--scheduler"
                ) from None

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
        with _interrupt_flag() as interrupted:
            while pending:
                try:
                    done, pending = wait(pending, timeout=0.25, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    done = set()
                if interrupted():
                    raise KeyboardInterrupt
                for future in done:
                    yield task_of[future.key], future.result()
                    future.release()

    def __exit__(self, *exc) -> None:
        if self._client is not None:
            if self._futures:
                self._client.cancel(self._futures)
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._futures = []
        self._client = self._cluster = None


@contextmanager
def _interrupt_flag():
    """SIGINT sets a flag instead of raising (in the main thread); yields a function to read it."""
    caught = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield lambda: bool(caught)
    finally:
        signal.signal(signal.SIGINT, previous)


def executor(workers: int | None = None, scheduler: str | None = None) -> InProcess | Dask:
    """The executor the command line asked for (in-process unless told otherwise)."""
    if workers is not None and scheduler is not None:
        raise InputError("give --workers or --scheduler, not both")
    if scheduler is not None:
        return Dask(address=scheduler)
    if workers is not None:
        return Dask(workers=workers)
    return InProcess()
