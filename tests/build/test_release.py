"""Data releases (`analysis release`): the version bump, CITATION.cff and CHANGELOG.md move together, on a scratch copy."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import pytest
import yaml

from analysis import settings
from analysis.build import release
from analysis.data import fingerprint

DAY = dt.date(2026, 12, 7)
REPORT = """# CNS refresh, 2026-12-07

- Release: `cns.xlsx` (sha256 0123456789ab), 450 rows, 1984-04-09 to 2026-11-30
- **2 added, 1 changed (1 field), 0 missing upstream**, 0 upstream differences kept
"""


def test_citation_is_valid_and_matches_the_data_version():
    citation = yaml.safe_load((settings.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors", "version", "date-released", "license"):
        assert key in citation, key
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == json.loads(settings.DATAPACKAGE.read_text(encoding="utf-8"))["version"]


@pytest.fixture
def paths(tmp_path):
    shutil.copytree(settings.CURATED_DIR, tmp_path / "curated")
    shutil.copytree(settings.CHANGES_DIR, tmp_path / "changes")
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copy(settings.ROOT / name, tmp_path / name)
    return release.Paths(
        tmp_path / "curated", tmp_path / "changes", tmp_path / "CHANGELOG.md", tmp_path / "CITATION.cff"
    )


def version(paths) -> str:
    return json.loads(paths.package.read_text(encoding="utf-8"))["version"]


def change_data(paths) -> None:
    """A schema edit, a refresh report and two verdict log rows: a verdict that moved and figures that moved."""
    package = json.loads(paths.package.read_text(encoding="utf-8"))
    package["description"] += " Edited."
    paths.package.write_text(release.package_text(package), encoding="utf-8")
    (paths.changes / "2026-12-07-cns.md").write_text(REPORT, encoding="utf-8")
    with paths.log.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    moved = {**rows[0], "date": DAY.isoformat(), "old_verdict": rows[0]["new_verdict"], "new_verdict": "mixed"}
    figures = {**rows[1], "date": DAY.isoformat(), "old_verdict": rows[1]["new_verdict"], "key_figures": '{"n": 1}'}
    with paths.log.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, release.verdicts.COLUMNS, lineterminator="\n").writerows(
            [{**r, "reason": "test edit"} for r in (moved, figures)]
        )


def snapshot(root) -> dict:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_bump_writes_all_three_files_consistently(paths):
    before = paths.package.read_text(encoding="utf-8")
    change_data(paths)
    assert release.main("minor", "A new CNS release", paths=paths, today=DAY) == 0
    new = release.bump(json.loads(before)["version"], "minor")
    text = paths.package.read_text(encoding="utf-8")
    assert json.loads(text)["version"] == new and text == release.package_text(json.loads(text))
    assert list(json.loads(text)) == list(json.loads(before))  # key order kept
    citation = yaml.safe_load(paths.citation.read_text(encoding="utf-8"))
    assert (citation["version"], citation["date-released"]) == (new, DAY.isoformat())
    changelog = paths.changelog.read_text(encoding="utf-8")
    assert changelog.startswith(release.HEADER)
    assert [line for line in changelog.splitlines() if line.startswith("## ")][:2] == [
        f"## {new} — {DAY.isoformat()}",
        f"## {json.loads(before)['version']} — {release.releases(paths)[-2]['date']}",
    ]
    last = release.releases(paths)[-1]
    assert (last["version"], last["data_version"]) == (new, fingerprint.data_version(paths.curated))
    assert f"`{last['data_version']}`" in changelog


def test_the_entry_lists_the_refresh_summary_and_the_verdict_changes(paths):
    change_data(paths)
    assert release.main("patch", "A new CNS release", paths=paths, today=DAY) == 0
    entry = paths.changelog.read_text(encoding="utf-8").split("\n## ")[1]
    assert "A new CNS release" in entry
    assert "`2026-12-07-cns.md`: 2 added, 1 changed (1 field), 0 missing upstream" in entry
    assert "verdict" in entry and "-> mixed (2026-12-07: test edit)" in entry
    assert "key figures changed (" in entry
    package = json.loads(paths.package.read_text(encoding="utf-8"))
    package["description"] += " Again."
    paths.package.write_text(release.package_text(package), encoding="utf-8")
    assert release.main("patch", "Schema wording", paths=paths, today=DAY) == 0
    second = paths.changelog.read_text(encoding="utf-8").split("\n## ")[1]
    assert "2026-12-07-cns.md" not in second and "-> mixed" not in second  # already released


def test_an_unchanged_data_version_is_refused(paths, capsys):
    change_data(paths)
    assert release.main("patch", "A new CNS release", paths=paths, today=DAY) == 0
    done = version(paths)
    capsys.readouterr()
    before = snapshot(paths.curated.parent)
    assert release.main("patch", "Nothing new", paths=paths, today=DAY) == 1
    err = capsys.readouterr().err
    assert f"have not changed since release {done}" in err and len(err.strip().splitlines()) == 1
    assert snapshot(paths.curated.parent) == before


def test_a_dry_run_writes_nothing(paths, capsys):
    change_data(paths)
    before = snapshot(paths.curated.parent)
    assert release.main("major", "Preview", dry_run=True, paths=paths, today=DAY) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"## {release.bump(version(paths), 'major')} — {DAY.isoformat()}") and "Preview" in out
    assert snapshot(paths.curated.parent) == before


def test_bad_input_is_refused(paths):
    change_data(paths)
    before = snapshot(paths.curated.parent)
    assert release.main("patch", "  ", paths=paths, today=DAY) == 2
    assert release.main("huge", "A note", paths=paths, today=DAY) == 2
    assert release.main("patch", "bad \x1b[31m note", paths=paths, today=DAY) == 2
    assert snapshot(paths.curated.parent) == before


def test_the_initial_release_records_the_tables_once(paths):
    paths.releases.unlink(missing_ok=True)
    paths.changelog.unlink()
    assert release.main(None, initial=True, paths=paths, today=DAY) == 0
    changelog = paths.changelog.read_text(encoding="utf-8")
    with (paths.curated / "nuclear_tests.csv").open(encoding="utf-8", newline="") as fh:
        assert f"`nuclear_tests.csv`: {len(list(csv.reader(fh))) - 1} rows" in changelog
    assert release.releases(paths)[-1]["data_version"] == fingerprint.data_version(paths.curated)
    assert release.main(None, initial=True, paths=paths, today=DAY) == 1
