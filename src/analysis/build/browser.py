"""How the project drives headless Chromium: Debian's chromium, with no sandbox (root in CI) and no background
requests. The browser tests and the benchmark's chart timing launch it with these arguments; the pictures drawn
from rendered pages (analysis.build.thumbnails, analysis.build.figures) open each page offline here and let its own
plotly.js draw."""

from __future__ import annotations

import base64
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def available() -> bool:
    """Whether pictures can be drawn here: Debian's chromium and playwright (a test dependency) are installed."""
    return CHROMIUM.is_file() and importlib.util.find_spec("playwright") is not None


@contextmanager
def launch() -> Iterator:
    """Headless Chromium, closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def evaluate(chromium, page: Path, script: str, timeout_ms: int):
    """What the script returns on the rendered page, opened offline in a tab of its own."""
    tab = chromium.new_page(offline=True)
    try:
        tab.set_default_timeout(timeout_ms)
        tab.goto(page.as_uri())
        return tab.evaluate(script)
    finally:
        tab.close()


def decode(url: str) -> bytes:
    """The bytes of a data: URL such as Plotly.toImage returns (base64 for PNG, percent-encoded for SVG)."""
    head, data = url.split(",", 1)
    return base64.b64decode(data) if head.endswith(";base64") else unquote(data).encode()
