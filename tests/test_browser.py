"""Every rendered page in a real browser, from file://, with the network blocked, at a laptop's width (1366 px)
and a phone's (390 px): charts drawn, no errors, not one request attempted, no sideways scrolling of the page on
the phone, the computed answer on the first screen, and no serious or critical finding of an axe-core scan
(axe-playwright-python ships axe-core, so the scan runs offline). The Makefile renders the reports first."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import plotly.express as px
import plotly.io as pio
import pytest

from analysis import settings
from analysis.build import export, plotly_bundle
from analysis.build.browser import CHROMIUM, CHROMIUM_ARGS
from analysis.pages import transparency

IN_CI = os.environ.get("CI") == "true"
PAGES = sorted(settings.REPORTS_DIR.glob("*.html"))
# Pages that are not reports: the front page and the transparency record (tables and text, no charts).
NO_CHARTS = {"index.html", *(f"{name}.html" for name in transparency.PAGES)}
SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
pytestmark = pytest.mark.slow  # a browser per module, a page per test


def missing(reason: str) -> None:
    """Skip on a developer's machine; in CI a test that cannot run is a failure."""
    (pytest.fail if IN_CI else pytest.skip)(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        missing(f"no headless Chromium at {CHROMIUM}: install the Debian package `chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_offline(browser, path: Path, viewport: dict | None = None, checks=None) -> dict:
    """Load the page with every non-file request blocked; what it drew and what went wrong. `checks(page)` adds
    its answers to the result before the page closes."""
    page = browser.new_page(viewport=viewport or SCREENS["laptop"])
    attempted, errors = [], []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (attempted.append(route.request.url), route.abort())
        ),
    )
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri(), wait_until="load")
    expected = page.locator(".plotly-chart").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.plotly-chart.js-plotly-plot .main-svg').length >= 2 * n",
        arg=expected,
        timeout=20_000,
    )
    found = {
        "expected": expected,
        "plots": page.locator(".js-plotly-plot").count(),
        "svgs": page.locator("svg.main-svg").count(),
        "maps": page.locator(".geo").count(),
        "types": page.eval_on_selector_all(".plotly-chart", "gds => gds.map(gd => gd._fullData.map(t => t.type))"),
        "outlines": page.eval_on_selector_all(  # drawn coast or border lines, from the embedded topojson
            ".geo .coastlines path, .geo .countries path",
            "ps => ps.filter(p => (p.getAttribute('d') || '').length > 100).length",
        ),
        "attempted": attempted,
        "errors": errors,
    }
    if checks:
        found |= checks(page)
    page.close()
    return found


def assert_drawn_offline(found: dict) -> None:
    assert found["plots"] == found["expected"]
    assert found["svgs"] >= 2 * found["expected"]  # plotly draws two main svg layers per chart
    assert found["outlines"] >= found["maps"]  # map outlines came from the page, not a CDN
    assert found["errors"] == []
    assert found["attempted"] == []


# Text of a chart (titles, ticks, legend, notes) that sits past its left or right edge: cut off on the page.
CHART_TEXT_OUTSIDE = """() => [...document.querySelectorAll('.plotly-chart.js-plotly-plot')].flatMap(gd => {
  const box = gd.getBoundingClientRect();
  return [...gd.querySelectorAll('svg text')]
    .filter(t => t.textContent.trim())
    .filter(t => { const r = t.getBoundingClientRect(); return r.width > 0 && (r.left < box.left - 2 || r.right > box.right + 2); })
    .map(t => gd.id + ': ' + t.textContent.slice(0, 60));
})"""


def reader_checks(page) -> dict:
    """What a reader meets: sideways overflow of the page, where the answer sits, and the axe-core findings."""
    from axe_playwright_python.sync_playwright import Axe

    lede = page.locator(".headline .lede, .answer .lede").first
    box = lede.bounding_box() if lede.count() else None
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return {
        "overflow": page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
        "chart_text_outside": page.evaluate(CHART_TEXT_OUTSIDE),
        "viewport_height": page.viewport_size["height"],
        "lede": box,
        "lede_text": lede.inner_text() if box else "",
        "violations": [
            f"{v['id']} ({v['impact']}): {v['help']}; e.g. {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ],
    }


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("path", PAGES or [None], ids=[p.name for p in PAGES] or ["no-reports"])
def test_rendered_page_works_offline_for_every_reader(browser, path, screen):
    if path is None:
        missing(f"no rendered reports in {settings.REPORTS_DIR}: run `analysis render` first")
    found = open_offline(browser, path, SCREENS[screen], reader_checks)
    assert_drawn_offline(found)
    if path.name not in NO_CHARTS:
        assert found["expected"] >= 1, "a report without any chart: is a plotly output missing?"
    assert found["overflow"] <= 0, f"the page scrolls sideways by {found['overflow']} px"
    assert found["chart_text_outside"] == [], "chart text cut off at the chart's edge"
    assert found["lede"] is not None, "no computed headline (.headline .lede) on the page"
    assert found["lede_text"].strip()
    # the answer starts on the first screen; on a laptop it is there whole
    assert found["lede"]["y"] < found["viewport_height"] / 2
    if screen == "laptop":
        assert found["lede"]["y"] + found["lede"]["height"] <= found["viewport_height"]
    assert found["violations"] == []


PRINT_OVERFLOW = """() => {
  window.dispatchEvent(new Event('beforeprint'));
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main *')]
    .filter(e => !e.closest('.plotly-chart') && e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName + ': ' + (e.textContent || '').slice(0, 60));
}"""


@pytest.mark.parametrize("path", PAGES or [None], ids=[p.name for p in PAGES] or ["no-reports"])
def test_printed_page_fits_a4(browser, path):
    """Printed on A4 (182 mm between the margins, 688 px), no text or table runs past the right edge."""
    if path is None:
        missing(f"no rendered reports in {settings.REPORTS_DIR}: run `analysis render` first")
    page = browser.new_page(viewport={"width": 688, "height": 1000})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.emulate_media(media="print")
    page.goto(path.as_uri(), wait_until="load")
    cut = page.evaluate(PRINT_OVERFLOW)
    page.evaluate("() => window.chartsLaidOut")  # the charts, laid out again for the printed width
    cut_in_charts = page.evaluate(CHART_TEXT_OUTSIDE)
    page.close()
    assert cut == []
    assert cut_in_charts == []


# Pairs of a chart's text labels (titles, axis titles, notes, legend, text beside markers) that overprint.
LABEL_OVERLAPS = """() => [...document.querySelectorAll('.plotly-chart.js-plotly-plot')].flatMap(gd => {
  const boxes = [...gd.querySelectorAll('.infolayer text, .textpoint text')]
    .filter(t => t.textContent.trim())
    .map(t => [t, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > 2 && h > 2) out.push(`${gd.id}: "${a.textContent.slice(0, 40)}" over "${b.textContent.slice(0, 40)}"`);
  }
  return out;
})"""


@pytest.mark.parametrize("screen", [*SCREENS, "print"])
@pytest.mark.parametrize("path", PAGES or [None], ids=[p.name for p in PAGES] or ["no-reports"])
def test_chart_labels_do_not_overprint(browser, path, screen):
    """On a laptop, a phone and A4 paper, no two text labels of a chart overlap (a label's box, as drawn)."""
    if path is None:
        missing(f"no rendered reports in {settings.REPORTS_DIR}: run `analysis render` first")
    if path.name in NO_CHARTS:
        pytest.skip("no charts on this page")
    page = browser.new_page(viewport=SCREENS.get(screen, {"width": 688, "height": 1000}))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    if screen == "print":
        page.emulate_media(media="print")
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(
        "n => document.querySelectorAll('.plotly-chart.js-plotly-plot .main-svg').length >= 2 * n",
        arg=page.locator(".plotly-chart").count(),
        timeout=20_000,
    )
    if screen == "print":
        page.evaluate("() => { window.dispatchEvent(new Event('beforeprint')); return window.chartsLaidOut; }")
    overlaps = page.evaluate(LABEL_OVERLAPS)
    page.close()
    assert overlaps == []


def test_map_page_works_offline(browser, tmp_path):
    """A map is drawn from the embedded outlines, whatever the rendered reports hold."""
    fig = px.scatter_geo(lat=[39.0, 40.85], lon=[125.75, 129.67])
    cell = nbformat.v4.new_code_cell(
        "fig",
        outputs=[
            nbformat.v4.new_output("display_data", data=pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict()))
        ],
    )
    page = tmp_path / "map.html"
    page.write_text(export.to_html(nbformat.v4.new_notebook(cells=[cell]), "Map"), encoding="utf-8")
    found = open_offline(browser, page)
    assert found["maps"] == 1
    assert_drawn_offline(found)


def test_every_bundled_trace_type_is_drawn_as_itself(browser, tmp_path):
    """plotly.js draws a trace of a type it does not know as a scatter: each listed type must come out as itself."""
    data = {"heatmap": {"z": [[1, 2], [3, 4]]}, "scattergeo": {"lat": [39.0], "lon": [125.7]}}
    cells = [
        nbformat.v4.new_code_cell(
            "fig",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data=pio.renderers["plotly_mimetype"].to_mimebundle(
                        {"data": [{"type": t, **data.get(t, {"x": [1, 2], "y": [3, 4]})}]}
                    ),
                )
            ],
        )
        for t in plotly_bundle.TRACES
    ]
    page = tmp_path / "traces.html"
    page.write_text(export.to_html(nbformat.v4.new_notebook(cells=cells), "Traces"), encoding="utf-8")
    found = open_offline(browser, page)
    assert_drawn_offline(found)
    assert found["types"] == [[t] for t in plotly_bundle.TRACES]


def test_the_launch_list_sorts_and_filters(browser):
    """The long table of the timeline page: a heading button sorts it (aria-sort says how), the box filters it, and
    the count says how many rows show; the answers are checked against the table's own cells."""
    path = settings.REPORTS_DIR / "tempo-timeline.html"
    if not path.exists():
        missing(f"no {path.name} in {settings.REPORTS_DIR}: run `analysis render` first")
    page = browser.new_page(viewport=SCREENS["laptop"])
    page.goto(path.as_uri(), wait_until="load")
    box = page.locator(".sortable-table").first
    heads = box.locator("thead th").all_inner_texts()
    apogee = [h.rstrip(" ↕↑↓") for h in heads].index("Apogee (km)")
    cells = box.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    values = [float(row[apogee].replace(",", "")) for row in cells if row[apogee] != "\u2014"]

    button = box.get_by_role("button", name="Apogee (km)")
    button.click()
    button.click()
    assert box.locator("thead th").nth(apogee).get_attribute("aria-sort") == "descending"
    first = box.locator("tbody tr").first.locator("td").nth(apogee).inner_text()
    assert float(first.replace(",", "")) == max(values)
    last = box.locator("tbody tr").last.locator("td").nth(apogee).inner_text()
    assert last == "\u2014" or len(values) == len(cells)  # unknown values go last

    box.get_by_role("searchbox").fill("ICBM")
    hits = sum("icbm" in " ".join(row).lower() for row in cells)
    assert box.locator("tbody tr:visible").count() == hits
    assert box.get_by_role("status").inner_text() == f"{hits} of {len(cells)} missiles shown"
    page.close()


def test_an_injected_inline_script_does_not_run_even_past_escaping(browser, tmp_path):
    """The page's CSP lists the hashes of its own scripts only: one slipped into the page later is refused, and
    the page's own scripts (the charts) still run."""
    path = settings.REPORTS_DIR / "tempo-timeline.html"
    if not path.exists():
        missing(f"no {path.name} in {settings.REPORTS_DIR}: run `analysis render` first")
    html = path.read_text(encoding="utf-8")
    assert "'unsafe-inline'" not in html.split("script-src", 1)[1].split(";", 1)[0]
    hostile = tmp_path / path.name
    hostile.write_text(html.replace("</body>", "<script>window.injected = 1;</script></body>", 1), encoding="utf-8")
    found = open_offline(browser, hostile, checks=lambda page: {"ran": page.evaluate("window.injected === 1")})
    assert found["ran"] is False
    assert found["plots"] == found["expected"] > 0
    assert any("Content Security Policy" in e for e in found["errors"])  # the browser says it refused it


def test_a_chart_downloads_as_png_under_the_page_csp(browser):
    path = settings.REPORTS_DIR / "tempo-timeline.html"
    if not path.exists():
        missing(f"no {path.name} in {settings.REPORTS_DIR}: run `analysis render` first")
    page = browser.new_page(accept_downloads=True)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector(".modebar-btn", state="attached")
    page.hover(".plotly-chart")
    with page.expect_download(timeout=15_000) as download:
        page.locator(".modebar-btn[data-title*='png' i]").first.click()
    assert download.value.suggested_filename.endswith(".png") and errors == []
    page.close()
