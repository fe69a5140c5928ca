"""The claims scorecard of one article as a fact-check page: the tally, one row per claim with its decisive
evidence, a 'how we rate' box every verdict badge links to, then one section per claim with its parts, its evidence
rows and, where it shows something the sentence does not, one chart chosen by the check's kind. The rows are the
ledger's (analysis.checks.claims.ledger); the words are analysis.pages.claim_words'. All HTML comes from the
autoescaped templates in templates/parts/ (factcheck.html.j2, claim_section.html.j2, how_we_rate.html.j2).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from analysis import fmt
from analysis.checks import engine as E
from analysis.data import fingerprint
from analysis.measures import economy as econ
from analysis.pages import charts, claim_words, escape, params
from analysis.pages.report import Headline

# The badge's mark and CSS class per verdict (the colours are in the page stylesheet, Okabe-Ito, colour-blind safe);
# the verdict is always written out as well.
MARK = {
    E.SUPPORTED: "\u2714",
    E.CONSISTENT: "\u223c",
    E.MIXED: "\u25d0",
    E.CONTRADICTED: "\u2718",
    E.NOT_TESTABLE: "\u2013",
}
CSS_CLASS = {
    E.SUPPORTED: "supported",
    E.CONSISTENT: "consistent",
    E.MIXED: "mixed",
    E.CONTRADICTED: "contradicted",
    E.NOT_TESTABLE: "not-testable",
}
# The five levels in plain words, for the 'how we rate' box.
LEVELS = {
    E.SUPPORTED: "The data show what the claim says, within the tolerance the check states.",
    E.CONSISTENT: "The claim says one thing caused another: the data bear out the timing and the direction, "
    "but they cannot show the cause.",
    E.MIXED: "Part of the claim holds and part does not, or the evidence points both ways.",
    E.CONTRADICTED: "The data show something other than what the claim says.",
    E.NOT_TESTABLE: "Opinion, motives, or events these tables do not hold: the data can neither support nor "
    "contradict it.",
}
HOW_WE_RATE = "how-we-rate"  # the anchor every badge links to
TALLY_LABEL = {E.CONSISTENT: "consistent, cause not shown", E.NOT_TESTABLE: "not testable"}
MIN_CHART_ROWS = 3  # fewer evidence rows than this say no more on a chart than in the sentence
EVIDENCE_KIND = {
    "missile_tests": "missile launch",
    "nuclear_tests": "nuclear test",
    "diplomatic_events": "diplomacy",
    "sanctions": "UN action",
    "economy": "estimate",
}
UNTITLED = "the article on a possible new Trump\u2013Kim meeting"  # the one article copy without a header


def _render(template: str, **context) -> str:
    return escape.render(
        template,
        verdict_class=CSS_CLASS.__getitem__,
        verdict_mark=MARK.__getitem__,
        how_we_rate=HOW_WE_RATE,
        **context,
    )


def _setting(cns_threshold_only: bool) -> str:
    return fmt.SETTING[cns_threshold_only]


def _result(row, cns_threshold_only: bool) -> E.Result:
    return row.result if cns_threshold_only else row.result_all_launches


def _verdict_column(cns_threshold_only: bool) -> str:
    return "verdict" if cns_threshold_only else "verdict_all_launches"


def _other(row, cns_threshold_only: bool) -> str | None:
    """The verdict under the other inclusion setting, where it differs."""
    return getattr(row, _verdict_column(not cns_threshold_only)) if row.depends_on_setting else None


def leaves(result: E.Result) -> list[E.Result]:
    """The results that read a table: the result itself, or the parts of an all/any/gate, depth first."""
    return [leaf for p in result.parts for leaf in leaves(p)] if result.parts else [result]


def article_name(frames: dict[str, pd.DataFrame], article_id: str) -> str:
    """'“Title” (Publisher, 31 December 2022)', or the article's description when its copy has no header."""
    a = frames["articles"].set_index("article_id").loc[article_id]
    if fmt.is_unknown(a["title"]) or not str(a["title"]).strip():
        return UNTITLED
    by = [str(a[c]) for c in ("publisher",) if not fmt.is_unknown(a[c]) and str(a[c]).strip()]
    if not fmt.is_unknown(a["date_published"]) and str(a["date_published"]).strip():
        by.append(fmt.day(a["date_published"]))
    return f"\u201c{a['title']}\u201d" + (f" ({', '.join(by)})" if by else "")


def page_name(article_id: str) -> str:
    """The scorecard page's name as notebooks/reports.yml gives it: 'claims-scorecard' for the notebook's default
    article, 'claims-scorecard-<article_id>' for the others."""
    default = params.ClaimsScorecard.model_fields["article_id"].default
    return "claims-scorecard" if article_id == default else f"claims-scorecard-{article_id}"


def jsonld_name(article_id: str, cns_threshold_only: bool) -> str:
    """The ClaimReview file beside the page: claims.jsonld (claims-<article_id>.jsonld past the default article),
    '-all-launches' before the extension when every launch is counted."""
    name = "claims" + page_name(article_id).removeprefix("claims-scorecard")
    return f"{name}.jsonld" if cns_threshold_only else f"{name}-all-launches.jsonld"


# Evidence rows: what a reader needs of each cited row (date, kind, what, sources), never its id.


def _sanction(r) -> str:
    name = r.sanction_id if r.action == "adopted" else f"the {r.action} draft of {fmt.day(r.date)}"
    return f"{name[0].upper()}{name[1:]}: {r.measures}"


def _missiles(m: pd.DataFrame) -> pd.DataFrame:
    def what(g: pd.DataFrame) -> str:
        types = dict.fromkeys(
            f"{d} ({c})" for d, c in zip(g["designation"].fillna(g["missile_name"]), g["missile_class"])
        )
        return f"{fmt.plural(len(g), 'missile')}: {', '.join(types)}"

    return pd.DataFrame(
        [
            {"date": g["date_kst"].min(), "what": what(g), "source_ids": _union(g["source_ids"])}
            for _, g in m.groupby("launch_id", sort=False)
        ],
        columns=["date", "what", "source_ids"],
    )


def _union(source_ids: pd.Series) -> str:
    """The distinct ids in a column of semicolon lists, as one list."""
    return ";".join(dict.fromkeys(i for v in source_ids.fillna("") for i in str(v).split(";") if i))


def _table_rows(frames: dict[str, pd.DataFrame], leaf: E.Result) -> pd.DataFrame:
    table, ids = leaf.table, list(dict.fromkeys(leaf.evidence))
    t = frames[table]
    if table == "missile_tests":
        out = _missiles(t[t["missile_id"].isin(ids)].sort_values("date_kst", kind="stable"))
    elif table == "economy":
        years = [p for k in ("baseline period", "period") if (p := leaf.figures.get(k))]
        keep = t["measure"].isin(ids) & pd.Series(
            [any(a.year <= y <= b.year for a, b in years) for y in t["year"]], index=t.index
        )
        e = t[keep].sort_values(["measure", "year"])
        out = pd.DataFrame(
            {
                "date": pd.to_datetime(e["year"].astype(str) + "-07-01"),
                "when": e["year"].astype(str),
                "what": [
                    f"{econ.LABELS[r.measure][0].upper()}{econ.LABELS[r.measure][1:]}: {claim_words.value(r.value)}"
                    for r in e.itertuples()
                ],
                "source_ids": e["source_ids"],
                "publisher": e["publisher"],
            }
        )
    else:
        rows = t.set_index(E.ID_COLUMN[table]).loc[ids].reset_index()
        if table == "nuclear_tests":
            what = [
                f"Nuclear test at {r.site}, magnitude {claim_words.value(r.mb)}, "
                f"{claim_words.value(r.yield_kt_low)}\u2013{claim_words.value(r.yield_kt_high)} kt"
                for r in rows.itertuples()
            ]
        elif table == "diplomatic_events":
            what = list(rows["title"])
        else:
            what = [_sanction(r) for r in rows.itertuples()]
        out = pd.DataFrame({"date": rows[E.DATE_COLUMN[table]], "what": what, "source_ids": rows["source_ids"]})
    if "when" not in out:
        out["when"] = out["date"].map(fmt.date)
    return out.assign(kind=EVIDENCE_KIND[table], table=table)


def evidence_rows(frames: dict[str, pd.DataFrame], result: E.Result) -> pd.DataFrame:
    """The rows behind a result (of every part, once, in order): date, when (as shown), kind, what, source_ids,
    publisher (economy rows), table."""
    parts = [_table_rows(frames, leaf) for leaf in leaves(result) if leaf.evidence and leaf.table]
    columns = ["date", "when", "kind", "what", "source_ids", "publisher", "table"]
    if not parts:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    return rows.assign(date=pd.to_datetime(rows["date"])).drop_duplicates(["table", "date", "what"], ignore_index=True)


def _evidence(frames: dict[str, pd.DataFrame], rows: pd.DataFrame) -> list[dict]:
    src = frames["sources"].set_index("source_id")
    out = []
    for r in rows.itertuples():
        ids = [i for i in dict.fromkeys(str(r.source_ids).split(";")) if i in src.index]
        out.append({"date": r.when, "kind": r.kind, "what": r.what, "sources": [src.loc[i] for i in ids]})
    return out


# The page: tally, headline, the fact-check rows, the sections.


def tally(ledger: pd.DataFrame, column: str = "verdict") -> list[tuple[str, int]]:
    """(verdict, number of claims) for every verdict, in engine.VERDICTS order, zeros included."""
    counts = ledger[column].value_counts()
    return [(v, int(counts.get(v, 0))) for v in E.VERDICTS]


def headline_text(ledger: pd.DataFrame, cns_threshold_only: bool = True) -> Headline:
    """The scorecard's answer in one sentence, and the tally as key figures."""
    counts = dict(tally(ledger, _verdict_column(cns_threshold_only)))
    testable = len(ledger) - counts[E.NOT_TESTABLE]
    n = {v: str(c) if c else "none" for v, c in counts.items()}
    consistent = (
        f", find {n[E.CONSISTENT]} consistent with the timing but cannot show the cause" if counts[E.CONSISTENT] else ""
    )
    sentence = (
        f"Of the article's {fmt.plural(len(ledger), 'factual claim')}, the data support "
        f"{n[E.SUPPORTED]}{consistent}, partly support {n[E.MIXED]} and contradict "
        f"{n[E.CONTRADICTED]}; "
        + (f"{n[E.NOT_TESTABLE]} cannot be tested with these data." if counts[E.NOT_TESTABLE] else "all can be tested.")
    )
    differ = int(ledger["depends_on_setting"].sum())
    if differ:
        sentence += (
            f" Counting {_setting(not cns_threshold_only)} changes the verdict on {fmt.plural(differ, 'claim')}."
        )
    figures = [(str(counts[v]), TALLY_LABEL.get(v, v)) for v in E.VERDICTS]
    return sentence, figures + [(f"{testable} of {len(ledger)}", "claims testable")]


def _number(row) -> int:
    return int(row.Index) + 1


def sources_behind(
    frames: dict[str, pd.DataFrame],
    ledger: pd.DataFrame,
    cns_threshold_only: bool,
    evidence: pd.DataFrame | None = None,
) -> list[dict]:
    """Every source behind the verdicts, once, by publisher: the sources of every evidence row and the publishers
    of the economy estimates ({publisher, links: [(title, url)]}, in order of first citation). `evidence` is
    `all_evidence()`'s answer when the caller already has it."""
    rows = all_evidence(frames, ledger, cns_threshold_only) if evidence is None else evidence
    src = frames["sources"].set_index("source_id")
    by: dict[str, list] = {}
    for p in rows["publisher"].dropna():
        by.setdefault(p, [])
    for i in dict.fromkeys(";".join(rows["source_ids"].fillna("")).split(";")):
        if i in src.index:
            s = src.loc[i]
            by.setdefault(s["publisher"], []).append((s["title"], s["url"]))
    return [{"publisher": p, "links": links} for p, links in by.items()]


def fact_check(
    frames: dict[str, pd.DataFrame],
    ledger: pd.DataFrame,
    article_id: str,
    cns_threshold_only: bool = True,
    evidence: pd.DataFrame | None = None,
) -> HTML:
    """The article named, the data's date, the tally, the 'how we rate' box and one row per claim: badge, quote,
    restated claim, the decisive evidence in one line, a flag where the other inclusion setting gives another
    verdict, and a link to the claim's section; then the sources behind the verdicts (from `evidence`,
    `all_evidence()`'s answer, when the caller already has it)."""
    words = claim_words.check_says(frames)
    rows = []
    for row in ledger.itertuples():
        result = _result(row, cns_threshold_only)
        rows.append(
            {
                "verdict": result.verdict,
                "quote": row.quote,
                "claim": row.claim,
                "why": claim_words.summary(result, words),
                "other": _other(row, cns_threshold_only),
                "anchor": row.claim_id,
                "number": _number(row),
            }
        )
    differ = int(ledger["depends_on_setting"].sum())
    return HTML(
        _render(
            "factcheck.html.j2",
            article=article_name(frames, article_id),
            as_of=fmt.day(fingerprint.data_as_of()),
            rows=rows,
            setting=_setting(cns_threshold_only),
            tally=tally(ledger, _verdict_column(cns_threshold_only)),
            levels=list(LEVELS.items()),
            other_setting=_setting(not cns_threshold_only),
            differ=fmt.plural(differ, "claim") if differ else "",
            sources=sources_behind(frames, ledger, cns_threshold_only, evidence),
        )
    )


def _parts(result: E.Result, words: dict[str, str]) -> list[dict]:
    return [
        {
            "says": words.get(p.check_id, ""),
            "verdict": p.verdict,
            "rationale": claim_words.rationale(p, words),
            "figures": claim_words.figures(p),
            "parts": _parts(p, words),
        }
        for p in result.parts
    ]


def section(
    frames: dict[str, pd.DataFrame],
    row,
    cns_threshold_only: bool,
    log: pd.DataFrame | None = None,
    words: dict[str, str] | None = None,
    evidence: pd.DataFrame | None = None,
) -> HTML:
    """One claim: quote, restatement, verdict badge, the decisive evidence, what the data show, what the check
    tests, its parts with their verdicts and figures, the evidence rows with their sources, and its verdict history.
    `log` (the verdict log), `words` (claim_words.check_says) and `evidence` (its evidence_rows) are worked out here
    when not given."""
    words = claim_words.check_says(frames) if words is None else words
    result = _result(row, cns_threshold_only)
    evidence = evidence_rows(frames, result) if evidence is None else evidence
    return HTML(
        _render(
            "claim_section.html.j2",
            anchor=row.claim_id,
            number=_number(row),
            paragraph=row.paragraph,
            quote=row.quote,
            claim=row.claim,
            verdict=result.verdict,
            other=_other(row, cns_threshold_only),
            other_setting=_setting(not cns_threshold_only),
            summary=claim_words.summary(result, words),
            rationale="" if result.parts else claim_words.rationale(result, words),
            rule=words.get(result.check_id, ""),
            figures=claim_words.figures(result),
            parts=_parts(result, words),
            evidence=_evidence(frames, evidence),
            evidence_count=fmt.plural(len(evidence), "row"),
            history=history_line(row.claim_id, cns_threshold_only, log=log),
        )
    )


def _yearly(result: E.Result) -> dict[str, pd.Series]:
    """label -> count per year, for each record among a result and its parts."""
    out = {}
    for leaf in leaves(result):
        if leaf.kind == "record" and leaf.figures.get("by year"):
            label = claim_words.noun(leaf) if not str(leaf.figures["measure"]).startswith("largest") else "magnitude"
            out[label if label not in out else f"{label} ({leaf.table})"] = pd.Series(leaf.figures["by year"])
    return out


def chart(
    frames: dict[str, pd.DataFrame], row, cns_threshold_only: bool, drawn: set, evidence: pd.DataFrame | None = None
) -> go.Figure | None:
    """The chart behind one ledger row, by the kind of its check, or None when it would show nothing the sentence
    does not: a record (or records) by year with the claimed year highlighted; else the evidence timeline, for
    claims whose evidence includes missile launches, at least MIN_CHART_ROWS rows, once per distinct set of evidence
    (`drawn` remembers what was drawn; `evidence`, its evidence_rows, is worked out here when not given)."""
    result = _result(row, cns_threshold_only)
    if result.verdict == E.NOT_TESTABLE and not result.parts:
        return None
    yearly = _yearly(result)
    if yearly:
        year = next(leaf.figures["year"] for leaf in leaves(result) if leaf.kind == "record")
        return charts.year_bars(yearly, [year], fmt.COUNTED[cns_threshold_only])
    rows = evidence_rows(frames, result) if evidence is None else evidence
    key = (frozenset(zip(rows["table"], rows["what"], rows["date"])), result.period)
    if "missile_tests" not in set(rows["table"]) or len(rows) < MIN_CHART_ROWS or key in drawn:
        return None
    drawn.add(key)
    periods = [leaf.period for leaf in leaves(result) if leaf.period]
    span = (min(p[0] for p in periods), max(p[1] for p in periods)) if periods else None
    return charts.evidence_timeline(frames, rows, cns_threshold_only, span)


def sections(frames: dict[str, pd.DataFrame], ledger: pd.DataFrame, cns_threshold_only: bool):
    """(section, chart or None) for every claim, in ledger order; no chart is drawn twice."""
    from analysis.checks import verdicts

    drawn: set = set()
    log, words = verdicts.load(), claim_words.check_says(frames)  # once for all the claims
    for row in ledger.itertuples():
        evidence = evidence_rows(frames, _result(row, cns_threshold_only))
        yield (
            section(frames, row, cns_threshold_only, log, words, evidence),
            chart(frames, row, cns_threshold_only, drawn, evidence),
        )


def all_evidence(frames: dict[str, pd.DataFrame], ledger: pd.DataFrame, cns_threshold_only: bool) -> pd.DataFrame:
    """Every evidence row the ledger cites under one setting, once, with the claims citing it (the download)."""
    parts = [
        evidence_rows(frames, _result(row, cns_threshold_only)).assign(claims=row.claim_id)
        for row in ledger.itertuples()
    ]
    columns = ["date", "when", "kind", "what", "source_ids", "publisher", "table", "claims"]
    if not parts:
        return pd.DataFrame(columns=columns)
    cited = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    key = cited["table"] + "|" + cited["when"] + "|" + cited["what"]
    first = ~key.duplicated()
    claims_of = cited.groupby(key, sort=False)["claims"].agg(";".join)
    return cited[first].assign(claims=key[first].map(claims_of)).reset_index(drop=True)


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
