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
    assert geo.lonaxis.range[0] < 125 < 130.5 < geo.lonaxis.range[1]
    assert traces(fig, "Nuclear test site")[0].marker.symbol == "star"


def test_sites_map_is_framed_on_north_korea_with_names_and_a_source():
    fig = charts.sites_map(flights.launch_sites(launches()), tables.nuclear())
    geo = fig.layout.geo
    assert 123 <= geo.lonaxis.range[0] < 124.5 and 130.5 < geo.lonaxis.range[1] <= 132
    assert 36.5 <= geo.lataxis.range[0] < 38 and 42.5 < geo.lataxis.range[1] <= 44
    assert geo.showcountries  # the borders, with South Korea's along the armistice line
    names = next(t for t in fig.data if t.name == "place names")
    assert "Pyongyang" in names.text and names.showlegend is False
    assert "place names" not in fig.layout.meta["description"]
    assert fig.layout.meta["source"].startswith("Source: CNS/NTI")
