"""``-o`` writes to what is at the target, never over it (issue 30 §10).

An atomic write renames a finished temporary file onto the destination. That is right for
a regular file (no half-written output), wrong for anything else: ``-o /dev/null`` run as
root once turned the device into a regular file, and ``-o /dev/stdout`` (a symlink)
replaced the link with a file, so nothing reached the terminal. A symlink is followed (the
file it points to is replaced, the link stays); a device, a FIFO or a socket is written
through, once the output is complete.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from sessionsketch import files
from sessionsketch.cli import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "welsh-education-committee"


def read_fifo_in_background(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    return t, got


def test_a_symlink_stays_a_link_and_its_target_gets_the_output(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    files.write_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new\n"
    assert not list(tmp_path.glob(".*.part"))


def test_a_chain_of_relative_symlinks_is_followed_to_its_end(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "real.md"
    target.write_text("old\n")
    (tmp_path / "one.md").symlink_to("out/real.md")
    (tmp_path / "two.md").symlink_to("one.md")
    files.write_atomic(tmp_path / "two.md", "new\n")
    assert (tmp_path / "two.md").is_symlink() and (tmp_path / "one.md").is_symlink()
    assert target.read_text() == "new\n"


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "made.md")
    files.write_atomic(link, "made\n")
    assert link.is_symlink() and (tmp_path / "made.md").read_text() == "made\n"


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t, got = read_fifo_in_background(fifo)
    files.write_atomic(fifo, b"through the pipe\n")
    t.join(10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symlink_to_a_fifo_like_dev_stdout_reaches_the_reader(tmp_path: Path) -> None:
    """``/dev/stdout`` is a symlink to ``/proc/self/fd/1``: the output goes where it points."""
    fifo = tmp_path / "terminal"
    os.mkfifo(fifo)
    stdout = tmp_path / "stdout"
    stdout.symlink_to(fifo)
    t, got = read_fifo_in_background(fifo)
    files.write_atomic(stdout, "to the terminal\n")
    t.join(10)
    assert got == [b"to the terminal\n"]
    assert stdout.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_proc_self_fd_is_written_through(tmp_path: Path) -> None:
    """The real ``/dev/stdout`` shape: a link into /proc whose target names no file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t, got = read_fifo_in_background(fifo)
    fd = os.open(fifo, os.O_WRONLY)
    try:
        files.write_atomic(f"/proc/self/fd/{fd}", "via the descriptor\n")
    finally:
        os.close(fd)
    t.join(10)
    assert got == [b"via the descriptor\n"]


@pytest.fixture
def char_device(tmp_path: Path) -> Path:
    """A null device of our own (``/dev/null`` is never touched: a failing test would replace it)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc}); needs root")
    return node


def test_a_character_device_stays_a_device(char_device: Path) -> None:
    files.write_atomic(char_device, "discarded\n")
    assert stat.S_ISCHR(char_device.lstat().st_mode)
    assert not list(char_device.parent.glob(".*.part"))


def test_a_failed_write_sends_nothing_through(tmp_path: Path) -> None:
    """The output reaches a device only once it is complete: a failure sends nothing."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(RuntimeError), files.atomic_output(fifo) as tmp:
        tmp.write_text("half")
        raise RuntimeError("the writer failed")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # nobody opened it: no reader was needed


def test_replacing_a_regular_file_keeps_its_mode(tmp_path: Path) -> None:
    dest = tmp_path / "private.md"
    dest.write_text("old\n")
    dest.chmod(0o600)
    files.write_atomic(dest, "new\n")
    assert dest.read_text() == "new\n"
    assert dest.stat().st_mode & 0o777 == 0o600


def test_cli_output_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "sketch.md"
    target.write_text("")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    code = run(
        ["-q", "draft", str(EXAMPLE / "programme.yaml"), str(EXAMPLE / "transcript.json"), "-o", str(link)]
    )
    assert code == 0
    assert link.is_symlink()
    assert target.stat().st_size > 100


def test_a_descriptor_to_a_regular_file_is_written_into_not_renamed_over(tmp_path: Path) -> None:
    """``-o /dev/stdout`` under ``>> log.md``: the output is appended where the shell opened it."""
    log = tmp_path / "log.md"
    log.write_text("before\n")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    inode = log.stat().st_ino
    try:
        files.write_atomic(f"/proc/self/fd/{fd}", "after\n")
    finally:
        os.close(fd)
    assert log.read_text() == "before\nafter\n"
    assert log.stat().st_ino == inode
