"""The front page's pictures: one per rendered page, of its first chart, named by the chart's title; a picture that
cannot be made costs one warning line, never the render."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import elements

from analysis import settings
from analysis.build import frontpage, registry, thumbnails

needs_chromium = pytest.mark.skipif(not thumbnails.available(), reason="needs Debian's chromium and playwright")

CHART = """import plotly.graph_objects as go
go.Figure(go.Bar(x=["a", "b"], y=[3, 1]), layout_title_text="Two <b>bars</b> & a title")"""


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def pictures(index: Path) -> list[tuple[str, str]]:
    return [(img.attrs["src"], img.attrs["alt"]) for img in elements(index.read_text(encoding="utf-8"), "img")]


@pytest.fixture
def reports_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path)
    return tmp_path


def rep(name: str) -> registry.Report:
    return registry.Report(name, name, Path("x.ipynb"), name, "A description.", {})


def test_the_front_page_shows_a_pages_picture_named_by_its_first_charts_title(reports_dir):
    (reports_dir / "a.html").write_text(
        '<body><h1>Report A</h1><figure style="margin:0" aria-label="Launches &amp; tests per year" '
        'class="plotly-figure"></figure><figure class="plotly-figure" aria-label="Second"></figure></body>',
        encoding="utf-8",
    )
    (reports_dir / "b.html").write_text("<body><h1>Report B</h1></body>", encoding="utf-8")
    thumbnails.path("a").parent.mkdir()
    thumbnails.path("a").write_bytes(b"png")
    frontpage.write([rep("a"), rep("b")], {})
    assert pictures(reports_dir / "index.html") == [("thumbs/a.png", "Launches & tests per year")]
    # the page's policy lets it show its own pictures, nothing from elsewhere
    assert "img-src data: 'self';" in (reports_dir / "index.html").read_text(encoding="utf-8")


def test_a_picture_that_fails_costs_one_warning_line_and_the_old_picture(reports_dir, monkeypatch, capsys):
    old = thumbnails.path("a")
    old.parent.mkdir()
    old.write_bytes(b"an old picture")

    def broken(page):
        raise RuntimeError("chromium crashed\nand more")

    monkeypatch.setattr(thumbnails, "available", lambda: True)
    monkeypatch.setattr(thumbnails, "_draw", broken)
    (reports_dir / "a.html").write_text('<div id="plotly-1-0" class="plotly-chart"></div>', encoding="utf-8")
    thumbnails.make("a", reports_dir / "a.html")
    assert capsys.readouterr().err == "warning: no front-page picture for a: RuntimeError: chromium crashed\n"
    assert not old.exists()


def test_without_chromium_there_is_no_picture_and_nothing_to_say(reports_dir, monkeypatch, capsys):
    old = thumbnails.path("a")
    old.parent.mkdir()
    old.write_bytes(b"an old picture")
    monkeypatch.setattr(thumbnails, "available", lambda: False)
    thumbnails.make("a", reports_dir / "a.html")
    assert capsys.readouterr() == ("", "") and not old.exists()


@pytest.mark.slow
@needs_chromium
def test_a_rendered_page_gets_its_picture_and_a_failed_picture_leaves_the_render_green(project):
    project.notebook("a.ipynb", "n = 1", CHART)
    project.notebook("b.ipynb", "n = 1", "print(n)")
    project.registry({"a": {"notebook": "a.ipynb"}, "b": {"notebook": "b.ipynb"}})
    result = project.render()
    assert result.returncode == 0, result.stderr
    thumbs = project.reports / "thumbs"
    assert png_size(thumbs / "a.png") == (thumbnails.WIDTH, thumbnails.HEIGHT)
    assert not (thumbs / "b.png").exists()  # no chart, no picture
    assert pictures(project.reports / "index.html") == [("thumbs/a.png", "Two bars & a title")]

    (thumbs / "a.png").unlink()
    thumbs.rmdir()
    thumbs.write_text("not a folder")  # the picture cannot be written
    result = project.render("a", "--force")
    assert result.returncode == 0 and "FAILED" not in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "picture" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: no front-page picture for a: ")
    assert pictures(project.reports / "index.html") == []
