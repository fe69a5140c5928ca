"""Faults and hostile input: kills, interrupts, hung notebooks, stale locks, half-done refreshes, oversized
workbooks, and the odd inputs that must end in one line instead of a traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ANALYSIS, project_processes, start_render, wait_for

pytestmark = pytest.mark.slow


def running(project, name: str, marker: str) -> bool:
    log = project.reports / "logs" / f"{name}.ipynb"
    return log.exists() and marker in log.read_text()


def three_reports(project) -> Path:
    """fast, then gated (runs while the returned gate file exists), then queued: one worker takes them in turn."""
    gate = project.root / "gate"
    gate.touch()
    project.notebook("fast.ipynb", "n = 1", "print('fast', n)")
    project.notebook("gated.ipynb", "gate = ''", "import os, time\nwhile os.path.exists(gate):\n    time.sleep(0.1)")
    project.registry(
        {
            "fast": {"notebook": "fast.ipynb"},
            "slow": {"notebook": "gated.ipynb", "parameters": {"gate": str(gate)}},
            "queued": {"notebook": "fast.ipynb", "parameters": {"n": 3}},
        }
    )
    return gate


def test_kill_9_of_the_render_leaves_no_orphans_and_no_stuck_lock(project):
    gate = three_reports(project)
    run = start_render()
    wait_for(lambda: running(project, "slow", "gate = "), "the slow report to start")
    children = {int(p) for p in Path(f"/proc/{run.pid}/task/{run.pid}/children").read_text().split()}
    assert children, "the render has no worker processes"
    os.kill(run.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
    run.communicate(timeout=30)
    wait_for(lambda: not any(Path(f"/proc/{c}").exists() for c in children), "the workers to die with the render", 10)
    wait_for(lambda: not project_processes(project), "the kernels to die with their workers", 10)
    gate.unlink()

    again = subprocess.run([ANALYSIS, "render"], capture_output=True, text=True, timeout=120)
    assert "another `analysis render`" not in again.stderr
    rows = dict(re.findall(r"^(\w+)\s+(up to date|ok|FAILED)", again.stdout, re.M))
    # fast finished before the kill: up to date; slow was killed and queued never ran: both are rebuilt.
    assert rows == {"fast": "up to date", "slow": "ok", "queued": "ok"}, again.stderr


def test_ctrl_c_stops_the_batch_and_says_truly_what_was_rendered(project):
    three_reports(project)
    run = start_render()
    wait_for(lambda: running(project, "slow", "gate = "), "the slow report to start")
    time.sleep(1)
    os.killpg(run.pid, signal.SIGINT)  # the whole job, as Ctrl-C in a terminal
    started = time.monotonic()
    out, err = run.communicate(timeout=60)
    assert time.monotonic() - started < 20, "the interrupt did not stop the batch promptly"
    assert run.returncode == 130
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1] == "interrupted: rendered 1 of 3 (fast); not rendered, previous pages kept: slow, queued"
    assert "Traceback" not in err
    assert project.html("fast").is_file() and not project.html("slow").exists() and not project.html("queued").exists()
    time.sleep(3)  # nothing goes on rendering behind our back
    assert not project.html("queued").exists()


def test_sigterm_is_handled_like_ctrl_c(project):
    three_reports(project)
    run = start_render()
    wait_for(lambda: running(project, "slow", "gate = "), "the slow report to start")
    os.kill(run.pid, signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and err.strip().splitlines()[-1].startswith("interrupted: rendered 1 of 3 (fast)")


def test_a_hung_notebook_fails_on_the_cell_timeout_and_the_batch_goes_on(project):
    project.notebook("hang.ipynb", "x = 1", "import time\ntime.sleep(3600)")
    project.notebook("fine.ipynb", "x = 1", "print('fine')")
    project.registry({"hang": {"notebook": "hang.ipynb"}, "fine": {"notebook": "fine.ipynb"}})
    started = time.monotonic()
    result = project.render("--cell-timeout", "3", "--jobs", "1")
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert re.search(
        r"^hang\s+FAILED\s+[\d.]+\s+a cell ran longer than the cell timeout \(3 s; see --cell-timeout\)$",
        result.stdout,
        re.M,
    ), result.stdout
    assert re.search(r"^fine\s+ok\b", result.stdout, re.M)


def test_a_stale_lock_is_named_with_the_processes_holding_it(project):
    project.notebook("a.ipynb", "n = 1")
    project.registry({"a": {"notebook": "a.ipynb"}})
    state = project.reports / ".state"
    state.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (state / "lock.json").write_text(json.dumps({"pid": int(dead.stdout), "started": "earlier"}))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import fcntl, sys, time
        lock = open({str(state / "lock")!r}, 'w'); fcntl.flock(lock, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = project.render()
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"error: the render lock {state / 'lock'} is held by processes left over from a render that is gone "
            f"(pid {int(dead.stdout)}): stop them (pids {holder.pid}) and run again"
        )
    finally:
        holder.kill()
        holder.wait()
    assert project.render().returncode == 0  # once they are gone the lock is free


def test_a_live_render_is_named_as_such(project):
    project.notebook("slow.ipynb", "seconds = 30", "import time\ntime.sleep(seconds)")
    project.registry({"slow": {"notebook": "slow.ipynb"}})
    run = start_render()
    try:
        wait_for(lambda: running(project, "slow", "seconds"), "the render to start")
        second = project.render()
        assert second.returncode == 2
        assert re.fullmatch(
            r"error: another `analysis render` \(pid \d+, started .+\) is running on \S+\n", second.stderr
        )
    finally:
        os.killpg(run.pid, signal.SIGINT)
        run.communicate(timeout=60)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            lambda p: (p.reports.parent.mkdir(exist_ok=True), p.reports.write_text("not a folder")),
            r"error: cannot use \S+ for the reports: (Not a directory|File exists)",
        ),
        (
            lambda p: ((p.reports / ".state").mkdir(parents=True), (p.reports / ".state" / "lock").mkdir()),
            r"error: cannot use \S+/lock for the reports: Is a directory",
        ),
    ],
)
def test_unusable_reports_folder_is_one_line(project, setup, message):
    project.notebook("a.ipynb", "n = 1")
    project.registry({"a": {"notebook": "a.ipynb"}})
    setup(project)
    result = project.render()
    assert result.returncode == 2 and re.fullmatch(message + "\n", result.stderr), result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_reports_folder_is_one_line(project):
    project.notebook("a.ipynb", "n = 1")
    project.registry({"a": {"notebook": "a.ipynb"}})
    project.reports.mkdir()
    project.reports.chmod(0o555)
    result = project.render()
    assert result.returncode == 2 and result.stderr.startswith("error: cannot use")


@pytest.mark.parametrize("content", ["[1, 2]", '"ok"', "null", "{broken"])
def test_a_state_file_that_is_not_an_object_makes_the_report_stale(project, content):
    project.notebook("a.ipynb", "n = 1", "print('a', n)")
    project.registry({"a": {"notebook": "a.ipynb"}})
    assert project.render().returncode == 0
    (project.reports / ".state" / "a.json").write_text(content)
    result = project.render()
    assert result.returncode == 0, result.stderr
    assert re.search(r"^a\s+ok\b", result.stdout, re.M)


def test_json_ld_is_published_only_by_a_successful_render(project):
    cell = (
        "from analysis.checks import claimreview as jsonld\n"
        "if fail:\n    raise RuntimeError('boom')\n"
        "jsonld.Published({'@graph': [{'v': version}]}, 'claims.jsonld')"
    )
    project.notebook("score.ipynb", "fail = False\nversion = 1", cell)
    project.registry({"score": {"notebook": "score.ipynb"}})
    assert project.render().returncode == 0
    published = project.reports / "claims.jsonld"
    assert json.loads(published.read_text()) == {"@graph": [{"v": 1}]}

    project.registry({"score": {"notebook": "score.ipynb", "parameters": {"fail": True, "version": 2}}})
    assert project.render().returncode == 1
    assert json.loads(published.read_text()) == {"@graph": [{"v": 1}]}  # the old file beside the old page
    assert not list(project.notebooks.glob("*.jsonld"))  # the notebook itself writes nothing


def test_a_results_csv_is_published_by_a_successful_render_and_kept_when_the_data_change(project):
    cell = (
        "import pandas as pd\nfrom analysis.pages import report\n"
        "if fail:\n    raise RuntimeError('boom')\n"
        "report.PublishedCSV(pd.DataFrame({'v': [version], 'ok': [True]}), 'results.csv', 'Download')"
    )
    project.notebook("res.ipynb", "fail = False\nversion = 1", cell)
    project.registry({"res": {"notebook": "res.ipynb"}})
    assert project.render().returncode == 0
    published = project.reports / "data" / "results.csv"
    assert published.read_text() == "v,ok\n1,true\n"

    project.registry({"res": {"notebook": "res.ipynb", "parameters": {"fail": True, "version": 2}}})
    assert project.render().returncode == 1
    assert published.read_text() == "v,ok\n1,true\n"  # the old file beside the old page
    # new data: the curated copies are published afresh and a table no longer curated goes; the report's own
    # file stays (its report ran again on the new data and failed, so the last good one is kept)
    curated = project.root / "data" / "curated"
    (curated / "events.csv").unlink()
    (curated / "more.csv").write_text("event_id\nE2\n", encoding="utf-8")
    (curated / "datapackage.json").write_text(
        '{"name": "test", "resources": [{"name": "more", "path": "more.csv"}]}\n', encoding="utf-8"
    )
    assert project.render().returncode == 1
    assert sorted(p.name for p in published.parent.iterdir()) == [
        "datapackage.json",
        "more.csv",
        "nk-data.sqlite",
        "results.csv",
    ]
    assert published.read_text() == "v,ok\n1,true\n" and not list(project.notebooks.glob("*.csv"))


# ---------------------------------------------------------------- refresh: a kill at every write


REFRESH_UNDER_FAULT = """
import os, sys
from pathlib import Path
from analysis.data import files
from analysis.data import refresh
calls = 0
def faulty(path, content, _real=files.write_atomic):
    global calls
    calls += 1
    if calls == int(sys.argv[2]) and sys.argv[3] == "before":
        os._exit(137)
    result = _real(path, content)
    if calls == int(sys.argv[2]) and sys.argv[3] == "after":
        os._exit(137)
    return result
refresh.write_atomic = faulty
code = refresh.refresh(Path(sys.argv[1]), dry_run=False, curated_dir=Path(sys.argv[4]), changes_dir=Path(sys.argv[5]))
print("writes", calls)
sys.exit(code)
"""


def test_a_refresh_killed_at_any_write_leaves_old_table_or_new_table_with_its_report(tmp_path):
    from conftest import copy_curated
    from upstream_files import new_launch, release, write_xlsx

    from analysis.data import refresh

    curated = copy_curated(tmp_path) / "curated"
    workbook = write_xlsx(tmp_path / "cns.xlsx", release(curated) + [new_launch(0)])
    script = tmp_path / "faulty.py"
    script.write_text(REFRESH_UNDER_FAULT)
    table = curated / "missile_tests.csv"
    old = table.read_bytes()

    def attempt(n: int, when: str, changes: Path):
        return subprocess.run(
            [sys.executable, str(script), str(workbook), str(n), when, str(curated), str(changes)],
            capture_output=True,
            text=True,
            timeout=120,
        )

    clean = attempt(0, "never", tmp_path / "clean-changes")
    assert clean.returncode == 0, clean.stderr
    new = table.read_bytes()
    assert new != old
    writes = int(re.search(r"^writes (\d+)$", clean.stdout, re.M)[1])
    assert writes == 2  # the change report, then the table
    for n in range(1, writes + 1):
        for when in ("before", "after"):
            table.write_bytes(old)
            changes = tmp_path / f"changes-{n}-{when}"
            killed = attempt(n, when, changes)
            assert killed.returncode == 137
            reports = sorted(changes.glob("*.md")) if changes.is_dir() else []
            if table.read_bytes() == new:
                assert len(reports) == 1, "the new table without its change report"
                continue
            assert table.read_bytes() == old
            if reports:  # the report was written, the table not: detectably unfinished, and resumable
                assert [p for p, _ in refresh.unfinished(changes, table)] == reports
                [line] = refresh.unfinished_problems(curated, changes)
                assert line.endswith(
                    "records a refresh whose table was never written; "
                    "run `analysis refresh cns` with that release again to finish it"
                )
                again = attempt(0, "never", changes)
                assert again.returncode == 0 and "finished the refresh recorded in" in again.stdout
                assert table.read_bytes() == new and sorted(changes.glob("*.md")) == reports
    assert not list(curated.glob(".*.tmp"))


def test_a_changes_folder_that_is_a_file_is_one_line_and_changes_nothing(tmp_path, capsys):
    from conftest import copy_curated
    from upstream_files import new_launch, release, write_xlsx

    from analysis.data import refresh

    curated = copy_curated(tmp_path) / "curated"
    old = (curated / "missile_tests.csv").read_bytes()
    (tmp_path / "changes").write_text("a file, not a folder")
    workbook = write_xlsx(tmp_path / "cns.xlsx", release(curated) + [new_launch(0)])
    code = refresh.refresh(workbook, dry_run=False, curated_dir=curated, changes_dir=tmp_path / "changes")
    err = capsys.readouterr().err
    assert code == 2 and "missile_tests.csv is unchanged" in err.strip().splitlines()[-1]
    assert (curated / "missile_tests.csv").read_bytes() == old


def test_an_oversized_workbook_is_refused_before_parsing(tmp_path):
    from analysis.data import cns

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"<row>" + b" " * (2**20 - 11) + b"</row>"
            for _ in range(80):  # 80 MiB of XML, a few hundred KB compressed
                member.write(chunk)
    assert bomb.stat().st_size < 2**20
    started = time.monotonic()
    with pytest.raises(cns.CnsError, match=r"bomb.xlsx: the workbook expands to 80 MiB, over the limit of 64 MiB"):
        cns.read(bomb)
    assert time.monotonic() - started < 1


def test_a_csv_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    from analysis.data import cns

    monkeypatch.setattr(cns, "MAX_ROWS", 5)
    path = tmp_path / "big.csv"
    path.write_text(",".join(cns.COLUMNS) + "\n" + "x\n" * 10)
    with pytest.raises(cns.CnsError, match=r"big.csv: more than 5 rows"):
        cns.read(path)


def test_make_rebuilds_a_venv_left_broken(tmp_path):
    """A failed set-up (wrong Python, interrupted install) leaves no stamp: the next run starts the venv afresh."""
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(
        ["make", "-n", "-C", str(root), "VENV=" + str(tmp_path / "venv"), "reports"], capture_output=True, text=True
    )
    steps = plan.stdout.splitlines()
    assert any(s.startswith("rm -rf " + str(tmp_path / "venv")) for s in steps), plan.stdout
    old_python = tmp_path / "python3.10"
    old_python.write_text("#!/bin/sh\nexit 1\n")  # any version check it is asked to run fails, as 3.10's would
    old_python.chmod(0o755)
    too_old = subprocess.run(
        ["make", "-C", str(root), f"VENV={tmp_path / 'venv'}", f"PYTHON={old_python}", "reports"],
        capture_output=True,
        text=True,
    )
    assert too_old.returncode != 0
    assert "the project needs Python 3.11 or newer" in too_old.stderr
    assert not (tmp_path / "venv").exists()
