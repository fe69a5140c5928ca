"""The nuclear-test charts (notebook 04): magnitude and yield per test, and the Security Council's response time."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import fmt
from analysis.pages import theme
from analysis.pages.charts.base import finish, log_ticks, note, source_line, wrap


def nuclear_chart(summary: pd.DataFrame, claims: pd.Series | None = None) -> go.Figure:
    """Two panels per test (analysis.measures.nuclear.nuclear_summary): the USGS body-wave magnitude as a dot on a magnitude axis (it
    is logarithmic, so no bar from zero), and the published yield range (bar from low to high estimate, log scale;
    dot at the geometric midpoint)."""
    labels = summary["date_kst"].dt.strftime("%Y-%m-%d").tolist()
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=("Body-wave magnitude (mb, USGS)", "Published yield range (kt, log scale)"),
    )
    cd = np.stack(
        [
            summary["test_id"],
            summary["mb"].map("{:.1f}".format),
            [f"{lo:g}–{hi:g} kt" for lo, hi in zip(summary["yield_kt_low"], summary["yield_kt_high"])],
        ],
        axis=1,
    )
    _magnitude_panel(fig, summary, labels, cd)
    _yield_panel(fig, summary, labels, cd)
    fig.update_xaxes(title="Test date (Korean calendar)", type="category")
    _note(fig)
    if summary.empty:
        text = "No nuclear tests in the selection."
    else:
        big = summary.loc[summary["mb"].idxmax()]
        lo, hi = float(summary["mb"].min()), float(summary["mb"].max())
        text = (
            f"{len(summary)} nuclear tests, {labels[0]} to {labels[-1]}; magnitudes from mb {lo:.1f} to {hi:.1f}. The largest, "
            f"{fmt.iso_day(big['date_kst'])} (mb {hi:.1f}), has a published yield of {big['yield_kt_low']:g} to {big['yield_kt_high']:g} kt."
        )
    return finish(
        fig,
        "North Korea's nuclear tests: magnitude and estimated yield",
        height=480,
        summary=text,
        margin=dict(b=130),
        narrow=dict(
            height=780,
            xaxis=dict(domain=[0, 1], title=dict(text="")),
            xaxis2=dict(domain=[0, 1]),
            yaxis=dict(domain=[0.62, 1]),
            yaxis2=dict(domain=[0, 0.4]),
            annotations=[
                dict(a.to_plotly_json(), x=0.5, y=1.0 if i == 0 else 0.42)
                for i, a in enumerate(fig.layout.annotations[:2])
            ]
            + [
                dict(
                    fig.layout.annotations[2].to_plotly_json(),
                    y=-0.13,
                    text="mb is logarithmic: one unit is<br>roughly 30 times the energy.",
                )
            ],
            margin=dict(b=150),
        ),
        source=source_line(["nuclear_tests"]),
    )


def _magnitude_panel(fig: go.Figure, summary: pd.DataFrame, labels: list[str], cd: np.ndarray) -> None:
    """mb is logarithmic: dots on a magnitude axis, not bars from zero."""
    fig.add_scatter(
        x=labels,
        y=summary["mb"],
        mode="markers+text",
        name="Magnitude (mb)",
        marker=dict(color=theme.NUCLEAR_COLOR, size=12),
        text=summary["mb"].map("{:.1f}".format),
        textposition="top center",
        customdata=cd,
        cliponaxis=False,
        hovertemplate="<b>Nuclear test %{x}</b><br>mb %{customdata[1]}, yield %{customdata[2]}<extra></extra>",
        row=1,
        col=1,
        showlegend=False,
    )
    if not summary.empty:
        lo, hi = float(summary["mb"].min()), float(summary["mb"].max())
        fig.update_yaxes(
            title="Magnitude (mb)",
            range=[math.floor(lo * 2) / 2 - 0.25, math.ceil(hi * 2) / 2 + 0.35],
            dtick=0.5,
            row=1,
            col=1,
        )


def _yield_panel(fig: go.Figure, summary: pd.DataFrame, labels: list[str], cd: np.ndarray) -> None:
    """The published yield range: a bar from the low to the high estimate on a log axis, a dot at the geometric midpoint."""
    fig.add_scatter(
        x=labels,
        y=summary["yield_kt_geomean"],
        mode="markers",
        name="Yield range",
        marker=dict(color=theme.NUCLEAR_COLOR, size=9),
        error_y=dict(
            type="data",
            symmetric=False,
            array=summary["yield_kt_high"] - summary["yield_kt_geomean"],
            arrayminus=summary["yield_kt_geomean"] - summary["yield_kt_low"],
            thickness=6,
            width=0,
            color=theme.NUCLEAR_COLOR,
        ),
        customdata=cd,
        hovertemplate="<b>Nuclear test %{x}</b><br>Yield %{customdata[2]}<extra></extra>",
        row=1,
        col=2,
        showlegend=False,
    )
    log_ticks(fig, pd.concat([summary["yield_kt_low"], summary["yield_kt_high"]]), row=1, col=2)
    fig.update_yaxes(title="kilotons (log scale)", row=1, col=2)


def _note(fig: go.Figure) -> None:
    note(
        fig,
        "Magnitude is logarithmic: one unit of mb is roughly 30 times the energy released.",
        y=-0.3,
        name="note",
    )


def resolution_chart(pairs: pd.DataFrame) -> go.Figure:
    """Days from each test to the Security Council vote it triggered (analysis.measures.nuclear.days_to_resolution), one bar per
    (test, vote); nuclear tests in vermillion, missile launches in teal; vetoed drafts hatched."""
    fig = go.Figure()
    p = pairs.copy()
    p["label"] = [
        f"{fmt.iso_day(d)} {'nuclear test' if k == 'nuclear test' else wrap(w, 30).split('<br>')[0]}"
        f" → {sid.replace('S/RES/', 'Res. ')}"
        for d, k, w, sid in zip(p["test_date_kst"], p["trigger_kind"], p["what"], p["sanction_id"])
    ]
    order = p["label"].tolist()
    for kind, color in (("nuclear test", theme.NUCLEAR_COLOR), ("missile launch", theme.MISSILE_COLOR)):
        for action in ("adopted", "vetoed"):
            q = p[(p["trigger_kind"] == kind) & (p["action"] == action)]
            if q.empty:
                continue
            fig.add_bar(
                y=q["label"],
                x=q["days"],
                orientation="h",
                name=f"{kind.capitalize()}{' (draft vetoed)' if action == 'vetoed' else ''}",
                marker=dict(
                    color=color,
                    pattern=dict(shape="/" if action == "vetoed" else "", fgcolor="white", fillmode="overlay"),
                ),
                text=q["days"].map(lambda d: f"{d} days"),
                textposition="outside",
                cliponaxis=False,
                customdata=np.stack(
                    [
                        q["trigger_id"],
                        q["test_date_kst"].dt.strftime("%Y-%m-%d"),
                        q["sanction_id"],
                        q["vote_date"].dt.strftime("%Y-%m-%d"),
                        q["what"].map(wrap),
                        q["action"],
                    ],
                    axis=1,
                ),
                hovertemplate="<b>%{customdata[2]}</b> (%{customdata[5]} %{customdata[3]})<br>"
                "%{x} days after %{customdata[1]} (UTC): %{customdata[4]}<extra></extra>",
            )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None, automargin=True)
    fig.update_xaxes(title="Days from the test (UTC date) to the Security Council vote", rangemode="tozero")
    fig.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.15, x=0), bargap=0.25)
    if p.empty:
        text = "No Security Council action names a test as its trigger."
    else:
        text = (
            f"{len(p)} pairs of a test and the Security Council action it triggered; from {p['days'].min()} to "
            f"{p['days'].max()} days, median {p['days'].median():g}."
        )
    # Phones: each label on two lines (date, then what and which resolution), room on the right for "113 days".
    longest = float(p["days"].max()) if not p.empty else 1.0
    return finish(
        fig,
        "How long the Security Council took to respond",
        height=max(320, 120 + 30 * len(p)),
        summary=text,
        narrow=dict(
            height=max(360, 150 + 44 * len(p)),
            yaxis=dict(tickvals=order, ticktext=[label.replace(" ", "<br>", 1) for label in order]),
            xaxis=dict(range=[0, longest * 1.45], title=dict(text="Days from the test (UTC)<br>to the vote")),
        ),
        source=source_line(["sanctions", "nuclear_tests", "missile_tests"]),
    )
