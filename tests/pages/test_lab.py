"""JupyterLab offline: maps fetch their outlines from the Jupyter server, the headline carries its stylesheet rules;
papermill's and nbval's kernels (no server) give the outputs the pages are built from, unchanged."""

from __future__ import annotations

import asyncio
import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import tornado.web
from factories import base_missiles, missiles
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from analysis import settings
from analysis.measures import flights
from analysis.pages import charts, lab, report


def a_map() -> go.Figure:
    return charts.sites_map(flights.launch_sites(missiles(base_missiles())))


@pytest.fixture
def renderer(monkeypatch):
    """plotly's notebook renderer with its config as plotly leaves it, restored afterwards."""
    mimetype = pio.renderers["plotly_mimetype"]
    monkeypatch.setattr(mimetype, "config", {})
    return mimetype


def chart_config(renderer, fig: go.Figure) -> dict:
    return renderer.to_mimebundle(fig.to_dict())["application/vnd.plotly.v1+json"].get("config", {})


def test_in_lab_a_map_fetches_its_outlines_from_the_jupyter_server(renderer, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/notebooks/03_capabilities.ipynb")
    assert chart_config(renderer, a_map())["topojsonURL"] == "/nk-analysis/"


def test_outside_lab_a_maps_output_is_as_before(renderer, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert "topojsonURL" not in chart_config(renderer, a_map())


def test_the_server_extension_serves_the_outlines_and_nothing_else():
    class Server:
        web_app = tornado.web.Application(base_url="/")

    async def fetch():
        lab._load_jupyter_server_extension(Server)
        server = Server.web_app.listen(0, address="127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        client = AsyncHTTPClient()
        try:
            outlines = await client.fetch(f"http://127.0.0.1:{port}/nk-analysis/world_110m.json")
            with pytest.raises(HTTPClientError) as other:
                await client.fetch(f"http://127.0.0.1:{port}/nk-analysis/plotly-partial.min.js")
            return outlines.body, other.value.code
        finally:
            server.stop()

    body, refused = asyncio.run(fetch())
    assert json.loads(body)["type"] == "Topology" and refused == 404
    assert body == (settings.PACKAGE_DIR / "assets" / lab.OUTLINES).read_bytes()
    assert lab._jupyter_server_extension_points() == [{"module": "analysis.pages.lab"}]


FIGURES = [("1,200", "missiles"), ("3", "claims")]


def test_in_lab_the_headline_carries_the_pages_rules_for_it(monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "x.ipynb")
    html = report.headline("It rose.", FIGURES).data
    style = re.fullmatch(r"<style>\n(.*)\n</style>\n(<section class=\"headline\".*)", html, re.S)
    assert style, html
    page_css = " ".join(lab.PAGE_CSS.read_text(encoding="utf-8").split())
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", style[1])
    selectors = [s.strip() for sel, _ in rules for s in sel.split(",")]
    assert all(s.startswith(f"{lab.SCOPE} ") or s == lab.SCOPE for s in selectors)
    # every rule is the page's own: the key figures side by side, their labels unfloated
    assert all(body.strip() in page_css or body.startswith("--") for _, body in rules)
    assert f"{lab.SCOPE} .key-figure dt" in selectors and f"{lab.SCOPE} .headline dl.key-figures" in selectors
    assert "--muted" in style[1] and "@media" not in style[1]


def test_outside_lab_the_headline_is_as_before(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    html = report.headline("It rose.", FIGURES).data
    assert html.startswith('<section class="headline"') and "<style" not in html
