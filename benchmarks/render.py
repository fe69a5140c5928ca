"""Time `analysis render` against the naive loop, on the same notebooks, in a scratch copy of the project.

    python benchmarks/render.py [--reports N]

1. naive: per report, the papermill CLI and then `jupyter nbconvert --to html`, one report after the other;
2. `analysis render --force`: papermill's Python API in parallel workers, offline export;
3. `analysis render` again, with nothing to do.

The registry's reports are used; when there are fewer than N (default 6, enough to keep every core busy)
they are repeated under other output names. Prints the three times, the ratios, and each page's size
against plotly.js. Targets on a 2-core machine: full build >= 3.5x faster than naive, no-op <= 1 s,
each page <= plotly.js + 0.4 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from plotly.offline import get_plotlyjs

from analysis import registry, settings

BIN = Path(sys.executable).parent


def timed(cmd: list, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def scratch_project(root: Path, count: int) -> list[registry.Report]:
    """A copy of the notebooks and curated data, with a registry of at least `count` reports."""
    shutil.copytree(settings.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(settings.CURATED_DIR, root / "data" / "curated")
    entries = yaml.safe_load(settings.REGISTRY.read_text(encoding="utf-8"))["reports"]
    reports = registry.load(settings.REGISTRY)
    copies = {}
    for i in range(max(0, count - len(reports))):
        r = reports[i % len(reports)]
        copies[f"{r.name}-copy{i + 1}"] = {"notebook": r.notebook.name, "title": f"{r.title} (copy {i + 1})",
                                          "parameters": r.parameters}
    registry_path = root / "notebooks" / "reports.yml"
    registry_path.write_text(yaml.safe_dump({"reports": entries | copies}, sort_keys=False), encoding="utf-8")
    return registry.load(registry_path)


def naive(reports: list[registry.Report], out: Path, env: dict) -> float:
    start = time.perf_counter()
    for r in reports:
        executed = out / f"{r.name}.ipynb"
        subprocess.run([BIN / "papermill", r.notebook, executed, "-k", settings.KERNEL_NAME, "--cwd", r.notebook.parent,
                        "-y", yaml.safe_dump(r.parameters)], env=env, check=True, capture_output=True)
        subprocess.run([BIN / "jupyter", "nbconvert", "--to", "html", executed], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=6, help="at least this many reports (default 6)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        reports = scratch_project(root, args.reports)
        env = os.environ | {"ANALYSIS_ROOT": str(root), "JUPYTER_RUNTIME_DIR": str(Path(tmp) / "rt")}
        (root / "naive").mkdir()
        print(f"{len(reports)} reports ({', '.join(r.name for r in reports)}) on {os.cpu_count()} cores")

        t_naive = naive(reports, root / "naive", env)
        t_full = timed([BIN / "analysis", "render", "--force"], env)
        t_noop = timed([BIN / "analysis", "render"], env)

        print(f"naive loop (papermill CLI + nbconvert CLI, serial): {t_naive:6.1f} s")
        print(f"analysis render --force:                            {t_full:6.1f} s  ({t_naive / t_full:.1f}x faster; target >= 3.5x)")
        print(f"analysis render, nothing to do:                     {t_noop:6.2f} s  (target <= 1 s)")
        plotly_js = len(get_plotlyjs().encode())
        print(f"\npage sizes (plotly.js is {plotly_js / 1e6:.2f} MB; target <= plotly.js + 0.40 MB)")
        width = max(len(r.name) for r in reports)
        for r in reports:
            size = (root / "reports" / f"{r.name}.html").stat().st_size
            print(f"  {r.name:<{width}}  {size / 1e6:5.2f} MB  plotly.js + {(size - plotly_js) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
