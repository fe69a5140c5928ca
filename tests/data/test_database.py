"""The SQLite database of the curated tables (reports/data/nk-data.sqlite) and the conventions of the CSV downloads."""

from __future__ import annotations

import base64
import json
import re
import shutil
import sqlite3

import pandas as pd
import pytest

from analysis import settings
from analysis.data import database, fingerprint, load
from analysis.pages import report


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / database.FILENAME
    assert database.build(settings.CURATED_DIR, path)
    return path


@pytest.fixture(scope="module")
def frames():
    return load.load_all()


def connect(path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def test_every_table_with_its_rows_meta_and_fields(built, frames):
    db = connect(built)
    for name, df in frames.items():
        assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(df)
    meta = dict(db.execute("SELECT key, value FROM _meta"))
    assert meta["data_version"] == fingerprint.data_version()
    assert meta["package_name"] == "dprk-tests-diplomacy" and meta["license"] == "CC-BY-4.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["built_at"])
    described = db.execute(
        "SELECT type, description FROM _fields WHERE \"table\" = 'sanctions' AND field = 'resolution'"
    )
    assert described.fetchone() == ("integer", "Resolution number; empty for a vetoed draft.")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_types_keys_and_checks_are_enforced(built, tmp_path):
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(built, path)
    db = connect(path)
    typed = (
        "SELECT typeof(resolution), typeof(date), typeof(confirmed), typeof(distance_km) FROM sanctions, missile_tests"
    )
    assert db.execute(typed + " WHERE resolution AND distance_km LIMIT 1").fetchone() == (
        "integer",
        "text",
        "integer",
        "real",
    )
    row = db.execute("SELECT * FROM missile_tests LIMIT 1").fetchone()
    cols = [c[1] for c in db.execute("PRAGMA table_info(missile_tests)")]
    for column, bad in [("confirmed", 2), ("date_utc", "2024-02-30"), ("date_utc", "5 May 2024"), ("outcome", "meh")]:
        changed = dict(zip(cols, row, strict=True)) | {"missile_id": "M20990101-01", column: bad}
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            db.execute(f"INSERT INTO missile_tests VALUES ({', '.join('?' * len(cols))})", list(changed.values()))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("UPDATE nuclear_tests SET yield_source_id = 'no-such-source'")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute("INSERT INTO sources SELECT * FROM sources LIMIT 1")


def test_pandas_reads_back_the_loaded_rows(built, frames):
    db = connect(built)
    back = pd.read_sql("SELECT * FROM nuclear_tests", db)
    want = frames["nuclear_tests"]
    assert back["test_id"].tolist() == want["test_id"].tolist()
    assert back["date_utc"].tolist() == want["date_utc"].dt.strftime("%Y-%m-%d").tolist()
    assert back["mb"].tolist() == want["mb"].tolist()
    assert back["yield_kt_high"].fillna(-1).tolist() == want["yield_kt_high"].fillna(-1).tolist()
    missiles = pd.read_sql("SELECT confirmed, cns_threshold FROM missile_tests", db)
    assert missiles["confirmed"].astype(bool).tolist() == frames["missile_tests"]["confirmed"].tolist()


def test_a_no_op_rebuild_leaves_the_file_untouched(built):
    before = built.stat()
    content = built.read_bytes()
    assert not database.build(settings.CURATED_DIR, built)
    assert built.read_bytes() == content and built.stat().st_mtime_ns == before.st_mtime_ns
    assert database.content(settings.CURATED_DIR, "t") == database.content(settings.CURATED_DIR, "t")


def test_written_through_a_temp_file_and_a_link_is_replaced_never_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    target = tmp_path / "out" / database.FILENAME
    target.parent.mkdir()
    target.symlink_to(outside)
    assert database.build(settings.CURATED_DIR, target)
    assert outside.read_text() == "keep me" and not target.is_symlink()
    assert [p.name for p in target.parent.iterdir()] == [database.FILENAME]  # no temp file left
    assert connect(target).execute("SELECT count(*) FROM sources").fetchone()[0] > 0


def test_publish_data_builds_it_beside_the_curated_copies(tmp_path, monkeypatch):
    curated = tmp_path / "curated"
    shutil.copytree(settings.CURATED_DIR, curated)
    monkeypatch.setattr(settings, "CURATED_DIR", curated)
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path / "reports")
    database.publish()
    built = tmp_path / "reports" / "data" / database.FILENAME
    assert dict(connect(built).execute("SELECT key, value FROM _meta"))["data_version"] == fingerprint.data_version(
        curated
    )


def test_a_broken_foreign_key_stops_the_build(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(settings.CURATED_DIR, curated)
    nuclear = curated / "nuclear_tests.csv"
    nuclear.write_text(nuclear.read_text().replace(",usgs-", ",nowhere-", 1))
    sources = curated / "sources.csv"
    lines = sources.read_text().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    used = {r.split(",")[11] for r in nuclear.read_text().splitlines()[1:]}
    sources.write_text(header + "".join(r for r in rows if r.split(",")[0] not in used))
    with pytest.raises(ValueError, match="foreign key"):
        database.build(curated, tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


def payloads(html: str) -> dict[str, str]:
    return {
        name: base64.b64decode(payload).decode()
        for name, payload in re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', html)
    }


def test_csv_downloads_write_whole_numbers_booleans_and_dates_as_the_curated_files(frames):
    rows = pd.DataFrame(
        {
            "value": [90.0, None],
            "resolution": pd.array([1718, None], dtype="Int64"),
            "mb": [4.3, 6.3],
            "confirmed": pd.array([True, None], dtype="boolean"),
            "date_utc": pd.to_datetime(["2017-09-03", None]),
        }
    )
    want = "value,resolution,mb,confirmed,date_utc\n90,1718,4.3,true,2017-09-03\n,,6.3,,\n"
    assert report.csv_text(rows) == want
    assert base64.b64decode(report._payload(rows)).decode() == want
    link = payloads(report.download_link(rows, "rows.csv").data)
    section = payloads(report.data_and_method(frames, rows.assign(source_ids="usgs"), "rows.csv").data)
    published = report.PublishedCSV(rows, "rows.csv", "Download")._repr_mimebundle_()[0]
    assert link["rows.csv"] == want and published[report.CSV_MIME] == want
    assert section["rows.csv"].splitlines()[1] == "90,1718,4.3,true,2017-09-03,usgs"
    assert payloads(published["text/html"])["rows.schema.json"] == link["rows.schema.json"]
    fields = json.loads(link["rows.schema.json"])["fields"]
    assert [(f["name"], f["type"]) for f in fields] == [
        ("value", "integer"),
        ("resolution", "integer"),
        ("mb", "number"),
        ("confirmed", "boolean"),
        ("date_utc", "date"),
    ]
    assert fields[2]["description"] == "USGS body-wave magnitude (mb)."
    assert "source_ids" in [f["name"] for f in json.loads(section["rows.schema.json"])["fields"]]
