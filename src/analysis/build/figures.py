"""reports/figures/<report>-<n>.png and .svg: every chart of the rendered pages at print size, for print and layout
work (the pages' toolbars only save a screen-sized PNG).

The charts come from the rendered pages, not from running the notebooks again: headless Chromium opens each page
offline and its own plotly.js draws each chart's figure as the page keeps it (analysis.build.export), with the map
outlines the page embeds, so a picture is the published chart, in its wide layout, with its source line
(layout.meta.source) written under it. No other browser driver or network is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import fmt, settings
from analysis.build.browser import CHROMIUM, available, decode, evaluate, launch
from analysis.data.files import write_atomic

WIDTH = 900  # px of layout: a page's text width at print size; the PNG is drawn at SCALE times that
SCALE = 2
TIMEOUT_MS = 60_000
LINE_PX, CHARS = 17, 130  # the source line under the chart: one line's height, characters per line

# Each chart's figure as the page lays it out at print width (plotlyChart keeps it, layOut lays it out), drawn once
# off screen to learn its bottom margin as plotly grew it (a legend under the plot pushes it), then with its source
# line in a band added at the foot.
_DRAW = f"""async () => {{
  const out = [], scratch = document.body.appendChild(document.createElement("div"));
  for (const el of document.querySelectorAll(".plotly-chart")) {{
    if (!el.plotlySpec) continue;
    const fig = layOut(...el.plotlySpec, {WIDTH});
    const l = fig.layout, source = (l.meta && l.meta.source) || "", height = l.height || 450;
    const lines = source.split(" ").reduce((acc, w) => {{
      if (acc.length && (acc[acc.length - 1] + " " + w).length <= {CHARS}) acc[acc.length - 1] += " " + w; else acc.push(w);
      return acc; }}, []);
    const extra = lines.length ? {LINE_PX} * lines.length + 16 : 0;
    if (extra) {{
      await Plotly.newPlot(scratch, structuredClone(fig.data), {{...structuredClone(l), width: {WIDTH}, height}});
      const bottom = scratch._fullLayout._size.b;
      Plotly.purge(scratch);
      l.margin = {{...(l.margin || {{}}), b: bottom + extra}};
      l.annotations = [...(l.annotations || []), {{
        text: lines.join("<br>"), xref: "paper", yref: "paper", x: 0, y: 0, xanchor: "left", yanchor: "bottom",
        yshift: 6 - bottom - extra, showarrow: false, align: "left", font: {{size: 12, color: "#555555"}}, name: "source"}}];
    }}
    const size = {{width: {WIDTH}, height: height + extra}};
    out.push({{png: await Plotly.toImage(fig, {{...size, format: "png", scale: {SCALE}}}),
               svg: await Plotly.toImage(fig, {{...size, format: "svg"}})}});
  }}
  scratch.remove();
  return out;
}}"""


def folder() -> Path:
    return settings.REPORTS_DIR / "figures"


def pages(names: list[str]) -> list[Path]:
    """The rendered pages named (report output names), or every rendered page."""
    if names:
        return [settings.REPORTS_DIR / f"{n.removesuffix('.html')}.html" for n in names]
    return sorted(settings.REPORTS_DIR.glob("*.html"))


def export(page: Path, chromium) -> list[Path]:
    """Write the page's charts as <page>-<n>.png and .svg (n from 1, in page order); returns the files."""
    written = []
    for n, chart in enumerate(evaluate(chromium, page, _DRAW, TIMEOUT_MS), start=1):
        for kind in ("png", "svg"):
            target = folder() / f"{page.stem}-{n}.{kind}"
            write_atomic(target, decode(chart[kind]))
            written.append(target)
    return written


def main(names: list[str]) -> int:
    """Export the charts of the named pages (default: all); exit 2 when a page is missing or no browser is here."""
    if not available():
        print(f"error: figures need Debian's chromium at {CHROMIUM} and playwright", file=sys.stderr)
        return 2
    todo = pages(names)
    missing = [p.name for p in todo if not p.is_file()]
    if missing:
        print(f"error: not rendered: {', '.join(missing)} (run `analysis render` first)", file=sys.stderr)
        return 2
    folder().mkdir(parents=True, exist_ok=True)
    with launch() as chromium:
        for page in todo:
            if written := export(page, chromium):
                print(f"{page.stem}: {fmt.plural(len(written) // 2, 'chart')}")
    return 0
