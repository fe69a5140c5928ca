"""The economy report (notebook 06): its headline, its table and its two charts, with the sectoral sanctions
resolutions and the border closure and reopening marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.checks import claims
from analysis.measures import economy as econ
from analysis.pages import tables, text, theme

MARK_COLOURS = {"sanctions": theme.SANCTIONS_COLOR, "border": "#555555"}
# The border's closure and its gradual reopening, as recorded in diplomatic_events.csv.
BORDER_EVENTS = (
    claims.BORDER_CLOSURE,
    claims.FREIGHT_REOPENING,
    "2022-09-26-freight-trains-restart",
    "2023-08-27-dprk-returnees-allowed",
)


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
            colour = MARK_COLOURS[kind]
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
            marker_color=["#0072B2" if v >= 0 else "#D55E00" for v in g.values],
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
    styles = {
        "trade_total": ("#009E73", "solid"),
        "china_trade_total": ("#E69F00", "solid"),
        "china_exports": ("#E69F00", "dot"),
        "china_imports": ("#CC79A7", "dot"),
    }
    for measure, (colour, dash) in styles.items():
        s = _full(econ.series(frames["economy"], measure))
        fig.add_trace(
            go.Scatter(
                x=_years(s),
                y=s.values,
                name=econ.LABELS[measure],
                mode="lines+markers",
                customdata=s.index,
                line={"color": colour, "dash": dash},
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


def table(frames: dict[str, pd.DataFrame], first: int | None = None) -> tables.Table:
    """The figures per year from `first` on, one column per measure (labelled, with its unit): growth signed to
    one decimal, dollars with thousands separators, a dash where the table has no figure."""
    w = econ.wide(frames["economy"])
    if first is not None:
        w = w[w.index >= first]
    growth = lambda v: tables.DASH if pd.isna(v) else f"{v:+.1f}".replace("-", "\u2212")  # noqa: E731
    labels = {"year": "Year"} | {m: econ.LABELS[m][0].upper() + econ.LABELS[m][1:] for m in w.columns}
    formats = {"year": tables.text, "gdp_growth": tables.figure} | {
        m: tables.integer for m in w.columns if m != "gdp_growth"
    }
    shown = w.reset_index().assign(gdp_growth=lambda d: d["gdp_growth"].map(growth))
    return tables.table(shown, labels, formats, caption="The estimates per year")


def headline(frames: dict[str, pd.DataFrame]) -> tuple[str, list[tuple[str, str]]]:
    """The page's opening sentence and key figures, from the two economic checks' windows."""
    e = frames["economy"]
    _, (before, during) = claims.sanctions_years(frames)
    (pre, shut) = claims.closure_years(frames)
    s_growth = econ.window(e, "gdp_growth", *during)
    s_trade = econ.change_pct(econ.window(e, "trade_total", *before).mean, econ.window(e, "trade_total", *during).mean)
    c_growth = econ.window(e, "gdp_growth", *shut)
    china_before = econ.window(e, "china_trade_total", *pre).mean
    c_trade = econ.change_pct(china_before, econ.window(e, "china_trade_total", *shut).mean)
    china = econ.series(e, "china_trade_total")
    latest = int(china.index.max())
    sentence = (
        f"By the Bank of Korea's estimates North Korea's output shrank {abs(econ.output_change(s_growth)):.1f}% over "
        f"{s_growth.label}, as the sectoral UN sanctions took effect, and {abs(econ.output_change(c_growth)):.1f}% more over "
        f"{c_growth.label} behind the closed border; trade with China fell {abs(c_trade):.0f}% in those years and was back "
        f"to {china[latest] / china_before * 100:.0f}% of its {econ.span(*pre)} level by {latest}."
    )
    figures = [
        (f"{econ.output_change(s_growth):+.1f}%", f"output over {s_growth.label} (sanctions)"),
        (f"{s_trade:+.0f}%", f"KOTRA total trade, {s_growth.label} against {econ.span(*before)}"),
        (f"{econ.output_change(c_growth):+.1f}%", f"output over {c_growth.label} (border closed)"),
        (f"{c_trade:+.0f}%", f"trade with China, {c_growth.label} against {econ.span(*pre)}"),
    ]
    return sentence, figures


def used_rows(frames: dict[str, pd.DataFrame], first: int) -> pd.DataFrame:
    """The economy rows the page shows (from `first` on) and the events it marks, with their sources, for the download."""
    e = frames["economy"]
    ev = frames["diplomatic_events"]
    events = ev[ev["event_id"].isin(BORDER_EVENTS)][["event_id", "start_date", "title", "source_ids"]]
    return pd.concat([e[e["year"] >= first], events], ignore_index=True)


def findings(frames: dict[str, pd.DataFrame]) -> list[str]:
    """One line per economic check: claim, verdict as of the last date its tables cover, and its rationale."""
    from analysis.checks import verdicts

    tables = frames["claims"].set_index("claim_id")["tables"]
    lines = []
    for check in (claims.check_sanctions_economy, claims.check_pandemic_economy):
        v = check(frames)
        when = verdicts.as_of(frames, tables.get(v.claim_id))
        lines.append(
            f"{v.claim_id}: {v.verdict}"
            + (f" (as of {text.day(when)})" if when is not None else "")
            + f". {v.rationale}"
        )
    return lines
