"""Every chart in the reports. Functions take validated frames (or the tables analysis.measures.metrics computes) and return
a plotly Figure in the project's look (analysis.pages.theme). Notebooks show them as the last expression of a cell.

Dates on the charts are Korean (KST) calendar dates for launches and tests, and local dates for diplomacy and
Security Council votes, as in the tables.
"""

from __future__ import annotations

import html
import math
import re
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.data import names as stats
from analysis.measures import metrics
from analysis.pages import summit_words, theme

TEMPLATE = theme.register()

# The timeline labels every diplomatic event of this kind between Trump and Kim (when in range).
KEY_KIND = "summit"
# A pause in testing at least this long gets shaded on the timeline.
PAUSE_MIN_DAYS = 365

LANE_DIPLOMACY = "Diplomacy"
LANE_UNSC = "UN Security Council"
LANE_NUCLEAR = "Nuclear tests"
LANE_PX = 44  # height of one timeline lane, px

_PERIOD = {"YE": "Y", "QE": "Q", "ME": "M"}
_PERIOD_WORD = {"YE": "year", "QE": "quarter", "ME": "month"}


def _d(ts) -> str:
    return pd.Timestamp(ts).date().isoformat()


def _wrap(text, width: int = 60) -> str:
    """Escape and wrap text for a hover label."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    return "<br>".join(textwrap.wrap(html.escape(str(text)), width)) or ""


def _what(cns_threshold_only: bool) -> str:
    return "CNS-criterion missiles" if cns_threshold_only else "Missiles (all, cruise included)"


def _base(
    fig: go.Figure, title: str, height: int | None = None, summary: str = "", narrow: dict | None = None, **layout
) -> go.Figure:
    """The project's look, the title, and the text alternative (layout.meta: what export turns into the chart's
    accessible name and description; `narrow`: layout changes for screens up to 480 px wide)."""
    fig.update_layout(template=TEMPLATE, title=dict(text=title), **layout)
    if height:
        fig.update_layout(height=height)
    fig.update_layout(meta=dict(description=describe(fig, summary), **({"narrow": narrow} if narrow else {})))
    return fig


def _plain(text: str) -> str:
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
        series.append(f"{_plain(t.name)} ({n} point{'s' if n != 1 else ''})" if n else _plain(t.name))
    axes = [_plain(a.title.text) for a in (fig.layout.xaxis, fig.layout.yaxis) if a.title and a.title.text]
    parts = [summary.strip()] if summary else []
    if series:
        parts.append("Series: " + ", ".join(dict.fromkeys(series)) + ".")
    if axes:
        parts.append("Axes: " + "; ".join(axes) + ".")
    return " ".join(parts)


def _log_ticks(fig: go.Figure, values: pd.Series, **where) -> None:
    """A log y axis labelled 1-2-5 in plain numbers (no bare '2' and '5' minor labels)."""
    v = pd.to_numeric(values, errors="coerce")
    v = v[v > 0]
    ticks = [m * 10**e for e in range(-2, 6) for m in (1, 2, 5)]
    if not v.empty:
        ticks = [t for t in ticks if v.min() / 2.5 <= t <= v.max() * 2.5]
    fig.update_yaxes(
        type="log", tickvals=ticks, ticktext=[f"{t:,g}" if t < 1000 else f"{t:,.0f}" for t in ticks], **where
    )


def _vocabulary(column: pd.Series) -> list[str]:
    """A column's categories (the schema's vocabulary, in its order), or its distinct values in order of appearance."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return list(dict.fromkeys(column.dropna().astype(str)))


def _in_range(dates: pd.Series, start, end) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if start is not None:
        keep &= dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates <= pd.Timestamp(end)
    return keep


# ------------------------------------------------------------------------------------------------
# Notebook 1: tempo and the timeline
# ------------------------------------------------------------------------------------------------


def tempo_chart(
    missiles: pd.DataFrame, freq: str = "YE", cns_threshold_only: bool = True, events: pd.DataFrame | None = None
) -> go.Figure:
    """Stacked bars: missiles per period (year/quarter/month) by class; black line: launch days per period.

    A launch day is a KST date with at least one selected missile, counted once however many classes flew. Per
    quarter or month, the longest pause (a year or more) is shaded and labelled, and, given `events`, the Trump-Kim
    summits are dotted lines labelled with their place.
    """
    word = _PERIOD_WORD[freq]
    what = _what(cns_threshold_only)
    fig = go.Figure()
    if missiles.empty:
        return _base(fig, f"{what} per {word}: none in the selection")
    by_class = metrics.per_period_by_class(missiles, freq)
    totals = metrics.per_period(missiles, freq)
    fmt = {"YE": "%Y", "QE": "%Y Q%q", "ME": "%b %Y"}[freq]

    def x_of(periods) -> pd.Series:
        if freq == "YE":
            return pd.Series(pd.DatetimeIndex(periods).year)
        return pd.Series(pd.DatetimeIndex(periods).to_period(_PERIOD[freq]).start_time)

    def label(periods) -> list[str]:
        p = pd.DatetimeIndex(periods).to_period(_PERIOD[freq])
        return [
            str(v.year) if freq == "YE" else (f"{v.year} Q{v.quarter}" if freq == "QE" else v.strftime("%b %Y"))
            for v in p
        ]

    for cls in metrics.classes():
        sub = by_class[(by_class["missile_class"] == cls) & (by_class["missiles"] > 0)]
        if sub.empty:
            continue
        fig.add_bar(
            x=x_of(sub["period"]),
            y=sub["missiles"],
            name=cls,
            marker_color=theme.class_color(cls),
            customdata=np.array(label(sub["period"]), dtype=object),
            hovertemplate=f"%{{customdata}}<br>{cls}: %{{y}} missiles<extra></extra>",
            **({} if freq == "YE" else dict(xperiod={"QE": "M3", "ME": "M1"}[freq], xperiodalignment="middle")),
        )
    fig.add_scatter(
        x=x_of(totals.index),
        y=totals["launch_days"],
        name="Launch days (all classes)",
        mode="lines+markers" if freq == "YE" else "lines",
        line=dict(color="#000000", width=2, shape="linear"),
        marker=dict(size=6, color="#000000"),
        customdata=np.array(label(totals.index), dtype=object),
        hovertemplate="%{customdata}<br>Launch days: %{y}<extra></extra>",
        **({} if freq == "YE" else dict(xperiod={"QE": "M3", "ME": "M1"}[freq], xperiodalignment="middle")),
    )
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
        fig.update_xaxes(tickformat=fmt if freq != "QE" else "%Y", ticklabelmode="period")
        _label_pause_and_summits(fig, missiles, events)
    last_day, period_end = missiles["date_kst"].max(), totals.index.max()
    sub = f"The last {word} is partial: the data end on {_d(last_day)}." if last_day < period_end else None
    top = totals["missiles"].idxmax()
    text = (
        f"{int(totals['missiles'].sum())} missiles on {int(totals['launch_days'].sum())} launch days, "
        f"{label([totals.index.min()])[0]} to {label([totals.index.max()])[0]}; the most missiles in one {word}: "
        f"{int(totals.at[top, 'missiles'])}, in {label([top])[0]}."
    )
    fig = _base(
        fig,
        f"{what} per {word}, by class (bars), and launch days (line)",
        height=460,
        summary=text,
        narrow=dict(yaxis=dict(title=dict(text=f"Missiles, launch days per {word}"))),
    )
    if sub:
        fig.update_layout(title_subtitle_text=sub, margin_t=95)
    return fig


def _shade_pause(fig: go.Figure, missiles: pd.DataFrame, label: str, **placement) -> None:
    """The longest pause (a year or more) shaded on a date axis, `label` (with {days}) written in its band."""
    gaps = metrics.testing_gaps(missiles, top=1)
    if gaps.empty or gaps["days"].iloc[0] < PAUSE_MIN_DAYS:
        return
    g = gaps.iloc[0]
    fig.add_vrect(
        x0=g["last_launch"],
        x1=g["next_launch"],
        fillcolor="#999999",
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


def _label_pause_and_summits(fig: go.Figure, missiles: pd.DataFrame, events: pd.DataFrame | None) -> None:
    """On a date axis: the longest pause (a year or more) shaded with its length written in it; Trump-Kim summits
    inside the data's span as dotted lines labelled at the top, on three heights in turn so neighbours do not collide."""
    _shade_pause(fig, missiles, "<b>Pause</b><br>{days} days<br>without a<br>launch", y=0.55, yref="paper")
    if events is None or missiles.empty:
        return
    key = events[
        (events["kind"].astype(str) == KEY_KIND)
        & events["trump_kim"].fillna(False).astype(bool)
        & _in_range(events["start_date"], missiles["date_kst"].min(), missiles["date_kst"].max())
    ]
    for i, (_, e) in enumerate(key.sort_values("start_date", kind="stable").iterrows()):
        fig.add_vline(x=e["start_date"], line=dict(color=theme.INK, width=1, dash="dot"), layer="below")
        fig.add_annotation(
            x=e["start_date"],
            y=1.0 - 0.08 * (i % 3),
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=html.escape(stats.place(e)),
            font=dict(size=11, color=theme.INK),
            bgcolor="rgba(255,255,255,0.85)",
            name=e["event_id"],
        )


def key_annotations(
    missiles: pd.DataFrame, nuclear_tests: pd.DataFrame, events: pd.DataFrame, start=None, end=None
) -> list[dict]:
    """The events the timeline labels, computed from the data: the Trump-Kim summits, the largest nuclear test,
    the first ICBM flight and the last launch before the longest pause in the range. Each: lane, date, text, hover."""
    out = []
    key = events[
        (events["kind"].astype(str) == KEY_KIND)
        & events["trump_kim"].fillna(False).astype(bool)
        & _in_range(events["start_date"], start, end)
    ]
    for _, e in key.sort_values("start_date", kind="stable").iterrows():
        out.append(
            dict(
                lane=LANE_DIPLOMACY,
                date=e["start_date"],
                key=e["event_id"],
                text=f"{html.escape(stats.place(e))} {html.escape(stats.kind_word(e))}<br>{_d(e['start_date'])}",
            )
        )
    nt = nuclear_tests[_in_range(nuclear_tests["date_kst"], start, end)]
    if not nt.empty:
        big = nt.loc[nt["mb"].idxmax()]
        out.append(
            dict(
                lane=LANE_NUCLEAR,
                date=big["date_kst"],
                key=big["test_id"],
                text=f"Largest nuclear test<br>{_d(big['date_kst'])} (mb {big['mb']:.1f})",
            )
        )
    first = metrics.first_flight(missiles, "ICBM")
    if first is not None:
        out.append(
            dict(
                lane="ICBM",
                date=first["date_kst"],
                key="first-icbm",
                text=f"First ICBM flight<br>{first['missile_name']}, {_d(first['date_kst'])}",
            )
        )
    gaps = metrics.testing_gaps(missiles, top=1)
    if not gaps.empty and gaps["days"].iloc[0] >= PAUSE_MIN_DAYS:
        g = gaps.iloc[0]
        last = missiles[missiles["date_kst"] == g["last_launch"]].iloc[0]
        out.append(
            dict(
                lane=str(last["missile_class"]),
                date=g["last_launch"],
                key="pause-start",
                text=f"{last['missile_name']}, {_d(g['last_launch'])}:<br>last launch for {g['days']} days",
            )
        )
    return out


def timeline(
    missiles: pd.DataFrame,
    nuclear_tests: pd.DataFrame,
    events: pd.DataFrame,
    sanctions: pd.DataFrame,
    start=None,
    end=None,
    cns_threshold_only: bool = True,
) -> go.Figure:
    """The signature chart: one lane per missile class (a marker per class and launch day, sized by missiles),
    then nuclear tests, Security Council sanctions resolutions and vetoed drafts (Panel of Experts renewals left
    out), and diplomatic events coloured by kind. Trump-Kim meetings get vertical guides; key events are labelled;
    the longest pause in launches (a year or more) is shaded."""
    m = missiles[_in_range(missiles["date_kst"], start, end)]
    x0 = pd.Timestamp(start) if start is not None else m["date_kst"].min()
    if end is not None:
        x1 = pd.Timestamp(end)
    else:  # up to the latest dated row of any table
        x1 = max(
            [
                d.max()
                for d in (m["date_kst"], nuclear_tests["date_kst"], events["start_date"], sanctions["date"])
                if not d.empty and pd.notna(d.max())
            ],
            default=pd.NaT,
        )
    if pd.isna(x0):
        x0 = x1
    if pd.isna(x1):
        raise ValueError("timeline: nothing to draw (no dated rows and no start/end)")
    ev = events[_in_range(events["start_date"], x0, x1)].sort_values("start_date", kind="stable")
    nt = nuclear_tests[_in_range(nuclear_tests["date_kst"], x0, x1)]
    sc = sanctions[_in_range(sanctions["date"], x0, x1)]
    sc = sc[(sc["kind"].astype(str) == "sanctions") | (sc["action"].astype(str) == "vetoed")]

    classes = [c for c in metrics.classes() if (m["missile_class"] == c).any()]
    lanes = [LANE_DIPLOMACY, LANE_UNSC, LANE_NUCLEAR] + classes
    fig = go.Figure()

    # Missiles: one marker per launch day and class.
    if not m.empty:
        agg = (
            m.assign(missile_class=m["missile_class"].astype(str))
            .groupby(["date_kst", "missile_class"])
            .agg(
                n=("date_kst", "size"),
                names=("missile_name", lambda s: ", ".join(dict.fromkeys(s.astype(str)))),
                outcomes=("outcome", lambda s: ", ".join(f"{k} {v}" for k, v in s.astype(str).value_counts().items())),
            )
            .reset_index()
        )
        for cls in classes:
            a = agg[agg["missile_class"] == cls]
            fig.add_scatter(
                x=a["date_kst"],
                y=[cls] * len(a),
                mode="markers",
                name=cls,
                showlegend=False,
                marker=dict(
                    color=theme.class_color(cls), size=(7 + 3.2 * np.sqrt(a["n"])).round(1).tolist(), opacity=0.9
                ),
                customdata=np.stack(
                    [a["date_kst"].dt.strftime("%Y-%m-%d"), a["n"], a["names"].map(_wrap), a["outcomes"]], axis=1
                ),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} "
                + cls
                + "(s): %{customdata[2]}<br>Outcome: %{customdata[3]}<extra></extra>",
            )
    # Nuclear tests.
    if not nt.empty:
        fig.add_scatter(
            x=nt["date_kst"],
            y=[LANE_NUCLEAR] * len(nt),
            mode="markers",
            name="Nuclear test",
            legendgroup="tests-un",
            marker=dict(symbol="star", size=(6 + 3 * (nt["mb"] - 3)).round(1).tolist(), color=theme.NUCLEAR_COLOR),
            customdata=np.stack(
                [
                    nt["test_id"],
                    nt["date_kst"].dt.strftime("%Y-%m-%d"),
                    nt["mb"].map("{:.1f}".format),
                    [f"{lo:g}–{hi:g}" for lo, hi in zip(nt["yield_kt_low"], nt["yield_kt_high"])],
                    nt["dprk_claim"].map(_wrap),
                ],
                axis=1,
            ),
            hovertemplate="<b>Nuclear test %{customdata[1]}</b><br>Magnitude mb %{customdata[2]}, "
            "yield %{customdata[3]} kt<br>%{customdata[4]}<extra></extra>",
        )
    # Security Council.
    for action, name, symbol, color in (
        ("adopted", "Sanctions resolution", "triangle-down", theme.SANCTIONS_COLOR),
        ("vetoed", "Vetoed draft", "x-thin-open", theme.VETO_COLOR),
    ):
        s = sc[sc["action"].astype(str) == action]
        if s.empty:
            continue
        label = [
            f"Resolution {int(r)}" if pd.notna(r) else f"Draft vetoed by {v}"
            for r, v in zip(s["resolution"], s["vetoed_by"].fillna("?"))
        ]
        fig.add_scatter(
            x=s["date"],
            y=[LANE_UNSC] * len(s),
            mode="markers",
            name=name,
            legendgroup="tests-un",
            marker=dict(symbol=symbol, size=12, color=color, line=dict(width=2, color=color)),
            customdata=np.stack(
                [
                    label,
                    s["date"].dt.strftime("%Y-%m-%d"),
                    s["measures"].map(_wrap),
                    s["trigger_test_ids"].fillna("none listed"),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}<br>"
            "Triggered by: %{customdata[3]}<extra></extra>",
        )
    # Diplomacy, one trace per kind (the data's vocabulary, in its order): a symbol per kind, filled for Trump-Kim events.
    for kind in _vocabulary(ev["kind"]):
        e = ev[ev["kind"].astype(str) == kind]
        if e.empty:
            continue
        tk = e["trump_kim"].fillna(False).astype(bool)
        dates = [_d(a) if a == b else f"{_d(a)} to {_d(b)}" for a, b in zip(e["start_date"], e["end_date"])]
        label = theme.EVENT_KIND_LABELS.get(kind, kind).capitalize()
        color = theme.kind_color(kind)
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=label,
            legendgroup=kind,
            showlegend=True,
            marker=dict(symbol=theme.kind_symbol(kind), size=11, color=color),
            hoverinfo="skip",
        )
        fig.add_scatter(
            x=e["start_date"],
            y=[LANE_DIPLOMACY] * len(e),
            mode="markers",
            name=label,
            legendgroup=kind,
            showlegend=False,
            marker=dict(
                symbol=[theme.kind_symbol(kind, t) for t in tk],
                size=np.where(tk, 13, 10).tolist(),
                color=color,
                line=dict(width=1.5, color=color),
            ),
            customdata=np.stack(
                [
                    e["title"].map(_wrap),
                    dates,
                    e["parties"].str.replace(";", ", "),
                    e["outcome"].map(_wrap),
                    np.where(tk, "Trump–Kim", ""),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]} %{customdata[4]}"
            "<br>%{customdata[3]}<extra></extra>",
        )

    # Guides for the key meetings, labelled at the top; the longest pause shaded and labelled inside its band.
    annotations = key_annotations(m, nt, ev, x0, x1)
    for a in annotations:
        if a["lane"] == LANE_DIPLOMACY:
            fig.add_vline(x=a["date"], line=dict(color=theme.INK, width=1, dash="dot"), layer="below")
    _shade_pause(
        fig,
        m,
        "<b>Pause</b>: no launch<br>for {days} days",
        y=classes[-1] if classes else LANE_NUCLEAR,
        yshift=-LANE_PX * 0.05,
    )
    # Labels sit in two rows above the lanes, fanned out sideways, with a leader line to their marker.
    n = len(lanes)
    rows_y = (n - 0.3 + 0.75, n - 0.3 + 1.75)
    lo, hi = x0 - pd.Timedelta(days=20), x1 + pd.Timedelta(days=20)
    span = (hi - lo).total_seconds()
    ordered = sorted(annotations, key=lambda a: a["date"])
    for i, (a, frac) in enumerate(zip(ordered, _fan([(a["date"] - lo).total_seconds() / span for a in ordered]))):
        fig.add_annotation(
            x=a["date"],
            y=a["lane"],
            text=a["text"],
            showarrow=True,
            arrowhead=0,
            standoff=7,
            axref="x",
            ayref="y",
            ax=lo + pd.Timedelta(seconds=frac * span),
            ay=rows_y[i % 2],
            bgcolor="rgba(255,255,255,0.9)",
            align="center",
            name=a["key"],
            font=dict(size=11),
        )
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=-0.1,
        yanchor="top",
        xanchor="left",
        showarrow=False,
        align="left",
        font=dict(size=12, color=theme.MUTED_INK),
        name="caption",
        text="Marker area: missiles of that class launched that day. Diplomacy: a symbol per kind, filled for Trump–Kim "
        "events, open for the rest.<br>Dotted lines: Trump–Kim summits. Grey band: the longest spell without a launch in the "
        "range. Hover any marker for details.",
    )

    what = _what(cns_threshold_only)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed(lanes)),
        range=[-0.7, len(lanes) - 0.3],
        title=None,
        showgrid=True,
        fixedrange=True,
    )
    pad = max(pd.Timedelta(days=20), (x1 - x0) * 0.02)  # the widest markers at the ends stay whole
    fig.update_xaxes(
        range=[x0 - pad, x1 + pad],
        title="Date (launches and tests: Korean calendar)",
    )
    fig.update_layout(
        legend=dict(orientation="v", x=1.01, y=1, groupclick="toggleitem"),
        margin=dict(r=190, t=70 + 2.3 * LANE_PX, b=110),
    )
    text = (
        f"{len(m)} missiles on {metrics.launch_days(m)} launch days in {len(classes)} class lanes, {len(nt)} nuclear tests, "
        f"{len(sc)} Security Council actions and {len(ev)} diplomatic events, {_d(x0)} to {_d(x1)}. Labelled: "
        + "; ".join(_plain(a["text"]) for a in ordered)
        + "."
    )
    # Phones: the lanes stay; the fanned labels and the caption give way to the summits' places, stacked above the
    # plot over their dotted lines (hover still tells each marker).
    keep = [a.to_plotly_json() for a in fig.layout.annotations if a.name == "pause-label"]
    summits = [a for a in ordered if a["lane"] == LANE_DIPLOMACY]
    keep += [
        dict(
            x=a["date"],
            y=1.0,
            yref="paper",
            yanchor="bottom",
            yshift=16 * (i % 3),
            showarrow=False,
            text=html.escape(stats.place(ev[ev["event_id"] == a["key"]].iloc[0])),
            font=dict(size=11),
            bgcolor="rgba(255,255,255,0.85)",
            name=a["key"],
        )
        for i, a in enumerate(summits)
    ]
    return _base(
        fig,
        f"{what}, nuclear tests, UN sanctions and diplomacy, {_d(x0)} to {_d(x1)}",
        height=int(70 + 2.3 * LANE_PX + 110 + LANE_PX * (len(lanes) + 0.4)),
        summary=text,
        narrow=dict(
            annotations=keep,
            margin=dict(t=110 + 16 * min(3, len(summits)), l=110),
            shapes=[sh.to_plotly_json() for sh in fig.layout.shapes],
            height=int(200 + 38 * len(lanes) + 260),
        ),
    )


def _fan(fracs: list[float], gap: float = 0.12, lo: float = 0.06, hi: float = 0.94) -> list[float]:
    """Label positions (fractions of the axis) for markers at `fracs` (sorted): at least `gap` apart, each crowded
    run centred on its markers, all within [lo, hi]."""
    out: list[float] = []
    runs: list[list[int]] = []
    for i, f in enumerate(fracs):
        if out and f < out[-1] + gap:
            out.append(out[-1] + gap)
            runs[-1].append(i)
        else:
            out.append(f)
            runs.append([i])
    for run in runs:  # centre a crowded run on its markers
        shift = sum(out[i] - fracs[i] for i in run) / len(run)
        for i in run:
            out[i] -= shift
    for i in range(len(out)):  # re-impose the gaps and the edges
        floor = lo if i == 0 else out[i - 1] + gap
        out[i] = max(out[i], floor)
    over = out[-1] - hi if out else 0
    if over > 0:
        out = [v - over for v in out]
    return [min(max(v, lo), hi) for v in out]


# ------------------------------------------------------------------------------------------------
# Notebook 2: event window
# ------------------------------------------------------------------------------------------------


def window_chart(
    win: metrics.Window, rows: pd.DataFrame, events: pd.DataFrame | None = None, cns_threshold_only: bool = True
) -> go.Figure:
    """Each launch day in the two windows as a marker (height: missiles that day, colour: class), the windows
    shaded, the event as a band; other Trump-Kim events in the span in a lane of their own above the launches."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.13, 0.87], vertical_spacing=0.03)
    # Shapes by explicit reference: plotly's add_vrect(row=...) skips subplots that have no trace yet.
    for side, x0, x1, pos in (
        ("before", win.before[0], win.before[1], "left"),
        ("after", win.after[0], win.after[1], "right"),
    ):
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x1 + pd.Timedelta(days=1),
            xref="x2",
            y0=0,
            y1=1,
            yref="y2 domain",
            fillcolor=theme.WINDOW_COLORS[side],
            opacity=0.13,
            line_width=0,
            layer="below",
            name=side,
        )
        fig.add_annotation(
            x=x0 if pos == "left" else x1,
            xref="x2",
            y=1,
            yref="y2 domain",
            xanchor=pos,
            yanchor="top",
            showarrow=False,
            font=dict(size=13),
            name=f"{side}-counts",
            text=f"{side.capitalize()}: {getattr(win, side + '_days')} launch days, {getattr(win, side + '_missiles')} missiles",
        )
    fig.add_shape(
        type="rect",
        x0=win.start,
        x1=win.end + pd.Timedelta(days=1),
        xref="x2",
        y0=0,
        y1=1,
        yref="paper",
        fillcolor=theme.INK,
        opacity=0.7,
        line=dict(color=theme.INK, width=1.5),
        name="event",
    )
    ymax = 1
    if not rows.empty:
        agg = (
            rows.assign(missile_class=rows["missile_class"].astype(str))
            .groupby(["date_kst", "missile_class"])
            .agg(
                n=("date_kst", "size"),
                names=("missile_name", lambda s: ", ".join(dict.fromkeys(s.astype(str)))),
                window=("window", "first"),
                rel=("days_from_event", "first"),
            )
            .reset_index()
        )
        ymax = max(1, int(agg.groupby("date_kst")["n"].sum().max()))
        for cls in [c for c in metrics.classes() if (agg["missile_class"] == c).any()]:
            a = agg[agg["missile_class"] == cls]
            fig.add_scatter(
                x=a["date_kst"],
                y=a["n"],
                mode="markers",
                name=cls,
                marker=dict(color=theme.class_color(cls), size=11),
                customdata=np.stack(
                    [
                        a["date_kst"].dt.strftime("%Y-%m-%d"),
                        a["names"].map(_wrap),
                        a["window"],
                        a["rel"].map(lambda d: f"{abs(d)} days {'before' if d < 0 else 'after'}" if d else "during"),
                    ],
                    axis=1,
                ),
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[3]})<br>%{y} "
                + cls
                + "(s): %{customdata[1]}<extra></extra>",
                row=2,
                col=1,
            )
    if rows.empty:  # an axis with no trace draws nothing: the windows need one, even with no launch in them
        fig.add_scatter(
            x=[win.before[0], win.after[1]],
            y=[0, 0],
            mode="lines",
            line=dict(width=0),
            hoverinfo="skip",
            showlegend=False,
            row=2,
            col=1,
        )
    others = 0
    if events is not None and not events.empty:
        e = events[
            (events["start_date"] >= win.before[0])
            & (events["start_date"] <= win.after[1])
            & events["trump_kim"].fillna(False).astype(bool)
            & (events["event_id"] != win.event_id)
        ]
        others = len(e)
        for kind in [k for k in _vocabulary(e["kind"]) if (e["kind"].astype(str) == k).any()]:
            k = e[e["kind"].astype(str) == kind]
            fig.add_scatter(
                x=k["start_date"],
                y=["Other Trump–Kim events"] * len(k),
                mode="markers",
                name=f"Trump–Kim {theme.EVENT_KIND_LABELS.get(kind, kind)}",
                marker=dict(symbol=theme.kind_symbol(kind), size=12, color=theme.kind_color(kind)),
                customdata=np.stack([k["title"].map(_wrap), k["start_date"].dt.strftime("%Y-%m-%d")], axis=1),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} (" + kind + ")<extra></extra>",
                row=1,
                col=1,
            )
    fig.add_annotation(
        x=win.start,
        y=ymax * 1.12 + 0.6,
        text=f"<b>{html.escape(win.title)}</b><br>{_d(win.start)}",
        showarrow=False,
        yanchor="bottom",
        bgcolor="rgba(255,255,255,0.9)",
        name="event",
        row=2,
        col=1,
    )
    fig.update_yaxes(
        range=[0, ymax * 1.35 + 1.2], dtick=1 if ymax <= 4 else None, title="Missiles launched that day", row=2, col=1
    )
    fig.update_yaxes(showticklabels=True, fixedrange=True, showgrid=False, row=1, col=1)
    fig.update_xaxes(range=[win.before[0] - pd.Timedelta(days=3), win.after[1] + pd.Timedelta(days=3)])
    fig.update_xaxes(title="Launch date (Korean calendar)", row=2, col=1)
    fig.update_layout(legend=dict(orientation="h", y=-0.2, x=0))
    summary = (
        f"{win.window_days} days before the event, {win.before_days} launch days ({win.before_missiles} missiles); "
        f"{win.window_days} days after, {win.after_days} launch days ({win.after_missiles} missiles)."
        + (f" {others} other Trump–Kim events fall in the span." if others else "")
    )
    # Phones: the counts on three lines each, no event label (the title names it), short lane and axis titles.
    narrow_notes = [
        dict(a.to_plotly_json(), text=a.text.replace(": ", ":<br>").replace(", ", "<br>"))
        for a in fig.layout.annotations
        if a.name in ("before-counts", "after-counts")
    ]
    hit = events[events["event_id"] == win.event_id] if events is not None else pd.DataFrame()
    name = stats.event_name(hit.iloc[0]) if not hit.empty else win.title
    return _base(
        fig,
        f"{_what(cns_threshold_only)} {win.window_days} days before and after {html.escape(name)}",
        height=520,
        summary=summary,
        narrow=dict(
            annotations=narrow_notes,
            yaxis=dict(ticktext=["Other<br>events"], tickvals=["Other Trump–Kim events"]),
            yaxis2=dict(title=dict(text="Missiles that day"), range=[0, ymax * 1.8 + 1.5]),
        ),
    )


def _one_in_tick(score: float) -> str:
    if score == 0:
        return "even"
    return f"1 in {10 ** abs(score):,.0f}"


def calibration_chart(
    bins: pd.DataFrame,
    marks: pd.DataFrame,
    window_days: int,
    since: str,
    highlight: str | None = None,
) -> go.Figure:
    """How lopsided each event's split is, against every comparable date (summit_tests.picture): below, the share
    of reference dates at each signed score (the most lopsided 5% in the accent colour); above, one lane per event
    with its score. The axis reads as the textbook chance of a split at least that lopsided, more launch days after
    to the right. `highlight` (an event_id) draws the other events muted."""
    lane_px, bars_px = 34 * len(marks), 240
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[lane_px, bars_px], vertical_spacing=40 / (lane_px + bars_px)
    )
    centre = (bins["low"] + bins["high"]) / 2
    colour = np.where(bins["tail"], theme.WINDOW_COLORS["after"], theme.NEUTRAL_BAR)
    fig.add_bar(
        x=centre,
        y=100 * bins["share"],
        width=bins["high"] - bins["low"],
        marker=dict(color=colour, line=dict(width=0)),
        name="Comparable dates",
        customdata=np.stack([bins["low"].map(_one_in_tick), 100 * bins["share"]], axis=1),
        hovertemplate="%{customdata[1]:.1f}% of comparable dates<extra></extra>",
        row=2,
        col=1,
    )
    lanes = list(reversed(marks["short"].tolist()))
    for tested, symbol in ((True, "circle"), (False, "circle-open")):
        m = marks[marks["testable"] == tested]
        if m.empty:
            continue
        muted = (m["event_id"] != highlight) if highlight else pd.Series(False, index=m.index)
        fig.add_scatter(
            x=m["score"] if tested else np.zeros(len(m)),
            y=m["short"],
            mode="markers",
            name="Events" if tested else "Not testable (no launch day either side)",
            marker=dict(
                symbol=symbol,
                size=14,
                color=[theme.MUTED_INK if x else theme.INK for x in muted],
                line=dict(width=2, color=[theme.MUTED_INK if x else theme.INK for x in muted]),
                opacity=[0.45 if x else 1 for x in muted],
            ),
            customdata=np.stack([m["event"].map(_wrap), m["before"], m["after"]], axis=1),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} launch days before, %{customdata[2]} after<extra></extra>",
            row=1,
            col=1,
        )
    top = float(max(bins["high"].abs().max(), bins["low"].abs().max()))
    ticks = [t for t in range(-int(top), int(top) + 1)]
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=[_one_in_tick(t) for t in ticks],
        range=[-top - 0.3, top + 0.3],  # room for a dot at the edge
        zeroline=True,
        zerolinecolor=theme.MUTED_INK,
    )
    fig.update_xaxes(
        title=dict(
            text="← more launch days before · more after →<br>textbook chance of a split at least this lopsided"
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=lanes, showgrid=False, fixedrange=True, automargin=True, row=1, col=1
    )
    fig.update_yaxes(title=dict(text="Comparable dates (%)"), fixedrange=True, row=2, col=1)
    threshold = float(bins.loc[bins["tail"], "low"].abs().min()) if bins["tail"].any() else top
    summary = (
        f"{len(marks)} events at {window_days}-day windows against every comparable date since {since}. The most "
        f"lopsided 5% of those dates lie beyond a textbook chance of about {_one_in_tick(threshold)}. "
        + " ".join(
            f"{summit_words.capital(r['event'])}: {summit_words.launch_days(r['before'])} before, {r['after']} after"
            + (f", {summit_words.p_short(r)} of comparable dates as lopsided." if r["testable"] else ", not testable.")
            for _, r in marks.iterrows()
        )
    )
    return _base(
        fig,
        f"Each split against every comparable date since {since} ({window_days}-day windows)",
        height=lane_px + bars_px + 220,
        summary=summary,
        margin=dict(t=70, b=110),
        showlegend=False,
        narrow=dict(
            xaxis2=dict(
                title=dict(text="← more before · more after →<br>textbook chance"),
                tickvals=[t for t in ticks if t % 2 == 0],
                ticktext=[_one_in_tick(t) for t in ticks if t % 2 == 0],
            ),
            yaxis=dict(tickfont=dict(size=11)),
        ),
    )


# ------------------------------------------------------------------------------------------------
# Notebook 3: capabilities
# ------------------------------------------------------------------------------------------------

_MEASURES = {
    "max_apogee_km": ("Highest apogee", "Apogee (km, log scale)"),
    "max_distance_km": ("Longest distance flown", "Distance flown (km, log scale)"),
}


def capability_chart(progression: pd.DataFrame, measure: str = "max_apogee_km") -> go.Figure:
    """Per class, the year's highest reported apogee or longest distance (metrics.capability_progression): dots, no
    lines, so nothing is drawn across years without a launch or a reported value."""
    if measure not in _MEASURES:
        raise ValueError(f"measure: {measure!r} is not one of: {', '.join(_MEASURES)}")
    head, axis = _MEASURES[measure]
    fig = go.Figure()
    for cls in metrics.classes():
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
    _log_ticks(fig, progression[measure])
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
    return _base(
        fig,
        f"{head} reported each year, by missile class",
        height=460,
        summary=text,
        narrow=dict(height=560, legend=dict(orientation="h", x=0, y=-0.25, yanchor="top", title=dict(text=""))),
    )


def progression_chart(progression: pd.DataFrame, missile_class: str = "ICBM") -> go.Figure:
    """Every flight of a class with a reported apogee (metrics.class_progression); the running record as a step
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
            f"{len(p)} {missile_class} flights with a reported apogee, {_d(p['date_kst'].min())} to {_d(p['date_kst'].max())}; "
            f"{int(p['apogee_record'].sum())} set a new record, the highest {top['apogee_km']:,.0f} km ({top['missile_name']}, "
            f"{_d(top['date_kst'])})."
        )
    return _base(fig, f"{missile_class} flights: apogee reached{note}", height=460, summary=text)


def sites_map(sites: pd.DataFrame, nuclear_tests: pd.DataFrame | None = None) -> go.Figure:
    """Launch sites (metrics.launch_sites) on a map of the Korean peninsula: one marker per site and class, area
    proportional to missiles. Uses plotly's built-in world outlines at 1:110m (the exporter supplies them offline)."""
    fig = go.Figure()
    for cls in metrics.classes():
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
                line=dict(width=0.6, color="#333333"),
            ),
            customdata=np.stack(
                [
                    s["facility"].map(_wrap),
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
    if nuclear_tests is not None and not nuclear_tests.empty:
        n = nuclear_tests
        fig.add_scattergeo(
            lat=[n["latitude"].mean()],
            lon=[n["longitude"].mean()],
            mode="markers",
            name="Nuclear test site",
            marker=dict(symbol="star", size=16, color=theme.NUCLEAR_COLOR, line=dict(width=0.8, color="#333333")),
            hovertemplate=f"<b>{html.escape(str(n['site'].iloc[0]))}</b><br>{len(n)} nuclear tests, "
            f"{_d(n['date_kst'].min())} to {_d(n['date_kst'].max())}<extra></extra>",
        )
    fig.update_geos(
        resolution=110,
        projection_type="mercator",
        lonaxis_range=[116, 140],
        lataxis_range=[33, 44],
        showcoastlines=True,
        coastlinecolor="#555555",
        showland=True,
        landcolor="#F3F1EC",
        showocean=True,
        oceancolor="#EAF2F8",
        showcountries=True,
        countrycolor="#888888",
        showframe=True,
        framecolor="#BBBBBB",
        showlakes=False,
    )
    fig.update_layout(
        legend=dict(title="Class<br>(marker area:<br>missiles)", x=1.0, xanchor="left", y=0.98),
        margin=dict(l=10, r=10, t=70, b=10),
    )
    if sites.empty:
        text = "No launch site with known coordinates in the selection."
    else:
        per = sites.groupby("facility", observed=True)["missiles"].sum().sort_values(ascending=False)
        text = (
            f"{sites['facility'].nunique()} launch sites with known coordinates, {int(per.sum())} missiles. Most used: "
            + "; ".join(f"{f} ({n} missiles)" for f, n in per.head(3).items())
            + "."
        )
    return _base(
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


# ------------------------------------------------------------------------------------------------
# Notebook 4: nuclear tests and sanctions
# ------------------------------------------------------------------------------------------------


def nuclear_chart(summary: pd.DataFrame, claims: pd.Series | None = None) -> go.Figure:
    """Two panels per test (metrics.nuclear_summary): the USGS body-wave magnitude as a dot on a magnitude axis (it
    is logarithmic, so no bar from zero), and the published yield range (bar from low to high estimate, log scale;
    dot at the geometric midpoint)."""
    labels = summary["date_kst"].dt.strftime("%Y-%m-%d").tolist()
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=("Body-wave magnitude (mb, USGS)", "Published yield range (kt, log scale)"),
    )
    ranges = [f"{lo:g}–{hi:g} kt" for lo, hi in zip(summary["yield_kt_low"], summary["yield_kt_high"])]
    cd = np.stack([summary["test_id"], summary["mb"].map("{:.1f}".format), ranges], axis=1)
    # mb is logarithmic: dots on a magnitude axis, not bars from zero.
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
    if not summary.empty:
        lo, hi = float(summary["mb"].min()), float(summary["mb"].max())
        fig.update_yaxes(
            title="Magnitude (mb)",
            range=[math.floor(lo * 2) / 2 - 0.25, math.ceil(hi * 2) / 2 + 0.35],
            dtick=0.5,
            row=1,
            col=1,
        )
    _log_ticks(fig, pd.concat([summary["yield_kt_low"], summary["yield_kt_high"]]), row=1, col=2)
    fig.update_yaxes(title="kilotons (log scale)", row=1, col=2)
    fig.update_xaxes(title="Test date (Korean calendar)", type="category")
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=-0.3,
        yanchor="top",
        xanchor="left",
        showarrow=False,
        align="left",
        font=dict(size=12, color=theme.MUTED_INK),
        name="note",
        text="Magnitude is logarithmic: one unit of mb is roughly 30 times the energy released.",
    )
    if summary.empty:
        text = "No nuclear tests in the selection."
    else:
        big = summary.loc[summary["mb"].idxmax()]
        text = (
            f"{len(summary)} nuclear tests, {labels[0]} to {labels[-1]}; magnitudes from mb {lo:.1f} to {hi:.1f}. The largest, "
            f"{_d(big['date_kst'])} (mb {hi:.1f}), has a published yield of {big['yield_kt_low']:g} to {big['yield_kt_high']:g} kt."
        )
    return _base(
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
    )


def resolution_chart(pairs: pd.DataFrame) -> go.Figure:
    """Days from each test to the Security Council vote it triggered (metrics.days_to_resolution), one bar per
    (test, vote); nuclear tests in vermillion, missile launches in teal; vetoed drafts hatched."""
    fig = go.Figure()
    p = pairs.copy()
    p["label"] = [
        f"{_d(d)} {'nuclear test' if k == 'nuclear test' else _wrap(w, 30).split('<br>')[0]}"
        f" → {sid.replace('S/RES/', 'Res. ')}"
        for d, k, w, sid in zip(p["test_date_utc"], p["trigger_kind"], p["what"], p["sanction_id"])
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
                        q["test_date_utc"].dt.strftime("%Y-%m-%d"),
                        q["sanction_id"],
                        q["vote_date"].dt.strftime("%Y-%m-%d"),
                        q["what"].map(_wrap),
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
    return _base(
        fig,
        "How long the Security Council took to respond",
        height=max(320, 120 + 30 * len(p)),
        summary=text,
        narrow=dict(
            height=max(360, 150 + 44 * len(p)),
            yaxis=dict(tickvals=order, ticktext=[label.replace(" ", "<br>", 1) for label in order]),
            xaxis=dict(range=[0, longest * 1.45], title=dict(text="Days from the test (UTC)<br>to the vote")),
        ),
    )
