"""The curated tables as one SQLite database (reports/data/nk-data.sqlite), typed and keyed as datapackage.json
declares them, with `_meta` (data version, package, licence, build time) and `_fields` (every field described).

Standard library only: published by `staleness.publish_data` and `make reports`, it must not slow a no-op render."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from analysis import settings
from analysis.data import fingerprint
from analysis.data.files import write_atomic

FILENAME = "nk-data.sqlite"
# Bumped when the database changes form, so a file built before is built again.
FORM = "1"
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}
_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _resources(curated_dir: Path, package: dict) -> list[dict]:
    """The resources that are plain, regular files in the curated folder with a schema (publish_data warns about
    the rest)."""
    out = []
    for r in package.get("resources", []):
        path, sch = r.get("path"), r.get("schema")
        if not (isinstance(path, str) and re.fullmatch(r"[A-Za-z0-9][\w.-]*", path) and isinstance(sch, dict)):
            continue
        if (curated_dir / path).is_symlink() or not (curated_dir / path).is_file():
            continue
        out.append(r)
    return out


def _column(field: dict, key: tuple[str, ...]) -> str:
    name, kind = _q(field["name"]), field.get("type", "string")
    checks = []
    if kind == "boolean":
        checks.append(f"{name} IN (0, 1)")
    elif kind == "date":
        checks.append(f"{name} GLOB '{_DATE}' AND date({name}, '+0 days') = {name}")  # the modifier rolls 02-30 on
    if enum := field.get("constraints", {}).get("enum"):
        checks.append(f"{name} IN ({', '.join(_literal(v) for v in enum)})")
    sql = f"{name} {SQL_TYPES.get(kind, 'TEXT')}"
    if field["name"] in key:
        sql += " NOT NULL"
    return sql + "".join(f" CHECK ({c})" for c in checks)


def _literal(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _create(resource: dict, built: set[str]) -> str:
    sch = resource["schema"]
    key = tuple(_list(sch.get("primaryKey")))
    parts = [_column(f, key) for f in sch["fields"]]
    if key:
        parts.append(f"PRIMARY KEY ({', '.join(map(_q, key))})")
    for fk in sch.get("foreignKeys", []):
        parent = fk["reference"].get("resource") or resource["name"]  # "" is the table itself
        if parent in built:
            cols, refs = _list(fk["fields"]), _list(fk["reference"]["fields"])
            parts.append(
                f"FOREIGN KEY ({', '.join(map(_q, cols))}) REFERENCES {_q(parent)} ({', '.join(map(_q, refs))})"
            )
    return f"CREATE TABLE {_q(resource['name'])} (\n  " + ",\n  ".join(parts) + "\n)"


def _value(kind: str, text: str):
    """A CSV cell as SQLite stores it: empty is NULL, true/false are 1/0, numbers are numbers."""
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return {"true": 1, "false": 0}.get(text, text)  # anything else is refused by the CHECK
    return text


def _rows(path: Path, fields: list[dict]) -> list[tuple]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        kinds = [f.get("type", "string") for f in fields]
        try:
            where = [header.index(f["name"]) for f in fields]
            return [tuple(_value(k, row[i]) for k, i in zip(kinds, where, strict=True)) for row in reader]
        except (ValueError, IndexError) as e:
            raise ValueError(f"{path.name}:{reader.line_num}: {e}") from None


def _meta(package: dict, version: str, built_at: str) -> list[tuple[str, str]]:
    licences = "; ".join(lic.get("name") or lic.get("path", "") for lic in package.get("licenses", []))
    meta = {
        "data_version": version,
        "package_name": package.get("name"),
        "package_version": package.get("version"),
        "license": licences or None,
        "built_at": built_at,
        "form": FORM,
    }
    return [(k, str(v)) for k, v in meta.items() if v is not None]


def content(curated_dir: Path, built_at: str) -> bytes:
    """The database file's bytes: the same for the same data and `built_at`."""
    curated_dir = Path(curated_dir)
    package = json.loads((curated_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = _resources(curated_dir, package)
    built = {r["name"] for r in resources}
    db = sqlite3.connect(":memory:", isolation_level=None)  # one explicit transaction; dropped on any error
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN")
        db.execute("PRAGMA defer_foreign_keys = ON")  # parents may load after their children
        db.execute("CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.executemany(
            "INSERT INTO _meta VALUES (?, ?)", _meta(package, fingerprint.data_version(curated_dir), built_at)
        )
        db.execute(
            'CREATE TABLE _fields ("table" TEXT NOT NULL, field TEXT NOT NULL, type TEXT NOT NULL,'
            ' description TEXT, PRIMARY KEY ("table", field))'
        )
        for r in resources:
            db.execute(_create(r, built))
        for r in resources:
            fields = r["schema"]["fields"]
            marks = ", ".join("?" * len(fields))
            db.executemany(f"INSERT INTO {_q(r['name'])} VALUES ({marks})", _rows(curated_dir / r["path"], fields))
            db.executemany(
                "INSERT INTO _fields VALUES (?, ?, ?, ?)",
                [(r["name"], f["name"], f.get("type", "string"), f.get("description")) for f in fields],
            )
        if broken := db.execute("PRAGMA foreign_key_check").fetchall():
            table, rowid, parent, _ = broken[0]
            raise ValueError(f"{len(broken)} foreign key(s) broken, first: {table} row {rowid} -> {parent}")
        db.execute("COMMIT")
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()


def _built(path: Path) -> dict[str, str]:
    """The `_meta` of the database at `path`; {} when there is none (or a link, or not a database)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read()
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(raw)
        return dict(db.execute("SELECT key, value FROM _meta").fetchall())
    except sqlite3.Error:
        return {}
    finally:
        db.close()


def build(curated_dir: Path, out_path: Path) -> bool:
    """Write the database of `curated_dir` to `out_path` atomically (a link there is replaced, never followed);
    nothing is written when it already holds this data version. Returns whether it wrote."""
    last = _built(Path(out_path))
    if last.get("data_version") == fingerprint.data_version(curated_dir) and last.get("form") == FORM:
        return False
    write_atomic(Path(out_path), content(curated_dir, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    return True


def publish() -> None:
    """reports/data/nk-data.sqlite, built from the curated data when it changed; a warning when it cannot be."""
    try:
        build(settings.CURATED_DIR, settings.REPORTS_DIR / "data" / FILENAME)
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as e:
        print(f"warning: reports/data/{FILENAME} not built: {e}", file=sys.stderr)
