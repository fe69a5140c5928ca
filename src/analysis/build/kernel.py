"""The project's Jupyter kernel (settings.KERNEL_NAME): is it installed where Jupyter looks for it?

`make` installs it; a conda environment (environment.yml) needs INSTALL once. Also a pytest plugin (addopts
`-p analysis.build.kernel`): nbval's sanitize file named from the rootdir, and a missing kernel reported in one line.
"""

from __future__ import annotations

from pathlib import Path

from analysis import settings

INSTALL = (
    f"python -m ipykernel install --sys-prefix --name {settings.KERNEL_NAME}"
    f' --display-name "Python ({settings.KERNEL_NAME})"'
)


def check() -> str | None:
    """The one-line problem with the kernel spec, or None when papermill and nbval can start the kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name = settings.KERNEL_NAME
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return f"the Jupyter kernel {name!r} is not installed: run `{INSTALL}` (or `make` does it)"
    python = spec.argv[0] if spec.argv else ""
    if Path(python).is_absolute() and not Path(python).exists():
        return f"the Jupyter kernel {name!r} runs {python}, which does not exist: run `{INSTALL}` (or `make` does it)"
    return None


def pytest_configure(config):
    """A relative path in addopts would break pytest run from notebooks/ (where `make lab` opens a terminal)."""
    if getattr(config.option, "nbval_sanitize_with", None) is None:
        config.option.nbval_sanitize_with = str(config.rootpath / "tests" / "nbval_sanitize.cfg")


def _stop_without_kernel(paths) -> None:
    if any(str(p).split("::")[0].endswith(".ipynb") for p in paths):
        problem = check()
        if problem:
            import pytest

            pytest.exit(f"error: {problem}", returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_collection_finish(session):
    """Before nbval's NoSuchKernel in every cell (with xdist, the controller checks what a worker collected)."""
    if not hasattr(session.config, "workerinput"):
        _stop_without_kernel(item.path for item in session.items)


def pytest_xdist_node_collection_finished(node, ids):
    _stop_without_kernel(ids)
