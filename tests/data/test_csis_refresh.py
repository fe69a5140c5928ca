"""`analysis refresh csis`: propose and add the CSIS record's missing launches, on hand-made exports.

Every export here is written by the tests (invented events in the CSIS column layout), never copied from CSIS.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_curated
from typer.testing import CliRunner
from upstream_files import HEADER, MISSILE, MLRS, NEW_CRUISE, NEW_SRBM, STATEMENT, export, table_rows

from analysis import settings
from analysis.cli import app
from analysis.data import csis_refresh, load

TODAY = dt.date.today()  # validation rejects dates after it


@pytest.fixture
def project(tmp_path) -> Path:
    """A scratch copy of the curated tables and the corrections log; data/changes/ next to them."""
    return copy_curated(tmp_path)


def run(project: Path, path: Path, capsys, *, dry_run: bool = False) -> tuple[int, str, str]:
    code = csis_refresh.refresh(
        path,
        dry_run=dry_run,
        curated_dir=project / "curated",
        changes_dir=project / "changes",
        today=TODAY,
    )
    out, err = capsys.readouterr()
    return code, out, err


def reports(project: Path) -> list[Path]:
    return sorted((project / "changes").glob("*.md")) if (project / "changes").exists() else []


def table_bytes(project: Path) -> bytes:
    return (project / "curated" / "missile_tests.csv").read_bytes()


def test_a_new_launch_is_proposed_once_and_added(project, tmp_path, capsys):
    before = table_rows(project / "curated")
    path = export(tmp_path / "csis.csv", NEW_SRBM, NEW_CRUISE, MLRS, STATEMENT)
    code, out, err = run(project, path, capsys)
    assert code == 0, err
    assert "2 new launches proposed (3 rows), 0 to review, 1 excluded" in out
    after = table_rows(project / "curated")
    added = [r for r in after if r not in before]
    assert [r["missile_id"] for r in added] == ["M20260914-01", "M20260914-02", "M20260920-01"]
    a, _, c = added
    # 07:10 KST on 15 September is 22:10 UTC on the 14th
    assert (a["date_utc"], a["time_utc"], a["date_kst"], a["date_kst_basis"], a["launch_id"]) == (
        "2026-09-14",
        "22:10",
        "2026-09-15",
        "local_time",
        "L2026-09-14",
    )
    assert (a["missile_class"], a["cns_threshold"], a["facility"], a["distance_km"], a["apogee_km"]) == (
        "SRBM",
        "true",
        "Sunan area",
        "350",
        "50",
    )
    assert (a["origin"], a["source_ids"], a["class_basis"], a["outcome"]) == (
        "csis",
        "csis-provocations",
        "press",
        "unknown",
    )
    assert "pending a primary source" in a["note"]
    assert (c["missile_class"], c["cns_threshold"], c["time_utc"], c["date_kst_basis"], c["facility"]) == (
        "cruise",
        "false",
        "",
        "assumed_same",
        "unknown",
    )
    assert "number not reported" in c["note"]
    assert [r for r in after if r not in added] == before
    [rep] = reports(project)
    assert rep.name == f"{TODAY.isoformat()}-csis.md"
    text = rep.read_text(encoding="utf-8")
    assert "| M20260914-01 |" in text and "## Excluded firings (1)" in text
    assert "## Diplomatic events proposed for review (1)" in text and "Statement by the Foreign Ministry" in text
    assert load.check(project / "curated", TODAY)[1] == []
    # the diplomatic event is only proposed
    assert "Foreign Ministry" not in (project / "curated" / "diplomatic_events.csv").read_text(encoding="utf-8")


def test_a_rerun_proposes_nothing(project, tmp_path, capsys):
    path = export(tmp_path / "csis.csv", NEW_SRBM, NEW_CRUISE, MLRS)
    assert run(project, path, capsys)[0] == 0
    first = table_bytes(project)
    code, out, _ = run(project, path, capsys)
    assert code == 0
    assert "0 new launches proposed (0 rows)" in out and "nothing written" in out
    assert table_bytes(project) == first
    assert len(reports(project)) == 1


def test_a_launch_held_a_day_off_or_under_a_logged_date_is_not_proposed(project, tmp_path, capsys):
    before = table_bytes(project)
    rows = table_rows(project / "curated")
    plain = next(r for r in rows if r["date_kst"] == "2026-08-12")  # one missile; no log entry
    assert plain and not any(r["date_kst"] == "2026-08-13" for r in rows)
    path = export(
        tmp_path / "csis.csv",
        # a day late, one missile as in the table: the same launch, a date disagreement
        ("2026-08-13", MISSILE, "Short-range Ballistic Missile Launch", "North Korea fired a ballistic missile."),
        # the corrections log records that CSIS dates the 7 November 2025 launch on the 6th
        ("2025-11-06", MISSILE, "Short-range Ballistic Missile Launch", "North Korea fired a ballistic missile."),
    )
    code, out, err = run(project, path, capsys)
    assert code == 0, err
    assert "0 new launches proposed (0 rows)" in out
    assert "2 date disagreements (1 logged)" in out
    assert f"table 2026-08-12 (`{plain['missile_id']}`) — not in the corrections log" in out
    assert "2025-11-06" in out and "logged CSIS date error" in out
    assert table_bytes(project) == before and reports(project) == []


def test_a_day_off_with_a_clearly_different_count_is_a_new_launch(project, tmp_path, capsys):
    path = export(
        tmp_path / "csis.csv",
        ("2026-08-13", MISSILE, "Short-range Ballistic Missile Launch", "North Korea fired eight ballistic missiles."),
    )
    code, out, _ = run(project, path, capsys, dry_run=True)
    assert code == 0
    assert "1 new launches proposed (8 rows)" in out


def test_an_mlrs_firing_is_excluded(project, tmp_path, capsys):
    before = table_bytes(project)
    path = export(
        tmp_path / "csis.csv",
        MLRS,
        ("2026-09-26", MISSILE, "Short-range Missile Launch", "Two rounds from an artillery piece, the JCS said."),
        ("2026-09-27", MISSILE, "Anti-aircraft Missile Launch", "Surface-to-air missiles were fired."),
    )
    code, out, _ = run(project, path, capsys)
    assert code == 0
    assert "0 new launches proposed (0 rows), 0 to review, 3 excluded" in out
    assert "2026-09-25 Multiple Launch Rocket System (MLRS) Test — “mlrs”" in out
    assert "“artillery”" in out and "“anti-aircraft”" in out
    assert table_bytes(project) == before and reports(project) == []


def test_a_launch_of_unstated_kind_is_listed_to_review_not_written(project, tmp_path, capsys):
    before = table_bytes(project)
    path = export(tmp_path / "csis.csv", ("2026-09-26", MISSILE, "Short-range Missile Launch", "Two projectiles."))
    code, out, _ = run(project, path, capsys)
    assert code == 0
    assert "0 new launches proposed (0 rows), 1 to review" in out
    assert table_bytes(project) == before


def test_dry_run_writes_nothing(project, tmp_path, capsys):
    before = table_bytes(project)
    code, out, _ = run(project, export(tmp_path / "csis.csv", NEW_SRBM), capsys, dry_run=True)
    assert code == 0
    assert "(dry run)" in out and "| M20260914-01 |" in out and "dry run: nothing written" in out
    assert table_bytes(project) == before and reports(project) == []


def test_an_invalid_result_is_never_written(project, tmp_path, capsys):
    before = table_bytes(project)
    far = ("2026-09-15", MISSILE, "Intercontinental Ballistic Missile", "A missile flew about 20,000 km.")
    code, _, err = run(project, export(tmp_path / "csis.csv", far), capsys)
    assert code == 1
    assert "distance_km" in err and "does not validate" in err and "Traceback" not in err
    assert table_bytes(project) == before and reports(project) == []


@pytest.mark.parametrize(
    ("events", "header", "message"),
    [
        ([("2026-13-45", MISSILE, "Short-range Ballistic Missile Launch", "x")], HEADER, ":2: date: '2026-13-45'"),
        ([NEW_SRBM, ("", MISSILE, "x", "y")], HEADER, ":3: date: ''"),
        ([NEW_SRBM], ("date", "kind", "event", "description"), "not the CSIS export (missing column(s) type)"),
        ([STATEMENT], HEADER, "no 'Missile Provocation' rows"),
    ],
)
def test_a_malformed_export_gives_a_one_line_error(project, tmp_path, capsys, events, header, message):
    before = table_bytes(project)
    code, out, err = run(project, export(tmp_path / "csis.csv", *events, header=header), capsys)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1 and err.endswith("nothing changed\n")
    assert table_bytes(project) == before


def test_a_missing_file_gives_a_one_line_error(project, tmp_path, capsys):
    code, _, err = run(project, tmp_path / "nope.csv", capsys)
    assert code == 1
    assert err == f"error: {tmp_path / 'nope.csv'}: no such file; nothing changed\n"


def test_the_cli_dry_run(project, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "CURATED_DIR", project / "curated")
    monkeypatch.setattr(settings, "CHANGES_DIR", project / "changes")
    monkeypatch.setattr(settings, "DATA_DIR", project)
    before = table_bytes(project)
    result = CliRunner().invoke(app, ["refresh", "csis", str(export(tmp_path / "csis.csv", NEW_SRBM)), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "# CSIS refresh" in result.output and "dry run: nothing written" in result.output
    assert table_bytes(project) == before and reports(project) == []


@pytest.mark.parametrize(
    ("text", "count", "time"),
    [
        ("fired around 10 short\u2011range ballistic missiles at around 5:00 p.m.", 10, "17:00"),
        ("fired a total of 23 missiles", 23, ""),
        ("fired multiple missiles; launches at 05:24 and 05:36 KST", None, "05:24"),
        ("launched a ballistic missile at 6 a.m.", 1, "06:00"),
    ],
)
def test_what_the_text_states(tmp_path, text, count, time):
    [event] = csis_refresh.read_export(export(tmp_path / "csis.csv", ("2026-09-15", MISSILE, "Launch", text)))
    assert (csis_refresh.count_of(event), csis_refresh.local_time(event)) == (count, time)
    kind = ("launch", "SRBM") if "short" in text else ("launch", "unknown") if "ballistic" in text else ("review", "")
    assert csis_refresh.classify(event) == kind
