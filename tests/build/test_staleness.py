"""A report is up to date while the hash of its inputs is unchanged and its page is in place."""

from __future__ import annotations

import pytest

from analysis import settings
from analysis.build import registry, staleness


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path / "reports")
    settings.REPORTS_DIR.mkdir()
    return settings.REPORTS_DIR


def report(tmp_path, **parameters) -> registry.Report:
    notebook = tmp_path / "nb.ipynb"
    if not notebook.exists():
        notebook.write_text("{}")
    return registry.Report("r", "r", notebook, "Title", "A description.", parameters)


SHARED = {"data": "abc", "package": "def", "versions": {"python": "3"}, "keep_code": False}


def test_the_key_follows_every_input(tmp_path):
    base = staleness.key(report(tmp_path, year=2019), SHARED)
    assert staleness.key(report(tmp_path, year=2019), SHARED) == base
    assert staleness.key(report(tmp_path, year=2020), SHARED) != base
    assert staleness.key(report(tmp_path, year=2019), {**SHARED, "data": "abd"}) != base
    assert staleness.key(report(tmp_path, year=2019), {**SHARED, "keep_code": True}) != base
    (tmp_path / "nb.ipynb").write_text('{"cells": []}')
    assert staleness.key(report(tmp_path, year=2019), SHARED) != base


def test_up_to_date_needs_an_ok_state_the_same_key_and_the_page(tmp_path, reports):
    r = report(tmp_path)
    state = {"status": "ok", "key": "k"}
    assert not staleness.up_to_date(r, state, "k")  # no page yet
    staleness.html("r").write_text("<html></html>")
    assert staleness.up_to_date(r, state, "k")
    assert not staleness.up_to_date(r, state, "other")
    assert not staleness.up_to_date(r, {**state, "status": "failed"}, "k")


@pytest.mark.parametrize("content", [None, "", "not json", "[1, 2]", '"text"'])
def test_a_missing_or_broken_state_file_reads_as_nothing(tmp_path, content):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content)
    assert staleness.read_json(path) == {}
