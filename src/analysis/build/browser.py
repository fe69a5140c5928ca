"""How the project launches headless Chromium, for the browser tests and the benchmark's chart timing: Debian's
chromium, with no sandbox (root in CI) and no background requests."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
