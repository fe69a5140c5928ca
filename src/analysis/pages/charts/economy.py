"""The economy charts (notebook 06): growth and trade per year, with the sectoral sanctions resolutions and the
border closure and reopening marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.checks import claims
from analysis.measures import economy as econ
from analysis.pages import theme
from analysis.pages.economy_page import BORDER_EVENTS


def markers(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The dates a chart marks: the sectoral sanctions resolutions and the closure and reopening events (date, label, kind)."""
    sectoral, _ = claims.sanctions_years(frames)
    rows = [(r.date, r.sanction_id.replace("S/RES/", "Res. "), "sanctions") for r in sectoral.itertuples()]
    ev = frames["diplomatic_events"]
    border = ev[ev["event_id"].isin(BORDER_EVENTS)]
    rows += [(r.start_date, r.title, "border") for r in border.itertuples()]
    return pd.DataFrame(rows, columns=["date", "label", "kind"]).sort_values("date", ignore_index=True)


def _mark(fig: go.Figure, marks: pd.DataFrame) -> go.Figure:
    """A vertical line per mark; sanctions labels stacked from the top, right of their line; border labels from the
    middle, left of theirs (they come last on the axis)."""
    for kind, top, side in (("sanctions", 1.0, "left"), ("border", 0.45, "right")):
        for i, m in enumerate(marks[marks["kind"] == kind].itertuples()):
            colour = theme.ECONOMY_MARK_COLORS[kind]
            fig.add_shape(
                type="line",
                x0=m.date,
                x1=m.date,
                y0=0,
                y1=1,
                yref="paper",
                line={"color": colour, "width": 1, "dash": "dot" if kind == "sanctions" else "dash"},
            )
            fig.add_annotation(
                x=m.date,
                y=top - 0.07 * i,
                yref="paper",
                text=m.label,
                showarrow=False,
                xanchor=side,
                font={"size": 10, "color": colour},
                bgcolor="rgba(255,255,255,0.8)",
            )
    return fig


def _years(s: pd.Series) -> pd.DatetimeIndex:
    """Yearly figures drawn at mid-year on a date axis, so the dated marks fall inside their year."""
    return pd.to_datetime([f"{y}-07-01" for y in s.index])


def _full(s: pd.Series) -> pd.Series:
    """The series over every year of its span, missing years as NaN, so lines break at gaps."""
    return s.reindex(range(int(s.index.min()), int(s.index.max()) + 1)) if len(s) else s


def _style(fig: go.Figure, title: str, y_title: str, economy: pd.DataFrame) -> go.Figure:
    fig.update_layout(
        template=theme.register(),
        height=440,
        title={"text": title, "font": {"size": 15}},
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 70, "r": 20, "t": 60, "b": 40},
    )
    years = economy["year"]
    fig.update_xaxes(
        type="date", range=[f"{int(years.min())}-01-01", f"{int(years.max()) + 1}-12-31"] if len(years) else None
    )
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
        _mark(fig, markers(frames)),
        "North Korea's real GDP growth, Bank of Korea estimates",
        "% on the year before",
        frames["economy"],
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
        _mark(fig, markers(frames)),
        "North Korea's trade: KOTRA's total and China's customs figures",
        "million US dollars",
        frames["economy"],
    )
