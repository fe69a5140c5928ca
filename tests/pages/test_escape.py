"""The escaping paths every data string takes to a page, and the computed headlines."""

from __future__ import annotations

import html as h
import os
import re

import pandas as pd
import pytest
from markupsafe import escape
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis import settings
from analysis.measures import metrics
from analysis.pages import escape as pages
from analysis.pages import headlines, overview, report

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
    html = rendered_markdown(pages.md_escape(text))
    assert "<img" not in html and "<script" not in html and "<a " not in html and "<em>" not in html
    assert "<code>" not in html and "<h1>" not in html
    # what a reader sees is the original text
    assert h.unescape(re.sub(r"<[^>]+>", "", html)).strip() == text


def test_web_url_only_http():
    assert pages.is_web_url("https://example.org/a?b=1")
    assert not any(
        pages.is_web_url(u) for u in ["javascript:alert(1)", "data:text/html,x", "//evil", "https://a b", None]
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_report_parts_escape_data_text(text):
    for html in (report.findings([text]).data, report.headline(text, [(text, text)]).data):
        assert "<img" not in html and "<script" not in html and "<a " not in html
        assert str(escape(text)) in html


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
    html = rendered_markdown(metrics.describe_event(event))
    assert "<img" not in html and "<a " not in html and html.count("<strong>") == 1 and "<em>" not in html


def test_published_tables_escapes_paths(monkeypatch):
    monkeypatch.setattr(overview.schema, "package", lambda: {"resources": [{"path": "a_b*c*.csv"}]})
    html = rendered_markdown(overview.published_tables().data)
    assert "a_b*c*.csv</a>" in html and 'href="data/a_b%2Ac%2A.csv"' in html


# ---- headlines -----------------------------------------------------------------------------------------------------


def missiles(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["date_kst", "missile_name", "missile_class", "apogee_km", "distance_km", "outcome", "confirmed"]
    ).assign(date_kst=lambda d: pd.to_datetime(d["date_kst"]))


M = missiles(
    [
        ("2016-03-01", "A", "SRBM", 50.0, 300.0, "success", True),
        ("2016-03-01", "A", "SRBM", None, None, "success", True),
        ("2017-07-04", "B", "ICBM", 2802.0, 933.0, "success", True),
        ("2017-11-29", "C", "ICBM", 4475.0, 950.0, "success", True),
        ("2019-05-04", "D", "SRBM", 60.0, 240.0, "success", True),
    ]
)


def test_tempo_headline():
    sentence, figures = headlines.tempo(M)
    assert sentence.startswith(
        "From 2016 to 2019, North Korea launched 5 missiles on 4 days; the busiest year was 2016, with 2 missiles."
    )
    assert "The longest pause lasted 521 days, from 29 November 2017 to 4 May 2019." in sentence
    assert figures == [
        ("5", "missiles launched"),
        ("4", "launch days"),
        ("2016", "busiest year (2 missiles)"),
        ("521", "days in the longest pause"),
    ]
    assert headlines.tempo(M.iloc[:0]) == ("No missiles in this selection.", [])


def test_capabilities_headline():
    sentence, figures = headlines.capabilities(M)
    assert "reached 4,475 km (C, ICBM, 29 November 2017)" in sentence and "longest flew 950 km" in sentence
    assert "ICBMs flew 2 times from 4 July 2017 on, setting a new height record 2 times." in sentence
    assert ("4,475 km", "highest apogee") in figures and ("2", "ICBM flights") in figures
    assert headlines.capabilities(M.assign(apogee_km=None, distance_km=None))[1] == []


def test_nuclear_sanctions_headline():
    tests = pd.DataFrame({"date_kst": pd.to_datetime(["2006-10-09", "2017-09-03"]), "mb": [4.3, 6.3]})
    response = pd.DataFrame({"days": pd.array([5, None], dtype="Int64")})
    sentence, figures = headlines.nuclear_sanctions(tests, response)
    assert sentence == (
        "North Korea carried out 2 nuclear tests from 2006 to 2017; the largest, on 3 September 2017, "
        "measured magnitude 6.3. The Security Council named 1 of them in an adopted resolution, a median "
        "of 5 days after the test."
    )
    assert figures[2] == ("1 of 2", "answered by a resolution naming the test")


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
