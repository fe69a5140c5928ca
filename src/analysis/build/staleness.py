"""What has been built, and whether it is still good: each report's inputs hash into a key kept in
reports/.state/<report>.json; an unchanged key and a page in place mean the report is up to date. Also the
copy of the curated data published beside the pages (reports/data/)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import platform
import re
import sys
from contextlib import suppress
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from analysis import settings
from analysis.build import registry, thumbnails
from analysis.data import database, files, fingerprint, textsafety
from analysis.data.files import write_atomic


def state_dir() -> Path:
    return settings.REPORTS_DIR / ".state"


def logs_dir() -> Path:
    return settings.REPORTS_DIR / "logs"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def versions() -> dict[str, str]:
    """Installed versions of the package's own dependencies (the pins in pyproject.toml)."""
    names = [re.match(r"[\w.-]+", req).group() for req in metadata.requires("analysis") or [] if "extra ==" not in req]
    return {"python": platform.python_version(), **{n: metadata.version(n) for n in names}}


def shared_inputs(keep_code: bool) -> dict:
    return {
        "data": fingerprint.data_version(),
        "package": fingerprint.digest(fingerprint.files(settings.PACKAGE_DIR), settings.PACKAGE_DIR),
        "versions": versions(),
        "keep_code": keep_code,
    }


def key(report: registry.Report, shared: dict) -> str:
    """A hash of everything the page depends on."""
    inputs = {
        **shared,
        "title": report.title,
        "parameters": report.parameters,
        "ids": report.ids,
        "notebook": fingerprint.digest([report.notebook], report.notebook.parent),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def read_json(path: Path) -> dict:
    """A state file's object; {} for a missing, unreadable or non-object file (the report is then stale)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def html(name: str) -> Path:
    return settings.REPORTS_DIR / f"{name}.html"


def up_to_date(report: registry.Report, state: dict, key: str) -> bool:
    return state.get("status") == "ok" and state.get("key") == key and html(report.name).is_file()


# Bumped when the published copies change form, so copies made before are made again.
PUBLISHED_FORM = 2


def _declared() -> dict[str, set[str]]:
    """The data package's resources that are plain file names in the curated folder (others are left out),
    each with the names of its text fields (type string, the data package default)."""
    resources = read_json(settings.DATAPACKAGE).get("resources")
    declared = {}
    for r in resources if isinstance(resources, list) else []:
        path, schema = (r.get("path"), r.get("schema")) if isinstance(r, dict) else (None, None)
        if isinstance(path, str) and re.fullmatch(r"[A-Za-z0-9][\w.-]*", path):
            fields = schema.get("fields") if isinstance(schema, dict) else None
            declared[path] = {
                f.get("name") for f in fields or [] if isinstance(f, dict) and f.get("type", "string") == "string"
            }
    return declared


def _defused(raw: bytes, text: set[str]) -> bytes:
    """A curated CSV as published: formula-leading cells of the `text` fields get a leading apostrophe (numbers
    untouched); byte for byte the same when there is none."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8", "replace"), newline="")))
    columns = [i for i, name in enumerate(rows[0] if rows else []) if name in text]
    changed = False
    for row in rows[1:]:
        for i in columns:
            if i < len(row) and textsafety.is_formula(row[i]):
                row[i], changed = textsafety.neutralise(row[i]), True
    if not changed:
        return raw
    return files.csv_lines(rows).encode("utf-8")


def publish_data(version: str) -> None:
    """Copy datapackage.json and the resources it declares into reports/data/ so the folder stands alone (when
    changed): regular files only (a symbolic link or anything undeclared, dotfiles included, is not published),
    with formulas defused in text cells. Copies of tables no longer published are removed; files the reports
    publish there are left alone."""
    target = settings.REPORTS_DIR / "data"
    record = state_dir() / "data.json"
    last = read_json(record)
    if last.get("data_version") != version or last.get("form") != PUBLISHED_FORM or not target.is_dir():
        _copy(target, record, last, version)
    database.publish()  # rebuilt only when the data changed or the file is missing


def _copy(target: Path, record: Path, last: dict, version: str) -> None:
    copies = {}
    for name, text in {"datapackage.json": set(), **_declared()}.items():
        src = settings.CURATED_DIR / name
        if src.is_symlink() or not src.is_file():
            print(f"warning: data/curated/{name} is not a regular file: not published", file=sys.stderr)
        else:
            copies[name] = _defused(src.read_bytes(), text) if name.endswith(".csv") else src.read_bytes()
    for name, content in copies.items():
        write_atomic(target / name, content)
    for name in set(last.get("files", [])) - set(copies):
        with suppress(files.LinkError, IsADirectoryError):  # never through a link, never a folder
            files.inside_reports(f"data/{name}").unlink(missing_ok=True)
    write_atomic(record, json.dumps({"data_version": version, "form": PUBLISHED_FORM, "files": sorted(copies)}))


def published() -> list[str]:
    """The curated files last published in reports/data/ (names under it), as the front page links them."""
    names = read_json(state_dir() / "data.json").get("files", [])
    data = settings.REPORTS_DIR / "data"
    return [n for n in names if isinstance(n, str) and (data / n).is_file() and not (data / n).is_symlink()]


def record(report: registry.Report, ok: bool, seconds: float, error: str, key: str, states: dict) -> None:
    """Save a finished report's state."""
    if ok:
        state = {
            "key": key,
            "status": "ok",
            "built": now(),
            "seconds": round(seconds, 1),
            "data_version": fingerprint.data_version(),
            "parameters": report.parameters,
        }
    else:
        state = {**states.get(report.name, {}), "status": "failed", "error": error, "failed": now()}
    states[report.name] = state
    write_atomic(state_dir() / f"{report.name}.json", json.dumps(state, indent=1))


def prune(names: set[str]) -> list[str]:
    """Remove the pages (and states, logs, front-page pictures) of reports no longer in the registry; returns their
    names."""
    gone = []
    for path in sorted(state_dir().glob("*.json")):
        if path.stem not in names and "status" in read_json(path):
            for leftover in (html(path.stem), logs_dir() / f"{path.stem}.ipynb", thumbnails.path(path.stem), path):
                leftover.unlink(missing_ok=True)
            gone.append(path.stem)
    return gone
