"""The economy report (notebook 06): its headline, its table and its findings; its two charts, with the sectoral
sanctions resolutions and the border closure and reopening marked, are in analysis.pages.charts.economy.

The years compared come from the claims ledger's economic checks (the compare checks on the economy table in
data/curated/checks.csv), in time order: the first compares the years before the sectoral sanctions with the years
they took effect, the last the years before the border closed with the years it was shut."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.checks import claims
from analysis.checks import engine as E
from analysis.checks import vocabulary as V
from analysis.measures import economy as econ
from analysis.pages import claim_words, tables
from analysis.pages.report import Headline

Years = tuple[int, int]


def economy_checks(frames: dict[str, pd.DataFrame]) -> dict[str, list[V.Compare]]:
    """claim_id -> the compare checks on the economy table among its check's parts, for every claim whose check
    reads the economy table, ordered by the start of the period compared."""
    checks = claims.parsed(frames["checks"])
    out: dict[str, list[V.Compare]] = {}
    for claim_id, parts in frames["checks"].groupby("claim_id", sort=False)["check_id"]:
        if claim_id in checks and "economy" in claims.tables_read(claim_id, checks):
            out[claim_id] = [p for p, _ in map(checks.get, parts) if isinstance(p, V.Compare) and p.table == "economy"]
    ctx = E.Context(frames, True)
    return dict(sorted(out.items(), key=lambda kv: ctx.anchor(kv[1][0].period.partition("..")[0])))


def years(frames: dict[str, pd.DataFrame], check: V.Compare) -> tuple[Years, Years]:
    """The (first, last) years of a compare check's baseline and of its period."""
    ctx = E.Context(frames, True)

    def span(text: str) -> Years:
        a, _, b = text.partition("..")
        return ctx.anchor(a).year, ctx.anchor(b, end=True).year

    return span(check.baseline), span(check.period)


def windows(frames: dict[str, pd.DataFrame]) -> tuple[tuple[Years, Years], tuple[Years, Years]]:
    """((before, during) the sanctions, (before, during) the border closure), from the first and last economic check."""
    compares = list(economy_checks(frames).values())
    return years(frames, compares[0][0]), years(frames, compares[-1][0])


def sectoral(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The sectoral sanctions resolutions (the typed `sectoral` column): the measures whose effect the first
    economic check times."""
    s = frames["sanctions"]
    return s[(s["action"] == "adopted") & s["sectoral"].fillna(False).astype(bool)].sort_values("date")


def border_events(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The border's closure and its gradual reopening: North Korea's own or North Korea–China steps (kind `other`)
    from the first year the last economic check calls closed."""
    _, (_, shut) = windows(frames)
    ev = frames["diplomatic_events"]
    own = ev["parties"].str.split(";").map(lambda p: set(p) <= {"DPRK", "CN"})
    keep = (ev["kind"] == "other") & own & (ev["start_date"].dt.year >= shut[0])
    return ev[keep].sort_values("start_date")


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
    (before, during), (pre, shut) = windows(frames)
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
    events = border_events(frames)[["event_id", "start_date", "title", "source_ids"]]
    return pd.concat([e[e["year"] >= first], events], ignore_index=True)


def findings(frames: dict[str, pd.DataFrame]) -> list[str]:
    """One line per economic claim: the claim, its verdict as of the last date its tables cover, and the decisive
    evidence."""
    from analysis.checks import verdicts

    ids = list(economy_checks(frames))
    chosen = frames["claims"][frames["claims"]["claim_id"].isin(ids)]
    ledger = claims.ledger({**frames, "claims": chosen}).set_index("claim_id").loc[ids]
    says = claim_words.check_says(frames)
    lines = []
    for row in ledger.itertuples():
        when = verdicts.as_of(frames, row.tables)
        lines.append(
            f"{row.claim} {row.verdict[0].upper()}{row.verdict[1:]}"
            + (f" (as of {fmt.day(when)})" if when is not None else "")
            + f": {claim_words.summary(row.result, says)}"
        )
    return lines
