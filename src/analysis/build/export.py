"""An executed notebook as one self-contained HTML page that works offline.

Notebooks keep plotly's default output (the `application/vnd.plotly.v1+json` mimetype, which
JupyterLab draws natively). nbconvert cannot draw it, so OfflinePlotly turns each one into a
div with a fixed id and a `Plotly.newPlot` call, and hands plotly.js (a partial bundle, see
analysis.build.plotly_bundle) and, for geo charts, the vendored world map outlines to the `offline` template, which
embeds them once in the page head.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import warnings
from functools import cache

from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from analysis import settings

PLOTLY_MIME = "application/vnd.plotly.v1+json"
TEMPLATES = settings.PACKAGE_DIR / "templates"
WORLD_110M = settings.PACKAGE_DIR / "assets" / "world_110m.json"

# Nothing in a chart may reach out: no Chart Studio links, no plotly logo link, no MathJax typesetting.
CHART_CONFIG = {
    "displaylogo": False,
    "showLink": False,
    "showEditInChartStudio": False,
    "showSendToCloud": False,
    "typesetMath": False,
    "responsive": True,
}
# The mode bar keeps what readers use: a PNG download and a reset of zoom and pan.
MODEBAR = {"cartesian": [["toImage", "resetScale2d"]], "geo": [["toImage", "resetGeo"]]}
# Readable only by screen readers (the chart's text alternative).
VISUALLY_HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0"
# Tile maps (MapLibre/Mapbox) fetch tiles, styles and fonts from the network at view time.
TILE_MAP_TRACES = {"scattermap", "choroplethmap", "densitymap", "scattermapbox", "choroplethmapbox", "densitymapbox"}
GEO_TRACES = {"scattergeo", "choropleth"}


# JupyterLab's stylesheet carries ~90 KB of toolbar icons as data URIs that a static page never shows.
_CSS_UNUSED = re.compile(r"/\*.*?\*/|--jp-icon-[\w-]+:\s*url\(data:[^)]*\);", re.S)


class OfflineError(ValueError):
    """A chart that cannot be drawn without the network."""


def _script_json(obj) -> str:
    """JSON safe inside a <script> element ('<' only ever occurs inside JSON strings)."""
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")


def slim_css(css: str) -> str:
    """The lab stylesheet without comments, unused icons, indentation and the spaces around braces and
    semicolons (a template filter; no string in it holds those characters)."""
    return re.sub(r"\s*([{};])\s*", r"\1", re.sub(r"\s+", " ", _CSS_UNUSED.sub("", css)))


@cache
def _plotly_js() -> str:
    from analysis.build.plotly_bundle import BUNDLE

    return BUNDLE.read_text(encoding="utf-8")


# Map layers a page draws only when its layout turns them on; subunits are drawn for the USA scope only, and
# _uses_geo allows the world scope alone. The arcs stay whole (they are shared with the other layers).
OPTIONAL_LAYERS = {"lakes": "showlakes", "rivers": "showrivers"}


@cache
def _world_110m(layers: frozenset[str]) -> str:
    """The world map outlines, without the optional layers no chart of the page turns on."""
    topo = json.loads(WORLD_110M.read_text(encoding="utf-8"))
    dropped = {"subunits", *(set(OPTIONAL_LAYERS) - layers)}
    topo["objects"] = {k: v for k, v in topo["objects"].items() if k not in dropped}
    return _script_json(topo)


def _geo_layers(spec: dict) -> set[str]:
    """The optional map layers a chart turns on, in its layout or its template's (plotly's default template
    shows lakes)."""
    layout = spec.get("layout", {})
    template = layout.get("template", {}).get("layout", {})
    geos = [v for src in (layout, template) for k, v in src.items() if k.startswith("geo") and isinstance(v, dict)]
    return {layer for layer, flag in OPTIONAL_LAYERS.items() for g in geos if g.get(flag)}


def _uses_geo(spec: dict) -> bool:
    """Whether the chart draws a map outline; raises OfflineError for maps that need the network."""
    traces = {t.get("type", "scatter") for t in spec.get("data", [])}
    if traces & TILE_MAP_TRACES:
        raise OfflineError(
            f"{', '.join(sorted(traces & TILE_MAP_TRACES))} charts load map tiles from the network; use scatter_geo/choropleth"
        )
    geos = {k: v for k, v in spec.get("layout", {}).items() if k.startswith("geo")}
    for key, geo in geos.items():
        outline = f"{geo.get('scope', 'world')}_{geo.get('resolution', 110)}m"
        if outline != "world_110m":
            raise OfflineError(
                f"layout.{key}: map outline {outline!r} is not embedded (only world_110m: keep scope 'world', resolution 110)"
            )
    return bool(traces & GEO_TRACES or geos)


def chart_text(layout: dict) -> tuple[str, str]:
    """A chart's accessible name (its title as plain text) and description (layout.meta.description, which
    analysis.pages.charts computes from the data)."""
    title = layout.get("title", {})
    title = title.get("text", "") if isinstance(title, dict) else str(title or "")
    name = html.unescape(re.sub(r"<[^>]+>", " ", title)).split()
    meta = layout.get("meta") if isinstance(layout.get("meta"), dict) else {}
    return " ".join(name) or "Chart", str(meta.get("description", ""))


def _in_bundle(spec: dict) -> None:
    """Raises OfflineError for a chart the page's partial plotly.js cannot draw (it would draw it wrong or blank)."""
    from analysis.build import plotly_bundle

    missing = {t.get("type", "scatter") for t in spec.get("data", [])} - set(plotly_bundle.TRACES)
    if missing:
        raise OfflineError(
            f"a chart draws {', '.join(sorted(missing))}, which the pages' plotly.js lacks: "
            "add it to analysis.build.plotly_bundle.TRACES and run `make plotly-bundle`"
        )


class OfflinePlotly(Preprocessor):
    """Draws plotly's mimetype outputs with fixed div ids; gives each cell a fixed id too.

    Each chart sits in a <figure> named by its title and described by its text alternative (hidden from sight,
    read by screen readers); plotly's own SVG is hidden from them, since the description says what it shows.

    Every figure carries its whole template (~7 KB); each distinct one goes in the page once instead."""

    def preprocess(self, nb, resources):
        geo, layers, templates = False, set(), {}  # templates: template JSON -> its index in the page's list
        for i, cell in enumerate(nb.cells):
            # papermill gives its injected cell a random id; the HTML must not change from run to run.
            cell.id = f"cell-{i}"
            for j, output in enumerate(cell.get("outputs", [])):
                spec = output.get("data", {}).get(PLOTLY_MIME)
                if spec is None:
                    continue
                is_geo = _uses_geo(spec)
                _in_bundle(spec)
                geo |= is_geo
                layers |= _geo_layers(spec)
                layout = dict(spec.get("layout", {}))
                template = templates.setdefault(_script_json(layout.pop("template", {})), len(templates))
                config = {
                    **spec.get("config", {}),
                    **CHART_CONFIG,
                    "modeBarButtons": MODEBAR["geo" if is_geo else "cartesian"],
                }
                figure = {**spec, "layout": layout, "config": config}
                div = f"plotly-{i}-{j}"
                name, description = chart_text(layout)
                described = f' aria-describedby="{div}-text"' if description else ""
                text = (
                    f'<p id="{div}-text" style="{VISUALLY_HIDDEN}">{html.escape(description)}</p>'
                    if description
                    else ""
                )
                output.data = {
                    "text/html": f'<figure class="plotly-figure" aria-label="{html.escape(name)}"{described} style="margin:0">'
                    f'<div id="{div}" class="plotly-chart"></div>{text}</figure>\n'
                    f'<script>plotlyChart("{div}", {template}, {_script_json(figure)})'
                    # the figure's name and description stand for the drawing: screen readers skip plotly's SVG
                    f'.then(gd => gd.querySelectorAll("svg").forEach(s => s.setAttribute("aria-hidden", "true")));</script>'
                }
        if templates:
            resources["plotly_js"] = _plotly_js()
            resources["plotly_templates"] = "[" + ",".join(templates) + "]"
        if geo:
            resources["plotly_geo"] = _world_110m(frozenset(layers))
        return nb, resources


@cache
def _exporter(keep_code: bool) -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not keep_code,
        exclude_input_prompt=not keep_code,
        exclude_output_prompt=not keep_code,
        filters={"slim_css": slim_css},
    )
    exporter.register_preprocessor(OfflinePlotly, enabled=True)
    return exporter


def published_files(nb) -> dict[str, str]:
    """Files a notebook hands to the render step, by path under reports/: JSON-LD outputs that name a file
    (`name.jsonld`) and CSV outputs that name one (`data/name.csv`, never a curated table's name). A name that
    would resolve outside reports/ (through a linked folder) is refused before anything is written."""
    from analysis.checks import claimreview as jsonld
    from analysis.data import fingerprint
    from analysis.data.files import inside_reports
    from analysis.pages import report

    curated = {
        f"data/{p.relative_to(settings.CURATED_DIR).as_posix()}" for p in fingerprint.files(settings.CURATED_DIR)
    }
    kinds = {
        jsonld.MIME: (r"[A-Za-z0-9][\w.-]*\.jsonld", "a plain name ending in .jsonld", jsonld.text),
        report.CSV_MIME: (r"data/[A-Za-z0-9][\w.-]*\.csv", "data/ and a plain name ending in .csv", str),
    }
    files = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime, (pattern, expected, text) in kinds.items():
                name = output.get("metadata", {}).get(mime, {}).get("file")
                if name is None:
                    continue
                if not (isinstance(name, str) and re.fullmatch(pattern, name)) or name in curated:
                    raise ValueError(f"an output names the file {name!r}: expected {expected}, not a curated table")
                inside_reports(name)  # refuses a name that a linked folder would take out of reports/
                files[name] = text(output["data"][mime])
    return files


def to_html(nb, title: str, keep_code: bool = False) -> str:
    """The page for an executed notebook (a NotebookNode); input code hidden unless keep_code."""
    with warnings.catch_warnings():
        # nbconvert drops an output it cannot show with only a warning: a report must not lose it silently.
        warnings.filterwarnings("error", message="Your element with mimetype", category=UserWarning)
        html, _ = _exporter(keep_code).from_notebook_node(
            nb, resources={"metadata": {"name": f"{title} · {SITE_NAME}"}, "page": page_facts(nb, title)}
        )
    return allow_own_scripts(html)


SITE_NAME = "North Korea: tests, talks and sanctions"
_LEDE = re.compile(r'<p class="lede">(.*?)</p>', re.S)


def page_facts(nb, title: str) -> dict:
    """What a page says about itself in its head and footer: its title, a description (the answer it opens with),
    the data version and the latest date the data cover."""
    from analysis.data import fingerprint

    lede = next(
        (
            m[1]
            for cell in nb.cells
            for output in cell.get("outputs", [])
            if (m := _LEDE.search(str(output.get("data", {}).get("text/html", ""))))
        ),
        "",
    )
    text = html.unescape(re.sub(r"<[^>]+>", "", lede)).strip()
    description = text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"
    return {
        "title": title,
        "description": description or title,
        "data_version": fingerprint.data_version(),
        "as_of": fingerprint.data_as_of(),
        "site": SITE_NAME,
    }


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_NO_SCRIPTS = "script-src 'none'"


def allow_own_scripts(html: str) -> str:
    """The page's Content-Security-Policy with the sha256 of each inline script it was built with, in place of
    script-src 'none': a script injected later (or slipped past escaping) matches no hash and does not run."""
    if _NO_SCRIPTS not in html:
        raise ValueError(f"the page template's Content-Security-Policy has no {_NO_SCRIPTS!r} to fill in")
    hashes = sorted({base64.b64encode(hashlib.sha256(m[1].encode()).digest()).decode() for m in _SCRIPT.finditer(html)})
    allowed = " ".join(f"'sha256-{h}'" for h in hashes) or "'none'"
    return html.replace(_NO_SCRIPTS, f"script-src {allowed}", 1)


def warm_up(keep_code: bool = False) -> None:
    """Compile the page templates and read plotly.js now: render workers forked after this inherit them, instead
    of each paying for them on its first page."""
    import nbformat

    to_html(nbformat.v4.new_notebook(), "", keep_code)
    _plotly_js()
