"""Words every page uses, in one place: dates, lists, counts, and how the inclusion criterion is named."""

from __future__ import annotations

import datetime as dt

# The inclusion criterion: what is counted (in a sentence) and the full statement (in Data and method).
COUNTED = {True: "CNS-criterion missiles", False: "launches of any kind (cruise missiles included)"}
SETTING = {True: "only missiles within the CNS criterion", False: "every launch, cruise missiles included"}
CRITERION = {
    True: "CNS criterion only: missiles able to carry 500 kg at least 300 km (CNS North Korea Missile Test Database, "
    "with launches after its last update judged by the same rule).",
    False: "All launches in the table: the CNS-criterion missiles plus cruise missiles from the CSIS Beyond Parallel "
    "record.",
}


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])


def day(value) -> str:
    """'12 June 2018' (a date, a timestamp or an ISO string)."""
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


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
