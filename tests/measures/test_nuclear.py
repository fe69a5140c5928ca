"""analysis.measures.nuclear on hand-made tests and resolutions: magnitudes and yields, the days from a test to the
vote it triggered, each test's first adopted resolution."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import missiles

from analysis.measures import nuclear


@pytest.fixture
def tests() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "test_id": ["N2016-09-09", "N2017-09-03", "N2006-10-09"],
            "date_utc": pd.to_datetime(["2016-09-09", "2017-09-03", "2006-10-09"]),
            "date_kst": pd.to_datetime(["2016-09-09", "2017-09-03", "2006-10-09"]),
            "mb": [5.3, 6.3, 4.3],
            "yield_kt_low": [10.0, 50.0, 0.5],
            "yield_kt_high": [20.0, 250.0, 2.0],
            "source_ids": ["usgs-a", "usgs-b", "usgs-c"],
        }
    )


@pytest.fixture
def sanctions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sanction_id": ["S/RES/2321", "S/RES/2375", "S/RES/2397", "draft-2022-05-26", "S/RES/2050"],
            "resolution": pd.array([2321, 2375, 2397, None, 2050], dtype="Int64"),
            "date": pd.to_datetime(["2016-11-30", "2017-09-11", "2017-12-22", "2022-05-26", "2012-06-12"]),
            "action": pd.Categorical(["adopted", "adopted", "adopted", "vetoed", "adopted"]),
            "kind": pd.Categorical(["sanctions", "sanctions", "sanctions", "sanctions", "panel_renewal"]),
            "measures": ["m"] * 5,
            "vetoed_by": [None, None, None, "CN;RU", None],
            "trigger_test_ids": ["N2016-09-09", "N2017-09-03", "L2017-11-29", "L2022-05-04;L2022-03-24", None],
            "source_ids": ["un-1", "un-2", "un-3", "un-4", "un-5"],
        }
    )


@pytest.fixture
def launches() -> pd.DataFrame:
    return missiles(
        [
            {"date_kst": d, "date_utc": d, "missile_name": n}
            for d, n in [
                ("2017-11-29", "Hwasong-15"),
                ("2022-03-24", "Hwasong-15"),
                ("2022-05-04", "Unknown"),
                ("2019-05-04", "KN-23"),
            ]
        ]
    )


def test_days_to_resolution(tests, sanctions, launches):
    pairs = nuclear.days_to_resolution(sanctions, tests, launches)
    assert pairs["trigger_id"].tolist() == ["N2016-09-09", "N2017-09-03", "L2017-11-29", "L2022-03-24", "L2022-05-04"]
    assert pairs["days"].tolist() == [82, 8, 23, 63, 22]
    assert pairs["trigger_kind"].tolist()[:3] == ["nuclear test", "nuclear test", "missile launch"]
    assert pairs.loc[1, "source_ids"] == "usgs-b;un-2"
    adopted = nuclear.days_to_resolution(sanctions, tests, launches, include_vetoed=False)
    assert "vetoed" not in set(adopted["action"])


def test_nuclear_response(tests, sanctions, launches):
    r = nuclear.nuclear_response(tests, nuclear.days_to_resolution(sanctions, tests, launches))
    assert r["test_id"].tolist() == ["N2006-10-09", "N2016-09-09", "N2017-09-03"]
    assert r["days"].tolist()[1:] == [82, 8] and pd.isna(r["days"].iloc[0])
    assert r["first_resolution"].tolist()[1:] == ["S/RES/2321", "S/RES/2375"]


def test_nuclear_summary_geometric_midpoint(tests):
    s = nuclear.nuclear_summary(tests)
    assert s["test_id"].tolist()[0] == "N2006-10-09"
    assert s["yield_kt_geomean"].tolist() == [1.0, 14.1, 111.8]
