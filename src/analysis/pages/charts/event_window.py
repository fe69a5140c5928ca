"""The event-window charts (notebooks 02 and 07): launch days before and after one event, and every event's split
against North Korea's own testing calendar."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import fmt
from analysis.data import names
from analysis.measures import counts
from analysis.measures.launches import launches_by_day
from analysis.measures.windows import LaunchWindow
from analysis.pages import summit_words, theme
from analysis.pages.charts.base import finish, selection_words, source_line, vocabulary, wrap

OTHER_EVENTS = "Other Trump–Kim events"


def _windows(fig: go.Figure, win: LaunchWindow) -> None:
    """The two windows shaded with their counts, the event as a dark band. Shapes by explicit reference: plotly's
    add_vrect(row=...) skips subplots that have no trace yet."""
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


def _launch_markers(fig: go.Figure, win: LaunchWindow, rows: pd.DataFrame) -> int:
    """A marker per launch day and class, its height the missiles of that class that day. Returns the most missiles
    on one day (at least 1)."""
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
        return 1
    days = launches_by_day(rows, by_class=True)
    when = rows.drop_duplicates("date_kst").set_index("date_kst")
    days = days.assign(window=days["date_kst"].map(when["window"]), rel=days["date_kst"].map(when["days_from_event"]))
    for cls in [c for c in counts.classes() if (days["missile_class"] == c).any()]:
        a = days[days["missile_class"] == cls]
        fig.add_scatter(
            x=a["date_kst"],
            y=a["missiles"],
            mode="markers",
            name=cls,
            marker=dict(color=theme.class_color(cls), size=11),
            customdata=np.stack(
                [
                    a["date_kst"].dt.strftime("%Y-%m-%d"),
                    a["names"].map(lambda n: wrap(", ".join(n))),
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
    return max(1, int(days.groupby("date_kst")["missiles"].sum().max()))


def _other_events(fig: go.Figure, win: LaunchWindow, events: pd.DataFrame | None) -> int:
    """The other Trump-Kim events in the span, in a lane above the launches. Returns how many."""
    if events is None or events.empty:
        return 0
    e = events[
        (events["start_date"] >= win.before[0])
        & (events["start_date"] <= win.after[1])
        & events["trump_kim"].fillna(False).astype(bool)
        & (events["event_id"] != win.event_id)
    ]
    for kind in [k for k in vocabulary(e["kind"]) if (e["kind"].astype(str) == k).any()]:
        k = e[e["kind"].astype(str) == kind]
        fig.add_scatter(
            x=k["start_date"],
            y=[OTHER_EVENTS] * len(k),
            mode="markers",
            name=f"Trump–Kim {theme.EVENT_KIND_LABELS.get(kind, kind)}",
            marker=dict(symbol=theme.kind_symbol(kind), size=12, color=theme.kind_color(kind)),
            customdata=np.stack([k["title"].map(wrap), k["start_date"].dt.strftime("%Y-%m-%d")], axis=1),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} (" + kind + ")<extra></extra>",
            row=1,
            col=1,
        )
    return len(e)


def _window_layout(fig: go.Figure, win: LaunchWindow, ymax: int) -> None:
    fig.add_annotation(
        x=win.start,
        y=ymax * 1.12 + 0.6,
        text=f"<b>{html.escape(win.title)}</b><br>{fmt.iso_day(win.start)}",
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


def window_chart(
    win: LaunchWindow, rows: pd.DataFrame, events: pd.DataFrame | None = None, cns_threshold_only: bool = True
) -> go.Figure:
    """Each launch day in the two windows as a marker (height: missiles that day, colour: class), the windows
    shaded, the event as a band; other Trump-Kim events in the span in a lane of their own above the launches."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.13, 0.87], vertical_spacing=0.03)
    _windows(fig, win)
    ymax = _launch_markers(fig, win, rows)
    others = _other_events(fig, win, events)
    _window_layout(fig, win, ymax)
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
    name = names.event_name(hit.iloc[0]) if not hit.empty else win.title
    return finish(
        fig,
        f"{selection_words(cns_threshold_only)} {win.window_days} days before and after {html.escape(name)}",
        height=520,
        summary=summary,
        narrow=dict(
            annotations=narrow_notes,
            yaxis=dict(ticktext=["Other<br>events"], tickvals=[OTHER_EVENTS]),
            yaxis2=dict(title=dict(text="Missiles that day"), range=[0, ymax * 1.8 + 1.5]),
        ),
        source=source_line(["missile_tests", "diplomatic_events"]),
    )


def _one_in_tick(score: float) -> str:
    if score == 0:
        return "even"
    return f"1 in {10 ** abs(score):,.0f}"


def _reference_bars(fig: go.Figure, bins: pd.DataFrame) -> None:
    """The share of reference dates at each signed score, the most lopsided 5% in the accent colour."""
    colour = np.where(bins["tail"], theme.WINDOW_COLORS["after"], theme.NEUTRAL_BAR)
    fig.add_bar(
        x=(bins["low"] + bins["high"]) / 2,
        y=100 * bins["share"],
        width=bins["high"] - bins["low"],
        marker=dict(color=colour, line=dict(width=0)),
        name="Comparable dates",
        customdata=np.stack([bins["low"].map(_one_in_tick), 100 * bins["share"]], axis=1),
        hovertemplate="%{customdata[1]:.1f}% of comparable dates<extra></extra>",
        row=2,
        col=1,
    )


def _event_lanes(fig: go.Figure, marks: pd.DataFrame, highlight: str | None) -> None:
    """One lane per event with its score; untestable events open at zero; others than `highlight` muted."""
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
            customdata=np.stack([m["event"].map(wrap), m["before"], m["after"]], axis=1),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} launch days before, %{customdata[2]} after<extra></extra>",
            row=1,
            col=1,
        )


def _calibration_axes(fig: go.Figure, marks: pd.DataFrame, ticks: list[int], top: float) -> None:
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
        categoryorder="array",
        categoryarray=list(reversed(marks["short"].tolist())),
        showgrid=False,
        fixedrange=True,
        automargin=True,
        row=1,
        col=1,
    )
    fig.update_yaxes(title=dict(text="Comparable dates (%)"), fixedrange=True, row=2, col=1)


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
    _reference_bars(fig, bins)
    _event_lanes(fig, marks, highlight)
    top = float(max(bins["high"].abs().max(), bins["low"].abs().max()))
    ticks = [t for t in range(-int(top), int(top) + 1)]
    _calibration_axes(fig, marks, ticks, top)
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
    return finish(
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
        source=source_line(["missile_tests", "diplomatic_events"]),
    )
