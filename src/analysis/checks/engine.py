"""Checks as data, evaluated: each kind of data/curated/checks.csv (analysis.checks.vocabulary) applied to the
validated frames. A result is numbers and ids only (the verdict, the figures, the evidence rows); the sentences a
page shows are made from them in analysis.pages.claim_words.

Dates are Korean (KST) calendar dates. Under `cns_threshold_only` a missile selection keeps only missiles within
the CNS criterion; the ledger evaluates every check under both settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from analysis.checks import vocabulary as V

SUPPORTED, CONSISTENT, MIXED, CONTRADICTED = "supported", "consistent, cause not shown", "mixed", "contradicted"
NOT_TESTABLE = "not testable with these data"
VERDICTS = (SUPPORTED, CONSISTENT, MIXED, CONTRADICTED, NOT_TESTABLE)

DATE_COLUMN = {
    "missile_tests": "date_kst",
    "nuclear_tests": "date_kst",
    "diplomatic_events": "start_date",
    "sanctions": "date",
    "economy": "year",
}
ID_COLUMN = {
    "missile_tests": "missile_id",
    "nuclear_tests": "test_id",
    "diplomatic_events": "event_id",
    "sanctions": "sanction_id",
    "economy": "measure",
}


OFFSET = re.compile(r"^(.*?)([+-]\d+d)?$")


class Untestable(Exception):
    """The data cannot answer the check (an anchor row missing, an empty period): the message says why."""


@dataclass
class Result:
    check_id: str
    kind: str
    verdict: str
    figures: dict = field(default_factory=dict)  # name -> number, date or text, in the order a reader needs them
    evidence: list[str] = field(default_factory=list)  # row ids behind the verdict
    table: str | None = None  # the table the evidence ids are from
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None
    parts: list[Result] = field(default_factory=list)
    reason: str = ""  # why a check is not testable

    def key_figures(self) -> dict:
        """The figures of every check under this one, by check id: what the verdict log compares."""
        if not self.parts:
            return {k: v for k, v in self.figures.items() if k != "by year"}
        return {p.check_id: {"verdict": p.verdict, **p.key_figures()} for p in self.parts}


@dataclass
class Context:
    frames: dict[str, pd.DataFrame]
    cns_threshold_only: bool
    article_date: pd.Timestamp | None = None  # the checked article's date, when its copy gives one

    @cached_property
    def data_start(self) -> pd.Timestamp:
        return min(self.frames[t][c].min() for t, c in DATE_COLUMN.items() if t != "economy")

    @cached_property
    def data_end(self) -> pd.Timestamp:
        return max(self.frames[t][c].max() for t, c in DATE_COLUMN.items() if t != "economy")

    def anchor(self, text: str | None, *, end: bool = False) -> pd.Timestamp | None:
        """An anchor as a date; a bare year is its first day, or with end=True its last; `+Nd`/`-Nd` moves it."""
        if text is None:
            return None
        m = OFFSET.match(text)
        if m[2]:
            return self.anchor(m[1], end=end) + pd.Timedelta(days=int(m[2][:-1]))
        if text == "article_date":
            if self.article_date is None:
                raise Untestable("the article's copy gives no date")
            return self.article_date
        if text == "data_start":
            return self.data_start
        if text == "data_end":
            return self.data_end
        if text.startswith(("event:", "event_end:")):
            kind, _, event_id = text.partition(":")
            ev = self.frames["diplomatic_events"]
            row = ev[ev["event_id"] == event_id]
            if row.empty:
                raise Untestable(f"the diplomatic_events table has no row {event_id!r}")
            return row.iloc[0]["end_date" if kind == "event_end" else "start_date"]
        if len(text) == 4:
            return pd.Timestamp(f"{text}-12-31" if end else f"{text}-01-01")
        return pd.Timestamp(text)

    def rows(self, sel: V.Selection) -> pd.DataFrame:
        table = self.frames[sel.table]
        if sel.table == "missile_tests" and self.cns_threshold_only:
            table = table[table["cns_threshold"].astype(bool)]
        keep = pd.Series(True, index=table.index)
        for c in sel.where:
            keep &= _condition(table[c.column], c)
        dates = _dates(table, sel.table)
        bounds = (
            (sel.from_, lambda d, a: d >= a, False),
            (sel.after, lambda d, a: d > a, True),
            (sel.to, lambda d, a: d <= a, True),
            (sel.before, lambda d, a: d < a, False),
        )
        for text, test, end in bounds:
            if (a := self.anchor(text, end=end)) is not None:
                keep &= test(dates, a)
        return table[keep].sort_values(DATE_COLUMN[sel.table], kind="stable")


def _dates(table: pd.DataFrame, name: str) -> pd.Series:
    col = table[DATE_COLUMN[name]]
    return pd.to_datetime(col.astype(str) + "-07-01") if name == "economy" else col


def _condition(column: pd.Series, c: V.Condition) -> pd.Series:
    values = [v.strip() for v in c.value.split(",")]
    if column.name in V.LIST_COLUMNS:
        has = column.fillna("").str.split(";").map(set)
        hit = has.map(lambda s: set(values) <= s).astype(bool)
        return ~hit if c.op == "!=" else hit
    if c.op in ("=", "!="):
        if (
            pd.api.types.is_bool_dtype(column)
            or column.dropna().isin([True, False]).all()
            and values[0]
            in (
                "true",
                "false",
            )
        ):
            hit = column.fillna(False).astype(bool) == (values[0] == "true")
        else:
            hit = column.astype(str).isin(values)
        return ~hit if c.op == "!=" else hit
    number = pd.to_numeric(column, errors="coerce")
    bound = float(values[0])
    return {">=": number >= bound, "<=": number <= bound, ">": number > bound, "<": number < bound}[c.op].fillna(False)


def measure(rows: pd.DataFrame, name: str, flown_before: set[str] = frozenset()) -> int:
    """A count of a selection: rows, missiles (rows of missile_tests), launch days (distinct KST dates), launch
    events (distinct launch_id), designations (distinct types), or new designations (types in the selection that
    are not in `flown_before`, a set difference on the normalised designation)."""
    if name in ("rows", "missiles"):
        return len(rows)
    if name == "launch_days":
        return int(rows["date_kst"].nunique())
    if name == "launches":
        return int(rows["launch_id"].nunique())
    types = set(rows["designation"].dropna()) - {""}
    return len(types - flown_before) if name == "new_designations" else len(types)


def flown_before(ctx: Context, sel: V.Selection, rows: pd.DataFrame) -> set[str]:
    """The designations the selection's table (same setting and filters, no time bounds) holds before its rows."""
    if rows.empty:
        return set()
    everything = ctx.rows(sel.model_copy(update={"from_": None, "after": None, "to": None, "before": None}))
    return set(everything.loc[everything["date_kst"] < rows["date_kst"].min(), "designation"].dropna())


def _tolerance(text: str, stated: float) -> float:
    return abs(stated) * float(text[:-1]) / 100 if text.endswith("%") else float(text)


def _against(value: float, spec) -> tuple[str, dict]:
    """Supported when the value is within tolerance of the stated figure and within the bounds."""
    figures: dict = {}
    ok = True
    if spec.stated is not None:
        tol = _tolerance(spec.tolerance, spec.stated)
        figures |= {"stated": spec.stated, "tolerance": tol, "difference": value - spec.stated}
        ok &= abs(value - spec.stated) <= tol
    if spec.at_least is not None:
        figures["at least"] = spec.at_least
        ok &= value >= spec.at_least
    if spec.at_most is not None:
        figures["at most"] = spec.at_most
        ok &= value <= spec.at_most
    return (SUPPORTED if ok else CONTRADICTED), figures


def _span(ctx: Context, sel: V.Selection, rows: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    dates = _dates(rows, sel.table)
    lo = ctx.anchor(sel.from_) or ctx.anchor(sel.after) or (dates.min() if len(dates) else ctx.data_start)
    before = ctx.anchor(sel.before)
    hi = ctx.anchor(sel.to, end=True) or (before - pd.Timedelta(days=1) if before is not None else ctx.data_end)
    return lo, hi


def count(ctx: Context, check_id: str, p: V.Count) -> Result:
    rows = ctx.rows(p)
    before = flown_before(ctx, p, rows) if "new_designations" in (p.measure, *p.definitions) else set()
    value = measure(rows, p.measure, before)
    verdict, figures = _against(value, p)
    others = {m: measure(rows, m, before) for m in p.definitions if m != p.measure}
    return Result(
        check_id,
        "count",
        verdict,
        {"value": value, "measure": p.measure, **figures, **{f"by {m}": v for m, v in others.items()}},
        list(rows[ID_COLUMN[p.table]]),
        p.table,
        _span(ctx, p, rows),
    )


def per_year(rows: pd.DataFrame, p: V.Record) -> pd.Series:
    years = _dates(rows, p.table).dt.year
    if p.statistic == "max":
        return pd.to_numeric(rows[p.value_column], errors="coerce").groupby(years).max().dropna()
    return rows.groupby(years).apply(lambda g: measure(g, p.measure), include_groups=False).astype(int)


def record(ctx: Context, check_id: str, p: V.Record) -> Result:
    rows = ctx.rows(p)
    counts = per_year(rows, p)
    if p.period not in counts.index:
        raise Untestable(f"no {p.table} row in {p.period}")
    peers = counts[counts.index < p.period] if p.among == "earlier" else counts.drop(p.period)
    value, best = counts[p.period].item(), peers.max().item() if len(peers) else 0
    ties = sorted(int(y) for y in peers[peers == value].index)
    verdict = SUPPORTED if value > best else MIXED if value == best else CONTRADICTED
    top = int(peers.idxmax()) if len(peers) else None
    what = f"largest {p.value_column}" if p.statistic == "max" else p.measure
    figures = {"value": value, "measure": what, "year": p.period, "best other year": top, "its value": best}
    figures["by year"] = counts.to_dict()
    if ties:
        figures["tied with"] = ", ".join(map(str, ties))
    in_year = rows[_dates(rows, p.table).dt.year == p.period]
    span = (pd.Timestamp(f"{min(counts.index)}-01-01"), pd.Timestamp(f"{p.period}-12-31"))
    return Result(check_id, "record", verdict, figures, list(in_year[ID_COLUMN[p.table]]), p.table, span)


def first_since(ctx: Context, check_id: str, p: V.FirstSince) -> Result:
    at, since = ctx.anchor(p.at), ctx.anchor(p.since)
    rows = ctx.rows(p)
    dates = _dates(rows, p.table)
    earlier = rows[(dates >= since) & (dates < at)]
    claimed = rows[dates == at]
    if claimed.empty:
        raise Untestable(f"no {p.table} row matching the check on {at:%Y-%m-%d}")
    verdict = SUPPORTED if earlier.empty else CONTRADICTED
    figures = {"date": at, "since": since, "earlier matches": len(earlier)}
    if len(earlier):
        figures["last earlier match"] = _dates(earlier, p.table).max()
    ids = [*claimed[ID_COLUMN[p.table]], *earlier[ID_COLUMN[p.table]]]
    return Result(check_id, "first_since", verdict, figures, ids, p.table, (since, at))


def gap(ctx: Context, check_id: str, p: V.Gap) -> Result:
    rows = ctx.rows(p)
    dates = pd.Series(_dates(rows, p.table).unique()).sort_values(ignore_index=True)
    ids = list(rows[ID_COLUMN[p.table]])
    if p.mode in ("next", "since_last"):
        at = ctx.anchor(p.at)
        if p.mode == "next":
            later = dates[dates > at]
            if later.empty:
                raise Untestable(f"no {p.table} row after {at:%Y-%m-%d}")
            other, days = later.iloc[0], (later.iloc[0] - at).days
        else:
            earlier = dates[dates < at]
            if earlier.empty:
                raise Untestable(f"no {p.table} row before {at:%Y-%m-%d}")
            other, days = earlier.iloc[-1], (at - earlier.iloc[-1]).days
        verdict, figures = _against(days, p)
        keep = _dates(rows, p.table) == other
        return Result(
            check_id,
            "gap",
            verdict,
            {"days": days, "mode": p.mode, "anchor": at, "other": other, **figures},
            list(rows[keep][ID_COLUMN[p.table]]),
            p.table,
            tuple(sorted((at, other))),
        )
    start = ctx.anchor(p.from_) or ctx.anchor(p.after)
    ends = [*dates, ctx.data_end] if p.through_end else list(dates)
    spans = [(a, b) for a, b in zip([start, *dates], ends) if a is not None and b > a]
    if p.starts_within is not None and start is not None:
        spans = [(a, b) for a, b in spans if (a - start).days <= p.starts_within]
    if not spans:
        raise Untestable(f"no gap between {p.table} rows in the period")
    a, b = max(spans, key=lambda s: (s[1] - s[0]).days)
    days = (b - a).days
    verdict, figures = _against(days, p)
    open_gap = b == ctx.data_end and b not in set(dates)
    figures = {"days": days, "mode": p.mode, "from": a, "to": b, "open": open_gap, **figures}
    return Result(check_id, "gap", verdict, figures, ids, p.table, (a, b))


def compare(ctx: Context, check_id: str, p: V.Compare) -> Result:
    rows = ctx.rows(p)
    dates = _dates(rows, p.table)

    def stat(period: str) -> tuple[float, pd.DataFrame, tuple]:
        a, _, b = period.partition("..")
        lo, hi = ctx.anchor(a), ctx.anchor(b, end=True)
        inside = rows[(dates >= lo) & (dates <= hi)]
        if inside.empty:
            raise Untestable(f"no {p.table} row from {a} to {b}")
        if p.statistic in ("mean", "sum"):
            values = pd.to_numeric(inside[p.value_column], errors="coerce")
            return float(getattr(values, p.statistic)()), inside, (lo, hi)
        return float(measure(inside, p.statistic)), inside, (lo, hi)

    base, base_rows, base_span = stat(p.baseline)
    value, rows_in, span = stat(p.period)
    change = value - base
    threshold = _tolerance(p.min_change, base)
    # A move smaller than min_change is within the figures' uncertainty: no evidence of the claimed change.
    moved = change <= -threshold if p.direction == "lower" else change >= threshold
    verdict = SUPPORTED if moved and change != 0 else CONTRADICTED
    figures = {
        "baseline": base,
        "value": value,
        "change": change,
        "change %": 100 * change / abs(base) if base else np.nan,
        "direction": p.direction,
        "smallest change that counts": threshold,
        "statistic": p.statistic,
        "baseline period": base_span,
        "period": span,
    }
    ids = list(pd.concat([base_rows, rows_in])[ID_COLUMN[p.table]].astype(str))
    return Result(check_id, "compare", verdict, figures, ids, p.table, (base_span[0], span[1]))


def exists(ctx: Context, check_id: str, p: V.Exists) -> Result:
    rows = ctx.rows(p)
    n = len(rows)
    ok = n >= p.at_least and (p.at_most is None or n <= p.at_most)
    figures = {"matches": n, "at least": p.at_least}
    if p.at_most is not None:
        figures["at most"] = p.at_most
    span = _span(ctx, p, rows)
    return Result(
        check_id, "exists", SUPPORTED if ok else CONTRADICTED, figures, list(rows[ID_COLUMN[p.table]]), p.table, span
    )


def value(ctx: Context, check_id: str, p: V.Value) -> Result:
    table = ctx.frames[p.table]
    row = table[table[ID_COLUMN[p.table]] == p.id]
    if row.empty:
        raise Untestable(f"the {p.table} table has no row {p.id!r}")
    v = row.iloc[0][p.field]
    if pd.isna(v):
        raise Untestable(f"{p.table} row {p.id!r} has no {p.field}")
    verdict, figures = _against(float(v), p)
    return Result(check_id, "value", verdict, {"value": float(v), "field": p.field, **figures}, [p.id], p.table)


def combine(kind: str, parts: list[Result]) -> str:
    """all: supported when every testable part is (consistent when one of them is only consistent); contradicted
    when every testable part is; mixed between. most: supported when more than half the testable parts hold,
    contradicted when more than half are contradicted. any: supported when one part is. gate: the second part's verdict
    when the first holds, else not testable."""
    verdicts = [r.verdict for r in parts]
    if kind == "gate":
        return verdicts[1] if verdicts[0] in (SUPPORTED, CONSISTENT) else NOT_TESTABLE
    testable = [v for v in verdicts if v != NOT_TESTABLE]  # an untestable part is said, not counted
    if not testable:
        return NOT_TESTABLE
    holds = [v in (SUPPORTED, CONSISTENT) for v in testable]
    if kind == "any":
        return SUPPORTED if any(holds) else CONTRADICTED if all(v == CONTRADICTED for v in testable) else MIXED
    if kind == "most":
        against = sum(v == CONTRADICTED for v in testable)
        return SUPPORTED if 2 * sum(holds) > len(testable) else CONTRADICTED if 2 * against > len(testable) else MIXED
    if all(holds):
        return CONSISTENT if CONSISTENT in testable else SUPPORTED
    return CONTRADICTED if all(v == CONTRADICTED for v in testable) else MIXED


EVALUATORS = {
    "count": count,
    "record": record,
    "first_since": first_since,
    "gap": gap,
    "compare": compare,
    "exists": exists,
    "value": value,
}


def evaluate(checks: dict[str, tuple], check_id: str, ctx: Context) -> Result:
    """One check (and its parts, for all/any/gate). `checks` maps check_id to (parsed parameters, causal)."""
    params, causal = checks[check_id]
    if isinstance(params, V.Combine):
        parts = [evaluate(checks, part, ctx) for part in params.parts]
        result = Result(check_id, params.kind, combine(params.kind, parts), parts=parts)
    else:
        try:
            result = EVALUATORS[params.kind](ctx, check_id, params)
        except Untestable as e:
            result = Result(check_id, params.kind, NOT_TESTABLE, reason=str(e))
    if causal and result.verdict == SUPPORTED:
        result.verdict = CONSISTENT
    return result
