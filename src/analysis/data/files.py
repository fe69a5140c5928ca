"""File helpers every writer shares: atomic replacement, CSV lines, project-relative names for messages, and
stderr sent to a log file. Under reports/ (which is served) no write, replacement or removal follows a symbolic link."""

from __future__ import annotations

import csv
import errno
import io
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from analysis import settings


class LinkError(OSError):
    """A path under reports/ that would leave the folder: through a symbolic link, `..` or an absolute name."""

    def __init__(self, path: Path, why: str):
        super().__init__(errno.ELOOP, why, str(path))

    def __str__(self) -> str:
        path = Path(self.filename)  # not resolved: the message names the link, not where it points
        shown = path.relative_to(settings.ROOT) if path.is_relative_to(settings.ROOT) else path
        return f"{shown}: {self.strerror}; nothing written through it"


def inside_reports(name: str | Path) -> Path:
    """reports/<name>, refused (LinkError) when it would resolve outside reports/: an absolute name, a `..`, or a
    folder on the way that is a symbolic link. The last part may be a link: writers replace it, never follow it."""
    path = settings.REPORTS_DIR / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise LinkError(path, "the name leaves the reports folder")
    for folder in reversed(path.relative_to(settings.REPORTS_DIR).parents[:-1]):
        if (settings.REPORTS_DIR / folder).is_symlink():
            raise LinkError(settings.REPORTS_DIR / folder, "is a symbolic link")
    return path


def _open_folder(folder: Path) -> int:
    """A descriptor of `folder`, made if missing; below reports/ each part is opened without following links."""
    try:
        parts = folder.absolute().relative_to(settings.REPORTS_DIR).parts
    except ValueError:
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    if ".." in parts:
        raise LinkError(folder, "the name leaves the reports folder")
    settings.REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.REPORTS_DIR, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    for i, part in enumerate(parts):
        try:
            with suppress(FileExistsError):
                os.mkdir(part, dir_fd=fd)
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
        except OSError as e:
            here = settings.REPORTS_DIR.joinpath(*parts[: i + 1])
            if e.errno in (errno.ELOOP, errno.ENOTDIR) and here.is_symlink():
                raise LinkError(here, "is a symbolic link") from None
            raise
        finally:
            os.close(fd)
        fd = child
    return fd


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Readers see the old file or the new one, never a part: write beside it, then rename (atomic in one folder).
    A new file is world-readable (reports are served); a replaced one keeps its mode. A symbolic link at `path` is
    replaced by the file, its target left untouched; under reports/ a linked folder on the way is refused."""
    path = Path(path)
    folder = _open_folder(path.parent)
    tmp = f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        try:
            old = os.stat(path.name, dir_fd=folder, follow_symlinks=False)
            mode = stat.S_IMODE(old.st_mode) if stat.S_ISREG(old.st_mode) else 0o644
        except FileNotFoundError:
            mode = 0o644
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
                fh.flush()
                os.fsync(fh.fileno())
                os.fchmod(fh.fileno(), mode)
            os.replace(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=folder)
            raise
    finally:
        os.close(folder)
    return path


def csv_lines(rows: Iterable[Sequence]) -> str:
    """Rows as CSV lines ending in a newline; a field holding a carriage return is quoted too (the csv module
    quotes only the line terminator's characters, and a spreadsheet starts a new row at a bare CR)."""
    buf, lines = io.StringIO(), []
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        lines.append(buf.getvalue()[:-2] + "\n")
        buf.seek(0)
        buf.truncate()
    return "".join(lines)


def relative(path: Path) -> str:
    """The path as messages show it: relative to the project when inside it."""
    try:
        return str(Path(path).resolve().relative_to(settings.ROOT))
    except ValueError:
        return str(path)


@contextmanager
def stderr_to(path: Path, mode: str = "a") -> Iterator[None]:
    """This process's stderr (file descriptor 2, so a kernel started meanwhile inherits it) goes to `path` (never
    through a symbolic link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    saved = os.dup(2)
    log = os.open(path, flags, 0o644)
    os.dup2(log, 2)
    os.close(log)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
