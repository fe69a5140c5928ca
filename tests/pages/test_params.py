"""Each notebook's parameter spec against its `parameters` cell, and the pre-flight check against the
notebook's own check, value by value."""

from __future__ import annotations

import ast
import json

import pandas as pd
import papermill
import pytest

from analysis import settings
from analysis.build import registry
from analysis.pages import params

NOTEBOOKS = sorted(p.name for p in settings.NOTEBOOKS_DIR.glob("*.ipynb"))

# Values to walk every parameter through, by the kind of field.
DATE = (["2018-06-12"], [20180612, "2018-02-30", "last year", True])
BOOL = ([True, False], [1, "yes", None])
KINDS = {
    "start_date": DATE,
    "end_date": DATE,
    "cns_threshold_only": BOOL,
    "include_vetoed": BOOL,
    "classes": ([[], ["ICBM", "SLBM"]], [["XRBM"], "ICBM", None]),
    "freq": (["YE", "QE", "ME"], ["W", "M", 12]),
    "event_id": (["2019-02-27-hanoi-summit"], [5, None]),
    "article_id": (["cnn-2022-12-31-srbm"], [5, None]),
    "event_ids": ([[], ["2019-02-27-hanoi-summit"]], ["2019-02-27-hanoi-summit", [5]]),
    "family_event_ids": ([[], ["2019-02-27-hanoi-summit"]], ["2019-02-27-hanoi-summit", [5]]),
    "reference_start": (["2012-01-01", "2010-06-30"], [2012, "2012-13-01", None]),
    "window_days": ([90, 180, 365, 730], [100, 3, 2000, "180", True, 180.0]),
    "first_year": ([1990, 2015], [1900, 2999, "2000", True]),
}


# Parameters whose values the registry checks against a curated column (the notebook cannot: it reads no registry).
IDS = {"event_id": "diplomatic_events.event_id", "article_id": "articles.article_id"}


def declared(notebook: str) -> dict:
    return papermill.inspect_notebook(str(settings.NOTEBOOKS_DIR / notebook))


def setup_source(notebook: str) -> str:
    """The code cell after the parameters cell: where the notebook checks its parameters."""
    cells = json.loads((settings.NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    first = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    return "".join(next(c for c in cells[first + 1 :] if c["cell_type"] == "code")["source"])


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_has_a_spec_matching_its_parameters_cell(notebook):
    spec = params.SPECS.get(notebook)
    assert spec is not None, f"{notebook}: no parameter spec in analysis.pages.params.SPECS"
    cell = declared(notebook)
    assert list(cell) == list(spec.model_fields)
    for name, field in spec.model_fields.items():
        assert ast.literal_eval(cell[name]["default"]) == field.default, (
            f"{notebook}: {name} default differs from the spec"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_notebook_checks_its_parameters_with_its_spec(notebook):
    assert f"params.{params.SPECS[notebook].__name__}.check(globals())" in setup_source(notebook)


def walk() -> list[tuple[str, str, object, bool]]:
    cases = []
    for notebook, spec in sorted(params.SPECS.items()):
        for name in spec.model_fields:
            good, bad = KINDS[name]
            cases += [(notebook, name, v, True) for v in good] + [(notebook, name, v, False) for v in bad]
    return cases


CASES = walk()


def test_the_walk_covers_every_parameter():
    assert {(nb, name) for nb, name, _, _ in CASES} == {
        (nb, n) for nb, s in params.SPECS.items() for n in s.model_fields
    }
    assert len(CASES) >= 60


@pytest.mark.parametrize(("notebook", "name", "value", "valid"), CASES)
def test_pre_flight_and_notebook_agree(notebook, name, value, valid):
    report = registry.Report(
        "r",
        "r",
        settings.NOTEBOOKS_DIR / notebook,
        "r",
        parameters={name: value},
        ids={name: IDS[name]} if name in IDS else {},
    )
    known = {
        "diplomatic_events": pd.DataFrame({"event_id": ["2019-02-27-hanoi-summit"]}),
        "articles": pd.DataFrame({"article_id": ["trump-kim-asia-trip", "cnn-2022-12-31-srbm"]}),
    }
    pre_flight = registry.check(report, declared(notebook), lambda table: known[table])
    defaults = {n: ast.literal_eval(d["default"]) for n, d in declared(notebook).items()}
    try:  # what the notebook's setup cell does with papermill's injected values
        params.SPECS[notebook].check({**defaults, name: value})
        in_notebook = []
    except params.ParameterError as e:
        in_notebook = [str(e)]
    if name in IDS and value is None:  # an id check needs an id; both refuse the type
        assert pre_flight and in_notebook
        return
    assert (pre_flight == []) == valid == (in_notebook == []), (pre_flight, in_notebook)
    if not valid:
        assert pre_flight[0].removeprefix("r: ") == in_notebook[0]
