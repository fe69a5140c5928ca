"""The launch-site map (notebooks 00 and 03)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.measures import counts
from analysis.pages import theme
from analysis.pages.charts.base import day, finish, wrap


def sites_map(sites: pd.DataFrame, nuclear_tests: pd.DataFrame | None = None) -> go.Figure:
    """Launch sites (analysis.measures.flights.launch_sites) on a map of the Korean peninsula: one marker per site and class, area
    proportional to missiles. Uses plotly's built-in world outlines at 1:110m (the exporter supplies them offline)."""
    fig = go.Figure()
    _site_markers(fig, sites)
    if nuclear_tests is not None and not nuclear_tests.empty:
        _test_site(fig, nuclear_tests)
    _map_layout(fig)
    if sites.empty:
        text = "No launch site with known coordinates in the selection."
    else:
        per = sites.groupby("facility", observed=True)["missiles"].sum().sort_values(ascending=False)
        text = (
            f"{sites['facility'].nunique()} launch sites with known coordinates, {int(per.sum())} missiles. Most used: "
            + "; ".join(f"{f} ({n} missiles)" for f, n in per.head(3).items())
            + "."
        )
    return finish(
        fig,
        "Launch sites with known coordinates",
        height=640,
        summary=text,
        narrow=dict(
            height=700,
            geo=dict(lonaxis=dict(range=[123.5, 131.5]), lataxis=dict(range=[36.5, 43.5])),
            legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="top", title=dict(text="")),
        ),
    )


def _site_markers(fig: go.Figure, sites: pd.DataFrame) -> None:
    """One marker per site and class, area proportional to missiles."""
    for cls in counts.classes():
        s = sites[sites["missile_class"] == cls]
        if s.empty:
            continue
        fig.add_scattergeo(
            lat=s["latitude"],
            lon=s["longitude"],
            mode="markers",
            name=cls,
            marker=dict(
                color=theme.class_color(cls),
                size=(5 + 3 * np.sqrt(s["missiles"])).round(1).tolist(),
                opacity=0.8,
                line=dict(width=0.6, color=theme.OUTLINE),
            ),
            customdata=np.stack(
                [
                    s["facility"].map(wrap),
                    s["missiles"],
                    s["launch_days"],
                    s["first"].dt.strftime("%Y-%m-%d"),
                    s["last"].dt.strftime("%Y-%m-%d"),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>" + cls + ": %{customdata[1]} missiles on %{customdata[2]} days"
            "<br>%{customdata[3]} to %{customdata[4]}<extra></extra>",
        )


def _test_site(fig: go.Figure, n: pd.DataFrame) -> None:
    """The nuclear test site as a star at the tests' mean position."""
    fig.add_scattergeo(
        lat=[n["latitude"].mean()],
        lon=[n["longitude"].mean()],
        mode="markers",
        name="Nuclear test site",
        marker=dict(symbol="star", size=16, color=theme.NUCLEAR_COLOR, line=dict(width=0.8, color=theme.OUTLINE)),
        hovertemplate=f"<b>{html.escape(str(n['site'].iloc[0]))}</b><br>{len(n)} nuclear tests, "
        f"{day(n['date_kst'].min())} to {day(n['date_kst'].max())}<extra></extra>",
    )


def _map_layout(fig: go.Figure) -> None:
    fig.update_geos(
        resolution=110,
        projection_type="mercator",
        lonaxis_range=[116, 140],
        lataxis_range=[33, 44],
        showcoastlines=True,
        coastlinecolor=theme.MAP["coast"],
        showland=True,
        landcolor=theme.MAP["land"],
        showocean=True,
        oceancolor=theme.MAP["ocean"],
        showcountries=True,
        countrycolor=theme.MAP["borders"],
        showframe=True,
        framecolor=theme.MAP["frame"],
        showlakes=False,
    )
    fig.update_layout(
        legend=dict(title="Class<br>(marker area:<br>missiles)", x=1.0, xanchor="left", y=0.98),
        margin=dict(l=10, r=10, t=70, b=10),
    )
