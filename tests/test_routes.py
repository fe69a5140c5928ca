"""The documented routes into the project: a conda set-up without the kernel, pytest from notebooks/, papermill
by hand (misspelt names, --help-notebook) and a registry value outside the spec. Nothing here edits the project."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupyter_client.kernelspec
import pandas as pd
import papermill
import pytest
import yaml
from conftest import ANALYSIS, write_notebook

from analysis import settings
from analysis.build import kernel, registry
from analysis.pages import params

PYTHON = sys.executable


# --- 1. the kernel a conda environment never registers ----------------------------------------------------------


@pytest.fixture
def jupyter_path(tmp_path, monkeypatch) -> Path:
    """Jupyter looks for kernel specs in tmp_path only (as a fresh conda environment: no project kernel)."""
    kernels = tmp_path / "share" / "jupyter" / "kernels"
    kernels.mkdir(parents=True)
    monkeypatch.setenv("JUPYTER_PATH", str(kernels.parent))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setattr(jupyter_client.kernelspec, "jupyter_path", lambda *sub: [str(kernels.parent.joinpath(*sub))])
    return kernels


def test_a_missing_kernel_is_one_line_naming_the_command(jupyter_path):
    problem = kernel.check()
    assert problem == (
        "the Jupyter kernel 'nk-analysis' is not installed: run `python -m ipykernel install --sys-prefix "
        '--name nk-analysis --display-name "Python (nk-analysis)"` (or `make` does it)'
    )


def test_a_kernel_whose_python_is_gone(jupyter_path, tmp_path):
    (jupyter_path / "nk-analysis").mkdir()
    spec = {"argv": [str(tmp_path / "gone" / "python"), "-m", "ipykernel_launcher"], "language": "python"}
    (jupyter_path / "nk-analysis" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    assert kernel.check().startswith(f"the Jupyter kernel 'nk-analysis' runs {tmp_path / 'gone' / 'python'}, which")


def test_the_installed_kernel_passes():
    assert kernel.check() is None


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_nbval_without_the_kernel_stops_in_one_line(tmp_path, workers):
    """Before any cell runs, instead of NoSuchKernel in every cell (xdist workers too: sitecustomize hides it)."""
    (tmp_path / "sitecustomize.py").write_text(
        f"import jupyter_client.kernelspec as k\nk.jupyter_path = lambda *sub: [{str(tmp_path)!r}]\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "IPYTHONDIR": str(tmp_path)}
    done = subprocess.run(
        [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", *workers, "02_event_window.ipynb"],
        cwd=settings.NOTEBOOKS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "error: the Jupyter kernel 'nk-analysis' is not installed: run `python -m ipykernel install" in done.stdout
    assert "INTERNALERROR" not in done.stdout + done.stderr


# --- 2. pytest (nbval) from notebooks/, where `make lab` opens the terminal ---------------------------------------


@pytest.mark.slow  # runs the notebook in a kernel
def test_nbval_runs_from_the_notebooks_folder(tmp_path):
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    done = subprocess.run(
        [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "02_event_window.ipynb"],
        cwd=settings.NOTEBOOKS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "FileNotFoundError" not in done.stdout


# --- 3. papermill by hand -----------------------------------------------------------------------------------------

CHECKED = "from analysis.pages import params\nparams.Economy.check(globals())\nprint('checked', first_year)"


@pytest.mark.slow  # starts kernels
@pytest.mark.parametrize(
    ("parameters", "error"),
    [
        ({}, None),
        ({"first_year": 2000}, None),
        (
            {"first_yeer": 2000},
            "parameter 'first_yeer': unknown parameter (the parameters cell declares: first_year)",
        ),
    ],
)
def test_a_misspelt_parameter_stops_the_notebook(tmp_path, parameters, error):
    nb = write_notebook(tmp_path / "nb.ipynb", "first_year: int = 1990  # first year shown", CHECKED)
    run = functools.partial(
        papermill.execute_notebook,
        str(nb),
        str(tmp_path / "out.ipynb"),
        parameters,
        cwd=str(tmp_path),
        progress_bar=False,
    )
    if error is None:
        assert run().cells[-1].outputs[0]["text"].startswith("checked")
        return
    with pytest.raises(papermill.PapermillExecutionError) as e:
        run()
    assert (e.value.ename, e.value.evalue) == ("ParameterError", error)


def test_injected_names_come_from_papermills_cell_just_run():
    injected = "# Parameters\nfirst_yeer = 2000\nfirst_year = 1999\n"
    assert params.injected({"In": ["", "first_year = 1990", injected, "check"]}) == ["first_yeer", "first_year"]
    # a cell run in between (JupyterLab), or no IPython history at all: nothing was injected
    assert params.injected({"In": ["", injected, "x = 1", "check"]}) == []
    assert params.injected({"first_yeer": 2000}) == []
    assert params.Economy.check({"first_year": 2000, "In": ["", "first_year = 1990", "check"]}).first_year == 2000


@pytest.mark.parametrize("notebook", sorted(params.SPECS))
def test_help_notebook_shows_types_and_help(notebook):
    for name, p in papermill.inspect_notebook(str(settings.NOTEBOOKS_DIR / notebook)).items():
        assert p["inferred_type_name"] != "None", f"{notebook}: {name} has no type annotation"
        assert p["help"], f"{notebook}: {name} has no help comment"


def test_help_notebook_on_the_command_line():
    done = subprocess.run(
        [Path(PYTHON).with_name("papermill"), "--help-notebook", "notebooks/02_event_window.ipynb"],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "  window_days: int (default 180)\n" in done.stdout, done.stdout
    assert "90, 180, 365 or 730 days" in done.stdout


# --- 3c. a registry value outside the spec, before any kernel -----------------------------------------------------


def project_copy(tmp_path: Path, edit) -> Path:
    """data/ and notebooks/ copied, the registry's event-window entry edited by `edit`."""
    for folder in ("data", "notebooks"):
        shutil.copytree(settings.ROOT / folder, tmp_path / folder)
    path = tmp_path / "notebooks" / "reports.yml"
    reports = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(reports["reports"]["event-window"])
    path.write_text(yaml.safe_dump(reports, sort_keys=False), encoding="utf-8")
    return path


def sweep_window(entry):
    entry["parameters"].pop("window_days")
    entry["sweep"]["window_days"] = [180, 100]
    entry["output"] = "event-window-{event_id}-{window_days}"


def set_window(entry):
    entry["parameters"]["window_days"] = 100


LINE = "parameter 'window_days': 100 is not one of the window lengths 90, 180, 365, 730"


@pytest.mark.parametrize("edit", [sweep_window, set_window])
def test_a_value_outside_the_spec_is_one_line(tmp_path, edit):
    path = project_copy(tmp_path, edit)
    reports = [r for r in registry.load(path) if r.group == "event-window"]
    ids = {"event_id": sorted({r.parameters["event_id"] for r in reports})}
    assert registry.check_all(reports, lambda table: pd.DataFrame(ids)) == [
        f"event-window (7 reports of the sweep): {LINE}"
    ]


def test_render_refuses_the_sweep_before_any_kernel(tmp_path):
    project_copy(tmp_path, sweep_window)
    env = {**os.environ, "ANALYSIS_ROOT": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    done = subprocess.run([ANALYSIS, "render", "event-window"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [f"error: event-window (7 reports of the sweep): {LINE}"]
    assert not (tmp_path / "reports" / "logs").exists()
