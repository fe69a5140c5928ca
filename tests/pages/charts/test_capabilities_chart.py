"""analysis.pages.charts.capabilities."""

from __future__ import annotations

import pytest
from chart_tables import launches, traces

from analysis.measures import flights
from analysis.pages import charts


def test_capability_chart_log_axis_and_breaks():
    m = launches()
    fig = charts.capability_chart(flights.capability_progression(m), "max_apogee_km")
    icbm = traces(fig, "ICBM")[0]
    assert list(icbm.x) == [2017, 2022] and list(icbm.y) == [4475.0, 6248.0]
    assert all(t.mode == "markers" for t in fig.data)  # dots: nothing drawn across 2018-2021
    assert fig.layout.yaxis.type == "log" and "km" in fig.layout.yaxis.title.text
    assert "1,000" in fig.layout.yaxis.ticktext
    with pytest.raises(ValueError, match="^measure:"):
        charts.capability_chart(flights.capability_progression(m), "speed")


def test_progression_chart_records_and_failures():
    m = launches()
    p = flights.class_progression(m, "ICBM")
    fig = charts.progression_chart(p, "ICBM")
    assert list(traces(fig, "Success")[0].y) == [2802.0, 4475.0, 6248.0]
    assert not traces(fig, "Failure")  # the failed flight has no apogee: not drawn, but counted in the title
    assert "1 flight without a reported apogee" in fig.layout.title.text
    records = [a.text for a in fig.layout.annotations]
    assert records == ["Hwasong-14<br>2,802 km", "Hwasong-15<br>4,475 km", "Hwasong-15<br>6,248 km"]
    assert list(traces(fig, "Record so far")[0].y) == [2802.0, 4475.0, 6248.0]
