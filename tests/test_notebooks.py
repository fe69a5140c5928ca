"""The committed notebooks hold only what nbval compares, so a re-run shows a reviewable diff."""

from __future__ import annotations

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
