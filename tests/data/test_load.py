"""The curated tables load and validate; each kind of bad input gets its own one-line error."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import reference_file
from typer.testing import CliRunner

from analysis import settings
from analysis.cli import app
from analysis.data import fingerprint, load, schema


def run_validate(curated: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", "--curated-dir", str(curated)])
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def curated(tmp_path) -> Path:
    """A scratch copy of the shipped tables to break."""
    target = tmp_path / "curated"
    shutil.copytree(settings.CURATED_DIR, target)
    return target


def edit(path: Path, row: int, column: str, value: str) -> int:
    """Set one cell (row counts data rows from 0); returns the file line of that row."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row + 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return row + 2


def test_shipped_tables_validate():
    code, lines = run_validate(settings.CURATED_DIR)
    assert code == 0, lines
    assert len(lines) == len(schema.tables(settings.DATAPACKAGE)) and all(line.endswith(": ok") for line in lines)


def test_frictionless_accepts_the_data_package():
    exe = Path(sys.executable).with_name("frictionless")
    out = subprocess.run([str(exe), "validate", str(settings.DATAPACKAGE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:]


def test_load_gives_typed_frames():
    frames = load.load_all()
    m = frames["missile_tests"]
    assert m["date_utc"].dtype.kind == "M" and m["date_kst"].dtype.kind == "M"
    assert isinstance(m["missile_class"].dtype, pd.CategoricalDtype)
    assert m["apogee_km"].dtype == "float64" and m["apogee_km"].isna().any()
    assert m["cns_threshold"].dtype == "boolean"
    assert frames["sanctions"]["resolution"].dtype == "Int64"


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("missile_tests.csv", "date_utc", "2017-13-01", "date_utc: '2017-13-01' is not a date (YYYY-MM-DD)"),
        ("missile_tests.csv", "distance_km", "far", "distance_km: 'far' is not a number"),
        ("missile_tests.csv", "missile_class", "LRBM", "missile_class: 'LRBM' is not one of: SRBM"),
        ("missile_tests.csv", "cns_threshold", "maybe", "cns_threshold: 'maybe' is not true or false"),
        ("missile_tests.csv", "date_kst", "2999-01-01", "date_kst: '2999-01-01' is in the future"),
        ("missile_tests.csv", "date_utc", "1970-01-01", "date_utc: '1970-01-01' is before 1984-01-01"),
        (
            "missile_tests.csv",
            "source_ids",
            "cns-nkmtd;no-such-source",
            "source_ids: 'no-such-source' is not a source_id in sources.csv",
        ),
        ("missile_tests.csv", "outcome", "", "outcome: a value is required"),
        (
            "sanctions.csv",
            "trigger_test_ids",
            "N1999-01-01",
            "trigger_test_ids: 'N1999-01-01' is not a test_id in nuclear_tests.csv or launch_id in missile_tests.csv",
        ),
        (
            "nuclear_tests.csv",
            "yield_source_id",
            "nobody",
            "yield_source_id: 'nobody' is not a source_id in sources.csv",
        ),
        ("diplomatic_events.csv", "end_date", "1994-01-01", "end_date: 1994-01-01 is before/below start_date"),
        ("missile_tests.csv", "apogee_km", "nan", "apogee_km: 'nan' is not a number"),
        ("missile_tests.csv", "distance_km", "-Infinity", "distance_km: '-Infinity' is not a number"),
        (
            "missile_tests.csv",
            "missile_name",
            "Hwa\x00song",
            "missile_name: 'Hwa\\x00song' contains a control character",
        ),
        ("diplomatic_events.csv", "title", "Summit\x1b[31m", "title: 'Summit\\x1b[31m' contains a control character"),
        ("economy.csv", "measure", "gdp", "measure: 'gdp' is not one of: gdp_growth"),
        ("economy.csv", "year", "1900", "year: 1900 is below the minimum 1984"),
        ("economy.csv", "source_ids", "bok-nk-gdp-series;nope", "source_ids: 'nope' is not a source_id in sources.csv"),
    ],
)
def test_bad_cell_is_named_with_its_line(curated, table, column, value, message):
    line = edit(curated / table, 3, column, value)
    code, lines = run_validate(curated)
    assert code == 1
    assert any(ln.startswith(f"{curated / table}:{line}: {message}") for ln in lines), lines


def test_a_bad_required_date_is_one_line(curated):
    line = edit(curated / "missile_tests.csv", 3, "date_utc", "2019-02-30")
    code, lines = run_validate(curated)
    named = [ln for ln in lines if f"missile_tests.csv:{line}:" in ln]
    assert code == 1 and len(named) == 1 and named[0].endswith("date_utc: '2019-02-30' is not a date (YYYY-MM-DD)"), (
        lines
    )


def test_duplicate_primary_key(curated):
    path = curated / "nuclear_tests.csv"
    edit(path, 1, "test_id", "N2006-10-09")
    code, lines = run_validate(curated)
    assert code == 1
    assert f"{path}:2: test_id: duplicate primary key 'N2006-10-09'" in lines
    assert f"{path}:3: test_id: duplicate primary key 'N2006-10-09'" in lines


def test_duplicate_key_of_several_columns(curated):
    path = curated / "economy.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[2][:2] = rows[1][:2]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    code, lines = run_validate(curated)
    assert code == 1
    key = f"year+measure: duplicate primary key ('{rows[1][0]}', '{rows[1][1]}')"
    assert f"{path}:2: {key}" in lines and f"{path}:3: {key}" in lines


def test_china_trade_totals_match_their_parts():
    """Where China's customs give exports, imports and the total, the total is their sum (to 1%, for rounding)."""
    from analysis.measures import economy

    table = economy.wide(load.load("economy")).dropna(subset=["china_exports", "china_imports", "china_trade_total"])
    assert len(table) >= 3
    parts = table["china_exports"] + table["china_imports"]
    assert ((parts - table["china_trade_total"]).abs() <= 0.01 * table["china_trade_total"]).all(), table


def test_missing_required_column(curated):
    path = curated / "sources.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="url").to_csv(path, index=False)
    code, lines = run_validate(curated)
    assert code == 1
    assert f"{path}:1: missing required column 'url'" in lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        ("test_id,date\nN1,caf\xe9\n".encode("cp1252"), "cannot read the file: not UTF-8"),
        (None, "cannot read the file: No such file or directory"),
    ],
)
def test_unreadable_file(curated, content, message):
    path = curated / "nuclear_tests.csv"
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    code, lines = run_validate(curated)
    assert code == 1
    assert any(ln.startswith(f"{path}: {message}") for ln in lines), lines


def test_load_all_raises_on_bad_data(curated):
    edit(curated / "missile_tests.csv", 0, "apogee_km", "high")
    with pytest.raises(load.DataError, match=r"missile_tests.csv:2: apogee_km: 'high' is not a number"):
        load.load_all(curated)


def test_validation_fixes_today_for_future_checks(curated):
    edit(curated / "sources.csv", 0, "accessed", (dt.date.today() + dt.timedelta(days=1)).isoformat())
    assert run_validate(curated)[0] == 1


def test_every_row_cites_a_source_that_resolves():
    frames = load.load_all()
    known = set(frames["sources"]["source_id"])
    for name, df in frames.items():
        if "source_ids" in df:
            cited = df["source_ids"].str.split(";").explode()
            assert cited.notna().all() and set(cited) <= known, name


def test_data_version_changes_with_the_data(curated):
    before = fingerprint.data_version(curated)
    edit(curated / "nuclear_tests.csv", 0, "mb", "4.4")
    assert fingerprint.data_version(curated) != before


# Logged corrections (data/corrections.csv) that change a per-year count: (year, measure) -> (ours - CNS, why).
# None moves a launch across a year boundary; one splits a CNS launch date in two.
COUNT_EXCEPTIONS = {
    (2006, "dates"): (
        1,
        "M20060704-01…06: six of the seven flew on 4 July UTC; CNS dates the whole salvo 5 July (local)",
    ),
    (2024, "missiles"): (6, "M20241104-02 to -07: Japan's defence ministry counted at least seven; CNS lists one"),
}


def test_cns_counts_per_year_match_the_reference():
    """Per year, CNS-threshold missiles and their distinct launch dates equal the CNS copy's, through its last day,
    except where a logged correction changes a count (COUNT_EXCEPTIONS names each)."""
    ref = [r for tb in json.loads(reference_file("test.en.json").read_text())["timeBins"] for r in tb["data"]]
    ref = pd.DataFrame({"date": [r["date"] for r in ref]})
    ref["year"] = ref["date"].str[:4].astype(int)
    expected = ref.groupby("year").agg(missiles=("date", "size"), dates=("date", "nunique"))
    m = load.load("missile_tests")
    ours = m[m["cns_threshold"] & (m["date_utc"] <= pd.Timestamp(ref["date"].max()))]
    ours = (
        ours.assign(year=ours["date_utc"].dt.year)
        .groupby("year")
        .agg(missiles=("date_utc", "size"), dates=("date_utc", "nunique"))
    )
    assert list(ours.index) == list(expected.index)
    differences = {
        (year, measure): int(ours.at[year, measure] - expected.at[year, measure])
        for year in expected.index
        for measure in expected.columns
        if ours.at[year, measure] != expected.at[year, measure]
    }
    assert differences == {key: delta for key, (delta, _) in COUNT_EXCEPTIONS.items()}
