"""`analysis render` end to end on a scratch project with tiny notebooks and real kernels."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import nbformat
import pytest
from conftest import ANALYSIS, elements

pytestmark = pytest.mark.slow  # every test starts `analysis render`


def statuses(result) -> dict[str, str]:
    """report -> status, from the summary table `analysis render` prints."""
    rows = (re.match(r"(\S+)\s+(up to date|ok|FAILED)\b", line) for line in result.stdout.splitlines()[1:])
    return dict(row.groups() for row in rows)


def test_renders_then_skips_what_did_not_change(project):
    project.notebook("a.ipynb", 'greeting = "hello"', "print(greeting)")
    project.notebook("b.ipynb", "n = 2", "print(n * 21)")
    project.registry({"a": {"notebook": "a.ipynb", "title": "Report A"}, "b": {"notebook": "b.ipynb"}})

    first = project.render()
    assert first.returncode == 0, first.stderr
    assert statuses(first) == {"a": "ok", "b": "ok"}
    assert "hello" in project.html("a").read_text() and "42" in project.html("b").read_text()
    index = (project.reports / "index.html").read_text()
    links = {a.attrs.get("href"): a.text for a in elements(index, "a")}
    assert links["a.html"] == "Report A" and "data/events.csv" in links
    assert (project.reports / "data" / "events.csv").read_text() == "event_id\nE1\n"
    page = project.html("a").read_bytes()
    mtimes = {n: project.html(n).stat().st_mtime_ns for n in "ab"}

    nothing_to_do = project.render()
    assert statuses(nothing_to_do) == {"a": "up to date", "b": "up to date"}
    assert {n: project.html(n).stat().st_mtime_ns for n in "ab"} == mtimes

    project.registry(
        {
            "a": {"notebook": "a.ipynb", "title": "Report A", "parameters": {"greeting": "bonjour"}},
            "b": {"notebook": "b.ipynb"},
        }
    )
    assert statuses(project.render()) == {"a": "ok", "b": "up to date"}
    assert "bonjour" in project.html("a").read_text()

    project.notebook("b.ipynb", "n = 2", "print(n * 50)")
    assert statuses(project.render()) == {"a": "up to date", "b": "ok"}
    (project.root / "data" / "curated" / "events.csv").write_text("event_id\nE1\nE2\n")
    assert statuses(project.render("b")) == {"b": "ok"}  # data changed: stale; only b asked for

    assert (project.reports / "data" / "events.csv").read_text() == "event_id\nE1\nE2\n"

    (project.root / "data" / "curated" / "events.csv").write_text("event_id\nE1\n")  # the data as at first
    project.registry({"a": {"notebook": "a.ipynb", "title": "Report A"}, "b": {"notebook": "b.ipynb"}})
    forced = project.render("--force")
    assert statuses(forced) == {"a": "ok", "b": "ok"}
    assert project.html("a").read_bytes() == page  # same inputs, same page, byte for byte

    code = '<span class="n">greeting</span>'  # the highlighted source
    assert code not in project.html("a").read_text()
    assert statuses(project.render("a", "--keep-code")) == {"a": "ok"}
    assert code in project.html("a").read_text()


def test_a_failing_report_keeps_its_previous_page(project):
    project.notebook("good.ipynb", "x = 1", "print('good', x)")
    project.notebook("flaky.ipynb", "fail = False", "if fail:\n    raise RuntimeError('boom')\nprint('fine')")
    project.registry({"good": {"notebook": "good.ipynb"}, "flaky": {"notebook": "flaky.ipynb"}})
    assert project.render().returncode == 0
    previous = project.html("flaky").read_bytes()
    good_mtime = project.html("good").stat().st_mtime_ns

    project.registry(
        {"good": {"notebook": "good.ipynb"}, "flaky": {"notebook": "flaky.ipynb", "parameters": {"fail": True}}}
    )
    result = project.render("--force")
    assert result.returncode == 1
    assert statuses(result) == {"good": "ok", "flaky": "FAILED"}
    assert "RuntimeError: boom" in result.stdout
    assert "1 report(s) failed: flaky" in result.stderr
    assert project.html("flaky").read_bytes() == previous
    assert project.html("good").stat().st_mtime_ns != good_mtime  # the batch went on
    log = nbformat.read(project.reports / "logs" / "flaky.ipynb", as_version=4)
    assert log.metadata.papermill.exception
    assert [o.ename for c in log.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"] == [
        "RuntimeError"
    ]
    state = json.loads((project.reports / ".state" / "flaky.json").read_text())
    assert state["status"] == "failed" and state["built"]  # the page in place is still the last good one
    index = (project.reports / "index.html").read_text()
    assert "failed" in index and 'href="logs/flaky.ipynb"' in index

    assert statuses(project.render()) == {"good": "up to date", "flaky": "FAILED"}  # a failure is retried

    project.registry({"good": {"notebook": "good.ipynb"}, "flaky": {"notebook": "flaky.ipynb"}})
    assert project.render().returncode == 0
    assert not (project.reports / "logs" / "flaky.ipynb").exists()


def test_bad_parameters_run_nothing(project):
    # Named like a project notebook, so its spec in analysis.pages.params applies.
    project.notebook("00_data_overview.ipynb", 'start_date = "1984-01-01"\nend_date = None', "print(start_date)")
    project.notebook("b.ipynb", "n = 1", "print(n)")
    project.registry(
        {
            "a": {"notebook": "00_data_overview.ipynb", "parameters": {"start_date": 20240301}},
            "b": {"notebook": "b.ipynb"},
        }
    )
    result = project.render()
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: a: parameter 'start_date': expected an ISO date string like '2018-06-12', got int 20240301"
    ]
    assert not list(project.reports.glob("*.html")) and not (project.reports / "logs").exists()


def test_unknown_report_name(project):
    project.notebook("a.ipynb", "n = 1")
    project.registry({"a": {"notebook": "a.ipynb"}})
    result = project.render("nope")
    assert (result.returncode, result.stderr.strip()) == (2, "error: unknown report 'nope' (reports: a)")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_killed_mid_run_leaves_previous_pages_intact(project, sig):
    project.notebook("slow.ipynb", "seconds = 0", "import time\ntime.sleep(seconds)\nprint('slept', seconds)")
    project.registry({"slow": {"notebook": "slow.ipynb"}})
    assert project.render().returncode == 0
    before = project.html("slow").read_bytes()

    project.registry({"slow": {"notebook": "slow.ipynb", "parameters": {"seconds": 60}}})
    # Its own process group, as a shell job: the signal reaches the command and its workers, as Ctrl-C does.
    run = subprocess.Popen(
        [ANALYSIS, "render"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    log = project.reports / "logs" / "slow.ipynb"
    deadline = time.monotonic() + 60
    while not (log.exists() and "seconds = 60" in log.read_text()):  # papermill saved the injected parameters
        assert time.monotonic() < deadline and run.poll() is None, "the slow notebook never started"
        time.sleep(0.1)
    time.sleep(1)  # the kernel is inside time.sleep
    os.killpg(run.pid, sig)
    out, err = run.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert run.returncode == 130 and "interrupted" in err

    assert project.html("slow").read_bytes() == before
    project.registry({"slow": {"notebook": "slow.ipynb"}})
    again = project.render()
    assert again.returncode == 0, again.stderr
    assert not list(project.reports.rglob(".*.tmp"))


def test_warm_kernels_are_fresh_processes_that_share_nothing(project):
    project.notebook(
        "a.ipynb", "n = 1", "import os\nLEAKED = 'from a'\nos.environ['LEAKED'] = 'from a'\nprint('pid', os.getpid())"
    )
    project.notebook(
        "b.ipynb",
        "n = 1",
        "import os\nprint('pid', os.getpid())\n"
        "print('global seen:', 'LEAKED' in globals(), '| env seen:', 'LEAKED' in os.environ)",
    )
    project.registry({"a": {"notebook": "a.ipynb"}, "b": {"notebook": "b.ipynb"}})
    result = project.render("--jobs", "1")
    assert result.returncode == 0, result.stderr
    a, b = project.html("a").read_text(), project.html("b").read_text()
    assert "global seen: False | env seen: False" in b
    assert re.search(r"pid (\d+)", a)[1] != re.search(r"pid (\d+)", b)[1]


def test_warm_and_cold_kernels_give_the_same_page(project):
    project.notebook(
        "fig.ipynb",
        "title = 'Launches'",
        "import pandas as pd\nimport plotly.express as px\n"
        "df = pd.DataFrame({'year': [2016, 2017], 'n': [24, 21]})\ndisplay(df)\n"
        "print(pd.get_option('display.max_columns'), repr(pd.DataFrame([range(30)])))\n"
        "px.bar(df, x='year', y='n', title=title)",
    )
    project.registry({"fig": {"notebook": "fig.ipynb"}})
    assert project.render("--cold").returncode == 0
    cold = project.html("fig").read_bytes()
    assert b"plotlyChart(" in cold
    assert project.render("--force", "--warm").returncode == 0
    assert project.html("fig").read_bytes() == cold


def test_a_report_removed_from_the_registry_loses_its_page(project):
    project.notebook("a.ipynb", "n = 1", "print(n)")
    project.registry({"a": {"notebook": "a.ipynb"}, "old": {"notebook": "a.ipynb"}})
    assert project.render().returncode == 0 and project.html("old").is_file()
    project.registry({"a": {"notebook": "a.ipynb"}})
    result = project.render()
    assert result.returncode == 0 and "removed the pages of reports no longer in the registry: old" in result.stdout
    assert not project.html("old").exists() and project.html("a").is_file()
    assert 'href="old.html"' not in (project.reports / "index.html").read_text()


def test_a_kernel_started_ahead_that_died_is_replaced(tmp_path):
    """A worker's next kernel waits between reports; if it has died by then, the report gets a new one."""
    from jupyter_core.utils import run_sync

    from analysis.build import forkserver, render

    ahead = forkserver.Ahead("nk-analysis", render.KERNEL_ARGS, render.KERNEL_CONFIG, tmp_path)
    ahead.start(tmp_path)
    dead = ahead.km.provisioner.pid
    os.kill(dead, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while ahead.km.provisioner.process.poll() is None:  # the fork server has reaped it
        assert time.monotonic() < deadline
        time.sleep(0.05)
    km = ahead.take(tmp_path, tmp_path / "r.kernel.log")
    try:
        assert km.provisioner.pid != dead and run_sync(km.is_alive)()
        kc = km.client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=30)
        assert (tmp_path / "r.kernel.log").exists() and not list(tmp_path.glob(".next-*"))
    finally:
        km.discard()
        ahead.close()
