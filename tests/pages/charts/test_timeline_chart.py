"""analysis.pages.charts.timeline."""

from __future__ import annotations

import chart_tables as tables
from chart_tables import launches, traces

from analysis.pages import charts, theme


def test_timeline_lanes_traces_and_key_annotations():
    m = launches()
    nuclear = tables.nuclear()
    events = tables.events()
    sanctions = tables.sanctions()
    fig = charts.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31")
    lanes = list(fig.layout.yaxis.categoryarray)
    assert lanes[::-1][:5] == [
        "Summits, agreements",
        "Meetings, talks",
        "Letters, statements",
        "UN Security Council",
        "Nuclear tests",
    ]
    assert set(lanes) >= {"SRBM", "IRBM", "ICBM"}
    icbm = next(t for t in fig.data if t.y and t.y[0] == "ICBM")
    assert icbm.marker.color == theme.CLASS_COLORS["ICBM"] and len(icbm.x) == 4
    srbm = next(t for t in fig.data if t.y and t.y[0] == "SRBM")
    assert srbm.marker.size[0] > srbm.marker.size[-1]  # two missiles on 2016-03-01: a bigger marker
    assert "Scud" in srbm.customdata[0][2]
    # UN lane: the panel renewal is left out, the vetoed draft is its own trace
    assert len(traces(fig, "Sanctions resolution")[0].x) == 2
    assert traces(fig, "Vetoed draft")[0].customdata[0][0] == "Draft vetoed by CN;RU"
    nuke = traces(fig, "Nuclear test")[0]
    assert "Sixth test" in nuke.customdata[1][4] and nuke.marker.color == theme.NUCLEAR_COLOR
    # diplomacy: hover names the event; Trump-Kim events filled, others open
    summit = next(t for t in fig.data if t.name == "Summit" and t.showlegend is not True)
    titles = [c[0] for c in summit.customdata]
    assert "First Trump-Kim summit" in titles
    symbols = dict(zip(titles, summit.marker.symbol))
    assert symbols["First Trump-Kim summit"] == "star" and symbols["Moon and Kim"] == "star-open"
    names = {a.name: a.text for a in fig.layout.annotations}
    assert names["2018-06-12-singapore-summit"] == "Singapore summit<br>2018-06-12"
    assert names["2019-02-27-hanoi-summit"] == "Hanoi summit<br>2019-02-27"
    assert names["N2017-09-03"].startswith("Largest nuclear test<br>2017-09-03")
    assert names["first-icbm"] == "First ICBM flight<br>Hwasong-14, 2017-07-04"
    assert names["pause-start"] == "KN-23, 2019-05-04:<br>last launch for 1047 days"  # the longest gap here
    assert "2018-04-27-panmunjom-inter-korean-summit" not in names and "2017-08-08-fire-and-fury" not in names
    assert any(s.type == "rect" for s in fig.layout.shapes)  # the pause is shaded
    assert names["pause-label"] == "<b>Pause</b>: no launch<br>for 1047 days"


def test_timeline_without_end_runs_to_the_latest_row():
    m = launches()
    nuclear = tables.nuclear()
    events = tables.events()
    sanctions = tables.sanctions()
    fig = charts.timeline(m, nuclear, events, sanctions, "2016-01-01", None)
    assert "to 2022-05-26" in fig.layout.title.text  # the vetoed draft is the latest dated row


def test_timeline_source_line_names_every_table():
    fig = charts.timeline(launches(), tables.nuclear(), tables.events(), tables.sanctions(), "2016-01-01", "2022-12-31")
    source = fig.layout.meta["source"]
    assert source.startswith("Source: CNS/NTI") and "USGS" in source and "UN Security Council" in source
    assert "Hover" not in next(a.text for a in fig.layout.annotations if a.name == "caption")
