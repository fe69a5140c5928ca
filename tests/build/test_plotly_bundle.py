"""The partial plotly.js the pages embed: built at plotly.py's plotly.js version, from the one trace list,
and holding every trace type a report draws (a type it lacked would leave a chart blank)."""

from __future__ import annotations

import nbformat
import plotly.express as px
import pytest

from analysis.build import export, plotly_bundle


def test_bundle_is_the_plotly_js_version_plotly_py_embeds():
    assert plotly_bundle.version(plotly_bundle.BUNDLE.read_text(encoding="utf-8")) == plotly_bundle.version(
        plotly_bundle.embedded_js()
    ), "run `make plotly-bundle`"


def test_bundle_holds_the_listed_trace_types():
    assert plotly_bundle.bundled_traces(plotly_bundle.BUNDLE.read_text(encoding="utf-8")) == plotly_bundle.TRACES, (
        "TRACES changed since the bundle was built: run `make plotly-bundle`"
    )


def test_bundle_is_what_pages_embed_with_its_licence():
    assert export._plotly_js() == plotly_bundle.BUNDLE.read_text(encoding="utf-8")
    assert "MIT" in plotly_bundle.LICENSE.read_text(encoding="utf-8")
    assert "</script" not in export._plotly_js().lower()


def test_a_page_with_a_chart_the_bundle_lacks_is_refused():
    """Every page goes through the export: a report that adds a chart type fails its render instead of
    shipping a blank chart."""
    pie = px.pie(values=[1, 2], names=["a", "b"]).to_dict()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "1", outputs=[nbformat.v4.new_output("display_data", data={export.PLOTLY_MIME: pie})]
            )
        ]
    )
    with pytest.raises(export.OfflineError, match=r"a chart draws pie, which the pages' plotly.js lacks"):
        export.to_html(nb, "t")


def test_header_parsing():
    js = "/**\n* plotly.js v9.9.9\n* partial bundle, trace types: bar, scatter\n*/\nvar Plotly;"
    assert plotly_bundle.version(js) == "9.9.9"
    assert plotly_bundle.bundled_traces(js) == ("bar", "scatter")
    with pytest.raises(ValueError, match="not a plotly.js build"):
        plotly_bundle.version("var Plotly;")
    with pytest.raises(ValueError, match="no '\\* partial bundle"):
        plotly_bundle.bundled_traces("/**\n* plotly.js v9.9.9\n*/")
