"""reports/thumbs/<report>.png: a small picture of a report's first chart for its card on the front page.

Made after the page is written, offline: headless Chromium opens the page itself and its own plotly.js draws the
chart (map outlines included, from the page) with Plotly.toImage, laid out at three times the size and drawn at a
third, so the picture is the page's chart in small. Without Chromium or playwright (a test dependency) there is no
picture and nothing to say; any other failure prints one warning line and leaves the render as it was. The front
page names the picture by the chart's title (analysis.build.frontpage).
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import settings
from analysis.build import registry
from analysis.build.browser import available, decode, evaluate, launch
from analysis.data.files import write_atomic

WIDTH, HEIGHT = 320, 180
SCALE = 3  # laid out at 960×540: the page's chart in small, not a cramped redraw
TIMEOUT_MS = 30_000
CHART = b'class="plotly-chart"'  # a page without one gets no picture, and starts no browser

# The first chart's figure as the page lays it out at that width (plotlyChart keeps it, layOut lays it out); evaluate
# has no timeout of its own.
_DRAW = f"""async () => {{
  const el = document.querySelector(".plotly-chart");
  if (!el || !el.plotlySpec) return null;
  const fig = layOut(...el.plotlySpec, {WIDTH * SCALE});
  const late = new Promise((_, fail) => setTimeout(() => fail(new Error("the chart took too long")), {TIMEOUT_MS}));
  return Promise.race([
    Plotly.toImage(fig, {{format: "png", width: {WIDTH * SCALE}, height: {HEIGHT * SCALE}, scale: {1 / SCALE}}}),
    late,
  ]);
}}"""


def path(name: str) -> Path:
    return settings.REPORTS_DIR / "thumbs" / f"{name}.png"


def _draw(page: Path) -> bytes | None:
    """The PNG of the page's first chart; None when the page has no chart."""
    with launch() as chromium:
        url = evaluate(chromium, page, _DRAW, TIMEOUT_MS)
    return decode(url) if url else None


def make(name: str, page: Path) -> None:
    """Replace the report's picture with one of its new page's first chart (none when the page has no chart)."""
    target = path(name)
    try:
        target.unlink(missing_ok=True)  # an old picture would show a chart the page may no longer have
        if available() and CHART in page.read_bytes() and (png := _draw(page)):
            write_atomic(target, png)
    except Exception as e:
        print(f"warning: no front-page picture for {name}: {registry.first_line(e)}", file=sys.stderr)
