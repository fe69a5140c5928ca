"""The economy report (notebook 06): its headline, its table and its findings; its two charts, with the sectoral
sanctions resolutions and the border closure and reopening marked, are in analysis.pages.charts.economy."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.checks import claims
from analysis.measures import economy as econ
from analysis.pages import tables
from analysis.pages.report import Headline

# The border's closure and its gradual reopening, as recorded in diplomatic_events.csv.
BORDER_EVENTS = (
    claims.BORDER_CLOSURE,
    claims.FREIGHT_REOPENING,
    "2022-09-26-freight-trains-restart",
    "2023-08-27-dprk-returnees-allowed",
)


def table(frames: dict[str, pd.DataFrame], first: int | None = None) -> tables.Table:
    """The figures per year from `first` on, one column per measure (labelled, with its unit): growth signed to
    one decimal, dollars with thousands separators, a dash where the table has no figure."""
    w = econ.wide(frames["economy"])
    if first is not None:
        w = w[w.index >= first]
    growth = lambda v: fmt.DASH if pd.isna(v) else f"{v:+.1f}".replace("-", "\u2212")  # noqa: E731
    labels = {"year": "Year"} | {m: econ.LABELS[m][0].upper() + econ.LABELS[m][1:] for m in w.columns}
    formats = {"year": tables.text, "gdp_growth": tables.figure} | {
        m: fmt.integer for m in w.columns if m != "gdp_growth"
    }
    shown = w.reset_index().assign(gdp_growth=lambda d: d["gdp_growth"].map(growth))
    return tables.table(shown, labels, formats, caption="The estimates per year")


def headline(frames: dict[str, pd.DataFrame]) -> Headline:
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
            + (f" (as of {fmt.day(when)})" if when is not None else "")
            + f". {v.rationale}"
        )
    return lines
