"""What every chart shares (analysis.pages.charts.base): stable JSON, a text alternative, a source line and labels
stacked apart."""

from __future__ import annotations

import json

import chart_tables as tables
import plotly.graph_objects as go
from chart_tables import launches

from analysis.measures import flights
from analysis.measures import nuclear as nuclear_measures
from analysis.pages import charts
from analysis.pages.charts.base import PUBLISHERS, source_line, stack_rows


def test_figures_serialise_without_random_ids():
    m = launches()
    nuclear = tables.nuclear()
    events = tables.events()
    sanctions = tables.sanctions()
    a = charts.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31").to_json()
    b = charts.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31").to_json()
    assert a == b and "uid" not in json.loads(a)["data"][0]


def test_every_chart_describes_itself():
    m = launches()
    nuclear = tables.nuclear()
    events = tables.events()
    sanctions = tables.sanctions()
    figs = [
        charts.tempo_chart(m),
        charts.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31"),
        charts.sites_map(flights.launch_sites(m), nuclear),
        charts.nuclear_chart(nuclear_measures.nuclear_summary(nuclear)),
        charts.progression_chart(flights.class_progression(m, "ICBM")),
        charts.capability_chart(flights.capability_progression(m)),
    ]
    for fig in figs:
        text = fig.layout.meta["description"]
        assert len(text) > 40 and "<" not in text, text
        assert fig.layout.meta["source"].startswith("Source: CNS/NTI") or "USGS" in fig.layout.meta["source"]
    assert figs[0].layout.meta["description"].startswith(f"{len(m)} missiles on {m['date_kst'].nunique()} launch days")
    assert "Labelled: " in figs[1].layout.meta["description"]
    # phones: the timeline keeps the pause label and names the summits by place
    narrow = {a["name"]: a["text"] for a in figs[1].layout.meta["narrow"]["annotations"]}
    assert narrow == {
        "pause-label": "<b>Pause</b>: no launch<br>for 1047 days",
        "2018-06-12-singapore-summit": "Singapore",
        "2019-02-27-hanoi-summit": "Hanoi",
    }
    assert (
        charts.describe(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="A")).update_layout(xaxis_title="Year"))
        == "Series: A (2 points). Axes: Year."
    )


def test_source_line_names_the_rows_publishers_then_the_tables():
    assert source_line(["sanctions"]) == "Source: UN Security Council."
    assert source_line(["sanctions", "sanctions"], publishers=["Bank of Korea", "Bank of Korea"]) == (
        "Source: Bank of Korea; UN Security Council."
    )
    assert source_line(["missile_tests"]) == f"Source: {PUBLISHERS['missile_tests']}."


def test_stack_rows_keeps_boxes_and_leader_lines_apart():
    # two crowded labels and a lone one: the earlier climbs a row, the lone one stays down
    assert stack_rows([0.2, 0.22, 0.6], [0.1, 0.1, 0.1]) == [1, 0, 0]
    # the first fits in row 0, but the second (row 1) would drop its leader line through it: it climbs
    assert stack_rows([0.40, 0.45, 0.5], [0.07, 0.1, 0.1]) == [2, 1, 0]
    assert stack_rows([], []) == []
