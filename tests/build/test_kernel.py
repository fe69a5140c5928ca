"""The project's kernel spec: found when installed, one line saying how to install it when not."""

from __future__ import annotations

import json

from analysis import settings
from analysis.build import kernel


def test_the_installed_kernel_passes():
    assert kernel.check() is None


def test_a_missing_kernel_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(settings, "KERNEL_NAME", "nk-analysis-absent")
    problem = kernel.check()
    assert problem.startswith("the Jupyter kernel 'nk-analysis-absent' is not installed")
    assert kernel.INSTALL in problem


def test_a_kernel_whose_python_is_gone_is_named(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "nk-gone"
    spec.mkdir(parents=True)
    gone = tmp_path / "venv" / "bin" / "python"
    (spec / "kernel.json").write_text(json.dumps({"argv": [str(gone), "-m", "ipykernel"], "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setattr(settings, "KERNEL_NAME", "nk-gone")
    assert kernel.check() == (
        f"the Jupyter kernel 'nk-gone' runs {gone}, which does not exist: run `{kernel.INSTALL}` (or `make` does it)"
    )
