"""What every chart shares: the project's look, text alternative and source line (`finish`, `describe`,
`source_line`), hover-text helpers, the log axis, and the marks several charts draw alike (the longest pause, the
Trump-Kim summits).

Dates on the charts are Korean (KST) calendar dates for launches and tests, and local dates for diplomacy and
Security Council votes, as in the tables.
"""

from __future__ import annotations

import html
import math
import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from analysis.measures import counts
from analysis.pages import theme

TEMPLATE = theme.register()

# The charts label every diplomatic event of this kind between Trump and Kim (when in range).
KEY_KIND = "summit"
# A pause in testing at least this long gets shaded.
PAUSE_MIN_DAYS = 365


# The publishers of each curated table, as a chart's source line names them.
PUBLISHERS: dict[str, str] = {
    "missile_tests": "CNS/NTI North Korea Missile Test Database, with the project's corrections",
    "nuclear_tests": "USGS (magnitudes), Arms Control Association (yields)",
    "sanctions": "UN Security Council",
    "diplomatic_events": "the project's chronology of diplomacy (official statements and news reports)",
}


def source_line(tables, publishers=()) -> str:
    """'Source: …' for a chart: the publishers its rows name (if they carry them), then those of the curated tables
    it draws (PUBLISHERS)."""
    words = [str(p) for p in publishers] + [PUBLISHERS[t] for t in tables]
    return "Source: " + "; ".join(dict.fromkeys(words)) + "."


def wrap(text, width: int = 60) -> str:
    """Escape and wrap text for a hover label."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    return "<br>".join(textwrap.wrap(html.escape(str(text)), width)) or ""


def selection_words(cns_threshold_only: bool) -> str:
    return "CNS-criterion missiles" if cns_threshold_only else "Missiles (all, cruise included)"


def finish(
    fig: go.Figure,
    title: str,
    height: int | None = None,
    summary: str = "",
    narrow: dict | None = None,
    source: str = "",
    **layout,
) -> go.Figure:
    """The project's look, the title, and the text alternative (layout.meta: what export turns into the chart's
    accessible name and description; `narrow`: layout changes for screens up to 480 px wide; `source`: the line
    the page prints under the chart, from `source_line`)."""
    fig.update_layout(template=TEMPLATE, title=dict(text=title), **layout)
    if height:
        fig.update_layout(height=height)
    meta = dict(description=describe(fig, summary))
    if narrow:
        meta["narrow"] = narrow
    if source:
        meta["source"] = source
    fig.update_layout(meta=meta)
    return fig


def plain(text: str) -> str:
    """Chart text (escaped, with <br> and <b>) as plain text."""
    return html.unescape(re.sub(r"\s*<br>\s*", " ", re.sub(r"</?(b|i|sup|sub|span)[^>]*>", "", text or ""))).strip()


def describe(fig: go.Figure, summary: str = "") -> str:
    """A short text alternative computed from the figure: the chart's own summary of its data, then its series and
    axes. Series hidden from the legend (helper traces) are left out."""
    series = []
    for t in fig.data:
        if t.showlegend is False or not t.name:
            continue
        values = next((v for v in (getattr(t, k, None) for k in ("x", "lat")) if v is not None), [])
        n = len([v for v in values if v is not None])
        series.append(f"{plain(t.name)} ({n} point{'s' if n != 1 else ''})" if n else plain(t.name))
    axes = [plain(a.title.text) for a in (fig.layout.xaxis, fig.layout.yaxis) if a.title and a.title.text]
    parts = [summary.strip()] if summary else []
    if series:
        parts.append("Series: " + ", ".join(dict.fromkeys(series)) + ".")
    if axes:
        parts.append("Axes: " + "; ".join(axes) + ".")
    return " ".join(parts)


def note(fig: go.Figure, text: str, y: float, name: str) -> None:
    """A muted line of explanation under the plot, left-aligned with it."""
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=y,
        yanchor="top",
        xanchor="left",
        showarrow=False,
        align="left",
        font=dict(size=12, color=theme.MUTED_INK),
        name=name,
        text=text,
    )


def log_ticks(fig: go.Figure, values: pd.Series, **where) -> None:
    """A log y axis labelled 1-2-5 in plain numbers (no bare '2' and '5' minor labels)."""
    v = pd.to_numeric(values, errors="coerce")
    v = v[v > 0]
    ticks = [m * 10**e for e in range(-2, 6) for m in (1, 2, 5)]
    if not v.empty:
        ticks = [t for t in ticks if v.min() / 2.5 <= t <= v.max() * 2.5]
    fig.update_yaxes(
        type="log", tickvals=ticks, ticktext=[f"{t:,g}" if t < 1000 else f"{t:,.0f}" for t in ticks], **where
    )


def vocabulary(column: pd.Series) -> list[str]:
    """A column's categories (the schema's vocabulary, in its order), or its distinct values in order of appearance."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return list(dict.fromkeys(column.dropna().astype(str)))


def in_range(dates: pd.Series, start, end) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if start is not None:
        keep &= dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates <= pd.Timestamp(end)
    return keep


def trump_kim_summits(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """The Trump-Kim events of KEY_KIND between start and end, in date order."""
    key = events[
        (events["kind"].astype(str) == KEY_KIND)
        & events["trump_kim"].fillna(False).astype(bool)
        & in_range(events["start_date"], start, end)
    ]
    return key.sort_values("start_date", kind="stable")


def shade_pause(fig: go.Figure, missiles: pd.DataFrame, label: str, **placement) -> None:
    """The longest pause (a year or more) shaded on a date axis, `label` (with {days}) written in its band."""
    gaps = counts.testing_gaps(missiles, top=1)
    if gaps.empty or gaps["days"].iloc[0] < PAUSE_MIN_DAYS:
        return
    g = gaps.iloc[0]
    fig.add_vrect(
        x0=g["last_launch"],
        x1=g["next_launch"],
        fillcolor=theme.PAUSE_FILL,
        opacity=0.15,
        line_width=0,
        layer="below",
        name="pause",
    )
    fig.add_annotation(
        x=g["last_launch"] + (g["next_launch"] - g["last_launch"]) / 2,
        text=label.format(days=g["days"]),
        showarrow=False,
        font=dict(size=11, color=theme.INK),
        bgcolor="rgba(255,255,255,0.85)",
        name="pause-label",
        **placement,
    )


def stack_rows(starts: list[float], widths: list[float], gap: float = 0.01) -> list[int]:
    """Rows for labels stacked above a plot (row 0 nearest it), each box running from `starts` (fractions of the axis,
    sorted) over `widths`, with a vertical leader line down from its left edge. Latest first, each takes the lowest
    row where its box meets no box and no leader line of a label above it: leaders then never cross a box or each
    other. (Boxes that end at their line: mirror the axis.)"""
    placed: list[tuple[float, float, int]] = []  # start, end, row
    out = [0] * len(starts)
    for i in reversed(range(len(starts))):
        left, right = starts[i], starts[i] + widths[i] + gap
        row = 0
        while any(
            (r == row and lft < right and left < rgt) or (r > row and left <= lft < right) for lft, rgt, r in placed
        ):
            row += 1
        placed.append((left, right, row))
        out[i] = row
    return out
