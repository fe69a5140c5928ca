"""Testing tempo (notebooks 00 and 01): missiles per year, quarter or month by class, and launch days."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import fmt
from analysis.data import names
from analysis.measures import counts
from analysis.pages import theme
from analysis.pages.charts.base import finish, selection_words, shade_pause, source_line, trump_kim_summits

_PERIOD = {"YE": "Y", "QE": "Q", "ME": "M"}
_PERIOD_WORD = {"YE": "year", "QE": "quarter", "ME": "month"}


def _x(periods, freq: str) -> pd.Series:
    if freq == "YE":
        return pd.Series(pd.DatetimeIndex(periods).year)
    return pd.Series(pd.DatetimeIndex(periods).to_period(_PERIOD[freq]).start_time)


def _label(periods, freq: str) -> list[str]:
    p = pd.DatetimeIndex(periods).to_period(_PERIOD[freq])
    return [
        str(v.year) if freq == "YE" else (f"{v.year} Q{v.quarter}" if freq == "QE" else v.strftime("%b %Y")) for v in p
    ]


def _placement(freq: str) -> dict:
    """Quarters and months drawn across their span, not at their first day."""
    return {} if freq == "YE" else dict(xperiod={"QE": "M3", "ME": "M1"}[freq], xperiodalignment="middle")


def _class_bars(fig: go.Figure, missiles: pd.DataFrame, freq: str) -> None:
    by_class = counts.per_period_by_class(missiles, freq)
    for cls in counts.classes():
        sub = by_class[(by_class["missile_class"] == cls) & (by_class["missiles"] > 0)]
        if sub.empty:
            continue
        fig.add_bar(
            x=_x(sub["period"], freq),
            y=sub["missiles"],
            name=cls,
            marker_color=theme.class_color(cls),
            customdata=np.array(_label(sub["period"], freq), dtype=object),
            hovertemplate=f"%{{customdata}}<br>{cls}: %{{y}} missiles<extra></extra>",
            **_placement(freq),
        )


def _launch_day_line(fig: go.Figure, totals: pd.DataFrame, freq: str) -> None:
    fig.add_scatter(
        x=_x(totals.index, freq),
        y=totals["launch_days"],
        name="Launch days (all classes)",
        mode="lines+markers" if freq == "YE" else "lines",
        line=dict(color=theme.TOTAL_LINE, width=2, shape="linear"),
        marker=dict(size=6, color=theme.TOTAL_LINE),
        customdata=np.array(_label(totals.index, freq), dtype=object),
        hovertemplate="%{customdata}<br>Launch days: %{y}<extra></extra>",
        **_placement(freq),
    )


def _label_pause_and_summits(fig: go.Figure, missiles: pd.DataFrame, events: pd.DataFrame | None) -> None:
    """On a date axis: the longest pause (a year or more) shaded with its length written in it; Trump-Kim summits
    inside the data's span as dotted lines labelled at the top, on three heights in turn so neighbours do not collide."""
    shade_pause(fig, missiles, "<b>Pause</b><br>{days} days<br>without a<br>launch", y=0.55, yref="paper")
    if events is None or missiles.empty:
        return
    key = trump_kim_summits(events, missiles["date_kst"].min(), missiles["date_kst"].max())
    for i, (_, e) in enumerate(key.iterrows()):
        fig.add_vline(x=e["start_date"], line=dict(color=theme.INK, width=1, dash="dot"), layer="below")
        fig.add_annotation(
            x=e["start_date"],
            y=1.0 - 0.08 * (i % 3),
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=html.escape(names.place(e)),
            font=dict(size=11, color=theme.INK),
            bgcolor="rgba(255,255,255,0.85)",
            name=e["event_id"],
        )


def _axes(fig: go.Figure, missiles: pd.DataFrame, totals: pd.DataFrame, freq: str, events) -> None:
    word = _PERIOD_WORD[freq]
    fig.update_layout(
        barmode="stack",
        legend_traceorder="normal",
        xaxis_title=f"{word.capitalize()} (Korean calendar)",
        yaxis_title=f"Missiles per {word} / launch days per {word}",
        legend=dict(orientation="h", y=-0.18, x=0),
        bargap=0.15 if freq == "YE" else 0.05,
    )
    if freq == "YE":
        fig.update_xaxes(dtick=1 if len(totals) <= 15 else 2, tickformat="d")
    else:
        fig.update_xaxes(tickformat="%b %Y" if freq == "ME" else "%Y", ticklabelmode="period")
        _label_pause_and_summits(fig, missiles, events)


def _source(events: pd.DataFrame | None) -> str:
    return source_line(["missile_tests"] + (["diplomatic_events"] if events is not None else []))


def tempo_chart(
    missiles: pd.DataFrame, freq: str = "YE", cns_threshold_only: bool = True, events: pd.DataFrame | None = None
) -> go.Figure:
    """Stacked bars: missiles per period (year/quarter/month) by class; black line: launch days per period.

    A launch day is a KST date with at least one selected missile, counted once however many classes flew. Per
    quarter or month, the longest pause (a year or more) is shaded and labelled, and, given `events`, the Trump-Kim
    summits are dotted lines labelled with their place.
    """
    word = _PERIOD_WORD[freq]
    what = selection_words(cns_threshold_only)
    fig = go.Figure()
    if missiles.empty:
        return finish(fig, f"{what} per {word}: none in the selection", source=_source(events))
    totals = counts.per_period(missiles, freq)
    _class_bars(fig, missiles, freq)
    _launch_day_line(fig, totals, freq)
    _axes(fig, missiles, totals, freq, events)
    last_day, period_end = missiles["date_kst"].max(), totals.index.max()
    sub = f"The last {word} is partial: the data end on {fmt.iso_day(last_day)}." if last_day < period_end else None
    top = totals["missiles"].idxmax()
    text = (
        f"{int(totals['missiles'].sum())} missiles on {int(totals['launch_days'].sum())} launch days, "
        f"{_label([totals.index.min()], freq)[0]} to {_label([totals.index.max()], freq)[0]}; the most missiles in one "
        f"{word}: {int(totals.at[top, 'missiles'])}, in {_label([top], freq)[0]}."
    )
    fig = finish(
        fig,
        f"{what} per {word}, by class (bars), and launch days (line)",
        height=460,
        summary=text,
        narrow=dict(yaxis=dict(title=dict(text=f"Missiles, launch days per {word}"))),
        source=_source(events),
    )
    if sub:
        fig.update_layout(title_subtitle_text=sub, margin_t=95)
    return fig
