"""The claims ledger: every claim of every checked article (data/curated/claims.csv) with its check as data
(data/curated/checks.csv), evaluated by analysis.checks.engine under both inclusion settings.

A claim's root check has the claim's id; combinators name their parts. `problems()` is what `analysis validate`
adds to the table checks: one line per check row that cannot run, naming the row and the parameter.
"""

from __future__ import annotations

import pandas as pd

from analysis import settings
from analysis.checks import engine as E
from analysis.checks import vocabulary as V
from analysis.data import schema
from analysis.data.files import relative

ANCHOR_FIELDS = ("from_", "after", "to", "before", "at", "since")


def parsed(checks: pd.DataFrame) -> dict[str, tuple]:
    """check_id -> (parameters, causal) for every row; raises CheckError on the first bad row."""
    return {r.check_id: V.parse(r.check_id, r.kind, r.params) for r in checks.itertuples()}


def _anchors(params) -> list[str]:
    out = [getattr(params, f, None) for f in ANCHOR_FIELDS]
    if isinstance(params, V.Compare):
        out += [a for period in (params.baseline, params.period) for a in period.split("..")]
    return [a for a in out if a]


def _row_problems(check_id: str, claim_id: str, params, frames, checks: dict, columns: dict) -> list[str]:
    where = f"checks.csv: {check_id}"
    out = []
    if isinstance(params, V.Combine):
        for part in params.parts:
            if part not in checks:
                out.append(f"{where}: parameter 'parts': no check {part!r}")
            elif not part.startswith(f"{claim_id}."):
                out.append(f"{where}: parameter 'parts': {part!r} is not a part of {claim_id}")
        if params.kind == "gate" and len(params.parts) != 2:
            out.append(f"{where}: parameter 'parts': a gate has two parts, the condition and the check")
        return out
    table = params.table
    for c in getattr(params, "where", ()):
        if c.column not in columns[table]:
            out.append(f"{where}: parameter 'where.{c.column}': {table} has no column {c.column!r}")
    for name in ("value_column", "field"):
        col = getattr(params, name, None)
        if col and col not in columns[table]:
            out.append(f"{where}: parameter {name!r}: {table} has no column {col!r}")
    events = set(frames["diplomatic_events"]["event_id"]) if "diplomatic_events" in frames else set()
    for anchor in _anchors(params):
        event = E.OFFSET.match(anchor)[1].partition(":")[2]
        if anchor.startswith("event") and event not in events:
            out.append(f"{where}: anchor {anchor!r}: no diplomatic event {event!r}")
    if isinstance(params, V.Value) and table in frames:
        if params.id not in set(frames[table][E.ID_COLUMN[table]]):
            out.append(f"{where}: parameter 'id': {table} has no row {params.id!r}")
    return out


def problems(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Every check row that cannot run: unknown kind or parameter, a filter on a missing column, an anchor or row
    that does not exist, a part of another claim, a testable claim without a root check or an untestable one
    with a check."""
    if "checks" not in frames or "claims" not in frames:
        return []
    columns = {name: t.columns for name, t in schema.tables(settings.DATAPACKAGE).items()}
    out, checks = [], {}
    for r in frames["checks"].itertuples():
        try:
            checks[r.check_id] = (r.claim_id, V.parse(r.check_id, r.kind, r.params)[0])
        except V.CheckError as e:
            out.append(str(e))
    for check_id, (claim_id, params) in checks.items():
        if check_id != claim_id and not check_id.startswith(f"{claim_id}."):
            out.append(f"checks.csv: {check_id}: claim_id {claim_id!r}: a check's id starts with its claim's")
        out += _row_problems(check_id, claim_id, params, frames, checks, columns)
    roots = set(frames["checks"]["check_id"])
    for r in frames["claims"].itertuples():
        if r.testable and r.claim_id not in roots:
            out.append(f"claims.csv: {r.claim_id}: testable, but checks.csv has no check {r.claim_id!r}")
        if not r.testable and r.claim_id in roots:
            out.append(f"claims.csv: {r.claim_id}: not testable, but checks.csv has a check for it")
    return [f"{relative(settings.CURATED_DIR)}/{line}" for line in out]


def tables_read(check_id: str, checks: dict) -> list[str]:
    """The tables a check reads, its parts' included, in first-use order."""
    params, _ = checks[check_id]
    if isinstance(params, V.Combine):
        return list(dict.fromkeys(t for part in params.parts for t in tables_read(part, checks)))
    return [params.table]


def _article_dates(frames: dict[str, pd.DataFrame]) -> dict[str, pd.Timestamp | None]:
    articles = frames["articles"]
    return {r.article_id: (None if pd.isna(r.date_published) else r.date_published) for r in articles.itertuples()}


def ledger(frames: dict[str, pd.DataFrame], article_id: str | None = None) -> pd.DataFrame:
    """Every claim (of one article, or all) with its verdict under both inclusion settings.

    Columns: the claims.csv columns, `tables` (what its check reads), `verdict` (CNS criterion only),
    `verdict_all_launches`, `depends_on_setting`, and the two engine Results (`result`, `result_all_launches`)."""
    claims = frames["claims"]
    if article_id is not None:
        claims = claims[claims["article_id"] == article_id]
    claims = claims.reset_index(drop=True)
    checks = parsed(frames["checks"])
    dates = _article_dates(frames)
    results: dict[bool, list[E.Result]] = {True: [], False: []}
    contexts: dict[tuple, E.Context] = {}  # one per setting and article: their data bounds are computed once
    for row in claims.itertuples():
        for cns in results:
            if row.claim_id in checks:
                key = (cns, row.article_id)
                ctx = contexts.setdefault(key, E.Context(frames, cns, dates.get(row.article_id)))
                results[cns].append(E.evaluate(checks, row.claim_id, ctx))
            else:
                results[cns].append(E.Result(row.claim_id, "none", E.NOT_TESTABLE, reason=row.reason or ""))
    out = claims.assign(
        tables=[";".join(tables_read(c, checks)) if c in checks else "" for c in claims["claim_id"]],
        verdict=[r.verdict for r in results[True]],
        verdict_all_launches=[r.verdict for r in results[False]],
        result=results[True],
        result_all_launches=results[False],
    )
    return out.assign(depends_on_setting=out["verdict"] != out["verdict_all_launches"])
