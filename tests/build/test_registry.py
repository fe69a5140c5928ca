"""The report registry and the parameter checks made before any kernel starts (no kernel runs here)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pytest
import yaml
from conftest import write_notebook
from pydantic import Field, StrictBool, StrictInt, StrictStr

from analysis import settings
from analysis.build import registry
from analysis.pages import params

PARAMETERS = """start_date = "2018-01-01"  # ISO date
end_date = None
window_days = 30
threshold = 0.5
label = "all"
show_table = True
event_id = "E1"
"""


class NbSpec(params.DateRange):
    """The spec of the test notebook nb.ipynb (PARAMETERS)."""

    start_date: params.IsoDate = "2018-01-01"
    window_days: Annotated[StrictInt, Field(ge=0)] = 30
    threshold: float = 0.5
    label: StrictStr = "all"
    show_table: StrictBool = True
    event_id: StrictStr = "E1"


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    monkeypatch.setitem(params.SPECS, "nb.ipynb", NbSpec)
    write_notebook(tmp_path / "nb.ipynb", PARAMETERS, "print(start_date)")
    write_notebook(tmp_path / "other.ipynb", "n = 1")
    return tmp_path


def load(notebooks, reports: dict) -> list[registry.Report]:
    path = notebooks / "reports.yml"
    path.write_text(yaml.safe_dump({"reports": reports}, sort_keys=False), encoding="utf-8")
    return registry.load(path)


TABLES = {"diplomatic_events": pd.DataFrame({"event_id": ["E1", "E2", "E3"]})}


def events(table: str) -> pd.DataFrame:
    """A stand-in for load.load."""
    return TABLES[table]


def problems(notebooks, **parameters) -> list[str]:
    entry = {"notebook": "nb.ipynb", "parameters": parameters, "ids": {"event_id": "diplomatic_events.event_id"}}
    return registry.check_all(load(notebooks, {"r": entry}), events)


# --- the registry -----------------------------------------------------------------------------------


def test_defaults_and_paths(notebooks):
    [r] = load(notebooks, {"overview": {"notebook": "nb.ipynb"}})
    assert (r.name, r.group, r.title, r.parameters, r.notebook) == (
        "overview",
        "overview",
        "overview",
        {},
        notebooks / "nb.ipynb",
    )


def test_a_key_given_twice_is_refused(notebooks):
    (notebooks / "reports.yml").write_text("reports:\n  r:\n    notebook: nb.ipynb\n  r:\n    notebook: other.ipynb\n")
    with pytest.raises(registry.RegistryError, match=r"reports.yml: line 4: key 'r' is given twice$"):
        registry.load(notebooks / "reports.yml")


def test_a_registry_that_is_not_utf8(notebooks):
    (notebooks / "reports.yml").write_bytes("reports:\n  r:\n    title: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(
        registry.RegistryError, match=r"cannot read the registry: not UTF-8 \(invalid continuation byte"
    ):
        registry.load(notebooks / "reports.yml")


def test_names_differing_only_in_case_collide(notebooks):
    with pytest.raises(registry.RegistryError, match="output name 'Tempo' is used twice \\(as 'tempo'"):
        load(notebooks, {"tempo": {"notebook": "nb.ipynb"}, "Tempo": {"notebook": "other.ipynb"}})


def test_an_impossible_unquoted_date_is_a_parameter_error(notebooks):
    (notebooks / "reports.yml").write_text(
        "reports:\n  r:\n    notebook: nb.ipynb\n    parameters: {start_date: 2019-02-30}\n"
    )
    assert registry.check_all(registry.load(notebooks / "reports.yml"), events) == [
        "r: parameter 'start_date': '2019-02-30' is not a date (YYYY-MM-DD)"
    ]


def test_unquoted_yaml_dates_become_iso_strings(notebooks):
    (notebooks / "reports.yml").write_text(
        "reports:\n  r:\n    notebook: nb.ipynb\n    parameters: {start_date: 2019-02-27}\n"
    )
    assert registry.load(notebooks / "reports.yml")[0].parameters == {"start_date": "2019-02-27"}


def test_sweep_runs_the_notebook_once_per_value(notebooks):
    reports = load(
        notebooks,
        {
            "summit": {
                "notebook": "nb.ipynb",
                "title": "Summit {event_id}",
                "parameters": {"window_days": 7},
                "sweep": {"event_id": ["E1", "E2"]},
            },
            "plain": {"notebook": "other.ipynb"},
        },
    )
    assert [(r.name, r.title, r.parameters) for r in reports] == [
        ("summit-E1", "Summit E1", {"window_days": 7, "event_id": "E1"}),
        ("summit-E2", "Summit E2", {"window_days": 7, "event_id": "E2"}),
        ("plain", "plain", {}),
    ]
    assert [r.name for r in registry.select(reports, ["summit"])] == ["summit-E1", "summit-E2"]
    assert [r.name for r in registry.select(reports, ["summit-E2", "plain"])] == ["summit-E2", "plain"]
    assert len(registry.select(reports, [])) == 3


def test_sweep_output_template(notebooks):
    reports = load(
        notebooks, {"s": {"notebook": "nb.ipynb", "output": "window-{window_days}d", "sweep": {"window_days": [7, 30]}}}
    )
    assert [r.name for r in reports] == ["window-7d", "window-30d"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"notebook": "missing.ipynb"}, "report 'r': notebook 'missing.ipynb' not found"),
        ({"notebook": "nb.ipynb", "params": {}}, "report 'r': unknown key 'params'"),
        ({"title": "x"}, "report 'r': missing `notebook:`"),
        ({"notebook": "nb.ipynb", "output": "a/b"}, "report 'r': output name 'a/b' must be"),
        ({"notebook": "nb.ipynb", "output": "{nope}"}, "report 'r': output/title refers to 'nope'"),
        ({"notebook": "nb.ipynb", "sweep": {"event_id": "E1"}}, "report 'r': sweep: expected"),
        ({"notebook": "nb.ipynb", "ids": {"event_id": "events"}}, "report 'r': ids: event_id: expected `table.column`"),
        ({"notebook": 3}, "report 'r': `notebook:` must name a notebook file, got 3"),
        ({"notebook": "nb.ipynb", "title": "Launches {"}, "report 'r': output/title: Single '{' encountered"),
        (
            {"notebook": "nb.ipynb", "title": "{label.attr}", "parameters": {"label": "x"}},
            "report 'r': output/title: 'str' object has no attribute 'attr'",
        ),
        ({"notebook": "nb.ipynb", "title": ["a"]}, "report 'r': title: expected text, got list"),
        (
            {"notebook": "nb.ipynb", "parameters": ["a", 1]},
            "report 'r': parameters: expected a mapping `name: value`, got list",
        ),
        ({"notebook": "nb.ipynb", "ids": ["event_id"]}, "report 'r': ids: expected a mapping `name: value`, got list"),
        ({"notebook": "nb.ipynb", "output": "Index"}, "report 'r': output name 'Index' must be"),
    ],
)
def test_registry_mistakes_are_one_line_errors(notebooks, entry, message):
    with pytest.raises(registry.RegistryError) as e:
        load(notebooks, {"r": entry})
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_output_names_are_unique(notebooks):
    with pytest.raises(registry.RegistryError, match="output name 'same' is used twice"):
        load(
            notebooks,
            {"a": {"notebook": "nb.ipynb", "output": "same"}, "b": {"notebook": "other.ipynb", "output": "same"}},
        )


def test_unknown_report_name(notebooks):
    reports = load(notebooks, {"a": {"notebook": "nb.ipynb"}})
    with pytest.raises(registry.RegistryError, match=r"unknown report 'b' \(reports: a\)"):
        registry.select(reports, ["b"])


# --- parameters, checked against the notebook's parameters cell ---------------------------------------


def test_good_parameters_pass(notebooks):
    assert (
        problems(
            notebooks,
            start_date="2018-06-01",
            end_date="2019-01-01",
            window_days=0,
            threshold=1,
            label="x",
            show_table=False,
            event_id="E3",
        )
        == []
    )


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"windows_days": 3},
            "r: parameter 'windows_days': unknown (the parameters cell declares: start_date, end_date,",
        ),
        (
            {"start_date": 20240301},
            "r: parameter 'start_date': expected an ISO date string like '2018-06-12', got int 20240301",
        ),
        ({"end_date": "2024-02-30"}, "r: parameter 'end_date': '2024-02-30' is not a date (YYYY-MM-DD)"),
        ({"start_date": "last year"}, "r: parameter 'start_date': 'last year' is not a date"),
        ({"window_days": "30"}, "r: parameter 'window_days': Input should be a valid integer, got str '30'"),
        ({"window_days": True}, "r: parameter 'window_days': Input should be a valid integer, got bool True"),
        ({"threshold": "high"}, "r: parameter 'threshold': Input should be a valid number"),
        ({"show_table": 1}, "r: parameter 'show_table': Input should be a valid boolean, got int 1"),
        ({"label": ["a"]}, "r: parameter 'label': Input should be a valid string"),
        (
            {"start_date": "2019-01-01", "end_date": "2018-01-01"},
            "r: parameter 'end_date': 2018-01-01 is before start_date 2019-01-01",
        ),
        (
            {"start_date": "2030-01-01"} | {"end_date": "2029-12-31"},
            "r: parameter 'end_date': 2029-12-31 is before start_date",
        ),
        ({"window_days": -7}, "r: parameter 'window_days': Input should be greater than or equal to 0, got int -7"),
        ({"event_id": "E9"}, "r: parameter 'event_id': unknown id 'E9' (not in diplomatic_events.event_id)"),
    ],
)
def test_each_bad_parameter_is_one_line_naming_report_and_parameter(notebooks, parameters, message):
    found = problems(notebooks, **parameters)
    assert len(found) == 1 and found[0].startswith(message), found


def test_range_against_the_spec_default(notebooks):
    """Only end_date is set, before the spec's (and the notebook's) start_date default."""
    assert problems(notebooks, end_date="2017-12-31") == [
        "r: parameter 'end_date': 2017-12-31 is before start_date 2018-01-01"
    ]


def test_ids_default_is_checked_too(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", 'event_ids = ["E1", "E7"]')
    reports = load(tmp_path, {"r": {"notebook": "nb.ipynb", "ids": {"event_ids": "diplomatic_events.event_id"}}})
    assert registry.check_all(reports, events) == [
        "r: parameter 'event_ids': unknown id 'E7' (not in diplomatic_events.event_id)"
    ]


def test_ids_naming_a_missing_table_or_parameter(notebooks):
    reports = load(notebooks, {"r": {"notebook": "nb.ipynb", "ids": {"event_id": "treaties.treaty_id", "nope": "a.b"}}})
    assert registry.check_all(reports, events) == [
        "r: parameter 'event_id': cannot read ids from treaties.treaty_id: KeyError: 'treaties'",
        "r: parameter 'nope': listed under ids but not declared in the parameters cell",
    ]


def test_notebook_without_parameters_cell(tmp_path):
    nb = write_notebook(tmp_path / "nb.ipynb", "x = 1")
    nb.write_text(nb.read_text().replace('"parameters"', '"other"'))
    reports = load(tmp_path, {"r": {"notebook": "nb.ipynb", "parameters": {"x": 2}}})
    assert registry.check_all(reports, events) == ["r: nb.ipynb has no cell tagged 'parameters' to set x in"]


@pytest.mark.slow  # loads and validates every table with the real notebooks
def test_the_shipped_registry_checks_out():
    """notebooks/reports.yml against the real notebooks and curated data."""
    from analysis.data import load

    assert registry.check_all(registry.load(settings.REGISTRY), load.load) == []
