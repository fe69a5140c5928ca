"""Exported pages are self-contained and offline, and the same notebook always gives the same page."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analysis import settings
from analysis.build import export

BANNER = "* plotly.js v"  # once at the top of plotly.min.js


def chart(fig: go.Figure) -> nbformat.NotebookNode:
    """The output a kernel gives for a figure: plotly's default mimetype only."""
    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    return nbformat.v4.new_output("display_data", data=bundle)


def notebook(*figures: go.Figure) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell("# A report"), nbformat.v4.new_code_cell("secret_source_code = 1")]
    for fig in figures:
        cell = nbformat.v4.new_code_cell("fig")
        cell.outputs = [chart(fig)]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def bar() -> go.Figure:
    return px.bar(x=["a", "b"], y=[1, 2], title="Bars")


def geo() -> go.Figure:
    return px.scatter_geo(lat=[39.0], lon=[125.7])


class ExternalRefs(HTMLParser):
    """Every src/href of script, link and img elements that points outside the page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "link", "img"}:
            self.found += [v for k, v in attrs if k in {"src", "href"} and v and re.match(r"(https?:)?//", v)]


def external_refs(html: str) -> list[str]:
    parser = ExternalRefs()
    parser.feed(html)
    return parser.found


def assert_offline(html: str) -> None:
    assert external_refs(html) == []
    for cdn_only in ("require.min.js", "MathJax.Hub.Config", "import mermaid", "@jupyter-widgets/html-manager"):
        assert cdn_only not in html


def test_charts_drawn_with_plotly_js_embedded_once():
    html = export.to_html(notebook(bar(), bar()), "Two charts")
    assert html.count(BANNER) == 1
    assert re.findall(r'plotlyChart\("([\w-]+)"', html) == ["plotly-2-0", "plotly-3-0"]
    assert html.count('"colorway":') == 1  # the figures' shared template, embedded once
    assert export.PLOTLY_MIME not in html  # every plotly output became a chart, none was dropped
    assert "<title>Two charts · North Korea: tests, talks and sanctions</title>" in html
    assert_offline(html)


def test_an_output_the_page_cannot_show_is_an_error():
    nb = notebook()
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"application/x-unknown+json": {}})]
    with pytest.raises(UserWarning, match="application/x-unknown"):
        export.to_html(nb, "t")


def test_no_plotly_js_without_charts():
    html = export.to_html(notebook(), "No charts")
    assert BANNER not in html and "PlotlyGeoAssets = " not in html
    assert_offline(html)


def test_map_outlines_only_on_pages_with_a_map():
    assert "window.PlotlyGeoAssets = " not in export.to_html(notebook(bar()), "t")
    html = export.to_html(notebook(bar(), geo()), "t")
    assert html.count("window.PlotlyGeoAssets = {topojson: {world_110m: {") == 1
    assert html.index("window.PlotlyGeoAssets") < html.index(BANNER) < html.index('plotlyChart("')
    assert_offline(html)


def test_charts_configured_not_to_reach_out():
    html = export.to_html(notebook(bar()), "t")
    for setting in ('"displaylogo":false', '"showLink":false', '"showEditInChartStudio":false', '"typesetMath":false'):
        assert setting in html


def test_text_in_a_chart_cannot_close_its_script():
    html = export.to_html(notebook(px.bar(x=["</script><script>alert(1)</script>"], y=[1])), "t")
    assert "</script><script>alert(1)" not in html


def test_same_notebook_same_page():
    """papermill gives its injected cell a random id: it must not reach the page."""
    nb = notebook(bar(), geo())
    first = export.to_html(nb, "t")
    nb.cells[1].id = uuid.uuid4().hex[:8]
    assert export.to_html(nb, "t") == first


def test_code_hidden_unless_keep_code():
    assert "secret_source_code" not in export.to_html(notebook(), "t")
    assert "secret_source_code" in export.to_html(notebook(), "t", keep_code=True)


def test_size_is_plotly_js_plus_a_little():
    html = export.to_html(notebook(bar(), geo()), "t")
    assert len(html.encode()) - len(export._plotly_js().encode()) < 400_000


@pytest.mark.parametrize(
    ("fig", "message"),
    [
        (px.scatter_map(lat=[39.0], lon=[125.7]), "scattermap charts load map tiles from the network"),
        (geo().update_geos(scope="asia"), "layout.geo: map outline 'asia_110m' is not embedded"),
        (geo().update_geos(resolution=50), "map outline 'world_50m' is not embedded"),
    ],
)
def test_maps_that_need_the_network_are_refused(fig, message):
    with pytest.raises(export.OfflineError, match=re.escape(message)):
        export.to_html(notebook(fig), "t")


RENDERED = sorted(settings.REPORTS_DIR.glob("*.html"))


@pytest.mark.skipif(not RENDERED, reason="no rendered reports in reports/ (run `analysis render`)")
@pytest.mark.parametrize("page", RENDERED, ids=[p.name for p in RENDERED])
def test_rendered_reports_reference_nothing_outside(page: Path):
    assert_offline(page.read_text(encoding="utf-8"))


def test_charts_have_a_name_a_text_alternative_and_a_short_mode_bar():
    fig = bar().update_layout(title_text="Bars <b>&amp;</b> more", meta={"description": 'Two bars: a 1, b "2" <x>.'})
    html = export.to_html(notebook(fig, geo()), "t")
    figure = re.search(r'<figure [^>]*aria-label="Bars &amp; more"[^>]*>', html).group()
    assert 'aria-describedby="plotly-2-0-text"' in figure and 'class="plotly-figure"' in figure
    assert re.search(
        r'<p id="plotly-2-0-text" style="position:absolute;[^>]*>Two bars: a 1, b ("|&quot;)2("|&quot;) &lt;x&gt;.</p>',
        html,
    )
    assert (
        '"modeBarButtons":[["toImage","resetScale2d"]]' in html and '"modeBarButtons":[["toImage","resetGeo"]]' in html
    )
    assert 'aria-label="Chart"' in html and 'aria-describedby="plotly-3-0-text"' not in html  # no title, no description
    assert export.chart_text({"title": {"text": "A<br>B"}, "meta": {"description": "d"}}) == ("A B", "d")


def test_map_outlines_carry_only_the_layers_a_chart_turns_on():
    plain = export.to_html(notebook(geo().update_layout(template="none")), "t")
    assert '"lakes":' not in plain and '"rivers":' not in plain and '"subunits":' not in plain
    assert '"land":' in plain and '"countries":' in plain and '"coastlines":' in plain
    assert '"lakes":' in export.to_html(notebook(geo().update_geos(showlakes=True)), "t")
    assert '"lakes":' in export.to_html(notebook(geo()), "t")  # plotly's default template shows lakes


def test_slim_css_keeps_strings_and_drops_layout_whitespace():
    css = "/* note */\n.a ,\n.b {\n  content: ' ';\n  color : red ;\n}\n.c { --jp-icon-x: url(data:image/svg+xml;base64,AAA); }"
    assert export.slim_css(css).strip() == ".a , .b{content: ' ';color : red;}.c{}"


def test_published_csv_names_are_checked():
    import pandas as pd

    from analysis.pages import report

    def nb_with(name):
        data, metadata = report.PublishedCSV(pd.DataFrame({"a": [1]}), "x.csv", "Download")._repr_mimebundle_()
        metadata = {report.CSV_MIME: {"file": name}}
        out = nbformat.v4.new_output("display_data", data=data, metadata=metadata)
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [out]
        return nbformat.v4.new_notebook(cells=[cell])

    assert export.published_files(nb_with("data/x.csv")) == {"data/x.csv": "a\n1\n"}
    for bad in ("x.csv", "data/../x.csv", "data/missile_tests.csv", "data/x.html"):
        with pytest.raises(ValueError, match="an output names the file"):
            export.published_files(nb_with(bad))


def test_the_page_csp_lists_only_the_pages_own_scripts():
    page = "<meta content=\"default-src 'none'; script-src 'none'; img-src data:\"><script>a()</script><script>b()</script>"
    out = export.allow_own_scripts(page)
    allowed = out.split("script-src ", 1)[1].split(";", 1)[0].split()
    assert len(allowed) == 2 and all(a.startswith("'sha256-") for a in allowed) and "'unsafe-inline'" not in out
    assert export.allow_own_scripts("<meta content=\"script-src 'none'\">").count("script-src 'none'") == 1
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        export.allow_own_scripts("<meta content=\"script-src 'unsafe-inline'\">")


def test_a_page_describes_itself_for_sharing_and_says_how_to_cite_it():
    from analysis.data import fingerprint
    from analysis.pages import report

    nb = notebook()
    nb.cells.insert(1, nbformat.v4.new_code_cell("h"))
    lede = report.headline("North Korea launched 35 missiles & more " + "x " * 200, [("35", "missiles")]).data
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"text/html": lede})]
    html = export.to_html(nb, 'A "report"')
    head = html.split("</head>", 1)[0]
    assert "<title>A &quot;report&quot; · North Korea: tests, talks and sanctions</title>" in head or (
        '<title>A "report" · North Korea' in head
    )
    description = re.search(r'<meta[^>]*name="description"[^>]*>', head)[0]
    assert (
        "North Korea launched 35 missiles &amp; more" in description and "…" in description and "<b>" not in description
    )
    assert re.search(r'<meta[^>]*property="og:title"[^>]*>', head) and 'name="twitter:card"' in head
    as_of = fingerprint.data_as_of()
    assert f"Data as of {as_of}" in html and "Cite this page" in html and fingerprint.data_version() in html


def test_data_as_of_counts_the_fact_tables_not_the_sources_access_dates():
    from analysis.data import fingerprint, load

    frames = load.load_all()
    latest = max(frames["missile_tests"]["date_kst"].max(), frames["diplomatic_events"]["end_date"].max())
    assert fingerprint.data_as_of() == f"{latest:%Y-%m-%d}"
    assert frames["sources"]["accessed"].max().strftime("%Y-%m-%d") >= fingerprint.data_as_of()
