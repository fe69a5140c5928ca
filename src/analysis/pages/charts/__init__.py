"""Every chart in the reports, one module per chart family. Each builder takes validated frames (or the tables
analysis.measures computes) and returns a plotly Figure in the project's look (analysis.pages.theme); notebooks
show it as the last expression of a cell: `from analysis.pages import charts`, then `charts.timeline(...)`."""

from analysis.pages.charts.base import describe
from analysis.pages.charts.capabilities import capability_chart, progression_chart
from analysis.pages.charts.economy import growth_chart, trade_chart
from analysis.pages.charts.event_window import calibration_chart, window_chart
from analysis.pages.charts.nuclear import nuclear_chart, resolution_chart
from analysis.pages.charts.scorecard import evidence_timeline, year_bars
from analysis.pages.charts.sites_map import sites_map
from analysis.pages.charts.tempo import tempo_chart
from analysis.pages.charts.timeline import key_annotations, timeline

__all__ = [
    "calibration_chart",
    "capability_chart",
    "describe",
    "evidence_timeline",
    "growth_chart",
    "key_annotations",
    "nuclear_chart",
    "progression_chart",
    "resolution_chart",
    "sites_map",
    "tempo_chart",
    "timeline",
    "trade_chart",
    "window_chart",
    "year_bars",
]
