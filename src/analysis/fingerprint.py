"""Content hashes of files: the data version shown in every report, and the inputs `analysis render` compares.

Kept free of pandas so that a no-op render stays fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from analysis import settings


def files(folder: Path) -> list[Path]:
    """Every file below `folder`, in a stable order (byte-code caches left out)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def digest(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over the files' names (relative to root) and contents."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def data_version(curated_dir: Path | None = None) -> str:
    """A short hash of every file in the curated folder: changes whenever any table or the schema changes."""
    curated_dir = Path(curated_dir or settings.CURATED_DIR)
    return digest(files(curated_dir), curated_dir)[:12]
