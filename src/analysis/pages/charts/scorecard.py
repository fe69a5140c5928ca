"""The scorecard's charts (notebook 05): a claim's evidence on a time strip over the missiles per month, and a
count per year with the claimed years highlighted."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import fmt
from analysis.measures.counts import per_period, select_missiles
from analysis.pages import theme

KIND_COLOUR = {
    "diplomacy": theme.kind_color("summit"),
    "UN action": theme.SANCTIONS_COLOR,
    "nuclear test": theme.NUCLEAR_COLOR,
    "missile launch": theme.class_color("SRBM"),
}
BAR_COLOUR = theme.class_color("unknown")
PAD = pd.Timedelta(days=45)
MIN_SPAN = pd.Timedelta(days=365)


def _window(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = pd.Timestamp(dates.min()) - PAD, pd.Timestamp(dates.max()) + PAD
    if end - start < MIN_SPAN:
        mid = start + (end - start) / 2
        start, end = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    return start, end


def evidence_timeline(
    frames: dict[str, pd.DataFrame],
    rows: pd.DataFrame,
    cns_threshold_only: bool,
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> go.Figure:
    """Evidence rows as markers on a time strip above the missiles launched per month, over the span of the
    evidence and of `period` (what the check looked at)."""
    start, end = _window(pd.concat([rows["date"], pd.Series(period or [], dtype="datetime64[ns]")]))
    monthly = per_period(select_missiles(frames["missile_tests"], cns_threshold_only, start=start, end=end), "ME")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.4, 0.6], vertical_spacing=0.04)
    for kind, part in rows.groupby("kind", sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=[kind] * len(part),
                mode="markers",
                name=kind,
                marker={
                    "color": KIND_COLOUR[kind],
                    "size": 11,
                    "symbol": "diamond",
                    "line": {"width": 1, "color": theme.OUTLINE},
                },
                text=part["what"].str.slice(0, 90),
                hovertemplate="%{x|%d %b %Y}<br>%{text}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Bar(
            x=monthly.index,
            y=monthly["missiles"],
            name="missiles per month",
            marker_color=BAR_COLOUR,
            hovertemplate="%{x|%b %Y}: %{y} missiles<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.update_xaxes(type="date", range=[start, end])
    fig.update_yaxes(title_text="missiles", row=2, col=1)
    return _style(fig, "Evidence and missiles per month", fmt.COUNTED[cns_threshold_only])


def year_bars(series: dict[str, pd.Series], highlight: list[int], subtitle: str) -> go.Figure:
    """Figures per year (each series indexed by year) as bars, the claimed years (`highlight`) marked. One series is
    drawn as it is; several side by side, each as a share of its own top year."""
    fig = go.Figure()
    several = len(series) > 1
    for colour, (label, counts) in zip(theme.INTENSITY_COLORS, series.items()):
        claimed = counts.index.isin(highlight)
        fig.add_trace(
            go.Bar(
                x=counts.index,
                y=counts / (counts.max() or 1) if several else counts,
                name=label,
                marker_color=colour if several else [theme.INK if c else theme.NEUTRAL_BAR for c in claimed],
                customdata=counts,
                hovertemplate=f"%{{x}}: %{{customdata}} {label}<extra></extra>",
                showlegend=several,
            )
        )
    top = max(float((c / (c.max() or 1)).max() if several else c.max()) for c in series.values())
    for year in highlight:
        fig.add_annotation(x=year, y=top, text=str(year), showarrow=True, arrowhead=2, ay=-30)
    (label,) = series if not several else ("share of the top year",)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=label)
    title = (
        f"{label[0].upper()}{label[1:]} per year"
        if not several
        else "Each measure per year, as a share of its top year"
    )
    return _style(fig, title, subtitle)


def _style(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    fig.update_layout(
        template=theme.register(),
        height=400,
        margin={"l": 110, "r": 20, "t": 70, "b": 40},
        title={"text": title, "font": {"size": 15}, "subtitle": {"text": subtitle}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.22},
    )
    fig.update_xaxes(automargin=True)
    return fig
