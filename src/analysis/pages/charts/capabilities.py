"""The capabilities charts (notebook 03): the yearly best apogee or distance per class, and one class's flights."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import fmt
from analysis.measures import counts
from analysis.pages import theme
from analysis.pages.charts.base import finish, log_ticks, source_line

_MEASURES = {
    "max_apogee_km": ("Highest apogee", "Apogee (km, log scale)"),
    "max_distance_km": ("Longest distance flown", "Distance flown (km, log scale)"),
}


def capability_chart(progression: pd.DataFrame, measure: str = "max_apogee_km") -> go.Figure:
    """Per class, the year's highest reported apogee or longest distance (analysis.measures.flights.capability_progression): dots, no
    lines, so nothing is drawn across years without a launch or a reported value."""
    if measure not in _MEASURES:
        raise ValueError(f"measure: {measure!r} is not one of: {', '.join(_MEASURES)}")
    head, axis = _MEASURES[measure]
    fig = go.Figure()
    for cls in counts.classes():
        p = progression[
            (progression["missile_class"] == cls) & progression[measure].notna() & (progression[measure] > 0)
        ]
        if p.empty:
            continue
        fig.add_scatter(
            x=p["year"],
            y=p[measure],
            mode="markers",
            name=cls,
            marker=dict(color=theme.class_color(cls), size=10),
            customdata=p["missiles"],
            hovertemplate=f"{cls}, %{{x}}<br>{head}: %{{y:,.0f}} km<br>(%{{customdata}} missiles that year)<extra></extra>",
        )
    log_ticks(fig, progression[measure])
    fig.update_yaxes(title=axis)
    fig.update_xaxes(title="Year (Korean calendar)", dtick=2 if progression["year"].nunique() > 12 else 1)
    fig.update_layout(legend=dict(title="Class"))
    known = progression[progression[measure].notna() & (progression[measure] > 0)]
    if known.empty:
        text = f"No {head.lower()} reported in the selection."
    else:
        top = known.loc[known[measure].idxmax()]
        text = (
            f"One dot per class and year with a reported value ({len(known)} in all, {int(known['year'].min())} to "
            f"{int(known['year'].max())}); years without one are left empty, not joined. The most: {top[measure]:,.0f} km, "
            f"{top['missile_class']} in {int(top['year'])}."
        )
    return finish(
        fig,
        f"{head} reported each year, by missile class",
        height=460,
        summary=text,
        narrow=dict(height=560, legend=dict(orientation="h", x=0, y=-0.25, yanchor="top", title=dict(text=""))),
        source=source_line(["missile_tests"]),
    )


def progression_chart(progression: pd.DataFrame, missile_class: str = "ICBM") -> go.Figure:
    """Every flight of a class with a reported apogee (analysis.measures.flights.class_progression); the running record as a step
    line; records labelled with the missile name. Failures are crosses."""
    p = progression[progression["apogee_km"].notna()]
    color = theme.class_color(missile_class)
    fig = go.Figure()
    if not p.empty:
        fig.add_scatter(
            x=p["date_kst"],
            y=p["apogee_km"].cummax(),
            mode="lines",
            name="Record so far",
            line=dict(color=color, width=1.5, dash="dot", shape="hv"),
            hoverinfo="skip",
        )
    for outcome, symbol in (("success", "circle"), ("failure", "x"), ("unknown", "circle-open")):
        q = p[p["outcome"] == outcome]
        if q.empty:
            continue
        fig.add_scatter(
            x=q["date_kst"],
            y=q["apogee_km"],
            mode="markers",
            name=f"{outcome.capitalize()}",
            marker=dict(symbol=symbol, size=12, color=color, line=dict(width=1.5, color=color)),
            customdata=np.stack(
                [
                    q["date_kst"].dt.strftime("%Y-%m-%d"),
                    q["missile_name"].astype(str),
                    q["distance_km"].map(lambda v: "unknown" if pd.isna(v) else f"{v:,.0f}"),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[1]}</b>, %{customdata[0]}<br>Apogee %{y:,.0f} km, distance %{customdata[2]} km"
            f"<br>{outcome}<extra></extra>",
        )
    for i, r in enumerate(p[p["apogee_record"]].itertuples()):
        fig.add_annotation(
            x=r.date_kst,
            y=r.apogee_km,
            text=f"{html.escape(str(r.missile_name))}<br>{r.apogee_km:,.0f} km",
            showarrow=True,
            arrowhead=0,
            ax=(45, -50, 35)[i % 3] if i else 45,
            ay=(28, -32, -42)[i % 3] if i else 28,
            name=f"record-{i}",
            font=dict(size=11),
        )
    missing = int(progression["apogee_km"].isna().sum())
    note = f" ({missing} flight{'s' if missing != 1 else ''} without a reported apogee not shown)" if missing else ""
    fig.update_yaxes(title="Apogee (km)", rangemode="tozero")
    fig.update_xaxes(title="Launch date (Korean calendar)")
    fig.update_layout(legend=dict(orientation="h", y=-0.2, x=0))
    if p.empty:
        text = f"No {missile_class} flight with a reported apogee."
    else:
        top = p.loc[p["apogee_km"].idxmax()]
        text = (
            f"{len(p)} {missile_class} flights with a reported apogee, {fmt.iso_day(p['date_kst'].min())} to {fmt.iso_day(p['date_kst'].max())}; "
            f"{int(p['apogee_record'].sum())} set a new record, the highest {top['apogee_km']:,.0f} km ({top['missile_name']}, "
            f"{fmt.iso_day(top['date_kst'])})."
        )
    return finish(
        fig,
        f"{missile_class} flights: apogee reached{note}",
        height=460,
        summary=text,
        source=source_line(["missile_tests"]),
    )
