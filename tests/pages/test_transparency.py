"""analysis.pages.transparency: the data dictionary, corrections log and verdict log as escaped, script-free pages."""

from __future__ import annotations

import shutil

import pytest

from analysis import settings
from analysis.pages import transparency


@pytest.fixture
def project(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(settings.CURATED_DIR, data / "curated")
    (data / "changes").mkdir()
    (data / "README.md").write_text("# Dictionary\n\n| a | b |\n|---|---|\n| 1 | <script>x()</script> |\n")
    (data / "corrections.csv").write_text(
        "reference,rows,field,reference_value,reason,source_ids\ncns,M1,date_utc,2020-01-01,<img src=x onerror=y()>,s\n"
    )
    shutil.copy(settings.CHANGES_DIR / "verdicts.csv", data / "changes" / "verdicts.csv")
    for name, value in (("DATA_DIR", data), ("CURATED_DIR", data / "curated"), ("CHANGES_DIR", data / "changes")):
        monkeypatch.setattr(settings, name, value)
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path / "reports")
    (tmp_path / "reports").mkdir()
    return tmp_path


def test_the_record_is_written_escaped_and_without_scripts(project):
    transparency.write()
    pages = {name: (project / "reports" / f"{name}.html").read_text() for name in transparency.PAGES}
    assert "<table>" in pages["data-dictionary"] and "&lt;script&gt;" in pages["data-dictionary"]
    assert "&lt;img src=x onerror=y()&gt;" in pages["corrections-log"] and "<img" not in pages["corrections-log"]
    assert "1 entries" in pages["corrections-log"] and "newest first" in pages["verdict-log"]
    for html in pages.values():
        assert "<script" not in html and "default-src 'none'" in html and "Data version" in html


def test_unchanged_pages_are_not_rewritten_and_missing_sources_make_no_page(project):
    transparency.write()
    page = project / "reports" / "corrections-log.html"
    before = page.stat().st_mtime_ns
    transparency.write()
    assert page.stat().st_mtime_ns == before
    (settings.DATA_DIR / "README.md").unlink()
    assert transparency.available() == ["corrections-log", "verdict-log"]
