"""`analysis refresh cns`: merge a CNS release into missile_tests.csv, report, write atomically, validate.

Every upstream file here is built by the tests from the project's own table (cns.COLUMNS and the
reverse of the mapping), never copied from CNS.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import copy_curated, reference_file
from typer.testing import CliRunner
from upstream_files import new_launch, release, table_rows, write_csv, write_xlsx

from analysis import settings
from analysis.cli import app
from analysis.data import cns, load, refresh

TODAY = dt.date.today()  # validation rejects dates after it: a fixed day fails once the data are newer


# ---------------------------------------------------------------- fixtures: upstream files built from the table


@pytest.fixture
def project(tmp_path) -> Path:
    """A scratch copy of the curated tables and the corrections log; data/changes/ next to it."""
    return copy_curated(tmp_path)


def run(project: Path, path: Path, *, dry_run: bool = False, capsys=None) -> tuple[int, str, str]:
    code = refresh.refresh(
        path, dry_run=dry_run, curated_dir=project / "curated", changes_dir=project / "changes", today=TODAY
    )
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def table_bytes(project: Path) -> bytes:
    return (project / "curated" / "missile_tests.csv").read_bytes()


def reports(project: Path) -> list[Path]:
    return sorted((project / "changes").glob("*.md")) if (project / "changes").exists() else []


# ---------------------------------------------------------------- the acceptance case


def test_two_new_launches_are_added_reported_and_validate(project, tmp_path, capsys):
    before = table_rows(project / "curated")
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0), new_launch(1)])
    code, out, err = run(project, path, capsys=capsys)
    assert code == 0, err
    after = table_rows(project / "curated")
    added = [r for r in after if r["missile_id"] not in {b["missile_id"] for b in before}]
    assert [r["missile_id"] for r in added] == ["M20260914-01", "M20261002-01"]
    a, b = added
    assert (a["launch_id"], a["time_utc"], a["date_kst"], a["date_kst_basis"]) == (
        "L2026-09-14",
        "22:40",
        "2026-09-15",
        "utc_time",
    )
    assert (a["missile_class"], a["class_basis"], a["apogee_km"], a["distance_km"]) == (
        "ICBM",
        "cns",
        "6100.0",
        "1010.0",
    )
    assert (a["cns_threshold"], a["origin"], a["source_ids"], a["note"], a["outcome"]) == (
        "true",
        "cns",
        "cns-nkmtd",
        "",
        "success",
    )
    # 'Unknown' type classed by the distance band; no time: KST date assumed equal; unknown text fields.
    assert (b["missile_class"], b["class_basis"], b["date_kst"], b["date_kst_basis"]) == (
        "MRBM",
        "range",
        "2026-10-02",
        "assumed_same",
    )
    assert (b["facility"], b["latitude"], b["missile_name"], b["confirmed"], b["outcome"]) == (
        "unknown",
        "",
        "Unknown",
        "false",
        "unknown",
    )
    # nothing else moved
    assert [r for r in after if r not in added] == before
    assert "2 added, 0 changed (0 fields), 0 missing upstream" in out
    assert "| M20260914-01 |" in out and "| M20261002-01 |" in out
    [rep] = reports(project)
    assert rep.name == f"{TODAY.isoformat()}-cns.md"
    assert "M20260914-01" in rep.read_text(encoding="utf-8")
    assert "make reports" in rep.read_text(encoding="utf-8")
    assert load.check(project / "curated", TODAY)[1] == []
    assert "TEST-ONLY" not in table_bytes(project).decode()


def test_refreshing_twice_changes_nothing_the_second_time(project, tmp_path, capsys):
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0), new_launch(1)])
    assert run(project, path, capsys=capsys)[0] == 0
    first = table_bytes(project)
    code, out, _ = run(project, path, capsys=capsys)
    assert code == 0
    assert "0 added, 0 changed (0 fields), 0 missing upstream" in out and "nothing written" in out
    assert table_bytes(project) == first
    assert len(reports(project)) == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_current_table_as_a_release_gives_a_byte_identical_file(project, tmp_path, capsys, fmt):
    before = table_bytes(project)
    rows = release(project / "curated")
    path = write_xlsx(tmp_path / "cns.xlsx", rows) if fmt == "xlsx" else write_csv(tmp_path / "cns.csv", rows)
    code, out, _ = run(project, path, capsys=capsys)
    assert code == 0
    assert "0 added, 0 changed (0 fields), 0 missing upstream**" in out
    assert "0 corrected values changed upstream, **0 unexplained after the refresh**" in out
    assert table_bytes(project) == before
    assert reports(project) == []
    # and the writer itself reproduces the file byte for byte
    columns, table = refresh.read_table(project / "curated" / "missile_tests.csv")
    assert refresh.table_bytes(columns, table) == before


def test_the_reference_cns_export_adds_nothing_and_reverts_no_correction(project, capsys):
    before = table_bytes(project)
    code, out, _ = run(project, reference_file("north_korea_missile_test_database.csv"), capsys=capsys)
    assert code == 0, out
    assert "- **0 added, 0 changed (0 fields), 0 missing upstream**" in out
    assert "0 corrected values changed upstream, **0 unexplained after the refresh**" in out
    assert table_bytes(project) == before and reports(project) == []


# ---------------------------------------------------------------- changes, removals, the project's own rows


def test_a_changed_apogee_is_reported_and_written(project, tmp_path, capsys):
    rows = release(project / "curated")
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    i = next(k for k, r in enumerate(table) if r["missile_id"] == "M20170513-01")  # Hwasong-12, apogee 2111.5
    rows[i]["Apogee"] = "2,150 km"
    code, out, _ = run(project, write_xlsx(tmp_path / "cns.xlsx", rows), capsys=capsys)
    assert code == 0
    assert "- `M20170513-01`: apogee_km: 2111.5 → 2150.0" in out
    assert "0 added, 1 changed (1 field)" in out
    after = {r["missile_id"]: r for r in table_rows(project / "curated")}
    assert after["M20170513-01"]["apogee_km"] == "2150.0"
    [rep] = reports(project)
    assert "apogee_km: 2111.5 → 2150.0" in rep.read_text(encoding="utf-8")


def test_a_new_launch_time_moves_the_kst_date(project, tmp_path, capsys):
    rows = release(project / "curated")
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    i = next(
        k
        for k, r in enumerate(table)
        if r["time_utc"] == "" and r["date_kst_basis"] == "assumed_same" and r["note"] == ""
    )
    mid = table[i]["missile_id"]
    rows[i]["Launch Time (UTC)"] = "11:30:00 PM"
    assert run(project, write_xlsx(tmp_path / "cns.xlsx", rows), capsys=capsys)[0] == 0
    row = next(r for r in table_rows(project / "curated") if r["missile_id"] == mid)
    kst = (dt.date.fromisoformat(row["date_utc"]) + dt.timedelta(days=1)).isoformat()
    assert (row["time_utc"], row["date_kst"], row["date_kst_basis"]) == ("23:30", kst, "utc_time")


def test_the_alignment_names_the_row_missing_from_the_middle_of_a_salvo(project, tmp_path):
    rows = release(project / "curated")
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    # drop the middle of a salvo whose rows differ: the alignment must name that row, not the last one
    i = next(k for k, r in enumerate(table) if r["missile_id"] == "M20220605-04")
    dropped = rows.pop(i)
    assert dropped["Apogee"] != rows[i - 1]["Apogee"] or dropped["Facility Name"] != rows[i - 1]["Facility Name"]
    columns, current = refresh.read_table(project / "curated" / "missile_tests.csv")
    log = refresh.corrections_log(project / "curated")
    plan = refresh.make_plan(cns.read(write_xlsx(tmp_path / "cns.xlsx", rows)), columns, current, log)
    assert [r["missile_id"] for r in plan.missing] == ["M20220605-04"] and not plan.changed


def test_a_row_missing_upstream_is_refused_until_the_log_explains_it_and_never_deleted(project, tmp_path, capsys):
    before = table_bytes(project)
    rows = release(project / "curated")
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    i = max(k for k, r in enumerate(table) if r["date_utc"] == "2022-06-05")  # the salvo's last missile
    gone = table[i]["missile_id"]
    rows.pop(i)
    path = write_xlsx(tmp_path / "cns.xlsx", rows)
    code, out, err = run(project, path, capsys=capsys)
    assert code == 1 and "0 added, 0 changed (0 fields), 1 missing upstream" in out
    assert f"- `{gone}` 2022-06-05" in out and f"{gone}: row: ours {gone}" in out
    assert err.count("\n") == 1 and "does not explain" in err
    assert table_bytes(project) == before and reports(project) == []
    with (project / "corrections.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"cns-csv,{gone},row,*,dropped from this release; kept until CNS says why,cns-nkmtd\n")
    code, out, _ = run(project, path, capsys=capsys)
    assert code == 0 and "**0 unexplained after the refresh**" in out
    assert table_bytes(project) == before  # kept: removal is the analyst's decision


def test_corrected_values_stay_and_the_log_says_why(project, tmp_path, capsys):
    before = table_bytes(project)
    code, out, _ = run(project, write_csv(tmp_path / "cns.csv", release(project / "curated")), capsys=capsys)
    assert code == 0 and "0 added, 0 changed" in out
    assert (
        "- `M20220104-01` date_utc: 2022-01-04 (upstream 2022-01-05) — kept (log: the spreadsheet gives the local date"
        in out
    )
    assert "- `M20220129-01` time_utc: 22:52 (upstream 23:52) — kept (log: the ROK JCS gave 07:52 KST" in out
    assert table_bytes(project) == before


def test_a_launch_the_log_moved_is_matched_under_its_upstream_date_not_added_again(project, tmp_path, capsys):
    rows = release(project / "curated")
    assert any(r["Date"] == "5-Jul-09" for r in rows)  # upstream dates the 4 July 2009 salvo a day late
    code, out, _ = run(project, write_csv(tmp_path / "cns.csv", rows), dry_run=True, capsys=capsys)
    assert code == 0 and "0 added" in out and "0 missing upstream" in out
    assert "`M20090704-01` date_utc: 2009-07-04 (upstream 2009-07-05) — kept (log: CNS date is a day late" in out


def test_upstream_changing_a_corrected_value_is_held_for_review(project, tmp_path, capsys):
    before = table_bytes(project)
    rows = release(project / "curated")
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    i = next(k for k, r in enumerate(table) if r["missile_id"] == "M20220129-01")
    rows[i]["Launch Time (UTC)"] = "11:30:00 PM"  # the log records 23:52 as upstream's error
    code, out, err = run(project, write_csv(tmp_path / "cns.csv", rows), capsys=capsys)
    assert code == 1 and table_bytes(project) == before
    assert "1 corrected values changed upstream" in out
    assert "- `M20220129-01` time_utc: 22:52 — upstream now says 23:30; the log says 23:52; review" in out
    assert "M20220129-01: time_utc: ours 22:52, reference 23:30: UNEXPLAINED" in err


def test_csis_rows_are_never_changed_and_overlapping_launches_are_held_for_review(project, tmp_path, capsys):
    curated = project / "curated"
    before = table_bytes(project)
    overlap = {**new_launch(0), "Date": "20-Aug-26", "Launch Time (UTC)": "11:00:00 PM", "Missile Type": "SRBM"}
    path = write_xlsx(tmp_path / "cns.xlsx", release(curated) + [overlap, new_launch(0)])
    code, out, err = run(project, path, capsys=capsys)
    assert "1 added" in out and "1 upstream rows to review" in out
    assert "table has `M20260820-01`" in out
    # the held launch is a disagreement nothing explains yet: nothing is written until the rows are reconciled
    assert code == 1 and "2026-08-20: launch" in err and table_bytes(project) == before


def test_an_empty_upstream_value_never_erases_a_known_one(project, tmp_path, capsys):
    rows = release(project / "curated")
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    i = next(k for k, r in enumerate(table) if r["distance_km"] and r["facility"] != "unknown")
    rows[i].update({"Distance Travelled": "Unknown", "Facility Name": "", "Missile Name": "Unknown"})
    before = table_bytes(project)
    code, out, _ = run(project, write_xlsx(tmp_path / "cns.xlsx", rows), dry_run=True, capsys=capsys)
    assert table_bytes(project) == before
    assert (
        f"`{table[i]['missile_id']}` distance_km: {table[i]['distance_km']} (upstream (none)) — kept (CNS gives no value)"
        in out
    )
    assert code == 1  # a value upstream no longer gives is a disagreement to explain before a refresh writes


def test_a_new_launch_on_an_existing_date_takes_the_next_number(project, tmp_path, capsys):
    rows = release(project / "curated")
    extra = {
        **new_launch(0),
        "Date": "5-Jun-22",
        "Launch Time (UTC)": "",
        "Missile Type": "SRBM",
        "Missile Name": "KN-25",
    }
    table = [r for r in table_rows(project / "curated") if r["origin"] == "cns"]
    last = max(k for k, r in enumerate(table) if r["date_utc"] == "2022-06-05")
    rows.insert(last + 1, extra)
    code, out, _ = run(project, write_xlsx(tmp_path / "cns.xlsx", rows), capsys=capsys)
    assert code == 0 and "1 added, 0 changed" in out
    ids = [r["missile_id"] for r in table_rows(project / "curated")]
    assert ids.index("M20220605-09") == ids.index("M20220605-08") + 1


def test_dry_run_changes_nothing(project, tmp_path, capsys):
    before = table_bytes(project)
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0)])
    code, out, _ = run(project, path, dry_run=True, capsys=capsys)
    assert code == 0 and "(dry run)" in out and "1 added" in out and "nothing written" in out
    assert table_bytes(project) == before and reports(project) == []


def test_a_table_that_fails_validation_is_never_written(project, tmp_path, capsys):
    before = table_bytes(project)
    future = {**new_launch(0), "Date": "3-Jan-30"}  # after today: the validation rejects it
    code, _, err = run(
        project, write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [future]), capsys=capsys
    )
    assert code == 1
    assert "in the future" in err and "missile_tests.csv is unchanged; nothing written" in err
    assert table_bytes(project) == before and reports(project) == []
    assert not list((project / "curated").glob(".*.tmp"))


# ---------------------------------------------------------------- the cp1252 CSV variant


def test_cp1252_csv_with_cns_formats(project, tmp_path, capsys):
    rows = release(project / "curated") + [
        {**new_launch(0), "Facility Name": "Sohae Launch Pad – East (Réf)", "Missile Name": "Hwasong-20 “B”"},
        {**new_launch(1), "Date": "Oct-26", "Launch Time (UTC)": "12:05:00 AM"},
    ]
    path = write_csv(tmp_path / "cns.csv", rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    code, out, err = run(project, path, capsys=capsys)
    assert code == 0, err
    added = {r["missile_id"]: r for r in table_rows(project / "curated") if r["date_utc"] >= "2026-09-01"}
    assert added["M20260914-01"]["facility"] == "Sohae Launch Pad – East (Réf)"
    assert added["M20260914-01"]["missile_name"] == "Hwasong-20 “B”"
    month = added["M20261001-01"]
    assert (month["date_precision"], month["date_kst_basis"], month["time_utc"], month["distance_km"]) == (
        "month",
        "month_only",
        "00:05",
        "1380.0",
    )


# ---------------------------------------------------------------- bad input: one line, nothing changed


def bad_inputs(tmp_path: Path, rows: list[dict[str, str]]):
    broken = [dict(r) for r in rows[:5]]
    broken[2]["Apogee"] = "very high"
    yield (
        "no sheet",
        write_xlsx(tmp_path / "nosheet.xlsx", rows[:3], sheet="Sheet1"),
        "no sheet 'Missile Tests' (sheets: 'About', 'Sheet1')",
    )
    cols = [c for c in cns.COLUMNS if c not in ("Apogee", "Test Outcome")]
    yield (
        "missing columns",
        write_xlsx(tmp_path / "missing.xlsx", rows[:3], columns=cols),
        "missing column(s) 'Apogee', 'Test Outcome'",
    )
    cols = [("Apogee (km)" if c == "Apogee" else c) for c in cns.COLUMNS]
    yield (
        "renamed column",
        write_csv(tmp_path / "renamed.csv", rows[:3], columns=cols),
        "missing column(s) 'Apogee'; unexpected column(s) 'Apogee (km)' (renamed?)",
    )
    yield (
        "bad cell",
        write_xlsx(tmp_path / "badcell.xlsx", broken),
        "badcell.xlsx: row 4: Apogee: 'very high' is not a distance",
    )
    bad_date = [dict(r) for r in rows[:3]]
    bad_date[1]["Date"] = "31-Foo-22"
    yield (
        "bad date",
        write_csv(tmp_path / "baddate.csv", bad_date),
        "baddate.csv: row 3: Date: '31-Foo-22' is not a date",
    )
    bad_type = [dict(r) for r in rows[:3]]
    bad_type[0]["Missile Type"] = "Hypersonic"
    yield (
        "bad type",
        write_csv(tmp_path / "badtype.csv", bad_type),
        "row 2: Missile Type: 'Hypersonic' is not a missile type",
    )
    (tmp_path / "empty.xlsx").write_bytes(b"")
    yield "empty file", tmp_path / "empty.xlsx", "empty.xlsx: the file is empty"
    (tmp_path / "empty.csv").write_bytes(b"\r\n")
    yield "empty csv", tmp_path / "empty.csv", "empty.csv: the file is empty"
    yield "header only", write_csv(tmp_path / "header.csv", []), "header.csv: the file has a header but no rows"
    (tmp_path / "text.xlsx").write_text("this is not a workbook\n")
    yield "not a workbook (.xlsx)", tmp_path / "text.xlsx", "not an Excel workbook"
    with zipfile.ZipFile(tmp_path / "archive.xlsx", "w") as z:
        z.writestr("notes.txt", "a zip archive, not a workbook")
    yield "zip, not a workbook", tmp_path / "archive.xlsx", "archive.xlsx: not a readable Excel workbook"
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    yield "not a workbook (.pdf)", tmp_path / "report.pdf", "not a workbook: expected an .xlsx workbook"
    yield "no file", tmp_path / "absent.xlsx", "cannot read the file"


def test_bad_input_gets_one_line_and_changes_nothing(project, tmp_path, capsys):
    before = table_bytes(project)
    rows = release(project / "curated")
    for label, path, message in bad_inputs(tmp_path, rows):
        code, out, err = run(project, path, capsys=capsys)
        assert code == 1, label
        assert out == "", label
        assert err.count("\n") == 1 and message in err and err.endswith("nothing changed\n"), (label, err)
        assert table_bytes(project) == before and reports(project) == [], label


def test_the_cli_is_wired(project, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "CURATED_DIR", project / "curated")
    monkeypatch.setattr(settings, "CHANGES_DIR", project / "changes")
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0)])
    result = CliRunner().invoke(app, ["refresh", "cns", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "dry run: nothing written" in result.output
    result = CliRunner().invoke(app, ["refresh", "cns", str(tmp_path / "absent.xlsx")])
    assert result.exit_code == 1


@pytest.mark.slow  # runs `analysis verdicts` in a subprocess
def test_a_refresh_records_the_verdicts_it_changes(tmp_path):
    import subprocess

    from conftest import ANALYSIS

    shutil.copytree(settings.DATA_DIR, tmp_path / "data")
    log = tmp_path / "data" / "changes" / "verdicts.csv"
    before = log.read_text(encoding="utf-8")
    workbook = write_xlsx(tmp_path / "cns.xlsx", release(tmp_path / "data" / "curated") + [new_launch(0)])
    result = subprocess.run(
        [ANALYSIS, "refresh", "cns", str(workbook)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ANALYSIS_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    added = log.read_text(encoding="utf-8")[len(before) :]
    assert "c09-little-progress" in added and "CNS refresh from cns.xlsx" in added  # one more missile after Singapore
    assert "row(s) recorded" in result.stdout


# ---------------------------------------------------------------- the change report


def test_the_change_report_in_full(tmp_path):
    """Every section of the Markdown report, filled: a change to its template shows here line by line."""

    def launch(row, date, name, time_utc=None, missile_type="SRBM"):
        d = dt.date.fromisoformat(date)
        return cns.Launch(
            row, d, "day", time_utc, name, missile_type, "Sunan", None, None, 50.0, 350.0, "success", True
        )

    source, table = tmp_path / "cns.csv", tmp_path / "table.csv"
    source.write_bytes(b"release bytes\n")
    added = dict.fromkeys(refresh.ADDED_COLUMNS, "") | {
        "missile_id": "M20260914-01",
        "date_utc": "2026-09-14",
        "missile_name": "Hwasong|20",
        "missile_class": "ICBM",
        "confirmed": "true",
    }
    plan = refresh.Plan(
        columns=[],
        before=[{}] * 3,
        after=[{}] * 4,
        launches=[
            launch(2, "2026-09-14", "Hwasong-20", "22:40"),
            launch(3, "2026-10-02", "Unknown", missile_type=None),
        ],
        added=[added],
        changed={
            "M20250508-02": [("apogee_km", "", "60"), ("distance_km", "800", "800|1")],
            "M20250508-01": [("outcome", "unknown", "success")],
        },
        kept=[
            refresh.Kept("M2", "apogee_km", "700", "450", "log: JCS"),
            refresh.Kept("M1", "facility", "", "Sunan", "no value"),
        ],
        missing=[
            {"missile_id": "M20250101-01", "date_utc": "2025-01-01", "missile_name": "KN-25", "missile_class": "SRBM"}
        ],
        not_covered=[{"missile_id": "M20261101-01"}, {"missile_id": "M20261102-01"}],
        review=[
            (launch(4, "2026-10-02", "KN-23", "01:10"), ["M20261002-01", "M20261002-02"]),
            (launch(5, "2026-10-03", "KN-24"), ["M20261003-01"]),
        ],
        logged_out=[(launch(6, "2026-10-04", "Satellite"), "a satellite launch, not a missile")],
        upstream_moved=[refresh.Kept("M3", "distance_km", "", "900", "log: JCS")],
        unexplained=["M4 apogee_km: 1 vs 2"],
    )
    report = refresh.change_report(plan, source, table, dt.date(2026, 11, 1), dry_run=False)
    assert report == (
        f"# CNS refresh, 2026-11-01\n"
        f"\n"
        f"- Release: `{source}` (sha256 fee19ee9931c), 2 rows, 2026-09-14 to 2026-10-02\n"
        f"- Table: `{table}`, 3 rows before, 4 after\n"
        f"- **1 added, 2 changed (3 fields), 1 missing upstream**, 2 upstream differences kept, 2 upstream rows to review, 1 corrected values changed upstream, **1 unexplained after the refresh**\n"
        f"\n"
        f"## Added (1)\n"
        f"\n"
        f"| missile_id | date_utc | time_utc | date_kst | missile_name | missile_class | class_basis | facility | apogee_km | distance_km | outcome | confirmed |\n"
        f"|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| M20260914-01 | 2026-09-14 | — | — | Hwasong\\|20 | ICBM | — | — | — | — | — | true |\n"
        f"\n"
        f"## Changed (2 rows, 3 fields)\n"
        f"\n"
        f"- `M20250508-01`: outcome: unknown → success\n"
        f"- `M20250508-02`: apogee_km: — → 60; distance_km: 800 → 800\\|1\n"
        f"\n"
        f"## Missing upstream (1)\n"
        f"\n"
        f"In the table (origin cns) but not in this release. Kept; remove or re-attribute by hand if CNS dropped them.\n"
        f"\n"
        f"- `M20250101-01` 2025-01-01 KN-25 (SRBM)\n"
        f"\n"
        f"2 table rows (origin cns) are dated after the release's last date (2026-10-02): not compared, kept (M20261101-01 to M20261102-01).\n"
        f"\n"
        f"## To review (2)\n"
        f"\n"
        f"Upstream rows on a date the table already covers from the CSIS record (origin csis, inside CNS's criterion). Not added, to avoid counting a launch twice: switch the CSIS rows to `origin = cns`, `source_ids = cns-nkmtd` by hand if they are the same missiles, then refresh again.\n"
        f"\n"
        f"- {source} row 4: 2026-10-02 01:10 KN-23 (SRBM); table has `M20261002-01`, `M20261002-02`\n"
        f"- {source} row 5: 2026-10-03  KN-24 (SRBM); table has `M20261003-01`\n"
        f"\n"
        f"## Kept out by the corrections log (1)\n"
        f"\n"
        f"- {source} row 6: 2026-10-04 Satellite — a satellite launch, not a missile\n"
        f"\n"
        f"## Corrected values upstream has changed (1)\n"
        f"\n"
        f"The corrections log records the upstream error it corrects; upstream now gives another value. The table keeps its value: check the primary source, then update the log entry (or the row).\n"
        f"\n"
        f"- `M3` distance_km: — — log: JCS\n"
        f"\n"
        f"## Unexplained after the refresh (1)\n"
        f"\n"
        f"The new table audited against this release, as `analysis audit` does: disagreements neither the corrections log nor a row's note explains. The refresh writes nothing while any remain.\n"
        f"\n"
        f"- M4 apogee_km: 1 vs 2\n"
        f"\n"
        f"## Kept (2)\n"
        f"\n"
        f"Upstream differs, the table keeps its value (corrections log, project class, or no value upstream).\n"
        f"\n"
        f"- `M1` facility: — (upstream Sunan) — kept (no value)\n"
        f"- `M2` apogee_km: 700 (upstream 450) — kept (log: JCS)\n"
        f"\n"
        f"Reports built on the curated data are re-rendered by the next `make reports` (the curated data hash changes with this table).\n"
    )
    quiet = refresh.Plan(columns=[], before=[], after=[], launches=[launch(2, "2026-09-14", "X")])
    report = refresh.change_report(quiet, source, table, dt.date(2026, 11, 1), dry_run=True)
    assert (
        report.startswith("# CNS refresh, 2026-11-01 (dry run)\n") and report.count("\nNone.\n") == 5
    )  # added, changed, missing, corrected, kept
    assert "None: every disagreement" in report and "re-rendered" not in report
