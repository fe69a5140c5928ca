"""`analysis release {major|minor|patch} --note "..."`: publish a data release.

The data version is the semantic `version` of data/curated/datapackage.json. A release bumps it, sets CITATION.cff's
version and date, prepends a CHANGELOG.md entry (the note, the change reports written since the last release and
the verdict log rows recorded since then) and appends a row to data/changes/releases.csv: the release's content
hash (`fingerprint.data_version()` after the bump), the verdict log's length and the change reports it covered.
A release is refused while the curated data hash equals the last release's. `--initial` records the current
version as the first release (CHANGELOG.md's first entry: the tables and their row counts).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from analysis import settings
from analysis.checks import verdicts
from analysis.data import fingerprint, records
from analysis.data.files import relative, write_atomic
from analysis.data.textsafety import has_controls, one_line

PARTS = ("major", "minor", "patch")
COLUMNS = ["version", "date", "data_version", "verdict_rows", "change_reports"]
HEADER = "# Changelog\n\nData releases of the curated tables (`analysis release`); newest first.\n"
INITIAL_NOTE = (
    "First data release: the curated tables below, the corrections log (data/corrections.csv) and the verdict log "
    "(data/changes/verdicts.csv, {n} rows)."
)
REPORT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-(cns|csis)(-\d+)?\.md")


class ReleaseError(ValueError):
    """A release refused; one line (exit 1)."""


class NoteError(ValueError):
    """A --note or part the release cannot take (exit 2)."""


@dataclass(frozen=True)
class Paths:
    curated: Path
    changes: Path
    changelog: Path
    citation: Path

    @classmethod
    def default(cls) -> Paths:
        return cls(
            settings.CURATED_DIR, settings.CHANGES_DIR, settings.ROOT / "CHANGELOG.md", settings.ROOT / "CITATION.cff"
        )

    @property
    def package(self) -> Path:
        return self.curated / "datapackage.json"

    @property
    def releases(self) -> Path:
        return self.changes / "releases.csv"

    @property
    def log(self) -> Path:
        return self.changes / "verdicts.csv"


def bump(version: str, part: str) -> str:
    major, minor, patch = map(int, version.split("."))
    return {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }[part]


def read_package(paths: Paths) -> dict:
    return json.loads(paths.package.read_text(encoding="utf-8"))


def package_text(package: dict) -> str:
    """datapackage.json as the project writes it: 2-space indent, key order kept, UTF-8 as is."""
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def releases(paths: Paths) -> list[dict[str, str]]:
    return records.dicts(paths.releases) if paths.releases.exists() else []


def change_reports(paths: Paths) -> list[Path]:
    return sorted(p for p in paths.changes.glob("*.md") if REPORT_NAME.fullmatch(p.name))


def report_summary(path: Path) -> str:
    """A change report's summary line (the bold "added, changed" bullet), without its markdown."""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("- **"):
            return one_line(line[2:].replace("**", ""))
    return "no summary line"


def verdict_lines(log_rows: list[dict[str, str]], start: int) -> list[str]:
    """One line per log row from `start` on: the verdict's move, or which key figures moved."""
    out = []
    for i, row in enumerate(log_rows[start:], start):
        earlier = [r for r in log_rows[:i] if (r["claim_id"], r["setting"]) == (row["claim_id"], row["setting"])]
        change = SimpleNamespace(**row, old_figures=earlier[-1]["key_figures"] if earlier else "")
        out.append(f"{verdicts.describe(change)} ({row['date']}: {one_line(row['reason'])})")
    return out


def read_log(paths: Paths) -> list[dict[str, str]]:
    return verdicts.load(paths.log).to_dict("records")


def row_counts(paths: Paths, package: dict) -> list[str]:
    out = []
    for resource in package["resources"]:
        n = len(records.read(paths.curated / resource["path"])[1])
        out.append(f"`{resource['path']}`: {n} rows ({resource.get('title', resource['name'])})")
    return out


def entry(version: str, today: dt.date, data_version: str, note: str, sections: dict[str, list[str]]) -> str:
    out = [f"## {version} — {today.isoformat()}", "", f"Curated data hash `{data_version}`.", ""]
    if note:
        out += [note, ""]
    for title, items in sections.items():
        out += [f"### {title}", "", *(f"- {i}" for i in items or ["None."]), ""]
    return "\n".join(out)


def hash_with(paths: Paths, package: str) -> str:
    """The curated data hash once datapackage.json holds `package` (computed in a scratch copy)."""
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        staged = Path(tmp) / paths.curated.name
        shutil.copytree(paths.curated, staged)
        (staged / "datapackage.json").write_text(package, encoding="utf-8")
        return fingerprint.data_version(staged)


def set_citation(text: str, version: str, today: dt.date) -> str:
    for key, value in (("version", f'"{version}"'), ("date-released", f'"{today.isoformat()}"')):
        text, n = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
        if n != 1:
            raise ReleaseError(f"CITATION.cff: expected one top-level '{key}:' line, found {n}")
    return text


def prepend(changelog: str, new: str) -> str:
    body = changelog[len(HEADER) :] if changelog.startswith(HEADER) else changelog
    return f"{HEADER}\n{new}\n{body.lstrip()}".rstrip("\n") + "\n"


def releases_text(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def check_note(note: str) -> str:
    if not note.strip():
        raise NoteError("--note: say what this release is (it heads the changelog entry)")
    if has_controls(note):
        raise NoteError("--note: control characters (terminal escapes) are not kept; retype it as plain text")
    return one_line(note.strip())


@dataclass
class Plan:
    version: str
    entry: str
    package: str
    citation: str
    changelog: str
    releases: str


def plan(part: str | None, note: str, paths: Paths, today: dt.date, initial: bool = False) -> Plan:
    """What a release would write; raises ReleaseError when it is refused."""
    package = read_package(paths)
    done = releases(paths)
    log = read_log(paths)
    reports = change_reports(paths)
    if initial:
        if done:
            raise ReleaseError(f"{relative(paths.releases)}: already records release {done[-1]['version']}")
        version = package["version"]
        note = check_note(note) if note else INITIAL_NOTE.format(n=len(log))
        sections = {"Tables": row_counts(paths, package)}
    else:
        if part not in PARTS:
            raise NoteError(f"release: the part to bump is one of {', '.join(PARTS)}, not {part!r}")
        note = check_note(note)
        if not done:
            raise ReleaseError(f"{relative(paths.releases)}: no release recorded yet; run: analysis release --initial")
        last = done[-1]
        if fingerprint.data_version(paths.curated) == last["data_version"]:
            raise ReleaseError(
                f"the curated data have not changed since release {last['version']} "
                f"({last['data_version']}); nothing to release"
            )
        version = bump(package["version"], part)
        covered = {n for r in done for n in r["change_reports"].split(";") if n}
        reports = [p for p in reports if p.name not in covered]
        sections = {
            "Refreshes": [f"`{p.name}`: {report_summary(p)}" for p in reports],
            "Verdicts": verdict_lines(log, int(last["verdict_rows"])),
        }
    package["version"] = version
    new_package = package_text(package)
    data_version = hash_with(paths, new_package)
    text = entry(version, today, data_version, note, sections)
    changelog = paths.changelog.read_text(encoding="utf-8") if paths.changelog.exists() else HEADER
    row = {
        "version": version,
        "date": today.isoformat(),
        "data_version": data_version,
        "verdict_rows": str(len(log)),
        "change_reports": ";".join(p.name for p in reports),
    }
    return Plan(
        version,
        text,
        new_package,
        set_citation(paths.citation.read_text(encoding="utf-8"), version, today),
        prepend(changelog, text),
        releases_text([*done, row]),
    )


def write(p: Plan, paths: Paths) -> None:
    """datapackage.json first, the releases record last: it is what the next release compares with."""
    write_atomic(paths.package, p.package)
    write_atomic(paths.citation, p.citation)
    write_atomic(paths.changelog, p.changelog)
    write_atomic(paths.releases, p.releases)


def main(
    part: str | None,
    note: str = "",
    dry_run: bool = False,
    initial: bool = False,
    paths: Paths | None = None,
    today: dt.date | None = None,
) -> int:
    """Exit 1: the release is refused or the data cannot be read; 2: a bad part or --note, or a file error."""
    paths = paths or Paths.default()
    try:
        p = plan(part, note, paths, today or dt.date.today(), initial=initial)
        print(p.entry)
        if not dry_run:
            write(p, paths)
            print(
                f"released {p.version}: {relative(paths.package)}, {relative(paths.citation)}, {relative(paths.changelog)}"
            )
    except NoteError as e:
        print(one_line(f"error: {e}"), file=sys.stderr)
        return 2
    except OSError as e:
        print(one_line(f"error: cannot use {e.filename or 'a file'}: {e.strerror or e}"), file=sys.stderr)
        return 2
    except (ValueError, KeyError) as e:
        print(one_line(f"error: {e}"), file=sys.stderr)
        return 1
    return 0
