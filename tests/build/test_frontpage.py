"""The front page: headlines read back from the pages, topics, the scorecard's answer first, failures shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import elements

from analysis import settings
from analysis.build import frontpage, registry
from analysis.pages import report

PAGE = """<html><head><script>var x = "<h1>not this</h1>";</script></head><body><main>
<h1 id="T">Launches &amp; talks<a class="anchor-link" href="#T">\u00b6</a></h1>
{headline}
<p class="lede">a lede outside the headline section is not the answer</p>
</main></body></html>"""


def page(tmp_path: Path, name: str, sentence: str, figures=(), title=None) -> Path:
    html = PAGE.format(headline=report.headline(sentence, list(figures)).data)
    if title is not None:
        html = html.replace("Launches &amp; talks", title)
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_read_headline(tmp_path):
    found = frontpage.read_headline(
        page(tmp_path, "p", "It rose <a lot>.", [("1,200", "missiles"), ("3 of 4", "claims")])
    )
    assert found.title == "Launches & talks"
    assert found.sentence == "It rose <a lot>."
    assert found.figures == [("1,200", "missiles"), ("3 of 4", "claims")]
    assert frontpage.read_headline(tmp_path / "missing.html") == frontpage.Headline()


@pytest.fixture
def reports_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path)
    return tmp_path


def rep(name: str, group: str, title: str = "", **params) -> registry.Report:
    return registry.Report(name, group, Path("x.ipynb"), title or name, "A description.", params)


def test_front_page_order_failures_and_escaping(reports_dir):
    page(reports_dir, "claims-scorecard", "Of 4 claims, 2 hold.", [("2", "supported")], title="Claims checked")
    page(reports_dir, "tempo-timeline", "Many <script>alert(1)</script> launches.", title="Tempo")
    page(reports_dir, "event-window-a", "A changed.", title="Same title")
    page(reports_dir, "event-window-b", "B did not.", title="Same title")
    reports = [
        rep("data-overview", "data-overview"),
        rep("tempo-timeline", "tempo-timeline", classes=[]),
        rep("event-window-a", "event-window", "Launches before and after A"),
        rep("event-window-b", "event-window", "Launches before and after B"),
        rep("claims-scorecard", "claims-scorecard"),
        rep("odd", "odd"),
    ]
    states = {
        "tempo-timeline": {
            "status": "failed",
            "error": "ValueError: boom",
            "failed": "2026-01-02 10:00 UTC",
            "built": "2026-01-01 09:00 UTC",
            "data_version": "abc",
        },
        "claims-scorecard": {"status": "ok", "built": "2026-01-02 10:00 UTC", "parameters": {}},
    }
    html = frontpage.build(reports, states)
    (body,) = elements(html, "body")
    # the question, then the scorecard's answer, then the topics in order
    order = [
        html.index(s)
        for s in (
            "stand up to the data?",
            "Of 4 claims, 2 hold.",
            "Summits and meetings",
            "Weapons testing",
            "The data",
            "More reports",
        )
    ]
    assert order == sorted(order)
    assert any(
        a.attrs.get("href") == "claims-scorecard.html" and a.text == "Claims checked" for a in elements(html, "a")
    )
    # a failed report: marked failed, with when, why, and the date of the page still served
    assert "Failed 2026-01-02 10:00 UTC: ValueError: boom" in body.text and "built 2026-01-01 09:00 UTC" in html
    assert "Many &lt;script&gt;alert(1)&lt;/script&gt; launches." in html and "<script>alert" not in html
    # pages of a sweep that share one title are told apart by the registry's titles
    assert "Launches before and after A" in html and "Launches before and after B" in html and "Same title" not in html
    assert "Not built yet." in html  # data-overview has no page
    assert "Build details" in [e.text for e in elements(html, "summary")]
    assert "classes = []" in [e.text for e in elements(html, "code")]
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_write_only_when_changed(reports_dir):
    reports = [rep("data-overview", "data-overview")]
    frontpage.write(reports, {})
    index = reports_dir / "index.html"
    stamp = index.stat().st_mtime_ns
    frontpage.write(reports, {})
    assert index.stat().st_mtime_ns == stamp


def test_registry_title_names_the_row_not_the_slug(tmp_path, monkeypatch):
    (tmp_path / "diplomatic_events.csv").write_text(
        "event_id,start_date,title\n2018-06-12-singapore-summit,2018-06-12,First Trump-Kim summit <b>\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(settings, "CURATED_DIR", tmp_path)
    frontpage._rows.cache_clear()
    report = registry.Report(
        "ew",
        "event-window",
        Path("x.ipynb"),
        "Launches around 2018-06-12-singapore-summit",
        "",
        {"event_id": "2018-06-12-singapore-summit"},
        {"event_id": "diplomatic_events.event_id"},
    )
    assert frontpage.registry_title(report) == "Launches around First Trump-Kim summit <b> (12 June 2018)"
    unknown = registry.Report(
        "ew",
        "event-window",
        Path("x.ipynb"),
        "Launches around x",
        "",
        {"event_id": "x"},
        {"event_id": "diplomatic_events.event_id"},
    )
    assert frontpage.registry_title(unknown) == "Launches around x"
    frontpage._rows.cache_clear()


def test_an_overview_comes_before_the_pages_it_summarises_and_terms_and_date_are_on_the_page(reports_dir):
    from analysis.data import fingerprint

    page(reports_dir, "event-window-a", "A changed.", title="A")
    page(reports_dir, "summit-overview", "None changed.", title="All")
    reports = [
        rep("event-window-a", "event-window", "Launches before and after A"),
        rep("summit-overview", "summit-overview"),
    ]
    html = frontpage.build(reports, {})
    assert html.index('href="summit-overview.html"') < html.index('href="event-window-a.html"')
    assert f"Data as of {fingerprint.data_as_of()}." in html and "<b>CNS criterion</b>" in html
    assert "CC BY 4.0" in html
