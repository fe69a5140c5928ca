"""Shared fixtures and helpers: a scratch project (ANALYSIS_ROOT) with tiny notebooks, `analysis render` run on it,
and the elements of rendered HTML (tests assert on structure and numbers, not on exact markup)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import settings

ANALYSIS = Path(sys.executable).with_name("analysis")
KERNELSPEC = {"name": "nk-analysis", "display_name": "Python (nk-analysis)", "language": "python"}


@pytest.fixture(autouse=True, scope="session")
def _jupyter_runtime(tmp_path_factory):
    """Kernels put their connection files and sockets here rather than in the user's Jupyter folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path_factory.mktemp("rt")))
        yield


@pytest.fixture(autouse=True, scope="session")
def _warm_kernels(_jupyter_runtime):
    """nbval's kernels are forked from one warm process (the project kernel spec names the provisioner)."""
    from analysis.build import forkserver

    with forkserver.Server():
        yield


def summit_launches() -> pd.DataFrame:
    """A launch every 9th day from 2008 to 2024, except a quiet spell from 2015-07-01 to 2016-03-31 and a campaign
    (every 2nd day) in the 180 days after 2016-04-01."""
    days = pd.date_range("2008-01-01", "2024-12-31")
    keep = (np.arange(len(days)) % 9 == 0) & ~((days >= "2015-07-01") & (days <= "2016-03-31"))
    campaign = (days > "2016-04-01") & (days <= "2016-09-28") & (np.arange(len(days)) % 2 == 0)
    d = pd.Series(days[keep | campaign])
    return pd.DataFrame({"date_kst": d, "missile_id": [f"m{i}" for i in range(len(d))]})


def summit_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["quiet-then-busy", "ordinary", "inter"],
            "start_date": pd.to_datetime(["2016-04-01", "2019-05-01", "2019-09-01"]),
            "end_date": pd.to_datetime(["2016-04-01", "2019-05-02", "2019-09-01"]),
            "kind": "summit",
            "title": ["A", "B", "C"],
            "location": ["Hanoi, Vietnam", "Singapore", "Panmunjom (DMZ)"],
            "parties": ["US;DPRK", "US;DPRK", "DPRK;ROK"],
            "trump_kim": [True, True, False],
        }
    )


SUMMIT_IDS = ["quiet-then-busy", "ordinary", "inter"]


REFERENCE_DIR = settings.ROOT.parent / "shared" / "reference"


def copy_curated(tmp_path: Path) -> Path:
    """A scratch copy of the curated tables and the corrections log beside them (what a refresh reads)."""
    import shutil

    shutil.copytree(settings.CURATED_DIR, tmp_path / "curated")
    shutil.copy(settings.DATA_DIR / "corrections.csv", tmp_path / "corrections.csv")
    return tmp_path


def reference_file(name: str) -> Path:
    """A third-party reference copy beside the project (never inside it): skipped where absent, except in CI,
    where a test that cannot run is a failure."""
    path = REFERENCE_DIR / name
    if not path.exists():
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(f"no reference copy {path}")
    return path


def write_notebook(path: Path, parameters: str, *cells: str) -> Path:
    """A notebook whose first cell, tagged `parameters`, holds `parameters`; then one code cell per string."""
    first = nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})
    nb = nbformat.v4.new_notebook(cells=[first, *(nbformat.v4.new_code_cell(c) for c in cells)])
    nb.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(nb, path)
    return path


@dataclass
class Project:
    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def notebook(self, name: str, parameters: str, *cells: str) -> Path:
        return write_notebook(self.notebooks / name, parameters, *cells)

    def registry(self, reports: dict) -> None:
        (self.notebooks / "reports.yml").write_text(
            yaml.safe_dump({"reports": reports}, sort_keys=False), encoding="utf-8"
        )

    def render(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([ANALYSIS, "render", *args], capture_output=True, text=True, timeout=timeout)

    def html(self, name: str) -> Path:
        return self.reports / f"{name}.html"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    """An empty project with one tiny curated table; ANALYSIS_ROOT points at it (for subprocesses too)."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    curated = root / "data" / "curated"
    curated.mkdir(parents=True)
    (curated / "datapackage.json").write_text(
        '{"name": "test", "resources": [{"name": "events", "path": "events.csv"}]}\n', encoding="utf-8"
    )
    (curated / "events.csv").write_text("event_id\nE1\n", encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_ROOT", str(root))
    return Project(root)


# The structure of rendered HTML, so tests assert on elements and numbers rather than on exact markup.


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    classes: list[str] = field(default_factory=list)


class _Elements(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        el = Element(tag, attrs, classes=attrs.get("class", "").split())
        self.found.append(el)
        if tag not in self.VOID:
            self.open.append(el)

    def handle_endtag(self, tag):
        while self.open and self.open.pop().tag != tag:
            pass

    def handle_data(self, data):
        for el in self.open:
            el.text += data


def elements(html: str, tag: str | None = None, cls: str | None = None) -> list[Element]:
    """The elements of an HTML fragment, in document order, with their text (whitespace collapsed); only `tag`
    ones, and only those with CSS class `cls`, when given."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for el in parser.found:
        el.text = " ".join(el.text.split())
    return [e for e in parser.found if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]


def pytest_collection_modifyitems(items):
    """nbval's cells run the notebooks in kernels: slow."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


# Processes of a render started as a shell job (the fault and hardening tests).


def wait_for(predicate, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def project_processes(project) -> set[int]:
    """Live processes started for this scratch project (workers and kernels inherit its ANALYSIS_ROOT)."""
    marker = f"ANALYSIS_ROOT={project.root}".encode()
    pids = set()
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (d / "environ").read_bytes().split(b"\0") and b"pytest" not in (d / "cmdline").read_bytes():
                pids.add(int(d.name))
        except OSError:
            continue
    return pids


def start_render(*args: str) -> subprocess.Popen:
    """`analysis render` as a shell job: its own process group, like a command typed at a terminal."""
    return subprocess.Popen(
        [ANALYSIS, "render", "--jobs", "1", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
