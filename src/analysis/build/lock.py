"""One `analysis render` at a time per reports folder, and a lock that says who holds it: a live render,
or processes left over from one that is gone (a stale lock)."""

from __future__ import annotations

import errno
import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path

from analysis import settings
from analysis.build import staleness
from analysis.data.files import write_atomic


class LockError(Exception):
    """The lock cannot be taken; the message says why in one line."""


def _holders(path: Path) -> list[int]:
    """Pids of the processes that have `path` open (Linux /proc; empty elsewhere)."""
    pids = []
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if Path(os.readlink(fd)) == path:
                pids.append(int(fd.parts[2]))
        except (OSError, ValueError):
            continue
    return sorted(set(pids) - {os.getpid()})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _busy(path: Path) -> str:
    """Why the lock is taken: a live render, or leftovers of one that is gone (a stale lock)."""
    owner = staleness.read_json(path.with_suffix(".json"))
    pid = owner.get("pid")
    if isinstance(pid, int) and _alive(pid):
        return f"another `analysis render` (pid {pid}, started {owner.get('started', '?')}) is running on {settings.REPORTS_DIR}"
    leftovers = ", ".join(map(str, _holders(path.resolve()))) or "unknown"
    return (
        f"the render lock {path} is held by processes left over from a render that is gone "
        f"(pid {pid or '?'}): stop them (pids {leftovers}) and run again"
    )


@contextmanager
def exclusive():
    """One render at a time per reports folder; also makes it safe to sweep away leftover temp files."""
    lock_path = staleness.state_dir() / "lock"
    for folder in (staleness.state_dir(), staleness.logs_dir(), settings.REPORTS_DIR / "data"):
        if folder.is_symlink():  # writes and removals there would land outside the reports
            raise LockError(f"cannot use {folder} for the reports: it is a symbolic link, not a folder")
    try:
        staleness.state_dir().mkdir(parents=True, exist_ok=True)
        # never truncated, never through a link: the lock is the descriptor, not the file's content
        lock = os.fdopen(os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644), "w")
    except OSError as e:
        why = "it is a symbolic link" if e.errno == errno.ELOOP else e.strerror
        raise LockError(f"cannot use {e.filename or settings.REPORTS_DIR} for the reports: {why}") from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError(_busy(lock_path)) from None
        try:
            write_atomic(lock_path.with_suffix(".json"), json.dumps({"pid": os.getpid(), "started": staleness.now()}))
            for tmp in settings.REPORTS_DIR.rglob(".*.tmp"):  # left by a killed run
                tmp.unlink()
        except OSError as e:
            raise LockError(f"cannot write in {settings.REPORTS_DIR}: {e.strerror}") from None
        yield
