"""What has been built, and whether it is still good: each report's inputs hash into a key kept in
reports/.state/<report>.json; an unchanged key and a page in place mean the report is up to date. Also the
copy of the curated data published beside the pages (reports/data/)."""

from __future__ import annotations

import hashlib
import json
import platform
import re
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from analysis import fingerprint, registry, settings
from analysis.files import write_atomic


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


def publish_data(version: str) -> None:
    """Copy the curated CSVs and datapackage.json into reports/data/ so the folder stands alone (when changed).
    Copies of tables no longer curated are removed; files the reports publish there are left alone."""
    target = settings.REPORTS_DIR / "data"
    record = state_dir() / "data.json"
    last = read_json(record)
    if last.get("data_version") == version and target.is_dir():
        return
    copies = {target / p.relative_to(settings.CURATED_DIR): p for p in fingerprint.files(settings.CURATED_DIR)}
    for copy, src in copies.items():
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, src.read_bytes())
    for old in {target / name for name in last.get("files", [])} - set(copies):
        old.unlink(missing_ok=True)
    names = sorted(c.relative_to(target).as_posix() for c in copies)
    write_atomic(record, json.dumps({"data_version": version, "files": names}))


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
    """Remove the pages (and states, logs) of reports no longer in the registry; returns their names."""
    gone = []
    for path in sorted(state_dir().glob("*.json")):
        if path.stem not in names and "status" in read_json(path):
            for leftover in (html(path.stem), logs_dir() / f"{path.stem}.ipynb", path):
                leftover.unlink(missing_ok=True)
            gone.append(path.stem)
    return gone
