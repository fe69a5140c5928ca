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


# The date each fact table is dated by: the latest of them is the date the data cover ("data as of").
DATED_BY = {
    "missile_tests": "date_kst",
    "nuclear_tests": "date_kst",
    "diplomatic_events": "end_date",
    "sanctions": "date",
}


def data_as_of(curated_dir: Path | None = None) -> str:
    """The latest date the fact tables cover (ISO), read with the csv module so the render needs no pandas for it.
    The sources' access dates and the yearly economy table do not count."""
    import csv
    import json

    curated_dir = Path(curated_dir or settings.CURATED_DIR)
    latest = ""
    for resource in json.loads((curated_dir / "datapackage.json").read_text(encoding="utf-8")).get("resources", []):
        field = DATED_BY.get(resource.get("name"))
        path = curated_dir / resource.get("path", "")
        if field and path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                latest = max([latest, *(row.get(field) or "" for row in csv.DictReader(fh))])
    return latest
