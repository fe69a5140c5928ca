"""File helpers every writer shares: atomic replacement, project-relative names for messages, and stderr sent
to a log file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis import settings


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Readers see the old file or the new one, never a part: write beside it, then rename (atomic in one folder).
    A new file is world-readable (reports are served); a replaced one keeps its mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def relative(path: Path) -> str:
    """The path as messages show it: relative to the project when inside it."""
    try:
        return str(Path(path).resolve().relative_to(settings.ROOT))
    except ValueError:
        return str(path)


@contextmanager
def stderr_to(path: Path, mode: str = "a") -> Iterator[None]:
    """This process's stderr (file descriptor 2, so a kernel started meanwhile inherits it) goes to `path`."""
    saved = os.dup(2)
    with open(path, mode) as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
