"""The signature timeline (notebook 01): one lane per missile class, then nuclear tests, the Security Council and
three diplomacy lanes (summits and agreements, meetings and talks, words), with the key events labelled above the
plot. One builder per lane, then the labels, then the layout."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import fmt
from analysis.data import names
from analysis.measures import counts
from analysis.measures.launches import launches_by_day
from analysis.pages import theme
from analysis.pages.charts.base import (
    PAUSE_MIN_DAYS,
    finish,
    in_range,
    note,
    plain,
    selection_words,
    shade_pause,
    source_line,
    stack_rows,
    trump_kim_summits,
    vocabulary,
    wrap,
)

# Diplomacy in three lanes by weight (the inks of analysis.pages.theme), so the busy 2017-19 years stay legible.
DIPLOMACY_LANES: dict[str, tuple[str, ...]] = {
    "Summits, agreements": ("summit", "agreement", "withdrawal"),
    "Meetings, talks": ("meeting", "talks", "exercise"),
    "Letters, statements": ("intent_to_meet", "letter", "statement", "other"),
}
LANE_DIPLOMACY = next(iter(DIPLOMACY_LANES))  # where the summits are
LANE_UNSC = "UN Security Council"
LANE_NUCLEAR = "Nuclear tests"
LANE_PX = 44  # height of one timeline lane, px
LABEL_ROW_PX = 32  # height of one row of key-event labels above the lanes, px
# The plot area's width at a laptop's page width (narrower pages get the narrow layout): labels are packed for it.
PLOT_PX = 640
CHAR_PX = 6.2  # a character of the labels' 11 px font, on average


def key_annotations(
    missiles: pd.DataFrame, nuclear_tests: pd.DataFrame, events: pd.DataFrame, start=None, end=None
) -> list[dict]:
    """The events the timeline labels, computed from the data: the Trump-Kim summits, the largest nuclear test,
    the first ICBM flight and the last launch before the longest pause in the range. Each: lane, date, text, hover."""
    out = []
    for _, e in trump_kim_summits(events, start, end).iterrows():
        out.append(
            dict(
                lane=LANE_DIPLOMACY,
                date=e["start_date"],
                key=e["event_id"],
                text=f"{html.escape(names.place(e))} {html.escape(names.kind_word(e))}<br>{fmt.iso_day(e['start_date'])}",
            )
        )
    nt = nuclear_tests[in_range(nuclear_tests["date_kst"], start, end)]
    if not nt.empty:
        big = nt.loc[nt["mb"].idxmax()]
        out.append(
            dict(
                lane=LANE_NUCLEAR,
                date=big["date_kst"],
                key=big["test_id"],
                text=f"Largest nuclear test<br>{fmt.iso_day(big['date_kst'])} (mb {big['mb']:.1f})",
            )
        )
    first = counts.first_flight(missiles, "ICBM")
    if first is not None:
        out.append(
            dict(
                lane="ICBM",
                date=first["date_kst"],
                key="first-icbm",
                text=f"First ICBM flight<br>{first['missile_name']}, {fmt.iso_day(first['date_kst'])}",
            )
        )
    gaps = counts.testing_gaps(missiles, top=1)
    if not gaps.empty and gaps["days"].iloc[0] >= PAUSE_MIN_DAYS:
        g = gaps.iloc[0]
        last = missiles[missiles["date_kst"] == g["last_launch"]].iloc[0]
        out.append(
            dict(
                lane=str(last["missile_class"]),
                date=g["last_launch"],
                key="pause-start",
                text=f"{last['missile_name']}, {fmt.iso_day(g['last_launch'])}:<br>last launch for {g['days']} days",
            )
        )
    return out


def _span(missiles, nuclear_tests, events, sanctions, start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From `start` (or the first launch) to `end` (or the latest dated row of any table)."""
    x0 = pd.Timestamp(start) if start is not None else missiles["date_kst"].min()
    if end is not None:
        x1 = pd.Timestamp(end)
    else:
        x1 = max(
            [
                d.max()
                for d in (missiles["date_kst"], nuclear_tests["date_kst"], events["start_date"], sanctions["date"])
                if not d.empty and pd.notna(d.max())
            ],
            default=pd.NaT,
        )
    if pd.isna(x0):
        x0 = x1
    if pd.isna(x1):
        raise ValueError("timeline: nothing to draw (no dated rows and no start/end)")
    return x0, x1


def _missile_lanes(fig: go.Figure, missiles: pd.DataFrame, classes: list[str]) -> None:
    """One marker per launch day and class, its area the missiles of that class that day."""
    if missiles.empty:
        return
    days = launches_by_day(missiles, by_class=True)
    for cls in classes:
        a = days[days["missile_class"] == cls]
        outcomes = a["outcomes"].map(lambda pairs: ", ".join(f"{k} {v}" for k, v in pairs))
        fig.add_scatter(
            x=a["date_kst"],
            y=[cls] * len(a),
            mode="markers",
            name=cls,
            showlegend=False,
            marker=dict(
                color=theme.class_color(cls), size=(7 + 3.2 * np.sqrt(a["missiles"])).round(1).tolist(), opacity=0.9
            ),
            customdata=np.stack(
                [
                    a["date_kst"].dt.strftime("%Y-%m-%d"),
                    a["missiles"],
                    a["names"].map(lambda n: wrap(", ".join(n))),
                    outcomes,
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} "
            + cls
            + "(s): %{customdata[2]}<br>Outcome: %{customdata[3]}<extra></extra>",
        )


def _nuclear_lane(fig: go.Figure, nt: pd.DataFrame) -> None:
    if nt.empty:
        return
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
                nt["dprk_claim"].map(wrap),
            ],
            axis=1,
        ),
        hovertemplate="<b>Nuclear test %{customdata[1]}</b><br>Magnitude mb %{customdata[2]}, "
        "yield %{customdata[3]} kt<br>%{customdata[4]}<extra></extra>",
    )


def _unsc_lane(fig: go.Figure, sc: pd.DataFrame) -> None:
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
                    s["measures"].map(wrap),
                    s["trigger_test_ids"].fillna("none listed"),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}<br>"
            "Triggered by: %{customdata[3]}<extra></extra>",
        )


def _diplomacy_lane_of(kind: str) -> str:
    return next((lane for lane, kinds in DIPLOMACY_LANES.items() if kind in kinds), list(DIPLOMACY_LANES)[-1])


def _diplomacy_lane(fig: go.Figure, ev: pd.DataFrame) -> None:
    """One trace per kind (the data's vocabulary, in its order): a symbol per kind, filled for Trump-Kim events;
    a legend-only trace shows each kind's filled symbol."""
    for kind in vocabulary(ev["kind"]):
        e = ev[ev["kind"].astype(str) == kind]
        if e.empty:
            continue
        tk = e["trump_kim"].fillna(False).astype(bool)
        dates = [
            fmt.iso_day(a) if a == b else f"{fmt.iso_day(a)} to {fmt.iso_day(b)}"
            for a, b in zip(e["start_date"], e["end_date"])
        ]
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
            y=[_diplomacy_lane_of(kind)] * len(e),
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
                    e["title"].map(wrap),
                    dates,
                    e["parties"].str.replace(";", ", "),
                    e["outcome"].map(wrap),
                    np.where(tk, "Trump–Kim", ""),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]} %{customdata[4]}"
            "<br>%{customdata[3]}<extra></extra>",
        )


def _key_labels(fig: go.Figure, annotations: list[dict], n_lanes: int, x0, x1) -> tuple[list[dict], int]:
    """The key events' labels above the lanes, each box starting at its marker's date with a vertical leader line
    down to the marker, in as many rows as keep boxes and lines apart (`stack_rows`): vertical leaders never cross.
    Returns the labelled events in date order and the number of rows."""
    lo, hi = _x_range(x0, x1)
    span = (hi - lo).total_seconds()
    ordered = sorted(annotations, key=lambda a: a["date"])
    starts = [(a["date"] - lo).total_seconds() / span for a in ordered]
    widths = [(max(len(plain(line)) for line in a["text"].split("<br>")) * CHAR_PX + 12) / PLOT_PX for a in ordered]
    rows = stack_rows(starts, widths)
    for a, row in zip(ordered, rows):
        fig.add_annotation(
            x=a["date"],
            y=a["lane"],
            text=a["text"],
            showarrow=True,
            arrowhead=0,
            standoff=7,
            axref="x",
            ayref="y",
            ax=a["date"],
            ay=n_lanes - 0.3 + (0.6 + row) * LABEL_ROW_PX / LANE_PX,
            xanchor="left",
            bgcolor="rgba(255,255,255,0.9)",
            align="left",
            name=a["key"],
            font=dict(size=11),
        )
    return ordered, max(rows, default=-1) + 1


def _caption(fig: go.Figure) -> None:
    note(
        fig,
        "Marker area: missiles of that class launched that day. Diplomacy: a symbol per kind, filled for Trump–Kim "
        "events, open for the rest.<br>Dotted lines: Trump–Kim summits. Grey band: the longest spell without a launch in the "
        "range.",
        y=-0.1,
        name="caption",
    )


def _x_range(x0, x1) -> tuple[pd.Timestamp, pd.Timestamp]:
    pad = max(pd.Timedelta(days=20), (x1 - x0) * 0.02)  # the widest markers at the ends stay whole
    return x0 - pad, x1 + pad


def _layout(fig: go.Figure, lanes: list[str], x0, x1, label_rows: int) -> None:
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed(lanes)),
        range=[-0.7, len(lanes) - 0.3],
        title=None,
        showgrid=True,
        fixedrange=True,
    )
    fig.update_xaxes(
        range=list(_x_range(x0, x1)),
        title="Date (launches and tests: Korean calendar)",
    )
    fig.update_layout(
        legend=dict(orientation="v", x=1.01, y=1, groupclick="toggleitem"),
        margin=dict(r=190, t=_top(label_rows), b=110),
    )


def _top(label_rows: int) -> int:
    """The top margin: the title, then the rows of key-event labels."""
    return int(70 + LABEL_ROW_PX * (label_rows + 0.3))


def _narrow(fig: go.Figure, ordered: list[dict], ev: pd.DataFrame, lanes: list[str]) -> dict:
    """Phones: the lanes stay; the fanned labels and the caption give way to the summits' places, stacked above the
    plot over their dotted lines (hover still tells each marker)."""
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
            text=html.escape(names.place(ev[ev["event_id"] == a["key"]].iloc[0])),
            font=dict(size=11),
            bgcolor="rgba(255,255,255,0.85)",
            name=a["key"],
        )
        for i, a in enumerate(summits)
    ]
    return dict(
        annotations=keep,
        margin=dict(t=110 + 16 * min(3, len(summits)), l=110),
        shapes=[sh.to_plotly_json() for sh in fig.layout.shapes],
        height=int(200 + 38 * len(lanes) + 260),
    )


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
    m = missiles[in_range(missiles["date_kst"], start, end)]
    x0, x1 = _span(m, nuclear_tests, events, sanctions, start, end)
    ev = events[in_range(events["start_date"], x0, x1)].sort_values("start_date", kind="stable")
    nt = nuclear_tests[in_range(nuclear_tests["date_kst"], x0, x1)]
    sc = sanctions[in_range(sanctions["date"], x0, x1)]
    sc = sc[(sc["kind"].astype(str) == "sanctions") | (sc["action"].astype(str) == "vetoed")]
    classes = [c for c in counts.classes() if (m["missile_class"] == c).any()]
    lanes = [*DIPLOMACY_LANES, LANE_UNSC, LANE_NUCLEAR] + classes

    fig = go.Figure()
    _missile_lanes(fig, m, classes)
    _nuclear_lane(fig, nt)
    _unsc_lane(fig, sc)
    _diplomacy_lane(fig, ev)
    annotations = key_annotations(m, nt, ev, x0, x1)
    for a in annotations:  # guides for the key meetings
        if a["lane"] == LANE_DIPLOMACY:
            fig.add_vline(x=a["date"], line=dict(color=theme.INK, width=1, dash="dot"), layer="below")
    shade_pause(
        fig,
        m,
        "<b>Pause</b>: no launch<br>for {days} days",
        y=classes[-1] if classes else LANE_NUCLEAR,
        yshift=-LANE_PX * 0.05,
    )
    ordered, label_rows = _key_labels(fig, annotations, len(lanes), x0, x1)
    _caption(fig)
    _layout(fig, lanes, x0, x1, label_rows)
    text = (
        f"{len(m)} missiles on {counts.launch_days(m)} launch days in {len(classes)} class lanes, {len(nt)} nuclear tests, "
        f"{len(sc)} Security Council actions and {len(ev)} diplomatic events, {fmt.iso_day(x0)} to {fmt.iso_day(x1)}. Labelled: "
        + "; ".join(plain(a["text"]) for a in ordered)
        + "."
    )
    return finish(
        fig,
        f"{selection_words(cns_threshold_only)}, nuclear tests, UN sanctions and diplomacy, {fmt.iso_day(x0)} to {fmt.iso_day(x1)}",
        height=int(_top(label_rows) + 110 + LANE_PX * (len(lanes) + 0.4)),
        summary=text,
        narrow=_narrow(fig, ordered, ev, lanes),
        source=source_line(["missile_tests", "nuclear_tests", "sanctions", "diplomatic_events"]),
    )
