"""`analysis refresh cns`: merge a CNS release into missile_tests.csv, report, write atomically, validate.

Every upstream file here is built by the tests from the project's own table (cns.COLUMNS and the
reverse of the mapping), never copied from CNS.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_curated, reference_file
from typer.testing import CliRunner

from analysis import settings
from analysis.cli import app
from analysis.data import audit, cns, refresh
from analysis.data import load as data

TODAY = dt.date.today()  # validation rejects dates after it: a fixed day fails once the data are newer


# ---------------------------------------------------------------- fixtures: upstream files built from the table


def table_rows(curated: Path) -> list[dict[str, str]]:
    with (curated / "missile_tests.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def cns_date(iso: str, precision: str = "day") -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d:%b}-{d:%y}" if precision == "month" else f"{d.day}-{d:%b}-{d:%y}"


def cns_time(hhmm: str) -> str:
    if not hhmm:
        return ""
    h, m = map(int, hhmm.split(":"))
    return f"{h % 12 or 12}:{m:02d}:00 {'AM' if h < 12 else 'PM'}"


def cns_km(text: str) -> str:
    return f"{float(text):,g} km" if text else "Unknown"


def upstream(row: dict[str, str], **override) -> dict[str, str]:
    """A table row written the way CNS's sheet writes it."""
    out = {c: "" for c in cns.COLUMNS}
    out.update(
        {
            "Date": cns_date(row["date_utc"], row["date_precision"]),
            "Date Entered/Updated": "1-Nov-26",
            "Launch Time (UTC)": cns_time(row["time_utc"]),
            "Missile Name": row["missile_name"],
            "Missile Type": row["missile_class"] if row["class_basis"] == "cns" else "Unknown",
            "Facility Name": row["facility"] if row["facility"] != "unknown" else "Unknown",
            "Facility Latitude": row["latitude"] or "Unknown",
            "Facility Longitude": row["longitude"] or "Unknown",
            "Landing Location": "Unknown",
            "Apogee": cns_km(row["apogee_km"]),
            "Distance Travelled": cns_km(row["distance_km"]),
            "Confirmation Status": "Confirmed" if row["confirmed"] == "true" else "Unconfirmed",
            "Test Outcome": row["outcome"].capitalize(),
            "Additional Information": "TEST-ONLY free text that must never reach the table.",
            "Source(s)": "https://example.org/test-fixture",
        }
    )
    out.update(override)
    return out


def release(curated: Path) -> list[dict[str, str]]:
    """The current table's CNS rows as a CNS release would give them (what a refresh with no news would read): the
    values the corrections log records as upstream's errors put back in place of the corrected ones."""
    rows = table_rows(curated)
    _, sources = refresh.read_table(curated / "sources.csv")
    log = audit.Audit(rows, audit.read_log(curated.parent / "corrections.csv", {r["source_id"] for r in sources}))
    fields = ("date_utc", *refresh.UPDATABLE)
    return [
        upstream({**r, **{f: v for f in fields if (v := log.logged_value("cns-csv", r, f)) is not None}})
        for r in rows
        if r["origin"] == "cns"
    ]


NEW_LAUNCHES = [  # two invented launches after the table's last date
    {
        "Date": "14-Sep-26",
        "Launch Time (UTC)": "10:40:00 PM",
        "Missile Name": "Hwasong-20",
        "Missile Type": "ICBM",
        "Facility Name": "Pyongyang International Airport",
        "Facility Latitude": "39.200159",
        "Facility Longitude": "125.673256",
        "Apogee": "6,100 km",
        "Distance Travelled": "1,010 km",
        "Confirmation Status": "Confirmed",
        "Test Outcome": "Success",
    },
    {
        "Date": "2-Oct-26",
        "Launch Time (UTC)": "",
        "Missile Name": "Unknown",
        "Missile Type": "Unknown",
        "Facility Name": "Unknown",
        "Facility Latitude": "Unknown",
        "Facility Longitude": "Unknown",
        "Apogee": "50 km",
        "Distance Travelled": "1,380 km",
        "Confirmation Status": "Unconfirmed",
        "Test Outcome": "Unknown",
    },
]


def new_launch(i: int) -> dict[str, str]:
    return {**{c: "" for c in cns.COLUMNS}, **NEW_LAUNCHES[i]}


def write_xlsx(path: Path, rows: list[dict[str, str]], *, sheet: str = cns.SHEET, columns=cns.COLUMNS) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "About"
    ws = wb.create_sheet(sheet)
    ws.append(list(columns))
    for i, r in enumerate(rows, 1):
        ws.append([i if c == "F1" else r.get(c, "") for c in columns])
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, str]], *, columns=cns.COLUMNS, encoding: str = "cp1252") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for i, r in enumerate(rows, 1):
            w.writerow([i if c == "F1" else r.get(c, "") for c in columns])
    return path


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
    assert data.check(project / "curated", TODAY)[1] == []
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


# ---------------------------------------------------------------- the cp1252 CSV variant and Excel-typed cells


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


def test_xlsx_with_excel_date_and_time_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = cns.SHEET
    ws.append(["North Korea Missile Test Database"])  # a title row above the header
    ws.append(list(cns.COLUMNS))
    values = {
        **new_launch(0),
        "Date": dt.datetime(2026, 9, 14),
        "Launch Time (UTC)": dt.time(22, 40),
        "Facility Latitude": 39.200159,
        "Facility Longitude": 125.673256,
    }
    ws.append([values.get(c, "") for c in cns.COLUMNS])
    ws.cell(3, 2).number_format = "d-mmm-yy"
    ws.append([{**values, "Date": dt.datetime(1984, 9, 1)}.get(c, "") for c in cns.COLUMNS])
    ws.cell(4, 2).number_format = "mmm-yy"
    wb.save(tmp_path / "typed.xlsx")
    a, b = cns.read(tmp_path / "typed.xlsx")
    assert (a.row, a.date, a.precision, a.time_utc, a.latitude) == (3, dt.date(2026, 9, 14), "day", "22:40", 39.200159)
    assert (b.date, b.precision) == (dt.date(1984, 9, 1), "month")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12:40:00 AM", "00:40"),
        ("12:29:00 PM", "12:29"),
        ("9:20:00 AM", "09:20"),
        ("11:51:00 PM", "23:51"),
        ("10:36:20 PM", "22:36"),
        ("22:10", "22:10"),
        ("", None),
        ("Unknown", None),
    ],
)
def test_parse_time(text, expected):
    assert cns.parse_time(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,380 km", 1380.0),
        ("2111.5 km", 2111.5),
        ("200 km", 200.0),
        ("330 lm", 330.0),
        ("Unknown", None),
        ("N/A", None),
        ("", None),
        ("between 25 and 90 km", None),
        ("6100", 6100.0),
    ],
)
def test_parse_km(text, expected):
    assert cns.parse_km(text) == expected


def test_parse_date_and_classes():
    assert cns.parse_date("9-Apr-84") == (dt.date(1984, 4, 9), "day")
    assert cns.parse_date("Sep-84") == (dt.date(1984, 9, 1), "month")
    assert cns.parse_date("5-Jan-22") == (dt.date(2022, 1, 5), "day")
    assert cns.parse_date("2022-01-05") == (dt.date(2022, 1, 5), "day")
    assert cns.classify(None, 999) == ("SRBM", "range")
    assert cns.classify(None, 1000) == ("MRBM", "range")
    assert cns.classify(None, 5499) == ("IRBM", "range")
    assert cns.classify(None, 5500) == ("ICBM", "range")
    assert cns.classify(None, None) == ("unknown", "none")
    assert cns.classify("SLV", 300) == ("SLV", "cns")


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
