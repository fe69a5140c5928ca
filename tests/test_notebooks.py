"""The committed notebooks hold only what nbval compares, so a re-run shows a reviewable diff."""

from __future__ import annotations

import ast
import json

import pytest

from analysis import settings

NOTEBOOKS = sorted(settings.NOTEBOOKS_DIR.glob("*.ipynb"))
MARK = "# NBVAL_CHECK_OUTPUT"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_only_the_compared_outputs_are_committed(path):
    for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "code":
            continue
        compared = MARK in "".join(cell["source"])
        kept = "keep_output" in cell.get("metadata", {}).get("tags", [])
        assert compared == kept, f"{path.name} cell {i}: a cell marked {MARK} needs the tag keep_output (and only it)"
        assert compared or not cell["outputs"], (
            f"{path.name} cell {i}: output nbval does not compare; run `make notebooks`"
        )


def _default(notebook: str, name: str):
    import papermill

    return ast.literal_eval(papermill.inspect_notebook(str(settings.NOTEBOOKS_DIR / notebook))[name]["default"])


def test_the_summit_notebooks_default_to_the_registrys_family():
    """A kernel never reads the registry, so the family the summit pages judge together is written twice: as the
    event-window sweep in reports.yml and as the summit notebooks' defaults. They must agree."""
    from analysis.build import registry

    swept = [r.parameters["event_id"] for r in registry.load(settings.REGISTRY) if r.group == "event-window"]
    assert swept, "reports.yml: no event-window sweep"
    assert _default("02_event_window.ipynb", "family_event_ids") == swept
    assert _default("07_summit_overview.ipynb", "event_ids") == swept
