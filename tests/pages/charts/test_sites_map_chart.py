"""analysis.pages.charts.sites_map."""

from __future__ import annotations

import chart_tables as tables
from chart_tables import launches, traces

from analysis.measures import flights
from analysis.pages import charts, theme


def test_sites_map_geo_settings_and_markers():
    m = launches()
    nuclear = tables.nuclear()
    fig = charts.sites_map(flights.launch_sites(m), nuclear)
    assert {t.type for t in fig.data} == {"scattergeo"}
    icbm = traces(fig, "ICBM")[0]
    assert icbm.marker.color == theme.CLASS_COLORS["ICBM"] and sum(icbm.customdata[:, 1]) == 4
    geo = fig.layout.geo
    assert geo.resolution == 110 and geo.showcoastlines and geo.showland
    assert geo.scope in (None, "world")  # the exporter supplies world_110m only
    assert geo.lonaxis.range[0] < 125 < 131 < geo.lonaxis.range[1]
    assert traces(fig, "Nuclear test site")[0].marker.symbol == "star"
