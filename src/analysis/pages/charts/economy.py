"""The economy charts (notebook 06): growth and trade per year, with the sectoral sanctions resolutions and the
border closure and reopening marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.measures import economy as econ
from analysis.pages import theme
from analysis.pages.charts.base import source_line, stack_rows
from analysis.pages.economy_page import border_events, sectoral


def markers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The dates a chart marks: the sectoral sanctions resolutions and the closure and reopening events (date, label, kind)."""
    rows = [(r.date, r.sanction_id.replace("S/RES/", "Res. "), "sanctions") for r in sectoral(frames).itertuples()]
    rows += [(r.start_date, r.title, "border") for r in border_events(frames).itertuples()]
    return pd.DataFrame(rows, columns=["date", "label", "kind"]).sort_values("date", ignore_index=True)


ROW_PX = 16  # one row of mark labels above the plot
WIDE_PLOT_PX, NARROW_PLOT_PX = 880, 320  # the plot's width on a laptop and on a phone, to stack the labels for


def _mark(fig: go.Figure, marks: pd.DataFrame, x_range: tuple[str, str] | None) -> int:
    """A vertical line per mark across the plot, and the labels in rows above it, clear of the data: one label for
    the sanctions resolutions, one per border event, each ending at its line with a leader up from the plot.
    Returns the rows the labels take on a laptop; the phone layout (layout.meta.narrow) gets its own."""
    for m in marks.itertuples():
        fig.add_shape(
            type="line",
            x0=m.date,
            x1=m.date,
            y0=0,
            y1=1,
            yref="paper",
            line={
                "color": theme.ECONOMY_MARK_COLORS[m.kind],
                "width": 1,
                "dash": "dot" if m.kind == "sanctions" else "dash",
            },
        )
    labels = _labels(marks)
    if labels.empty or x_range is None:
        return 0
    rows = _label_rows(labels, x_range, WIDE_PLOT_PX, 10)
    for a in _annotations(labels, rows, 10):
        fig.add_annotation(a)
    narrow_rows = _label_rows(labels, x_range, NARROW_PLOT_PX, 9)
    fig.update_layout(
        meta={
            "narrow": {
                "annotations": _annotations(labels, narrow_rows, 9),
                "margin": {"t": 100 + ROW_PX * (max(narrow_rows) + 1)},
            }
        }
    )
    return max(rows) + 1


def _labels(marks: pd.DataFrame) -> pd.DataFrame:
    """What is written above the plot (date, text, kind): the sanctions resolutions as one label at the last."""
    sanctions = marks[marks["kind"] == "sanctions"]
    rows = []
    if not sanctions.empty:
        first, last = sanctions["label"].iloc[0], sanctions["label"].iloc[-1]
        text = (
            f"UN sanctions: {first} to {last.replace('Res. ', '')}" if len(sanctions) > 1 else f"UN sanctions: {first}"
        )
        rows.append((sanctions["date"].iloc[-1], text, "sanctions"))
    rows += [(m.date, m.label, m.kind) for m in marks[marks["kind"] != "sanctions"].itertuples()]
    return pd.DataFrame(rows, columns=["date", "text", "kind"]).sort_values("date", ignore_index=True)


def _label_rows(labels: pd.DataFrame, x_range: tuple[str, str], plot_px: int, font: int) -> list[int]:
    """Each label's row: the boxes end at their line, so the axis is mirrored for stack_rows."""
    lo, hi = (pd.Timestamp(x) for x in x_range)
    ends = [(d - lo) / (hi - lo) for d in labels["date"]]
    widths = [(len(t) * font * 0.56 + 8) / plot_px for t in labels["text"]]
    return stack_rows([1 - e for e in reversed(ends)], list(reversed(widths)))[::-1]


def _annotations(labels: pd.DataFrame, rows: list[int], font: int) -> list[dict]:
    return [
        dict(
            x=r.date,
            y=1,
            yref="paper",
            text=r.text,
            showarrow=True,
            arrowhead=0,
            arrowcolor=theme.ECONOMY_MARK_COLORS[r.kind],
            ax=0,
            ay=-(6 + ROW_PX * (row + 0.5)),
            xanchor="right",
            font={"size": font, "color": theme.ECONOMY_MARK_COLORS[r.kind]},
            bgcolor="rgba(255,255,255,0.9)",
            name=f"mark-{i}",
        )
        for i, (r, row) in enumerate(zip(labels.itertuples(), rows))
    ]


def _years(s: pd.Series) -> pd.DatetimeIndex:
    """Yearly figures drawn at mid-year on a date axis, so the dated marks fall inside their year."""
    return pd.to_datetime([f"{y}-07-01" for y in s.index])


def _full(s: pd.Series) -> pd.Series:
    """The series over every year of its span, missing years as NaN, so lines break at gaps."""
    return s.reindex(range(int(s.index.min()), int(s.index.max()) + 1)) if len(s) else s


def _x_range(economy: pd.DataFrame) -> tuple[str, str] | None:
    years = economy["year"]
    return (f"{int(years.min())}-01-01", f"{int(years.max()) + 1}-12-31") if len(years) else None


def _style(
    fig: go.Figure, title: str, y_title: str, economy: pd.DataFrame, measures: list[str], frames: dict
) -> go.Figure:
    """The marks, the layout, and a source line naming the publishers of the drawn measures' rows and of the marks."""
    rows = _mark(fig, markers(frames), _x_range(economy))
    drawn = economy[economy["measure"].astype(str).isin(measures)]
    fig.update_layout(
        template=theme.register(),
        height=440 + ROW_PX * rows,
        title={"text": title, "font": {"size": 15}},
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 70, "r": 20, "t": 60 + ROW_PX * rows, "b": 40},
        meta={
            **(fig.layout.meta or {}),
            "source": source_line(["sanctions", "diplomatic_events"], publishers=drawn["publisher"].dropna()),
        },
    )
    fig.update_xaxes(type="date", range=_x_range(economy))
    fig.update_yaxes(title_text=y_title)
    return fig


def growth_chart(frames: dict[str, pd.DataFrame]) -> go.Figure:
    """Real GDP growth per year (Bank of Korea), bars coloured by sign, with the resolutions and the closure marked."""
    g = econ.series(frames["economy"], "gdp_growth")
    fig = go.Figure(
        go.Bar(
            x=_years(g),
            y=g.values,
            name=econ.LABELS["gdp_growth"],
            customdata=g.index,
            marker_color=[theme.GROWTH_COLORS["up" if v >= 0 else "down"] for v in g.values],
            hovertemplate="%{customdata}: %{y:+.1f}%<extra></extra>",
        )
    )
    return _style(
        fig,
        "North Korea's real GDP growth, Bank of Korea estimates",
        "% on the year before",
        frames["economy"],
        ["gdp_growth"],
        frames,
    )


def trade_chart(frames: dict[str, pd.DataFrame]) -> go.Figure:
    """Total trade (KOTRA) and trade with China (China's customs) per year, with the same marks."""
    fig = go.Figure()
    dashes = {"trade_total": "solid", "china_trade_total": "solid", "china_exports": "dot", "china_imports": "dot"}
    for measure, dash in dashes.items():
        s = _full(econ.series(frames["economy"], measure))
        fig.add_trace(
            go.Scatter(
                x=_years(s),
                y=s.values,
                name=econ.LABELS[measure],
                mode="lines+markers",
                customdata=s.index,
                line={"color": theme.TRADE_COLORS[measure], "dash": dash},
                connectgaps=False,
                hovertemplate="%{customdata}: %{y:,.0f} million USD<extra></extra>",
            )
        )
    return _style(
        fig,
        "North Korea's trade: KOTRA's total and China's customs figures",
        "million US dollars",
        frames["economy"],
        list(dashes),
        frames,
    )
