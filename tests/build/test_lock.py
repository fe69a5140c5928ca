"""One render at a time per reports folder: the lock, who holds it, and what it sweeps away."""

from __future__ import annotations

import json
import os

import pytest

from analysis import settings
from analysis.build import lock, staleness


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "REPORTS_DIR", tmp_path / "reports")
    return settings.REPORTS_DIR


def test_the_lock_names_its_holder_and_a_second_taker_is_refused(reports):
    with lock.exclusive():
        owner = json.loads((staleness.state_dir() / "lock.json").read_text())
        assert owner["pid"] == os.getpid()
        with pytest.raises(lock.LockError, match=rf"another `analysis render` \(pid {os.getpid()}, started "):
            with lock.exclusive():
                pass
    with lock.exclusive():  # released on leaving
        pass


def test_a_lock_held_for_a_render_that_is_gone_is_called_stale(reports, monkeypatch):
    monkeypatch.setattr(lock, "_alive", lambda pid: False)
    with lock.exclusive():
        with pytest.raises(lock.LockError, match=r"held by processes left over from a render that is gone"):
            with lock.exclusive():
                pass


def test_taking_the_lock_sweeps_temp_files_a_killed_run_left(reports):
    (reports / "data").mkdir(parents=True)
    left = reports / "data" / ".page.html.1a2b.tmp"
    left.write_text("half a page")
    kept = reports / "page.html"
    kept.write_text("a page")
    with lock.exclusive():
        pass
    assert not left.exists() and kept.read_text() == "a page"


def test_a_state_folder_that_is_a_link_is_refused(reports, tmp_path):
    reports.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (reports / ".state").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(lock.LockError, match=r"\.state for the reports: it is a symbolic link"):
        with lock.exclusive():
            pass
    assert list((tmp_path / "elsewhere").iterdir()) == []
