"""analysis.pages.charts.nuclear."""

from __future__ import annotations

import chart_tables as tables
import pytest
from chart_tables import launches, traces

from analysis.measures import nuclear as nuclear_measures
from analysis.pages import charts, theme


def test_nuclear_chart():
    nuclear = tables.nuclear()
    fig = charts.nuclear_chart(nuclear_measures.nuclear_summary(nuclear))
    assert not [t for t in fig.data if t.type == "bar"]  # mb is logarithmic: no bars from zero
    mb = traces(fig, "Magnitude (mb)")[0]
    assert mb.mode == "markers+text" and list(mb.x) == ["2016-09-09", "2017-09-03"] and list(mb.y) == [5.3, 6.3]
    assert (
        4.5 < fig.layout.yaxis.range[0] < 5.3
        and 6.3 < fig.layout.yaxis.range[1] < 7.2
        and fig.layout.yaxis.title.text == "Magnitude (mb)"
    )
    assert any("30 times the energy" in a.text for a in fig.layout.annotations)
    yields = traces(fig, "Yield range")[0]
    assert yields.y[1] + yields.error_y.array[1] == pytest.approx(250.0, abs=0.1)
    assert yields.y[1] - yields.error_y.arrayminus[1] == pytest.approx(50.0, abs=0.1)
    assert fig.layout.yaxis2.type == "log"


def test_resolution_chart():
    nuclear = tables.nuclear()
    sanctions = tables.sanctions()
    m = launches()
    pairs = nuclear_measures.days_to_resolution(sanctions, nuclear, m)
    fig = charts.resolution_chart(pairs)
    nuke = traces(fig, "Nuclear test")[0]
    assert list(nuke.x) == [8] and nuke.marker.color == theme.NUCLEAR_COLOR
    assert list(nuke.y) == ["2017-09-03 nuclear test → Res. 2375"]
    vetoed = traces(fig, "Missile launch (draft vetoed)")[0]
    assert vetoed.marker.pattern.shape == "/" and list(vetoed.x) == [63]
    assert "Days from the test" in fig.layout.xaxis.title.text
