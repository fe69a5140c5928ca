"""Hardening of `analysis render`: errors that stop the pool, a dead fork server, a killed worker, registry bombs
and symlinks under reports/. Each ends in one line or the right result within seconds."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import project_processes, start_render, wait_for

from analysis.build import registry

# ---------------------------------------------------------------- the registry (no processes)


def registry_text(project, text: str) -> Path:
    project.notebook("a.ipynb", "year = 2000\nname = ''")
    path = project.notebooks / "reports.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(path: Path, pattern: str) -> str:
    started = time.monotonic()
    with pytest.raises(registry.RegistryError) as e:
        registry.load(path)
    assert time.monotonic() - started < 2
    message = str(e.value)
    assert "\n" not in message and re.search(pattern, message), message
    return message


def test_an_output_name_over_the_limit_is_refused_naming_the_report(project):
    path = registry_text(
        project,
        f"""
        reports:
          sweep:
            notebook: a.ipynb
            sweep:
              name: [short, {"x" * 250}]
        """,
    )
    refused(path, r"report 'sweep': output name 'sweep-x+'\.\.\. is 256 characters long, over the limit of 120")


def test_a_yaml_alias_bomb_is_refused_before_it_expands(project):
    levels = "\n".join(
        f"  l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]" for i in range(1, 20)
    )
    path = registry_text(
        project,
        "bomb:\n  l0: &l0 [lol, lol, lol]\n" + levels + "\nreports:\n  a:\n    notebook: a.ipynb\n"
        "    parameters:\n      name: *l19\n",
    )
    message = refused(path, r"expands to more than 1,000,000 characters \(YAML aliases counted as copies\)")
    assert message.startswith(str(path))


def test_a_recursive_alias_is_refused(project):
    path = registry_text(project, "reports:\n  a:\n    notebook: a.ipynb\n    parameters:\n      name: &x [*x]\n")
    refused(path, r"line \d+: an alias refers to the collection it is in")


@pytest.mark.parametrize(
    "field", ["title: '{year:>2000000000}'", "title: '{year:.999999999f}'", "output: 'a{year:0>{year}}'"]
)
def test_a_huge_format_width_or_precision_is_refused(project, field):
    path = registry_text(
        project, f"reports:\n  a:\n    notebook: a.ipynb\n    parameters: {{year: 2000}}\n    {field}\n"
    )
    refused(path, r"report 'a': format spec '[^']+' asks for more than 200 characters")


def test_a_sweep_that_expands_to_too_many_reports_is_refused(project):
    lists = "\n".join(f"      p{i}: [{', '.join(map(str, range(10)))}]" for i in range(6))
    path = registry_text(project, "reports:\n  a:\n    notebook: a.ipynb\n    sweep:\n" + lists + "\n")
    refused(path, r"report 'a': sweep: expands to more than 10000 reports")


def test_ordinary_formats_aliases_and_names_still_load(project):
    path = registry_text(
        project,
        """
        common: &common {year: 2018}
        reports:
          a:
            notebook: a.ipynb
            title: 'Year {year:>6} ({year:.2f})'
            output: 'a-{year:05d}'
            parameters: *common
        """,
    )
    [report] = registry.load(path)
    assert (report.name, report.title, report.parameters) == ("a-02018", "Year   2018 (2018.00)", {"year": 2018})


# ---------------------------------------------------------------- renders (processes)


def kill_and_time(run: subprocess.Popen, pid: int, sig: int) -> tuple[str, str, float]:
    os.kill(pid, sig)
    started = time.monotonic()
    out, err = run.communicate(timeout=60)
    return out, err, time.monotonic() - started


@pytest.mark.slow
def test_an_error_recording_state_stops_the_pool_and_ends_in_one_line(project):
    """ENOSPC while recording a finished report: the other report's kernel and worker are stopped, the lock freed."""
    project.notebook("fast.ipynb", "n = 1", "print(n)")
    project.notebook("slow.ipynb", "n = 1", "import time\ntime.sleep(600)")
    project.registry({"slow": {"notebook": "slow.ipynb"}, "fast": {"notebook": "fast.ipynb"}})
    script = (
        "import errno, sys\nfrom analysis.build import render, staleness\n"
        "def full(*args):\n    raise OSError(errno.ENOSPC, 'No space left on device', 'reports/.state/fast.json')\n"
        "staleness.record = full\nsys.exit(render.main([], jobs=2))\n"
    )
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: the render stopped: OSError: [Errno 28] No space left on device: 'reports/.state/fast.json'"
    )
    assert "Traceback" not in result.stderr
    assert seconds < 60, f"took {seconds:.0f} s"
    wait_for(lambda: not project_processes(project), "the workers and kernels to stop", 10)
    again = project.render("fast")  # the lock is free
    assert again.returncode == 0, again.stderr


@pytest.mark.slow
def test_a_killed_fork_server_fails_the_running_report_at_once(project):
    project.notebook("slow.ipynb", "n = 1", "print('started', flush=True)\nimport time\ntime.sleep(600)")
    project.registry({"slow": {"notebook": "slow.ipynb"}})
    run = start_render()
    try:
        wait_for(
            lambda: (
                "started" in (project.reports / "logs" / "slow.ipynb").read_text(errors="replace")
                if (project.reports / "logs" / "slow.ipynb").exists()
                else False
            ),
            "the report to start",
        )
        [server] = [
            p
            for p in project_processes(project)
            if f"PPid:\t{run.pid}\n" in Path(f"/proc/{p}/status").read_text()
            and b"analysis.build.forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()
        ]
        out, err, seconds = kill_and_time(run, server, signal.SIGKILL)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert seconds < 15, f"took {seconds:.0f} s"
    assert run.returncode == 1, err
    assert re.search(
        # under load the kill can land while the kernel is still being handed over: either line names the server
        r"^slow\s+FAILED\s+[\d.]+\s+(the kernel fork server died while the report ran, and its kernel with it"
        r"|ServerGone: the kernel fork server has died: its kernels died with it)$",
        out,
        re.M,
    ), out
    assert "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_worker_fails_only_its_report(project, sig):
    """Two workers: the victim's worker is killed (by hand, or out of memory); the other report in flight is run
    again, the queue goes on."""
    gate = project.root / "gate"
    gate.touch()
    pid_file = project.root / "victim.pid"
    project.notebook(
        "victim.ipynb",
        "out = ''",
        "import os, time\nopen(out, 'w').write(os.environ['JPY_PARENT_PID'])\ntime.sleep(600)",
    )
    project.notebook("gated.ipynb", "gate = ''", "import os, time\nwhile os.path.exists(gate):\n    time.sleep(0.1)")
    project.notebook("fast.ipynb", "n = 1", "print(n)")
    project.registry(
        {
            "victim": {"notebook": "victim.ipynb", "parameters": {"out": str(pid_file)}},
            "gated": {"notebook": "gated.ipynb", "parameters": {"gate": str(gate)}},
            "fast": {"notebook": "fast.ipynb"},
        }
    )
    run = subprocess.Popen(
        [Path(sys.executable).with_name("analysis"), "render", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(lambda: pid_file.exists() and pid_file.read_text(), "the victim to start")
        wait_for(lambda: (project.reports / "logs" / "gated.ipynb").exists(), "the gated report to start")
        os.kill(int(pid_file.read_text()), sig)
        time.sleep(3)
        gate.unlink()
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 1, err
    rows = dict(re.findall(r"^(\w+)\s+(ok|FAILED)\b", out, re.M))
    assert rows == {"victim": "FAILED", "gated": "ok", "fast": "ok"}, out + err
    assert re.search(rf"^victim\s+FAILED\s+[\d.]+\s+its worker process died \(killed by {sig.name}\)$", out, re.M), out
    assert "Traceback" not in err and "interrupted" not in err


@pytest.mark.slow
def test_a_symlinked_log_is_replaced_not_written_through(project, tmp_path):
    project.notebook("bad.ipynb", "n = 1", "raise RuntimeError('boom')")
    project.registry({"bad": {"notebook": "bad.ipynb"}})
    logs = project.reports / "logs"
    logs.mkdir(parents=True)
    targets = {}
    for name in ("bad.ipynb", "bad.kernel.log"):
        targets[name] = tmp_path / f"outside-{name}"
        targets[name].write_text("precious")
        (logs / name).symlink_to(targets[name])
    result = project.render()
    assert result.returncode == 1
    assert re.search(r"^bad\s+FAILED\s+[\d.]+\s+RuntimeError: boom", result.stdout, re.M), result.stdout
    assert all(t.read_text() == "precious" for t in targets.values())
    log = logs / "bad.ipynb"
    assert not log.is_symlink() and "boom" in log.read_text()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"sweep": {"name": ["x" * 250]}}, r"error: report 'a': output name 'a-x+'\.\.\. is 252 characters long"),
        (
            {"title": "{n:>2000000000}", "parameters": {"n": 1}},
            r"error: report 'a': format spec '>2000000000' asks for more than 200",
        ),
    ],
)
def test_registry_bombs_end_the_render_in_one_line_before_anything_runs(project, parameters, message):
    project.notebook("a.ipynb", "n = 1\nname = ''")
    project.registry({"a": {"notebook": "a.ipynb", **parameters}})
    result = project.render(timeout=30)
    assert result.returncode == 2 and re.fullmatch(message + r".*\n", result.stderr), result.stderr
    assert not project.reports.exists()


def test_a_kernel_that_dies_before_answering_gets_one_fresh_kernel(project, monkeypatch):
    """A kernel can die at start when another process takes its port between the choice and the bind: the report
    runs again on a new kernel once; a second such death, or any other error, fails the report."""
    import multiprocessing

    import papermill

    from analysis import settings
    from analysis.build import registry, render

    project.notebook("a.ipynb", "x = 1", "x")
    project.registry({"a": {"notebook": "a.ipynb"}})
    monkeypatch.setattr(settings, "REPORTS_DIR", project.reports)
    [report] = registry.load(project.notebooks / "reports.yml")
    real, calls = papermill.execute_notebook, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(render.STILLBORN)
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    monkeypatch.setattr(render, "_pids", multiprocessing.Array("i", 1, lock=False))
    (project.reports / "logs").mkdir(parents=True, exist_ok=True)
    outcome = render._render(0, report, False, 60, False)
    assert outcome.ok and len(calls) == 2

    def always(*args, **kwargs):
        calls.append(1)
        raise RuntimeError(render.STILLBORN)

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", always)
    outcome = render._render(0, report, False, 60, False)
    assert not outcome.ok and len(calls) == 2 and "Kernel died" in outcome.error
