"""The one formatter: how a number, a count, a date or a list reads, in a sentence or in a table cell, and the
words naming the inclusion criterion. Every layer may use it (event names, claim rationales, pages); it imports
nothing of the package, and pandas only when a value needs it.

Cells: unknown (None, NaN, NaT) is "—"; infinity is "∞"; thousands separators; no trailing ".0"; p-values below
0.001 are "< 0.001"; booleans are "yes"/"no"; dates are "12 Jun 2018". Sentences: dates are "12 June 2018".
"""

from __future__ import annotations

import datetime as dt
import math

DASH = "\u2014"

# The inclusion criterion: what is counted (in a sentence) and the full statement (in Data and method).
COUNTED = {True: "CNS-criterion missiles", False: "launches of any kind (cruise missiles included)"}
SETTING = {True: "only missiles within the CNS criterion", False: "every launch, cruise missiles included"}
CRITERION = {
    True: "CNS criterion only: missiles able to carry 500 kg at least 300 km (CNS North Korea Missile Test Database, "
    "with launches after its last update judged by the same rule).",
    False: "All launches in the table: the CNS-criterion missiles plus cruise missiles from the CSIS Beyond Parallel "
    "record.",
}

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def is_unknown(x) -> bool:
    import pandas as pd

    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):  # list-likes are values, not missing
        return False


def number(x, decimals: int = 1) -> str:
    """A number with thousands separators and at most `decimals` decimals, trailing zeros dropped."""
    if is_unknown(x):
        return DASH
    x = float(x)
    if math.isinf(x):
        return "\u221e" if x > 0 else "\u2212\u221e"
    text = f"{x:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace("-", "\u2212")


def integer(x) -> str:
    return number(x, 0)


def ratio(x) -> str:
    """A ratio or an interval bound: two decimals, kept (0.50, 1.25)."""
    if is_unknown(x) or math.isinf(float(x)):
        return number(x)
    return f"{float(x):,.2f}"


def pvalue(p) -> str:
    """A p-value: '< 0.001' below 0.001, else three decimals."""
    if is_unknown(p):
        return DASH
    return "< 0.001" if float(p) < 0.001 else f"{float(p):.3f}"


def yes_no(x) -> str:
    return DASH if is_unknown(x) else ("yes" if x else "no")


def plural(n, word: str, plural_word: str | None = None, zero: str | None = None) -> str:
    """'1 day', '2 days', '1,200 missiles' (plural_word for irregular plurals; zero="no" writes 'no days')."""
    count = zero if n == 0 and zero else integer(n)
    return f"{count} {word if n == 1 else plural_word or word + 's'}"


def number_word(n: int) -> str:
    """'zero' to 'ten' in words, larger counts in figures."""
    return _SMALL[n] if 0 <= n <= 10 else f"{n:,}"


def one_in(p: float) -> str:
    """A probability as odds: 'about 1 in 13' (two significant figures past 10)."""
    n = 1 / p
    if n < 1.5:
        return "most of the time"
    k = round(n) if n < 10 else int(float(f"{n:.2g}"))
    return f"about 1 in {k:,}"


def share(p: float) -> str:
    """A share as a percentage, two significant figures: '7.8%', '41%', '100%'."""
    pct = 100 * p
    return f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%"


def date(x) -> str:
    """A table cell's date: '12 Jun 2018'."""
    import pandas as pd

    return DASH if is_unknown(x) else f"{pd.Timestamp(x):%-d %b %Y}"


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])


def day(value) -> str:
    """A sentence's date: '12 June 2018' (a date, a timestamp or an ISO string)."""
    d = _date(value)
    return f"{d.day} {d:%B %Y}"


def day_span(start, end) -> str:
    """'12 June 2018', '27–28 February 2019', '30 June – 1 July 2019', '31 December 2019 – 1 January 2020'."""
    a, b = _date(start), _date(end)
    if a == b:
        return day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B} – {day(b)}"
    return f"{day(a)} – {day(b)}"


def iso_day(value) -> str:
    """'2018-06-12' (a date, a timestamp or an ISO string)."""
    return _date(value).isoformat()


def year_span(first, last) -> str:
    """'2017', '2016 to 2019'."""
    return str(first) if first == last else f"{first} to {last}"


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
