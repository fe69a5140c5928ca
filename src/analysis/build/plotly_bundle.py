"""The partial plotly.js the reports embed: the one list of its trace types, and where it is vendored.

Pages carry only the trace types listed here (plotly's full library is 4.8 MB; JupyterLab keeps it).
`make plotly-bundle` rebuilds the bundle from the npm plotly.js at the version the pinned plotly.py
embeds (scripts/build_plotly_bundle.py); the tests fail when a notebook draws a type missing here.
"""

from __future__ import annotations

import re

from analysis import settings

# scatter also draws lines, markers, text and error bars (forest and dot plots); scattergeo the maps. Each type
# adds to every page (box, heatmap and histogram together 60 KB), and a page must stay under 1.6 MB.
TRACES = ("bar", "scatter", "scattergeo")

BUNDLE = settings.PACKAGE_DIR / "assets" / "plotly-partial.min.js"
LICENSE = settings.PACKAGE_DIR / "assets" / "plotly.js-LICENSE"
_VERSION = re.compile(r"^\* plotly\.js v(\S+)$", re.M)
_TRACES_LINE = re.compile(r"^\* partial bundle, trace types: (.*)$", re.M)


def header(js: str) -> str:
    """The opening comment of a plotly.js build."""
    if not js.startswith("/**"):
        raise ValueError("not a plotly.js build: it does not open with its licence comment")
    return js[: js.index("*/") + 2]


def version(js: str) -> str:
    """The plotly.js version a build's header names."""
    found = _VERSION.search(header(js))
    if found is None:
        raise ValueError("no '* plotly.js v<version>' line in the build's header")
    return found.group(1)


def bundled_traces(js: str) -> tuple[str, ...]:
    """The trace types a partial bundle's header lists."""
    found = _TRACES_LINE.search(header(js))
    if found is None:
        raise ValueError("no '* partial bundle, trace types: ...' line in the bundle's header")
    return tuple(found.group(1).split(", "))


def embedded_js() -> str:
    """The full plotly.js that the installed plotly.py embeds."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
