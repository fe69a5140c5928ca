# Run `make` (or `make help`) for the list of targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := nk-analysis
REFERENCE := ../shared/reference
export JUPYTER_PLATFORM_DIRS := 1

.DEFAULT_GOAL := help
.PHONY: help reports figures test lab notebooks validate bench plotly-bundle clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# A missing stamp means the set-up never finished (wrong Python, interrupted install): start afresh.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "error: the project needs Python 3.11 or newer; '$(PYTHON)' is not (set PYTHON=python3.11)" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (nk-analysis)" >/dev/null
	$(BIN)/python -m analysis.build.forkserver install-kernelspec $(KERNEL)
	touch $(STAMP)

reports: $(STAMP) ## Render every report into reports/ (only the stale ones; FORCE=1 re-runs all)
	$(BIN)/analysis render $(if $(FORCE),--force)

figures: reports ## Export every chart as print-size PNG and SVG into reports/figures/ (offline; needs chromium)
	$(BIN)/analysis figures

lint: $(STAMP) ## Check the code: ruff (lint and format) and the layer contract (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: $(STAMP) lint ## Lint, validate the data, audit it, render the reports, run every test (unit, nbval, browser)
	$(BIN)/analysis validate
	@if [ -d $(REFERENCE) ]; then $(BIN)/analysis audit --quiet; else echo "audit skipped: no reference copies in $(REFERENCE)"; fi
	$(BIN)/analysis render
	$(BIN)/python -m pytest -n auto

lab: $(STAMP) ## Open JupyterLab on notebooks/ (offline: the maps' outlines are served by the project's extension)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.jpserver_extensions='{"analysis.pages.lab": True}' \
		$(if $(filter 0,$(shell id -u)),--allow-root)

notebooks: $(STAMP) ## Re-run the notebooks to refresh the outputs nbval compares (the rest is stripped; review the diff)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=$(KERNEL) \
		--ExecutePreprocessor.record_timing=False notebooks/*.ipynb
	$(BIN)/nbstripout --keep-count notebooks/*.ipynb

validate: $(STAMP) ## Check every curated table against the data package schema
	$(BIN)/analysis validate

bench: $(STAMP) ## Time the render pipeline against the naive loop and the floor, page sizes, charts drawn (QUICK=1: no naive loop)
	$(BIN)/python benchmarks/render.py $(if $(QUICK),--quick)

plotly-bundle: $(STAMP) ## Rebuild the partial plotly.js the pages embed (needs node and npm)
	$(BIN)/python scripts/build_plotly_bundle.py

clean: ## Remove the virtual environment and rendered reports
	rm -rf $(VENV) reports/*.html reports/data reports/logs reports/.state
