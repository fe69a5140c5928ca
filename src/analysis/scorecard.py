"""The claims scorecard: one HTML section and one small chart per claim of the ledger (`claims.ledger`)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML
from plotly.subplots import make_subplots

from analysis import claims, theme
from analysis.metrics import per_period, select_missiles

# Okabe-Ito colours (safe for colour-blind readers); the verdict is always written out as well.
BADGE = {
    claims.SUPPORTED: ("#0072B2", "#ffffff", "\u2714"),
    claims.CONTRADICTED: ("#D55E00", "#000000", "\u2718"),
    claims.MIXED: ("#F0E442", "#000000", "\u25D0"),
    claims.NOT_TESTABLE: ("#DDDDDD", "#000000", "\u2013"),
}
KIND_COLOUR = {"diplomacy": theme.kind_color("summit"), "UN action": theme.SANCTIONS_COLOR,
               "nuclear test": theme.NUCLEAR_COLOR, "missile launch": theme.class_color("SRBM")}
BAR_COLOUR = theme.class_color("unknown")
PAD = pd.Timedelta(days=45)
MIN_SPAN = pd.Timedelta(days=365)


def badge(verdict: str) -> str:
    bg, fg, mark = BADGE[verdict]
    return (f'<span class="verdict" style="background:{bg};color:{fg};padding:2px 8px;border-radius:4px;'
            f'font-weight:600;white-space:nowrap">{mark} {html.escape(verdict)}</span>')


def _union(source_ids: pd.Series) -> str:
    """The distinct ids in a column of semicolon lists, as one list."""
    return ";".join(dict.fromkeys(";".join(source_ids).split(";")))


def evidence_rows(frames: dict[str, pd.DataFrame], ids: list[str]) -> pd.DataFrame:
    """The rows behind evidence ids (missile, launch, nuclear test, event or resolution), in the given order:
    id, kind, date, what, source_ids."""
    m, n = frames["missile_tests"], frames["nuclear_tests"]
    ev, s = frames["diplomatic_events"], frames["sanctions"]
    launches = m.groupby("launch_id").agg(
        date=("date_kst", "min"),
        what=("missile_name", lambda x: f"{len(x)} missile{'s' if len(x) > 1 else ''}: {', '.join(dict.fromkeys(x))}"),
        source_ids=("source_ids", _union),
    )
    lookup = pd.concat([
        launches.assign(kind="missile launch"),
        pd.DataFrame({"date": m["date_kst"].values, "what": (m["missile_name"] + " (" + m["missile_class"].astype(str) + ")").values,
                      "source_ids": m["source_ids"].values, "kind": "missile launch"}, index=m["missile_id"].values),
        pd.DataFrame({"date": n["date_kst"].values,
                      "what": [f"Nuclear test, mb {r.mb}, {r.yield_kt_low:g}-{r.yield_kt_high:g} kt" for r in n.itertuples()],
                      "source_ids": n["source_ids"].values, "kind": "nuclear test"}, index=n["test_id"].values),
        pd.DataFrame({"date": ev["start_date"].values, "what": ev["title"].values, "source_ids": ev["source_ids"].values,
                      "kind": "diplomacy"}, index=ev["event_id"].values),
        pd.DataFrame({"date": s["date"].values, "what": (s["action"].astype(str) + ": " + s["measures"]).values,
                      "source_ids": s["source_ids"].values, "kind": "UN action"}, index=s["sanction_id"].values),
    ])
    return lookup.loc[ids, ["kind", "date", "what", "source_ids"]].rename_axis("id").reset_index()


def _sources_html(frames: dict[str, pd.DataFrame], source_ids: str) -> str:
    src = frames["sources"].set_index("source_id")
    links = []
    for sid in source_ids.split(";"):
        if sid in src.index:
            r = src.loc[sid]
            links.append(f'<a href="{html.escape(r["url"])}" title="{html.escape(r["title"])}">{html.escape(r["publisher"])}</a>')
    return "; ".join(dict.fromkeys(links))


def _window(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = pd.Timestamp(dates.min()) - PAD, pd.Timestamp(dates.max()) + PAD
    if end - start < MIN_SPAN:
        mid = start + (end - start) / 2
        start, end = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    return start, end


def timeline(frames: dict[str, pd.DataFrame], rows: pd.DataFrame, cns_threshold_only: bool,
             period: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> go.Figure:
    """Evidence rows as markers on a time strip above the missiles launched per month, over the span of the
    evidence and of `period` (what the check looked at)."""
    start, end = _window(pd.concat([rows["date"], pd.Series(period or [], dtype="datetime64[ns]")]))
    monthly = per_period(select_missiles(frames["missile_tests"], cns_threshold_only, start=start, end=end), "ME")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.4, 0.6], vertical_spacing=0.04)
    for kind, part in rows.groupby("kind", sort=False):
        fig.add_trace(go.Scatter(
            x=part["date"], y=[kind] * len(part), mode="markers", name=kind,
            marker={"color": KIND_COLOUR[kind], "size": 11, "symbol": "diamond", "line": {"width": 1, "color": "#333"}},
            text=part["what"].str.slice(0, 90), customdata=part["id"],
            hovertemplate="%{x|%d %b %Y}<br>%{customdata}<br>%{text}<extra></extra>",
        ), row=1, col=1)
    fig.add_trace(go.Bar(x=monthly.index, y=monthly["missiles"], name="missiles per month", marker_color=BAR_COLOUR,
                         hovertemplate="%{x|%b %Y}: %{y} missiles<extra></extra>"), row=2, col=1)
    fig.update_xaxes(type="date", range=[start, end])
    fig.update_yaxes(title_text="missiles", row=2, col=1)
    return _style(fig, f"Evidence and missiles per month ({claims.selection_label(cns_threshold_only)})")


def intensity_chart(table: pd.DataFrame, highlight: int) -> go.Figure:
    """The composite of `claims.yearly_intensity`, stacked by measure (each measure's share of its top year / count)."""
    fig = go.Figure()
    colours = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7"]
    for colour, (m, label) in zip(colours, claims.INTENSITY.items()):
        fig.add_trace(go.Bar(x=table["year"], y=table[m] / (table[m].max() or 1) / len(claims.INTENSITY), name=label,
                             marker_color=colour, customdata=table[m],
                             hovertemplate=f"%{{x}}: {label} %{{customdata}}<extra></extra>"))
    fig.add_annotation(x=highlight, y=float(table.loc[table["year"] == highlight, "composite"].max()), text=str(highlight),
                       showarrow=True, arrowhead=2, ay=-30)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="composite (0-1)", range=[0, 1.1])
    return _style(fig, "Testing intensity and UN response per year (composite of five measures)")


def _style(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(template=theme.register(), height=360, margin={"l": 110, "r": 20, "t": 50, "b": 40},
                      title={"text": title, "font": {"size": 15}}, legend={"orientation": "h", "y": -0.15})
    return fig


def chart(frames: dict[str, pd.DataFrame], row, cns_threshold_only: bool) -> go.Figure | None:
    """The chart behind one ledger row: the yearly composite for the 'all-time high' claim, else the evidence timeline."""
    verdict = row.result if cns_threshold_only else row.result_all_launches
    if row.check == "check_all_time_high" and not verdict.evidence_table.empty:
        return intensity_chart(verdict.evidence_table, claims.TRUMP_FIRST_YEAR)
    if not verdict.evidence:
        return None
    return timeline(frames, evidence_rows(frames, verdict.evidence), cns_threshold_only, verdict.period)


def _show(value) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _figures_html(figures: dict) -> str:
    cells = "".join(f"<tr><td>{html.escape(str(k))}</td><td><b>{html.escape(_show(v))}</b></td></tr>" for k, v in figures.items())
    return f'<table class="figures">{cells}</table>' if cells else ""


def _evidence_html(frames: dict[str, pd.DataFrame], rows: pd.DataFrame) -> str:
    if rows.empty:
        return ""
    body = "".join(
        f"<tr><td><code>{html.escape(r.id)}</code></td><td>{r.date:%Y-%m-%d}</td><td>{html.escape(r.kind)}</td>"
        f"<td>{html.escape(r.what)}</td><td>{_sources_html(frames, r.source_ids)}</td></tr>"
        for r in rows.itertuples()
    )
    opened = " open" if len(rows) <= 10 else ""
    return (f"<details{opened}><summary>Evidence: {len(rows)} row{'s' if len(rows) > 1 else ''}</summary><table class=\"evidence\">"
            f"<tr><th>id</th><th>date</th><th>kind</th><th>what</th><th>sources</th></tr>{body}</table></details>")


def section(frames: dict[str, pd.DataFrame], row, cns_threshold_only: bool) -> tuple[HTML, go.Figure | None]:
    """One claim: quote, restatement, verdict badge, rationale, figures, evidence rows with sources; and its chart."""
    verdict = row.result if cns_threshold_only else row.result_all_launches
    other = row.verdict_all_launches if cns_threshold_only else row.verdict
    parts = [
        f'<h2 id="{row.claim_id}">{html.escape(row.claim_id)} <small>(paragraph {row.paragraph})</small></h2>',
        f"<blockquote>\u201c{html.escape(row.quote)}\u201d</blockquote>",
        f"<p><b>Claim, restated:</b> {html.escape(row.claim)}</p>",
        f"<p><b>Verdict:</b> {badge(verdict.verdict)}"
        + (f" &nbsp; counting {'all launches' if cns_threshold_only else 'CNS-criterion missiles only'}: {badge(other)}"
           if row.depends_on_setting else "")
        + "</p>",
        f"<p>{html.escape(verdict.rationale)}</p>",
    ]
    if row.testable:
        parts.append(f'<p class="rule">{html.escape(rule(row.check))}</p>')
    parts.append(_figures_html(verdict.figures))
    if verdict.evidence:
        parts.append(_evidence_html(frames, evidence_rows(frames, verdict.evidence)))
    figure = chart(frames, row, cns_threshold_only) if row.testable else None
    return HTML('<div class="claim">' + "\n".join(parts) + "</div>"), figure


def rule(check: str) -> str:
    """The decision rule: the paragraphs of the check's docstring after its first line, as one line."""
    doc = claims.CHECKS[check].__doc__ or ""
    return " ".join(doc.split("\n", 1)[-1].split())


def verdict_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """claim_id | verdict | verdict with all launches."""
    return ledger.set_index("claim_id")[["verdict", "verdict_all_launches"]].rename(columns={
        "verdict": "verdict (CNS criterion)", "verdict_all_launches": "verdict with all launches"})


def style() -> HTML:
    """The scorecard's CSS, shown once before the sections: left-aligned text tables, a muted rule line."""
    return HTML(
        "<style>.claim table{margin:0.4em 0 0.8em}.claim td,.claim th{text-align:left!important;vertical-align:top}"
        ".claim blockquote{border-left:4px solid #999;margin:0.5em 0;padding:0.2em 0.8em;font-style:italic}"
        ".claim td:nth-child(2){white-space:nowrap}.claim .rule{color:#555;font-size:0.92em}"
        ".claim details summary{cursor:pointer;font-weight:600}</style>"
    )


def all_evidence(frames: dict[str, pd.DataFrame], ledger: pd.DataFrame, cns_threshold_only: bool) -> pd.DataFrame:
    """Every evidence row the ledger cites under one setting, once, with the claims citing it."""
    results = ledger["result" if cns_threshold_only else "result_all_launches"]
    cited = pd.DataFrame([(i, v.claim_id) for v in results for i in v.evidence], columns=["id", "claim_id"])
    if cited.empty:
        return pd.DataFrame(columns=["id", "kind", "date", "what", "source_ids", "claims"])
    claims_of = cited.groupby("id", sort=False)["claim_id"].agg(";".join)
    return evidence_rows(frames, list(claims_of.index)).assign(claims=claims_of.values)


def verdict_history(periods: list[tuple[str, str, str | None]], as_of: str | None = None) -> str:
    """The 'held since' line: the current verdict and since when (from `verdicts.periods`), what came before,
    and the date its tables cover."""
    if not periods:
        return "This verdict is not in the verdict log yet."
    def day(iso: str) -> str:
        return claims._day(pd.Timestamp(iso))

    verdict, start, _ = periods[-1]
    text = f"Verdict {verdict} since {day(start)}" + (f" (data as of {day(as_of)})" if as_of else "") + "."
    if len(periods) > 1:
        text += " Before: " + "; ".join(f"{v} from {day(a)} to {day(b)}" for v, a, b in reversed(periods[:-1])) + "."
    return text


def history_line(claim_id: str, cns_threshold_only: bool = True, as_of: str | None = None, log: pd.DataFrame | None = None) -> str:
    """`verdict_history` for one claim under one inclusion setting, read from the verdict log, as an HTML paragraph;
    `as_of` defaults to the date the log's latest row for the claim holds as of."""
    from analysis import verdicts

    setting = verdicts.SETTINGS[bool(cns_threshold_only)]
    log = verdicts.load() if log is None else log
    rows = verdicts.history(claim_id, setting, log)
    if as_of is None and len(rows) and rows["as_of"].iloc[-1]:
        as_of = rows["as_of"].iloc[-1]
    return f'<p class="verdict-history">{html.escape(verdict_history(verdicts.periods(claim_id, setting, log), as_of))}</p>'
