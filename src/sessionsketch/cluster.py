"""Folder work as tasks: one interface over a local process pool and a Dask cluster.

Each session of a folder form (``draft DIR``, ``transcribe DIR``, ``archive import``) is
one task. :func:`open_pool` gives a :class:`LocalPool` (a ``ProcessPoolExecutor`` on this
machine) or, with ``--scheduler ADDRESS`` / ``$SESSIONSKETCH_SCHEDULER``, a
:class:`DaskPool` (a ``distributed.Client`` connected to a running scheduler);
:func:`run_tasks` drives either the same way: it submits the tasks, feeds the progress
bar from the futures as they finish, hands each result to the caller (who writes it, on
this machine, through ``files.atomic_output``) and collects what failed, and why, into
a list the command prints at the end.

**Inputs travel as bytes.** The client reads every input file (transcript, programme,
speaker map, recording, sketch) and the task carries its content (:class:`Shipped`); on
the worker :func:`on_worker` writes the files into a private temporary folder under
their own names and runs the job on them. Workers need no shared file system and no
access to the client's paths; error messages and log lines name the client's paths.
Results (a sketch's bytes, a transcript, a parsed sketch) travel back the same way and
only the client writes files or the archive. At most :data:`WINDOW_PER_THREAD` tasks per
worker thread are in flight at once, so the scheduler never holds every recording of
a conference in memory.

**Faults.** A task that raises is retried :data:`RETRIES` times (Dask's ``retries=``;
the local pool does the same); a worker that dies mid-task (SIGKILL, out of memory) has
its task rerun elsewhere — Dask reschedules it until the scheduler's
``distributed.scheduler.allowed-failures`` is reached, the local pool starts new
processes and resubmits what was running. A user error (a bad transcript, a worker
without the ``[audio]`` extra) is the task's result, not an exception: it is not
retried and is reported as its one line. Ctrl-C cancels every submitted future on the
cluster (and ends the local pool's processes) before the command exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue as queues
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sessionsketch.errors import UserError
from sessionsketch.files import MAX_INPUT_BYTES, read_bytes

log = logging.getLogger("sessionsketch")

SCHEDULER_ENV = "SESSIONSKETCH_SCHEDULER"
"""The environment variable ``--scheduler`` falls back to."""

LOCAL = "local"
"""``--scheduler local``: this machine's process pool even when the variable is set."""

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for the scheduler before saying it cannot be reached (before any work)."""

RETRIES = 2
"""Times a task that raised is run again (Dask's ``retries=``; the local pool counts the same)."""

LOCAL_POOL_RESTARTS = 3
"""Times the local pool is started again after one of its processes died mid-task."""

WINDOW_PER_THREAD = 2
"""Tasks in flight per worker thread: enough to keep every worker busy, few enough that the
inputs of a whole conference (recordings) are never all held by the scheduler at once."""


@dataclass(frozen=True)
class Shipped:
    """An input file travelling as bytes: the client's path (for messages) and its content."""

    path: str
    data: bytes


def ship(path: str | Path, limit: int = MAX_INPUT_BYTES) -> Shipped:
    """Read ``path`` on the client for a task (a user error if it cannot be read)."""
    return Shipped(str(path), read_bytes(path, limit))


@dataclass
class Result:
    """What a task sends back: its value, or the one-line user error, and its log lines."""

    value: Any = None
    error: str | None = None
    logs: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Task:
    """One unit of work: ``fn(paths, *args)`` run by :func:`on_worker` on ``inputs``.

    ``label`` names it in the report (the input's path); ``fn`` must be a module-level
    function (it is pickled by reference: a worker imports it from its own install).
    """

    label: str
    fn: Callable[..., Any]
    inputs: dict[str, Shipped | Path]  # a Path is read when the task is submitted
    args: tuple[Any, ...] = ()
    limit: int = MAX_INPUT_BYTES  # the largest input file read for it

    def shipped(self) -> dict[str, Shipped]:
        """The inputs as bytes: a file named by its path is read now (a user error if it cannot be)."""
        return {k: v if isinstance(v, Shipped) else ship(v, self.limit) for k, v in self.inputs.items()}


@dataclass
class Failure:
    label: str
    message: str


@dataclass
class Report:
    """What :func:`run_tasks` did: how many tasks, which failed and why."""

    total: int = 0
    done: int = 0
    failures: list[Failure] = field(default_factory=list)


class _Router(logging.Handler):
    """The ``sessionsketch`` logger's one handler in a process that runs tasks: each record goes
    to the list of the task running in the record's thread (a worker may run several at once)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.tasks: dict[int, tuple[int, list[tuple[int, str]]]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        level, records = self.tasks.get(record.thread or 0, (logging.CRITICAL + 1, []))
        if record.levelno >= level:
            records.append((record.levelno, record.getMessage()))


_router: _Router | None = None
_router_lock = threading.Lock()


def _collect(level: int) -> list[tuple[int, str]]:
    """Start collecting this thread's ``sessionsketch`` log records at ``level`` and above."""
    global _router
    with _router_lock:
        if _router is None:
            # a worker process (or a forked local one): nothing it logs is printed there
            _router = _Router()
            logger = logging.getLogger("sessionsketch")
            logger.handlers[:] = [_router]
            logger.propagate = False
            logger.setLevel(logging.DEBUG)
        records: list[tuple[int, str]] = []
        _router.tasks[threading.get_ident()] = (level, records)
        return records


def _stop_collecting() -> None:
    if _router is not None:
        _router.tasks.pop(threading.get_ident(), None)


def on_worker(
    fn: Callable[..., Any], inputs: dict[str, Shipped], args: tuple[Any, ...], level: int
) -> Result:
    """Run ``fn(paths, *args)`` with ``inputs`` written to a private temporary folder.

    ``paths`` maps each input's role to where its bytes now are (under the client's file
    name, so formats are detected as they are on the client). A :class:`UserError` is the
    result's ``error``; what ``sessionsketch`` logs at ``level`` or above is returned, not
    printed, so it reaches the client's terminal from any worker. Either names the
    client's paths, never the temporary ones. Any other exception propagates (retried).
    Runs in a worker process only: there it takes over the ``sessionsketch`` logger.
    """
    collected = _collect(level)
    try:
        with tempfile.TemporaryDirectory(prefix="sessionsketch-task-") as tmp:
            here = {}
            back = {}
            for i, (role, shipped) in enumerate(sorted(inputs.items())):
                folder = Path(tmp) / str(i)
                folder.mkdir()
                local = folder / (Path(shipped.path).name or role)
                local.write_bytes(shipped.data)
                here[role] = local
                back[str(local)] = shipped.path

            def theirs(text: str) -> str:
                for local, original in back.items():
                    text = text.replace(local, original)
                return text

            try:
                value, error = fn(here, *args), None
            except UserError as exc:
                value, error = None, theirs(str(exc))
            return Result(value, error, [(lvl, theirs(msg)) for lvl, msg in collected])
    finally:
        _stop_collecting()


# --------------------------------------------------------------------------- the pools


class Pool:
    """Where tasks run. ``submit`` returns a future (``concurrent.futures`` or Dask's: both
    take ``add_done_callback``, which is how :func:`run_tasks` learns that one is done)."""

    description = ""
    retries_itself = False  # Dask reruns a task (retries=, a dead worker); the local pool does not
    threads = 1

    def submit(self, task: Task, level: int) -> Any:
        raise NotImplementedError

    def failure(self, exc: BaseException) -> str:
        """One line for a task that raised (after its retries)."""
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

    def cancel(self, futures: Iterable[Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalPool(Pool):
    """This machine's processes (``concurrent.futures``), the pool every folder form used before."""

    def __init__(self, workers: int | None = None) -> None:
        self.threads = max(1, workers or os.cpu_count() or 1)
        self.description = f"{self.threads} local process{'es' if self.threads != 1 else ''}"
        self._executor = ProcessPoolExecutor(max_workers=self.threads)

    def submit(self, task: Task, level: int) -> Any:
        return self._executor.submit(on_worker, task.fn, task.shipped(), task.args, level)

    def restart(self) -> None:
        """A process died: the executor is unusable; end it and start another."""
        self._end_processes()
        self._executor = ProcessPoolExecutor(max_workers=self.threads)

    def failure(self, exc: BaseException) -> str:
        if isinstance(exc, BrokenProcessPool):
            return "the local process running it died (killed, or out of memory)"
        return super().failure(exc)

    def cancel(self, futures: Iterable[Any]) -> None:
        for f in futures:
            f.cancel()
        self._end_processes()

    def _end_processes(self) -> None:
        # shutdown(cancel_futures=True) drops what is queued but waits for what runs: the
        # running processes are ended here (the executor keeps them in ``_processes``)
        processes = list((getattr(self._executor, "_processes", None) or {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            with contextlib.suppress(Exception):
                p.kill()
        for p in processes:
            with contextlib.suppress(Exception):
                p.join(10)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class DaskPool(Pool):
    """A Dask distributed cluster: ``distributed.Client`` connected to ``address``."""

    retries_itself = True

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT) -> None:
        try:
            import distributed
        except ImportError:
            raise UserError(
                "--scheduler needs the cluster extra: pip install 'sessionsketch[cluster]'"
            ) from None
        self.address = address
        # a probe first: a Client that fails half-way complains again when it is collected
        _probe(address, timeout)
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except Exception as exc:
            raise UserError(f"cannot reach the Dask scheduler at {address} ({_reason(exc)})") from None
        workers = self.client.nthreads()
        self.threads = max(1, sum(workers.values()))
        self.description = f"Dask scheduler {address} ({len(workers)} workers, {self.threads} threads)"
        self._counted = time.monotonic()
        if not workers:
            log.warning("the Dask scheduler at %s has no workers yet; the tasks wait for one", address)
        else:
            log.info("tasks go to the %s", self.description)

    def submit(self, task: Task, level: int) -> Any:
        if time.monotonic() - self._counted > 2.0:  # workers come and go; asked at most every 2 s
            self.threads = max(1, sum(self.client.nthreads().values()))
            self._counted = time.monotonic()
        with warnings.catch_warnings():
            # a recording is large; it travels with its task on purpose (see the module's doc)
            warnings.filterwarnings("ignore", message=".*[Ll]arge.*")
            return self.client.submit(
                on_worker,
                task.fn,
                task.shipped(),
                task.args,
                level,
                key=f"sessionsketch-{Path(task.label).name}-{uuid.uuid4().hex[:12]}",
                pure=False,
                retries=RETRIES,
            )

    def failure(self, exc: BaseException) -> str:
        from distributed.scheduler import KilledWorker

        if isinstance(exc, KilledWorker):
            return (
                f"the workers running it died {exc.allowed_failures + 1} times "
                f"(last {getattr(exc.last_worker, 'address', exc.last_worker)}); see the workers' logs"
            )
        return super().failure(exc)

    def cancel(self, futures: Iterable[Any]) -> None:
        futures = list(futures)
        if futures:
            with contextlib.suppress(Exception):
                self.client.cancel(futures, force=True)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close(timeout=10)


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _probe(address: str, timeout: float) -> None:
    """Connect to the scheduler and hang up: a one-line user error naming ``address`` if that
    fails (refused, timed out, not a Dask scheduler, not an address)."""
    import asyncio

    from distributed.comm import connect

    async def touch() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    quiet = logging.getLogger("distributed")
    was = quiet.level
    quiet.setLevel(logging.CRITICAL)  # distributed logs a failed connection before raising it
    try:
        asyncio.run(asyncio.wait_for(touch(), timeout * 2))
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"cannot reach the Dask scheduler at {address} ({_reason(exc)})") from None
    except Exception as exc:  # something answered, but not in Dask's protocol
        raise UserError(
            f"cannot reach the Dask scheduler at {address} (what answered there is not a Dask "
            f"scheduler: {type(exc).__name__})"
        ) from None
    finally:
        quiet.setLevel(was)


def open_pool(
    scheduler: str | None = None, workers: int | None = None, local_default: int | None = None
) -> Pool:
    """The pool for a folder form: Dask at ``scheduler`` (or ``$SESSIONSKETCH_SCHEDULER``), else local.

    An unreachable scheduler is a one-line user error naming the address, raised here,
    before any task is made. The local pool has ``workers`` processes (``--jobs``), else
    ``local_default``, else one per core.
    """
    address = (scheduler if scheduler is not None else os.environ.get(SCHEDULER_ENV, "")).strip()
    if not address or address == LOCAL:
        return LocalPool(workers or local_default)
    if workers is not None:
        log.warning("--jobs is for the local pool; the cluster's workers set how many tasks run at once")
    return DaskPool(address)


# --------------------------------------------------------------------------- running


def run_tasks(
    pool: Pool,
    tasks: list[Task],
    on_result: Callable[[Task, Any], None],
    progress: Callable[[int, int], None] | None = None,
    on_failure: Callable[[Task, str], None] | None = None,
) -> Report:
    """Run every task on ``pool``; ``on_result(task, value)`` is called here, on the client,
    as each one succeeds (it writes the output), ``on_failure(task, message)`` as one fails
    for good. Returns the report; a Ctrl-C cancels
    the futures on the pool and propagates.

    A user error that ``on_result`` raises (an output that cannot be written), or one
    reading an input when its task is submitted, is that task's failure, as one raised on
    the worker is. Inputs are read as their tasks are submitted, so only the inputs of the
    tasks in flight are in memory at once.
    """
    level = logging.getLogger("sessionsketch").getEffectiveLevel()
    report = Report(total=len(tasks))
    waiting = list(reversed(tasks))
    running: dict[Any, Task] = {}
    finished: queues.Queue[Any] = queues.Queue()
    attempts: dict[int, int] = {}
    restarts = 0

    def fail(task: Task, message: str) -> None:
        if Path(task.label).name not in message:
            message = f"{task.label}: {message}"
        report.failures.append(Failure(task.label, message))
        if on_failure is not None:
            on_failure(task, message)

    def settle(fut: Any, task: Task) -> None:
        try:
            result: Result = fut.result()
        except Exception as exc:
            tried = attempts[id(task)] = attempts.get(id(task), 0) + 1
            if not pool.retries_itself and tried <= RETRIES and not broken(exc):
                waiting.append(task)
                return
            fail(task, pool.failure(exc))
        else:
            for lvl, message in result.logs:
                log.log(lvl, "%s", message)
            if result.error is not None:
                fail(task, result.error)
            else:
                try:
                    on_result(task, result.value)
                except UserError as exc:
                    fail(task, str(exc))
                else:
                    report.done += 1
        if progress is not None:
            progress(report.done + len(report.failures), report.total)

    try:
        while waiting or running:
            while waiting and len(running) < WINDOW_PER_THREAD * pool.threads:
                task = waiting.pop()
                try:
                    fut = pool.submit(task, level)
                except UserError as exc:  # an input that cannot be read
                    fail(task, str(exc))
                    if progress is not None:
                        progress(report.done + len(report.failures), report.total)
                    continue
                running[fut] = task
                fut.add_done_callback(finished.put)
            fut = _next(finished)
            if fut not in running:
                continue  # a future of a broken local pool, already resubmitted
            task = running.pop(fut)
            if not fut.cancelled() and isinstance(pool, LocalPool) and broken(fut.exception()):
                # a process died: every future of the executor fails; resubmit what was running
                restarts += 1
                for lost in [task, *running.values()]:
                    if restarts <= LOCAL_POOL_RESTARTS:
                        waiting.append(lost)
                    else:
                        fail(lost, pool.failure(fut.exception()))
                running.clear()
                if restarts <= LOCAL_POOL_RESTARTS:
                    log.warning("a local worker process died; starting the pool again")
                    pool.restart()
                else:
                    for never in waiting:
                        fail(never, pool.failure(fut.exception()))
                    waiting.clear()
                continue
            settle(fut, task)
    except BaseException:
        pool.cancel(running)
        raise
    return report


def broken(exc: BaseException | None) -> bool:
    return isinstance(exc, BrokenProcessPool)


def _next(finished: queues.Queue[Any]) -> Any:
    """The next future done; waits in short steps so that a Ctrl-C is taken at once."""
    while True:
        try:
            return finished.get(timeout=0.5)
        except queues.Empty:
            continue


def log_failures(report: Report) -> None:
    """Each failure as an error line (each names its input)."""
    for failure in report.failures:
        log.error("%s", failure.message)


# --------------------------------------------------------------------------- one call (the web)


def _apply(
    paths: dict[str, Path], fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    return fn(*args, **kwargs)


class Remote:
    """One long call at a time sent to a Dask scheduler, for a process that serves requests
    (the web app's workbench draft): ``call(fn, *args)`` blocks its thread until the cluster
    has the answer, so the CPU work is the cluster's, not the server's. One client per
    process, made at the first call; if the cluster cannot be reached, the call runs here
    (logged), so the server keeps working without it."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._lock = threading.Lock()
        self._client: Any = None

    def _connect(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = DaskPool(self.address).client
            return self._client

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        level = logging.getLogger("sessionsketch").getEffectiveLevel()
        try:
            client = self._connect()
            future = client.submit(
                on_worker,
                _apply,
                {},
                (fn, args, kwargs),
                level,
                key=f"sessionsketch-{getattr(fn, '__name__', 'call')}-{uuid.uuid4().hex[:12]}",
                pure=False,
                retries=RETRIES,
            )
        except UserError as exc:
            log.warning("%s; running it here", exc)
            return fn(*args, **kwargs)
        result: Result = future.result()
        for lvl, message in result.logs:
            log.log(lvl, "%s", message)
        if result.error is not None:
            raise UserError(result.error)
        return result.value

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                with contextlib.suppress(Exception):
                    self._client.close(timeout=10)
                self._client = None


def check_scheduler(address: str) -> None:
    """A one-line user error if the scheduler at ``address`` cannot be reached (``serve``'s start)."""
    DaskPool(address).close()
