"""The one place for paths and project-wide settings."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# ANALYSIS_ROOT lets tests point the whole pipeline at a scratch copy of the project.
ROOT = Path(os.environ.get("ANALYSIS_ROOT", PACKAGE_DIR.parents[1])).resolve()

DATA_DIR = ROOT / "data"
CURATED_DIR = DATA_DIR / "curated"
DATAPACKAGE = CURATED_DIR / "datapackage.json"
CHANGES_DIR = DATA_DIR / "changes"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
REGISTRY = NOTEBOOKS_DIR / "reports.yml"

KERNEL_NAME = "nk-analysis"

# Korea Standard Time is UTC+9 all year (no daylight saving since 1988).
KST_OFFSET_HOURS = 9

# Seconds one notebook cell may run before its report fails (`analysis render --cell-timeout`).
CELL_TIMEOUT_SECONDS = 600
