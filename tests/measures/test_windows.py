"""analysis.measures.windows on hand-made rows: an event's row, the launches before, during and after it, and the
overlap of a family's windows and the rows inside them."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import events, missiles

from analysis.measures import windows


def _dated(dates: list[str]) -> pd.DataFrame:
    return missiles([{"date_kst": d, "missile_name": f"m{i}"} for i, d in enumerate(dates)])


def _pair() -> pd.DataFrame:
    return events(
        [
            {"event_id": "a", "start_date": "2020-01-01", "title": "A"},
            {"event_id": "b", "start_date": "2020-01-11", "title": "B"},
        ]
    )


def test_event_row():
    table = events([{"event_id": "2018-06-12-singapore-summit"}])
    assert windows.event_row("2018-06-12-singapore-summit", table)["title"] == "singapore-summit"
    with pytest.raises(ValueError, match=r"^event_id: 'x' is not an event in diplomatic_events.csv$"):
        windows.event_row("x", table)


def test_event_window_excludes_event_days_and_counts_both_units():
    mm = _dated(["2018-06-01", "2018-06-01", "2018-06-11", "2018-06-12", "2018-06-13", "2018-06-22", "2018-06-23"])
    event = events([{"event_id": "2018-06-12-x"}]).iloc[0]
    win, rows = windows.event_window(mm, event, 10)
    assert win.before == (pd.Timestamp("2018-06-02"), pd.Timestamp("2018-06-11"))
    assert win.after == (pd.Timestamp("2018-06-13"), pd.Timestamp("2018-06-22"))
    # 2018-06-01 is 11 days before: outside a 10-day window
    assert (win.before_days, win.before_missiles, win.after_days, win.after_missiles) == (1, 1, 2, 2)
    assert (win.during_days, win.during_missiles) == (1, 1)
    assert rows["window"].tolist() == ["before", "during", "after", "after"]
    assert rows["days_from_event"].tolist() == [-1, 0, 1, 10]


def test_event_window_multi_day_event_counts_after_its_last_day():
    event = events([{"event_id": "2019-02-27-x", "end_date": "2019-02-28"}]).iloc[0]
    win, rows = windows.event_window(_dated(["2019-02-27", "2019-02-28", "2019-03-01"]), event, 7)
    assert (win.during_days, win.after_days) == (2, 1)
    assert rows.loc[rows["window"] == "after", "days_from_event"].tolist() == [1]


def test_window_overlaps_by_hand():
    # spans at 7 days: a 2019-12-25..2020-01-08, b 2020-01-04..2020-01-18: 5 shared days of 15
    o = windows.window_overlaps(_pair(), ["a", "b"], 7)
    assert o.to_dict("records") == [{"event_a": "a", "event_b": "b", "days_shared": 5, "share": 5 / 15}]
    assert windows.window_overlaps(_pair(), ["a", "b"], 4).empty


def test_sweep_rows_are_the_rows_inside_the_longest_window_of_any_event():
    rows = windows.sweep_rows(
        _dated(["2019-12-01", "2019-12-26", "2020-01-20", "2020-02-01"]), _pair(), ["a", "b"], [7, 10]
    )
    assert rows["date_kst"].dt.strftime("%m-%d").tolist() == ["12-26", "01-20"]  # 10 days around either event
