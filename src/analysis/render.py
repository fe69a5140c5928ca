"""`analysis render`: run the registered notebooks with papermill and export them to offline HTML.

Only stale reports run. A report's inputs (its notebook and parameters, the curated data, this
package's source, the pinned library versions, --keep-code) hash into a key kept in
reports/.state/; an unchanged key skips the report. Stale reports run in parallel worker
processes. Each page is written to a temporary file and renamed into place, so a failed or
killed run never loses the previous good report; a failed run leaves its executed notebook,
error included, in reports/logs/.

The no-op path reads only the registry and hashes files: pandas, papermill and nbconvert are
imported once there is work to do.

Stopping: workers die with the main process (PR_SET_PDEATHSIG), and kernels with their worker
(ipykernel watches its parent), so a killed render leaves no orphan holding the lock. SIGINT and
SIGTERM cancel the queue, kill the workers (a page is swapped in whole or not at all) and keep
every page already in place or already finished.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache

from analysis import frontpage, lock, registry, settings, staleness
from analysis.files import stderr_to, write_atomic

# jsonschema (imported by nbformat, which papermill, nbconvert and plotly's figure display use) imports
# rfc3987_syntax, which compiles a grammar for a second, for URI formats nothing here checks. Skip it here
# (the workers, forked from here, inherit that) and in every kernel: a second less for each report.
sys.modules.setdefault("rfc3987_syntax", None)
KERNEL_ARGS = ["--IPKernelApp.exec_lines=import sys; sys.modules.setdefault('rfc3987_syntax', None)"]
# CurveZMQ when the kernel supports it (ours does): no "running over TCP without encryption" warnings.
KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


PR_SET_PDEATHSIG = 1


class CannotStart(Exception):
    """Nothing was rendered: the message says why, one line per problem."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    seconds: float
    error: str = ""


def _one_line(e: BaseException, cell_timeout: int | None = None) -> str:
    if hasattr(e, "ename"):  # papermill's PapermillExecutionError: the notebook's own exception
        return f"{e.ename}: {e.evalue} (cell [{e.exec_count}])"
    if type(e).__name__ == "CellTimeoutError":
        return f"a cell ran longer than the cell timeout ({cell_timeout} s; see --cell-timeout)"
    return registry.first_line(e)


_ahead = None  # a warm worker's next kernel (forkserver.Ahead)


def _worker_init(parent: int, warm: bool) -> None:
    """Workers die with the main process however it ends; the main process alone handles Ctrl-C. A warm worker
    starts its first kernel at once."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a killed render may leave workers to finish their report
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm:
        from analysis import forkserver

        global _ahead
        _ahead = forkserver.Ahead(settings.KERNEL_NAME, KERNEL_ARGS, KERNEL_CONFIG, staleness.logs_dir())
        _ahead.start(settings.NOTEBOOKS_DIR)
        multiprocessing.util.Finalize(None, _ahead.close, exitpriority=10)


def _render(report: registry.Report, keep_code: bool, cell_timeout: int, warm: bool) -> Outcome:
    """Runs in a worker: execute, export, swap the page in; on failure the executed notebook stays in logs/.

    Files the notebook hands over (JSON-LD) are written after the page, only when everything succeeded."""
    import papermill
    from traitlets.config import Config

    from analysis import export

    start = time.perf_counter()
    log = staleness.logs_dir() / f"{report.name}.ipynb"
    kernel_log = log.with_suffix(".kernel.log")
    kernel_log.unlink(missing_ok=True)
    km = None
    try:
        if warm:  # this report's kernel was started ahead; start the next one while this one works
            km = _ahead.take(report.notebook.parent, kernel_log)
            _ahead.start(report.notebook.parent)
        # kernel chatter (and the warning a kernel prints when its worker is killed) goes beside the notebook
        with stderr_to(kernel_log):
            nb = papermill.execute_notebook(
                report.notebook,
                log,
                parameters=report.parameters,
                kernel_name=settings.KERNEL_NAME,
                km=km,
                progress_bar=False,
                cwd=report.notebook.parent,
                extra_arguments=KERNEL_ARGS,
                execution_timeout=cell_timeout,
                config=Config(KERNEL_CONFIG),
            )
        page = export.to_html(nb, report.title, keep_code)
        files = export.published_files(nb)
        write_atomic(staleness.html(report.name), page)
        for name, content in files.items():
            (settings.REPORTS_DIR / name).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(settings.REPORTS_DIR / name, content)
    except Exception as e:
        return Outcome(report.name, False, time.perf_counter() - start, _one_line(e, cell_timeout))
    finally:
        if km is not None:
            km.discard()
    log.unlink(missing_ok=True)
    kernel_log.unlink(missing_ok=True)
    return Outcome(report.name, True, time.perf_counter() - start)


@cache
def _tables() -> dict:
    from analysis import data

    return data.load_all()


def _load_table(name: str):
    """For the ids checks: every table loads (and validates) once per run."""
    return _tables()[name]


def _stop(pool: ProcessPoolExecutor, futures: dict) -> None:
    """Cancel the queue and kill the workers: their kernels follow, their pages stay as they were."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    for future in futures:
        future.cancel()
    for p in list(getattr(pool, "_processes", {}).values()):
        p.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _mtime(report: registry.Report) -> int | None:
    page = staleness.html(report.name)
    return page.stat().st_mtime_ns if page.exists() else None


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _run(
    stale: list[registry.Report], jobs: int, keep_code: bool, cell_timeout: int, warm: bool, keys: dict, states: dict
) -> tuple[dict[str, Outcome], bool]:
    """Render in parallel; each report's state is saved as soon as it finishes. Returns (outcomes, interrupted)."""
    import papermill  # noqa: F401  imported before forking, so no worker imports it again

    from analysis import export

    export.warm_up(keep_code)

    staleness.logs_dir().mkdir(exist_ok=True)
    outcomes, pages = {}, {r.name: _mtime(r) for r in stale}
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return _in_pool(stale, jobs, (keep_code, cell_timeout, warm), keys, states, outcomes, pages)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _in_pool(stale, jobs, args, keys, states, outcomes, pages) -> tuple[dict[str, Outcome], bool]:
    from tqdm import tqdm

    warm = args[2]  # args: _render's (keep_code, cell_timeout, warm)
    # fork: the workers start at once with everything imported before.
    pool = ProcessPoolExecutor(
        min(jobs, len(stale)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(os.getpid(), warm),
    )
    futures = {pool.submit(_render, r, *args): r for r in stale}
    try:
        with tqdm(total=len(stale), desc="render", unit="report", disable=None) as bar:
            for future in as_completed(futures):
                report = futures[future]
                try:
                    outcome = future.result()
                except Exception as e:  # a worker that died (killed, out of memory)
                    outcome = Outcome(report.name, False, 0.0, _one_line(e))
                outcomes[report.name] = outcome
                staleness.record(report, outcome.ok, outcome.seconds, outcome.error, keys[report.name], states)
                bar.update()
    except KeyboardInterrupt:
        _stop(pool, futures)
        for report in stale:  # a page swapped in just before its worker was killed is a finished page too
            if report.name not in outcomes and _mtime(report) != pages[report.name]:
                outcomes[report.name] = Outcome(report.name, True, 0.0)
                staleness.record(report, True, 0.0, "", keys[report.name], states)
        return outcomes, True
    pool.shutdown(wait=True)
    return outcomes, False


def _print_summary(reports: list[registry.Report], outcomes: dict[str, Outcome]) -> None:
    width = max([len("report")] + [len(r.name) for r in reports])
    print(f"{'report':<{width}}  {'status':<10}  {'seconds':>7}")
    for r in reports:
        o = outcomes.get(r.name)
        if o is None:
            print(f"{r.name:<{width}}  {'up to date':<10}  {'-':>7}")
        else:
            print(f"{r.name:<{width}}  {'ok' if o.ok else 'FAILED':<10}  {o.seconds:>7.1f}  {o.error}".rstrip())


def _interrupted_line(stale: list[registry.Report], outcomes: dict[str, Outcome]) -> str:
    done = [r.name for r in stale if r.name in outcomes and outcomes[r.name].ok]
    failed = [r.name for r in stale if r.name in outcomes and not outcomes[r.name].ok]
    missed = [r.name for r in stale if r.name not in outcomes]
    parts = [f"rendered {len(done)} of {len(stale)}" + (f" ({', '.join(done)})" if done else "")]
    if failed:
        parts.append(f"failed: {', '.join(failed)}")
    parts.append(f"not rendered, previous pages kept: {', '.join(missed) or 'none'}")
    return "interrupted: " + "; ".join(parts)


def main(
    names: list[str],
    *,
    jobs: int | None = None,
    force: bool = False,
    keep_code: bool = False,
    cell_timeout: int = settings.CELL_TIMEOUT_SECONDS,
    warm: bool = True,
) -> int:
    """Render the named reports (all by default); 0 when all are ok, 1 when one failed, 2 when none could start,
    130 when interrupted."""
    interrupted = False
    try:
        if jobs is not None and jobs < 1:
            raise CannotStart(f"--jobs must be at least 1, got {jobs}")
        if cell_timeout < 1:
            raise CannotStart(f"--cell-timeout must be at least 1 second, got {cell_timeout}")
        reports = registry.load(settings.REGISTRY)
        selected = registry.select(reports, names)
        with lock.exclusive(), ExitStack() as stack:
            shared = staleness.shared_inputs(keep_code)
            keys = {r.name: staleness.key(r, shared) for r in selected}
            states = {r.name: staleness.read_json(staleness.state_dir() / f"{r.name}.json") for r in reports}
            stale = [r for r in selected if force or not staleness.up_to_date(r, states[r.name], keys[r.name])]
            outcomes = {}
            if stale:
                from analysis import forkserver

                # The kernel fork server warms up while the parameters are checked and the workers start.
                if warm:
                    stack.enter_context(forkserver.Server())
                else:  # no server inherited from the caller either (the kernel spec's provisioner would use it)
                    os.environ.pop(forkserver.ADDRESS_ENV, None)
                problems = registry.check_all(stale, _load_table)
                if problems:
                    raise CannotStart("\n".join(problems))
                outcomes, interrupted = _run(
                    stale, jobs or os.cpu_count() or 1, keep_code, cell_timeout, warm, keys, states
                )
            staleness.publish_data(shared["data"])
            removed = staleness.prune({r.name for r in reports})
            frontpage.write(reports, states)
    except (CannotStart, lock.LockError, registry.RegistryError) as e:
        for line in str(e).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted before any report ran: nothing changed", file=sys.stderr)
        return 130
    if interrupted:
        print("\n" + _interrupted_line(stale, outcomes), file=sys.stderr)
        return 130
    _print_summary(selected, outcomes)
    if removed:
        print(f"removed the pages of reports no longer in the registry: {', '.join(removed)}")
    failed = [name for name, o in outcomes.items() if not o.ok]
    if failed:
        print(
            f"{len(failed)} report(s) failed: {', '.join(failed)}; their previous pages are kept, "
            f"the executed notebooks are in {staleness.logs_dir()}",
            file=sys.stderr,
        )
        return 1
    return 0
