"""analysis.build.figures: every chart of a rendered page as print-size PNG and SVG, offline, with its source line."""

from __future__ import annotations

import json
import struct

import nbformat
import plotly.graph_objects as go
import pytest

from analysis.build import browser, export, figures
from analysis.pages.charts.base import finish

pytestmark = pytest.mark.slow  # a browser


def page(tmp_path):
    fig = finish(
        go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="bars")), "Two bars", height=400, source="Source: the bar table."
    )
    nb = nbformat.v4.new_notebook()
    for _ in range(2):
        output = nbformat.v4.new_output("display_data", data={export.PLOTLY_MIME: json.loads(fig.to_json())})
        nb.cells.append(nbformat.v4.new_code_cell(outputs=[output]))
    path = tmp_path / "bars.html"
    path.write_text(export.to_html(nb, "Bars"))
    return path


def test_every_chart_at_print_size_with_its_source(tmp_path, monkeypatch):
    if not figures.available():
        pytest.skip("no chromium or playwright here")
    monkeypatch.setattr(figures, "folder", lambda: tmp_path / "figures")
    with browser.launch() as chromium:
        written = figures.export(page(tmp_path), chromium)
    assert [f.name for f in written] == ["bars-1.png", "bars-1.svg", "bars-2.png", "bars-2.svg"]
    png = written[0].read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    assert width == figures.WIDTH * figures.SCALE and height > 400 * figures.SCALE  # the source band added
    svg = written[1].read_text()
    assert svg.startswith("<svg") and "Source: the bar table." in svg and "Two bars" in svg


def test_pages_default_to_every_rendered_page(tmp_path, monkeypatch):
    monkeypatch.setattr(figures.settings, "REPORTS_DIR", tmp_path)
    (tmp_path / "b.html").write_text("")
    (tmp_path / "a.html").write_text("")
    assert [p.name for p in figures.pages([])] == ["a.html", "b.html"]
    assert [p.name for p in figures.pages(["b", "a.html"])] == ["b.html", "a.html"]
    assert figures.main(["missing"]) == 2 or not figures.available()
