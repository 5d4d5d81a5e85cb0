"""One writer at a time per folder: ``generate``, ``update``, ``export --data-path`` and
``import`` lock the folder they write (the output folder; the spec's folder) for as long as
they read and write it, so two runs at once never interleave their files.

The lock is the folder's own: ``flock(2)`` on a descriptor of the folder (no lock file to leave
behind in a committed ``generated/``, none to clean up after ``kill -9``: the kernel releases a
dead process's locks). A second run **waits** for the first, then runs on what the first left:
two ``generate`` runs give the output of whichever ran last, whole, never a mix of both. While it
waits it says once who holds the folder (the process id and command line, read from
``/proc/locks`` where there is one); after ``APIGEN_LOCK_TIMEOUT`` seconds (default 120; 0:
do not wait) it gives up with an error naming the holder and changes nothing. Waiting, not
failing at once, because the usual second writer is the same command run again (an editor's
save hook, a second terminal, ``make`` in parallel), which should simply run after the first.

``--check`` takes the lock shared: it never reads a folder a writer is halfway through. Locks
are taken in one order (the spec's folder, then the output folder) and a folder already locked
by this process is not locked again, so no two apigen commands wait for each other in a cycle.
Advisory: processes other than apigen are not stopped from writing.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from codegen.errors import UsageError, displayable

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking
    fcntl = None  # type: ignore[assignment]

DEFAULT_TIMEOUT = 120.0
_HELD: dict[tuple[int, int], int] = {}  # (device, inode) -> how many times this process holds it


def lock_timeout() -> float:
    """``APIGEN_LOCK_TIMEOUT`` in seconds (a bad value is a usage error), else the default."""
    text = os.environ.get("APIGEN_LOCK_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise UsageError(
            message=f"APIGEN_LOCK_TIMEOUT={displayable(text)!r}: expected seconds to wait (0 or more)"
        )
    return value


@contextmanager
def folder_lock(folder: Path, what: str, *, shared: bool = False) -> Iterator[None]:
    """Hold ``folder``'s lock (exclusive, or ``shared`` for readers) for the ``with`` block;
    ``what`` says what this run does there (``generating``), for the holder's message."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    except OSError:
        yield  # no folder (yet) to lock: the writer's own checks report it
        return
    try:
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        if key in _HELD:  # this process holds it already (update: the spec's and output folder)
            _HELD[key] += 1
            try:
                yield
            finally:
                _HELD[key] -= 1
                if not _HELD[key]:
                    del _HELD[key]
            return
        if not _acquire(fd, folder, what, shared):
            yield  # a file system without locks (said so): written as before, unlocked
            return
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, folder: Path, what: str, shared: bool) -> bool:
    """Take the lock, waiting as the module says; False when the file system has no locks."""
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    timeout = lock_timeout()
    deadline = time.monotonic() + timeout
    said = False
    pause = 0.02
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                print(
                    f"apigen: warning: {displayable(str(folder))}: cannot be locked "
                    f"({exc.strerror}); {what} without the lock",
                    file=sys.stderr,
                    flush=True,
                )
                return False
        shown = displayable(str(folder))
        if time.monotonic() >= deadline:
            raise UsageError(
                message=f"{shown} is being written by {holder(fd)}; gave up {what} after "
                f"{timeout:g} s (APIGEN_LOCK_TIMEOUT), nothing written: run again once it is done"
            )
        if not said:
            print(
                f"apigen: waiting: {shown} is being written by {holder(fd)} "
                f"(for up to {timeout:g} s, APIGEN_LOCK_TIMEOUT)",
                file=sys.stderr,
                flush=True,
            )
            said = True
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 0.25)


def holder(fd: int) -> str:
    """Who holds the lock on the folder of ``fd``: ``process 123 (apigen generate -o out)``,
    from ``/proc/locks`` (Linux); ``another process`` where that cannot be told."""
    info = os.fstat(fd)
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    try:
        lines = Path("/proc/locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return "another process"
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 12345 08:01:1234567 0 EOF" ("->" marks a waiter)
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[2] != "->":
            pid, where = fields[4], fields[5]
            if where == wanted and pid.isdigit() and int(pid) != os.getpid():
                return f"process {pid} ({_command(int(pid))})"
    return "another process"


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    words = [os.fsdecode(word) for word in raw.split(b"\0") if word]
    if words and Path(words[0]).name.startswith("python") and len(words) > 1:
        words = words[1:]  # python .../apigen ...: the script and its arguments
    if words:
        words[0] = Path(words[0]).name
    return displayable(" ".join(words))[:200]
