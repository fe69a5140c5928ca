"""Warm kernels: one process imports the report libraries once, and each report's kernel is a fork of it.

Starting a kernel and importing pandas, plotly, pandera and this package costs about a second per report,
more than most reports' own code. `analysis render` starts one fork server (`python -m analysis.build.forkserver
SOCKET`) per run; it imports the libraries and then, on each request, forks a child that becomes an
ordinary ipykernel kernel with the connection file jupyter_client wrote. Every report still gets a fresh
kernel process (the server never runs notebook code, so nothing carries over from one report to the next),
papermill still injects the parameters, and nbclient still talks to the kernel over ZeroMQ as usual.

`WarmKernelManager` uses `ForkProvisioner`, which asks the server for the kernel instead of starting
`python -m ipykernel_launcher`. Each render worker keeps its next kernel started (`Ahead`) and hands it to
papermill, so a report waits neither for its kernel to start nor for the previous one to stop. The project kernel spec names the
provisioner too (`python -m analysis.build.forkserver install-kernelspec`, run by `make`), so nbval's kernels are
warm while the test session runs a server; with no server running (JupyterLab) it starts kernels as usual. Children die with the server and
the server with the process that started it (PR_SET_PDEATHSIG), so a killed render leaves nothing behind.
"""

from __future__ import annotations

import builtins
import contextlib
import ctypes
import importlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import types
import uuid
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import run_sync
from traitlets import Type

ADDRESS_ENV = "ANALYSIS_FORKSERVER"
PR_SET_PDEATHSIG = 1
# What every kernel imports as it starts; the modules the notebooks import are added (see _warm_up).
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # debugpy: two thirds of a kernel's start-up, were each kernel to import it
    "ipykernel.zmqshell",
    "sqlite3",  # IPython's history
    "IPython.display",
)
# What this package's modules import, some of it only inside functions: warmed when the notebooks use the package.
PACKAGE_LIBRARIES = (
    "numpy",
    "pandas",
    "plotly.express",
    "plotly.graph_objects",
    "plotly.io",
    "pandera.pandas",
    "scipy.stats",
    "yaml",
)
LAUNCHER = "ipykernel_launcher"
STARTUP_SECONDS = 60


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        pass


# ---------------------------------------------------------------- the server


def _notebook_modules() -> list[str]:
    """The modules the notebooks import: `import x` gives x; `from x import a` gives x and x.a (when a is a
    module). Only those: a project whose notebooks use neither pandas nor this package warms up in a moment."""
    from analysis import settings

    found = set()
    for path in settings.NOTEBOOKS_DIR.glob("*.ipynb"):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        except (OSError, ValueError, KeyError, TypeError):  # not a notebook: render says why
            continue
        for line in code.splitlines():
            if m := re.search(r"\bfrom ([\w.]+) import ([\w, ]+)", line):
                found.add(m.group(1))
                found.update(f"{m.group(1)}.{name.split()[0]}" for name in m.group(2).split(",") if name.strip())
            elif m := re.search(r"\bimport ([\w.]+)", line):
                found.add(m.group(1))
    if any(name == "analysis" or name.startswith("analysis.") for name in found):
        found.update(PACKAGE_LIBRARIES)
    return sorted(found)


def _warm_up() -> None:
    """Import what the kernels and the notebooks import. Only a head start: a module that fails here (a scratch
    project without some table, say) is left for the kernel to import, and to fail on, as it would without the
    server."""
    sys.modules.setdefault("rfc3987_syntax", None)  # as the kernels' exec_lines do (see render.KERNEL_ARGS)
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # debugpy's import-time warning about frozen modules
    names = _notebook_modules()
    if "pandas" in names:
        # pandas picks its display.max_columns default on import by asking IPython whether it runs in a kernel
        # (20 columns) or a terminal (fit the width). Answer as a kernel would, so tables print as in a cold kernel.
        builtins.get_ipython = lambda: types.SimpleNamespace(kernel=True)
        try:
            importlib.import_module("pandas")
        finally:
            del builtins.get_ipython
    for name in [*KERNEL_MODULES, *names]:
        try:
            importlib.import_module(name)
        except Exception:
            sys.modules.pop(name, None)


def _become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: the process jupyter_client would have started, then never return."""
    code = 1
    try:
        os.setsid()  # its own process group, as jupyter_client gives a kernel (interrupts go to the group)
        _die_with_parent()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        argv = request["argv"]
        sys.argv = [argv[0], *argv[argv.index(LAUNCHER) + 1 :]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=sys.argv[1:])
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(address: str) -> None:
    """Import once, then fork a kernel per request until the parent goes away."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the render's to handle
    _warm_up()
    exited: dict[int, int] = {}
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(16)
    server.settimeout(0.2)
    while True:
        while True:  # reap the kernels that have ended
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            exited[pid] = os.waitstatus_to_exitcode(status)
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(10)
            first, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
            request = json.loads(first + b"".join(iter(lambda: conn.recv(1 << 16), b"")))
            if request["op"] == "spawn":
                pid = os.fork()
                if pid == 0:  # the child keeps nothing of the server: the client reads its reply to the end
                    server.close()
                    conn.close()
                    _become_kernel(request, fds)
                reply = {"pid": pid}
            else:  # status
                pid = request["pid"]
                reply = {"returncode": exited.get(pid)}
            for fd in fds:
                os.close(fd)
            conn.sendall(json.dumps(reply).encode())


# ---------------------------------------------------------------- the client side


class ServerGone(RuntimeError):
    """The fork server has exited (killed, or its render ended): its kernels died with it."""


def _connect(conn: socket.socket, warming: bool) -> None:
    """Connect to the server, waiting while it warms up (it listens once its imports are done). A refused
    connection means it listened and has gone: that is said at once (after a grace for bind-then-listen)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    refused_until = None
    while True:
        try:
            return conn.connect(os.environ[ADDRESS_ENV])
        except ConnectionRefusedError:
            refused_until = refused_until or time.monotonic() + 1
            if time.monotonic() > refused_until:
                raise ServerGone("the kernel fork server has died: its kernels died with it") from None
        except FileNotFoundError:
            if not warming:
                raise ServerGone("the kernel fork server has died: its kernels died with it") from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the kernel fork server did not start within {STARTUP_SECONDS} s "
                    "(`python -m analysis.build.forkserver X` shows why; `analysis render --cold` does without it)"
                ) from None
        time.sleep(0.05)


def _ask(request: dict, fds: tuple[int, ...] = ()) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        _connect(conn, warming=request["op"] == "spawn")
        socket.send_fds(conn, [json.dumps(request).encode()], list(fds))
        conn.shutdown(socket.SHUT_WR)
        return json.loads(b"".join(iter(lambda: conn.recv(65536), b"")))


class ForkedKernel:
    """What LocalProvisioner expects of a subprocess.Popen, for a kernel the server forked."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode, self.server_gone = pid, None, False

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = _ask({"op": "status", "pid": self.pid})["returncode"]
            except (ServerGone, ConnectionError, ValueError):  # its children die with it (PR_SET_PDEATHSIG)
                self.server_gone, self.returncode = True, -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


STREAMS = ("stdin", "stdout", "stderr")


def _fd(default: int, stream) -> int:
    """The descriptor a Popen stream argument names; ours for None (inherit) and for PIPE/DEVNULL."""
    if hasattr(stream, "fileno"):
        return stream.fileno()
    return stream if isinstance(stream, int) and stream >= 0 else default


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner, but the kernel process comes from the fork server. The kernel gets this process's
    stdin, stdout and stderr, as a subprocess would."""

    async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
        if LAUNCHER not in cmd or ADDRESS_ENV not in os.environ:  # no server, or not ipykernel: the usual way
            return await super().launch_kernel(cmd, **kwargs)
        # As jupyter_client's launcher does: a kernel with a parent pid stays quiet on the console. The server
        # imported ipykernel before this pid existed, so the trait's env-var default is set on the command line.
        env = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
        argv = [*cmd, f"--IPKernelApp.parent_handle={os.getpid()}"]
        request = {"op": "spawn", "argv": argv, "cwd": str(kwargs.get("cwd") or Path.cwd()), "env": env}
        self.process = ForkedKernel(_ask(request, tuple(map(_fd, (0, 1, 2), (kwargs.get(k) for k in STREAMS))))["pid"])
        self.pid = self.pgid = self.process.pid
        self.cwd = kwargs.get("cwd", Path.cwd())
        return self.connection_info


class WarmClient(AsyncKernelClient):
    """jupyter_client's client, less the 0.2 s it always waits at start for IOPub to go quiet: the first
    kernel_info reply, once IOPub carries messages, is enough (nbclient reads only replies to its own requests)."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or float("inf"))
        while True:
            self.kernel_info()
            with contextlib.suppress(queue.Empty):
                reply = await self.shell_channel.get_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


class WarmKernelManager(AsyncKernelManager):
    """The kernel manager papermill uses while a fork server runs (see render)."""

    client_factory = Type(WarmClient)

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        self.__dict__.setdefault("_clients", []).append(kc)
        return kc

    def discard(self) -> None:
        """Kill the kernel (a report's kernel has nothing worth a graceful end; the server reaps it, so there is
        no wait) and close its clients, which nbclient leaves open on a kernel manager it was handed."""
        for kc in self.__dict__.pop("_clients", []):
            kc.stop_channels()
        run_sync(self.provisioner.kill)()
        run_sync(self.cleanup_resources)()


class Ahead:
    """A render worker's next kernel, started while the worker is between reports (or busy with the previous
    one), so a report does not wait for its kernel to start nor for the last one to stop. Each kernel still
    serves one report only. Its stderr goes to a spare log, renamed to the report's kernel log when taken."""

    def __init__(self, kernel_name: str, extra_arguments: list[str], config: dict, logs: Path):
        from traitlets.config import Config

        self.kernel_name, self.extra_arguments, self.config = kernel_name, extra_arguments, Config(config)
        self.spare_log = logs / f".next-{os.getpid()}.kernel.log"
        self.km: WarmKernelManager | None = None
        self.cwd: Path | None = None

    def start(self, cwd: Path) -> None:
        from analysis.data.files import stderr_to

        km = WarmKernelManager(kernel_name=self.kernel_name, config=self.config)
        self.spare_log.unlink(missing_ok=True)  # a symlink put there is removed, not written through
        with stderr_to(self.spare_log, "w"):
            run_sync(km.start_kernel)(extra_arguments=self.extra_arguments, cwd=str(cwd))
        self.km, self.cwd = km, cwd

    def take(self, cwd: Path, log: Path) -> WarmKernelManager:
        """The kernel started ahead (a new one if it was started elsewhere or has died); its log becomes `log`."""
        if self.km is None or self.cwd != cwd or not run_sync(self.km.is_alive)():
            self.close()
            self.start(cwd)
        km, self.km = self.km, None
        os.replace(self.spare_log, log)
        return km

    def close(self) -> None:
        if self.km is not None:
            self.km.discard()
            self.km = None
        self.spare_log.unlink(missing_ok=True)


class Server:
    """`with Server():` runs a fork server for the block and points ADDRESS_ENV at it. It returns at once: the
    server warms up while the caller goes on, and the first kernel request waits for it."""

    def __enter__(self) -> Server:
        # A private folder in the temp dir: a socket path must be short (108 bytes) and not world-writable.
        self.folder = Path(tempfile.mkdtemp(prefix="analysis-"))
        self.address = str(self.folder / "forkserver.sock")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis.build.forkserver", self.address], stdin=subprocess.DEVNULL
        )
        os.environ[ADDRESS_ENV] = self.address
        return self

    def __exit__(self, *exc) -> None:
        os.environ.pop(ADDRESS_ENV, None)
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


PROVISIONER = "analysis-forkserver"  # the entry point name in pyproject.toml


def install_kernelspec(name: str) -> None:
    """Name the provisioner in an installed kernel spec of this environment."""
    from jupyter_client.kernelspec import KernelSpecManager

    path = Path(KernelSpecManager().get_kernel_spec(name).resource_dir) / "kernel.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec.setdefault("metadata", {})["kernel_provisioner"] = {"provisioner_name": PROVISIONER}
    path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["install-kernelspec"]:
        install_kernelspec(sys.argv[2])
    else:
        serve(sys.argv[1])
