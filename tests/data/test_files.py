"""The file helpers every writer shares: atomic writes, CSV lines, names for messages, the reports folder's bounds."""

from __future__ import annotations

import stat

import pytest

from analysis import settings
from analysis.data import files


def test_an_atomic_write_leaves_no_temp_file_keeps_a_mode_and_replaces_a_link(tmp_path):
    path = files.write_atomic(tmp_path / "a.txt", "first")
    assert path.read_text() == "first" and stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o600)
    files.write_atomic(path, b"second")
    assert path.read_bytes() == b"second" and stat.S_IMODE(path.stat().st_mode) == 0o600
    target = tmp_path / "target.txt"
    target.write_text("untouched")
    (tmp_path / "link.txt").symlink_to(target)
    files.write_atomic(tmp_path / "link.txt", "new")
    assert not (tmp_path / "link.txt").is_symlink() and target.read_text() == "untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "link.txt", "target.txt"]


def test_csv_lines_quote_a_bare_carriage_return():
    assert files.csv_lines([["a", "b,c"], ["x\ry", 1]]) == 'a,"b,c"\n"x\ry",1\n'


def test_relative_names_a_project_file_from_the_root_and_any_other_in_full(tmp_path):
    assert files.relative(settings.CURATED_DIR / "sanctions.csv") == "data/curated/sanctions.csv"
    assert files.relative(tmp_path / "x.csv") == str(tmp_path / "x.csv")


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.html", "data/../../outside.html"])
def test_a_name_leaving_the_reports_folder_is_refused(tmp_path, monkeypatch, name):
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path / "reports")
    with pytest.raises(files.LinkError, match="the name leaves the reports folder; nothing written through it"):
        files.inside_reports(name)


def test_a_linked_folder_under_reports_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path / "reports")
    (tmp_path / "reports").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "reports" / "data").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(files.LinkError, match="is a symbolic link"):
        files.write_atomic(files.inside_reports("data/x.csv"), "x")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert files.inside_reports("page.html") == tmp_path / "reports" / "page.html"
