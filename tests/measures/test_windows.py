"""Event names (analysis.data.names) and the overlap of event windows, on hand-made rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import names as S
from analysis.measures import metrics as M
from analysis.pages import text as T


def test_day_span_and_event_name():
    assert T.day_span("2018-06-12", "2018-06-12") == "12 June 2018"
    assert T.day_span("2019-02-27", "2019-02-28") == "27–28 February 2019"
    assert T.day_span(pd.Timestamp("2019-06-30"), pd.Timestamp("2019-07-01")) == "30 June – 1 July 2019"
    assert T.day_span("2019-12-28", "2020-01-02") == "28 December 2019 – 2 January 2020"
    row = {
        "parties": "US;DPRK",
        "trump_kim": "true",
        "kind": "summit",
        "location": "Singapore",
        "start_date": "2018-06-12",
        "end_date": "2018-06-12",
    }
    assert S.window_title(row) == "Launches before and after the Trump–Kim summit in Singapore (12 June 2018)"
    assert (
        S.event_name({**row, "parties": "DPRK;ROK", "trump_kim": False, "location": "Panmunjom (DMZ)"})
        == "the inter-Korean summit in Panmunjom (12 June 2018)"
    )
    assert (
        S.event_name({**row, "trump_kim": "false", "kind": "talks", "location": "Stockholm, Sweden"})
        == "the US–North Korea talks in Stockholm (12 June 2018)"
    )


def _missiles(dates: list[str]) -> pd.DataFrame:
    d = pd.to_datetime(pd.Series(dates, dtype="str"))
    return pd.DataFrame(
        {"date_kst": d, "missile_id": [f"m{i}" for i in range(len(d))], "missile_name": "X", "missile_class": "SRBM"}
    )


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "start_date": pd.to_datetime(["2020-01-01", "2020-01-11"]),
            "end_date": pd.to_datetime(["2020-01-01", "2020-01-11"]),
            "kind": "summit",
            "title": ["A", "B"],
            "location": "Hanoi, Vietnam",
            "parties": "US;DPRK",
            "trump_kim": [True, False],
        }
    )


def test_window_overlaps_by_hand():
    # spans at 7 days: a 2019-12-25..2020-01-08, b 2020-01-04..2020-01-18: 5 shared days of 15
    o = M.window_overlaps(_events(), ["a", "b"], 7)
    assert o.to_dict("records") == [{"event_a": "a", "event_b": "b", "days_shared": 5, "share": 5 / 15}]
    assert M.window_overlaps(_events(), ["a", "b"], 4).empty


def test_registry_title_names_the_event(tmp_path):
    from analysis.build import registry

    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "reports.yml").write_text(
        "reports:\n  w:\n    notebook: nb.ipynb\n    title: 'Launches before and after {event_id:event}'\n"
        "    sweep: {event_id: [2018-06-12-singapore-summit, nope]}\n"
    )
    with pytest.raises(
        registry.RegistryError, match="report 'w': title: 'nope' is not an event_id in diplomatic_events.csv"
    ):
        registry.load(tmp_path / "reports.yml")
    (tmp_path / "reports.yml").write_text((tmp_path / "reports.yml").read_text().replace(", nope", ""))
    [r] = registry.load(tmp_path / "reports.yml")
    assert r.title == "Launches before and after the Trump–Kim summit in Singapore (12 June 2018)"


def test_overlap_findings_and_the_rows_used():
    lines = M.overlap_findings(_events(), ["a", "b"], [4, 7], threshold=0.3)
    assert lines == [
        "4 days: 0 of 1 pair of events share more than 30% of their window days.",
        "7 days: 1 of 1 pair of events share more than 30% of their window days; the most, 33%, the "
        "Trump–Kim summit in Hanoi (1 January 2020) and the US–North Korea summit in Hanoi (11 January 2020).",
    ]
    rows = M.sweep_rows(
        _missiles(["2019-12-01", "2019-12-26", "2020-01-20", "2020-02-01"]), _events(), ["a", "b"], [7, 10]
    )
    assert rows["date_kst"].dt.strftime("%m-%d").tolist() == ["12-26", "01-20"]  # 10 days around either event
