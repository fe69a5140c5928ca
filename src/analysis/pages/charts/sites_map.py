"""The launch-site map (notebooks 00 and 03): framed on North Korea, its border with South Korea (the line of the
armistice) and China drawn, the busiest sites and Pyongyang named."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import fmt
from analysis.measures import counts
from analysis.pages import lab, theme
from analysis.pages.charts.base import finish, source_line, wrap

# North Korea and its borders, a little sea around (lon, lat).
FRAME = {"lon": (123.5, 131.0), "lat": (37.2, 43.2)}
# Reference places named on the map (lat, lon): the capital, and the neighbours in muted ink.
PYONGYANG = (39.03, 125.75)
COUNTRIES = {"CHINA": (41.9, 124.6), "SOUTH KOREA": (37.55, 128.3)}
NAMED_SITES = 4  # the busiest sites named, none within NEAR degrees of a name already on the map
NEAR = 0.6


def sites_map(sites: pd.DataFrame, nuclear_tests: pd.DataFrame | None = None) -> go.Figure:
    """Launch sites (analysis.measures.flights.launch_sites) on a map of the Korean peninsula: one marker per site and class, area
    proportional to missiles. Uses plotly's built-in world outlines at 1:110m (the exporter supplies them offline,
    and the Jupyter server in JupyterLab)."""
    lab.serve_outlines()
    fig = go.Figure()
    _site_markers(fig, sites)
    if nuclear_tests is not None and not nuclear_tests.empty:
        _test_site(fig, nuclear_tests)
    _place_names(fig, sites, nuclear_tests)
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
            legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="top", title=dict(text="")),
        ),
        source=source_line(["missile_tests"] + (["nuclear_tests"] if nuclear_tests is not None else [])),
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
        f"{fmt.iso_day(n['date_kst'].min())} to {fmt.iso_day(n['date_kst'].max())}<extra></extra>",
    )


def _place_names(fig: go.Figure, sites: pd.DataFrame, nuclear_tests: pd.DataFrame | None) -> None:
    """Pyongyang, the nuclear test site, the busiest sites (by missiles, by the first word of their name: Sohae,
    Sinpo) apart from places already named, and the neighbours; text to the sea side of a coast's places, inland
    near the frame's right edge."""
    places = [("Pyongyang", *PYONGYANG)]
    if nuclear_tests is not None and not nuclear_tests.empty:
        places.append(
            (str(nuclear_tests["site"].iloc[0]), nuclear_tests["latitude"].mean(), nuclear_tests["longitude"].mean())
        )
    per = (
        sites.groupby("facility", observed=True)
        .agg(missiles=("missiles", "sum"), lat=("latitude", "mean"), lon=("longitude", "mean"))
        .sort_values("missiles", ascending=False, kind="stable")
    )
    named = 0
    for facility, r in per.iterrows():
        if named == NAMED_SITES:
            break
        if all(abs(r["lat"] - lat) > NEAR or abs(r["lon"] - lon) > NEAR for _, lat, lon in places):
            places.append((str(facility).split()[0], r["lat"], r["lon"]))
            named += 1
    fig.add_scattergeo(
        lat=[p[1] for p in places],
        lon=[p[2] for p in places],
        text=[html.escape(p[0]) for p in places],
        mode="markers+text",
        marker=dict(size=18, color="rgba(0,0,0,0)", line=dict(width=0)),  # keeps the text off the site's marker
        textposition=["middle right" if 127 < lon < 129.5 else "middle left" for _, _, lon in places],
        textfont=dict(size=12, color=theme.INK),
        showlegend=False,
        hoverinfo="skip",
        name="place names",
    )
    fig.add_scattergeo(
        lat=[v[0] for v in COUNTRIES.values()],
        lon=[v[1] for v in COUNTRIES.values()],
        text=list(COUNTRIES),
        mode="text",
        textfont=dict(size=11, color=theme.MUTED_INK),
        showlegend=False,
        hoverinfo="skip",
        name="countries",
    )


def _map_layout(fig: go.Figure) -> None:
    fig.update_geos(
        resolution=110,
        projection_type="mercator",
        lonaxis_range=list(FRAME["lon"]),
        lataxis_range=list(FRAME["lat"]),
        showcoastlines=True,
        coastlinecolor=theme.MAP["coast"],
        showland=True,
        landcolor=theme.MAP["land"],
        showocean=True,
        oceancolor=theme.MAP["ocean"],
        showcountries=True,
        countrycolor=theme.MAP["borders"],
        countrywidth=1.5,
        showframe=True,
        framecolor=theme.MAP["frame"],
        showlakes=False,
    )
    fig.update_layout(
        legend=dict(title="Class<br>(marker area:<br>missiles)", x=1.0, xanchor="left", y=0.98),
        margin=dict(l=10, r=10, t=70, b=10),
    )
