"""Hostile inputs to the refreshes, the audit and `verdicts record`: every case ends within seconds in a one-line
error (exit 1 a refusal about the data, 2 bad input or an environment problem) or the right result, with nothing
lost and nothing outside the scratch project touched."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import copy_curated
from typer.testing import CliRunner
from upstream_files import MISSILE, NEW_SRBM, export, new_launch, release, write_csv, write_xlsx

from analysis import cli, settings
from analysis.checks import verdicts
from analysis.cli import app
from analysis.data import audit, cns, csis_refresh, refresh

ESC = "\x1b]8;;https://evil.example\x07"  # an OSC hyperlink sequence
TODAY = refresh.dt.date.today()


@contextmanager
def within(seconds: float):
    """Fail instead of hanging (a FIFO read blocks forever)."""

    def expired(*_):
        raise TimeoutError(f"took over {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_curated(tmp_path)


def table(project: Path) -> bytes:
    return (project / "curated" / "missile_tests.csv").read_bytes()


def reports(project: Path) -> list[Path]:
    return sorted((project / "changes").glob("*.md")) if (project / "changes").is_dir() else []


def run_cns(project: Path, path: Path, capsys) -> tuple[int, str, str]:
    code = refresh.refresh(
        path, dry_run=False, curated_dir=project / "curated", changes_dir=project / "changes", today=TODAY
    )
    return code, *capsys.readouterr()


def run_csis(project: Path, path: Path, capsys) -> tuple[int, str, str]:
    code = csis_refresh.refresh(
        path,
        dry_run=False,
        curated_dir=project / "curated",
        changes_dir=project / "changes",
        today=TODAY,
    )
    return code, *capsys.readouterr()


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err and "\x1b" not in err


# ---------------------------------------------------------------- 1. workbooks and files that are not files


def test_a_stray_cell_at_xfd20005_is_read_in_seconds_within_a_memory_cap(project, tmp_path):
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated")[:5])
    wb = openpyxl.load_workbook(path)
    wb[cns.SHEET]["XFD20005"] = "stray"
    wb.save(path)
    assert path.stat().st_size < 100_000
    script = "import sys; from analysis.data import audit, cns; print(len(cns.read(sys.argv[1])), len(audit.read_cns_table(sys.argv[1])))"

    def cap():  # 1 GiB of address space: the old path needed 3.8 GB
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60, preexec_fn=cap
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["5", "5"]
    assert time.monotonic() - start < 15


def test_rows_past_the_limit_are_refused_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(cns, "MAX_ROWS", 3)
    path = write_xlsx(tmp_path / "cns.xlsx", [new_launch(0)] * 4)
    with pytest.raises(cns.CnsError, match="more than 3 rows"):
        cns.read_cells(path)


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "release.csv"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom", "folder"])
def test_a_file_that_is_not_a_regular_file_is_refused_at_once(project, tmp_path, capsys, request, special):
    path = {"fifo": lambda: request.getfixturevalue("fifo"), "folder": lambda: tmp_path}.get(
        special, lambda: Path(special)
    )()
    why = "Is a directory" if special == "folder" else "not a regular file"
    before = table(project)
    with within(5):
        code, out, err = run_cns(project, path, capsys)
        assert code == 1 and out == "" and one_line(err) and why in err, err
        code, out, err = run_csis(project, path, capsys)
        assert code == 1 and out == "" and one_line(err) and why in err, err
        for kind in ("--cns", "--csis"):
            result = CliRunner().invoke(app, ["audit", kind, str(path)])
            assert result.exit_code == 2 and result.output.count("\n") == 1 and why in result.output, result.output
        with pytest.raises(audit.AuditError, match=why):
            audit.read_log(path, set())
        with pytest.raises(audit.AuditError, match=why):
            audit.read_cns_json(path)
    assert table(project) == before and reports(project) == []


def test_reads_stop_at_the_size_limit(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(cns.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with within(5), pytest.raises(cns.CnsError, match="over the limit of 32 MiB"):
        cns.read_cells(big)
    (tmp_path / "small").write_bytes(b"12345")
    with pytest.raises(OSError, match="over the limit"):
        cns.read_limited(tmp_path / "small", limit=4)
    assert cns.read_limited(tmp_path / "small", limit=5) == b"12345"


# ---------------------------------------------------------------- 2. two refreshes at once


def test_a_second_refresh_fails_at_once_while_one_holds_the_lock(project, tmp_path, capsys):
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0)])
    before = table(project)
    with refresh.refresh_lock(project / "changes"), within(30):
        code, _, err = run_cns(project, path, capsys)
    assert code == 2 and one_line(err) and "another refresh is writing" in err, err
    assert table(project) == before and reports(project) == []
    code, out, _ = run_cns(project, path, capsys)  # the lock is free again
    assert code == 0 and "validation ok" in out


def test_the_lock_never_follows_a_symlink(project, tmp_path, capsys):
    (project / "changes").mkdir()
    outside = tmp_path / "outside.txt"
    (project / "changes" / refresh.LOCK_NAME).symlink_to(outside)
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0)])
    before = table(project)
    code, _, err = run_cns(project, path, capsys)
    assert code == 2 and one_line(err) and "missile_tests.csv is unchanged" in err, err
    assert not outside.exists() and table(project) == before and reports(project) == []


@pytest.mark.parametrize("source", ["cns", "csis"])
def test_a_table_changed_after_the_plan_is_not_overwritten(project, tmp_path, capsys, monkeypatch, source):
    edited = table(project) + b"M29990101-01,an edit made meanwhile\r\n"
    real = refresh.validate_staged

    def edit_meanwhile(*args):
        problems = real(*args)
        (project / "curated" / "missile_tests.csv").write_bytes(edited)
        return problems

    monkeypatch.setattr(refresh, "validate_staged", edit_meanwhile)
    if source == "cns":
        code, out, err = run_cns(
            project, write_xlsx(tmp_path / "cns.xlsx", [*release(project / "curated"), new_launch(0)]), capsys
        )
    else:
        code, out, err = run_csis(project, export(tmp_path / "csis.csv", NEW_SRBM), capsys)
    assert code == 2 and one_line(err) and "changed while this refresh ran" in err, err
    assert "validation ok" not in out
    assert table(project) == edited and reports(project) == []


# ---------------------------------------------------------------- 3. environment errors: one line, exit 2


@pytest.mark.parametrize("fault", ["tmpdir full", "changes is a file"])
def test_environment_errors_are_one_line_with_exit_2(project, tmp_path, capsys, monkeypatch, fault):
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0)])
    before = table(project)
    if fault == "tmpdir full":

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/refresh-x")

        monkeypatch.setattr(tempfile, "mkdtemp", full)
    else:
        (project / "changes").write_text("a file, not a folder")
    code, _, err = run_cns(project, path, capsys)
    assert code == 2 and one_line(err) and "missile_tests.csv is unchanged" in err, err
    assert table(project) == before


def test_a_verdict_log_that_cannot_be_written_after_the_refresh_is_one_line(project, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(settings, "CURATED_DIR", project / "curated")
    monkeypatch.setattr(settings, "CHANGES_DIR", project / "changes")
    (tmp_path / "blocked").write_text("a file where the log's folder belongs")
    monkeypatch.setattr(verdicts, "log_path", lambda: tmp_path / "blocked" / "verdicts.csv")
    path = write_xlsx(tmp_path / "cns.xlsx", release(project / "curated") + [new_launch(0)])
    code = cli._record_verdicts(refresh.refresh(path, dry_run=False), "CNS", path, False)
    out, err = capsys.readouterr()
    assert code == 2 and one_line(err), err
    assert "the table was refreshed" in err and "analysis verdicts record --reason" in err
    assert "validation ok" in out and len(reports(project)) == 1


def test_verdicts_record_refuses_control_characters_and_reports_an_unwritable_log(tmp_path, capsys, monkeypatch):
    result = CliRunner().invoke(app, ["verdicts", "record", "--reason", f"new data {ESC}click"])
    assert result.exit_code == 2 and "control characters" in result.output and "\x1b" not in result.output
    with pytest.raises(ValueError, match="control characters"):
        verdicts.record(f"x{ESC}", path=tmp_path / "verdicts.csv")
    assert not (tmp_path / "verdicts.csv").exists()
    change = pd.DataFrame(
        [
            {
                "claim_id": "c1",
                "setting": "all_launches",
                "old_verdict": "",
                "new_verdict": "holds",
                "old_figures": "",
                "key_figures": "{}",
                "as_of": "",
            }
        ]
    )
    monkeypatch.setattr(verdicts, "pending", lambda *a, **k: change)
    (tmp_path / "changes").write_text("a file where data/changes belongs")
    monkeypatch.setattr(verdicts, "log_path", lambda: tmp_path / "changes" / "verdicts.csv")
    assert verdicts.main_record("new data") == 2
    err = capsys.readouterr().err
    assert one_line(err) and "nothing recorded" in err, err


# ---------------------------------------------------------------- 3. malformed audit inputs: one line, exit 2


def audit_files(tmp_path: Path, tests, missiles, facilities) -> Path:
    (tmp_path / "missile.en.json").write_text(json.dumps(missiles))
    (tmp_path / "facility.en.json").write_text(json.dumps(facilities))
    (tmp_path / "test.en.json").write_text(json.dumps(tests))
    return tmp_path / "test.en.json"


RECORD = {"date": "2014-03-03", "missile": "scud-c", "facility": "unknown"}
FACILITIES = {"facilities": {"unknown": {"name": "Unknown", "lat": 1, "lon": 2}}}


@pytest.mark.parametrize(
    ("tests", "missiles", "facilities", "message"),
    [
        ([], {}, FACILITIES, "test.en.json: not a JSON object but a list"),
        ({"timeBins": [{"data": [RECORD]}]}, [], FACILITIES, "missile.en.json: not a JSON object"),
        ({"timeBins": [{"data": [RECORD]}]}, {"scud-c": {"name": None, "type": "SRBM"}}, FACILITIES, "record 1"),
        ({"timeBins": [{"data": [RECORD]}]}, {"scud-c": ["Scud-C"]}, FACILITIES, "expected an object"),
        ({"timeBins": [{"data": ["a string"]}]}, {}, FACILITIES, "record 1: expected an object"),
        ({"timeBins": [{"data": [RECORD]}]}, {}, {"facilities": []}, "facilities: expected an object"),
    ],
)
def test_malformed_visualisation_copies_are_one_line_with_exit_2(
    tmp_path, capsys, tests, missiles, facilities, message
):
    path = audit_files(tmp_path, tests, missiles, facilities)
    assert audit.main([path], []) == 2
    out, err = capsys.readouterr()
    assert out == "" and one_line(err) and message in err, err


def test_short_rows_and_control_characters_in_audit_inputs_are_one_line(project, tmp_path, capsys, monkeypatch):
    csis = tmp_path / "csis.csv"
    csis.write_text("date,type,event,description\n2014-03-03,Missile Provocation\n", encoding="utf-8")
    assert audit.main([], [csis]) == 2
    assert "csis.csv:2: the row's number of fields differs" in capsys.readouterr().err
    log = project / "corrections.csv"
    lines = log.read_text(encoding="utf-8").splitlines()
    monkeypatch.setattr(audit, "CORRECTIONS", log)
    monkeypatch.setattr(settings, "CURATED_DIR", project / "curated")
    for bad, message in (
        ("cns,M2014*", "the row's number of fields differs"),
        (f"cns,M2014*,apogee_km,*,{ESC}see the JCS,cns-nkmtd", "control characters"),
    ):
        log.write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
        assert audit.main([], [csis]) == 2
        out, err = capsys.readouterr()
        assert one_line(err) and f"corrections.csv:{len(lines) + 1}: {message}" in err, err


def test_upstream_control_characters_never_reach_the_audit_output(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(settings, "CURATED_DIR", copy_curated(tmp_path / "p") / "curated")
    monkeypatch.setattr(audit, "CORRECTIONS", tmp_path / "p" / "corrections.csv")
    path = audit_files(
        tmp_path, {"timeBins": [{"data": [RECORD]}]}, {"scud-c": {"name": f"Scud{ESC}-C", "type": "SRBM"}}, FACILITIES
    )
    assert audit.read_cns_json(path)[0].values["missile_name"] == "Scud]8;;https://evil.example-C"
    audit.main([path], [])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err


# ---------------------------------------------------------------- 4. spreadsheet formulas: refused


def string_cell_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    """The workbook with its text cells stored as strings (openpyxl would store '=…' as a formula)."""
    write_xlsx(path, rows)
    wb = openpyxl.load_workbook(path)
    for row in wb[cns.SHEET].iter_rows():
        for c in row:
            if isinstance(c.value, str):
                c.data_type = "s"
    wb.save(path)
    return path


def test_a_formula_missile_name_from_cns_is_refused_naming_file_row_and_column(project, tmp_path, capsys):
    evil = {**new_launch(0), "Missile Name": '=HYPERLINK("https://evil.example","Hwasong-20")'}
    rows = [*release(project / "curated"), evil]
    before = table(project)
    for path in (write_csv(tmp_path / "cns.csv", rows), string_cell_xlsx(tmp_path / "cns.xlsx", rows)):
        code, out, err = run_cns(project, path, capsys)
        assert code == 1 and out == "" and one_line(err), err
        assert f"{path.name}: row {len(rows) + 1}: Missile Name: '=HYPERLINK" in err, err
        assert "spreadsheet formula; refused" in err
    assert table(project) == before and reports(project) == []


def test_a_formula_cell_in_the_csis_export_is_refused(project, tmp_path, capsys):
    path = export(tmp_path / "csis.csv", NEW_SRBM, ("2026-09-16", MISSILE, "@SUM(1+1)*cmd|' /C calc'!A0", "x"))
    before = table(project)
    code, out, err = run_csis(project, path, capsys)
    assert code == 1 and out == "" and one_line(err), err
    assert """csis.csv:3: event: "@SUM(1+1)*cmd""" in err and "refused" in err
    assert table(project) == before and reports(project) == []


# ---------------------------------------------------------------- 5. control characters: stripped or refused


def test_upstream_control_characters_are_stripped_before_use(project, tmp_path, capsys):
    launch = {**new_launch(0), "Missile Name": f"Hwasong{ESC}-20\x1b[2J"}
    path = write_csv(tmp_path / "cns.csv", [*release(project / "curated"), launch], encoding="utf-8")
    code, out, err = run_cns(project, path, capsys)
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "Hwasong]8;;https://evil.example-20[2J" in table(project).decode("utf-8")
    assert "\x1b" not in reports(project)[0].read_text(encoding="utf-8")
    events = csis_refresh.read_export(export(tmp_path / "csis.csv", (*NEW_SRBM[:2], f"SRBM{ESC}", NEW_SRBM[3])))
    assert events[0].title == "SRBM]8;;https://evil.example"
