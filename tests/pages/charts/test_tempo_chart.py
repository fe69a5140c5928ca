"""analysis.pages.charts.tempo."""

from __future__ import annotations

import chart_tables as tables
from chart_tables import launches, traces

from analysis.measures import counts
from analysis.pages import charts, theme


def test_tempo_chart_bars_per_class_and_launch_day_line():
    m = launches()
    fig = charts.tempo_chart(m, "YE")
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"SRBM", "IRBM", "ICBM"}
    assert bars["SRBM"].marker.color == theme.CLASS_COLORS["SRBM"]
    assert dict(zip(bars["SRBM"].x, bars["SRBM"].y)) == {2016: 2, 2019: 1}
    line = traces(fig, "Launch days (all classes)")[0]
    assert dict(zip(line.x, line.y))[2016] == 2 and dict(zip(line.x, line.y))[2018] == 0
    assert fig.layout.barmode == "stack" and fig.layout.template.layout.font.family == theme.FONT
    assert "per year" in fig.layout.title.text and "Year" in fig.layout.xaxis.title.text


def test_tempo_chart_monthly_and_partial_period_note():
    m = launches()
    fig = charts.tempo_chart(m, "ME")
    srbm = traces(fig, "SRBM")[0]
    assert list(srbm.customdata) == ["Mar 2016", "May 2019"]  # months without SRBMs carry no bar
    assert "partial" in fig.layout.title.subtitle.text and "2022-03-24" in fig.layout.title.subtitle.text


def test_tempo_chart_labels_the_pause_and_the_summits():
    m = launches()
    events = tables.events()
    gap = counts.testing_gaps(m, top=1).iloc[0]
    notes = {a.name: a.text for a in charts.tempo_chart(m, "ME", events=events).layout.annotations}
    assert notes["pause-label"] == f"<b>Pause</b><br>{gap['days']} days<br>without a<br>launch"
    # Trump-Kim summits only (not the inter-Korean one, not a statement), named by their place
    assert notes["2018-06-12-singapore-summit"] == "Singapore" and notes["2019-02-27-hanoi-summit"] == "Hanoi"
    assert set(notes) == {"pause-label", "2018-06-12-singapore-summit", "2019-02-27-hanoi-summit"}
    assert not charts.tempo_chart(m, "YE", events=events).layout.annotations  # years: no date axis to mark
