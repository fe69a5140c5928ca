"""analysis.pages.charts.economy: the marks' labels above the plot, clear of the data and of each other."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.pages.charts import economy

MARKS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2016-03-02", "2016-11-30", "2017-12-22", "2020-01-22", "2022-01-16"]),
        "label": ["Res. 2270", "Res. 2321", "Res. 2397", "Borders shut", "Freight trains cross the Yalu again"],
        "kind": ["sanctions"] * 3 + ["border"] * 2,
    }
)
RANGE = ("1990-01-01", "2025-12-31")


def test_sanctions_resolutions_share_one_label_at_the_last():
    labels = economy._labels(MARKS)
    assert list(labels["text"]) == [
        "UN sanctions: Res. 2270 to 2397",
        "Borders shut",
        "Freight trains cross the Yalu again",
    ]
    assert labels["date"].iloc[0] == pd.Timestamp("2017-12-22")


def test_labels_stack_above_the_plot_one_line_per_mark():
    fig = go.Figure()
    rows = economy._mark(fig, MARKS, RANGE)
    assert len(fig.layout.shapes) == len(MARKS)  # a line per mark, across the plot only
    assert all(s.y0 == 0 and s.y1 == 1 and s.yref == "paper" for s in fig.layout.shapes)
    notes = fig.layout.annotations
    assert len(notes) == 3 and all(a.y == 1 and a.ay < 0 and a.xanchor == "right" for a in notes)  # above the plot
    # labels that end close together climb: later ones higher, so no leader line crosses a label
    assert rows == 1 + max(round((-a.ay - 6) / economy.ROW_PX - 0.5) for a in notes)
    narrow = fig.layout.meta["narrow"]
    assert len(narrow["annotations"]) == 3 and narrow["margin"]["t"] > 100


def test_no_marks_no_labels():
    fig = go.Figure()
    assert economy._mark(fig, MARKS.iloc[:0], RANGE) == 0 and not fig.layout.annotations
