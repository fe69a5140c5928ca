"""analysis.measures.launches: one row per KST launch day."""

from __future__ import annotations

import factories
import pandas as pd

from analysis.measures.launches import launches_by_day


def test_a_salvo_is_one_day_counted_in_kst():
    m = factories.missiles(
        [
            *factories.salvo("2019-05-04", 3, missile_name="KN-23", outcome="success"),
            dict(date_kst="2019-05-04", missile_name="KN-25", missile_class="SRBM", outcome="failure"),
            # fired late on 8 May UTC, 9 May in Korea: its launch id is the UTC date, its day the KST one
            dict(date_kst="2019-05-09", launch_id="L2019-05-08", missile_name="KN-23", confirmed=False),
            dict(date_kst="2019-05-09", launch_id="L2019-05-09", missile_name="KN-23", confirmed=False),
            dict(date_kst="2017-11-29", missile_name="Hwasong-15", missile_class="ICBM", outcome="success"),
        ]
    )
    days = launches_by_day(m)
    assert list(days["date_kst"]) == list(pd.to_datetime(["2017-11-29", "2019-05-04", "2019-05-09"]))
    assert list(days["missiles"]) == [1, 4, 2]
    assert days["missiles"].sum() == len(m)
    salvo = days.iloc[1]
    assert salvo["names"] == ("KN-23", "KN-25") and salvo["outcomes"] == (("success", 3), ("failure", 1))
    assert days.iloc[2]["launch_ids"] == ("L2019-05-08", "L2019-05-09")
    assert list(days["confirmed"]) == [True, True, False]


def test_by_class_splits_a_day_and_an_empty_selection_has_the_columns():
    m = factories.missiles(
        [
            dict(date_kst="2022-03-24", missile_class="ICBM", missile_name="Hwasong-17"),
            dict(date_kst="2022-03-24", missile_class="SRBM"),
            dict(date_kst="2022-03-24", missile_class="SRBM"),
        ]
    )
    days = launches_by_day(m, by_class=True)
    assert list(zip(days["missile_class"], days["missiles"])) == [("ICBM", 1), ("SRBM", 2)]
    assert len(launches_by_day(m)) == 1
    empty = launches_by_day(m.iloc[0:0], by_class=True)
    assert empty.empty and list(empty.columns) == [
        "date_kst",
        "missile_class",
        "missiles",
        "names",
        "launch_ids",
        "confirmed",
        "outcomes",
    ]
