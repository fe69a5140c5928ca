"""The partial plotly.js the pages embed: built at plotly.py's plotly.js version, from the one trace list,
and holding every trace type a report draws (a type it lacked would leave a chart blank)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import plotly.express as px
import plotly.io as pio
import pytest

from analysis import export, plotly_bundle, settings

NOTEBOOKS = sorted(settings.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_bundle_is_the_plotly_js_version_plotly_py_embeds():
    assert plotly_bundle.version(plotly_bundle.BUNDLE.read_text(encoding="utf-8")) == \
        plotly_bundle.version(plotly_bundle.embedded_js()), "run `make plotly-bundle`"


def test_bundle_holds_the_listed_trace_types():
    assert plotly_bundle.bundled_traces(plotly_bundle.BUNDLE.read_text(encoding="utf-8")) == plotly_bundle.TRACES, \
        "TRACES changed since the bundle was built: run `make plotly-bundle`"


def test_bundle_is_what_pages_embed_with_its_licence():
    assert export._plotly_js() == plotly_bundle.BUNDLE.read_text(encoding="utf-8")
    assert "MIT" in plotly_bundle.LICENSE.read_text(encoding="utf-8")
    assert "</script" not in export._plotly_js().lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_chart_in_the_notebooks_can_be_drawn(path: Path):
    """The stored notebooks hold their executed outputs (`make notebooks`), every chart included."""
    missing = plotly_bundle.trace_types(nbformat.read(path, as_version=4)) - set(plotly_bundle.TRACES)
    assert not missing, (f"{path.name} draws {', '.join(sorted(missing))}, which the pages' plotly.js lacks: "
                         "add it to analysis.plotly_bundle.TRACES and run `make plotly-bundle`")


def test_trace_types_read_from_outputs():
    specs = [f.to_dict() for f in (px.bar(x=[1], y=[2]), px.line(x=[1, 2], y=[3, 4]), px.scatter_geo(lat=[39.0], lon=[125.7]))]
    del specs[1]["data"][0]["type"]  # a trace without a type is a scatter
    cells = [nbformat.v4.new_markdown_cell("text"), nbformat.v4.new_code_cell("1", outputs=[
        nbformat.v4.new_output("execute_result", data={"text/plain": "1"})])]
    for spec in specs:
        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(spec)
        cells.append(nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output("display_data", data=bundle)]))
    assert plotly_bundle.trace_types(nbformat.v4.new_notebook(cells=cells)) == {"bar", "scatter", "scattergeo"}


def test_header_parsing():
    js = "/**\n* plotly.js v9.9.9\n* partial bundle, trace types: bar, scatter\n*/\nvar Plotly;"
    assert plotly_bundle.version(js) == "9.9.9"
    assert plotly_bundle.bundled_traces(js) == ("bar", "scatter")
    with pytest.raises(ValueError, match="not a plotly.js build"):
        plotly_bundle.version("var Plotly;")
    with pytest.raises(ValueError, match="no '\\* partial bundle"):
        plotly_bundle.bundled_traces("/**\n* plotly.js v9.9.9\n*/")
