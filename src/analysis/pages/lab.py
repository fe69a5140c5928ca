"""JupyterLab offline, as the rendered pages are: maps drawn from the package's world outlines rather than plotly's
CDN, and the headline's key figures laid out by the page's own stylesheet rules.

Two halves. In the Jupyter server, this module is a server extension (`make lab` enables it:
`--ServerApp.jpserver_extensions='{"analysis.pages.lab": True}'`) that serves assets/world_110m.json at
/nk-analysis/. In a kernel the server started (it names the notebook in JPY_SESSION_NAME), `serve_outlines` points
plotly's notebook renderer there (plotly.js fetches `<topojsonURL>world_110m.json`) and `headline_style` gives the
headline the page stylesheet's rules for it. papermill's and nbval's kernels have no server: their outputs, so the
rendered pages and the compared outputs, stay as they are (the pages embed the outlines and the stylesheet
themselves, see analysis.build.export).
"""

from __future__ import annotations

import os
import re
from functools import cache

from analysis import settings

ROUTE = "nk-analysis/"
OUTLINES = "world_110m.json"
PAGE_CSS = settings.PACKAGE_DIR / "templates" / "offline" / "report.css.j2"
# Lab's own rules for dl, dt and dd (floats, widths) share these selectors' weight: scoped, the page's win.
SCOPE = ".jp-RenderedHTMLCommon"


def in_lab() -> bool:
    """Whether this kernel was started by a Jupyter server (JupyterLab), not by papermill or nbval."""
    return bool(os.environ.get("JPY_SESSION_NAME"))


def serve_outlines() -> None:
    """In JupyterLab, maps fetch their outlines from this package through the Jupyter server, not from the CDN.
    Assumes the server's default base URL, /."""
    if in_lab():
        import plotly.io as pio

        pio.renderers["plotly_mimetype"].config["topojsonURL"] = f"/{ROUTE}"


@cache
def _headline_rules() -> str:
    """The page stylesheet's custom properties and its top-level rules for the headline, each selector scoped."""
    css = re.sub(r"\{#.*?#\}|/\*.*?\*/|</?style>", "", PAGE_CSS.read_text(encoding="utf-8"), flags=re.S)
    top = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", css)  # narrow screens and print are the page's
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", top):
        selectors = [s.strip() for s in selectors.split(",")]
        if selectors == [":root"]:
            properties = [d.strip() for d in body.split(";") if d.strip().startswith("--")]
            rules.append(f"{SCOPE} {{{'; '.join(properties)};}}")
        elif all(re.match(r"\.(headline|key-figure)\b", s) for s in selectors):
            rules.append(f"{', '.join(f'{SCOPE} {s}' for s in selectors)} {{{body.strip()}}}")
    return "\n".join(rules)


def headline_style() -> str:
    """In JupyterLab, a <style> element with the headline's rules from the page stylesheet; elsewhere ''."""
    return f"<style>\n{_headline_rules()}\n</style>\n" if in_lab() else ""


# The server half.


def _jupyter_server_extension_points():
    return [{"module": "analysis.pages.lab"}]


def _load_jupyter_server_extension(server_app) -> None:
    from jupyter_server.utils import url_path_join
    from tornado.web import StaticFileHandler

    web_app = server_app.web_app
    route = url_path_join(web_app.settings["base_url"], ROUTE, f"({re.escape(OUTLINES)})")
    web_app.add_handlers(".*$", [(route, StaticFileHandler, {"path": str(settings.PACKAGE_DIR / "assets")})])
