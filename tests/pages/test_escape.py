"""The escaping paths every data string takes to a page, and the computed headlines."""

from __future__ import annotations

import html as h
import os
import re

import markupsafe
import pandas as pd
import pytest
from conftest import elements
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis import settings
from analysis.pages import data_overview, escape, event_window, report

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![t](https://example.invalid/t.png)",
    "*not emphasis* and _not_either_",
    "{{ 7*7 }} {% if %}",
    "`code` # heading",
    "a\\*b & c < d > e \" '",
]


def rendered_markdown(text: str) -> str:
    """Markdown as nbconvert turns it into the page's HTML."""
    return markdown2html_mistune(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_leaves_only_literal_text(text):
    html = rendered_markdown(escape.md_escape(text))
    assert "<img" not in html and "<script" not in html and "<a " not in html and "<em>" not in html
    assert "<code>" not in html and "<h1>" not in html
    # what a reader sees is the original text
    assert h.unescape(re.sub(r"<[^>]+>", "", html)).strip() == text


def test_web_url_only_http():
    assert escape.is_web_url("https://example.org/a?b=1")
    assert not any(
        escape.is_web_url(u) for u in ["javascript:alert(1)", "data:text/html,x", "//evil", "https://a b", None]
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_report_parts_escape_data_text(text):
    for html in (report.findings([text]).data, report.headline(text, [(text, text)]).data):
        assert "<img" not in html and "<script" not in html and "<a " not in html
        assert str(markupsafe.escape(text)) in html


def test_data_and_method_escapes_sources_and_drops_unsafe_links(monkeypatch):
    frames = {
        "sources": pd.DataFrame(
            {
                "source_id": ["s1", "s2"],
                "publisher": ["<b>P</b>", "Q"],
                "title": ["T <i>", "U"],
                "url": ["javascript:alert(1)", "https://q.example/"],
            }
        )
    }
    rows = pd.DataFrame({"x": [1], "source_ids": ["s1;s2"]})
    html = report.data_and_method(frames, rows, "rows.csv", True).data
    assert "&lt;b&gt;P&lt;/b&gt;" in html and "javascript:" not in html and 'href="https://q.example/"' in html
    assert "Download the 1 row used (rows.csv)" in html


def test_describe_event_escapes_every_field():
    event = pd.Series(
        {
            "start_date": "2018-06-12",
            "end_date": "2018-06-12",
            "kind": "summit",
            "parties": "US;DPRK",
            "title": "<img src=x onerror=alert(1)> *Summit*",
            "location": "[x](javascript:alert(1))",
            "outcome": "![t](https://example.invalid/t.png)",
        }
    )
    html = rendered_markdown(event_window.describe_event(event))
    assert "<img" not in html and "<a " not in html and html.count("<strong>") == 1 and "<em>" not in html


def test_published_tables_escapes_paths(monkeypatch):
    monkeypatch.setattr(data_overview.schema, "package", lambda: {"resources": [{"path": "a_b*c*.csv"}]})
    html = rendered_markdown(data_overview.published_tables().data)
    assert ("data/a_b%2Ac%2A.csv", "a_b*c*.csv") in [(a.attrs["href"], a.text) for a in elements(html, "a")]


# ---- every rendered page: no raw pandas markup -----------------------------------------------------

RENDERED = sorted(settings.REPORTS_DIR.glob("*.html"))
RAW_MARKUP = {
    "a raw DataFrame": re.compile(r'class="dataframe'),
    "a snake_case column heading": re.compile(r"<th[^>]*>\s*[a-z0-9]+(?:_[a-z0-9]+)+\s*</th>"),
    "a raw missing or infinite value": re.compile(r"<t[dh][^>]*>\s*(?:NaN|nan|NaT|None|&lt;NA&gt;|-?inf)\s*</t[dh]>"),
    "an unrounded zero": re.compile(r"<t[dh][^>]*>\s*-?0\.0000\s*</t[dh]>"),
    "a raw boolean": re.compile(r"<t[dh][^>]*>\s*(?:True|False)\s*</t[dh]>"),
}


@pytest.mark.parametrize("page", RENDERED, ids=[p.stem for p in RENDERED])
def test_no_rendered_page_shows_raw_pandas_markup(page):
    html = page.read_text(encoding="utf-8")
    found = [f"{what}: {m.group(0)[:80]!r}" for what, rx in RAW_MARKUP.items() if (m := rx.search(html))]
    assert not found, f"{page.name}: " + "; ".join(found)


def test_the_raw_markup_scan_finds_a_raw_table():
    raw = pd.DataFrame({"rate_ratio": [float("nan"), float("inf")], "p": [0.0, True]}).to_html()
    assert all(rx.search(raw) for what, rx in RAW_MARKUP.items() if what != "an unrounded zero")
    assert RAW_MARKUP["an unrounded zero"].search(pd.DataFrame({"p": [0.00001]}).round(4).to_html(float_format="%.4f"))


def test_pages_are_rendered_in_ci():
    if os.environ.get("CI") == "true":
        assert RENDERED, f"no rendered reports in {settings.REPORTS_DIR}: CI renders them before the tests"
