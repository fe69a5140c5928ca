"""analysis.pages.charts.event_window."""

from __future__ import annotations

import chart_tables as tables
import pandas as pd
import pytest
from chart_tables import launches, traces

from analysis.measures import windows
from analysis.pages import charts, theme


def test_window_chart():
    m = launches()
    events = tables.events()
    ev = events.iloc[1]
    win, rows = windows.event_window(m, ev, 730)
    fig = charts.window_chart(win, rows, events)
    icbm = traces(fig, "ICBM")[0]
    assert [pd.Timestamp(x) for x in icbm.x] == [pd.Timestamp("2017-07-04"), pd.Timestamp("2017-11-29")]
    assert icbm.customdata[0][3] == f"{(pd.Timestamp('2018-06-12') - pd.Timestamp('2017-07-04')).days} days before"
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(shaded) == 3  # before, after, the event
    texts = [a.text for a in fig.layout.annotations]
    assert f"Before: {win.before_days} launch days, {win.before_missiles} missiles" in texts
    assert any("First Trump-Kim summit" in t for t in texts)
    others = [t for t in fig.data if t.name.startswith("Trump–Kim ")]
    assert others and all(set(t.y) == {"Other Trump–Kim events"} and t.yaxis == "y" for t in others)  # own lane, top
    assert all(t.yaxis == "y2" for t in fig.data if t not in others)  # launches below
    titles = [c[0] for t in others for c in t.customdata]
    assert "First Trump-Kim summit" not in titles and any("Second Trump-Kim" in t for t in titles)
    assert "Moon and Kim" not in titles  # not a Trump-Kim event
    assert fig.layout.title.text.endswith("730 days before and after the Trump–Kim summit in Singapore (12 June 2018)")
    assert fig.layout.meta["description"].startswith(f"730 days before the event, {win.before_days} launch days")


def test_window_chart_without_a_launch_still_spans_its_windows():
    m = launches()
    events = tables.events()
    win, rows = windows.event_window(m.iloc[0:0], events.iloc[1], 180)
    fig = charts.window_chart(win, rows, events)
    spans = [t for t in fig.data if t.yaxis == "y2"]
    assert len(spans) == 1 and spans[0].hoverinfo == "skip"  # the lower axis has a trace, so its shapes are drawn
    assert [pd.Timestamp(x) for x in spans[0].x] == [win.before[0], win.after[1]]


def test_calibration_chart_lanes_tails_and_text():
    bins = pd.DataFrame(
        {
            "low": [-2.125, -0.125, 1.875],
            "high": [-1.875, 0.125, 2.125],
            "share": [0.05, 0.9, 0.05],
            "tail": [True, False, True],
        }
    )
    marks = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "event": ["the summit in <X> (1 May 2019)", "the talks in Y (2 May 2019)"],
            "before": [0, 0],
            "after": [10, 0],
            "testable": [True, False],
            "score": [2.7, 0.0],
            "p_calibrated": [0.078, float("nan")],
            "at_floor": [True, False],
            "short": ["X · May 2019", "Y · May 2019"],
        }
    )
    fig = charts.calibration_chart(bins, marks, 180, "2012", highlight="a")
    bars, tested, untested = fig.data
    assert list(bars.marker.color) == [theme.WINDOW_COLORS["after"], theme.NEUTRAL_BAR, theme.WINDOW_COLORS["after"]]
    assert list(bars.y) == pytest.approx([5, 90, 5]) and list(tested.x) == [2.7] and list(untested.x) == [0.0]
    assert untested.marker.symbol == "circle-open"
    assert fig.layout.xaxis2.ticktext[0] == "1 in 100" and "even" in fig.layout.xaxis2.ticktext
    text = fig.layout.meta["description"]
    assert "beyond a textbook chance of about 1 in 75" in text and "< 7.8% of comparable dates" in text
    assert "The talks in Y (2 May 2019): no launch day before, 0 after, not testable." in text and "<X>" in text
