"""Time `analysis render` against the naive loop and the floor; page sizes and time until the charts are drawn.

    python benchmarks/render.py [--quick] [--jobs N] [--reports N]
    python benchmarks/render.py --pages DIR      # only sizes and charts of the pages already in DIR

In a scratch copy of the project (its notebooks and curated data), with the registry's reports:
1. naive: per report the papermill CLI, then `jupyter nbconvert --to html`, one report after the other
   (--quick skips it: it is the slow part);
2. the floor: every report's code cells run serially in this process, which imports the libraries once
   (counted; an IPython shell formats each output as a kernel does), plus the HTML export, divided by the
   worker processes `analysis render` is given (--jobs, default one per core);
3. `analysis render --force`, and 4. `analysis render` with nothing to do;
5. each page's size and the total of all pages;
6. the time from navigation until every chart of a page is drawn in headless Chromium, from file://
   with the network blocked (median of 3 loads, each in a fresh browser context).
Each figure is printed beside the target of issue 13 (this 2-core machine). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent
LOADS = 3

TARGET_PAGE_MB = 1.6
TARGET_FOLDER_MB = 25
TARGET_CHARTS_S = 0.8
TARGET_VS_FLOOR = 2
TARGET_VS_NAIVE = 10
TARGET_NOOP_S = 0.5

# Runs in the page before its own scripts: notes when every chart has its two main svg layers.
CHARTS_DRAWN = """(() => {
  const check = () => {
    const charts = document.querySelectorAll('.plotly-chart').length;
    if (document.readyState !== 'loading' &&
        document.querySelectorAll('.plotly-chart.js-plotly-plot .main-svg').length >= 2 * charts) {
      window.chartsDrawnAt = performance.now();
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
})();"""


def mark(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def timed(cmd: list, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def scratch_project(root: Path, count: int) -> list:
    """A copy of the notebooks and curated data, with a registry of at least `count` reports."""
    from analysis import settings
    from analysis.build import registry

    shutil.copytree(settings.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(settings.CURATED_DIR, root / "data" / "curated")
    entries = yaml.safe_load(settings.REGISTRY.read_text(encoding="utf-8"))["reports"]
    reports = registry.load(settings.REGISTRY)
    copies = {}
    for i in range(max(0, count - len(reports))):
        r = reports[i % len(reports)]
        copies[f"{r.name}-copy{i + 1}"] = {
            "notebook": r.notebook.name,
            "title": f"{r.title} (copy {i + 1})",
            "parameters": r.parameters,
        }
    registry_path = root / "notebooks" / "reports.yml"
    registry_path.write_text(yaml.safe_dump({"reports": entries | copies}, sort_keys=False), encoding="utf-8")
    return registry.load(registry_path)


def naive(reports: list, out: Path, env: dict) -> float:
    from analysis import settings

    start = time.perf_counter()
    for r in reports:
        executed = out / f"{r.name}.ipynb"
        subprocess.run(
            [
                BIN / "papermill",
                r.notebook,
                executed,
                "-k",
                settings.KERNEL_NAME,
                "--cwd",
                r.notebook.parent,
                "-y",
                yaml.safe_dump(r.parameters),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [BIN / "jupyter", "nbconvert", "--to", "html", executed], env=env, check=True, capture_output=True
        )
    return time.perf_counter() - start


def warm_shell():
    """An in-process IPython shell that keeps every output as a kernel sends it, every mimetype formatted."""
    import nbformat
    import plotly.io as pio
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, **kwargs):
            self.shell.outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata or {}))

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self.shell.outputs.append(
                nbformat.v4.new_output(
                    "execute_result", data=format_dict, metadata=md_dict or {}, execution_count=self.prompt_count
                )
            )

    class WarmShell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)
        outputs: list = []

    pio.renderers.default = "plotly_mimetype"  # what the kernels' figures emit
    return WarmShell.instance()


def floor(reports: list) -> tuple[float, float]:
    """Seconds to run every report's code cells in one warm process, and to export the pages."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from analysis.build import export

    shell = warm_shell()
    executed, cwd = [], Path.cwd()
    start = time.perf_counter()
    for r in reports:
        nb = parameterize_notebook(
            load_notebook_node(str(r.notebook)), r.parameters, kernel_name="python3", language="python"
        )
        shell.reset(new_session=False)  # a fresh namespace per report; the imported modules stay
        os.chdir(r.notebook.parent)
        try:
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                shell.outputs = []
                with contextlib.redirect_stdout(io.StringIO()) as out:
                    result = shell.run_cell(cell.source, store_history=False)
                if not result.success:
                    raise SystemExit(
                        f"floor: {r.name}: a cell failed: {result.error_in_exec or result.error_before_exec!r}"
                    )
                cell.outputs = (
                    [nbformat.v4.new_output("stream", name="stdout", text=out.getvalue())] if out.getvalue() else []
                ) + shell.outputs
        finally:
            os.chdir(cwd)
        executed.append((r, nb))
    cells = time.perf_counter() - start
    start = time.perf_counter()
    for r, nb in executed:
        export.to_html(nb, r.title)
    return cells, time.perf_counter() - start


def charts_drawn(pages: list[Path]) -> dict[Path, float | None]:
    """Median seconds from navigation until every chart is drawn, per page (None: no Chromium here)."""
    from analysis.build.browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        return dict.fromkeys(pages)
    from playwright.sync_api import sync_playwright

    def offline(route):
        (route.continue_ if route.request.url.startswith("file:") else route.abort)()

    medians = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in pages:
            seconds = []
            for _ in range(LOADS):
                context = browser.new_context()
                page = context.new_page()
                page.route("**/*", offline)
                page.add_init_script(CHARTS_DRAWN)
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function("window.chartsDrawnAt !== undefined", timeout=30_000)
                seconds.append(page.evaluate("window.chartsDrawnAt") / 1000)
                context.close()
            medians[path] = statistics.median(seconds)
        browser.close()
    return medians


def print_pages(folder: Path) -> None:
    pages = sorted(p for p in folder.glob("*.html") if p.name != "index.html")
    drawn = charts_drawn(pages)
    width = max(len(p.stem) for p in pages)
    print(
        f"\npages in {folder.name}/ (targets: each <= {TARGET_PAGE_MB} MB; charts drawn <= {TARGET_CHARTS_S} s, median of {LOADS})"
    )
    for p in pages:
        size = p.stat().st_size / 1e6
        charts = "no chromium" if drawn[p] is None else f"{drawn[p]:5.2f} s {mark(drawn[p] <= TARGET_CHARTS_S)}"
        print(f"  {p.stem:<{width}}  {size:5.2f} MB {mark(size <= TARGET_PAGE_MB)}  charts drawn {charts}")
    total = sum(p.stat().st_size for p in folder.glob("*.html")) / 1e6
    print(
        f"  {'all pages':<{width}}  {total:5.1f} MB {mark(total <= TARGET_FOLDER_MB)}  (target <= {TARGET_FOLDER_MB} MB)"
    )
    known = [s for s in drawn.values() if s is not None]
    if known:
        print(
            f"  {'charts drawn, median of the pages':<{width}}  {statistics.median(known):5.2f} s "
            f"{mark(statistics.median(known) <= TARGET_CHARTS_S)}  (worst {max(known):.2f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the naive loop")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for render (default: one per core)"
    )
    parser.add_argument("--reports", type=int, default=0, help="at least this many reports (repeats the registry's)")
    parser.add_argument("--pages", type=Path, help="only measure the pages already in this folder")
    args = parser.parse_args()
    if args.pages:
        print_pages(args.pages.resolve())
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        reports = scratch_project(root, args.reports)
        env = os.environ | {"ANALYSIS_ROOT": str(root), "JUPYTER_RUNTIME_DIR": str(Path(tmp) / "rt")}
        workers = min(args.jobs, len(reports))
        print(f"{len(reports)} reports on {os.cpu_count()} cores, render with {workers} worker processes")

        t_naive = None
        if not args.quick:
            (root / "naive").mkdir()
            t_naive = naive(reports, root / "naive", env)
        t_cells, t_export = floor(reports)
        t_floor = (t_cells + t_export) / workers
        t_full = timed([BIN / "analysis", "render", "--force", "--jobs", str(args.jobs)], env)
        t_noop = timed([BIN / "analysis", "render"], env)

        row = "{:<54}{}".format
        print(
            row(
                "naive loop (papermill CLI + nbconvert CLI, serial):",
                "skipped (--quick)" if t_naive is None else f"{t_naive:6.1f} s",
            )
        )
        print(row(f"floor ((cells {t_cells:.1f} s + export {t_export:.1f} s) / {workers}):", f"{t_floor:6.1f} s"))
        versus = f"{t_full / t_floor:.1f}x the floor {mark(t_full <= TARGET_VS_FLOOR * t_floor)} (target <= {TARGET_VS_FLOOR}x)"
        if t_naive is not None:
            versus += f"; {t_naive / t_full:.1f}x faster than naive {mark(t_naive >= TARGET_VS_NAIVE * t_full)} (target >= {TARGET_VS_NAIVE}x)"
        print(row("analysis render --force:", f"{t_full:6.1f} s  {versus}"))
        print(
            row(
                "analysis render, nothing to do:",
                f"{t_noop:6.2f} s  {mark(t_noop <= TARGET_NOOP_S)} (target <= {TARGET_NOOP_S} s)",
            )
        )
        print_pages(root / "reports")


if __name__ == "__main__":
    main()
