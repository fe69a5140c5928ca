"""analysis.measures.summit_tests on a made-up calendar: the results frame, its labels and published columns, the picture,
the pause an event falls in, and the facts the method text cites."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SUMMIT_IDS as IDS
from conftest import summit_events as events
from conftest import summit_launches as launches

from analysis.measures import calibration as C
from analysis.measures import summit_tests as T
from analysis.pages import report


@pytest.fixture(scope="module")
def res() -> pd.DataFrame:
    return T.results(launches(), events(), IDS)


def test_one_row_per_event_and_window_with_the_primary_marked(res):
    assert len(res) == len(IDS) * len(C.WINDOWS)
    assert res.loc[res["primary"], "window_days"].unique().tolist() == [C.PRIMARY_WINDOW]
    assert not res.loc[~res["primary"], "flagged"].any()  # only the primary window can report a change
    first = res[res["primary"]].set_index("event_id")
    assert first.at["quiet-then-busy", "before"] == 0 and first.at["quiet-then-busy", "after"] > 60
    assert first.at["quiet-then-busy", "at_floor"] and first.at["quiet-then-busy", "matches"] == 0
    # the stated p never goes below the floor the reference supports
    tested = res[res["testable"]]
    assert (tested["p_calibrated"] >= 1 / (1 + tested["effective_windows"]) - 1e-12).all()


def test_labels_follow_the_primary_result(res):
    first = res[res["primary"]].set_index("event_id")
    for _, r in first.iterrows():
        assert r["label"] == T.label(r)
    assert first.at["quiet-then-busy", "label"] in (T.CLEAR, T.RARE)
    assert first.at["ordinary", "label"] == T.USUAL
    assert T.label(pd.Series({"testable": False, "flagged": False, "at_floor": False})) == T.NOT_TESTABLE


def test_bad_families_are_refused():
    with pytest.raises(ValueError, match="event_ids: no events"):
        T.results(launches(), events(), [])
    with pytest.raises(ValueError, match="listed twice"):
        T.results(launches(), events(), ["ordinary", "ordinary"])
    with pytest.raises(ValueError, match="primary: 100"):
        T.results(launches(), events(), IDS, primary=100)
    with pytest.raises(ValueError, match="missiles: no launches"):
        T.results(launches().iloc[0:0], events(), IDS)


def test_published_rows_are_the_csv_columns_with_curated_booleans(res):
    out = T.published(res)
    assert list(out.columns) == T.PUBLISHED
    text = report.csv_text(out)
    header, first = text.splitlines()[:2]
    assert header.startswith("event_id,window_days,primary,before,after,p_calibrated,p_familywise,testable,flagged")
    assert ",false," in first and "True" not in text and "nan" not in text.lower()


def test_picture_bins_cover_every_reference_date_and_mark_the_tails():
    bins, marks = T.picture(launches(), events(), IDS)
    assert bins["share"].sum() == pytest.approx(1.0)
    assert bins["tail"].any() and not bins.loc[bins["low"].abs() < 0.5, "tail"].any()
    assert marks["event_id"].tolist() == IDS and marks["short"].tolist()[0] == "Hanoi · Apr 2016"
    assert marks.loc[0, "score"] > 0  # more launch days after


def test_pause_the_event_falls_in():
    m = pd.DataFrame({"date_kst": pd.to_datetime(["2012-05-01", "2017-11-29", "2019-04-17", "2019-05-04"])})
    event = pd.Series({"start_date": pd.Timestamp("2019-02-27"), "end_date": pd.Timestamp("2019-02-28")})
    assert T.pause(m, event) == {
        "last": pd.Timestamp("2017-11-29"),
        "first": pd.Timestamp("2019-04-17"),
        "days": 504,
        "wait": 48,
        "longest_since": False,  # 2012-05-01 to 2017-11-29 was longer
    }
    assert T.pause(m, event, since="2013-01-01")["longest_since"]
    on_the_day = pd.Series({"start_date": pd.Timestamp("2019-04-17"), "end_date": pd.Timestamp("2019-04-17")})
    assert T.pause(m, on_the_day) is None


def test_calendar_facts_and_the_family_without_inter_korean_events():
    facts = T.calendar_facts(launches(), events(), IDS, reference_start="2012-01-01")
    assert facts["busy_year"] == 2016 and facts["first_event"] == pd.Timestamp("2016-04-01")
    smaller = T.without_inter_korean(launches(), events(), IDS)
    assert smaller["event_id"].unique().tolist() == ["quiet-then-busy", "ordinary"]
    assert T.without_inter_korean(launches(), events(), ["ordinary"]) is None


def test_placebo_rates_are_shares_or_nan_when_the_calendar_has_no_room():
    # a family spanning 3.4 years: room to move it at 180 days, none for the textbook's 730-day windows
    assert np.isnan(T.placebo_rates(launches(), events(), IDS, every=60)["textbook"])
    rates = T.placebo_rates(launches(), events(), IDS[1:], every=60)
    assert rates["placements"] > 5
    assert all(0 <= rates[k] <= 1 for k in ("raw", "stated", "textbook"))
    assert rates["stated"] <= rates["raw"]
