"""Human names for diplomatic events, from their row. Plain Python (no pandas), so the registry can use them too."""

from __future__ import annotations

from collections.abc import Mapping

from analysis import fmt

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
    elif is_inter_korean(event):
        who = "inter-Korean "
    else:
        who = "–".join(PARTY_NAMES.get(p, p) for p in parties) + " "
    return f"the {who}{kind_word(event)} in {place(event)} ({fmt.day_span(event['start_date'], event['end_date'])})"


def is_inter_korean(event: Mapping) -> bool:
    """North and South Korea only."""
    return sorted(str(event["parties"]).split(";")) == ["DPRK", "ROK"]


def place(event: Mapping) -> str:
    """The first part of the location: 'Hanoi, Vietnam' -> 'Hanoi', 'Panmunjom (DMZ)' -> 'Panmunjom'."""
    return str(event["location"]).split(",")[0].split(" (")[0].strip()


def kind_word(event: Mapping) -> str:
    return KIND_WORDS.get(str(event["kind"]), str(event["kind"]))


def window_title(event: Mapping) -> str:
    """The event page's title."""
    return f"Launches before and after {event_name(event)}"
