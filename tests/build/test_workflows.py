"""The GitHub workflows keep the CI rules: every action pinned by commit, a timeout on every job, read-only
permissions but for the Pages deploy, the tests run on push and pull request by the command .ci/run runs, and
the build's bookkeeping (reports/.state, reports/logs) never published. Each rule is also shown to catch a
workflow that breaks it."""

from __future__ import annotations

import copy
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
DEPLOY_WRITES = {"pages", "id-token"}


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    return {name: None for name in on} if isinstance(on, list) else on


def oldest_python() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"]).group(1)


def writes(permissions) -> set[str]:
    """The scopes a permissions block grants write to; missing means the repository default, maybe write-all."""
    if permissions is None or permissions == "write-all":
        return {"*"}
    if isinstance(permissions, str):
        return set()  # read-all
    return {scope for scope, level in permissions.items() if level == "write"}


def steps(job: dict, action: str) -> list[dict]:
    return [s for s in job.get("steps", []) if s.get("uses", "").split("@")[0] == action]


def problems(workflow: dict) -> list[str]:
    """The rules a workflow breaks (none for a good one)."""
    found = []
    if writes(workflow.get("permissions")):
        found.append("the default permissions are not read-only")
    for name, job in workflow["jobs"].items():
        if "timeout-minutes" not in job:
            found.append(f"{name}: no timeout-minutes")
        allowed = DEPLOY_WRITES if steps(job, "actions/deploy-pages") else set()
        if extra := writes(job.get("permissions", workflow.get("permissions"))) - allowed:
            found.append(f"{name}: writes {sorted(extra)}")
        for step in job.get("steps", []):
            if "uses" in step and not PINNED.fullmatch(step["uses"]):
                found.append(f"{name}: {step['uses']} is not pinned by commit")
        for step in steps(job, "actions/setup-python"):
            if str(step.get("with", {}).get("python-version")) != oldest_python():
                found.append(f"{name}: Python is not the oldest requires-python allows")
        image = job.get("container")
        if image and not str(image).startswith(f"python:{oldest_python()}-"):
            found.append(f"{name}: container Python is not the oldest requires-python allows")
    return found


def ci_problems(workflow: dict) -> list[str]:
    """The rules the test workflow breaks: it must run on push and pull request, by the command .ci/run runs."""
    found = [f"not run on {event}" for event in ("push", "pull_request") if event not in triggers(workflow)]
    commands = [s.get("run", "").strip() for job in workflow["jobs"].values() for s in job.get("steps", [])]
    if "bash .ci/run" not in commands:
        found.append("does not run .ci/run")
    return found


def published(workflow: dict, tmp_path: Path) -> set[str]:
    """The files the Pages artifact holds when the build job runs its shell steps after rendering on a reports/
    folder like the one a render leaves."""
    for name in ("index.html", "tempo-timeline.html", "data/missile_tests.csv", ".state/tempo-timeline.json"):
        (tmp_path / "reports" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "reports" / name).write_text("x")
    (tmp_path / "reports" / "logs").mkdir()
    (tmp_path / "reports" / "logs" / "economy.ipynb").write_text("{}")
    job = workflow["jobs"]["build"]
    (upload,) = steps(job, "actions/upload-pages-artifact")
    after = job["steps"][[s.get("run") for s in job["steps"]].index("make reports") + 1 : job["steps"].index(upload)]
    for step in after:
        if "run" in step:
            subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=tmp_path, check=True)
    site = tmp_path / upload["with"]["path"]
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_workflow_keeps_the_rules(name):
    assert problems(load(name)) == []


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_pin_names_its_version(name):
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines and all(re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line) for line in lines)


def test_the_tests_run_on_push_and_pull_request_as_ci_runs_them():
    assert ci_problems(load("test.yml")) == []
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("\nmake test")


def test_the_site_holds_the_pages_and_data_but_not_the_build_state(tmp_path):
    assert published(load("reports.yml"), tmp_path) == {"index.html", "tempo-timeline.html", "data/missile_tests.csv"}


def test_only_the_deploy_job_writes():
    jobs = load("reports.yml")["jobs"]
    assert jobs["deploy"]["needs"] == "build" and jobs["deploy"]["environment"]["name"] == "github-pages"
    assert writes(jobs["deploy"]["permissions"]) == DEPLOY_WRITES and not writes(jobs["build"]["permissions"])


def _unpinned(w):
    w["jobs"]["build"]["steps"][0]["uses"] = "actions/checkout@v4"


def _no_timeout(w):
    del w["jobs"]["deploy"]["timeout-minutes"]


def _default_permissions(w):
    del w["permissions"]


def _write_by_default(w):
    w["permissions"] = {"contents": "read", "pages": "write"}


def _build_may_deploy(w):
    w["jobs"]["build"]["permissions"]["id-token"] = "write"


def _deploy_may_push(w):
    w["jobs"]["deploy"]["permissions"]["contents"] = "write"


def _other_python(w):
    steps(w["jobs"]["build"], "actions/setup-python")[0]["with"]["python-version"] = "3.12"


@pytest.mark.parametrize(
    ("breach", "caught"),
    [
        (_unpinned, "build: actions/checkout@v4 is not pinned by commit"),
        (_no_timeout, "deploy: no timeout-minutes"),
        (_default_permissions, "the default permissions are not read-only"),
        (_write_by_default, "the default permissions are not read-only"),
        (_build_may_deploy, "build: writes ['id-token']"),
        (_deploy_may_push, "deploy: writes ['contents']"),
        (_other_python, "build: Python is not the oldest requires-python allows"),
    ],
)
def test_a_workflow_breaking_a_rule_is_caught(breach, caught):
    workflow = copy.deepcopy(load("reports.yml"))
    breach(workflow)
    assert problems(workflow) == [caught]


def test_a_test_workflow_off_pull_requests_or_off_ci_run_is_caught():
    workflow = copy.deepcopy(load("test.yml"))
    del triggers(workflow)["pull_request"]
    workflow["jobs"]["test"]["steps"][-1]["run"] = "make test"
    assert ci_problems(workflow) == ["not run on pull_request", "does not run .ci/run"]
    workflow["jobs"]["test"]["container"] = "python:3.13-bookworm"
    assert problems(workflow) == ["test: container Python is not the oldest requires-python allows"]


def test_publishing_the_reports_folder_as_it_is_is_caught(tmp_path):
    workflow = copy.deepcopy(load("reports.yml"))
    steps(workflow["jobs"]["build"], "actions/upload-pages-artifact")[0]["with"]["path"] = "reports"
    assert {".state/tempo-timeline.json", "logs/economy.ipynb"} <= published(workflow, tmp_path)
