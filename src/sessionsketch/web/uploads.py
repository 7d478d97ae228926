"""Uploaded files: copied to disk within the size limit, parsed in a child process within a
time, memory and CPU budget, kept only as what the parsers made of them, never served back.

Parsing an upload is CPU work on untrusted bytes. Run in a thread of the server it holds
the interpreter lock (a regular expression in C never lets go of it), so one hostile file
could stall every other user's request. :func:`parse_upload` runs the parse in a forked
child instead: the server's event loop only waits on a pipe, the child is killed when it
runs past ``ParseLimits.seconds``, and its address space is capped at what the server
already uses plus ``ParseLimits.memory_mb``. The child dies with the server (the kernel's
parent-death signal on Linux, a watchdog thread elsewhere) and the kernel stops it past
``ParseLimits.cpu`` seconds of CPU time even if nobody is left to kill it. What the child
returns (a transcript, a programme document, a sketch) comes back pickled; a user error
comes back as one line.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO, TypeVar

from fastapi import HTTPException, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from sessionsketch.errors import UserError

log = logging.getLogger("sessionsketch")

_SUFFIX_RE = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
T = TypeVar("T")


#: Uploads are copied to disk this many bytes at a time, in a worker thread.
COPY_CHUNK = 1024 * 1024


async def save_upload(request: Request, upload: UploadFile, path: Path) -> Path:
    """Copy the uploaded file to ``path`` and return it; 413 beyond the app's upload limit, 400 when empty.

    The copy runs in a worker thread, a megabyte at a time: the server never holds an upload
    whole in memory and never writes one from its event loop (twenty 19 MB uploads at once
    took it from 233 MB to over 800 MB and stalled every other user). Readers get the path
    (in their child process) instead of the bytes.
    """
    limit: int = request.app.state.max_upload_bytes
    size = await run_in_threadpool(_copy_upload, upload.file, path, limit)
    if size > limit:
        raise HTTPException(413, f"upload too large: the limit is {limit / 1024 / 1024:.0f} MB")
    if not size:
        raise HTTPException(400, f"{PurePath(upload.filename or 'the upload').name} is empty")
    return path


def _copy_upload(source: BinaryIO, path: Path, limit: int) -> int:
    """Copy ``source`` to ``path``; the bytes copied, or ``limit + 1`` (and no file) when there are more."""
    source.seek(0)
    written = 0
    with open(path, "wb") as out:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                break
            out.write(chunk)
    if written > limit:
        path.unlink(missing_ok=True)
    return written


def safe_suffix(filename: str | None) -> str:
    """The file name's extension if it is a plain one (".vtt", ".json"), else "" — readers sniff the content."""
    suffix = PurePath(filename or "").suffix.lower()
    return suffix if _SUFFIX_RE.match(suffix) else ""


def safe_name(filename: str | None) -> str:
    """A file's base name with anything odd replaced, for keys and messages."""
    name = PurePath((filename or "upload").replace("\\", "/")).name
    return re.sub(r"[^\w.+-]+", "_", name)[:200] or "upload"


# ---------------------------------------------------------------------- parsing within a budget


@dataclass(frozen=True)
class ParseLimits:
    """What one upload's parse may cost: wall time, extra memory, how many run at once, and
    CPU time (``cpu_seconds``; by default twice the wall time, a backstop the kernel enforces)."""

    seconds: float = 20.0
    memory_mb: int = 1024
    concurrent: int = 4
    cpu_seconds: float | None = None

    @property
    def cpu(self) -> int:
        """Whole seconds of CPU time a parse child may use before the kernel stops it."""
        return max(1, math.ceil(self.cpu_seconds if self.cpu_seconds is not None else 2 * self.seconds))

    @property
    def sandboxed(self) -> bool:
        """Whether parses run in a child process (needs ``fork``: Linux and the BSDs)."""
        return "fork" in multiprocessing.get_all_start_methods()


_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _slots_for(limits: ParseLimits) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(limits.concurrent, threading.BoundedSemaphore(limits.concurrent))


async def parse_upload(request: Request, shown_name: str, func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` within the app's parse budget, off the event loop (see the module's doc)."""
    limits: ParseLimits = request.app.state.parse_limits
    return await run_in_threadpool(run_within_budget, limits, shown_name, func, *args)


def run_within_budget(limits: ParseLimits, shown_name: str, func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` in a forked child, killed past ``limits.seconds``; its errors as ours.

    A :class:`UserError` raised by ``func`` is raised here as it was; running out of time or
    memory is a :class:`UserError` naming ``shown_name``; anything else the child raised is
    logged (with its traceback) and is a 500 that names the file. Blocks: call it from a thread.
    """
    if not limits.sandboxed:  # no fork on this platform: the parse runs here, without a budget
        return func(*args)
    _wait_for_warm_parser()
    context = multiprocessing.get_context("fork")
    with _slots_for(limits):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_parse_in_child,
            args=(sender, os.getpid(), limits.memory_mb, limits.cpu, func, args),
            daemon=True,
        )
        child.start()
        sender.close()
        try:
            if not receiver.poll(limits.seconds):
                raise UserError(f"took longer than {limits.seconds:g} s to read; refused", shown_name)
            try:
                answer = receiver.recv()
            except (EOFError, OSError):
                child.join(5)
                raise UserError(_stopped(child.exitcode, limits), shown_name) from None
        finally:
            receiver.close()
            if child.is_alive():
                child.kill()
            child.join()
    kind = answer[0]
    if kind == "ok":
        return answer[1]
    if kind == "user":
        _, message, path, line = answer
        raise UserError(message, path, line)
    if kind == "memory":
        raise UserError(f"needs more than {limits.memory_mb} MB to read; refused", shown_name)
    if kind == "deep":
        raise UserError("nested too deeply to read; refused", shown_name)
    _, error_type, trace = answer
    log.error("reading %s failed in the parse process:\n%s", shown_name, trace)
    raise HTTPException(500, f"{shown_name}: could not be read (internal error: {error_type})")


def _stopped(exitcode: int | None, limits: ParseLimits) -> str:
    if exitcode == -signal.SIGXCPU:
        return f"needs more than {limits.cpu} s of CPU time to read; refused"
    if exitcode is not None and exitcode < 0:
        return f"could not be read: the reader was stopped by signal {-exitcode} (memory limit {limits.memory_mb} MB)"
    return "could not be read: the reader stopped without an answer"


def _parse_in_child(
    sender: Any,
    parent: int,
    memory_mb: int,
    cpu_seconds: int,
    func: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    try:
        die_with_parent(parent)
        _cap_cpu(cpu_seconds)
        _cap_memory(memory_mb)
        answer: tuple[Any, ...] = ("ok", func(*args))
    except UserError as exc:
        answer = ("user", exc.message, exc.path, exc.line)
    except MemoryError:
        answer = ("memory",)
    except RecursionError:
        answer = ("deep",)
    except BaseException as exc:  # reported to the server, which logs it
        import traceback

        answer = ("crash", type(exc).__name__, traceback.format_exc())
    try:
        sender.send(answer)
    except MemoryError:
        sender.send(("memory",))
    finally:
        sender.close()


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` (the server that forked it) dies, even by SIGKILL.

    Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (the kernel sends it when the forking thread
    ends; that thread waits on this child until it is done). Elsewhere, a daemon thread that
    watches for the parent to change.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _cap_cpu(cpu_seconds: int) -> None:
    """SIGXCPU past ``cpu_seconds`` of CPU time, SIGKILL a second later."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    except (ImportError, OSError, ValueError):
        pass


def _cap_memory(memory_mb: int) -> None:
    """Cap the child's address space at what it has (the server's, shared copy-on-write) plus ``memory_mb``."""
    try:
        import resource

        with open("/proc/self/statm") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    limit = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_warming: threading.Thread | None = None


def warm_parser(background: bool = False) -> None:
    """Load the dependency parser in the server itself, once, so every parse child forked from it
    has the model already (reading a sketch attributes its sentences on a parse; loading the
    model in each child would cost seconds per imported file).

    ``background=True`` loads it in a thread, so the server answers at once; until the model is
    loaded, parses wait for it before forking (a child forked while another thread holds the
    loader's locks could never take them)."""
    global _warming

    def load() -> None:
        from sessionsketch.analysis import syntax

        if syntax.available():
            syntax.parse("The server has started.")

    if not background:
        load()
        return
    _warming = threading.Thread(target=load, name="warm-parser", daemon=True)
    _warming.start()


def _wait_for_warm_parser() -> None:
    if _warming is not None:
        _warming.join()
