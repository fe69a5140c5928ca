"""analysis.measures.counts on small synthetic frames: the selection, counts per year and period, the pauses between
launches, and years compared."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import missiles

from analysis.measures import counts


def flights() -> pd.DataFrame:
    """Fourteen missiles, 2016 to 2022: a salvo, three ICBM years, an unconfirmed restart, a cruise missile."""
    rows = [
        ("2016-03-01", "SRBM", "Scud"),
        ("2016-03-01", "SRBM", "Scud"),
        ("2016-03-01", "SRBM", "Scud"),
        ("2016-09-05", "MRBM", "Nodong"),
        ("2017-07-04", "ICBM", "Hwasong-14"),
        ("2017-07-28", "ICBM", "Hwasong-14"),
        ("2017-11-29", "ICBM", "Hwasong-15"),
        ("2019-04-17", "SRBM", "Unknown", {"confirmed": False}),
        ("2019-05-04", "SRBM", "KN-23"),
        ("2019-05-04", "cruise", "Cruise", {"cns_threshold": False}),
        ("2020-06-01", "SRBM", "KN-25"),
        ("2021-06-01", "SRBM", "KN-25"),
        ("2022-03-24", "ICBM", "Hwasong-15"),
        ("2022-05-04", "ICBM", "Unknown"),
    ]
    return missiles(
        [{"date_kst": d, "missile_class": c, "missile_name": n, **(more[0] if more else {})} for d, c, n, *more in rows]
    )


@pytest.fixture
def m() -> pd.DataFrame:
    return flights()


def test_select_missiles_by_criterion_class_and_dates(m):
    assert len(counts.select_missiles(m)) == 13 and len(counts.select_missiles(m, cns_threshold_only=False)) == 14
    icbm = counts.select_missiles(m, classes=["ICBM"], start="2017-07-05", end="2022-03-24")
    assert icbm["date_kst"].dt.strftime("%Y-%m-%d").tolist() == ["2017-07-28", "2017-11-29", "2022-03-24"]


def test_launch_days_count_a_salvo_once(m):
    assert counts.launch_days(m[m["date_kst"].dt.year == 2016]) == 2


def test_year_table_counts_missiles_launch_days_and_classes(m):
    t = counts.year_table(counts.select_missiles(m))
    assert t.loc[2016].to_dict() == {"missiles": 4, "launch_days": 2, "SRBM": 3, "MRBM": 1, "ICBM": 0}
    assert t.loc[2017, "ICBM"] == 3 and t.loc[2017, "launch_days"] == 3
    assert t.loc[2018].sum() == 0  # zero-filled year
    assert t.loc[2019, "missiles"] == 2  # the cruise missile is outside the CNS criterion
    assert "cruise" not in t.columns
    assert list(t.index) == list(range(2016, 2023))


def test_per_period_by_class_zero_fills_and_counts_days(m):
    long = counts.per_period_by_class(counts.select_missiles(m, cns_threshold_only=False), "YE")
    row = long[(long["period"] == pd.Timestamp("2019-12-31")) & (long["missile_class"] == "cruise")].iloc[0]
    assert (row["missiles"], row["launch_days"]) == (1, 1)
    assert long[long["missile_class"] == "MRBM"]["missiles"].tolist() == [1, 0, 0, 0, 0, 0, 0]


def test_testing_gaps_longest_first_with_confirmation(m):
    gaps = counts.testing_gaps(counts.select_missiles(m), top=2)
    g = gaps.iloc[0]
    assert (g["last_launch"], g["next_launch"]) == (pd.Timestamp("2017-11-29"), pd.Timestamp("2019-04-17"))
    assert g["days"] == (pd.Timestamp("2019-04-17") - pd.Timestamp("2017-11-29")).days
    # the launch after the gap is unconfirmed: the first confirmed one is 2019-05-04
    assert g["next_confirmed"] == pd.Timestamp("2019-05-04")
    assert gaps["days"].is_monotonic_decreasing and len(gaps) == 2


def test_first_flight_of_a_class(m):
    assert counts.first_flight(m, "ICBM")["date_kst"] == pd.Timestamp("2017-07-04")
    assert counts.first_flight(m, "IRBM") is None


def test_compare_years(m):
    nt = pd.DataFrame(
        {
            "date_kst": pd.to_datetime(["2016-01-06", "2016-09-09", "2017-09-03"]),
            "mb": [5.1, 5.3, 6.3],
            "yield_kt_high": [10.0, 20.0, 250.0],
        }
    )
    t = counts.compare_years(counts.select_missiles(m), nt, [2016, 2017])
    assert t.loc[2016, ["missiles", "launch_days", "icbm_missiles", "nuclear_tests"]].tolist() == [4, 2, 0, 2]
    assert t.loc[2017, ["missiles", "icbm_missiles", "largest_test_mb", "largest_yield_kt_high"]].tolist() == [
        3,
        3,
        6.3,
        250.0,
    ]
