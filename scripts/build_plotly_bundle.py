"""Rebuild the partial plotly.js the reports embed (`make plotly-bundle`).

    python scripts/build_plotly_bundle.py [--work DIR]

Installs scripts/plotly-bundle/ (plotly.js, esbuild, terser, pinned by its package-lock.json) with
`npm ci` in a scratch folder, bundles the trace types of analysis.build.plotly_bundle.TRACES, and writes
the bundle and plotly.js's licence into src/analysis/assets/. plotly.js is kept at the version the
installed plotly.py embeds: when that changes, the pin and the lock file are updated first. The same
inputs give the same bytes. Needs node and npm.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis.build import plotly_bundle
from analysis.data.files import relative, write_atomic

HERE = Path(__file__).resolve().parent / "plotly-bundle"
# No registry host in the committed lock file; npm ci needs no install scripts (esbuild ships its binary as a package).
NPM_FLAGS = ["--ignore-scripts", "--no-audit", "--no-fund", "--omit-lockfile-registry-resolved"]


class BuildError(Exception):
    pass


def run(cmd: list[str], cwd: Path) -> None:
    try:
        subprocess.run(cmd, cwd=cwd, check=True)
    except FileNotFoundError:
        raise BuildError(
            f"{cmd[0]} not found: the bundle is built with node and npm (apt-get install nodejs npm)"
        ) from None
    except subprocess.CalledProcessError as e:
        raise BuildError(f"`{' '.join(cmd)}` failed with exit code {e.returncode}") from None


def install(work: Path, version: str) -> None:
    """scripts/plotly-bundle/ copied into `work` and its node_modules installed, with plotly.js at `version`."""
    for name in ("package.json", "package-lock.json", "build.mjs"):
        shutil.copy(HERE / name, work / name)
    pinned = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["dependencies"]["plotly.js"]
    if pinned == version:
        run(["npm", "ci", *NPM_FLAGS], work)
        return
    print(
        f"plotly.py embeds plotly.js {version}, scripts/plotly-bundle pins {pinned}: updating the pin and the lock file"
    )
    run(["npm", "install", "--save-exact", *NPM_FLAGS, f"plotly.js@{version}"], work)
    for name in ("package.json", "package-lock.json"):
        write_atomic(HERE / name, (work / name).read_bytes())


def bundle_header(version: str) -> str:
    """plotly.py's own header for that version, naming the trace types this bundle holds."""
    lines = plotly_bundle.header(plotly_bundle.embedded_js()).splitlines()
    at = next(i for i, line in enumerate(lines) if line == f"* plotly.js v{version}") + 1
    lines[at:at] = [
        f"* partial bundle, trace types: {', '.join(plotly_bundle.TRACES)}",
        "* built by scripts/build_plotly_bundle.py (make plotly-bundle) from the npm package plotly.js",
    ]
    return "\n".join(lines) + "\n"


def build(work: Path) -> None:
    version = plotly_bundle.version(plotly_bundle.embedded_js())
    install(work, version)
    out = work / "bundle.js"
    run(["node", "build.mjs", str(out), *plotly_bundle.TRACES], work)
    js = out.read_text(encoding="utf-8")
    if "</script" in js.lower():  # the page embeds it inline
        raise BuildError("the bundle contains '</script', which would end its inline <script> element")
    write_atomic(plotly_bundle.BUNDLE, bundle_header(version) + js)
    write_atomic(plotly_bundle.LICENSE, (work / "node_modules" / "plotly.js" / "LICENSE").read_bytes())
    size = plotly_bundle.BUNDLE.stat().st_size
    print(
        f"{relative(plotly_bundle.BUNDLE)}: plotly.js {version}, {', '.join(plotly_bundle.TRACES)}; {size / 1e6:.2f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="scratch folder for node_modules (default: a temporary one)")
    args = parser.parse_args()
    try:
        if args.work:
            args.work.mkdir(parents=True, exist_ok=True)
            build(args.work)
        else:
            with tempfile.TemporaryDirectory(prefix="plotly-bundle-") as tmp:
                build(Path(tmp))
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
