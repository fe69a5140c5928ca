"""The data version (a hash of the curated folder) and the date the data cover."""

from __future__ import annotations

import json

from analysis.data import fingerprint


def curated(tmp_path, **tables: str):
    resources = [{"name": name, "path": f"{name}.csv"} for name in tables]
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    for name, text in tables.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_version_changes_with_any_file_name_or_content_and_nothing_else(tmp_path):
    folder = curated(tmp_path, sanctions="sanction_id,date\nS1,2016-03-02\n")
    version = fingerprint.data_version(folder)
    assert len(version) == 12 and fingerprint.data_version(folder) == version
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert fingerprint.data_version(folder) == version
    (folder / "sanctions.csv").write_text("sanction_id,date\nS1,2016-03-03\n", encoding="utf-8")
    changed = fingerprint.data_version(folder)
    assert changed != version
    (folder / "sanctions.csv").rename(folder / "renamed.csv")
    assert fingerprint.data_version(folder) not in (version, changed)


def test_data_as_of_is_the_latest_date_of_the_fact_tables_only(tmp_path):
    folder = curated(
        tmp_path,
        missile_tests="missile_id,date_kst\nM1,2019-05-04\nM2,2017-11-29\n",
        diplomatic_events="event_id,start_date,end_date\nE1,2019-02-27,2019-02-28\n",
        sources="source_id,accessed\ns,2026-01-01\n",  # an access date is not what the data cover
    )
    assert fingerprint.data_as_of(folder) == "2019-05-04"
    (folder / "missile_tests.csv").write_text("missile_id,date_kst\n", encoding="utf-8")
    assert fingerprint.data_as_of(folder) == "2019-02-28"
