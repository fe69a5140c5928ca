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
every page already in place or already finished. Any other error does the same and ends in one line.
A worker that dies (killed, out of memory) fails only the report it was running: the others go on in
a fresh pool.
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
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache

from analysis import settings
from analysis.build import frontpage, kernel, lock, registry, staleness, thumbnails
from analysis.data import files
from analysis.data.files import stderr_to
from analysis.pages import transparency

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
# Shared with the workers, per report (index into the stale list): the pid of the worker that took it, and when
# that worker got SIGTERM while on it (or after it). They tell the report a dead worker was running.
_pids = _killed = None
_current = None  # in a worker: the index of its report


def _worker_terminated(signum, frame):
    """A worker's SIGTERM: note when (see _culprits), then die of it."""
    if _current is not None:
        _killed[_current] = time.monotonic()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker_init(parent: int, warm: bool) -> None:
    """Workers die with the main process however it ends; the main process alone handles Ctrl-C, and a SIGTERM
    kills only the worker it is sent to (not the main process's handler, inherited by the fork). A warm worker
    starts its first kernel at once."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a killed render may leave workers to finish their report
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminated)
    if warm:
        from analysis.build import forkserver

        global _ahead
        _ahead = forkserver.Ahead(settings.KERNEL_NAME, KERNEL_ARGS, KERNEL_CONFIG, staleness.logs_dir())
        try:
            _ahead.start(settings.NOTEBOOKS_DIR)
        except Exception:  # not here (that would break the pool): each report tries again and fails in one line
            pass
        multiprocessing.util.Finalize(None, _ahead.close, exitpriority=10)


STILLBORN = "Kernel died before replying to kernel_info"


def _render(index: int, report: registry.Report, keep_code: bool, cell_timeout: int, warm: bool) -> Outcome:
    """Runs in a worker: execute, export, swap the page in; on failure the executed notebook stays in logs/.

    Files the notebook hands over (JSON-LD) are written after the page, only when everything succeeded; then the
    picture of its first chart for the front page (analysis.build.thumbnails)."""
    import papermill
    from traitlets.config import Config

    from analysis.build import export

    global _current
    _current, _pids[index] = index, os.getpid()
    start = time.perf_counter()
    log = staleness.logs_dir() / f"{report.name}.ipynb"
    kernel_log = log.with_suffix(".kernel.log")
    km = None
    try:
        # papermill and the kernel write these by name: a symlink is removed (never its target), not followed
        for path in (log, kernel_log):
            path.unlink(missing_ok=True)
        for attempt in (1, 2):
            if warm:  # this report's kernel was started ahead; start the next one while this one works
                km = _ahead.take(report.notebook.parent, kernel_log)
                _ahead.start(report.notebook.parent)
            try:
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
                break
            except RuntimeError as e:
                # a kernel that dies before answering (a port another process took between its choice and the
                # kernel's bind) gets one more, fresh kernel; any other failure is the report's
                if attempt == 2 or STILLBORN not in str(e):
                    raise
                if km is not None:
                    km.discard()
                    km = None
        page = export.to_html(nb, report.title, keep_code)
        published = export.published_files(nb)
        files.write_atomic(staleness.html(report.name), page)
        for name, content in published.items():
            files.write_atomic(files.inside_reports(name), content)
        thumbnails.make(report.name, staleness.html(report.name))
    except Exception as e:
        if getattr(getattr(getattr(km, "provisioner", None), "process", None), "server_gone", False):
            error = "the kernel fork server died while the report ran, and its kernel with it"
        else:
            error = _one_line(e, cell_timeout)
        return Outcome(report.name, False, time.perf_counter() - start, error)
    finally:
        if km is not None:
            km.discard()
    log.unlink(missing_ok=True)
    kernel_log.unlink(missing_ok=True)
    return Outcome(report.name, True, time.perf_counter() - start)


@cache
def _tables() -> dict:
    from analysis.data import load as data

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

    from analysis.build import export

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

    global _pids, _killed
    _pids = multiprocessing.Array("i", len(stale), lock=False)
    _killed = multiprocessing.Array("d", len(stale), lock=False)
    todo = list(range(len(stale)))
    with tqdm(total=len(stale), desc="render", unit="report", disable=None) as bar:
        while todo:
            todo = _batch(stale, todo, jobs, args, keys, states, outcomes, pages, bar)
            if todo is None:
                return outcomes, True
    return outcomes, False


def _batch(stale, todo, jobs, args, keys, states, outcomes, pages, bar) -> list[int] | None:
    """Render the reports `todo` (indexes into `stale`) in one pool. Returns those to run again in a fresh pool
    (a worker died, so the pool broke), or None when interrupted. Any other exception stops the pool and its
    kernels, then goes on up."""

    def finish(report, outcome):
        outcomes[report.name] = outcome
        staleness.record(report, outcome.ok, outcome.seconds, outcome.error, keys[report.name], states)
        bar.update()

    for i in todo:
        _pids[i], _killed[i] = 0, 0.0
    # fork: the workers start at once with everything imported before.
    pool = ProcessPoolExecutor(
        min(jobs, len(todo)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(os.getpid(), args[2]),  # args: _render's (keep_code, cell_timeout, warm)
    )
    futures = {}
    try:
        futures = {pool.submit(_render, i, stale[i], *args): i for i in todo}
        workers = dict(pool._processes)  # all started by the first submit (fork)
        broken = False
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken = True
                continue
            finish(stale[futures[future]], outcome)
        pool.shutdown(wait=True)
    except KeyboardInterrupt:
        _stop(pool, futures)
        for report in stale:  # a page swapped in just before its worker was killed is a finished page too
            if report.name not in outcomes and _mtime(report) != pages[report.name]:
                finish(report, Outcome(report.name, True, 0.0))
        return None
    except BaseException:
        _stop(pool, futures)
        raise
    if not broken:
        return []
    lost = [i for i in todo if stale[i].name not in outcomes]
    blamed = _culprits(todo, lost, workers)
    if len(blamed) + len(todo) - len(lost) == 0:  # nothing finished, nobody to blame: no endless retries
        blamed = lost
    for i in blamed:
        code = workers[_pids[i]].exitcode if _pids[i] in workers else None
        if code is None:
            error = "not run: a worker process died before taking it"
        else:
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            error = f"its worker process died ({how})"
        finish(stale[i], Outcome(stale[i].name, False, 0.0, error))
    return [i for i in lost if i not in blamed]


def _culprits(todo: list[int], lost: list[int], workers: dict) -> list[int]:
    """The unfinished reports whose worker died first. The broken pool SIGTERMs the other workers, so a worker
    that died otherwise (SIGKILL, a crash) is to blame; else the one that got its SIGTERM first (a worker
    between reports notes it on its last report, which is finished: nobody is blamed)."""
    dead = [i for i in lost if _pids[i] and workers[_pids[i]].exitcode not in (None, -signal.SIGTERM)]
    if dead:
        return dead
    marked = [i for i in todo if _killed[i]]
    first = min(marked, key=lambda i: _killed[i], default=None)
    return [first] if first in lost else []


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
                if problem := kernel.check():
                    raise CannotStart(problem)
                from analysis.build import forkserver

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
            transparency.write()
    except (CannotStart, lock.LockError, registry.RegistryError) as e:
        for line in str(e).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted before any report ran: nothing changed", file=sys.stderr)
        return 130
    except Exception as e:  # the workers and kernels are stopped, the lock released, finished reports recorded
        print(f"error: the render stopped: {registry.first_line(e)}", file=sys.stderr)
        return 1
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
