"""The claims scorecard as a fact-check: the tally, one row per claim, then one section per claim with its
evidence and, where it shows something the sentence does not, one chart. All HTML comes from the autoescaped
templates in templates/parts/ (factcheck.html.j2, claim_section.html.j2)."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from analysis import fmt
from analysis.checks import claims
from analysis.pages import charts, escape, tables
from analysis.pages.report import Headline

# The badge's mark and CSS class per verdict (the colours are in the page stylesheet, Okabe-Ito, colour-blind safe);
# the verdict is always written out as well.
MARK = {
    claims.SUPPORTED: "\u2714",
    claims.CONTRADICTED: "\u2718",
    claims.MIXED: "\u25d0",
    claims.NOT_TESTABLE: "\u2013",
}
CSS_CLASS = {
    claims.SUPPORTED: "supported",
    claims.CONTRADICTED: "contradicted",
    claims.MIXED: "mixed",
    claims.NOT_TESTABLE: "not-testable",
}
# The tally's order: what holds, what partly holds, what does not, what cannot be checked.
TALLY_ORDER = (claims.SUPPORTED, claims.MIXED, claims.CONTRADICTED, claims.NOT_TESTABLE)
MIN_CHART_ROWS = 3  # fewer evidence rows than this say no more on a chart than in the sentence


def _render(template: str, **context) -> str:
    return escape.render(template, verdict_class=CSS_CLASS.__getitem__, verdict_mark=MARK.__getitem__, **context)


def _setting(cns_threshold_only: bool) -> str:
    return fmt.SETTING[cns_threshold_only]


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
        what=("missile_name", lambda x: f"{fmt.plural(len(x), 'missile')}: {', '.join(dict.fromkeys(x))}"),
        source_ids=("source_ids", _union),
    )
    lookup = pd.concat(
        [
            launches.assign(kind="missile launch"),
            pd.DataFrame(
                {
                    "date": m["date_kst"].values,
                    "what": (m["missile_name"] + " (" + m["missile_class"].astype(str) + ")").values,
                    "source_ids": m["source_ids"].values,
                    "kind": "missile launch",
                },
                index=m["missile_id"].values,
            ),
            pd.DataFrame(
                {
                    "date": n["date_kst"].values,
                    "what": [
                        f"Nuclear test, mb {r.mb}, {r.yield_kt_low:g}-{r.yield_kt_high:g} kt" for r in n.itertuples()
                    ],
                    "source_ids": n["source_ids"].values,
                    "kind": "nuclear test",
                },
                index=n["test_id"].values,
            ),
            pd.DataFrame(
                {
                    "date": ev["start_date"].values,
                    "what": ev["title"].values,
                    "source_ids": ev["source_ids"].values,
                    "kind": "diplomacy",
                },
                index=ev["event_id"].values,
            ),
            pd.DataFrame(
                {
                    "date": s["date"].values,
                    "what": (s["action"].astype(str) + ": " + s["measures"]).values,
                    "source_ids": s["source_ids"].values,
                    "kind": "UN action",
                },
                index=s["sanction_id"].values,
            ),
        ]
    )
    return lookup.loc[ids, ["kind", "date", "what", "source_ids"]].rename_axis("id").reset_index()


def tally(ledger: pd.DataFrame, column: str = "verdict") -> list[tuple[str, int]]:
    """(verdict, number of claims) for every verdict, in TALLY_ORDER, zeros included."""
    counts = ledger[column].value_counts()
    return [(v, int(counts.get(v, 0))) for v in TALLY_ORDER]


def headline_text(ledger: pd.DataFrame, cns_threshold_only: bool = True) -> Headline:
    """The scorecard's answer in one sentence, and the tally as key figures."""
    column = "verdict" if cns_threshold_only else "verdict_all_launches"
    counts = dict(tally(ledger, column))
    testable = len(ledger) - counts[claims.NOT_TESTABLE]
    n = {v: str(c) if c else "none" for v, c in counts.items()}
    sentence = (
        f"Of the article's {fmt.plural(len(ledger), 'factual claim')}, the data support "
        f"{n[claims.SUPPORTED]}, partly support {n[claims.MIXED]} and contradict "
        f"{n[claims.CONTRADICTED]}; {n[claims.NOT_TESTABLE]} cannot be tested with these data."
    )
    differ = int(ledger["depends_on_setting"].sum())
    if differ:
        sentence += (
            f" Counting {_setting(not cns_threshold_only)} changes the verdict on {fmt.plural(differ, 'claim')}."
        )
    figures = [
        (str(counts[v]), label) for v, label in zip(TALLY_ORDER, ("supported", "mixed", "contradicted", "not testable"))
    ]
    return sentence, figures + [(f"{testable} of {len(ledger)}", "claims testable")]


def first_sentence(text: str) -> str:
    """The first sentence of a rationale (up to the first full stop followed by a capital letter or a digit)."""
    m = re.match(r"(.+?[.!?])\s+(?=[A-Z0-9\u201c\"(])", text.strip())
    return m.group(1) if m else text.strip()


def _number(row) -> int:
    return int(row.Index) + 1


def fact_check(ledger: pd.DataFrame, cns_threshold_only: bool = True) -> HTML:
    """The tally and one row per claim: badge, quote, restated claim, one-line rationale, a flag where the other
    inclusion setting gives another verdict, and a link to the claim's section."""
    rows = []
    for row in ledger.itertuples():
        verdict = row.result if cns_threshold_only else row.result_all_launches
        other = (row.verdict_all_launches if cns_threshold_only else row.verdict) if row.depends_on_setting else None
        rows.append(
            {
                "verdict": verdict.verdict,
                "quote": row.quote,
                "claim": row.claim,
                "why": first_sentence(verdict.rationale),
                "other": other,
                "anchor": row.claim_id,
                "number": _number(row),
            }
        )
    differ = int(ledger["depends_on_setting"].sum())
    return HTML(
        _render(
            "factcheck.html.j2",
            rows=rows,
            setting=_setting(cns_threshold_only),
            tally=tally(ledger, "verdict" if cns_threshold_only else "verdict_all_launches"),
            other_setting=_setting(not cns_threshold_only),
            differ=fmt.plural(differ, "claim") if differ else "",
        )
    )


def _value(value) -> str:
    if isinstance(value, bool):
        return fmt.yes_no(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt.number(value)
    return tables.text(value)


def _evidence(frames: dict[str, pd.DataFrame], rows: pd.DataFrame) -> list[dict]:
    src = frames["sources"].set_index("source_id")
    out = []
    for r in rows.itertuples():
        ids = [i for i in dict.fromkeys(r.source_ids.split(";")) if i in src.index]
        out.append({"date": fmt.date(r.date), "kind": r.kind, "what": r.what, "sources": [src.loc[i] for i in ids]})
    return out


def chart(frames: dict[str, pd.DataFrame], row, cns_threshold_only: bool, drawn: set) -> go.Figure | None:
    """The chart behind one ledger row, or None when it would show nothing the sentence does not: the yearly
    composite for the 'all-time high' claim; else the evidence timeline, for claims about launches with at least
    MIN_CHART_ROWS evidence rows, once per distinct set of evidence (`drawn` remembers what was drawn)."""
    verdict = row.result if cns_threshold_only else row.result_all_launches
    if not row.testable:
        return None
    if row.check == "check_all_time_high" and not verdict.evidence_table.empty:
        return charts.intensity_chart(verdict.evidence_table, claims.TRUMP_FIRST_YEAR)
    about_launches = "missile_tests" in str(row.tables).split(";")
    key = (frozenset(verdict.evidence), verdict.period)
    if not about_launches or len(verdict.evidence) < MIN_CHART_ROWS or key in drawn:
        return None
    drawn.add(key)
    return charts.evidence_timeline(frames, evidence_rows(frames, verdict.evidence), cns_threshold_only, verdict.period)


def section(frames: dict[str, pd.DataFrame], row, cns_threshold_only: bool, log: pd.DataFrame | None = None) -> HTML:
    """One claim: quote, restatement, verdict badge, rationale, rule, figures, evidence rows with their sources,
    and its verdict history (from `log`, the verdict log, read here when not given)."""
    verdict = row.result if cns_threshold_only else row.result_all_launches
    other = (row.verdict_all_launches if cns_threshold_only else row.verdict) if row.depends_on_setting else None
    evidence = evidence_rows(frames, verdict.evidence) if verdict.evidence else None
    return HTML(
        _render(
            "claim_section.html.j2",
            anchor=row.claim_id,
            number=_number(row),
            paragraph=row.paragraph,
            quote=row.quote,
            claim=row.claim,
            verdict=verdict.verdict,
            other=other,
            other_setting=_setting(not cns_threshold_only),
            rationale=verdict.rationale,
            rule=rule(row.check) if row.testable else "",
            figures=[(str(k), _value(v)) for k, v in verdict.figures.items()],
            evidence=_evidence(frames, evidence) if evidence is not None else [],
            evidence_count=fmt.plural(len(evidence) if evidence is not None else 0, "row"),
            history=history_line(row.claim_id, cns_threshold_only, log=log),
        )
    )


def sections(frames: dict[str, pd.DataFrame], ledger: pd.DataFrame, cns_threshold_only: bool):
    """(section, chart or None) for every claim, in ledger order; no chart is drawn twice."""
    from analysis.checks import verdicts

    drawn: set = set()
    log = verdicts.load()  # once for all the claims
    for row in ledger.itertuples():
        yield section(frames, row, cns_threshold_only, log), chart(frames, row, cns_threshold_only, drawn)


def rule(check: str) -> str:
    """The decision rule: the paragraphs of the check's docstring after its first line, as one line."""
    doc = claims.CHECKS[check].__doc__ or ""
    return " ".join(doc.split("\n", 1)[-1].split())


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

    day = fmt.day
    verdict, start, _ = periods[-1]
    line = f"Verdict {verdict} since {day(start)}" + (f" (data as of {day(as_of)})" if as_of else "") + "."
    if len(periods) > 1:
        line += " Before: " + "; ".join(f"{v} from {day(a)} to {day(b)}" for v, a, b in reversed(periods[:-1])) + "."
    return line


def history_line(
    claim_id: str, cns_threshold_only: bool = True, as_of: str | None = None, log: pd.DataFrame | None = None
) -> str:
    """`verdict_history` for one claim under one inclusion setting, read from the verdict log (text: the template
    escapes it); `as_of` defaults to the date the log's latest row for the claim holds as of."""
    from analysis.checks import verdicts

    setting = verdicts.SETTINGS[bool(cns_threshold_only)]
    log = verdicts.load() if log is None else log
    rows = verdicts.history(claim_id, setting, log)
    if as_of is None and len(rows) and rows["as_of"].iloc[-1]:
        as_of = rows["as_of"].iloc[-1]
    return verdict_history(verdicts.periods(claim_id, setting, log), as_of)
