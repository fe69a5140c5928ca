"""Reading many before/after tests at once: the multiple-testing adjustment, the robustness label across window
lengths, and p-values in plain words. Plain Python (no pandas), so the registry can use the event names too."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from analysis import text

ALPHA = 0.05
METHODS = {"holm": "Holm", "bh": "Benjamini–Hochberg"}

ROBUST = "robust"
DEPENDS = "depends on the window"
NO_CHANGE = "no clear change"


def adjust(pvalues: Sequence[float], method: str = "holm") -> list[float]:
    """Adjusted p-values, in the input order.

    holm: Holm's step-down adjustment (controls the chance of any false finding, whatever the dependence between
    the tests); bh: Benjamini–Hochberg (controls the expected share of false findings among those reported)."""
    if method not in METHODS:
        raise ValueError(f"method: {method!r} is not one of: {', '.join(METHODS)}")
    p = [float(v) for v in pvalues]
    bad = [v for v in p if not 0 <= v <= 1]
    if bad:
        raise ValueError(f"pvalues: {bad[0]!r} is not a probability between 0 and 1")
    m = len(p)
    out = [0.0] * m
    if method == "holm":
        running = 0.0
        for rank, i in enumerate(sorted(range(m), key=lambda i: p[i])):
            running = max(running, min(1.0, (m - rank) * p[i]))
            out[i] = running
    else:
        running = 1.0
        order = sorted(range(m), key=lambda i: p[i])
        for rank in range(m - 1, -1, -1):
            i = order[rank]
            running = min(running, m * p[i] / (rank + 1))
            out[i] = min(1.0, running)
    return out


def robustness(results: Sequence[tuple[float, float]], alpha: float = ALPHA) -> str:
    """The label for one event across window lengths, from (rate ratio, adjusted p) per window.

    robust: a clear change (adjusted p < alpha) at every window length, all in the same direction;
    depends on the window: a clear change at some lengths only, or in opposite directions;
    no clear change: at none."""
    if not results:
        raise ValueError("results: no window lengths to judge")
    clear = [ratio > 1 for ratio, p in results if p < alpha]
    if not clear:
        return NO_CHANGE
    if len(clear) == len(results) and len(set(clear)) == 1:
        return ROBUST
    return DEPENDS


def _round_2(n: float) -> int:
    """n to two significant figures."""
    digits = max(0, int(math.floor(math.log10(n))) - 1)
    return int(round(n / 10**digits) * 10**digits)


_SMALL = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def chance_in_words(p: float) -> str:
    """A p-value as a frequency: 'about one time in 130'; chance-level results say so."""
    if not 0 <= p <= 1:
        raise ValueError(f"p: {p!r} is not a probability between 0 and 1")
    if p < 0.001:
        return "less than one time in 1,000"
    n = 1 / p
    if n < 1.5:
        return "most of the time"
    k = round(n) if n < 10 else _round_2(n)
    return f"about one time in {_SMALL[k] if k <= 10 else f'{k:,}'}"


def reading(ratio: float, p_adjusted: float, family: int, unit: str = "launch days") -> str:
    """One sentence a general reader can follow: the direction and size, then how often chance would do it."""
    if math.isnan(ratio):
        return f"No {unit} on either side: nothing to compare."
    if math.isinf(ratio):
        size = f"{unit} after but none before"
    elif ratio == 0:
        size = f"{unit} before but none after"
    elif ratio >= 1:
        size = f"{ratio:.1f} times as many {unit} after as before"
    else:
        size = f"{1 / ratio:.1f} times fewer {unit} after than before"
    return (
        f"{size[0].upper()}{size[1:]}; if the rate had not changed, a difference this large would turn up by chance "
        f"{chance_in_words(p_adjusted)}, allowing for the {family} comparisons made."
    )


# --------------------------------------------------------------------------------------------
# Human names for diplomatic events, from their row (title-ready, never the id)
# --------------------------------------------------------------------------------------------

PARTY_NAMES = {
    "US": "US",
    "DPRK": "North Korea",
    "ROK": "South Korea",
    "CN": "China",
    "RU": "Russia",
    "JP": "Japan",
    "UN": "UN",
}
KIND_WORDS = {"intent_to_meet": "statement of intent to meet"}


def event_name(event: Mapping) -> str:
    """'the Trump–Kim summit in Singapore (12 June 2018)': who, what kind and where, from the event's columns."""
    parties = str(event["parties"]).split(";")
    tk = str(event.get("trump_kim", "")).lower() in ("true", "1")
    if tk:
        who = "Trump–Kim "
    elif sorted(parties) == ["DPRK", "ROK"]:
        who = "inter-Korean "
    else:
        who = "–".join(PARTY_NAMES.get(p, p) for p in parties) + " "
    return f"the {who}{kind_word(event)} in {place(event)} ({text.day_span(event['start_date'], event['end_date'])})"


def place(event: Mapping) -> str:
    """The first part of the location: 'Hanoi, Vietnam' -> 'Hanoi', 'Panmunjom (DMZ)' -> 'Panmunjom'."""
    return str(event["location"]).split(",")[0].split(" (")[0].strip()


def kind_word(event: Mapping) -> str:
    return KIND_WORDS.get(str(event["kind"]), str(event["kind"]))


def window_title(event: Mapping) -> str:
    """The event page's title."""
    return f"Launches before and after {event_name(event)}"
