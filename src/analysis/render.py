"""`analysis render`: run the registered notebooks with papermill and export them to offline HTML.

Only stale reports run. A report's inputs (its notebook and parameters, the curated data, this
package's source, the pinned library versions, --keep-code) hash into a key kept in
reports/.state/; an unchanged key skips the report. Stale reports run in parallel worker
processes. Each page is written to a temporary file and renamed into place, so a failed or
killed run never loses the previous good report; a failed run leaves its executed notebook,
error included, in reports/logs/.

The no-op path reads only the registry and hashes files: pandas, papermill and nbconvert are
imported once there is work to do.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import platform
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import metadata
from pathlib import Path

from analysis import fingerprint, frontpage, registry, settings
from analysis.files import write_atomic

# jsonschema (imported by nbformat, which papermill, nbconvert and plotly's figure display use) imports
# rfc3987_syntax, which compiles a grammar for a second, for URI formats nothing here checks. Skip it here
# (the workers, forked from here, inherit that) and in every kernel: a second less for each report.
sys.modules.setdefault("rfc3987_syntax", None)
KERNEL_ARGS = ["--IPKernelApp.exec_lines=import sys; sys.modules.setdefault('rfc3987_syntax', None)"]


class CannotStart(Exception):
    """Nothing was rendered: the message says why, one line per problem."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    seconds: float
    error: str = ""


def _state_dir() -> Path:
    return settings.REPORTS_DIR / ".state"


def _logs_dir() -> Path:
    return settings.REPORTS_DIR / "logs"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _versions() -> dict[str, str]:
    """Installed versions of the package's own dependencies (the pins in pyproject.toml)."""
    names = [re.match(r"[\w.-]+", req).group() for req in metadata.requires("analysis") or [] if "extra ==" not in req]
    return {"python": platform.python_version(), **{n: metadata.version(n) for n in names}}


def _shared_inputs(keep_code: bool) -> dict:
    return {
        "data": fingerprint.data_version(),
        "package": fingerprint.digest(fingerprint.files(settings.PACKAGE_DIR), settings.PACKAGE_DIR),
        "versions": _versions(),
        "keep_code": keep_code,
    }


def _key(report: registry.Report, shared: dict) -> str:
    """A hash of everything the page depends on."""
    inputs = {**shared, "title": report.title, "parameters": report.parameters,
              "notebook": fingerprint.digest([report.notebook], report.notebook.parent)}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _html(name: str) -> Path:
    return settings.REPORTS_DIR / f"{name}.html"


def _up_to_date(report: registry.Report, state: dict, key: str) -> bool:
    return state.get("status") == "ok" and state.get("key") == key and _html(report.name).is_file()


def _one_line(e: BaseException) -> str:
    if hasattr(e, "ename"):  # papermill's PapermillExecutionError: the notebook's own exception
        return f"{e.ename}: {e.evalue} (cell [{e.exec_count}])"
    return registry.first_line(e)


def _render(report: registry.Report, keep_code: bool) -> Outcome:
    """Runs in a worker: execute, export, swap the page in; on failure the executed notebook stays in logs/."""
    import papermill
    from traitlets.config import Config

    from analysis import export

    start = time.perf_counter()
    log = _logs_dir() / f"{report.name}.ipynb"
    try:
        nb = papermill.execute_notebook(
            report.notebook, log, parameters=report.parameters, kernel_name=settings.KERNEL_NAME,
            progress_bar=False, cwd=report.notebook.parent, extra_arguments=KERNEL_ARGS,
            # CurveZMQ when the kernel supports it (ours does): no "running over TCP without encryption" warnings.
            config=Config({"KernelManager": {"transport_encryption": "auto"}}),
        )
        write_atomic(_html(report.name), export.to_html(nb, report.title, keep_code))
    except Exception as e:
        return Outcome(report.name, False, time.perf_counter() - start, _one_line(e))
    log.unlink(missing_ok=True)
    return Outcome(report.name, True, time.perf_counter() - start)


@cache
def _tables() -> dict:
    from analysis import data

    return data.load_all()


def _load_table(name: str):
    """For the ids checks: every table loads (and validates) once per run."""
    return _tables()[name]


def _run(stale: list[registry.Report], jobs: int, keep_code: bool, keys: dict, states: dict) -> dict[str, Outcome]:
    """Render in parallel; each report's state is saved as soon as it finishes."""
    import papermill  # noqa: F401  imported before forking, so no worker imports it again
    from tqdm import tqdm

    from analysis import export  # noqa: F401  same

    _logs_dir().mkdir(exist_ok=True)
    outcomes = {}
    # fork: the workers start at once with everything imported above.
    with ProcessPoolExecutor(min(jobs, len(stale)), mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(_render, r, keep_code): r for r in stale}
        with tqdm(total=len(stale), desc="render", unit="report", disable=None) as bar:
            for future in as_completed(futures):
                report = futures[future]
                try:
                    outcome = future.result()
                except Exception as e:  # a worker that died (killed, out of memory)
                    outcome = Outcome(report.name, False, 0.0, _one_line(e))
                outcomes[report.name] = outcome
                old = states.get(report.name, {})
                if outcome.ok:
                    state = {"key": keys[report.name], "status": "ok", "built": _now(), "seconds": round(outcome.seconds, 1),
                             "data_version": fingerprint.data_version(), "parameters": report.parameters}
                else:
                    state = {**old, "status": "failed", "error": outcome.error, "failed": _now()}
                states[report.name] = state
                write_atomic(_state_dir() / f"{report.name}.json", json.dumps(state, indent=1))
                bar.update()
    return outcomes


def _publish_data(version: str) -> None:
    """Copy the curated CSVs and datapackage.json into reports/data/ so the folder stands alone (when changed)."""
    target = settings.REPORTS_DIR / "data"
    record = _state_dir() / "data.json"
    if _read_json(record).get("data_version") == version and target.is_dir():
        return
    copies = {target / p.relative_to(settings.CURATED_DIR): p for p in fingerprint.files(settings.CURATED_DIR)}
    for copy, src in copies.items():
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, src.read_bytes())
    for old in set(fingerprint.files(target)) - set(copies):
        old.unlink()
    write_atomic(record, json.dumps({"data_version": version}))


def _print_summary(reports: list[registry.Report], outcomes: dict[str, Outcome]) -> None:
    width = max([len("report")] + [len(r.name) for r in reports])
    print(f"{'report':<{width}}  {'status':<10}  {'seconds':>7}")
    for r in reports:
        o = outcomes.get(r.name)
        if o is None:
            print(f"{r.name:<{width}}  {'up to date':<10}  {'-':>7}")
        else:
            print(f"{r.name:<{width}}  {'ok' if o.ok else 'FAILED':<10}  {o.seconds:>7.1f}  {o.error}".rstrip())


@contextmanager
def _exclusive():
    """One render at a time per reports folder; also makes it safe to sweep away leftover temp files."""
    _state_dir().mkdir(parents=True, exist_ok=True)
    with open(_state_dir() / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CannotStart(f"another `analysis render` is running on {settings.REPORTS_DIR}") from None
        for tmp in settings.REPORTS_DIR.rglob(".*.tmp"):  # left by a killed run
            tmp.unlink()
        yield


def main(names: list[str], *, jobs: int | None = None, force: bool = False, keep_code: bool = False) -> int:
    """Render the named reports (all by default); 0 when all are ok, 1 when one failed, 2 when none could start."""
    try:
        if jobs is not None and jobs < 1:
            raise CannotStart(f"--jobs must be at least 1, got {jobs}")
        reports = registry.load(settings.REGISTRY)
        selected = registry.select(reports, names)
        with _exclusive():
            shared = _shared_inputs(keep_code)
            keys = {r.name: _key(r, shared) for r in selected}
            states = {r.name: _read_json(_state_dir() / f"{r.name}.json") for r in reports}
            stale = [r for r in selected if force or not _up_to_date(r, states[r.name], keys[r.name])]
            outcomes = {}
            if stale:
                problems = registry.check_all(stale, _load_table)
                if problems:
                    raise CannotStart("\n".join(problems))
                try:
                    outcomes = _run(stale, jobs or os.cpu_count() or 1, keep_code, keys, states)
                except KeyboardInterrupt:
                    print("\ninterrupted: the reports in place are the previous ones, intact", file=sys.stderr)
                    return 130
            _publish_data(shared["data"])
            frontpage.write(reports, states)
    except (CannotStart, registry.RegistryError) as e:
        for line in str(e).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    _print_summary(selected, outcomes)
    failed = [name for name, o in outcomes.items() if not o.ok]
    if failed:
        print(f"{len(failed)} report(s) failed: {', '.join(failed)}; their previous pages are kept, "
              f"the executed notebooks are in {_logs_dir()}", file=sys.stderr)
        return 1
    return 0
