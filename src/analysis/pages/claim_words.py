"""The sentences a reader sees for a checked claim, made from its result (analysis.checks.engine.Result: the kind,
the figures, the evidence) and the check's `says`: what the data show (`rationale`), the one line under the
verdict with the decisive evidence (`summary`), and each figure as text. Every number and date goes through
analysis.fmt, so a figure reads the same in a sentence and in a table; no internal id (event, draft, check) is
ever written out.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import fmt
from analysis.checks import engine as E

# What a check counts, (one, many), per table and, for missiles, per measure.
NOUN = {
    "missile_tests": ("missile", "missiles"),
    "nuclear_tests": ("nuclear test", "nuclear tests"),
    "diplomatic_events": ("diplomatic event", "diplomatic events"),
    "sanctions": ("Security Council action", "Security Council actions"),
    "economy": ("estimate", "estimates"),
}
MEASURE = {
    "missiles": ("missile", "missiles"),
    "launch_days": ("launch day", "launch days"),
    "launches": ("launch event", "launch events"),
    "designations": ("missile type", "missile types"),
    "new_designations": ("missile type flown for the first time", "missile types flown for the first time"),
}
# A dated row of a table, for gaps: 'the last launch before ...'.
ONE = {"missile_tests": "launch", **{t: n[0] for t, n in NOUN.items() if t != "missile_tests"}}
# Columns a value or a record reads: (name, unit).
COLUMN = {
    "apogee_km": ("apogee", "km"),
    "distance_km": ("distance", "km"),
    "mb": ("body-wave magnitude", ""),
    "yield_kt_high": ("upper yield estimate", "kt"),
    "yield_kt_low": ("lower yield estimate", "kt"),
}
STATISTIC = {"mean": "average", "sum": "total", "rows": "number", "launch_days": "number of launch days"}
# Figure names as table labels, where the engine's key is not already plain words.
LABEL = {
    "value": "in the data",
    "stated": "the article says",
    "difference": "difference from the article",
    "its value": "its figure",
    "anchor": "from",
    "other": "to",
    "open": "still open at the end of the data",
    "matches": "matching rows",
    "change %": "change (%)",
}
SHOWN_AS_WORDS = ("measure", "mode", "direction", "statistic", "field")


def check_says(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """check_id -> the check's `says` (what it tests, in the project's words)."""
    checks = frames.get("checks")
    return {} if checks is None else dict(zip(checks["check_id"], checks["says"].fillna("")))


def noun(result: E.Result, measure: str | None = None) -> str:
    """What a result counts, in the plural: 'launch days', 'missiles', 'diplomatic events'."""
    return _nouns(result, measure)[1]


def _nouns(result: E.Result, measure: str | None = None) -> tuple[str, str]:
    measure = measure or result.figures.get("measure", "rows")
    if result.table == "missile_tests" and measure in MEASURE:
        return MEASURE[measure]
    return NOUN.get(result.table or "", ("row", "rows"))


def counted(n, result: E.Result, measure: str | None = None, zero: str = "no") -> str:
    """'1 launch day', '33 launch days', 'no diplomatic events'."""
    one, many = _nouns(result, measure)
    return fmt.plural(n, one, many, zero=zero)


def column(name: str, x) -> str:
    """A column's value with its unit: '100 km'."""
    unit = COLUMN.get(name, ("", ""))[1]
    return f"{value(x)} {unit}".strip()


def value(x) -> str:
    """A figure as text, the same in a sentence and in a table: whole numbers as integers, others to two decimals
    below 10 and one above, dates as '12 June 2018', periods as spans."""
    if isinstance(x, bool):
        return fmt.yes_no(x)
    if isinstance(x, pd.Timestamp):
        return fmt.day(x)
    if isinstance(x, tuple) and len(x) == 2:
        return fmt.day_span(*x)
    if isinstance(x, (int, float)) and not fmt.is_unknown(x):
        return fmt.number(x, 2 if abs(x) < 10 else 1)  # whole numbers lose their ".00" there
    if fmt.is_unknown(x):
        return fmt.DASH
    return str(x).replace("_", " ")


def label(key: str) -> str:
    return LABEL.get(key, key.replace("_", " "))


def figures(result: E.Result) -> list[tuple[str, str]]:
    """(label, value) for each figure of a result, in the engine's order, as the figures table shows them."""
    out = []
    for k, v in result.figures.items():
        if isinstance(v, dict):  # a series (a record's figure per year) is the chart's, not the table's
            continue
        if k in SHOWN_AS_WORDS:
            v = MEASURE[v][1] if v in MEASURE else STATISTIC.get(v, COLUMN.get(v, (str(v).replace("_", " "),))[0])
        out.append((label(k)[0].upper() + label(k)[1:], value(v)))
    return out


def period(span: tuple | None) -> str:
    """'on 2 November 2022', 'in 2022', 'from 2017 to 2019', 'from 20 January 2017 to 19 January 2018'."""
    if span is None:
        return ""
    a, b = pd.Timestamp(span[0]), pd.Timestamp(span[1])
    if a == b:
        return f"on {fmt.day(a)}"
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        return f"in {a.year}" if a.year == b.year else f"from {a.year} to {b.year}"
    return f"from {fmt.day(a)} to {fmt.day(b)}"


def _needs(f: dict) -> str:
    bounds = [f"{w} {value(f[k])}" for k, w in (("at least", "at least"), ("at most", "at most")) if k in f]
    return f"the claim needs {' and '.join(bounds)}" if bounds else ""


def _stated(f: dict, show=value) -> str:
    bits = []
    if "stated" in f:
        tol = f", give or take {value(f['tolerance'])}" if f.get("tolerance") else ""
        bits.append(f"the article: {show(f['stated'])}{tol}")
    if needs := _needs(f):
        bits.append(needs)
    return "; ".join(bits)


def _definitions(result: E.Result) -> str:
    """Which way of counting matches the article's figure, when the check reports several."""
    f = result.figures
    others = {k[3:]: v for k, v in f.items() if k.startswith("by ")}
    if not others or "stated" not in f:
        return ""
    tol = f.get("tolerance", 0)
    every = {f.get("measure", "rows"): f["value"], **others}
    match = [noun(result, m) for m, v in every.items() if abs(v - f["stated"]) <= tol]
    if not match:
        return " No way of counting gives the article's figure."
    if len(match) == len(every):
        return " Every way of counting gives the article's figure."
    return f" Counting {fmt.join(match)} gives the article's figure."


def _count(r: E.Result) -> str:
    f = r.figures
    extra = [_stated(f)] + [f"by {noun(r, k[3:])} {value(v)}" for k, v in f.items() if k.startswith("by ")]
    extra = "; ".join(e for e in extra if e)
    return (
        f"The data hold {counted(f['value'], r)} {period(r.period)}" + (f" ({extra})" if extra else "") + "."
    ) + _definitions(r)


def _record(r: E.Result) -> str:
    f = r.figures
    year, by_year = f["year"], f.get("by year", {})
    others = [v for y, v in by_year.items() if y != year]
    scope = "earlier year" if others and max(others) > f["its value"] else "other year"
    if str(f["measure"]).startswith("largest "):
        name = COLUMN.get(f["measure"][8:], (f["measure"][8:],))[0]
        text = f"The largest {name} in {year} was {value(f['value'])}"
        if f.get("best other year") is None:
            return text + f"; no {scope} has one."
        text += f"; the largest in any {scope} was {value(f['its value'])}, in {f['best other year']}"
    else:
        text = f"{year} had {counted(f['value'], r)}"
        if f.get("best other year") is None:
            return text + f"; no {scope} had any."
        text += f"; the most in any {scope} was {value(f['its value'])}, in {f['best other year']}"
    if "tied with" in f:
        text += f" ({year} is level with {f['tied with']})"
    return text + "."


def _first_since(r: E.Result) -> str:
    f = r.figures
    n = f["earlier matches"]
    found = fmt.plural(n, "earlier match", "earlier matches", zero="no")
    text = f"The check found {found} between {fmt.day(f['since'])} and {fmt.day(f['date'])}"
    if n:
        text += f", the last on {fmt.day(f['last earlier match'])}"
    return text + "."


def _gap(r: E.Result) -> str:
    f = r.figures
    stated = _stated(f)
    tail = f" ({stated})." if stated else "."
    days, one = fmt.plural(f["days"], "day"), ONE.get(r.table or "", "row")
    if f["mode"] == "next":
        return f"The next {one} after {fmt.day(f['anchor'])} was on {fmt.day(f['other'])}, {days} later{tail}"
    if f["mode"] == "since_last":
        return f"The last {one} before {fmt.day(f['anchor'])} was on {fmt.day(f['other'])}, {days} earlier{tail}"
    end = "the end of the data (still open)" if f.get("open") else fmt.day(f["to"])
    return f"The longest stretch without a {one} ran {days}, from {fmt.day(f['from'])} to {end}{tail}"


def _signed(x) -> str:
    return ("+" if x > 0 else "") + value(x)


def _compare(r: E.Result) -> str:
    f = r.figures
    what = STATISTIC.get(f["statistic"], f["statistic"])
    same_sign = f["baseline"] * f["value"] > 0  # a percentage change across zero says nothing
    pct = f" ({_signed(f['change %'])}%)" if same_sign and not fmt.is_unknown(f["change %"]) else ""
    text = (
        f"The {what} was {value(f['value'])} {period(f['period'])}, against {value(f['baseline'])} "
        f"{period(f['baseline period'])}: a change of {_signed(f['change'])}{pct}."
    )
    if f["smallest change that counts"]:
        text += f" A change counts from {value(f['smallest change that counts'])} ({f['direction']} expected)."
    return text


def _exists(r: E.Result) -> str:
    f = r.figures
    n = counted(f["matches"], r)
    return f"The data hold {n} matching the check {period(r.period)} ({_needs(f)})."


def _value(r: E.Result) -> str:
    f = r.figures
    name = COLUMN.get(f["field"], (f["field"].replace("_", " "),))[0]
    stated = _stated(f, lambda x: column(f["field"], x))
    return f"The recorded {name} is {column(f['field'], f['value'])}" + (f" ({stated})." if stated else ".")


def _combine(r: E.Result, says: dict[str, str]) -> str:
    holds = [p for p in r.parts if p.verdict in (E.SUPPORTED, E.CONSISTENT)]
    if r.kind == "gate":
        first = r.parts[0]
        if first not in holds:
            return f"The precondition does not hold: {_part(first, says)}"
        return f"The precondition holds: {_part(first, says)} Then: {_part(r.parts[1], says)}"
    return f"{fmt.number_word(len(holds)).capitalize()} of {fmt.number_word(len(r.parts))} parts hold."


WORDS = {
    "count": _count,
    "record": _record,
    "first_since": _first_since,
    "gap": _gap,
    "compare": _compare,
    "exists": _exists,
    "value": _value,
}
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _many(table: str) -> str:
    return NOUN.get(table, ("", table.replace("_", " ")))[1]


def reason(text: str) -> str:
    """Why a check could not be made, in reader words: table names as nouns, dates as dates, ids left out."""
    text = re.sub(r"\s*'[^']*'", "", text)
    text = re.sub(r"\bthe (\w+) table has no row\b", lambda m: f"the {_many(m[1])} hold no row the check needs", text)
    for table, (one, many) in NOUN.items():
        text = re.sub(rf"\b{table} rows\b", many, text)
        text = re.sub(rf"\b{table} row\b", one, text)
    text = ISO.sub(lambda m: fmt.day(m[0]), text)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _part(r: E.Result, says: dict[str, str]) -> str:
    """A part as '<its says> — <its verdict>: <what the data show>'."""
    what = says.get(r.check_id, "").rstrip(".")
    return f"{what} ({r.verdict}): {rationale(r, says)}" if what else rationale(r, says)


def rationale(result: E.Result, says: dict[str, str] | None = None) -> str:
    """What the data show, with the figures; `says` maps check ids to their `says` (for the parts)."""
    says = says or {}
    if result.verdict == E.NOT_TESTABLE and not result.parts:
        return reason(result.reason) if result.reason else "The data cannot answer this check."
    if result.parts:
        return _combine(result, says)
    return WORDS[result.kind](result)


def _first(text: str) -> str:
    m = re.match(r"(.+?[.!?])\s+(?=[A-Z0-9\u201c\"(])", text.strip())
    return m.group(1) if m else text.strip()


def summary(result: E.Result, says: dict[str, str] | None = None) -> str:
    """The one line under the verdict: the decisive evidence. Mixed: the part that holds and the part that does
    not; consistent: the timing shown, and that the cause is not; not testable: why."""
    says = says or {}
    if result.verdict == E.NOT_TESTABLE:
        if result.parts:
            blocked = next((p for p in result.parts if p.verdict == E.NOT_TESTABLE), None)
            if result.kind == "gate" and result.parts[0].verdict not in (E.SUPPORTED, E.CONSISTENT):
                blocked = result.parts[0]
            return summary(blocked, says) if blocked is not None else rationale(result, says)
        return rationale(result, says)
    if result.parts:
        holds = [p for p in result.parts if p.verdict in (E.SUPPORTED, E.CONSISTENT)]
        fails = [p for p in result.parts if p not in holds and p.verdict != E.NOT_TESTABLE]
        if result.kind == "gate":
            line = _first(rationale(result.parts[1], says))
        elif result.verdict == E.MIXED and holds and fails:
            line = f"Holds: {_short(holds[0], says)} Does not hold: {_short(fails[0], says)}"
        elif result.verdict == E.MIXED:
            line = f"Does not hold: {_short(fails[0], says)}" if fails else rationale(result, says)
        else:
            decisive = fails if result.verdict == E.CONTRADICTED else holds
            line = " ".join(_short(p, says) for p in decisive[:2])
            if len(decisive) < len(result.parts):  # a majority (most) or one of several (any): say how many
                line = f"{_combine(result, says)} {line}"
    else:
        line = rationale(result, says)
    if result.verdict == E.CONSISTENT:
        line += " The timing fits; the data cannot show the cause."
    return line


def _short(r: E.Result, says: dict[str, str]) -> str:
    what = says.get(r.check_id, "").rstrip(".")
    first = _first(rationale(r, says))
    return f"{what}: {first}" if what else first
